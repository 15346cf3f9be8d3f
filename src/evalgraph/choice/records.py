"""Choice records: a comparison saved for an establishment — who compared which candidates and when, the themes
of the HAS choice-aid guide the choice answered, the decision and its reasons — in the establishment's choice
graph (``…/graph/choice/<slug>``, one record added per save). The readiness report counts a record as the trace of
a structured choice process for the establishment's deployments of the chosen technology (:func:`evidence`)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox

from evalgraph.errors import UsageError
from evalgraph.establishments.inventory import naming
from evalgraph.store.oxigraph import OxigraphStore
from evalgraph.vocab import EG, EGG, EGR, compact

from .model import Candidate, ChoiceTrace, Comparison

CHOICE_GRAPH_BASE = EGG + "choice/"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
RDFS_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
DCT_SOURCE = ox.NamedNode("http://purl.org/dc/terms/source")
XSD_DATETIME = ox.NamedNode("http://www.w3.org/2001/XMLSchema#dateTime")


@dataclass
class Record:
    establishment: str
    by: str
    chosen: Candidate | None
    reasons: list[str] = field(default_factory=list)
    answered: list[str] = field(default_factory=list)
    """Themes as given (IRI, prefixed name or label); empty: the themes the comparison documents."""


def chosen(comparison: Comparison, targets: list[str], decision: str | None) -> Candidate | None:
    """The candidate ``decision`` names: as given on the command line, by label or by IRI; None without one."""
    if decision is None:
        return None
    wanted = decision.casefold()
    for candidate, target in zip(comparison.candidates, targets, strict=True):
        names = {target, candidate.label, candidate.iri, compact(candidate.iri), candidate.file}
        if wanted in {n.casefold() for n in names if n}:
            return candidate
    raise UsageError("choice_decision_unknown", name=decision)


def _themes(comparison: Comparison, answered: list[str]) -> list[str]:
    if not answered:
        return [t.iri for t in comparison.themes if any(c.documented for r in t.rows for c in r.cells.values())]
    found = []
    for given in answered:
        wanted = given.casefold()
        match = [t.iri for t in comparison.themes if wanted in {t.iri.casefold(), compact(t.iri).casefold()}]
        match = match or [t.iri for t in comparison.themes if wanted in t.label.casefold()]
        if len(match) != 1:
            raise UsageError("choice_theme_unknown", name=given, themes=", ".join(t.label for t in comparison.themes))
        found.append(match[0])
    return found


def establishment(store: OxigraphStore, name: str) -> tuple[str, str]:
    """The establishment's IRI and slug, from its name, slug or IRI; it must have been imported."""
    return naming.imported(store, name)


def _candidate_triples(node: ox.NamedNode, candidate: Candidate, chosen: bool) -> list[ox.Triple]:
    if candidate.kind == "dossier":
        prop = EG + ("chosenDossier" if chosen else "comparedDossier")
        return [ox.Triple(node, ox.NamedNode(prop), ox.Literal(f"{candidate.label} ({candidate.file})"))]
    prop = EG + ("chosenTechnology" if chosen else "comparedTechnology")
    return [ox.Triple(node, ox.NamedNode(prop), ox.NamedNode(candidate.iri))]


def save(store: OxigraphStore, comparison: Comparison, record: Record, now: datetime | None = None) -> str:
    """Add ``record`` to the establishment's choice graph; its IRI."""
    iri, slug = establishment(store, record.establishment)
    when = (now or datetime.now(UTC)).replace(microsecond=0)
    node = ox.NamedNode(f"{EGR}choice-{slug}-{when.strftime('%Y%m%dT%H%M%S')}")
    names = " / ".join(c.label for c in comparison.candidates)
    triples = [
        ox.Triple(node, RDF_TYPE, ox.NamedNode(EG + "ChoiceRecord")),
        ox.Triple(node, RDFS_LABEL, ox.Literal(f"Choix : {names}", language="fr")),
        ox.Triple(node, RDFS_LABEL, ox.Literal(f"Choice: {names}", language="en")),
        ox.Triple(node, ox.NamedNode(EG + "choiceBy"), ox.NamedNode(iri)),
        ox.Triple(node, ox.NamedNode(EG + "comparedAt"), ox.Literal(when.isoformat(), datatype=XSD_DATETIME)),
        ox.Triple(node, DCT_SOURCE, ox.NamedNode(iri)),
    ]
    if record.by:
        triples.append(ox.Triple(node, ox.NamedNode(EG + "comparedBy"), ox.Literal(record.by)))
    for candidate in comparison.candidates:
        triples += _candidate_triples(node, candidate, False)
    if record.chosen is not None:
        triples += _candidate_triples(node, record.chosen, True)
    triples += [ox.Triple(node, ox.NamedNode(EG + "decisionReason"), ox.Literal(r)) for r in record.reasons]
    triples += [ox.Triple(node, ox.NamedNode(EG + "answeredTheme"), ox.NamedNode(t))
                for t in _themes(comparison, record.answered)]  # fmt: skip
    graph = CHOICE_GRAPH_BASE + slug
    kept = store.export([graph]) if graph in store.graph_iris() else []
    store.write_graph([*kept, *triples], graph, source="evalgraph compare --record")
    return node.value


def traces(
    store: OxigraphStore, establishment_iri: str, lang: str = "en", override: Path | None = None
) -> list[ChoiceTrace]:
    """The establishment's choice records that count as the trace of a choice process — those whose chosen
    technology the establishment deploys — with the deployments each counts for (named query
    ``choice-record-evidence``), oldest first."""
    from evalgraph.store import queries

    named = queries.load("choice-record-evidence", override)
    result = store.query(named.text, queries.bind(named, {"establishment": establishment_iri, "lang": lang}))
    found: dict[str, ChoiceTrace] = {}
    for row in result.rows:
        values = {
            v: t.value for v, t in zip(result.variables, row, strict=True) if isinstance(t, ox.NamedNode | ox.Literal)
        }
        record, deployment = values.get("record"), values.get("deployment")
        if not record or not deployment or "comparedAt" not in values:
            continue
        known = found.get(record)
        if known is not None:
            found[record] = replace(known, deployments=(*known.deployments, deployment))
            continue
        found[record] = ChoiceTrace(
            record,
            values["comparedAt"],
            values.get("comparedBy", ""),
            tuple(n for n in values.get("candidateLabels", "").split(" | ") if n),
            values.get("decision", ""),
            tuple(r for r in values.get("reasons", "").split("\n") if r),
            (deployment,),
        )
    return list(found.values())


def evidence(found: list[ChoiceTrace]) -> list[ox.Triple]:
    """For each deployment a choice record counts for, the statement that its choice is recorded
    (``eg:choiceProcessRecord``) — what the establishment shapes check."""
    return [
        ox.Triple(ox.NamedNode(d), ox.NamedNode(EG + "choiceProcessRecord"),
                  ox.Literal(f"{compact(t.record)} ({t.compared_at})"))
        for t in found
        for d in t.deployments
    ]  # fmt: skip
