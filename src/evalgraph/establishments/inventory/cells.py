"""Cells as RDF terms: a concept of the column's scheme, a date, a yes or a no, an amount, or text — or, when the
cell holds none of what its column expects, the words of what was expected."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pyoxigraph as ox

from evalgraph.i18n import message
from evalgraph.store.oxigraph import OxigraphStore
from evalgraph.vocab import EGV, XSD

from .form import Column, Concept, answers, concepts
from .naming import normal
from .spreadsheet import Row

Terms = list[ox.NamedNode | ox.Literal]


class Cells:
    """Turns raw cells into RDF terms (the concepts of each scheme read once)."""

    def __init__(self, store: OxigraphStore, override: Path | None, lang: str) -> None:
        self.store, self.override, self.lang = store, override, lang
        self._schemes: dict[str, list[Concept]] = {}

    def scheme(self, iri: str) -> list[Concept]:
        if iri not in self._schemes:
            self._schemes[iri] = concepts(self.store, iri, self.override)
        return self._schemes[iri]

    def parse(self, column: Column, raw: object) -> Terms | str:
        """The cell's values as terms, or the text of what was expected."""
        if column.scheme:
            return self._concepts(column, raw)
        datatype = column.datatype or XSD + "string"
        if datatype == XSD + "date":
            value = parse_date(raw)
            if value is None:
                return message("inventory_expected_date", self.lang)
            return [ox.Literal(value.isoformat(), datatype=ox.NamedNode(XSD + "date"))]
        if datatype == XSD + "boolean":
            truth = self._truth(raw)
            if truth is None:
                return message("inventory_expected_boolean", self.lang)
            return [ox.Literal("true" if truth else "false", datatype=ox.NamedNode(XSD + "boolean"))]
        if datatype == XSD + "decimal":
            number = parse_decimal(raw)
            if number is None or number < 0:
                return message("inventory_expected_amount", self.lang)
            return [ox.Literal(format(number.normalize(), "f"), datatype=ox.NamedNode(XSD + "decimal"))]
        text = str(raw).strip()
        return [ox.Literal(text)] if text else []

    def _concepts(self, column: Column, raw: object) -> Terms | str:
        assert column.scheme is not None
        items = self.scheme(column.scheme)
        parts = [p.strip() for p in str(raw).split(";")] if column.multiple else [str(raw).strip()]
        terms: Terms = []
        for part in filter(None, parts):
            found = match_concept(part, items)
            if found is None:
                shown = ", ".join(f"« {c.shown} »" for c in items)
                return message("inventory_expected_one_of", self.lang, values=shown)
            terms.append(ox.NamedNode(found.iri))
        return terms

    def _truth(self, raw: object) -> bool | None:
        """A yes/no cell's boolean, from its first word (``egf:YesNo`` in forms/inventory.ttl)."""
        if isinstance(raw, bool):
            return raw
        text = normal(str(raw))
        word = text.split(" ")[0] if text else ""
        return next((answer.value for answer in answers(self.override) if word in answer.words), None)


def match_concept(text: str, items: Sequence[Concept]) -> Concept | None:
    """The concept ``text`` names: by its shown label, either label, its local name or its prefixed name."""
    wanted = normal(text)
    for concept in items:
        local = concept.iri.removeprefix(EGV)
        if wanted in (
            normal(concept.shown),
            normal(concept.label_fr),
            normal(concept.label_en),
            normal(local),
            normal("egv:" + local),
        ):
            return concept
    return None


def parse_date(raw: object) -> date | None:
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    text = str(raw).strip()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def parse_decimal(raw: object) -> Decimal | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int | float):
        return Decimal(str(raw))
    text = re.sub(r"[\s\u00a0\u202f€]", "", str(raw)).replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def is_example(row: Row, columns: Sequence[Column], cells: Cells) -> bool:
    """The template's example row, left as it was: skipped."""
    for column in columns:
        example = column.example
        raw = row.values.get(column.key)
        if example is None:
            if raw not in (None, ""):
                return False
            continue
        if raw in (None, ""):
            return False
        parsed = cells.parse(column, raw)
        if isinstance(parsed, str) or [t.value for t in parsed] != [_canonical(example, column)]:
            return False
    return True


def _canonical(example: ox.NamedNode | ox.Literal, column: Column) -> str:
    if column.datatype == XSD + "decimal":
        return format(Decimal(example.value).normalize(), "f")
    return str(example.value)
