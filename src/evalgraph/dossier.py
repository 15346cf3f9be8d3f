"""Reading technology dossiers: Turtle (and the other RDF syntaxes), JSON-LD with evalgraph's context, and YAML.

JSON and YAML dossiers use evalgraph's own JSON-LD context (``ontology/context.jsonld``), named by the IRI
:data:`CONTEXT_IRI` and always resolved from the package: no context is ever fetched from the web or read from
a file. Before the JSON-LD is turned into RDF, every field is checked against the context's terms, so that a
misspelt field is an error naming the file, line, column and field instead of a silently dropped statement.
YAML dossiers have exactly the JSON shape; YAML is read with its own scalar rules kept narrow (``yes``/``no``
stay text, dates stay text) so that a value never changes type behind the writer's back.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import yaml

from evalgraph import resources
from evalgraph.errors import DataFileError
from evalgraph.store import FORMATS, parse_data, read_bytes

CONTEXT_IRI = resources.CONTEXT_IRI
JSON_SUFFIXES = (".json", ".jsonld")
YAML_SUFFIXES = (".yaml", ".yml")
RDF_SUFFIXES = tuple(sorted(s for s in FORMATS if s != ".jsonld"))
SUFFIXES = (*RDF_SUFFIXES, *JSON_SUFFIXES, *YAML_SUFFIXES)
DOSSIER_GRAPH = "urn:evalgraph:dossier"

# JSON-LD keywords a hand-written dossier may use besides the context's terms.
_KEYWORDS = frozenset({"@context"})  # the dossier shape needs no other keyword: "id" and "type" are its aliases
_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")

Pointer = tuple[str | int, ...]

_IRI_CHARACTERS = r"[^\s<>\"{}|\\^`]"
_PREFIXED = re.compile(rf"^(eg|egv|egr|rdfs|xsd|dct):[^\s:/<>\"{{}}|\\^`]{_IRI_CHARACTERS}*$")
_ABSOLUTE = re.compile(rf"^(https?://[^\s/<>\"{{}}|\\^`]+{_IRI_CHARACTERS}*|urn:[a-zA-Z0-9][a-zA-Z0-9-]*:{_IRI_CHARACTERS}+)$")


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
    "xsd:integer": ("integer", lambda v: (isinstance(v, int) and not isinstance(v, bool))
                    or (isinstance(v, str) and re.fullmatch(r"-?\d+", v) is not None)),
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
            result[name] = Term(name, iri, definition.get("@type"), definition.get("@container"),
                                "@reverse" in definition)
    return result


def read(file: Path) -> list[ox.Triple]:
    """Parse the dossier ``file`` into RDF triples; any problem is a :class:`DataFileError` with its location."""
    suffix = file.suffix.lower()
    if suffix not in SUFFIXES:
        raise DataFileError("dossier_unknown_format", file=str(file), suffix=suffix, expected=", ".join(SUFFIXES))
    data = read_bytes(file)
    return read_data(str(file), data, suffix)


def read_data(name: str, data: bytes, suffix: str) -> list[ox.Triple]:
    """Parse a dossier received as bytes (``name`` names it in messages; ``suffix`` gives its syntax, e.g.
    ``.yaml``) into RDF triples; any problem is a :class:`DataFileError` with its location."""
    suffix = suffix.lower()
    if suffix not in SUFFIXES:
        raise DataFileError("dossier_unknown_format", file=name, suffix=suffix, expected=", ".join(SUFFIXES))
    if suffix in RDF_SUFFIXES:
        triples = [ox.Triple(q.subject, q.predicate, q.object) for q in parse_data(name, data, suffix, DOSSIER_GRAPH)]
    else:
        try:
            text = data.decode("utf-8-sig")  # a byte-order mark, as some editors write, is fine
        except UnicodeDecodeError as exc:
            raise DataFileError("file_unreadable", file=name, reason=f"not UTF-8: {exc.reason}") from exc
        triples = read_tree(name, text, yaml_syntax=suffix in YAML_SUFFIXES)
    if not triples:
        raise DataFileError("dossier_empty", file=name)
    if any(isinstance(t.subject, ox.Triple) or isinstance(t.object, ox.Triple) for t in triples):
        raise DataFileError("dossier_rdf_star", file=name)
    if not any(t.predicate == _RDF_TYPE and t.object == _TECHNOLOGY for t in triples):
        raise DataFileError("dossier_no_technology", file=name)
    return triples


_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_TECHNOLOGY = ox.NamedNode("https://w3id.org/evalgraph/ontology/DigitalTechnology")


class _DuplicateKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKey(key)
        result[key] = value
    return result


def load_yaml(name: str, text: str) -> Any:
    """The plain value of a YAML dossier, read exactly as :func:`read` reads it (narrow scalars, no aliases or
    tags); errors are :class:`DataFileError` with their location."""
    return _load_yaml(name, text, {})


def read_tree(name: str, text: str, *, yaml_syntax: bool) -> list[ox.Triple]:
    """Parse JSON (or YAML) ``text`` of a dossier called ``name`` into triples."""
    locations: dict[Pointer, tuple[int, int]] = {}
    if yaml_syntax:
        document = _load_yaml(name, text, locations)
    else:
        try:
            document = json.loads(text, object_pairs_hook=_no_duplicates)
        except json.JSONDecodeError as exc:
            raise DataFileError("json_error", file=name, line=exc.lineno, column=exc.colno, detail=exc.msg) from exc
        except _DuplicateKey as exc:
            raise DataFileError("json_error_nopos", file=name, detail=f"the key '{exc.key}' appears twice "
                                "in one object") from exc
        except RecursionError as exc:
            raise DataFileError("json_error_nopos", file=name, detail="nested too deeply") from exc
        _index_json(text, locations)
    checker = _Checker(name, locations)
    document = checker.document(document)
    try:
        parsed = ox.parse(json.dumps(document).encode("utf-8"), format=ox.RdfFormat.JSON_LD)
        return [ox.Triple(q.subject, q.predicate, q.object) for q in parsed]
    except SyntaxError as exc:
        raise DataFileError("jsonld_error", file=name, where=name, detail=str(exc)) from exc


# --------------------------------------------------------------------------------------------------- YAML reading


class _NarrowLoader(yaml.SafeLoader):
    """A safe loader whose only implicit scalar types are JSON's: null, true/false, integers and decimals."""


