"""What the readiness of an establishment is made of: per deployment, the criteria that concern it, its evaluation
elements and its obligations, each an :class:`Item` with a status and a source; per criterion and obligation,
counts over the deployments. And how a status is shown: its words and its colour."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from evalgraph.choice.model import ChoiceTrace
from evalgraph.i18n import message
from evalgraph.vocab import compact

STATUSES = ("met", "to-check", "missing", "not-applicable")
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


def trace_text(trace: ChoiceTrace, lang: str) -> str:
    """A choice record in one line: which, when, by whom, the candidates compared, the decision and its reasons."""
    unstated = message("readiness_choice_record_unstated", lang)
    text = message(
        "readiness_choice_record",
        lang,
        record=compact(trace.record),
        date=trace.compared_at,
        by=trace.compared_by or unstated,
        candidates=", ".join(trace.candidates) or unstated,
        decision=trace.decision or unstated,
    )
    if trace.reasons:
        text += " — " + message("readiness_choice_record_reasons", lang, reasons="; ".join(trace.reasons))
    return text


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
    records: list[ChoiceTrace] = field(default_factory=list)
    """For the structured choice process: the saved choice records that count as its trace."""

    def to_dict(self) -> dict[str, object]:
        return {
            "iri": self.iri,
            "label": self.label,
            "status": self.status,
            "messages": self.messages,
            "source": self.source,
            "date": self.date,
            "detail": self.detail,
            "records": [r.to_dict() for r in self.records],
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


@dataclass(frozen=True)
class RejectedRow:
    """A cell that made the inventory import leave its row out (``eg:InventoryRowRejection``, the query
    ``rejected-rows``): the row, the column, the value, what was expected, and the import's source."""

    row: int
    column: str
    value: str
    reason: str
    label: str = ""
    source: str | None = None

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


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
    rejected: list[RejectedRow] = field(default_factory=list)
    """The inventory's cells that left their rows out at import."""
    records: list[ChoiceTrace] = field(default_factory=list)
    """The establishment's choice records that count as the trace of a choice process (evalgraph compare --record)."""
    elements: list[Item] = field(default_factory=list)
    """Each evaluation element for the establishment as a whole: the worst status over the deployments it concerns
    and what the establishment shapes find (the mapping is missing while inventory rows are rejected)."""

    @property
    def rejected_rows(self) -> list[int]:
        """The numbers of the inventory rows left out at import, in order."""
        return sorted({r.row for r in self.rejected})

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
            "establishment_elements": [e.to_dict() for e in self.elements],
            "rejected_rows": [r.to_dict() for r in self.rejected],
            "choice_records": [r.to_dict() for r in self.records],
            "deployments": [d.to_dict() for d in self.deployments],
            "choice_aid_themes": self.themes,
        }
