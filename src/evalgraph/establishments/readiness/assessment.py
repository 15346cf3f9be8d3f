"""Assessing an establishment: its deployments read with named queries, each technology qualified, the inventory
checked by the establishment shapes, and every finding placed under the element or obligation it concerns."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox
from rdflib import SH

from evalgraph.choice import records as choice_records
from evalgraph.choice.model import ChoiceTrace
from evalgraph.dossiers import validation
from evalgraph.establishments.inventory import naming
from evalgraph.i18n import message
from evalgraph.qualification import engine as q
from evalgraph.store import queries
from evalgraph.store.oxigraph import INFERRED_GRAPH, OxigraphStore
from evalgraph.vocab import EGR, compact

from .model import Criterion, DeploymentReadiness, Item, Readiness, RejectedRow

SEVERITY = ("met", "to-check", "missing")
"""Element statuses from the best to the worst: an element's status for the establishment is its worst."""
ELIGIBILITY = {"eligible": "applies", "undetermined": "to-determine"}
"""A criterion's status for a deployment, from its eligibility for the technology; otherwise ``not-concerned``."""


def resolve(store: OxigraphStore, name: str) -> tuple[str, str]:
    """The establishment's IRI and graph from its name, slug or IRI; a UsageError lists the known ones."""
    iri, slug = naming.imported(store, name)
    return iri, naming.ESTABLISHMENT_GRAPH_BASE + slug


def _rows(store: OxigraphStore, name: str, given: dict[str, str], override: Path | None) -> list[dict[str, str]]:
    named = queries.load(name, override)
    result = store.query(named.text, queries.bind(named, given))
    return [
        {
            v: (t.value if isinstance(t, ox.NamedNode | ox.Literal) else "")
            for v, t in zip(result.variables, row, strict=True)
            if t is not None
        }
        for row in result.rows
    ]


@dataclass
class _Context:
    """What every deployment's assessment reads: the store, the criteria, the qualifications and the findings."""

    store: OxigraphStore
    lang: str
    override: Path | None
    criteria: dict[str, Criterion]
    qualified: dict[str, q.Qualification]
    findings: dict[str, list[validation.Finding]]
    checked_obligations: set[str]
    traces: list[ChoiceTrace]
    """The choice records that count, each with the deployments it counts for."""
    choice_elements: set[str]
    """The evaluation elements a choice record is evidence for: those the shapes asking for
    ``eg:choiceProcessRecord`` enforce."""


def assess(store: OxigraphStore, establishment: str, lang: str = "en", override: Path | None = None) -> Readiness:
    """The readiness of ``establishment`` (name, slug or IRI) in ``lang``."""
    iri, graph = resolve(store, establishment)
    deployments = _rows(store, "establishment-deployments", {"establishment": iri, "lang": lang}, override)
    labels = _rows(store, "resource-label", {"resource": iri, "lang": lang}, override)
    label = labels[0]["label"] if labels else establishment
    criteria = _criteria(store, lang, override)
    model = q.DecisionModel(store)
    qualified = {t: q.qualify(model, q.read_facts(store, t)) for t in sorted({d["technology"] for d in deployments})}
    engine = validation.engine(override, "establishment")
    data = store.export([graph]) + [
        t
        for t in store.export([INFERRED_GRAPH])
        if isinstance(t.subject, ox.NamedNode) and t.subject.value in qualified
    ]
    traces = choice_records.traces(store, iri, lang, override)
    data += choice_records.evidence(traces)  # a saved choice record traces the choice process
    by_focus: dict[str, list[validation.Finding]] = {}
    for finding in engine.validate(data, file=graph, lang=lang).findings:
        by_focus.setdefault(finding.focus, []).append(finding)
    checked = {
        str(o) for o in engine.shapes.objects(None, validation.EG.enforces) if str(o).startswith(EGR + "obligation-")
    }
    recorded = engine.shapes.subjects(SH.path, validation.EG.choiceProcessRecord)
    choice_elements = {str(o) for shape in recorded for o in engine.shapes.objects(shape, validation.EG.enforces)}
    context = _Context(store, lang, override, criteria, qualified, by_focus, checked, traces, choice_elements)
    result = [_deployment(context, row) for row in deployments]
    themes = _rows(store, "guide-themes", {"lang": lang}, override)
    generated = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    readiness = Readiness(iri, label, lang, list(criteria.values()), result, themes, generated)
    readiness.rejected = _rejected(store, iri, lang, override)
    readiness.records = traces
    readiness.elements = _establishment_elements(context, readiness)
    return readiness


