"""Qualify generated technologies with evalgraph's decision graph, time the fact reading against rdflib (the
baseline) on the same data, and time HermiT's classification as the number of individuals grows.

The technologies are generated from ``--seed`` (``random.Random``; the same seed gives the same batch) and loaded
into an in-memory store next to the built-in ontology, knowledge base and catalogue, in the named graph
``…/graph/import/bench``. They vary: zero to two intended purposes (all nine of the purpose scheme), zero to two
intended users, AI / generative-AI flags stated or not, a CE marking for some (MDR class I to III or no class
stated, a few under the former MDD or under the IVDR), a stated qualification for some, each decision fact of
``kb/decision.ttl`` stated for a fraction of them (so answer rules, stated answers, contradictory statements and
*undetermined* paths are all exercised) and, for a few, an assessment obtained under a national pathway.

Measured:

* (a) building the ``DecisionModel`` (``--repeat`` times, median);
* (b) qualifying every technology (``read_facts`` + ``qualify``, each timed per technology): total, technologies
  per second, median and p90 per technology. Baseline: the same fact reading — the query
  ``queries/technology-facts.rq`` with the technology bound through ``initBindings`` — run by rdflib on an
  ``rdflib.Dataset`` holding the same graphs, on ``--baseline-sample`` technologies spread over the batch (rdflib
  would add minutes for all of them); the ratio compares medians on that same sample, and the rows of both sides
  are compared technology by technology. Two diagnostics follow: the same query with the IRI written into its
  text (instead of bound), and the median ``read_facts`` time in stores holding 1/100, 1/10 and all of the batch;
* (c) HermiT (``evalgraph.reasoning.run_hermit``) on the ontology, KB and catalogue, the first N generated
  technologies and the inferred triples of the catalogue and of those N, for each N of ``--hermit-sizes``:
  named individuals, seconds, seconds per 1,000 individuals, consistency, and the members of each defined class
  compared with what the decision graph concludes. A size is skipped when the previous one, scaled linearly,
  would exceed ``--hermit-budget`` seconds.

Usage: ``python benchmarks/bench_qualify.py [--count 10000] [--seed 1] [--hermit-sizes 100,300,1000,3000]
[--baseline-sample 300] [--repeat 3] [--hermit-budget 300]``
"""

from __future__ import annotations

import argparse
import platform
import random
import statistics
import time
from collections import Counter
from collections.abc import Sequence

import pyoxigraph as ox
import rdflib
from rdflib.plugins.sparql import prepareQuery
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

import evalgraph
from evalgraph import resources
from evalgraph.ontology.reasoning import run_hermit
from evalgraph.qualification import engine as q
from evalgraph.store import kb
from evalgraph.store.oxigraph import BUILTIN_GRAPHS, CATALOGUE_GRAPH, INFERRED_GRAPH, OxigraphStore, open_store

EG = "https://w3id.org/evalgraph/ontology/"
EGV = "https://w3id.org/evalgraph/vocab/"
EGR = "https://w3id.org/evalgraph/id/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
XSD_BOOLEAN = ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean")
BENCH_GRAPH = "https://w3id.org/evalgraph/graph/import/bench"
BENCH_ID = EGR + "bench/"

PURPOSES = ["screening-aid", "diagnosis-aid", "medical-decision-aid", "therapeutic-decision-aid",
            "prescription-dispensation-aid", "telemonitoring", "therapeutic", "care-organisation",
            "administrative-documentation"]
USERS = ["health-professional", "patient", "administrative-staff"]
CLASSES = ["I", "IIa", "IIb", "III"]
QUALIFICATIONS = ["mdsw-mdr", "mdsw-ivdr", "not-a-device"]
NATIONAL_PATHWAYS = ["pathway-pecan", "pathway-latm", "pathway-lppr-brand-name"]
BOOLEAN_FACTS = ["hasMedicalPurpose", "actsOnDataBeyondStorage", "forIndividualPatients", "isIVDSoftware",
                 "monitorsPhysiologicalProcesses", "monitorsVitalParameters", "interactsWithPeople",
                 "hasNationalRoute"]
