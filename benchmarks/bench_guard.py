"""What the SPARQL guard costs: evalgraph's check (canonical form + rdflib's parser + the algebra decisions) against
Oxigraph's own parser (the baseline: what running the query costs before any evaluation), on the same texts.

Inputs, each timed ``--repeat`` times (median reported; the guard's result cache is cleared before every run):

* the named queries in queries/ (what the web UI and the reports send);
* the positive W3C SPARQL 1.1 query syntax tests (tests/data/w3c-sparql11/syntax-query);
* adversarial bodies of about 1 MB (the ones that froze the old token guard), guard only when Oxigraph refuses
  them: for those the figure is the time before the refusal.

Usage: ``python benchmarks/bench_guard.py [--repeat 5] [--smoke]`` (``--smoke``: one repeat, small bodies, for CI).
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

from evalgraph.errors import EvalgraphError
from evalgraph.store import guard as sparql_guard

ROOT = Path(__file__).resolve().parent.parent
EVERY_GRAPH = frozenset({"https://w3id.org/evalgraph/graph/kb"})


def median_time(action: Callable[[], object], repeat: int) -> tuple[float, str]:
    times, outcome = [], "ok"
    for _ in range(repeat):
        sparql_guard._check_query_cached.cache_clear()
        start = time.perf_counter()
        try:
            action()
        except (EvalgraphError, SyntaxError, ValueError, RuntimeError, OSError) as exc:
            outcome = type(exc).__name__
        times.append(time.perf_counter() - start)
    return statistics.median(times), outcome


def oxigraph_parse(text: str, base: str) -> None:
    ox.Store().query(text, base_iri=base)  # an empty store, lazy results: parsing and planning only


def inputs(smoke: bool) -> list[tuple[str, str, str]]:
    size = 20_000 if smoke else 999_000
    found = [(f"named query {p.stem}", p.read_text(encoding="utf-8"), "http://localhost/sparql")
             for p in sorted((ROOT / "queries").glob("*.rq"))]
    w3c = sorted((ROOT / "tests/data/w3c-sparql11/syntax-query").glob("syntax-*.rq"))
    found += [(f"W3C {p.name}", p.read_text(encoding="utf-8"), p.resolve().as_uri()) for p in w3c]
    found += [
        ("1 MB of escaped quotes", 'SELECT * WHERE { ?s ?p "' + '\\"' * ((size - 30) // 2) + '" }', "http://x/"),
        ("1 MB of CR-ended comments", "#\r" * ((size - 10) // 2) + "ASK {}", "http://x/"),
        ("1 MB of a.a.a…", "SELECT * WHERE { " + "a." * ((size - 20) // 2) + "}", "http://x/"),
    ]
    return found


def parser() -> argparse.ArgumentParser:
    """The command's options (tests/test_docs_commands.py parses the commands of docs/benchmarks.md with it)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--smoke", action="store_true", help="one repeat on small inputs (CI)")
    return parser


def main() -> None:
    args = parser().parse_args()
    repeat = 1 if args.smoke else args.repeat
    rows = []
    for name, text, base in inputs(args.smoke):
        guard, outcome = median_time(
            lambda text=text, base=base: sparql_guard.check_query(text, EVERY_GRAPH, base_iri=base), repeat)
        engine, engine_outcome = median_time(lambda text=text, base=base: oxigraph_parse(text, base), repeat)
        rows.append((name, len(text), guard, outcome, engine, engine_outcome))
    print(f"{'input':45} {'bytes':>9} {'guard ms':>9} {'oxigraph ms':>12} {'ratio':>7}  guard / oxigraph outcome")
    for name, size, guard, outcome, engine, engine_outcome in rows:
        ratio = f"{guard / engine:7.1f}" if engine > 0 else "      -"
        print(f"{name[:45]:45} {size:9d} {guard * 1000:9.2f} {engine * 1000:12.3f} {ratio}  {outcome} / "
              f"{engine_outcome}")
    named = [r for r in rows if r[0].startswith("named query")]
    w3c = [r for r in rows if r[0].startswith("W3C")]
    for label, group in (("named queries", named), ("W3C syntax-query positive", w3c)):
        print(f"{label}: median guard {statistics.median(r[2] for r in group) * 1000:.2f} ms, median Oxigraph "
              f"{statistics.median(r[4] for r in group) * 1000:.3f} ms, median ratio "
              f"{statistics.median(r[2] / r[4] for r in group):.0f}x over {len(group)} texts")


if __name__ == "__main__":
    main()