def _rejected(store: OxigraphStore, iri: str, lang: str, override: Path | None) -> list[RejectedRow]:
    """The inventory's cells that left their rows out at import (the query ``rejected-rows``)."""
    return [
        RejectedRow(
            int(row["row"]),
            row.get("column", ""),
            row.get("value", ""),
            row.get("reason", ""),
            row.get("label", ""),
            row.get("source"),
        )  # fmt: skip
        for row in _rows(store, "rejected-rows", {"establishment": iri, "lang": lang}, override)
    ]


def _establishment_elements(context: _Context, readiness: Readiness) -> list[Item]:
    """Each evaluation element for the establishment: the worst of its statuses over the deployments it concerns
    and of what the shapes find on the establishment itself (inventory rows rejected at import leave the mapping
    incomplete, and the message says how many and what to do)."""
    own_findings = context.findings.get(readiness.establishment, [])
    rows = readiness.rejected_rows
    items: list[Item] = []
    for criterion in context.criteria.values():
        for element, label, comment, source in criterion.elements:
            if any(item.iri == element for item in items):
                continue
            own = [f for f in own_findings if any(c.iri == element for c in f.sources)]
            statuses = [i.status for d in readiness.deployments for i in d.elements if i.iri == element]
            statuses = [s for s in statuses if s in SEVERITY] + ([_status(own)] if own else [])
            status = max(statuses, key=SEVERITY.index) if statuses else "not-applicable"
            messages = list(dict.fromkeys(f.message for f in own if f.severity != "Info"))
            if own and rows:
                shown = ", ".join(str(r) for r in rows)
                messages = [message("readiness_rows_rejected", context.lang, count=len(rows), rows=shown)]
            records = context.traces if element in context.choice_elements else []
            items.append(Item(element, label, status, messages, source, detail=comment, records=list(records)))
    return items


def _criteria(store: OxigraphStore, lang: str, override: Path | None) -> dict[str, Criterion]:
    """The certification criteria with their evaluation elements, by IRI."""
    criteria: dict[str, Criterion] = {}
    for row in _rows(store, "evaluation-elements", {"lang": lang}, override):
        criterion = criteria.setdefault(
            row["criterion"],
            Criterion(
                row["criterion"],
                row["criterionLabel"],
                row.get("level", ""),
                row.get("applicationDate"),
                row.get("criterionSource"),
                [],
            ),
        )
        criterion.elements.append(
            (row["element"], row["elementLabel"], row.get("elementComment", ""), row.get("elementSource"))
        )
    return criteria


def _deployment(context: _Context, row: dict[str, str]) -> DeploymentReadiness:
    technology = row["technology"]
    eligibility = {c.target: c.status for c in context.qualified[technology].criteria}
    statuses = {c: ELIGIBILITY.get(eligibility.get(c, ""), "not-concerned") for c in context.criteria}
    readiness = DeploymentReadiness(
        row["deployment"],
        technology,
        row.get("technologyLabel", compact(technology)),
        row["department"],
        int(row["row"]) if row.get("row") else None,
        row.get("match", ""),
        row.get("needsReview") == "true",
        statuses,
    )
    findings = context.findings.get(row["deployment"], [])
    element_info = {e[0]: e for c in context.criteria.values() for e in c.elements}
    for element, (_iri, element_label, comment, source) in element_info.items():
        own = [f for f in findings if any(c.iri == element for c in f.sources)]
        status = _status(own) if readiness.concerned else "not-applicable"
        messages = list(dict.fromkeys(f.message for f in own if f.severity != "Info"))
        records = [t for t in context.traces if row["deployment"] in t.deployments]
        records = records if element in context.choice_elements and readiness.concerned else []
        readiness.elements.append(
            Item(
                element,
                element_label,
                status,
                messages if readiness.concerned else [],
                source,
                detail=comment,
                records=records,
            )
        )
    given = {"subject": row["deployment"], "lang": context.lang}
    for obligation in _rows(context.store, "obligations", given, context.override):
        readiness.obligations.append(_obligation(obligation, findings, context.checked_obligations))
    return readiness


def _obligation(obligation: dict[str, str], findings: list[validation.Finding], checked: set[str]) -> Item:
    """An obligation of a deployment: documented or missing where a shape checks it, otherwise to check."""
    own = [f for f in findings if any(c.iri == obligation["obligation"] for c in f.sources)]
    status = _status(own) if obligation["obligation"] in checked else "to-check"
    return Item(
        obligation["obligation"],
        obligation["label"],
        "documented" if status == "met" else status,
        list(dict.fromkeys(f.message for f in own)),
        obligation.get("source"),
        obligation.get("applicationDate") or None,
        obligation.get("requirement"),
    )


def _status(findings: list[validation.Finding]) -> str:
    severities = {f.severity for f in findings}
    if "Violation" in severities:
        return "missing"
    if "Warning" in severities:
        return "to-check"
    return "met"