CONCEPT_FACTS = {
    "decisionImpact": ["impact-death-or-irreversible", "impact-serious-or-surgical", "impact-other"],
    "imdrfSignificance": ["imdrf-significance-treat-or-diagnose", "imdrf-significance-drive",
                          "imdrf-significance-inform"],
    "imdrfSituation": ["imdrf-situation-critical", "imdrf-situation-serious", "imdrf-situation-non-serious"],
}
DEFINED = ["ProfessionalDigitalMedicalDevice", "HighRiskAIMedicalDevice", "ProfessionalDMNWithoutNationalRoute"]


# ----------------------------------------------------------------------------------------------------- generator


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def _bool(value: bool) -> ox.Literal:
    return ox.Literal("true" if value else "false", datatype=XSD_BOOLEAN)


def generate(count: int, seed: int) -> list[list[ox.Triple]]:
    """``count`` technologies, each as the list of its triples (technology, CE marking, assessment)."""
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not cryptography
    batch = []
    for i in range(count):
        tech = _n(f"{BENCH_ID}tech-{i:05d}")
        triples = [ox.Triple(tech, _n(RDF + "type"), _n(EG + "DigitalTechnology")),
                   ox.Triple(tech, _n(RDFS + "label"), ox.Literal(f"Technologie générée {i}", language="fr")),
                   ox.Triple(tech, _n(RDFS + "label"), ox.Literal(f"Generated technology {i}", language="en"))]

        def add(prop: str, value: ox.NamedNode | ox.Literal, subject: ox.NamedNode = tech,
                out: list[ox.Triple] = triples) -> None:
            out.append(ox.Triple(subject, _n(EG + prop), value))

        for purpose in rng.sample(PURPOSES, rng.choices([0, 1, 2], [10, 65, 25])[0]):
            add("intendedPurpose", _n(f"{EGV}purpose-{purpose}"))
        for user in rng.sample(USERS, rng.choices([0, 1, 2], [10, 70, 20])[0]) if rng.random() < 0.9 else []:
            add("intendedUser", _n(f"{EGV}user-{user}"))
        is_ai = rng.choices([True, False, None], [60, 30, 10])[0]
        if is_ai is not None:
            add("isAISystem", _bool(is_ai))
        if is_ai and rng.random() < 0.8:
            add("isGenerativeAI", _bool(rng.random() < 0.25))
        if rng.random() < 0.35:  # a CE marking
            marking = _n(f"{BENCH_ID}ce-{i:05d}")
            add("hasRegulatoryStatus", marking)
            triples.append(ox.Triple(marking, _n(RDF + "type"), _n(EG + "CEMarking")))
            triples.append(ox.Triple(marking, _n(RDFS + "label"), ox.Literal(f"CE marking {i}", language="en")))
            law = rng.choices(["law-mdr", "law-mdd", "law-ivdr"], [85, 10, 5])[0]
            add("underRegulation", _n(EGR + law), marking)
            if law != "law-ivdr" and rng.random() < 0.85:
                add("deviceClass", _n(f"{EGV}device-class-{rng.choices(CLASSES, [35, 35, 20, 10])[0]}"), marking)
        if rng.random() < 0.3:
            add("regulatoryQualification", _n(f"{EGV}qualification-{rng.choices(QUALIFICATIONS, [70, 10, 20])[0]}"))
        for fact in BOOLEAN_FACTS:
            if rng.random() < 0.25:
                add(fact, _bool(rng.random() < 0.5))
        for fact, values in CONCEPT_FACTS.items():
            if rng.random() < 0.3:
                add(fact, _n(EGV + rng.choice(values)))
        if rng.random() < 0.03:  # an assessment obtained under a national pathway
            assessment = _n(f"{BENCH_ID}assessment-{i:05d}")
            triples += [ox.Triple(assessment, _n(RDF + "type"), _n(EG + "Assessment")),
                        ox.Triple(assessment, _n(RDFS + "label"), ox.Literal(f"Assessment {i}", language="en"))]
            add("assessedTechnology", tech, assessment)
            add("underPathway", _n(EGR + rng.choice(NATIONAL_PATHWAYS)), assessment)
        batch.append(triples)
    return batch


