"""Import the five market registries and qualify every product, on a fresh on-disk store; time entity resolution
against a named baseline on the same records.

Measured (``--repeat`` runs, median):

* (a) ``evalgraph.market.import_file`` for each registry file, in order FDA, HAIR, DLinRT, EUDAMED crosswalk, adverse
  events (with the MAUDE reports file), into a fresh on-disk store holding the built-in graphs — what
  ``evalgraph import <source> FILE`` does; target: all five in under 30 s;
* (b) ``qualify --all`` over every technology of that store (facts read in one pass, every technology qualified, the
  inferred graph replaced); target: under 10 s for ~1,900 products; **baseline**: the same with the results the
  model keeps per fact pattern emptied before each technology (walks and eligibility evaluated afresh for every one,
  as before issue 16); ratio = baseline / evalgraph;
* (c) entity resolution of the HAIR records against the FDA market: evalgraph's index (:class:`evalgraph.market.
  resolve.Index`: blocking by identifier, compact name and manufacturer's first word) versus the **baseline**, the
  naive comparison of each record with every known technology by the same decision function
  (:func:`evalgraph.market.names.decide`) — same records, same decisions expected; ratio = baseline / evalgraph.

The registry files are those of ``--data`` (default: ``../shared/data`` next to the checkout; the HAIR and DLinRT
files are not redistributed with evalgraph: get them as docs/market.md says).

Usage: ``.venv/bin/python benchmarks/bench_market.py [--data DIR] [--repeat 3]``
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from evalgraph.market import import_file, readers
from evalgraph.market.names import decide
from evalgraph.market.resolve import Index
from evalgraph.qualification import engine as q
from evalgraph.store import kb
from evalgraph.store.oxigraph import INFERRED_GRAPH, OxigraphStore, open_store, read_bytes

FILES = (
    ("fda", "fda-ai-devices/ai-ml-enabled-devices_2025-12-30.csv", None),
    ("hair", "hair-health-ai-register/hair_products_2026-06-17.csv", None),
    ("dlinrt", "dlinrt-rt-ai-products/dlinrt_products.json", None),
    ("eudamed-crosswalk", "eudamed-fda-crosswalk-sample/eudamed_fda_crosswalk_confirmed_sample.csv", None),
    ("fda-adverse-events", "fda-ai-mdr-adverse-events/babic2025_823_fda_ai_510k_devices_with_ae_counts.csv",
     "fda-ai-mdr-adverse-events/babic2025_943_mdr_reports.csv"),
)  # fmt: skip


def qualify_all(store: OxigraphStore, *, shared: bool = True) -> int:
    """What ``qualify --all`` does; ``shared=False`` is the baseline: the results the model keeps per fact pattern are
    emptied before each technology, so walks and eligibility are evaluated afresh for every one (as before issue
    16)."""
    model = q.DecisionModel(store)
    techs = q.technologies(store)
    facts = q.read_all_facts(store)
    triples = []
    for iri, _labels in techs:
        if not shared:
            model.compiled.results.clear()
        triples.extend(q.inferred_triples(q.qualify(model, facts.get(iri, q.Facts(iri)))))
    store.write_graph(triples, INFERRED_GRAPH, source="evalgraph qualify --all")
    return len(techs)


def run_once(data: Path) -> dict[str, float]:
    folder = Path(tempfile.mkdtemp(prefix="evalgraph-bench-market-"))
    try:
        store = open_store(folder / "store")
        kb.ensure_loaded(store)
        times: dict[str, float] = {}
        for key, name, extra in FILES:
            start = time.perf_counter()
            report = import_file(store, key, data / name, reports=data / extra if extra else None)
            times[key] = time.perf_counter() - start
            times[f"{key} records"] = report.records
        start = time.perf_counter()
        times["technologies"] = qualify_all(store)
        times["qualify --all"] = time.perf_counter() - start
        start = time.perf_counter()
        qualify_all(store, shared=False)
        times["qualify baseline"] = time.perf_counter() - start
        store.close()
        return times
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def resolution(data: Path) -> tuple[float, float, int]:
    """Seconds for evalgraph's index and for the naive baseline to decide the HAIR records against the FDA market,
    and the number of records on which they disagree (0 expected)."""
    store = open_store(None)
    kb.ensure_loaded(store)
    import_file(store, "fda", data / FILES[0][1])
    entries, _ = readers.read_hair(data / FILES[1][1], read_bytes(data / FILES[1][1]))
    start = time.perf_counter()
    index = Index.from_store(store)
    ours = [sorted(t for t, d in index._decisions(e).items() if d == "same") for e in entries]
    indexed = time.perf_counter() - start
    start = time.perf_counter()
    index = Index.from_store(store)
    naive = []
    for e in entries:
        same = []
        for technology, known in index.known.items():
            pairs = [(n, m) for n in known.names for m in known.makers or {""}]
            if any(decide(e.name, e.maker, n, m) == "same" for n, m in pairs):
                same.append(technology)
        naive.append(sorted(same))
    baseline = time.perf_counter() - start
    return indexed, baseline, sum(a != b for a, b in zip(ours, naive, strict=True))


def parser() -> argparse.ArgumentParser:
    """The command's options (tests/test_docs_commands.py parses the commands of docs/benchmarks.md with it)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=Path(__file__).resolve().parent.parent.parent / "shared" / "data")
    parser.add_argument("--repeat", type=int, default=3)
    return parser


def main() -> None:
    args = parser().parse_args()
    runs = [run_once(args.data) for _ in range(args.repeat)]
    print(f"| step | records | median s (of {args.repeat}) |\n|---|---:|---:|")
    for key, _name, _extra in FILES:
        print(f"| import {key} | {int(runs[0][f'{key} records']):,} | {statistics.median(r[key] for r in runs):.2f} |")
    total = statistics.median(sum(r[k] for k, _n, _e in FILES) for r in runs)
    print(f"| **all five imports** | | **{total:.2f}** |")
    qualify = statistics.median(r["qualify --all"] for r in runs)
    baseline = statistics.median(r["qualify baseline"] for r in runs)
    print(f"| qualify --all | {int(runs[0]['technologies']):,} technologies | {qualify:.2f} |")
    print(f"| baseline: qualify --all, walks and eligibility afresh per technology | | {baseline:.2f} |")
    print(f"\nqualify --all: {qualify:.2f} s, baseline {baseline:.2f} s, ratio {baseline / qualify:.1f}×")
    indexed, baseline, disagreements = resolution(args.data)
    print(f"\nresolution of the HAIR records against the FDA market: evalgraph index {indexed:.2f} s, naive pairwise "
          f"baseline {baseline:.2f} s, ratio {baseline / indexed:.1f}×, disagreements {disagreements}")  # fmt: skip


if __name__ == "__main__":
    main()
