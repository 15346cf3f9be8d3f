"""The cartography, matrix and gap queries on a national-scale graph: evalgraph vs rdflib, same data, one run.

Data: the built-in datasets (ontology, knowledge base, demo catalogue) plus a graph from
``benchmarks/national_generator.py`` (seeded): ``--establishments`` health establishments with ``--deployments``
deployments each of a few hundred generated technologies (~1.5 M triples with the defaults), and the inferred
triples: the catalogue's, derived by the qualification engine (``cartography.refresh_inferred`` on the built-in
data alone, before the national graph is added), and the generated technologies', written by the generator.

The two sides, each loaded from the same files:

* **evalgraph**: an on-disk store (``open_store(tmp path)``), ``kb.ensure_loaded``, ``store.load`` of the national
  N-Triples into a named graph, ``store.write_graph`` of the inferred triples into ``INFERRED_GRAPH``; queries with
  ``store.query(named.text, queries.bind(named, {"lang": "en"}))``, i.e. exactly what ``evalgraph`` runs;
* **rdflib**: ``rdflib.Dataset(default_union=True)``, each file parsed into the same named graph; the same query
  text with ``initBindings={"lang": Literal("en")}``. rdflib 7.6.0 as released cannot run ``cartography`` (it
  raises ``NotBoundError`` on ``GROUP_CONCAT(DISTINCT ?x)`` when ``?x`` is unbound in some solution); the script
  first shows this on the built-in data, then patches that one method (``patch_rdflib_distinct_aggregates``,
  unless ``--rdflib-unpatched``).

Timed: the loads (``--load-repeat`` times), then each of the named queries ``cartography``,
``category-pathway-matrix`` and ``evaluation-gap`` ``--repeat`` times (median), evalgraph completely first, then
rdflib (so neither side's garbage collector walks the other's heap). An rdflib run is stopped after
``--rdflib-timeout`` seconds (reported as "> N s"), and rdflib runs of one query stop once they have taken
``--rdflib-budget`` seconds in all (the number of runs is printed). The rows of both engines are compared (values
normalised: GROUP_CONCAT items sorted, literals by lexical form, language tags counted apart) as multisets, and
their order. ``--diagnose`` also times rewritten variants of the matrix and gap queries on the evalgraph store
(to locate their cost; same rows checked); ``--qualify`` times the qualification engine over every technology of
the full store, apart, at the end. ``--baseline`` also times, in the same process and on the same store, the text
of each query kept in ``benchmarks/baseline/NAME.rq`` (the matrix and gap queries as they were before issue 18,
point 5), right after the named query, and checks that it gives exactly the same rows in the same order (values as
Oxigraph returns them, language tags included). ``--queries`` runs only the named ones, ``--no-rdflib`` leaves the
rdflib side out (its load and queries).

Usage: ``python benchmarks/bench_cartography.py [--establishments 3000] [--deployments 100] [--technologies 400]
[--seed 1] [--repeat 5] [--load-repeat 1] [--rdflib-timeout 300] [--rdflib-budget 120] [--rdflib-unpatched]
[--diagnose] [--qualify] [--baseline] [--no-rdflib] [--queries NAME ...]``
"""

from __future__ import annotations

import argparse
import collections
import gc
import json
import signal
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import pyoxigraph as ox
import rdflib

sys.path.insert(0, str(Path(__file__).resolve().parent))

import national_generator  # noqa: E402

from evalgraph.store import queries  # noqa: E402
from evalgraph.cartography import report as cartography
from evalgraph.store import kb
from evalgraph.store.oxigraph import INFERRED_GRAPH, OxigraphStore, QueryResult, open_store  # noqa: E402

NATIONAL_GRAPH = "https://example.org/bench/national"
QUERIES = ("cartography", "category-pathway-matrix", "evaluation-gap")
BASELINE = Path(__file__).resolve().parent / "baseline"
LANG = "en"


class Timeout(Exception):
    pass


