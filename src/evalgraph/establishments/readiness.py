"""Certification readiness of an establishment: per criterion and per deployment, what is met, missing or not
applicable, and which legal obligations come with each deployment — each item with its source.

Which digital criterion concerns a deployment follows from its technology's qualification (the criteria's
eligibility conditions in kb/certification.ttl): the standard criterion for technologies without a medical purpose
that organise care, the advanced one for professional-use digital medical devices. The evaluation elements are
checked by the establishment shapes (shapes/establishment/) on the imported inventory; HAS lists them for the two
criteria together, so the same checks serve both. Obligations are those the qualification attaches to the
technology (the ``obligations`` named query); where a shape checks that the inventory documents one, its status
is ``documented`` or ``missing``, otherwise ``to-check``.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox

from evalgraph import pages
from evalgraph._version import __version__
from evalgraph.dossiers import validation
from evalgraph.errors import UsageError
from evalgraph.establishments import inventory
from evalgraph.i18n import message
from evalgraph.qualification import engine as q
from evalgraph.store import queries
from evalgraph.store.oxigraph import INFERRED_GRAPH, OxigraphStore
from evalgraph.vocab import EGR, compact

STATUSES = ("met", "to-check", "missing", "not-applicable")


@dataclass
class Item:
    """One evaluation element or obligation for one deployment."""

    iri: str
    label: str
    status: str
    messages: list[str] = field(default_factory=list)
    source: str | None = None
    date: str | None = None
    detail: str | None = None

    def to_dict(self) -> dict[str, object]:
        return {
            "iri": self.iri,
            "label": self.label,
            "status": self.status,
            "messages": self.messages,
            "source": self.source,
            "date": self.date,
            "detail": self.detail,
        }


@dataclass
class DeploymentReadiness:
    iri: str
    technology: str
    technology_label: str
    department: str
    row: int | None
    match: str
    needs_review: bool
    criteria: dict[str, str]  # criterion IRI -> "applies" | "to-determine" | "not-concerned"
    elements: list[Item] = field(default_factory=list)
    obligations: list[Item] = field(default_factory=list)

    @property
    def concerned(self) -> bool:
        return any(status != "not-concerned" for status in self.criteria.values())

    def to_dict(self) -> dict[str, object]:
        return {
            "deployment": self.iri,
            "technology": self.technology,
            "technology_label": self.technology_label,
            "department": self.department,
            "row": self.row,
            "match": self.match,
            "needs_review": self.needs_review,
            "criteria": self.criteria,
            "elements": [e.to_dict() for e in self.elements],
            "obligations": [o.to_dict() for o in self.obligations],
        }


@dataclass
class Criterion:
    iri: str
    label: str
    level: str
    date: str | None
    source: str | None
    elements: list[tuple[str, str, str, str | None]]  # (iri, label, comment, source)


@dataclass
class Readiness:
    establishment: str
    label: str
    lang: str
    criteria: list[Criterion]
    deployments: list[DeploymentReadiness]
    themes: list[dict[str, str]]
    generated: str

    def summary(self) -> dict[str, dict[str, int]]:
        """Per criterion: how many deployments it concerns (or may), and element statuses over them."""
        result: dict[str, dict[str, int]] = {}
        for criterion in self.criteria:
            counts = {"deployments": 0, "to-determine": 0, **{s: 0 for s in STATUSES if s != "not-applicable"}}
            for deployment in self.deployments:
                status = deployment.criteria.get(criterion.iri, "not-concerned")
                if status == "not-concerned":
                    continue
                counts["deployments"] += 1
                counts["to-determine"] += status == "to-determine"
                for element in deployment.elements:
                    counts[element.status] = counts.get(element.status, 0) + 1
            result[criterion.iri] = counts
        return result

    def obligation_summary(self) -> dict[str, dict[str, object]]:
        """Per obligation (by IRI): its label, source, date, and how many deployments have it documented, missing
        or to check."""
        result: dict[str, dict[str, object]] = {}
        for deployment in self.deployments:
            for item in deployment.obligations:
                entry = result.setdefault(
                    item.iri,
                    {
                        "label": item.label,
                        "source": item.source,
                        "date": item.date,
                        "documented": 0,
                        "to-check": 0,
                        "missing": 0,
                    },
                )
                entry[item.status] = int(entry.get(item.status, 0)) + 1  # type: ignore[call-overload]
        return dict(sorted(result.items(), key=lambda kv: str(kv[1]["label"])))

    def to_dict(self) -> dict[str, object]:
        return {
            "establishment": self.establishment,
            "label": self.label,
            "lang": self.lang,
            "generated": self.generated,
            "criteria": [
                {
                    "iri": c.iri,
                    "label": c.label,
                    "level": c.level,
                    "application_date": c.date,
                    "source": c.source,
                    "elements": [{"iri": e[0], "label": e[1], "source": e[3]} for e in c.elements],
                }
                for c in self.criteria
            ],
            "summary": self.summary(),
            "obligations": self.obligation_summary(),
            "deployments": [d.to_dict() for d in self.deployments],
            "choice_aid_themes": self.themes,
        }


def resolve(store: OxigraphStore, name: str) -> tuple[str, str]:
    """The establishment's IRI and graph from its name, slug or IRI; a UsageError lists the known ones."""
    known = sorted(
        g.removeprefix(inventory.ESTABLISHMENT_GRAPH_BASE)
        for g in store.graph_iris()
        if g.startswith(inventory.ESTABLISHMENT_GRAPH_BASE)
    )
    wanted = name.removeprefix(EGR + "establishment-")
    candidate = inventory.slug(wanted)
    if candidate not in known:
        raise UsageError("unknown_establishment", name=name, known=", ".join(known) or "—")
    return EGR + "establishment-" + candidate, inventory.ESTABLISHMENT_GRAPH_BASE + candidate


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