# ------------------------------------------------------------------------------------------------------- helpers


def pct(values: Sequence[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p * (len(ordered) - 1)))]


def progress_bar() -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    TimeRemainingColumn(), transient=True)


def individuals(triples: Sequence[ox.Triple]) -> int:
    """Named individuals: IRIs typed with a class that is not a term of the RDF, RDFS or OWL vocabularies."""
    meta = (RDF, RDFS, OWL)
    return len({t.subject.value for t in triples
                if t.predicate.value == RDF + "type" and isinstance(t.subject, ox.NamedNode)
                and isinstance(t.object, ox.NamedNode) and not t.object.value.startswith(meta)})


def rdflib_dataset(store: OxigraphStore, graphs: Sequence[str]) -> rdflib.Dataset:
    """The same graphs as the store, in an rdflib Dataset (N-Triples from the store, parsed by rdflib)."""
    dataset = rdflib.Dataset(default_union=True)
    for graph in graphs:
        text = ox.serialize(store.export([graph]), format=ox.RdfFormat.N_TRIPLES) or b""
        dataset.graph(rdflib.URIRef(graph)).parse(data=text.decode("utf-8"), format="nt")
    return dataset


def expected_members(results: list[q.Qualification], facts: dict[str, q.Facts],
                     union: bool) -> dict[str, set[str]]:
    """The defined classes' members from the decision graph's conclusions.

    ``union=False``: the rule of ``tests/test_reasoning.py`` (the *derived* qualification only). ``union=True``: what
    HermiT sees — the stated values and the derived ones together (the asserted graphs plus the inferred graph)."""
    mdsw = {EGV + "qualification-mdsw-mdr", EGV + "qualification-mdsw-ivdr"}

    def values(r: q.Qualification, prop: str) -> set[str]:
        c = r.conclusion(prop)
        derived = {c.value} if c and c.value else set()
        stated = {v for v in facts[r.technology].get(prop).values if isinstance(v, str)} if union else set()
        return derived | stated

    def no_national_route(r: q.Qualification) -> bool:
        stated = facts[r.technology].get(EG + "hasNationalRoute").values
        derived = {r.national_route} if r.national_route_derived and r.national_route is not None else set()
        return False in stated | derived

    professional = {r.technology for r in results if values(r, EG + "regulatoryQualification") & mdsw
                    and EGV + "user-health-professional" in facts[r.technology].get(EG + "intendedUser").values}
    high_risk = {r.technology for r in results if values(r, EG + "regulatoryQualification") & mdsw
                 and EGV + "ai-act-high-risk-annex-i" in values(r, EG + "aiActCategory")}
    gap = ({r.technology for r in results if r.technology in professional and no_national_route(r)} if union
           else {r.technology for r in results if r.gap is True})
    return {EG + "ProfessionalDigitalMedicalDevice": professional, EG + "HighRiskAIMedicalDevice": high_risk,
            EG + "ProfessionalDMNWithoutNationalRoute": gap}


def why(r: q.Qualification, facts: q.Facts) -> str:
    """Why the derived-only rule may miss a HermiT member: the state of its qualification conclusion."""
    c = r.conclusion(EG + "regulatoryQualification")
    stated = facts.get(EG + "regulatoryQualification").values
    if c and c.status == "determined" and stated and c.value not in stated:
        return "stated qualification contradicts the derived one"
    if c and c.status != "determined" and stated:
        return "qualification undetermined, stated one used"
    return "other"


def read_median(store: OxigraphStore, sample: Sequence[str]) -> float:
    times = []
    for iri in sample:
        started = time.perf_counter()
        q.read_facts(store, iri)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


# ---------------------------------------------------------------------------------------------------------- main