def patch_rdflib_distinct_aggregates() -> None:
    """Make rdflib skip unbound values in DISTINCT aggregates other than COUNT, as its COUNT already does.

    rdflib 7.6.0 raises ``NotBoundError`` on ``GROUP_CONCAT(DISTINCT ?x)`` when ``?x`` comes from an OPTIONAL and
    is unbound in some solution (``Accumulator.use_row`` evaluates ``?x`` without the ``try`` that
    ``Counter.use_row`` got for rdflib issue #2229; see also #882). The SPARQL semantics, and Oxigraph, skip such
    values. This is the same ``try``, on the base class; it does not change the work done per row."""
    from rdflib.plugins.sparql import aggregates
    from rdflib.plugins.sparql.evalutils import _eval
    from rdflib.plugins.sparql.sparql import NotBoundError

    def use_row(self: aggregates.Accumulator, row: object) -> bool:
        try:
            return _eval(self.expr, row) not in self.seen  # type: ignore[call-overload]
        except NotBoundError:
            return False

    aggregates.Accumulator.use_row = use_row  # type: ignore[method-assign]


def _alarm(signum: int, frame: object) -> None:
    raise Timeout


T = TypeVar("T")
Row = tuple[object, ...]


def with_timeout(action: Callable[[], T], seconds: float) -> tuple[float, T | Exception]:
    """Run ``action``, interrupting it (SIGALRM) after ``seconds``; returns (elapsed, result or the exception,
    :class:`Timeout` if it was stopped). rdflib is pure Python, so the signal stops it between two bytecodes."""
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    start = time.perf_counter()
    result: T | Exception
    try:
        result = action()
    except Exception as exc:  # noqa: BLE001 - Timeout, or an rdflib error: reported by the caller
        result = exc
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    return time.perf_counter() - start, result


def timed(action: Callable[[], T]) -> tuple[float, T]:
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


@dataclass
class Measure:
    """One query on both engines."""

    eg_times: list[float] = field(default_factory=list)
    eg_rows: list[Row] = field(default_factory=list)
    eg_tagged: int = 0
    rl_times: list[float] = field(default_factory=list)
    rl_rows: list[Row] | None = None
    rl_tagged: int = 0
    rl_timeout: bool = False
    rl_failed: str | None = None


# -- normalising rows of both engines to comparable tuples -------------------------------------------------------

def _text(value: str) -> str:
    return " ; ".join(sorted(value.split(" ; "))) if " ; " in value else value


# Literals are compared by lexical form only: aggregates differ in their language tag by design, not in value
# (Oxigraph's GROUP_CONCAT and SAMPLE keep the tag the values share, e.g. "radiology"@en; rdflib's GROUP_CONCAT
# returns a plain literal). Tags are counted apart (``tagged``) to report the difference.

def norm_ox(term: object) -> object:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return ("iri", term.value)
    if isinstance(term, ox.Literal):
        return ("lit", _text(term.value))
    return ("other", str(term))


def norm_rdflib(term: object) -> object:
    if term is None:
        return None
    if isinstance(term, rdflib.URIRef):
        return ("iri", str(term))
    if isinstance(term, rdflib.Literal):
        return ("lit", _text(str(term)))
    return ("other", str(term))


def tagged(row: Row) -> int:
    """How many values of ``row`` carry a language tag."""
    return sum(1 for v in row if getattr(v, "language", None))


EMPTY = ("lit", "")


def compare(rows_eg: list[Row], rows_rl: list[Row]) -> str:
    """Whether two engines' rows agree; an empty GROUP_CONCAT (no value in the group) is unbound in Oxigraph and
    "" in rdflib, which is reported apart rather than as a disagreement."""
    if len(rows_eg) != len(rows_rl):
        return f"row counts differ ({len(rows_eg)} vs {len(rows_rl)})"
    order = "same order" if rows_eg == rows_rl else "different order"
    a, b = collections.Counter(rows_eg), collections.Counter(rows_rl)
    if a == b:
        return f"same rows, {order}"
    empty = sum(1 for row in rows_rl for v in row if v == EMPTY) - sum(1 for row in rows_eg for v in row if v == EMPTY)

    def blank(rows: list[Row]) -> list[Row]:
        return [tuple(None if v == EMPTY else v for v in row) for row in rows]

    if collections.Counter(blank(rows_eg)) == collections.Counter(blank(rows_rl)):
        order = "same order" if blank(rows_eg) == blank(rows_rl) else "different order"
        return (f"same rows, {order}, except {empty} empty GROUP_CONCAT values: unbound in evalgraph, \"\" in "
                f"rdflib")
    only_eg, only_rl = a - b, b - a
    return (f"same count, {sum(only_eg.values())} rows differ; e.g. evalgraph {next(iter(only_eg))} "
            f"vs rdflib {next(iter(only_rl))}")