def assess(store: OxigraphStore, establishment: str, lang: str = "en", override: Path | None = None) -> Readiness:
    """The readiness of ``establishment`` (name, slug or IRI) in ``lang``."""
    iri, graph = resolve(store, establishment)
    deployments = _rows(store, "establishment-deployments", {"establishment": iri, "lang": lang}, override)
    labels = _rows(store, "resource-label", {"resource": iri, "lang": lang}, override)
    label = labels[0]["label"] if labels else establishment
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
    technologies = sorted({d["technology"] for d in deployments})
    model = q.DecisionModel(store)
    qualified = {t: q.qualify(model, q.read_facts(store, t)) for t in technologies}
    engine = validation.engine(override, "establishment")
    data = store.export([graph]) + [
        t
        for t in store.export([INFERRED_GRAPH])
        if isinstance(t.subject, ox.NamedNode) and t.subject.value in qualified
    ]
    report = engine.validate(data, file=graph, lang=lang)
    by_focus: dict[str, list[validation.Finding]] = {}
    for finding in report.findings:
        by_focus.setdefault(finding.focus, []).append(finding)
    checked_obligations = {
        str(o) for o in engine.shapes.objects(None, validation.EG.enforces) if str(o).startswith(EGR + "obligation-")
    }
    element_info = {e[0]: e for c in criteria.values() for e in c.elements}
    result = []
    for row in deployments:
        technology = row["technology"]
        eligibility = {c.target: c.status for c in qualified[technology].criteria}
        statuses = {
            c: (
                "applies"
                if eligibility.get(c) == "eligible"
                else "to-determine"
                if eligibility.get(c) == "undetermined"
                else "not-concerned"
            )
            for c in criteria
        }
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
        findings = by_focus.get(row["deployment"], [])
        for element, (_iri, element_label, comment, source) in element_info.items():
            own = [f for f in findings if any(c.iri == element for c in f.sources)]
            status = _status(own) if readiness.concerned else "not-applicable"
            messages = list(dict.fromkeys(f.message for f in own if f.severity != "Info"))
            readiness.elements.append(
                Item(element, element_label, status, messages if readiness.concerned else [], source, detail=comment)
            )
        for obligation in _rows(store, "obligations", {"subject": row["deployment"], "lang": lang}, override):
            own = [f for f in findings if any(c.iri == obligation["obligation"] for c in f.sources)]
            status = _status(own) if obligation["obligation"] in checked_obligations else "to-check"
            readiness.obligations.append(
                Item(
                    obligation["obligation"],
                    obligation["label"],
                    "documented" if status == "met" else status,
                    list(dict.fromkeys(f.message for f in own)),
                    obligation.get("source"),
                    obligation.get("applicationDate") or None,
                    obligation.get("requirement"),
                )
            )
        result.append(readiness)
    themes = _rows(store, "guide-themes", {"lang": lang}, override)
    return Readiness(
        iri, label, lang, list(criteria.values()), result, themes, datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    )


