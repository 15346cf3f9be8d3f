"""Each named query of the cartography against a small hand-made fixture, with its exact expected rows.

The fixture (tests/data/queries/fixture.ttl, derived facts in inferred.ttl) is built so that every answer is known
by construction; its header lists the edge cases. Terms are compared as plain Python values (IRIs and strings as
text, integers as int, decimals rounded to 6 places, booleans as bool, dates as ISO text) and GROUP_CONCAT cells
as sets of their parts, since SPARQL leaves the order of concatenation open. Every query has an ORDER BY, so
rows are compared as lists, in order.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from evalgraph.store import kb, queries
from evalgraph.store.oxigraph import INFERRED_GRAPH, OxigraphStore, open_store

DATA = Path(__file__).parent / "data" / "queries"
FIXTURE_GRAPH = "https://example.org/graph/query-fixture"
FX = "https://example.org/fx/"
SRC = "https://example.org/src/"
EGV = "https://w3id.org/evalgraph/vocab/"
XSD = "http://www.w3.org/2001/XMLSchema#"

# The GROUP_CONCAT columns of each query, compared as sets.
CONCATENATED = {
    "cartography": {"evaluator", "decisionMaker", "legalBasis", "objectEvaluated", "outcomeType", "lifecycleStage"},
    "category-pathway-matrix": {"examples"},
    "evaluation-gap": {"purposes"},
    "evidence-profile": set(),
    "technology-profile": {"source"},
    "fda-comparators": {"authorisations", "fdaPathways"},
    "timeline": {"concerns"},
    "obligations": {"legalBasis"},
}


@pytest.fixture(scope="module")
def store() -> Iterator[OxigraphStore]:
    """The ontology (labels of properties and concepts), the fixture, and its derived facts in the inferred graph."""
    store = open_store(None)
    kb.ensure_loaded(store, datasets=("ontology",))
    store.load([DATA / "fixture.ttl"], FIXTURE_GRAPH)
    store.load([DATA / "inferred.ttl"], INFERRED_GRAPH, allow_reserved=True)
    yield store
    store.close()


def plain(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None) -> object:
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        if datatype == XSD + "integer":
            return int(term.value)
        if datatype == XSD + "decimal":
            return round(float(term.value), 6)
        if datatype == XSD + "boolean":
            return term.value == "true"
        return term.value
    assert isinstance(term, ox.NamedNode), term
    return term.value


def parts(value: object) -> frozenset[str] | None:
    if value is None:
        return None
    assert isinstance(value, str), value
    return frozenset(value.split(" ; ")) if value else frozenset()


def run(store: OxigraphStore, name: str, **params: str) -> list[tuple[object, ...]]:
    """Rows of named query ``name`` with ``params`` bound, as plain values; checks the columns against the header."""
    named = queries.load(name)
    result = store.query(named.text, queries.bind(named, params))
    assert result.variables == list(named.columns), name
    concatenated = CONCATENATED[name]
    return [
        tuple(parts(plain(term)) if column in concatenated else plain(term)
              for column, term in zip(result.variables, row, strict=True))
        for row in result.rows
    ]


# ---------------------------------------------------------------------------------------------------- cartography

ALPHA_EN = ("en", FX + "pathway-alpha", "Alpha pathway", "France", {"National evaluator"}, {"Minister", "Payer"},
            {"Code A, art. 1"}, {"product"}, "Alpha criteria", "Alpha outcome", {"reimbursement listing"}, True,
            {"reimbursement"}, "Alpha scope", True)
# No evaluator and no scope; the legal basis has no citation, so its label stands in.
BETA_EN = ("en", FX + "pathway-beta", "Beta pathway", "European Union", None, {"Notified body"},
           {"Beta Regulation"}, {"product"}, "Beta criteria", "Beta outcome",
           {"market authorisation or certificate"}, True, {"market access"}, None, False)
# Two lifecycle stages; evaluator and decision maker are the same body; no isNationalRoute.
GAMMA_EN = ("en", FX + "pathway-gamma", "Gamma pathway", "United States", {"US agency"}, {"US agency"},
            {"21 U.S.C. 360c"}, {"product"}, "Gamma criteria", "Gamma outcome", {"opinion or report"}, False,
            {"market access", "reimbursement"}, "Gamma scope", None)


def test_cartography_in_english(store: OxigraphStore) -> None:
    assert run(store, "cartography") == [BETA_EN, ALPHA_EN, GAMMA_EN]  # by jurisdiction: EU, France, US


def test_cartography_in_french(store: OxigraphStore) -> None:
    assert run(store, "cartography", lang="fr") == [
        ("fr", FX + "pathway-alpha", "Voie Alpha", "France", {"Évaluateur national"}, {"Ministre", "Payeur"},
         {"Code A, art. 1"}, {"produit"}, "Critères alpha", "Résultat alpha", {"inscription au remboursement"}, True,
         {"prise en charge"}, "Portée alpha", True),
        ("fr", FX + "pathway-beta", "Voie Bêta", "Union européenne", None, {"Organisme notifié"}, {"Règlement Bêta"},
         {"produit"}, "Critères bêta", "Résultat bêta", {"autorisation ou certificat de mise sur le marché"}, True,
         {"accès au marché"}, None, False),
        # Labels sort by code point: "États-Unis" comes after "Union européenne".
        ("fr", FX + "pathway-gamma", "Voie Gamma", "États-Unis", {"Agence américaine"}, {"Agence américaine"},
         {"21 U.S.C. 360c"}, {"produit"}, "Critères gamma", "Résultat gamma", {"avis ou rapport"}, False,
         {"accès au marché", "prise en charge"}, "Portée gamma", None),
    ]


# ---------------------------------------------------------------------------------------- category × pathway matrix

def test_category_pathway_matrix_in_english(store: OxigraphStore) -> None:
    diagnosis, screening = EGV + "purpose-diagnosis-aid", EGV + "purpose-screening-aid"
    telemonitoring, therapeutic = EGV + "purpose-telemonitoring", EGV + "purpose-therapeutic-decision-aid"
    alpha, beta, gamma = FX + "pathway-alpha", FX + "pathway-beta", FX + "pathway-gamma"
    assert run(store, "category-pathway-matrix") == [
        # tech-one is eligible for beta and obtained it; tech-three is only eligible.
        ("en", diagnosis, "diagnosis aid", beta, "Beta pathway", 2, 1, {"Tech One", "Tech Three"}, 0),
        # tech-three obtained gamma without being eligible for it: counted apart (the matrix's orange ring).
        ("en", diagnosis, "diagnosis aid", gamma, "Gamma pathway", 0, 1, {"Tech Three"}, 1),
        # tech-one's second purpose.
        ("en", screening, "screening aid", beta, "Beta pathway", 1, 1, {"Tech One"}, 0),
        ("en", telemonitoring, "telemonitoring", alpha, "Alpha pathway", 1, 1, {"Tech Two"}, 0),
        ("en", therapeutic, "therapeutic decision aid", alpha, "Alpha pathway", 1, 0, {"Tech Four"}, 0),
        ("en", therapeutic, "therapeutic decision aid", beta, "Beta pathway", 1, 0, {"Tech Four"}, 0),
    ]


def test_category_pathway_matrix_in_french(store: OxigraphStore) -> None:
    rows = run(store, "category-pathway-matrix", lang="fr")
    assert [(r[2], r[4], r[5], r[6], r[7]) for r in rows] == [
        ("aide au diagnostic", "Voie Bêta", 2, 1, {"Technologie Un", "Technologie Trois"}),
        ("aide au diagnostic", "Voie Gamma", 0, 1, {"Technologie Trois"}),
        ("aide au dépistage", "Voie Bêta", 1, 1, {"Technologie Un"}),
        ("aide à la décision thérapeutique", "Voie Alpha", 1, 0, {"Technologie Quatre"}),
        ("aide à la décision thérapeutique", "Voie Bêta", 1, 0, {"Technologie Quatre"}),
        ("télésurveillance", "Voie Alpha", 1, 1, {"Technologie Deux"}),
    ]


# ------------------------------------------------------------------------------------------------ evaluation gap

def test_evaluation_gap(store: OxigraphStore) -> None:
    assert run(store, "evaluation-gap") == [
        # Derived "at least IIa" and declared CE class IIb: the higher class counts.
        ("en", FX + "tech-one", "Tech One", {"diagnosis aid", "screening aid"}, "class IIb", 3,
         "high-risk — Art. 6(1) and Annex I", 2),
        # No class: rank 0; then by number of deployments, before the label ("Tech Four" < "Tech Three").
        ("en", FX + "tech-three", "Tech Three", {"diagnosis aid"}, None, 0, None, 1),
        ("en", FX + "tech-four", "Tech Four", {"therapeutic decision aid"}, None, 0, None, 0),
    ]  # tech-two is not in the gap (inEvaluationGap false)


# ----------------------------------------------------------------------------------------------- evidence profile

def test_evidence_profile(store: OxigraphStore) -> None:
    assert run(store, "evidence-profile") == [
        # Studies one-a, one-b, three: external stated by one-a (true) and one-b (false); independence stated by
        # one-a (false) and three (true); guidelines in one-a and three; levels 2, 4, 2. Last, the number of studies
        # that state each fact.
        ("en", EGV + "purpose-diagnosis-aid", "diagnosis aid", 2, 2, 3, 0.5, 0.5, round(2 / 3, 6), 4, 2, 2, 2),
        ("en", EGV + "purpose-screening-aid", "screening aid", 1, 1, 2, 0.5, 0.0, 0.5, 4, 2, 1, 1),
        # study-two states no efficacy level: 0; nor a guideline: the share is unknown (empty), not 0.
        ("en", EGV + "purpose-telemonitoring", "telemonitoring", 1, 1, 1, 1.0, 1.0, "", 0, 1, 1, 0),
        # No study at all: shares are empty.
        ("en", EGV + "purpose-therapeutic-decision-aid", "therapeutic decision aid", 1, 0, 0, "", "", "", 0, 0, 0, 0),
    ]


def test_evidence_profile_in_french(store: OxigraphStore) -> None:
    assert [row[2] for row in run(store, "evidence-profile", lang="fr")] == [
        "aide au diagnostic", "aide au dépistage", "aide à la décision thérapeutique", "télésurveillance"]


# --------------------------------------------------------------------------------------------- technology profile

TECH_ONE = {SRC + "tech-one", SRC + "tech-one-bis"}


def test_technology_profile_distinguishes_declared_and_derived_facts(store: OxigraphStore) -> None:
    rows = run(store, "technology-profile", technology=FX + "tech-one")
    assert {row[:2] for row in rows} == {(FX + "tech-one", "en")}
    assert [row[2:] for row in rows] == [
        ("assessment", "Beta pathway", "2022-01-10", "declared", {SRC + "assessment-one-beta"}),
        ("evidence", "randomised controlled trial", "Randomised trial of Tech One", "declared", {SRC + "study-one-b"}),
        ("evidence", "retrospective stand-alone accuracy study", "Retrospective study of Tech One", "declared",
         {SRC + "study-one-a", SRC + "study-one-a-bis"}),
        ("obligation", "subject to obligation", "Deployer monitoring", "derived", set()),
        ("obligation", "subject to obligation", "Patient information", "derived", set()),
        ("pathway", "eligible for", "Beta pathway", "derived", set()),
        ("qualification", "AI Act category", "high-risk — Art. 6(1) and Annex I", "declared", TECH_ONE),
        ("qualification", "regulatory qualification", "medical device software (MDR)", "declared", TECH_ONE),
        ("qualification", "risk class at least", "class IIa", "derived", set()),
        ("status", "regulatory status", "CE marking of Tech One", "declared", {SRC + "ce-one"}),
        ("status", "regulatory status", "FDA clearance K000001", "declared", {SRC + "fda-one"}),
        ("use", "intended purpose", "diagnosis aid", "declared", TECH_ONE),
        ("use", "intended purpose", "screening aid", "declared", TECH_ONE),
        ("use", "intended user", "health professional", "declared", TECH_ONE),
    ]


def test_technology_profile_in_french(store: OxigraphStore) -> None:
    rows = run(store, "technology-profile", technology=FX + "tech-two", lang="fr")
    assert {row[:2] for row in rows} == {(FX + "tech-two", "fr")}
    assert [row[2:] for row in rows] == [
        ("assessment", "Voie Alpha", "2023-04-05", "declared", {SRC + "assessment-two-alpha"}),
        ("evidence", "étude", "Étude de Technologie Deux", "declared", {SRC + "study-two"}),  # no design
        ("obligation", "soumise à l'obligation", "Information du patient", "derived", set()),
        ("pathway", "éligible à", "Voie Alpha", "derived", set()),
        ("status", "statut réglementaire", "Autorisation FDA DEN000002", "declared", {SRC + "fda-two"}),
        ("use", "finalité d'usage", "télésurveillance", "declared", {SRC + "tech-two"}),
        ("use", "utilisateur visé", "patient", "declared", {SRC + "tech-two"}),
    ]


def test_technology_profile_binds_the_technology(store: OxigraphStore) -> None:
    one = run(store, "technology-profile", technology=FX + "tech-one")
    three = run(store, "technology-profile", technology=FX + "tech-three")
    assert {row[0] for row in three} == {FX + "tech-three"}
    assert {row[2:4] for row in one} != {row[2:4] for row in three}
    # An assessment without date has an empty value.
    assert ("assessment", "Gamma pathway", "", "declared", {SRC + "assessment-three-gamma"}) in [r[2:] for r in three]
    assert run(store, "technology-profile", technology=FX + "no-such-technology") == []


# ------------------------------------------------------------------------------------------------ FDA comparators

def test_fda_comparators(store: OxigraphStore) -> None:
    # tech-one has a CE marking and tech-two an assessment under a French pathway: both are left out.
    assert run(store, "fda-comparators") == [
        # Three clearances: the earliest dated one has no FDA pathway, one has no date.
        ("en", FX + "tech-three", "Tech Three", {"K000003", "K000004", "K000006"}, {"510(k)"}, "2019-09-09"),
        # No date at all: no first authorisation, listed after the dated ones.
        ("en", FX + "tech-four", "Tech Four", {"DEN000005"}, {"De Novo"}, None),
    ]


# ------------------------------------------------------------------------------------------------------ timeline

ALPHA_ACT = ("en", "2019-03-01", FX + "event-alpha-act", "Alpha Act enacted", "France", {"Alpha Act", "Alpha pathway"},
             SRC + "event-alpha-act")
THREE_CLEARED = ("en", "2021-06-15", FX + "event-three-cleared", "Tech Three cleared by the FDA", "United States",
                 {"Tech Three"}, SRC + "event-three-cleared")
BETA_GUIDANCE = ("en", "2024-01-01", FX + "event-beta-guidance", "Beta guidance published", None, None, None)


def test_timeline(store: OxigraphStore) -> None:
    rows = run(store, "timeline")
    assert {row[1] for row in rows} == {"1900-01-01"}
    assert [row[:1] + row[2:] for row in rows] == [ALPHA_ACT, THREE_CLEARED, BETA_GUIDANCE]


@pytest.mark.parametrize(
    ("since", "expected"),
    [("2019-03-01", [ALPHA_ACT, THREE_CLEARED, BETA_GUIDANCE]), ("2019-03-02", [THREE_CLEARED, BETA_GUIDANCE]),
     ("2021-06-15", [THREE_CLEARED, BETA_GUIDANCE]), ("2021-06-16", [BETA_GUIDANCE]), ("2024-01-02", [])],
)
def test_timeline_since_drops_earlier_events(store: OxigraphStore, since: str, expected: list[tuple[object, ...]]) -> None:
    rows = run(store, "timeline", since=since)
    assert {row[1] for row in rows} <= {since}
    assert [row[:1] + row[2:] for row in rows] == expected


def test_timeline_in_french(store: OxigraphStore) -> None:
    assert [row[4:7] for row in run(store, "timeline", lang="fr", since="2021-01-01")] == [
        ("Technologie Trois autorisée par la FDA", "États-Unis", {"Technologie Trois"}),
        ("Guide Bêta publié", None, None),
    ]


# --------------------------------------------------------------------------------------------------- obligations

DEPLOYER_MONITORING = (FX + "obligation-x", "Deployer monitoring", "deployer", "The deployer monitors operation.",
                       {"Regulation X, Art. 26", FX + "law-beta"}, "2026-08-02", SRC + "obligation-x")
PATIENT_INFORMATION = (FX + "obligation-y", "Patient information", "professional user",
                       "The professional informs the patient.", {"Code A, art. 1"}, "2020-01-01", SRC + "obligation-y")


def test_obligations_of_a_technology(store: OxigraphStore) -> None:
    assert run(store, "obligations", subject=FX + "tech-one") == [
        (FX + "tech-one", "en", FX + "tech-one", *DEPLOYER_MONITORING),
        (FX + "tech-one", "en", FX + "tech-one", *PATIENT_INFORMATION),
    ]
    assert run(store, "obligations", subject=FX + "tech-three") == []


def test_obligations_through_a_deployment(store: OxigraphStore) -> None:
    assert run(store, "obligations", subject=FX + "deployment-two") == [
        (FX + "deployment-two", "en", FX + "tech-two", *PATIENT_INFORMATION)]
    assert run(store, "obligations", subject=FX + "deployment-one-b") == [
        (FX + "deployment-one-b", "en", FX + "tech-one", *DEPLOYER_MONITORING),
        (FX + "deployment-one-b", "en", FX + "tech-one", *PATIENT_INFORMATION),
    ]


def test_obligations_in_french(store: OxigraphStore) -> None:
    assert run(store, "obligations", subject=FX + "deployment-one-a", lang="fr") == [
        (FX + "deployment-one-a", "fr", FX + "tech-one", FX + "obligation-y", "Information du patient",
         "professionnel utilisateur", "Le professionnel informe le patient.", {"Code A, art. 1"}, "2020-01-01",
         SRC + "obligation-y"),
        (FX + "deployment-one-a", "fr", FX + "tech-one", FX + "obligation-x", "Surveillance par le déployeur",
         "déployeur", "Le déployeur surveille le fonctionnement.", {"Regulation X, Art. 26", FX + "law-beta"},
         "2026-08-02", SRC + "obligation-x"),
    ]