_NarrowLoader.yaml_implicit_resolvers = {}
for _tag, _pattern, _first in (
    ("tag:yaml.org,2002:bool", r"^(?:true|false)$", "tf"),
    ("tag:yaml.org,2002:null", r"^(?:null|~|)$", ["n", "~", ""]),
    ("tag:yaml.org,2002:int", r"^-?(?:0|[1-9][0-9]*)$", "-0123456789"),
    ("tag:yaml.org,2002:float", r"^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?$", "-0123456789"),
):
    _NarrowLoader.add_implicit_resolver(_tag, re.compile(_pattern), list(_first))


def _load_yaml(name: str, text: str, locations: dict[Pointer, tuple[int, int]]) -> Any:
    try:
        node = yaml.compose(text, Loader=_NarrowLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        where = _where(name, line, column)
        raise DataFileError("yaml_error", file=name, line=line, column=column, where=where,
                            detail=exc.problem or str(exc)) from exc
    except yaml.YAMLError as exc:
        raise DataFileError("yaml_error", file=name, where=name, detail=str(exc)) from exc
    if node is None:
        return {}
    return _construct(name, node, (), locations)


_STANDARD_TAGS = {f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "map", "seq")}
MAX_DEPTH = 64


def _construct(name: str, node: yaml.Node, pointer: Pointer, locations: dict[Pointer, tuple[int, int]],
               seen: set[int] | None = None) -> Any:
    """Build plain values from the YAML node tree, refusing what a dossier never needs and a file could abuse:
    anchors and aliases (an alias bomb expands exponentially), explicit tags, duplicate keys, deep nesting."""
    seen = set() if seen is None else seen
    line, column = node.start_mark.line + 1, node.start_mark.column + 1
    locations[pointer] = (line, column)

    def refuse(detail: str) -> DataFileError:
        return DataFileError("yaml_error", file=name, line=line, column=column, where=_where(name, line, column),
                             detail=detail)

    if id(node) in seen:
        raise refuse("anchors and aliases are not allowed in a dossier")
    if len(pointer) > MAX_DEPTH:
        raise refuse(f"nested more than {MAX_DEPTH} levels deep")
    if node.tag not in _STANDARD_TAGS:
        raise refuse(f"the tag {node.tag} is not allowed in a dossier")
    if isinstance(node, yaml.MappingNode | yaml.SequenceNode):
        seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise refuse("keys must be plain text")
            key = str(key_node.value)
            key_location = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            if key in result:
                line, column = key_location
                raise refuse(f"the key '{key}' appears twice")
            locations[(*pointer, key)] = key_location
            result[key] = _construct(name, value_node, (*pointer, key), locations, seen)
            locations[(*pointer, key)] = key_location
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_construct(name, item, (*pointer, i), locations, seen) for i, item in enumerate(node.value)]
    value = node.value
    try:
        if node.tag.endswith(":bool"):
            if value not in ("true", "false"):
                raise ValueError(value)
            return value == "true"
        if node.tag.endswith(":null"):
            return None
        if node.tag.endswith(":int"):
            return int(value)
        if node.tag.endswith(":float"):
            return float(value) if re.search(r"[eE]", value) else Decimal(value)
    except (ValueError, ArithmeticError) as exc:
        raise refuse(f"'{value}' is not a valid {node.tag.rsplit(':', 1)[-1]}") from exc
    return value


