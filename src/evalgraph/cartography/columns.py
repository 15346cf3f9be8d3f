"""How the cartography's tables are shown: a label for every column (the SPARQL variable stays for machines),
which columns hold IRIs (kept, but out of sight: a hidden spreadsheet column, a tooltip on the page), which values
evalgraph derives rather than a source states, and how a value reads — booleans as words, an empty share as
"unknown" with the number of studies that state the fact."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from evalgraph import i18n
from evalgraph.i18n import message

IRI_COLUMNS = frozenset({"pathway", "category", "technology", "event", "jurisdictionConcept"})
"""Columns whose values are IRIs: hidden in the spreadsheet (last, after the readable columns), a tooltip on the
page. ``source``/``sources`` hold web addresses, which are shown as links."""
DERIVED_COLUMNS = frozenset(
    {"eligible", "obtainedNotEligible", "riskClass", "classRank", "aiActCategory", "levelDerived", "levelDisagreement"}
    | {"levelA", "levelB", "levelC", "levelD", "levelUnknown"}
)
"""Values evalgraph derives (the qualification engine, in the inferred graph) rather than a source states. The
counts per HAS level (and of unknown levels) take the derived level where no source states one."""
DERIVED_TABLES = frozenset({"evaluation-gap", "evaluation-gap-summary"})
"""Tables whose rows are chosen by a derivation (membership of the evaluation gap)."""
STATED_COUNT = {
    "externalValidationShare": "externalValidationStated",
    "vendorIndependentShare": "vendorIndependenceStated",
    "reportingGuidelineShare": "reportingGuidelineStated",
}
"""A share → the column counting the studies that state the fact it is computed from."""
CODED = ("binding", "nationalRoute", "factStatus")
"""Columns with coded values, each explained by a legend (``legend_<column>``)."""


@dataclass(frozen=True)
class Column:
    name: str
    label: str
    iri: bool
    derived: bool


@dataclass(frozen=True)
class Cell:
    text: str
    title: str = ""
    number: bool = False
    unknown: bool = False
    links: tuple[str, ...] = ()
    long: bool = False


def text_or(key: str, lang: str, fallback: str) -> str:
    """Message ``key`` in ``lang``, or ``fallback`` when the catalogue has no such message."""
    return i18n.text(key, lang) if key in i18n.catalogue("en") else fallback


def label(name: str, lang: str) -> str:
    """The label of column ``name`` (``column_<name>`` in the catalogue; the name itself when it has none)."""
    return text_or(f"column_{name}", lang, name)


def sheet_name(table: str, lang: str) -> str:
    """A sheet name of at most 31 characters without the characters Excel refuses."""
    name = text_or(f"cartography_sheet_{table}", lang, table)
    return "".join(c for c in name if c not in "[]:*?/\\")[:31]


def columns(table: str, names: Sequence[str], lang: str) -> list[Column]:
    derived = table in DERIVED_TABLES
    return [Column(n, label(n, lang), n in IRI_COLUMNS, derived or n in DERIVED_COLUMNS) for n in names]


def ordered(columns: Sequence[Column]) -> list[int]:
    """Indexes of the columns in spreadsheet order: the readable columns first, the IRI columns last."""
    return [i for i, c in enumerate(columns) if not c.iri] + [i for i, c in enumerate(columns) if c.iri]


def partner(names: Sequence[str], iri_column: str) -> str | None:
    """The column naming what the IRI column identifies: ``<column>Label``, else ``label``."""
    candidates = ("jurisdiction",) if iri_column == "jurisdictionConcept" else (f"{iri_column}Label", "label")
    for candidate in candidates:
        if candidate in names:
            return candidate
    return None


def yes_no(value: object, lang: str) -> str:
    """A boolean as a word; an absent value as "not stated"."""
    if value is True:
        return message("value_yes", lang)
    if value is False:
        return message("value_no", lang)
    return message("value_not_stated", lang)


def cell(record: Mapping[str, object], column: Column, lang: str) -> Cell:
    """A value as the page shows it."""
    value = record.get(column.name, "")
    if column.name == "nationalRoute":  # stated only where it holds: its absence is a no
        return Cell(yes_no(value is True, lang))
    if column.name == "binding":
        return Cell(yes_no(value if value != "" else None, lang), unknown=value == "")
    if column.name in STATED_COUNT:
        counts = {"stated": record.get(STATED_COUNT[column.name], 0), "studies": record.get("studies", 0)}
        if value == "":
            return Cell(message("value_unknown_stated", lang, **counts), unknown=True)
        share = f"{float(str(value)):.0%}"
        return Cell(message("value_share_stated", lang, share=share, **counts), number=True)
    if column.name in ("source", "sources") and value:
        return Cell("", links=tuple(str(value).split()))
    if isinstance(value, bool):
        return Cell(yes_no(value, lang))
    if isinstance(value, int | float):
        return Cell(str(value), number=True)
    text = str(value)
    return Cell(text, long=len(text) > 180)


def rows(
    table: str, names: Sequence[str], records: Sequence[Mapping[str, object]], lang: str
) -> tuple[list[Column], list[list[Cell]]]:
    """The visible columns of a table and its rows as cells; an IRI goes into its partner cell's tooltip."""
    every = columns(table, names, lang)
    folded = set(STATED_COUNT.values())
    visible = [c for c in every if not c.iri and c.name not in folded]
    partners = {partner(names, c.name): c.name for c in every if c.iri}
    shown = []
    for record in records:
        line = []
        for column in visible:
            one = cell(record, column, lang)
            if column.name in partners and column.name is not None:
                iri = str(record.get(partners[column.name], ""))
                one = Cell(one.text, iri, one.number, one.unknown, one.links, one.long)
            line.append(one)
        shown.append(line)
    return visible, shown


def host(url: str) -> str:
    """A web address as its host name, for a short link text."""
    return urlsplit(url).netloc.removeprefix("www.") or url
