"""Loads at bulk speed keep the guarantee: into a graph without triples, ``load`` uses Oxigraph's bulk loader
(evalgraph.store.bulk), and a failed load — or one a crash interrupted — leaves the store as it was, with the
provenance recorded only for a graph loaded whole."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from evalgraph.errors import DataFileError
from evalgraph.store import bulk
from evalgraph.store.oxigraph import OxigraphStore, open_store

GRAPH = "https://example.org/graph/bulk"
GOOD = '<urn:a> <urn:p> "one" .\n<urn:a> <urn:p> "two" .\n<urn:a> <urn:q> <urn:b> .\n'


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path, Path]:
    (tmp_path / "one.nt").write_text(GOOD)
    (tmp_path / "two.ttl").write_text("@prefix : <urn:> .\n:c :p :d .\n")
    (tmp_path / "bad.ttl").write_text("@prefix : <urn:> .\n:c :p :d .\n:e :p .\n")
    return tmp_path / "one.nt", tmp_path / "two.ttl", tmp_path / "bad.ttl"


def _state(store: OxigraphStore) -> tuple[set[str], list[tuple[str, int, tuple[str, ...]]]]:
    return store.graph_iris(), [(i.iri, i.triples, i.sources) for i in store.graphs()]


def test_a_new_graph_is_bulk_loaded_with_its_provenance(
    tmp_path: Path, files: tuple[Path, Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    used: list[str] = []
    real = bulk.load_into_empty
    monkeypatch.setattr(bulk, "load_into_empty", lambda *a: (used.append(a[2]), real(*a))[1])
    store = open_store(tmp_path / "store")
    report = store.load(files[:2], GRAPH)
    assert used == [GRAPH] and report.triples == store.count(GRAPH) == 4
    info = next(i for i in store.graphs() if i.iri == GRAPH)
    assert info.sources == ("one.nt", "two.ttl") and info.sha256 == report.sha256 and info.loaded_at
    assert store.query(f"ASK {{ GRAPH <{bulk.LOADING_GRAPH}> {{ ?s ?p ?o }} }}").boolean is False
    replaced = store.load(files[:1], GRAPH)  # the graph holds triples now: replaced through a staging graph
    assert used == [GRAPH] and replaced.triples == store.count(GRAPH) == 3
    store.close()


def test_a_failed_bulk_load_leaves_the_store_as_it_was(tmp_path: Path, files: tuple[Path, Path, Path]) -> None:
    store = open_store(tmp_path / "store")
    store.load(files[1:2], "https://example.org/graph/other")
    before = _state(store)
    with pytest.raises(DataFileError) as error:
        store.load([files[0], files[2]], GRAPH)  # the first file is loaded before the second fails
    assert (error.value.params["line"], error.value.params["file"]) == (3, str(files[2]))
    with pytest.raises(DataFileError, match="missing.nt"):
        store.load([files[0], tmp_path / "missing.nt"], GRAPH)
    assert _state(store) == before
    store.close()


CRASH = """
import os, sys
from pathlib import Path
from evalgraph.store import bulk
from evalgraph.store.oxigraph import open_store

calls = []
real = bulk.rdf_format

def crash_after_the_first_file(file):
    calls.append(file)
    if len(calls) == 4:  # two by bulk.applies, then one per file loaded: the first file is in
        os._exit(9)
    return real(file)

bulk.rdf_format = crash_after_the_first_file
store = open_store(Path(sys.argv[1]))
store.load([Path(sys.argv[2]), Path(sys.argv[3])], sys.argv[4])
"""


def test_a_crash_during_a_bulk_load_is_undone_on_opening(tmp_path: Path, files: tuple[Path, Path, Path]) -> None:
    store = open_store(tmp_path / "store")
    store.load(files[1:2], "https://example.org/graph/other")
    before = _state(store)
    store.close()
    command = [sys.executable, "-c", textwrap.dedent(CRASH), str(tmp_path / "store"), str(files[0]), str(files[1]),
               GRAPH]  # fmt: skip
    assert subprocess.run(command, capture_output=True, check=False).returncode == 9
    store = open_store(tmp_path / "store")
    assert _state(store) == before
    assert store.load(files[:2], GRAPH).triples == 4  # and the graph loads again
    store.close()
