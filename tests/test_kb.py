"""The reference knowledge base and demo catalogue: complete, sourced, and answering real questions."""

from __future__ import annotations

import pytest

from evalgraph import resources
from evalgraph.store.oxigraph import CATALOGUE_GRAPH, KB_GRAPH, OxigraphStore

PREFIXES = """PREFIX eg: <https://w3id.org/evalgraph/ontology/>
PREFIX egv: <https://w3id.org/evalgraph/vocab/>
PREFIX egr: <https://w3id.org/evalgraph/id/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dct: <http://purl.org/dc/terms/>
"""
ID = "https://w3id.org/evalgraph/id/"


def values(store: OxigraphStore, sparql: str) -> list[str]:
    return [row[0].value for row in store.query(PREFIXES + sparql).rows]  # type: ignore[union-attr]


VIOLATIONS = [n for n in resources.names("queries") if n.endswith("-violation")]


@pytest.mark.parametrize("name", VIOLATIONS)
def test_violation_query_returns_no_rows_on_shipped_data(builtin_store: OxigraphStore, name: str) -> None:
    result = builtin_store.query(resources.read_text("queries", name))
    assert result.rows == [], [[str(t) for t in row] for row in result.rows[:20]]


PATHWAYS = [
    "lppr-brand-name", "lppr-generic-line", "latm", "pecan", "pect", "forfait-innovation", "act-evaluation",
    "article-51", "cnam-ai-pilot", "ans-certificate", "materiovigilance", "has-choice-aid-guide",
    "has-certification", "ce-conformity-assessment", "ai-act-conformity", "eu-hta-jca", "nice-esf", "diga",
    "mhealthbelgium", "fda-510k", "fda-de-novo", "fda-pma", "none",
]


@pytest.mark.parametrize("slug", PATHWAYS)
def test_pathway_is_fully_described(builtin_store: OxigraphStore, slug: str) -> None:
    iri = f"<{ID}pathway-{slug}>"
    found = builtin_store.query(
        PREFIXES
        + f"""SELECT ?fr ?en ?stage ?object ?binding ?jurisdiction WHERE {{
            {iri} a eg:EvaluationPathway ; rdfs:label ?fr , ?en ; dct:source ?source .
            FILTER(LANG(?fr) = "fr" && LANG(?en) = "en")
            OPTIONAL {{ {iri} eg:lifecycleStage ?stage }} OPTIONAL {{ {iri} eg:objectEvaluated ?object }}
            OPTIONAL {{ {iri} eg:isBinding ?binding }} OPTIONAL {{ {iri} eg:jurisdiction ?jurisdiction }} }}"""
    ).rows
    assert found, f"pathway-{slug} missing or without labels and source"
    if slug != "none":
        stage, obj, binding, jurisdiction = found[0][2:]
        assert stage is not None and obj is not None and jurisdiction is not None, slug


@pytest.mark.parametrize("slug", [s for s in PATHWAYS if s not in ("none",)])
def test_pathway_has_evaluator_or_decision_maker(builtin_store: OxigraphStore, slug: str) -> None:
    assert values(builtin_store, f"SELECT ?who WHERE {{ egr:pathway-{slug} eg:evaluator|eg:decisionMaker ?who }}")


def test_eligibility_conditions_are_structured(builtin_store: OxigraphStore) -> None:
    """Every condition tests one facet with values an engine can compare, never prose alone."""
    loose = values(
        builtin_store,
        """SELECT ?c WHERE { ?c a eg:EligibilityCondition .
            FILTER NOT EXISTS { ?c eg:onFacet ?facet . { ?c eg:anyOf ?v } UNION { ?c eg:noneOf ?v } UNION { ?c eg:requiredValue ?v } } }""",
    )
    assert loose == []


def test_pecan_conditions(builtin_store: OxigraphStore) -> None:
    purposes = set(values(builtin_store, "SELECT ?v WHERE { egr:pathway-pecan eg:eligibilityCondition ?c . ?c eg:onFacet egv:facet-intended-purpose ; eg:anyOf ?v }"))
    assert purposes == {"https://w3id.org/evalgraph/vocab/purpose-therapeutic", "https://w3id.org/evalgraph/vocab/purpose-telemonitoring"}
    ce = values(builtin_store, "SELECT ?v WHERE { egr:pathway-pecan eg:eligibilityCondition ?c . ?c eg:onFacet egv:facet-ce-marked ; eg:requiredValue ?v }")
    assert ce == ["true"]
    assert values(builtin_store, "SELECT ?m WHERE { egr:pathway-pecan eg:durationMonths ?m }") == ["12"]
    assert values(builtin_store, "SELECT ?r WHERE { egr:pathway-pecan eg:isRenewable ?r }") == ["false"]


def test_choice_aid_guide_excludes_prescription_aid_and_telemonitoring(builtin_store: OxigraphStore) -> None:
    excluded = set(values(builtin_store, "SELECT ?v WHERE { egr:pathway-has-choice-aid-guide eg:eligibilityCondition ?c . ?c eg:noneOf ?v }"))
    assert {"https://w3id.org/evalgraph/vocab/purpose-prescription-dispensation-aid",
            "https://w3id.org/evalgraph/vocab/purpose-telemonitoring"} <= excluded


def test_which_pathway_rests_on_l162_1_23_css(builtin_store: OxigraphStore) -> None:
    found = values(builtin_store, 'SELECT DISTINCT ?p WHERE { ?p a eg:EvaluationPathway ; eg:legalBasis ?law . ?law eg:citation ?c . FILTER(STRSTARTS(?c, "L162-1-23 CSS")) }')
    assert found == [ID + "pathway-pecan"]


