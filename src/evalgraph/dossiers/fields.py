"""The fields of a JSON or YAML dossier checked against evalgraph's JSON-LD context before it is turned into RDF, so
that a misspelt field or an ill-typed value is an error naming the file, line, column and field instead of a
silently dropped statement."""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from evalgraph import resources
from evalgraph.dossiers.limits import Pointer, pointer_text, where
from evalgraph.errors import DataFileError

CONTEXT_IRI = resources.CONTEXT_IRI

# JSON-LD keywords a hand-written dossier may use besides the context's terms.
_KEYWORDS = frozenset({"@context"})  # the dossier shape needs no other keyword: "id" and "type" are its aliases
_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")

_IRI_CHARACTERS = r"[^\s<>\"{}|\\^`]"
_PREFIXED = re.compile(rf"^(eg|egv|egr|rdfs|xsd|dct):[^\s:/<>\"{{}}|\\^`]{_IRI_CHARACTERS}*$")
_ABSOLUTE = re.compile(
    rf"^(https?://[^\s/<>\"{{}}|\\^`]+{_IRI_CHARACTERS}*|urn:[a-zA-Z0-9][a-zA-Z0-9-]*:{_IRI_CHARACTERS}+)$"
)


def _is_date(value: Any) -> bool:
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _is_number(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float, Decimal)):
        return True
    return isinstance(value, str) and re.fullmatch(r"-?\d+(\.\d+)?", value) is not None


_LEXICAL: dict[str, tuple[str, Any]] = {
    "xsd:boolean": ("boolean", lambda v: isinstance(v, bool)),
    "xsd:integer": (
        "integer",
        lambda v: (
            (isinstance(v, int) and not isinstance(v, bool))
            or (isinstance(v, str) and re.fullmatch(r"-?\d+", v) is not None)
        ),
    ),
    "xsd:decimal": ("decimal", _is_number),
    "xsd:date": ("date", _is_date),
}


@dataclass(frozen=True)
class Term:
    """One term of the evalgraph context: its IRI, its value type and container."""

    name: str
    iri: str
    type: str | None
    container: str | None
    reverse: bool = False


def context() -> dict[str, Any]:
    """evalgraph's JSON-LD context (the value of ``@context``), read once from the package."""
    return resources.jsonld_context()


@lru_cache(maxsize=1)
def terms() -> dict[str, Term]:
    """The context's terms by name (prefix declarations and keyword aliases excluded)."""
    ctx = context()
    prefixes = {k for k, v in ctx.items() if isinstance(v, str) and v.endswith(("/", "#"))}
    result = {}
    for name, definition in ctx.items():
        if name.startswith("@") or name in prefixes:
            continue
        if isinstance(definition, str):
            result[name] = Term(name, definition, None, None)
        else:
            iri = definition.get("@id") or definition.get("@reverse")
            result[name] = Term(
                name, iri, definition.get("@type"), definition.get("@container"), "@reverse" in definition
            )
    return result


