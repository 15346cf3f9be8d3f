"""The named query library: ``queries/*.rq``, one question per file, the file name being its public name.

Each file starts with a header of ``#+ key: value`` comment lines::

    #+ title_fr: …
    #+ title_en: …
    #+ description: …
    #+ description_fr: …
    #+ parameters: technology (IRI) required; lang (string) = fr
    #+ columns: technology, label, …

Parameters are SPARQL variables of the query; a value given by the user is checked against the declared type and
bound to the variable before evaluation (Oxigraph's ``substitutions``), never pasted into the query text. Oxigraph
binds only variables the query projects, so a SELECT query lists its parameters among its result variables. A
parameter with a default is always bound; one without is bound only when given, and one marked ``required`` must be
given (without it the query would run over everything).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from evalgraph import resources
from evalgraph.errors import UsageError
from evalgraph.vocab import XSD, expand

TYPES = ("IRI", "string", "integer", "decimal", "date", "boolean")
_HEADER = re.compile(r"^#\+\s*([a-z_]+)\s*:\s*(.*)$")
_PARAMETER = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*\(\s*([A-Za-z]+)\s*\)\s*(required)?\s*(?:=\s*(.*?))?\s*$")
_ABSOLUTE_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|^`\\]+$")


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str
    default: str | None = None
    required: bool = False

    def describe(self) -> str:
        required = " required" if self.required else ""
        return f"{self.name} ({self.type}){required}" + (f" = {self.default}" if self.default is not None else "")


@dataclass(frozen=True)
class NamedQuery:
    """A query of the library, with its documented header."""

    name: str
    text: str
    title_fr: str
    title_en: str
    description: str
    parameters: tuple[Parameter, ...]
    columns: tuple[str, ...]
    description_fr: str = ""
    report: tuple[str, int] | None = None
    """``#+ report: NAME ORDER`` — the query is section ORDER of report NAME (e.g. the cartography)."""

    def title(self, lang: str) -> str:
        return self.title_fr if lang == "fr" else self.title_en

    @property
    def is_check(self) -> bool:
        return self.name.endswith("-violation")


def parse(name: str, text: str) -> NamedQuery:
    """Read the header of query ``name``; a malformed parameter line is a :class:`ValueError` naming it."""
    header: dict[str, str] = {}
    for line in text.splitlines():
        match = _HEADER.match(line.strip())
        if match:
            header[match.group(1)] = match.group(2).strip()
    parameters = []
    for entry in filter(None, (e.strip() for e in header.get("parameters", "").split(";"))):
        match = _PARAMETER.match(entry)
        if not match or match.group(2) not in TYPES:
            raise ValueError(
                f"queries/{name}.rq: malformed parameter {entry!r}; expected 'name (type)', 'name (type) required' "
                f"or 'name (type) = default' with a type among {', '.join(TYPES)}"
            )
        parameters.append(Parameter(match.group(1), match.group(2), match.group(4), bool(match.group(3))))
    columns = tuple(c.strip() for c in header.get("columns", "").split(",") if c.strip())
    report = None
    if "report" in header:
        match = re.fullmatch(r"([a-z0-9-]+)\s+(\d+)", header["report"])
        if not match:
            raise ValueError(f"queries/{name}.rq: malformed report line {header['report']!r}; expected 'NAME ORDER'")
        report = (match.group(1), int(match.group(2)))
    return NamedQuery(
        name,
        text,
        header.get("title_fr", name),
        header.get("title_en", name),
        header.get("description", ""),
        tuple(parameters),
        columns,
        header.get("description_fr", header.get("description", "")),
        report,
    )


@lru_cache(maxsize=256)
def _load(path: Path, mtime: float) -> NamedQuery:
    return parse(path.stem, path.read_text(encoding="utf-8"))


def load(name: str, override: Path | None = None) -> NamedQuery:
    path = resources.path("queries", override) / f"{name}.rq"
    if not path.is_file():
        raise UsageError("unknown_query", name=name, known=", ".join(resources.names("queries", override=override)))
    return _load(path, path.stat().st_mtime)


def catalogue(override: Path | None = None) -> list[NamedQuery]:
    """Every named query, in name order."""
    return [load(name, override) for name in resources.names("queries", override=override)]


def bind(query: NamedQuery, given: dict[str, str]) -> dict[str, ox.NamedNode | ox.Literal]:
    """Check ``given`` (name → text) against the declared parameters and turn each value into an RDF term."""
    declared = {p.name: p for p in query.parameters}
    expected = "; ".join(p.describe() for p in query.parameters) or "none"
    for name in given:
        if name not in declared:
            raise UsageError("unknown_parameter", query=query.name, name=name, expected=expected)
    bindings: dict[str, ox.NamedNode | ox.Literal] = {}
    for parameter in query.parameters:
        value = given.get(parameter.name, parameter.default)
        if value is None and parameter.required:
            raise UsageError("missing_parameter", query=query.name, name=parameter.name, expected=expected)
        if value is None:
            continue
        bindings[parameter.name] = term(parameter, value, query.name)
    return bindings


def term(parameter: Parameter, value: str, query: str = "") -> ox.NamedNode | ox.Literal:
    """``value`` as an RDF term of ``parameter``'s type, or a :class:`UsageError` saying what was expected."""

    given = value

    def wrong() -> UsageError:
        return UsageError("bad_parameter", query=query, name=parameter.name, value=given, type=parameter.type)

    if parameter.type == "IRI":
        value = expand(value)
        if not _ABSOLUTE_IRI.fullmatch(value):
            raise wrong()
        try:
            return ox.NamedNode(value)
        except ValueError as exc:
            raise wrong() from exc
    if parameter.type == "string":
        return ox.Literal(value)
    if parameter.type == "integer":
        if not re.fullmatch(r"[+-]?\d+", value.strip()):
            raise wrong()
        return ox.Literal(str(int(value)), datatype=ox.NamedNode(XSD + "integer"))
    if parameter.type == "decimal":
        try:
            number = Decimal(value.strip())
        except InvalidOperation as exc:
            raise wrong() from exc
        if not number.is_finite():
            raise wrong()
        return ox.Literal(format(number, "f"), datatype=ox.NamedNode(XSD + "decimal"))
    if parameter.type == "date":
        try:
            date.fromisoformat(value.strip())
        except ValueError as exc:
            raise wrong() from exc
        return ox.Literal(value.strip(), datatype=ox.NamedNode(XSD + "date"))
    if value.strip().lower() not in ("true", "false"):
        raise wrong()
    return ox.Literal(value.strip().lower(), datatype=ox.NamedNode(XSD + "boolean"))


def report_sections(report: str, override: Path | None = None) -> list[NamedQuery]:
    """The named queries that make up ``report`` (their ``#+ report:`` header names it), in section order."""
    sections = [q for q in catalogue(override) if q.report is not None and q.report[0] == report]
    return sorted(sections, key=lambda q: q.report[1] if q.report else 0)