def variants(named: dict[str, queries.NamedQuery]) -> list[tuple[str, str, str]]:
    """Diagnostic rewrites of the matrix and gap queries (name, what changed, text); not evalgraph's queries. (The
    first run's other variants, deployments counted in a sub-select, are the named gap query's shape since then.)"""

    def literal_lang(text: str) -> str:
        assert "= ?lang)" in text
        return text.replace("= ?lang)", f'= "{LANG}")')

    return [(name, "FILTERs compare with the literal \"en\" instead of the bound ?lang",
             literal_lang(named[name].text)) for name in ("category-pathway-matrix", "evaluation-gap")]


def run_baselines(named: dict[str, queries.NamedQuery],
                  run: Callable[[str, dict[str, ox.NamedNode | ox.Literal]], tuple[list[float], QueryResult]],
                  ) -> list[dict[str, object]]:
    """Time the old text of each named query kept in ``benchmarks/baseline/`` on the same store, right after the
    named query, and say whether its rows are exactly the named query's (same values, same order); the figures."""
    figures: list[dict[str, object]] = []
    for name, query in named.items():
        path = BASELINE / f"{name}.rq"
        if not path.is_file():
            continue
        for lang in (LANG, "fr"):
            bindings = queries.bind(query, {"lang": lang})
            new_times, new = run(query.text, bindings)
            old_times, old = run(path.read_text(encoding="utf-8"), bindings)
            same = "identical rows, same order" if (old.variables, old.rows) == (new.variables, new.rows) else \
                "ROWS DIFFER"
            new_median, old_median = statistics.median(new_times), statistics.median(old_times)
            print(f"baseline {name} (lang {lang}): named query median {new_median:.3f} s "
                  f"(runs {[round(t, 3) for t in new_times]}), old text ({path.name} in benchmarks/baseline) median "
                  f"{old_median:.3f} s (runs {[round(t, 3) for t in old_times]}), {old_median / new_median:.1f}× "
                  f"faster; {len(new.rows)} rows, {same}", flush=True)
            figures.append({"query": name, "lang": lang, "named_s": new_median, "old_text_s": old_median,
                            "rows": len(new.rows), "identical": same.startswith("identical")})
    return figures