# --------------------------------------------------------------------------------------------------- JSON locating


def _index_json(text: str, locations: dict[Pointer, tuple[int, int]]) -> None:
    """Record where each key and value starts, reusing the YAML composer (JSON is YAML's flow syntax)."""
    try:
        node = yaml.compose(text, Loader=_NarrowLoader)
        if node is not None:
            _construct("", node, (), locations)
    except (yaml.YAMLError, DataFileError, RecursionError):
        return  # locations are a courtesy; JSON that YAML cannot read still gets errors, without line numbers


# --------------------------------------------------------------------------------------------------- field checking


def _where(name: str, line: int | None, column: int | None) -> str:
    return f"{name}:{line}:{column}" if line is not None else name


def _pointer_text(pointer: Pointer) -> str:
    return "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in pointer)


class _Checker:
    """Checks a dossier tree against the context and prepares it for JSON-LD parsing."""

    def __init__(self, name: str, locations: dict[Pointer, tuple[int, int]]) -> None:
        self.name = name
        self.locations = locations
        self.terms = terms()

    def _error(self, key: str, pointer: Pointer, **params: object) -> DataFileError:
        line, column = self.locations.get(pointer, (None, None))
        return DataFileError(key, file=self.name, line=line, column=column,
                             where=_where(self.name, line, column), **params)

    def document(self, document: Any) -> Any:
        if isinstance(document, list):
            return {"@context": context(), "@graph": [self.node(item, (i,), top=True) for i, item in enumerate(document)]}
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
            return self._error("dossier_unknown_field_hint", key_pointer, field=key, within=_pointer_text(pointer),
                               suggestion=close[0])
        return self._error("dossier_unknown_field", key_pointer, field=key, within=_pointer_text(pointer))

    def _language_map(self, term: Term, value: Any, pointer: Pointer) -> None:
        ok = isinstance(value, dict) and all(
            isinstance(lang, str) and _LANGUAGE_TAG.match(lang)
            and (isinstance(text, str) or (isinstance(text, list) and all(isinstance(t, str) for t in text)))
            for lang, text in value.items()
        )
        if not ok:
            raise self._error("dossier_language_map", pointer, field=term.name,
                              got=json.dumps(value, default=str)[:60])

    def values(self, value: Any, pointer: Pointer, term: Term | None) -> Any:
        if isinstance(value, list):
            return [self.values(item, (*pointer, i), term) for i, item in enumerate(value)]
        if isinstance(value, dict):
            return self.node(value, pointer)
        if term is not None and term.reverse:
            raise self._error("dossier_nested_object", pointer, field=term.name,
                              got=json.dumps(value, default=str)[:60])
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


def iter_dossier_files(paths: list[Path]) -> Iterator[Path]:
    """The dossier files named by ``paths``: files as given, folders expanded to their dossier files."""
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
        else:
            yield path
