"""The embedded store: atomic, idempotent loads; clear errors for bad files; nothing fetched or read."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from evalgraph.errors import DataFileError, ReservedGraphError, StoreUnavailableError, UsageError
from evalgraph.store import kb
from evalgraph.store.oxigraph import KB_GRAPH, META_GRAPH, STAGING_GRAPH_BASE, OxigraphStore, open_store

from .conftest import DATA

GRAPH = "https://example.org/graph/test"


def snapshot(store: OxigraphStore) -> tuple[set[ox.Quad], dict[str, int]]:
    """The store's quads (outside the meta graph): those without blank nodes exactly, the others counted per
    graph, since a reload gives blank nodes (OWL restrictions) new labels."""
    quads = [q for q in store._store.quads_for_pattern(None, None, None, None) if q.graph_name != ox.NamedNode(META_GRAPH)]
    blank = [q for q in quads if isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode)]
    counts: dict[str, int] = {}
    for q in blank:
        counts[str(q.graph_name)] = counts.get(str(q.graph_name), 0) + 1
    return set(quads) - set(blank), counts


def test_load_records_provenance(memory_store: OxigraphStore) -> None:
    report = memory_store.load([DATA / "small.ttl"], GRAPH)
    assert report.triples == 2
    [info] = [g for g in memory_store.graphs() if g.iri == GRAPH]
    assert info.triples == 2
    assert info.sources == ("small.ttl",)
    assert info.sha256 == report.sha256 and len(info.sha256) == 64


def test_reload_same_file_is_idempotent(memory_store: OxigraphStore) -> None:
    memory_store.load([DATA / "small.ttl"], GRAPH)
    first = snapshot(memory_store)
    memory_store.load([DATA / "small.ttl"], GRAPH)
    assert snapshot(memory_store) == first


def test_reload_replaces_graph_content(memory_store: OxigraphStore) -> None:
    memory_store.load([DATA / "small.ttl"], GRAPH)
    memory_store.load([DATA / "small-v2.ttl"], GRAPH)
    sizes = {q.object.value for q in memory_store._store.quads_for_pattern(None, ox.NamedNode("https://example.org/size"), None, None)}
    assert sizes == {"4"}


def test_append_adds_to_graph(memory_store: OxigraphStore) -> None:
    memory_store.load([DATA / "small.ttl"], GRAPH)
    memory_store.load([DATA / "small-v2.ttl"], GRAPH, replace=False)
    assert memory_store.count(GRAPH) == 3


def test_corrupt_file_names_line_and_column_and_changes_nothing(memory_store: OxigraphStore) -> None:
    memory_store.load([DATA / "small.ttl"], GRAPH)
    before = snapshot(memory_store)
    with pytest.raises(DataFileError) as caught:
        memory_store.load([DATA / "corrupt.ttl"], GRAPH)
    error = caught.value
    assert error.file.endswith("corrupt.ttl") and error.line == 5 and error.column is not None
    assert "corrupt.ttl:5:" in str(error)
    assert snapshot(memory_store) == before


def test_multi_file_load_is_all_or_nothing(memory_store: OxigraphStore) -> None:
    memory_store.load([DATA / "small.ttl"], GRAPH)
    before = snapshot(memory_store)
    with pytest.raises(DataFileError):
        memory_store.load([DATA / "small-v2.ttl", DATA / "corrupt.ttl"], GRAPH)
    assert snapshot(memory_store) == before


def test_missing_file(memory_store: OxigraphStore) -> None:
    with pytest.raises(DataFileError, match="file not found"):
        memory_store.load([DATA / "nope.ttl"], GRAPH)


def test_unknown_extension(memory_store: OxigraphStore, tmp_path: Path) -> None:
    odd = tmp_path / "data.csv"
    odd.write_text("a,b\n")
    with pytest.raises(DataFileError, match=r"unknown RDF format for extension '\.csv'"):
        memory_store.load([odd], GRAPH)


def test_xml_doctype_refused_before_parsing(memory_store: OxigraphStore) -> None:
    with pytest.raises(DataFileError) as caught:
        memory_store.load([DATA / "doctype.rdf"], GRAPH)
    assert caught.value.key == "doctype_refused" and caught.value.line == 2
    assert memory_store.count() == 0


def test_remote_jsonld_context_refused(memory_store: OxigraphStore) -> None:
    with pytest.raises(DataFileError, match="remote"):
        memory_store.load([DATA / "remote-context.jsonld"], GRAPH)
    assert memory_store.count() == 0


def test_inline_jsonld_context_loads(memory_store: OxigraphStore) -> None:
    assert memory_store.load([DATA / "inline-context.jsonld"], GRAPH).triples == 1


def test_reserved_graph_refused(memory_store: OxigraphStore) -> None:
    with pytest.raises(UsageError, match="built-in data"):
        memory_store.load([DATA / "small.ttl"], KB_GRAPH)


@pytest.mark.parametrize("update", [
    f"INSERT DATA {{ GRAPH <{KB_GRAPH}> {{ <urn:a> <urn:b> <urn:c> }} }}", "CLEAR ALL", "DROP SILENT NAMED"])
def test_updates_may_not_change_reserved_graphs(memory_store: OxigraphStore, update: str) -> None:
    memory_store.load([DATA / "small.ttl"], KB_GRAPH, allow_reserved=True)
    before = memory_store.count(KB_GRAPH)
    with pytest.raises(ReservedGraphError) as refused:
        memory_store.update(update)
    assert refused.value.code == "reserved_graph" and refused.value.http_status == 403
    assert memory_store.count(KB_GRAPH) == before
    memory_store.update("INSERT DATA { GRAPH <urn:mine> { <urn:a> <urn:b> <urn:c> } }")  # other graphs are fine
    memory_store.update(update, allow_reserved=True)
    assert memory_store.count(KB_GRAPH) != before  # allowed on purpose: it changes the graph


def test_graph_must_be_absolute_iri(memory_store: OxigraphStore) -> None:
    with pytest.raises(UsageError, match="not an absolute IRI"):
        memory_store.load([DATA / "small.ttl"], "my graph")


def test_ensure_loaded_is_idempotent_on_disk(tmp_path: Path) -> None:
    store = open_store(tmp_path / "store")
    first = kb.ensure_loaded(store)
    assert {r.graph for r in first} == {d.graph for d in kb.DATASETS}
    content = snapshot(store)
    assert kb.ensure_loaded(store) == []
    forced = kb.ensure_loaded(store, force=True)
    assert len(forced) == len(kb.DATASETS)
    assert snapshot(store) == content
    store.close()


def test_store_persists_across_processes(tmp_path: Path) -> None:
    store = open_store(tmp_path / "store")
    store.load([DATA / "small.ttl"], GRAPH)
    store.close()
    del store
    code = (
        "import sys; from pathlib import Path; from evalgraph.store.oxigraph import open_store;"
        f"s = open_store(Path({str(tmp_path / 'store')!r})); print(s.count({GRAPH!r}))"
    )
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert output.strip() == "2"


def test_interrupted_load_leaves_no_staging_graph(tmp_path: Path) -> None:
    store = open_store(tmp_path / "store")
    staging = ox.NamedNode(STAGING_GRAPH_BASE + "crashed")
    store._store.add(ox.Quad(ox.NamedNode("https://example.org/s"), ox.NamedNode("https://example.org/p"), ox.Literal("o"), staging))
    store.close()
    del store
    reopened = open_store(tmp_path / "store")
    assert not any(g.startswith(STAGING_GRAPH_BASE) for g in reopened.graph_iris())


def test_locked_store_gives_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "store"
    holder = subprocess.Popen(
        [sys.executable, "-c", f"import pyoxigraph, sys, time; s = pyoxigraph.Store({str(path)!r}); print('ready', flush=True); sys.stdin.read()"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        with pytest.raises(StoreUnavailableError, match="in use by another evalgraph process") as caught:
            open_store(path)
        assert caught.value.exit_code == 3
    finally:
        holder.communicate("")


def test_evalgraph_context_is_resolved_locally_when_loading(memory_store: OxigraphStore) -> None:
    """A JSON-LD dossier naming evalgraph's context loads without fetching it, like `evalgraph validate` reads it."""
    assert memory_store.load([DATA / "dossiers" / "minimal.jsonld"], GRAPH).triples == 20