class Checker:
    """Checks a dossier tree against the context and prepares it for JSON-LD parsing."""

    def __init__(self, name: str, locations: dict[Pointer, tuple[int, int]]) -> None:
        self.name = name
        self.locations = locations
        self.terms = terms()

    def _error(self, key: str, pointer: Pointer, **params: object) -> DataFileError:
        line, column = self.locations.get(pointer, (None, None))
        return DataFileError(
            key, file=self.name, line=line, column=column, where=where(self.name, line, column), **params
        )

    def document(self, document: Any) -> Any:
        if isinstance(document, list):
            return {
                "@context": context(),
                "@graph": [self.node(item, (i,), top=True) for i, item in enumerate(document)],
            }
        if not isinstance(document, dict):
            raise self._error("dossier_not_object", (), got=json.dumps(document, default=str)[:60])
        result = self.node(document, (), top=True)
        result["@context"] = context()
        return result

    def _context(self, value: Any, pointer: Pointer) -> None:
        """Accept evalgraph's context IRI only: any other IRI, file name or inline context is refused."""
        for index, item in enumerate(value if isinstance(value, list) else [value]):
            if item != CONTEXT_IRI:
                item_pointer = (*pointer, index) if isinstance(value, list) else pointer
                shown = item if isinstance(item, str) else json.dumps(item, default=str)[:60]
                raise self._error("dossier_context_refused", item_pointer, context=shown, expected=CONTEXT_IRI)

    def node(self, node: Any, pointer: Pointer, *, top: bool = False) -> Any:
        if not isinstance(node, dict):
            if top:
                raise self._error("dossier_not_object", pointer, got=json.dumps(node, default=str)[:60])
            return self.scalar(node, None)
        result: dict[str, Any] = {}
        for key, value in node.items():
            key_pointer = (*pointer, key)
            if key == "@context":
                self._context(value, key_pointer)
                continue
            if key.startswith("@"):
                if key not in _KEYWORDS:
                    raise self._unknown(key, pointer, key_pointer)
                result[key] = self.values(value, key_pointer, None)
                continue
            term = self.terms.get(key)
            if term is None:
                raise self._unknown(key, pointer, key_pointer)
            if term.container == "@language":
                self._language_map(term, value, key_pointer)
                result[key] = value
            else:
                result[key] = self.values(value, key_pointer, term)
        return result

    def _unknown(self, key: str, pointer: Pointer, key_pointer: Pointer) -> DataFileError:
        close = difflib.get_close_matches(key, [*self.terms, "id", "type"], n=1)
        if close:
            return self._error(
                "dossier_unknown_field_hint", key_pointer, field=key, within=pointer_text(pointer), suggestion=close[0]
            )
        return self._error("dossier_unknown_field", key_pointer, field=key, within=pointer_text(pointer))

    def _language_map(self, term: Term, value: Any, pointer: Pointer) -> None:
        ok = isinstance(value, dict) and all(
            isinstance(lang, str)
            and _LANGUAGE_TAG.match(lang)
            and (isinstance(text, str) or (isinstance(text, list) and all(isinstance(t, str) for t in text)))
            for lang, text in value.items()
        )
        if not ok:
            raise self._error("dossier_language_map", pointer, field=term.name, got=json.dumps(value, default=str)[:60])

    def values(self, value: Any, pointer: Pointer, term: Term | None) -> Any:
        if isinstance(value, list):
            return [self.values(item, (*pointer, i), term) for i, item in enumerate(value)]
        if isinstance(value, dict):
            return self.node(value, pointer)
        if term is not None and term.reverse:
            raise self._error(
                "dossier_nested_object", pointer, field=term.name, got=json.dumps(value, default=str)[:60]
            )
        if term is not None:
            self._check_scalar(value, pointer, term)
        return self.scalar(value, term)

    def _check_scalar(self, value: Any, pointer: Pointer, term: Term) -> None:
        """Refuse a value JSON-LD would silently drop or turn into an ill-typed literal."""
        shown = json.dumps(value, default=str)[:60]
        if term.iri == "@type":
            if not (isinstance(value, str) and value in self._classes):
                raise self._error("dossier_unknown_type", pointer, got=shown, expected=", ".join(sorted(self._classes)))
        elif term.iri == "@id" or term.type == "@id":
            if not (isinstance(value, str) and (_PREFIXED.match(value) or _ABSOLUTE.match(value))):
                raise self._error("dossier_not_an_iri", pointer, field=term.name, got=shown)
        elif term.type in _LEXICAL:
            kind, check = _LEXICAL[term.type]
            if not check(value):
                raise self._error(f"dossier_wrong_{kind}", pointer, field=term.name, got=shown)

    @property
    def _classes(self) -> set[str]:
        return {t.name for t in self.terms.values() if t.type is None and t.container is None and t.name[:1].isupper()}

    @staticmethod
    def scalar(value: Any, term: Term | None) -> Any:
        """Numbers of decimal-typed terms as decimal lexical forms (JSON-LD would write 7.0E-1), of text terms as text."""
        if term is not None and term.type == "xsd:decimal" and isinstance(value, (int, float, Decimal)):
            if isinstance(value, bool):
                return value
            try:
                return format(Decimal(str(value)), "f")
            except InvalidOperation:
                return str(value)
        if term is not None and term.type == "xsd:string" and isinstance(value, (int, float, Decimal)):
            return value if isinstance(value, bool) else str(value)
        if isinstance(value, Decimal):
            return float(value)
        return value
