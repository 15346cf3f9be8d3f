"""The ontology: labelled, defined, typed, OWL 2 DL-friendly, and its concept schemes complete."""

from __future__ import annotations

import pytest

from evalgraph import resources
from evalgraph.store.oxigraph import ONTOLOGY_GRAPH, OxigraphStore

EG = "https://w3id.org/evalgraph/ontology/"


def rows(store: OxigraphStore, sparql: str) -> list[tuple[str, ...]]:
    return [tuple(t.value if t is not None else "" for t in row) for row in store.query(sparql).rows]  # type: ignore[union-attr]


def test_label_and_definition_check_finds_nothing(builtin_store: OxigraphStore) -> None:
    assert rows(builtin_store, resources.read_text("queries", "label-missing-violation")) == []


def test_label_check_can_fail(memory_store: OxigraphStore, tmp_path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text(
        "@prefix owl: <http://www.w3.org/2002/07/owl#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "<https://w3id.org/evalgraph/ontology/Undocumented> a owl:Class ; rdfs:label \"only English\"@en .\n"
    )
    memory_store.load([bad], "https://example.org/g")
    missing = {r[1] for r in rows(memory_store, resources.read_text("queries", "label-missing-violation"))}
    assert missing == {"rdfs:label@fr", "skos:definition@en", "skos:definition@fr"}


@pytest.mark.parametrize("check", ["property-range-missing-violation", "ontology-header-violation",
                                   "punning-violation", "property-defined-twice-violation"])
def test_ontology_checks_of_evalgraph_check_pass(builtin_store: OxigraphStore, check: str) -> None:
    """The ontology's conventions, as queries/*-violation.rq that `evalgraph check` also runs: no rows."""
    assert rows(builtin_store, resources.read_text("queries", check)) == []


@pytest.mark.parametrize(("check", "bad", "found"), [
    ("property-range-missing-violation", "eg:p a owl:ObjectProperty .", "https://w3id.org/evalgraph/ontology/p"),
    ("punning-violation", "eg:C a owl:Class , owl:NamedIndividual .", "https://w3id.org/evalgraph/ontology/C"),
    # what ontology/dossier.ttl and ontology/technology.ttl both said of eg:versionNumber until 2026-12-06
    ("property-defined-twice-violation", "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> . "
     "eg:n a owl:DatatypeProperty ; rdfs:domain eg:A ; rdfs:range xsd:string . eg:n rdfs:domain eg:B ; "
     "rdfs:range xsd:positiveInteger . eg:ok a owl:DatatypeProperty ; rdfs:domain eg:A ; rdfs:range xsd:string .",
     "https://w3id.org/evalgraph/ontology/n"),
])
def test_ontology_checks_find_a_fault(memory_store: OxigraphStore, tmp_path, check: str, bad: str, found: str) -> None:
    data = tmp_path / "bad.ttl"
    data.write_text("@prefix owl: <http://www.w3.org/2002/07/owl#> . @prefix eg: <https://w3id.org/evalgraph/ontology/> .\n"
                    "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n" + bad, encoding="utf-8")
    memory_store.load([data], "https://w3id.org/evalgraph/graph/ontology", allow_reserved=True)
    assert [row[:1] for row in rows(memory_store, resources.read_text("queries", check))] == [(found,)]


SCHEMES = {
    "IntendedPurposeScheme": 9,
    "IntendedUserScheme": 2,
    "CareSettingScheme": 3,
    "MedicalDeviceClassScheme": 4,
    "IVDClassScheme": 4,
    "AIActCategoryScheme": 5,
    "HASFunctionalLevelScheme": 4,
    "NICEESFTierScheme": 3,
    "IMDRFCategoryScheme": 4,
    "EfficacyLevelScheme": 6,
    "StudyDesignScheme": 5,
    "ReportingGuidelineScheme": 5,
    "SALevelScheme": 2,
    "ASALevelScheme": 5,
    "LifecycleStageScheme": 6,
}


@pytest.mark.parametrize("scheme, minimum", SCHEMES.items())
def test_concept_schemes_required_by_the_foundation(builtin_store: OxigraphStore, scheme: str, minimum: int) -> None:
    found = rows(
        builtin_store,
        f"""PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?c WHERE {{ GRAPH <{ONTOLOGY_GRAPH}> {{ ?c skos:inScheme <https://w3id.org/evalgraph/vocab/{scheme}> }} }}""",
    )
    assert len(found) >= minimum


def test_reporting_guidelines_named(builtin_store: OxigraphStore) -> None:
    found = {
        r[0]
        for r in rows(
            builtin_store,
            """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
            SELECT ?n WHERE { ?c skos:inScheme <https://w3id.org/evalgraph/vocab/ReportingGuidelineScheme> ; skos:notation ?n }""",
        )
    }
    assert found == {"TRIPOD+AI", "STARD-AI", "CONSORT-AI", "SPIRIT-AI", "DECIDE-AI"}


def test_ordered_schemes_have_distinct_ranks(builtin_store: OxigraphStore) -> None:
    found = rows(
        builtin_store,
        """PREFIX skos: <http://www.w3.org/2004/02/skos/core#> PREFIX eg: <https://w3id.org/evalgraph/ontology/>
        SELECT ?scheme ?rank (COUNT(?c) AS ?n) WHERE { ?c skos:inScheme ?scheme ; eg:rank ?rank .
          FILTER(?scheme != <https://w3id.org/evalgraph/vocab/AIActCategoryScheme>) }
        GROUP BY ?scheme ?rank HAVING (COUNT(?c) > 1)""",
    )
    assert found == []
