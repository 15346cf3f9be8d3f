"""Loading at national scale: ``evalgraph load`` against Oxigraph's own bulk loader, same file, one run.

The data is the national generator's deployment graph (benchmarks/national_generator.py, seeded): 600
establishments give 310,936 N-Triples, 3,000 give 1.53 M. Each measure starts from a fresh on-disk store (the
built-in graphs are not loaded: only the file is timed), ``--repeat`` times, median reported:

* ``evalgraph`` — ``OxigraphStore.load`` into a new graph: all-or-nothing, provenance recorded (the bulk path of
  evalgraph.store.bulk);
* ``evalgraph replace`` — the same file loaded again over the graph it filled (the staging-graph path: the old
  content stays until the new one is complete, then one transaction swaps them);
* ``bulk_load`` — pyoxigraph's ``Store.bulk_load`` of the file into a named graph, nothing else;
* ``oxigraph load`` — the ``oxigraph`` command line's loader, when installed (the bench and test extras bring it).

Sanity checks (exit 1 when one fails): every side ends with the same number of triples.

Usage: ``python benchmarks/bench_load.py [--establishments 600 3000] [--repeat 3] [--no-replace] [--json PATH]``
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parent))
import national_generator  # noqa: E402 - the benchmark's own generator, beside it

from evalgraph.store.oxigraph import open_store  # noqa: E402

GRAPH = "https://example.org/bench/national"


def timed(action: Callable[[Path], int], folder: Path, repeat: int) -> tuple[float, int]:
    """Median seconds of ``action`` on a fresh store folder each time, and the triples it reports."""
    times, triples = [], 0
    for run in range(repeat):
        store = folder / f"store-{run}"
        start = time.perf_counter()
        triples = action(store)
        times.append(time.perf_counter() - start)
        shutil.rmtree(store, ignore_errors=True)
    return statistics.median(times), triples


def parser() -> argparse.ArgumentParser:
    """The command's options (tests/test_docs_commands.py parses the commands of docs/benchmarks.md with it)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--establishments", type=int, nargs="+", default=[600, 3000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-replace", action="store_true", help="skip the replace measure (minutes at 1.5 M)")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the figures as JSON (bench_scale.py)")
    return parser


def main() -> None:
    args = parser().parse_args()
    oxigraph_cli = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")

    def evalgraph_load(folder: Path, data: Path) -> int:
        store = open_store(folder)
        triples = store.load([data], GRAPH).triples
        store.close()
        return triples

    def evalgraph_replace(folder: Path, data: Path) -> int:
        store = open_store(folder)
        store.load([data], GRAPH)
        start = time.perf_counter()
        triples = store.load([data], GRAPH).triples
        store.close()
        replace_times.append(time.perf_counter() - start)
        return triples

    def bulk_load(folder: Path, data: Path) -> int:
        store = ox.Store(str(folder))
        store.bulk_load(path=str(data), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(GRAPH))
        store.flush()
        return len(store)

    def oxigraph_load(folder: Path, data: Path) -> int:
        subprocess.run([oxigraph_cli, "load", "--location", str(folder), "--file", str(data), "--graph", GRAPH],
                       check=True, capture_output=True)  # fmt: skip
        return len(ox.Store.read_only(str(folder)))

    print(f"{'triples':>9} | {'evalgraph s':>11} {'triples/s':>10} | {'replace s':>9} | {'bulk_load s':>11} "
          f"{'triples/s':>10} | {'oxigraph load s':>15} | {'evalgraph / bulk_load':>21}")  # fmt: skip
    failed = False
    figures: list[dict[str, float]] = []
    for establishments in args.establishments:
        with tempfile.TemporaryDirectory(prefix="evalgraph-bench-load-") as tmp:
            folder = Path(tmp)
            data, _, counts = national_generator.write(folder, establishments, 100, 400, 1)
            ours, n_ours = timed(lambda f: evalgraph_load(f, data), folder, args.repeat)
            replace_times: list[float] = []
            _, n_replace = (timed(lambda f: evalgraph_replace(f, data), folder, args.repeat)
                            if not args.no_replace else (0.0, n_ours))  # fmt: skip
            replace = statistics.median(replace_times) if replace_times else float("nan")
            theirs, n_theirs = timed(lambda f: bulk_load(f, data), folder, args.repeat)
            cli, n_cli = (timed(lambda f: oxigraph_load(f, data), folder, args.repeat)
                          if Path(oxigraph_cli).exists() else (float("nan"), n_theirs))  # fmt: skip
            failed |= len({counts.triples, n_ours, n_replace, n_theirs, n_cli}) != 1
            print(f"{counts.triples:>9,} | {ours:>11.2f} {counts.triples / ours:>10,.0f} | {replace:>9.2f} | "
                  f"{theirs:>11.2f} {counts.triples / theirs:>10,.0f} | {cli:>15.2f} | {theirs / ours:>20.2f}×")
            figures.append({"triples": counts.triples, "evalgraph_s": ours, "replace_s": replace,
                            "bulk_load_s": theirs, "oxigraph_load_s": cli})  # fmt: skip
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1), encoding="utf-8")
    if failed:
        print("sanity check failed: the sides hold different numbers of triples")
        sys.exit(1)


if __name__ == "__main__":
    main()