def _status(findings: list[validation.Finding]) -> str:
    severities = {f.severity for f in findings}
    if "Violation" in severities:
        return "missing"
    if "Warning" in severities:
        return "to-check"
    return "met"


# ------------------------------------------------------------------------------------------------------ outputs
COLOURS = {
    "met": "#188038",
    "documented": "#188038",
    "to-check": "#e37400",
    "missing": "#c5221f",
    "not-applicable": "#9aa0a6",
    "to-determine": "#e37400",
    "applies": "#1a73e8",
    "not-concerned": "#9aa0a6",
}


def word(status: str, lang: str) -> str:
    """A status (``met``, ``missing``, ``applies``…) in words, in ``lang``."""
    return message("readiness_" + status.replace("-", "_"), lang)


def summary_svg(result: Readiness) -> str:
    """A stacked bar per criterion: element checks met / to check / missing over the deployments it concerns."""
    summary = result.summary()
    bars = [
        (
            c.label,
            [(s, summary[c.iri][s]) for s in ("met", "to-check", "missing")],
            f"{summary[c.iri]['deployments']} {'déploiements' if result.lang == 'fr' else 'deployments'}",
        )
        for c in result.criteria
    ]
    return _stacked_svg(bars, result.lang)


def obligations_svg(result: Readiness) -> str:
    """A stacked bar per obligation: deployments with its documentation present / to check / missing."""
    bars = [
        (
            str(entry["label"]),
            [(s, int(entry[s])) for s in ("documented", "to-check", "missing")],  # type: ignore[call-overload]
            "",
        )
        for entry in result.obligation_summary().values()
    ]
    return _stacked_svg(bars, result.lang)


def _stacked_svg(bars: list[tuple[str, list[tuple[str, int]], str]], lang: str) -> str:
    width, bar, gap, left = 780, 26, 18, 300
    height = len(bars) * (bar + gap) + 40
    peak = max([1, *(sum(n for _s, n in parts) for _l, parts, _n in bars)])
    parts_svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img">']
    statuses: list[str] = []
    for index, (label, parts, note) in enumerate(bars):
        y = 10 + index * (bar + gap)
        shown = label if len(label) < 48 else label[:46] + "…"
        parts_svg.append(
            f'<text x="0" y="{y + bar * 0.65:.0f}" font-size="12">{html.escape(shown)}'
            f"<title>{html.escape(label)}</title></text>"
        )
        x = float(left)
        for status, count in parts:
            if status not in statuses:
                statuses.append(status)
            size = (width - left - 120) * count / peak
            if size > 0:
                parts_svg.append(
                    f'<rect x="{x:.1f}" y="{y}" width="{size:.1f}" height="{bar}" '
                    f'fill="{COLOURS[status]}"><title>{html.escape(word(status, lang))}: {count}</title>'
                    "</rect>"
                )
                if size > 18:
                    parts_svg.append(
                        f'<text x="{x + size / 2:.1f}" y="{y + bar * 0.68:.0f}" font-size="11" '
                        f'fill="#fff" text-anchor="middle">{count}</text>'
                    )
            x += size
        if note:
            parts_svg.append(
                f'<text x="{x + 6:.1f}" y="{y + bar * 0.65:.0f}" font-size="11" fill="#5f6368">'
                f"{html.escape(note)}</text>"
            )
    legend_y = height - 12
    for index, status in enumerate(statuses):
        x = left + index * 120
        parts_svg.append(
            f'<rect x="{x}" y="{legend_y - 10}" width="12" height="12" fill="{COLOURS[status]}"/>'
            f'<text x="{x + 16}" y="{legend_y}" font-size="11">{html.escape(word(status, lang))}</text>'
        )
    parts_svg.append("</svg>")
    return "".join(parts_svg)


