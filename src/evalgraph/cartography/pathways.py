"""The pathway table of the cartography as a reader sees it: one card per pathway, grouped by jurisdiction — France
first, then the European Union, then the foreign comparators — each field labelled, coded values in words, the fact
status and the sources shown."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from evalgraph.cartography import columns as cols
from evalgraph.vocab import EGV

FIRST = (EGV + "jurisdiction-fr", EGV + "jurisdiction-eu")
FIELDS = (
    "evaluator",
    "decisionMaker",
    "legalBasis",
    "objectEvaluated",
    "criteria",
    "outcome",
    "outcomeType",
    "binding",
    "lifecycleStage",
    "scope",
    "nationalRoute",
)
"""The fields of a card, in reading order (the name, jurisdiction, fact status and sources are shown apart)."""


@dataclass(frozen=True)
class Card:
    iri: str
    label: str
    fields: list[tuple[str, cols.Cell]]
    fact_status: str
    confirmed: bool
    evaluation: bool
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Group:
    jurisdiction: str
    cards: list[Card]


def _rank(concept: str, label: str) -> tuple[int, str]:
    return (FIRST.index(concept) if concept in FIRST else len(FIRST), label)


def groups(records: Sequence[Mapping[str, object]], lang: str, confirmed_label: str) -> list[Group]:
    """The pathways by jurisdiction, France first, then the EU, then the others by name; cards by name."""
    by_jurisdiction: dict[tuple[int, str], list[Card]] = {}
    for record in records:
        concept, name = str(record.get("jurisdictionConcept", "")), str(record.get("jurisdiction", ""))
        status = str(record.get("factStatus", ""))
        card = Card(
            str(record.get("pathway", "")),
            str(record.get("label", "")),
            [(cols.label(f, lang), cols.cell(record, cols.Column(f, "", False, False), lang)) for f in FIELDS],
            status,
            status in ("", confirmed_label),
            record.get("evaluation", True) is not False,
            tuple(str(record.get("sources", "")).split()),
        )
        by_jurisdiction.setdefault(_rank(concept, name), []).append(card)
    return [
        Group(key[1], sorted(cards, key=lambda c: c.label.casefold()))
        for key, cards in sorted(by_jurisdiction.items(), key=lambda item: (item[0][0], item[0][1].casefold()))
    ]


def counted(records: Sequence[Mapping[str, object]]) -> int:
    """The pathways that are evaluations: not "no evaluation pathway", nor post-market vigilance."""
    return sum(1 for r in records if r.get("evaluation", True) is not False)
