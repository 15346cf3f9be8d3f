"""Validate a generated batch of dossiers with evalgraph's engine and with plain pySHACL (the baseline), same data,
one run, and print the rates and their ratio.

The dossiers come from ``benchmarks/dossier_generator.py`` (seeded: the same ``--seed`` gives the same batch): AI,
non-AI and generative-AI technologies, medical devices of classes I to III and IVDs, with and without studies,
measures, confidence intervals and assessment claims (PECAN, LPPR brand name, LATM, ANS certificate), some complete,
some with omissions, some with typical faults. Each side starts from the dossier's Turtle text:

* evalgraph: ``pyoxigraph.parse`` then ``validation.Engine.validate`` (shapes and support graph loaded once, the
  load timed apart), which returns the full report with its findings;
* baseline: ``rdflib.Graph.parse`` then ``pyshacl.validate(data, shacl_graph=shapes, ont_graph=ontology,
  inference="rdfs", advanced=True)``, with ``shapes`` the rdflib graph of ``shapes/*.ttl``, ``ontology`` the rdflib
  graph of ``ontology/**/*.ttl`` and ``kb/*.ttl`` (both parsed once) and ``data`` the dossier *plus* the ontology/KB
  triples. ``advanced=True`` because the shapes use SPARQL targets and constraints (without it pySHACL ignores
  them). The ontology/KB go into the data graph too because pySHACL copies from ``ont_graph`` only the ontology's
  axioms (classes, properties), not the SKOS concepts and knowledge-base pathways the shapes check against: the
  issue's literal call (dossier alone as data graph) reports every concept-scheme check as failed. That literal
  call is still timed, on ``--literal-count`` dossiers, and its disagreement printed.

Measured: dossiers per second for both sides (the baseline, ~1.6 s per dossier on 2 shared cores, runs on
``--baseline-count`` dossiers evenly spread over the batch, and the ratio is computed on those same dossiers, engine
included; the engine's rate over the whole batch is printed too), median and p90 per dossier, and the median of the
*typical* dossier (a complete AI medical device: MDR class IIa with its notified body and certificate, one MRMC
reader study with two measures and their confidence intervals, one PECAN claim) over ``--typical-runs`` warm runs of
each side, alternating. The run also checks that both sides report the same set of (focus node, shape, severity) on
every dossier the baseline validated, restricted to the dossier's own nodes (the baseline also validates the
ontology and knowledge base it is given), and that the engine gives complete dossiers no finding and the others the
findings their omissions and faults call for.

Usage: ``python benchmarks/bench_validate.py [--count 1000] [--seed 1] [--baseline-count 300] [--literal-count 50]
[--typical-runs 30]`` (``--baseline-count 0``: the whole batch, ~27 min for 1,000 dossiers).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TypeVar

import pyoxigraph as ox
import pyshacl
import rdflib
from rdflib import SH, BNode, URIRef
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

sys.path.insert(0, str(Path(__file__).resolve().parent))

from dossier_generator import Dossier, generate, typical  # noqa: E402

import evalgraph  # noqa: E402
from evalgraph import resources  # noqa: E402
from evalgraph.dossiers import validation  # noqa: E402

Key = tuple[str, str, str]  # focus node, shape, severity
T = TypeVar("T")


# ------------------------------------------------------------------------------------------------- both sides


def engine_validate(engine: validation.Engine, text: str) -> validation.Report:
    triples = [ox.Triple(q.subject, q.predicate, q.object)
               for q in ox.parse(text.encode("utf-8"), format=ox.RdfFormat.TURTLE)]
    return engine.validate(triples, file="bench", lang="en")


def baseline_validate(shapes: rdflib.Graph, ontology: rdflib.Graph, text: str, *, literal: bool = False) -> rdflib.Graph:
    """The baseline: the dossier *and the ontology/KB triples* as data graph, the ontology/KB as ``ont_graph``.

    pySHACL copies from ``ont_graph`` only the ontology's axioms (classes and properties), not SKOS concepts nor
    knowledge-base individuals, so the dossier alone as data graph (``literal=True``, the call as the issue words
    it) cannot see the concept schemes and pathways the shapes check against; its ``PYSHACL_USE_FULL_MIXIN``
    switch, which would copy everything, crashes in pySHACL 0.40.1. Adding the ontology/KB to the data graph is
    the plain way to give pySHACL the same facts the engine's support graph gives it.
    """
    data = rdflib.Graph()
    if not literal:
        data += ontology
    data.parse(data=text, format="turtle")
    _conforms, report, _text = pyshacl.validate(data, shacl_graph=shapes, ont_graph=ontology, inference="rdfs",
                                                advanced=True)
    return report  # type: ignore[no-any-return]


def load_baseline() -> tuple[rdflib.Graph, rdflib.Graph]:
    shapes = rdflib.Graph()
    for file in resources.files("shapes", ".ttl"):
        shapes.parse(file, format="turtle")
    ontology = rdflib.Graph()
    for kind in ("ontology", "kb"):
        for file in resources.files(kind, ".ttl"):
            ontology.parse(file, format="turtle")
    return shapes, ontology


def keys(report: rdflib.Graph, shapes: rdflib.Graph) -> set[Key]:
    """(focus, shape, severity) of every result; a blank-node shape is named after the node shape holding it."""
    out = set()
    for result in report.objects(None, SH.result):
        focus = report.value(result, SH.focusNode)
        shape = report.value(result, SH.sourceShape)
        if isinstance(shape, BNode):
            parent = shapes.value(None, SH.property, shape)
            shape = parent if isinstance(parent, URIRef) else BNode("anonymous")
        severity = str(report.value(result, SH.resultSeverity)).rsplit("#", 1)[-1]
        out.add((f"_:{focus}" if isinstance(focus, BNode) else str(focus), str(shape), severity))
    return out


def own_nodes(text: str) -> set[str]:
    return {q.subject.value if isinstance(q.subject, ox.NamedNode) else f"_:{q.subject.value}"
            for q in ox.parse(text.encode("utf-8"), format=ox.RdfFormat.TURTLE)}


# ------------------------------------------------------------------------------------------------- statistics


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def timed(action: Callable[[], T]) -> tuple[float, T]:
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def progress() -> Progress:
    return Progress(TextColumn("{task.description:<28}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    TextColumn("eta"), TimeRemainingColumn(), transient=False)


def short(iri: str) -> str:
    return iri.rsplit("/", 1)[-1]


def spread(count: int, subset: int) -> list[int]:
    """``subset`` indices evenly spread over ``range(count)`` (so the subset keeps the batch's mix)."""
    if subset >= count:
        return list(range(count))
    return sorted({int(i * count / subset) for i in range(subset)})


# -------------------------------------------------------------------------------------------------------- main


@dataclass
class Agreement:
    """How a baseline's findings compare with the engine's, on the dossier's own nodes."""

    dossiers: int = 0
    mismatched: int = 0
    only_engine: Counter[str] = field(default_factory=Counter)
    only_base: Counter[str] = field(default_factory=Counter)
    examples: dict[str, str] = field(default_factory=dict)
    outside: list[int] = field(default_factory=list)  # baseline findings on ontology/KB nodes, per dossier

    def add(self, dossier: Dossier, nodes: set[str], engine: set[Key], base: set[Key]) -> None:
        self.dossiers += 1
        base_own = {k for k in base if k[0] in nodes}
        eng_own = {k for k in engine if k[0] in nodes}
        self.outside.append(len(base) - len(base_own))
        if eng_own == base_own:
            return
        self.mismatched += 1
        for side, found, counter in (("E", eng_own - base_own, self.only_engine),
                                     ("B", base_own - eng_own, self.only_base)):
            for _focus, shape, severity in found:
                label = f"{short(shape)} ({severity})"
                counter[label] += 1
                self.examples.setdefault(f"{side} {label}",
                                         f"{dossier.name} [{dossier.kind}: {', '.join(dossier.changes) or '-'}]")

    def print(self, title: str, limit: int | None = None) -> None:
        print(f"{title}: {self.dossiers - self.mismatched} of {self.dossiers} dossiers identical, "
              f"{self.mismatched} differ")
        for label, n in self.only_engine.most_common(limit):
            print(f"   only evalgraph: {label} ×{n}, e.g. {self.examples['E ' + label]}")
        for label, n in self.only_base.most_common(limit):
            print(f"   only baseline:  {label} ×{n}, e.g. {self.examples['B ' + label]}")
        rest = max(0, len(self.only_base) - (limit or len(self.only_base)))
        if rest:
            print(f"   … and {rest} more shapes only in the baseline")
        if self.outside:
            print(f"   baseline findings on ontology/KB nodes (outside the dossier), per dossier: min {min(self.outside)}, "
                  f"median {statistics.median(self.outside):.0f}, max {max(self.outside)}")


def parser() -> argparse.ArgumentParser:
    """The command's options (tests/test_docs_commands.py parses the commands of docs/benchmarks.md with it)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000, help="dossiers in the batch (default 1000)")
    parser.add_argument("--seed", type=int, default=1, help="generator seed (default 1)")
    parser.add_argument("--baseline-count", type=int, default=300,
                        help="dossiers (evenly spread over the batch) validated by the baseline, ~1.6 s each on "
                             "2 shared cores; default 300, 0 for the whole batch")
    parser.add_argument("--literal-count", type=int, default=50,
                        help="dossiers (evenly spread) validated by the issue's literal call, ont_graph only "
                             "(default 50, 0 to skip)")
    parser.add_argument("--typical-runs", type=int, default=30, help="warm runs of the typical dossier, each side")
    return parser


def main() -> None:
    args = parser().parse_args()

    print(f"evalgraph {evalgraph.__version__}, pyshacl {pyshacl.__version__}, rdflib {rdflib.__version__}, "
          f"pyoxigraph {ox.__version__}, Python {platform.python_version()}, {platform.machine()}, "
          f"{os.cpu_count()} CPUs")
    t_gen, dossiers = timed(lambda: generate(args.count, args.seed))
    texts = [d.turtle() for d in dossiers]
    nodes = [own_nodes(t) for t in texts]
    triples = [sum(1 for _ in ox.parse(t.encode(), format=ox.RdfFormat.TURTLE)) for t in texts]
    print(f"generated {len(dossiers)} dossiers (seed {args.seed}) in {t_gen:.1f} s: "
          + ", ".join(f"{n} {k}" for k, n in sorted(Counter(d.kind for d in dossiers).items())) + "; "
          + ", ".join(f"{n} {p}" for p, n in sorted(Counter(d.profile for d in dossiers).items()))
          + f"; {statistics.median(triples):.0f} triples median ({min(triples)}–{max(triples)}); "
          f"{sum(1 for d in dossiers if d.studies)} with studies, {sum(1 for d in dossiers if d.assessments)} "
          f"with assessment claims; {len(Counter(c for d in dossiers for c in d.changes))} kinds of omission/fault")

    t_engine_load, engine = timed(lambda: validation.Engine())
    t_base_load, (shapes, ontology) = timed(load_baseline)
    print(f"load: evalgraph engine {t_engine_load:.2f} s (shapes {len(engine.shapes)} triples, support graph "
          f"{len(engine.support)} triples); baseline shapes + ontology/KB graphs {t_base_load:.2f} s "
          f"({len(shapes)} + {len(ontology)} triples)")

    typical_text = typical().turtle()
    for _ in range(3):  # warm-up: the first runs compile SPARQL queries and fill caches
        engine_validate(engine, typical_text)
    baseline_validate(shapes, ontology, typical_text)

    base_index = spread(len(dossiers), args.baseline_count or len(dossiers))
    literal_index = spread(len(dossiers), args.literal_count) if args.literal_count else []
    engine_times: list[float] = []
    engine_keys: list[set[Key]] = []
    base_times: dict[int, float] = {}
    literal_times: dict[int, float] = {}
    agreement, literal_agreement = Agreement(), Agreement()
    typical_engine: list[float] = []
    typical_base: list[float] = []
    with progress() as bar:
        task = bar.add_task("evalgraph engine", total=len(dossiers))
        for text in texts:
            seconds, report = timed(partial(engine_validate, engine, text))
            engine_times.append(seconds)
            engine_keys.append(keys(report.graph, engine.shapes))
            bar.advance(task)
        task = bar.add_task("baseline pyshacl + rdfs", total=len(base_index))
        for i in base_index:
            seconds, base_report = timed(partial(baseline_validate, shapes, ontology, texts[i]))
            base_times[i] = seconds
            agreement.add(dossiers[i], nodes[i], engine_keys[i], keys(base_report, shapes))
            bar.advance(task)
        task = bar.add_task("literal call (ont_graph)", total=len(literal_index))
        for i in literal_index:
            seconds, base_report = timed(partial(baseline_validate, shapes, ontology, texts[i], literal=True))
            literal_times[i] = seconds
            literal_agreement.add(dossiers[i], nodes[i], engine_keys[i], keys(base_report, shapes))
            bar.advance(task)
        task = bar.add_task("typical dossier (both)", total=args.typical_runs)
        for _ in range(args.typical_runs):
            typical_engine.append(timed(lambda: engine_validate(engine, typical_text))[0])
            typical_base.append(timed(lambda: baseline_validate(shapes, ontology, typical_text))[0])
            bar.advance(task)
    typical_nodes = own_nodes(typical_text)
    typical_agreement = Agreement()
    typical_agreement.add(typical(), typical_nodes, keys(engine_validate(engine, typical_text).graph, engine.shapes),
                          keys(baseline_validate(shapes, ontology, typical_text), shapes))

    # ---------------------------------------------------------------------------- engine sanity checks
    complete_with_findings = [d.name for d, k in zip(dossiers, engine_keys, strict=True) if d.kind == "complete" and k]
    missing_expected = [(d.name, sorted(d.expected - {short(s) for _, s, _ in k}))
                        for d, k in zip(dossiers, engine_keys, strict=True) if d.expected - {short(s) for _, s, _ in k}]

    # --------------------------------------------------------------------------------------------- report
    n_base = len(base_index)
    eng_sub = [engine_times[i] for i in base_index]
    base_all = [base_times[i] for i in base_index]
    rate_engine_all = len(engine_times) / sum(engine_times)
    rate_engine = n_base / sum(eng_sub)
    rate_base = n_base / sum(base_all)
    ratio = rate_engine / rate_base
    subset = "all dossiers" if n_base == len(dossiers) else f"{n_base} of {len(dossiers)} dossiers, evenly spread"
    typ_e, typ_b = statistics.median(typical_engine), statistics.median(typical_base)
    print()
    print(f"evalgraph engine, whole batch: {len(dossiers)} dossiers in {sum(engine_times):.1f} s, "
          f"{rate_engine_all:.1f} dossiers/s, median {1000 * statistics.median(engine_times):.1f} ms, "
          f"p90 {1000 * percentile(engine_times, 0.9):.1f} ms, max {1000 * max(engine_times):.1f} ms; "
          f"{sum(len(k) for k in engine_keys)} distinct (focus, shape, severity) findings")
    print(f"baseline on {subset}; the evalgraph column is measured on the same dossiers:")
    print()
    print("| | evalgraph engine | pySHACL, rdfs, advanced | ratio |")
    print("|---|---:|---:|---:|")
    print(f"| dossiers/s | {rate_engine:.1f} | {rate_base:.2f} | **{ratio:.1f}×** |")
    print(f"| median ms per dossier | {1000 * statistics.median(eng_sub):.1f} | "
          f"{1000 * statistics.median(base_all):.0f} | {statistics.median(base_all) / statistics.median(eng_sub):.1f}× |")
    print(f"| p90 ms per dossier | {1000 * percentile(eng_sub, 0.9):.1f} | {1000 * percentile(base_all, 0.9):.0f} | "
          f"{percentile(base_all, 0.9) / percentile(eng_sub, 0.9):.1f}× |")
    print(f"| typical dossier, median of {args.typical_runs} warm runs, ms | {1000 * typ_e:.1f} | {1000 * typ_b:.0f} | "
          f"{typ_b / typ_e:.1f}× |")
    print(f"| load once (shapes, support / ontology+KB graphs), s | {t_engine_load:.2f} | {t_base_load:.2f} | |")
    if literal_times:
        lit = list(literal_times.values())
        eng_lit = [engine_times[i] for i in literal_index]
        print(f"| issue's literal call (ont_graph only, {len(lit)} dossiers): dossiers/s | "
              f"{len(eng_lit) / sum(eng_lit):.1f} | {len(lit) / sum(lit):.2f} | "
              f"{(len(eng_lit) / sum(eng_lit)) / (len(lit) / sum(lit)):.1f}× |")
    print()
    typical_triples = sum(1 for _ in ox.parse(typical_text.encode(), format=ox.RdfFormat.TURTLE))
    print(f"typical dossier ({typical_triples} triples, {len(typical_nodes)} nodes): evalgraph median "
          f"{1000 * typ_e:.1f} ms (p90 {1000 * percentile(typical_engine, 0.9):.1f} ms) — target < 50 ms: "
          f"{'met' if typ_e < 0.050 else 'NOT met'}")
    print(f"batch ratio {ratio:.1f}× — target ≥ 5×: {'met' if ratio >= 5 else 'NOT met'}")
    print()
    agreement.print("agreement, baseline vs engine ((focus, shape, severity) on the dossier's own nodes)")
    typical_agreement.print("agreement on the typical dossier")
    if literal_times:
        literal_agreement.print("agreement, issue's literal call vs engine", limit=6)
    print(f"engine sanity: {sum(1 for d in dossiers if d.kind == 'complete')} complete dossiers, "
          f"{len(complete_with_findings)} with findings; {len(missing_expected)} dossiers missing a finding their "
          "omissions/faults call for")
    for name, missing in missing_expected[:10]:
        print(f"   {name}: missing {', '.join(missing)}")
    for name in complete_with_findings[:10]:
        print(f"   complete with findings: {name}")
    if missing_expected or complete_with_findings:
        raise SystemExit("engine sanity check failed: the generator and the shapes disagree (see above)")


if __name__ == "__main__":
    main()