def write_html(result: Readiness, output: Path, economics_html: str = "") -> None:
    page = pages.render(
        "readiness.html",
        r=result,
        fr=result.lang == "fr",
        chart=summary_svg(result),
        obligations_chart=obligations_svg(result),
        word=lambda s: word(s, result.lang),
        colours=COLOURS,
        compact=compact,
        version=__version__,
        economics=economics_html,
    )
    output.write_text(page, encoding="utf-8")


def write_xlsx(result: Readiness, output: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    fr = result.lang == "fr"
    book = Workbook()
    sheet = book.active
    sheet.title = "Synthèse" if fr else "Summary"
    sheet.append([result.label, result.generated])
    sheet.append(
        [
            "critère" if fr else "criterion",
            "déploiements" if fr else "deployments",
            word("met", result.lang),
            word("to-check", result.lang),
            word("missing", result.lang),
            word("to-determine", result.lang),
            "source",
        ]
    )
    summary = result.summary()
    for criterion in result.criteria:
        counts = summary[criterion.iri]
        sheet.append(
            [
                criterion.label,
                counts["deployments"],
                counts["met"],
                counts["to-check"],
                counts["missing"],
                counts["to-determine"],
                criterion.source,
            ]
        )
    elements = book.create_sheet("Éléments" if fr else "Elements")
    elements.append(
        [
            "ligne" if fr else "row",
            "technologie" if fr else "technology",
            "service" if fr else "department",
            *(c.label for c in result.criteria),
            "élément" if fr else "element",
            "statut" if fr else "status",
            "constats" if fr else "findings",
            "source",
        ]
    )
    fills = {s: PatternFill("solid", fgColor=c.lstrip("#")) for s, c in COLOURS.items()}
    for deployment in result.deployments:
        for item in deployment.elements:
            elements.append(
                [
                    deployment.row,
                    deployment.technology_label,
                    deployment.department,
                    *(word(deployment.criteria[c.iri], result.lang) for c in result.criteria),
                    item.label,
                    word(item.status, result.lang),
                    " | ".join(item.messages),
                    item.source,
                ]
            )
            cell = elements.cell(row=elements.max_row, column=5 + len(result.criteria))
            cell.fill = fills[item.status]
            cell.font = Font(color="FFFFFF", bold=True)
    obligations = book.create_sheet("Obligations")
    obligations.append(
        [
            "ligne" if fr else "row",
            "technologie" if fr else "technology",
            "service" if fr else "department",
            "obligation",
            "statut" if fr else "status",
            "date d'application" if fr else "application date",
            "exigence" if fr else "requirement",
            "constats" if fr else "findings",
            "source",
        ]
    )
    for deployment in result.deployments:
        for item in deployment.obligations:
            obligations.append(
                [
                    deployment.row,
                    deployment.technology_label,
                    deployment.department,
                    item.label,
                    word(item.status, result.lang),
                    item.date,
                    item.detail,
                    " | ".join(item.messages),
                    item.source,
                ]
            )
    themes = book.create_sheet("Guide d'aide au choix" if fr else "Choice-aid guide")
    themes.append(["thème" if fr else "theme", "explication" if fr else "explanation", "source"])
    for theme in result.themes:
        themes.append([theme.get("label"), theme.get("comment"), theme.get("source")])
    for ws in book.worksheets:
        for cell in ws[1 if ws is not sheet else 2]:
            cell.font = Font(bold=True)
        for column in ws.columns:
            ws.column_dimensions[column[0].column_letter].width = 28
    book.save(output)