def test_which_technologies_have_a_de_novo_authorisation(builtin_store: OxigraphStore) -> None:
    found = values(builtin_store, "SELECT DISTINCT ?t WHERE { ?t eg:hasRegulatoryStatus ?s . ?s eg:fdaPathway egv:fda-de-novo } ORDER BY ?t")
    assert found == [ID + "tech-idx-dr", ID + "tech-paige-prostate", ID + "tech-viz-lvo"]


def test_de_novo_numbers_and_dates(builtin_store: OxigraphStore) -> None:
    rows = builtin_store.query(PREFIXES + "SELECT ?n ?d WHERE { ?s eg:fdaPathway egv:fda-de-novo ; eg:submissionNumber ?n ; eg:statusDate ?d } ORDER BY ?n").rows
    assert [(r[0].value, r[1].value) for r in rows] == [  # type: ignore[union-attr]
        ("DEN170073", "2018-02-13"), ("DEN180001", "2018-04-11"), ("DEN200080", "2021-09-21")]


def test_catalogue_has_at_least_sixteen_technologies_with_purpose_and_source(builtin_store: OxigraphStore) -> None:
    found = values(builtin_store, f"SELECT DISTINCT ?t WHERE {{ GRAPH <{CATALOGUE_GRAPH}> {{ ?t a eg:DigitalTechnology ; eg:intendedPurpose ?p ; dct:source ?s }} }}")
    assert len(found) >= 16


def test_french_pathway_facts_of_the_catalogue(builtin_store: OxigraphStore) -> None:
    moovcare_asa = values(builtin_store, "SELECT ?asa WHERE { ?a eg:assessedTechnology egr:tech-moovcare-poumon ; eg:asaLevel ?asa }")
    assert moovcare_asa == ["https://w3id.org/evalgraph/vocab/asa-III"]
    cureety = values(builtin_store, "SELECT ?p WHERE { ?a eg:assessedTechnology egr:tech-cureety-techcare ; eg:underPathway ?p }")
    assert cureety == [ID + "pathway-latm"]
    continuum = values(builtin_store, "SELECT ?d WHERE { ?a eg:assessedTechnology egr:tech-continuum-plus-connect ; eg:underPathway egr:pathway-pecan ; eg:validFrom ?d }")
    assert continuum == ["2024-09-23"]


def test_idx_dr_pivotal_trial_metrics(builtin_store: OxigraphStore) -> None:
    rows = builtin_store.query(PREFIXES + """SELECT ?v ?lo ?hi WHERE { ?s eg:assessedTechnology egr:tech-idx-dr ; eg:reportsMeasure ?m .
        ?m eg:metric egv:metric-sensitivity ; eg:value ?v ; eg:ciLower ?lo ; eg:ciUpper ?hi }""").rows
    assert [(float(r[0].value), float(r[1].value), float(r[2].value)) for r in rows] == [(0.872, 0.818, 0.912)]  # type: ignore[union-attr]


def test_unconfirmed_facts_are_not_stated(builtin_store: OxigraphStore) -> None:
    """domain-facts marks these [U]: they may appear in notes, never as data."""
    assert values(builtin_store, "SELECT ?m WHERE { egr:tech-continuum-plus-connect eg:manufacturer ?m }") == []
    for scribe in ("tech-nabla", "tech-doctolib-consultation-assistant"):
        assert values(builtin_store, f"SELECT ?q WHERE {{ egr:{scribe} eg:regulatoryQualification ?q }}") == [], scribe
    assert values(builtin_store, "SELECT ?s WHERE { egv:asa-V eg:factStatus ?s }") == ["https://w3id.org/evalgraph/vocab/status-unconfirmed"]
    assert values(builtin_store, "SELECT ?s WHERE { egr:pathway-cnam-ai-pilot eg:factStatus ?s }") == ["https://w3id.org/evalgraph/vocab/status-partly-confirmed"]


def test_certification_criteria_and_elements(builtin_store: OxigraphStore) -> None:
    levels = values(builtin_store, "SELECT ?l WHERE { ?c a eg:CertificationCriterion ; eg:criterionLevel ?l } ORDER BY ?l")
    assert levels == ["https://w3id.org/evalgraph/vocab/criterion-advanced", "https://w3id.org/evalgraph/vocab/criterion-standard"]
    elements = values(builtin_store, "SELECT DISTINCT ?e WHERE { ?e a eg:EvaluationElement }")
    assert {ID + e for e in ("element-technology-mapping", "element-structured-choice-process",
                             "element-patient-information", "element-result-quality-control")} <= set(elements)


def test_obligations_have_legal_basis_and_conditions(builtin_store: OxigraphStore) -> None:
    obligations = values(builtin_store, "SELECT ?o WHERE { ?o a eg:LegalObligation }")
    assert {ID + o for o in ("obligation-l4001-3-patient-information", "obligation-ai-act-art-26-deployer",
                             "obligation-ai-act-art-50-transparency", "obligation-materiovigilance-reporting")} <= set(obligations)
    assert builtin_store.query(resources.read_text("queries", "obligation-unfounded-violation")).rows == []


def test_every_kb_individual_is_in_its_graph(builtin_store: OxigraphStore) -> None:
    kb_count = values(builtin_store, f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ GRAPH <{KB_GRAPH}> {{ ?s dct:source ?src }} }}")
    assert int(kb_count[0]) > 100
