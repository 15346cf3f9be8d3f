"""HermiT through owlready2: consistency of the shipped graphs, and proof that it can say no."""

from __future__ import annotations

import pytest

from evalgraph import kb
from evalgraph.errors import ReasonerUnavailableError
from evalgraph.reasoning import check_consistency, find_java
from evalgraph.store import BUILTIN_GRAPHS, ONTOLOGY_GRAPH, OxigraphStore, open_store

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


def test_missing_java_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(ReasonerUnavailableError, match="needs a Java runtime") as caught:
        find_java()
    assert caught.value.exit_code == 3