def parser() -> argparse.ArgumentParser:
    """The command's options (tests/test_docs_commands.py parses the commands of docs/benchmarks.md with it)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--establishments", type=int, default=3000)
    parser.add_argument("--deployments", type=int, default=100, help="deployments per establishment")
    parser.add_argument("--technologies", type=int, default=400)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--load-repeat", type=int, default=1)
    parser.add_argument("--rdflib-timeout", type=float, default=300.0, help="seconds before an rdflib run is stopped")
    parser.add_argument("--rdflib-budget", type=float, default=120.0,
                        help="stop repeating an rdflib query once its runs took this many seconds in all")
    parser.add_argument("--rdflib-unpatched", action="store_true",
                        help="do not patch rdflib's DISTINCT aggregates (the cartography query then fails)")
    parser.add_argument("--diagnose", action="store_true",
                        help="also time rewritten variants of the slow queries on the evalgraph store (same rows?)")
    parser.add_argument("--qualify", action="store_true",
                        help="also time the qualification engine (refresh_inferred) on the full store, at the end")
    parser.add_argument("--baseline", action="store_true",
                        help="also time the old text of each query in benchmarks/baseline/ (same rows, same order?)")
    parser.add_argument("--no-rdflib", action="store_true", help="leave out the rdflib side (load and queries)")
    parser.add_argument("--json", type=Path, metavar="PATH",
                        help="also write evalgraph's figures as JSON (bench_scale.py)")
    parser.add_argument("--queries", nargs="+", choices=QUERIES, default=list(QUERIES), metavar="NAME",
                        help=f"the named queries to run (default: all of {', '.join(QUERIES)})")
    return parser


def main() -> None:
    args = parser().parse_args()
    print(f"evalgraph bench_cartography: python {sys.version.split()[0]}, pyoxigraph {ox.__version__}, "
          f"rdflib {rdflib.__version__}; {vars(args)}", flush=True)
    named = {name: queries.load(name) for name in QUERIES if name in args.queries}
    started = time.perf_counter()

    with tempfile.TemporaryDirectory(prefix="evalgraph-bench-cartography-") as tmp:
        folder = Path(tmp)
        # -- data
        t_gen, (data_path, gen_inferred_path, counts) = timed(lambda: national_generator.write(
            folder, args.establishments, args.deployments, args.technologies, args.seed))
        print(f"generated in {t_gen:.1f} s: {counts}", flush=True)
        small = open_store(None)
        kb.ensure_loaded(small)
        catalogue_techs = cartography.refresh_inferred(small)
        catalogue_inferred = small.export([INFERRED_GRAPH])
        inferred_path = folder / "inferred.nt"
        with inferred_path.open("wb") as out:
            ox.serialize(catalogue_inferred, output=out, format=ox.RdfFormat.N_TRIPLES)
            out.write(gen_inferred_path.read_bytes())
        builtin = [(ds.graph, ds.files()) for ds in kb.DATASETS]
        print(f"inferred: {len(catalogue_inferred)} triples for the {catalogue_techs} catalogue technologies "
              f"(engine) + {counts.inferred_triples} for the generated ones", flush=True)
        init = {"lang": rdflib.Literal(LANG)}

        if not args.no_rdflib:
            # -- rdflib as released, on the built-in data only (small): which queries does it run?
            small_ds = rdflib.Dataset(default_union=True)
            for graph, files in builtin:
                for file in files:
                    small_ds.graph(rdflib.URIRef(graph)).parse(file, format="turtle")
            small_ds.graph(rdflib.URIRef(INFERRED_GRAPH)).parse(
                data=(ox.serialize(catalogue_inferred, format=ox.RdfFormat.N_TRIPLES) or b"").decode("utf-8"),
                format="nt")
            for name, query in named.items():
                try:
                    outcome = f"{len(list(small_ds.query(query.text, initBindings=init)))} rows"
                except Exception as exc:  # noqa: BLE001 - reported, this is what the check is for
                    outcome = f"fails: {type(exc).__name__}: {exc}"
                print(f"rdflib {rdflib.__version__} unpatched, built-in data only, {name}: {outcome}", flush=True)
            if not args.rdflib_unpatched:
                patch_rdflib_distinct_aggregates()
                print("rdflib patched: unbound values skipped in DISTINCT aggregates "
                      "(patch_rdflib_distinct_aggregates)")
                # agreement on the built-in data, where rdflib finishes every query
                for name, query in named.items():
                    rows_eg = [tuple(norm_ox(v) for v in row)
                               for row in small.query(query.text, queries.bind(query, {"lang": LANG})).rows]
                    solutions = small_ds.query(query.text, initBindings=init)
                    rows_rl = [tuple(norm_rdflib(v) for v in row) for row in solutions]  # type: ignore[union-attr]
                    print(f"built-in data only, {name}: evalgraph {len(rows_eg)} rows, rdflib {len(rows_rl)} rows: "
                          f"{compare(rows_eg, rows_rl)}", flush=True)
            del small_ds
        small.close()

        # -- evalgraph: load, then queries
        def load_evalgraph() -> OxigraphStore:
            store = open_store(folder / f"store-{time.monotonic_ns()}")
            kb.ensure_loaded(store)
            store.load([data_path], NATIONAL_GRAPH)
            triples = ox.parse(path=str(inferred_path), format=ox.RdfFormat.N_TRIPLES)
            store.write_graph(triples, INFERRED_GRAPH, source="benchmarks/national_generator.py")
            return store

        load_times_eg: list[float] = []
        store: OxigraphStore | None = None
        for _ in range(args.load_repeat):
            if store is not None:
                store.close()
            elapsed, store = timed(load_evalgraph)
            load_times_eg.append(elapsed)
        assert store is not None
        total = store.count()
        print(f"evalgraph load: {statistics.median(load_times_eg):.1f} s "
              f"(runs {[round(t, 1) for t in load_times_eg]}); "
              f"store holds {total:,} quads in all graphs (national {store.count(NATIONAL_GRAPH):,}, "
              f"inferred {store.count(INFERRED_GRAPH):,})", flush=True)

        def run_evalgraph(text: str, bindings: dict[str, ox.NamedNode | ox.Literal]) -> tuple[list[float], QueryResult]:
            times, result = [], None
            for _ in range(args.repeat):
                elapsed, result = timed(lambda: store.query(text, bindings))
                times.append(elapsed)
            assert result is not None
            return times, result

        results: dict[str, Measure] = {}
        for name, query in named.items():
            times, result = run_evalgraph(query.text, queries.bind(query, {"lang": LANG}))
            results[name] = Measure(eg_times=times, eg_rows=[tuple(norm_ox(v) for v in row) for row in result.rows],
                                    eg_tagged=sum(tagged(row) for row in result.rows))
            print(f"evalgraph {name}: median {statistics.median(times):.3f} s, runs "
                  f"{[round(t, 3) for t in times]}, {len(result.rows)} rows", flush=True)

        baseline = run_baselines(named, run_evalgraph) if args.baseline else []
        if args.json:
            args.json.write_text(json.dumps({
                "quads": total, "load_s": statistics.median(load_times_eg), "baseline": baseline,
                "queries": [{"query": name, "lang": LANG, "median_s": statistics.median(m.eg_times),
                             "rows": len(m.eg_rows)} for name, m in results.items()]}, indent=1), encoding="utf-8")

        if args.diagnose and {"category-pathway-matrix", "evaluation-gap"} <= set(named):
            for name, change, text in variants(named):
                times, result = run_evalgraph(text, queries.bind(named[name], {"lang": LANG}))
                rows = [tuple(norm_ox(v) for v in row) for row in result.rows]
                print(f"diagnose {name} ({change}): median {statistics.median(times):.3f} s, "
                      f"{len(rows)} rows, vs the named query: {compare(results[name].eg_rows, rows)}", flush=True)

        # -- rdflib: load, then queries
        def load_rdflib() -> rdflib.Dataset:
            dataset = rdflib.Dataset(default_union=True)
            for graph, files in builtin:
                for file in files:
                    dataset.graph(rdflib.URIRef(graph)).parse(file, format="turtle")
            dataset.graph(rdflib.URIRef(NATIONAL_GRAPH)).parse(data_path, format="nt")
            dataset.graph(rdflib.URIRef(INFERRED_GRAPH)).parse(inferred_path, format="nt")
            return dataset

        load_times_rl: list[float] = []
        dataset: rdflib.Dataset | None = None
        for _ in range(0 if args.no_rdflib else args.load_repeat):
            dataset = None
            gc.collect()
            elapsed, dataset = timed(load_rdflib)
            load_times_rl.append(elapsed)
        rl_triples = 0 if dataset is None else len(dataset)
        if dataset is not None:
            print(f"rdflib load: {statistics.median(load_times_rl):.1f} s "
                  f"(runs {[round(t, 1) for t in load_times_rl]}); {rl_triples:,} triples in the union", flush=True)

        for name, query in named.items() if dataset is not None else ():
            m, spent = results[name], 0.0
            def run_rdflib(text: str = query.text, ds: rdflib.Dataset = dataset) -> list[Row]:
                return [tuple(row) for row in ds.query(text, initBindings=init)]  # type: ignore[arg-type]

            for _ in range(args.repeat):
                elapsed, rl_result = with_timeout(run_rdflib, args.rdflib_timeout)
                spent += elapsed
                if isinstance(rl_result, Timeout):
                    m.rl_timeout = True
                    break
                if isinstance(rl_result, Exception):
                    m.rl_failed = f"{type(rl_result).__name__}: {rl_result}"
                    break
                m.rl_times.append(elapsed)
                m.rl_rows = [tuple(norm_rdflib(v) for v in row) for row in rl_result]
                m.rl_tagged = sum(tagged(row) for row in rl_result)
                if spent >= args.rdflib_budget:
                    break
            shown = f"> {args.rdflib_timeout:.0f} s (stopped)" if m.rl_timeout else \
                f"failed: {m.rl_failed}" if m.rl_failed else \
                f"median {statistics.median(m.rl_times):.3f} s of {len(m.rl_times)} runs " \
                f"{[round(t, 3) for t in m.rl_times]}"
            print(f"rdflib {name}: {shown}" + ("" if m.rl_rows is None else f", {len(m.rl_rows)} rows"), flush=True)

        # -- summary
        eg_load = statistics.median(load_times_eg)
        rl_load = statistics.median(load_times_rl) if load_times_rl else float("nan")
        print()
        print(f"data: {total:,} quads in the evalgraph store ({rl_triples:,} triples in rdflib's union); "
              f"{counts.establishments:,} establishments × {args.deployments} deployments, "
              f"{counts.technologies} generated technologies ({counts.gap_technologies} in the evaluation gap)")
        print(f"load: evalgraph {eg_load:.1f} s, " + ("rdflib not run" if args.no_rdflib else
                                                     f"rdflib {rl_load:.1f} s, ratio {rl_load / eg_load:.1f}×"))
        print(f"{'query':<24} {'evalgraph s':>11} {'rdflib s':>12} {'ratio':>8} {'rows eg':>8} {'rows rl':>8}  "
              f"{'< 1 s':<5}  {'≤ 0.3 s':<7}  agreement")
        for name, m in results.items():
            eg = statistics.median(m.eg_times)
            if m.rl_timeout:
                rl_text, ratio_text = f"> {args.rdflib_timeout:.0f}", f"> {args.rdflib_timeout / eg:.0f}×"
            elif m.rl_failed:
                rl_text, ratio_text = "failed", "-"
            elif not m.rl_times:
                rl_text, ratio_text = "-", "-"
            else:
                rl = statistics.median(m.rl_times)
                rl_text, ratio_text = f"{rl:.3f}", f"{rl / eg:.1f}×"
            agreement = "rdflib not run" if args.no_rdflib else f"rdflib: {m.rl_failed}" if m.rl_failed else \
                "rdflib did not finish" if m.rl_rows is None \
                else compare(m.eg_rows, m.rl_rows)
            print(f"{name:<24} {eg:>11.3f} {rl_text:>12} {ratio_text:>8} {len(m.eg_rows):>8} "
                  f"{'-' if m.rl_rows is None else len(m.rl_rows):>8}  {'yes' if eg < 1 else 'NO':<5}  "
                  f"{'yes' if eg <= 0.3 else 'NO':<7}  {agreement}")
            if m.rl_rows is not None and m.eg_tagged != m.rl_tagged:
                print(f"{'':<24} (language-tagged values: evalgraph {m.eg_tagged}, rdflib {m.rl_tagged}; "
                      f"compared without tags)")

        if args.qualify:
            dataset = None
            gc.collect()
            gap_query = ("SELECT ?t WHERE { GRAPH <" + INFERRED_GRAPH + "> { ?t <" + national_generator.EG +
                         "inEvaluationGap> true } }")
            generated_gap = {row[0] for row in store.query(gap_query).rows}
            elapsed, qualified = timed(lambda: cartography.refresh_inferred(store))
            engine_gap = {row[0] for row in store.query(gap_query).rows}
            print(f"\nqualification engine (refresh_inferred) on the full store: {qualified} technologies in "
                  f"{elapsed:.1f} s ({elapsed / qualified * 1000:.0f} ms each); inferred graph now "
                  f"{store.count(INFERRED_GRAPH):,} triples; in the evaluation gap: {len(generated_gap)} as written, "
                  f"{len(engine_gap)} by the engine, {len(generated_gap & engine_gap)} in both", flush=True)
        store.close()
    print(f"whole run: {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