def parser() -> argparse.ArgumentParser:
    """The command's options (tests/test_docs_commands.py parses the commands of docs/benchmarks.md with it)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--hermit-sizes", default="100,300,1000,3000",
                        help="comma-separated numbers of generated technologies given to HermiT ('' to skip)")
    parser.add_argument("--baseline-sample", type=int, default=300,
                        help="technologies whose facts rdflib reads (spread over the batch; 0: all)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of the DecisionModel build (median)")
    parser.add_argument("--hermit-budget", type=float, default=300.0,
                        help="skip a HermiT size whose linear extrapolation from the previous one exceeds this")
    return parser


def main() -> None:
    args = parser().parse_args()
    sizes = [int(s) for s in args.hermit_sizes.split(",") if s.strip()]
    print(f"evalgraph {evalgraph.__version__}, pyoxigraph {ox.__version__}, rdflib {rdflib.__version__}, "
          f"Python {platform.python_version()}; --count {args.count} --seed {args.seed}")

    # --- data
    started = time.perf_counter()
    batch = generate(args.count, args.seed)
    generated = [t for triples in batch for t in triples]
    t_generate = time.perf_counter() - started
    store = open_store(None)
    kb.ensure_loaded(store)
    started = time.perf_counter()
    store.write_graph(generated, BENCH_GRAPH, source="bench")
    t_write = time.perf_counter() - started
    print(f"generated {args.count} technologies, {len(generated):,} triples in {t_generate:.2f} s; written to "
          f"<{BENCH_GRAPH}> in {t_write:.2f} s; store holds {store.count():,} triples")
    techs = [iri for iri, _ in q.technologies(store) if iri.startswith(BENCH_ID)]
    assert len(techs) == args.count, (len(techs), args.count)

    # --- (a) decision model
    builds = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        model = q.DecisionModel(store)
        builds.append(time.perf_counter() - started)
    print(f"(a) DecisionModel: {statistics.median(builds) * 1000:.1f} ms (median of {args.repeat}; "
          f"{model.graph.number_of_nodes()} nodes, {model.graph.number_of_edges()} edges, "
          f"{len(model.procedures)} procedures)")

    # --- (b) qualify every generated technology
    read_ms: dict[str, float] = {}
    qualify_ms: dict[str, float] = {}
    results: dict[str, q.Qualification] = {}
    facts_of: dict[str, q.Facts] = {}
    inferred: dict[str, list[ox.Triple]] = {}
    with progress_bar() as progress:
        task = progress.add_task("qualify", total=len(techs))
        started_all = time.perf_counter()
        for iri in techs:
            t0 = time.perf_counter()
            facts = q.read_facts(store, iri)
            t1 = time.perf_counter()
            result = q.qualify(model, facts)
            t2 = time.perf_counter()
            read_ms[iri], qualify_ms[iri] = (t1 - t0) * 1000, (t2 - t1) * 1000
            results[iri] = result
            inferred[iri] = q.inferred_triples(result)
            progress.advance(task)
        t_total = time.perf_counter() - started_all
    facts_of = {iri: q.read_facts(store, iri) for iri in techs[: max(sizes, default=0)]}  # fresh: qualify mutates
    per_tech = [read_ms[i] + qualify_ms[i] for i in techs]
    print(f"(b) qualified {len(techs)} technologies in {t_total:.1f} s = {len(techs) / t_total:,.0f} technologies/s "
          f"(loop, incl. inferred_triples); per technology: median {statistics.median(per_tech):.2f} ms, "
          f"p90 {pct(per_tech, 0.9):.2f} ms (read_facts median {statistics.median(read_ms.values()):.2f} ms, "
          f"qualify median {statistics.median(qualify_ms.values()):.2f} ms)")
    statuses: Counter[str] = Counter()
    for r in results.values():
        for c in r.conclusions:
            statuses[f"{c.fact.rsplit('/', 1)[-1]}:{c.status}"] += 1
    print("    conclusions: " + ", ".join(f"{k} {v}" for k, v in sorted(statuses.items())))
    print(f"    gap true {sum(r.gap is True for r in results.values())}, gap undetermined "
          f"{sum(r.gap is None for r in results.values())}, with conflicts "
          f"{sum(bool(r.conflicts) for r in results.values())}, inferred triples "
          f"{sum(len(v) for v in inferred.values()):,}")

    # --- (b') the `qualify --all` path: every technology's facts in one query, then qualify each
    bulk = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        all_facts = q.read_all_facts(store)
        t_read_all = time.perf_counter() - started
        started = time.perf_counter()
        for facts in all_facts.values():
            q.qualify(model, facts)
        bulk.append((t_read_all, time.perf_counter() - started))
    t_read_all, t_qualify_all = min(bulk, key=lambda b: b[0] + b[1])
    print(f"(b') qualify --all path (read_all_facts + qualify, best of {args.repeat}): read {t_read_all:.2f} s + "
          f"qualify {t_qualify_all:.2f} s = {t_read_all + t_qualify_all:.2f} s for {len(all_facts)} technologies, "
          f"{len(all_facts) / (t_read_all + t_qualify_all):.0f} technologies/s")

    # --- (b) baseline: the same fact reading with rdflib
    sample_size = len(techs) if args.baseline_sample <= 0 else min(args.baseline_sample, len(techs))
    sample = [techs[round(k * (len(techs) - 1) / max(1, sample_size - 1))] for k in range(sample_size)]
    started = time.perf_counter()
    dataset = rdflib_dataset(store, [*BUILTIN_GRAPHS, BENCH_GRAPH])
    t_rdflib_load = time.perf_counter() - started
    query_text = resources.read_text("queries", "technology-facts")
    prepared = prepareQuery(query_text)
    rdflib_ms, ours_ms, inline_ms, mismatches = [], [], [], 0
    with progress_bar() as progress:
        task = progress.add_task(f"rdflib baseline ({sample_size} technologies)", total=sample_size)
        for iri in sample:
            t0 = time.perf_counter()
            rows = list(dataset.query(prepared, initBindings={"technology": rdflib.URIRef(iri)}))
            rdflib_ms.append((time.perf_counter() - t0) * 1000)
            t0 = time.perf_counter()
            ours = store.query(query_text, {"technology": ox.NamedNode(iri)})
            ours_ms.append((time.perf_counter() - t0) * 1000)
            inline = query_text.replace("SELECT ?technology ?kind", "SELECT ?kind").replace("?technology", f"<{iri}>")
            t0 = time.perf_counter()
            store.query(inline)
            inline_ms.append((time.perf_counter() - t0) * 1000)
            theirs_set = {tuple(str(v) if v is not None else None for v in row)  # type: ignore[union-attr]
                          for row in rows}
            ours_set = {tuple(None if v is None or isinstance(v, ox.Triple) else v.value for v in row)
                        for row in ours.rows}
            mismatches += len(rows) != len(ours.rows) or theirs_set != ours_set
            progress.advance(task)
    sample_read = [read_ms[i] for i in sample]
    m_rdflib, m_query, m_read = statistics.median(rdflib_ms), statistics.median(ours_ms), statistics.median(sample_read)
    print(f"    baseline rdflib {rdflib.__version__}: dataset load {t_rdflib_load:.1f} s; technology-facts query on "
          f"{sample_size} technologies: median {m_rdflib:.2f} ms, p90 {pct(rdflib_ms, 0.9):.2f} ms")
    print(f"    same sample, evalgraph: query alone median {m_query:.2f} ms (ratio {m_rdflib / m_query:.2f}×), "
          f"read_facts median {m_read:.2f} ms (ratio {m_rdflib / m_read:.2f}×); "
          f"row sets differing: {mismatches}/{sample_size}")
    print(f"    diagnostic: the same query with the IRI written into its text instead of bound: median "
          f"{statistics.median(inline_ms):.2f} ms")
    scaling = []
    for n in sorted({max(1, args.count // 100), max(1, args.count // 10)} - {args.count}):
        small = open_store(None)
        kb.ensure_loaded(small)
        small.write_graph([t for triples in batch[:n] for t in triples], BENCH_GRAPH, source="bench")
        scaling.append((n, read_median(small, [techs[round(k * (n - 1) / 199)] for k in range(200)])))
        small.close()
    scaling.append((len(techs), statistics.median(read_ms[techs[round(k * (len(techs) - 1) / 199)]] for k in range(200))))
    print("    read_facts median vs generated technologies in the store (200 of them each time): "
          + ", ".join(f"{n:,}: {ms:.2f} ms" for n, ms in scaling))

    # --- (c) HermiT
    if not sizes:
        return
    base = store.export(list(BUILTIN_GRAPHS))
    catalogue_techs = [iri for iri, _ in q.technologies(store) if not iri.startswith(BENCH_ID)]
    catalogue_results = [q.qualify(model, q.read_facts(store, iri)) for iri in catalogue_techs]
    catalogue_inferred = [t for r in catalogue_results for t in q.inferred_triples(r)]
    catalogue_facts = {iri: q.read_facts(store, iri) for iri in catalogue_techs}
    assert store.count(CATALOGUE_GRAPH) > 0 and INFERRED_GRAPH not in store.graph_iris()
    print("(c) HermiT: ontology + kb + catalogue + first N generated technologies + their inferred triples")
    print(f"{'N':>6} {'triples':>8} {'individuals':>11} {'seconds':>8} {'s/1000 ind.':>11} {'Δs/1000 ind.':>12} "
          f"{'consistent':>10} | members ({' / '.join(DEFINED)}) | = stated∪derived rule | = derived-only rule")
    previous: tuple[int, int, float] | None = None
    for n in sizes:
        if previous is not None and previous[2] * n / previous[0] > args.hermit_budget:
            print(f"{n:>6} skipped: ~{previous[2] * n / previous[0]:.0f} s by linear extrapolation > "
                  f"--hermit-budget {args.hermit_budget:.0f} s")
            continue
        subset = techs[:n]
        triples = [*base, *catalogue_inferred,
                   *(t for triples in batch[:n] for t in triples), *(t for i in subset for t in inferred[i])]
        triples = list(dict.fromkeys(triples))
        count = individuals(triples)
        report = run_hermit(triples)
        marginal = "" if previous is None else f"{(report.seconds - previous[2]) / (count - previous[1]) * 1000:.2f}"
        previous = (n, count, report.seconds)
        row = (f"{n:>6} {len(triples):>8} {count:>11} {report.seconds:>8.1f} {report.seconds / count * 1000:>11.2f} "
               f"{marginal:>12}")
        if not report.consistent:
            print(f"{row} {'NO':>10} | {report.detail[:300]}")
            continue
        members = {d: set(report.classification.get(EG + d, [])) for d in DEFINED}
        all_results = [*catalogue_results, *(results[i] for i in subset)]
        all_facts = {**catalogue_facts, **{i: facts_of[i] for i in subset}}
        union = expected_members(all_results, all_facts, union=True)
        derived = expected_members(all_results, all_facts, union=False)
        agree_union = all(members[d] == union[EG + d] for d in DEFINED)
        agree_derived = all(members[d] == derived[EG + d] for d in DEFINED)
        unsat = f" unsatisfiable: {report.unsatisfiable}" if report.unsatisfiable else ""
        print(f"{row} {'yes':>10} | {' / '.join(str(len(members[d])) for d in DEFINED)} | "
              f"{'yes' if agree_union else 'NO'} | {'yes' if agree_derived else 'NO'}{unsat}")
        by_result = {r.technology: r for r in all_results}
        for d in DEFINED:
            for name, expected in (("stated∪derived", union), ("derived-only", derived)):
                extra, missing = members[d] - expected[EG + d], expected[EG + d] - members[d]
                if extra or missing:
                    reasons = Counter(why(by_result[i], all_facts[i]) for i in extra)
                    print(f"         {d} vs {name} rule: HermiT only {len(extra)} "
                          f"({', '.join(f'{v} {k}' for k, v in reasons.items())}), rule only {len(missing)}"
                          f"{' e.g. ' + str(sorted(missing)[:3]) if missing else ''}")


if __name__ == "__main__":
    main()
