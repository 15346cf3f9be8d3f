"""``evalgraph export``: every graph in its named graph, the VoID description in the default graph, in TriG or
N-Quads; what it writes loads back, graph for graph, into another store and into ``oxigraph load``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from evalgraph.store import dump
from evalgraph.store.oxigraph import OxigraphStore

VOID = "http://rdfs.org/ns/void#"


def _graphs(store: ox.Store) -> dict[str, int]:
    counts: dict[str, int] = {}
    for quad in store:
        name = quad.graph_name.value if isinstance(quad.graph_name, ox.NamedNode) else ""
        counts[name] = counts.get(name, 0) + 1
    return counts


@pytest.mark.parametrize("suffix", [".trig", ".nq"])
def test_export_loads_back_graph_for_graph(builtin_store: OxigraphStore, tmp_path: Path, suffix: str) -> None:
    output = tmp_path / f"evalgraph{suffix}"
    written = dump.write(builtin_store, output)
    loaded = ox.Store()
    loaded.load(path=str(output), format=dump.FORMATS[suffix])
    counts = _graphs(loaded)
    assert sum(counts.values()) == written
    assert {g: counts[g] for g in builtin_store.graph_iris()} == {g: builtin_store.count(g) for g in
                                                                  builtin_store.graph_iris()}  # fmt: skip
    dataset = ox.NamedNode(dump.DATASET)
    assert ox.Quad(dataset, ox.NamedNode(VOID[:-1] + "#subset"), ox.NamedNode(next(iter(sorted(
        builtin_store.graph_iris())))), ox.DefaultGraph()) in loaded  # fmt: skip
    assert counts[""] > len(builtin_store.graph_iris())  # the description: one subset and its count per graph


def test_the_cli_exports_and_oxigraph_loads_it(run_cli, tmp_path: Path) -> None:
    result = run_cli("export", "-o", str(tmp_path / "evalgraph.nq"))
    assert result.exit_code == 0, result.stderr
    assert "quads to" in result.stdout
    oxigraph = Path(sys.executable).parent / "oxigraph"
    subprocess.run([str(oxigraph), "load", "--location", str(tmp_path / "db"), "--file", str(tmp_path / "evalgraph.nq")],
                   check=True, capture_output=True)  # fmt: skip
    db = ox.Store.read_only(str(tmp_path / "db"))
    assert ox.NamedNode("https://w3id.org/evalgraph/graph/kb") in set(db.named_graphs())
    result = run_cli("export", "-o", str(tmp_path / "evalgraph.ttl"))
    assert result.exit_code == 2 and ".trig" in result.stderr


def test_virtuoso_bulk_loads_the_export(builtin_store: OxigraphStore, tmp_path: Path) -> None:
    from evalgraph.store.remote import RemoteStore
    from tests import engines

    with engines.virtuoso(tmp_path) as endpoint:
        dump.write(builtin_store, tmp_path / "evalgraph.nq")  # in the instance's folder: its DirsAllowed
        engines.isql(tmp_path, "ld_dir('.', 'evalgraph.nq', 'https://w3id.org/evalgraph/dataset'); "
                     "rdf_loader_run(); checkpoint;")  # fmt: skip
        remote = RemoteStore(endpoint)
        assert {g: remote.count(g) for g in builtin_store.graph_iris()} == {
            g: builtin_store.count(g) for g in builtin_store.graph_iris()
        }
        remote.close()
