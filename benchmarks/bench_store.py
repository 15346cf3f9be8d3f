"""Load and query the evalgraph store against rdflib (the baseline) on the same data, and print the ratios.

The data are the built-in datasets (ontology, knowledge base, demo catalogue). To see how each side scales, the
knowledge base and catalogue are replicated ``--copies`` times with their individuals renamed (``…/id/copyN/…``),
so every copy is a distinct set of facts of the same shape; the ontology is loaded once.

Measured, each ``--repeat`` times (median reported):

* load: evalgraph ``OxigraphStore.load`` (parse everything, atomic write to an on-disk store) vs
  ``rdflib.Dataset.parse`` into memory;
* query: the named queries ``summary-counts`` and every ``*-violation`` query run by ``evalgraph check`` —
  evalgraph (pyoxigraph) vs rdflib's own SPARQL engine, over the union of the graphs on both sides.

Usage: ``python benchmarks/bench_store.py [--copies 1 10 50] [--repeat 3]``
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import rdflib

from evalgraph import resources
from evalgraph.store import kb
from evalgraph.store.oxigraph import open_store

ID = "https://w3id.org/evalgraph/id/"


def build_data(copies: int, folder: Path) -> list[tuple[Path, str]]:
    """N-Triples files (and their target graphs): the ontology once, the KB and catalogue ``copies`` times."""
    out = []
    for dataset in kb.DATASETS:
        triples = [t for f in dataset.files() for t in ox.parse(path=str(f), format=ox.RdfFormat.TURTLE)]
        rounds = 1 if dataset.name == "ontology" else copies
        for copy in range(rounds):
            path = folder / f"{dataset.name}-{copy}.nt"

            def rename(term: ox.NamedNode | ox.BlankNode | ox.Literal, copy: int = copy) -> object:
                if isinstance(term, ox.NamedNode) and term.value.startswith(ID):
                    return ox.NamedNode(f"{ID}copy{copy}/{term.value[len(ID):]}")
                return term

            renamed = [ox.Triple(rename(t.subject), t.predicate, rename(t.object)) for t in triples]  # type: ignore[arg-type]
            ox.serialize(renamed, output=str(path), format=ox.RdfFormat.N_TRIPLES)
            out.append((path, f"https://example.org/bench/{dataset.name}/{copy}"))
    return out


def timed(action: Callable[[], object], repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def parser() -> argparse.ArgumentParser:
    """The command's options (tests/test_docs_commands.py parses the commands of docs/benchmarks.md with it)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, nargs="+", default=[1, 10, 50])
    parser.add_argument("--repeat", type=int, default=3)
    return parser


def main() -> None:
    args = parser().parse_args()
    query_names = ["summary-counts"] + [n for n in resources.names("queries") if n.endswith("-violation")]
    queries = {name: resources.read_text("queries", name) for name in query_names}

    print(f"{'copies':>6} {'triples':>9} | {'load evalgraph':>14} {'load rdflib':>11} {'ratio':>6} | "
          f"{'queries evalgraph':>17} {'queries rdflib':>14} {'ratio':>6}")
    for copies in args.copies:
        with tempfile.TemporaryDirectory(prefix="evalgraph-bench-") as tmp:
            folder = Path(tmp)
            files = build_data(copies, folder)

            def load_evalgraph() -> object:
                store = open_store(folder / f"store-{time.monotonic_ns()}")
                for path, graph in files:
                    store.load([path], graph)
                return store

            def load_rdflib() -> rdflib.Dataset:
                dataset = rdflib.Dataset(default_union=True)
                for path, graph in files:
                    dataset.graph(rdflib.URIRef(graph)).parse(path, format="nt")
                return dataset

            t_load_eg, store = timed(load_evalgraph, args.repeat)
            t_load_rl, dataset = timed(load_rdflib, args.repeat)
            triples = store.count()  # type: ignore[attr-defined]

            def query_evalgraph() -> list[int]:
                return [len(store.query(text)) for text in queries.values()]  # type: ignore[attr-defined]

            def query_rdflib() -> list[int]:
                return [len(list(dataset.query(text))) for text in queries.values()]  # type: ignore[union-attr]

            t_q_eg, rows_eg = timed(query_evalgraph, args.repeat)
            t_q_rl, rows_rl = timed(query_rdflib, max(1, args.repeat))
            if rows_eg != rows_rl:
                print(f"   warning: row counts differ: evalgraph {rows_eg} vs rdflib {rows_rl}")
            print(f"{copies:>6} {triples:>9} | {t_load_eg:>13.2f}s {t_load_rl:>10.2f}s {t_load_rl / t_load_eg:>5.1f}× | "
                  f"{t_q_eg:>16.3f}s {t_q_rl:>13.3f}s {t_q_rl / t_q_eg:>5.1f}×")


if __name__ == "__main__":
    main()
