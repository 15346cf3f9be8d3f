"""Reading technology dossiers: Turtle (and the other RDF syntaxes), JSON-LD with evalgraph's context, and YAML.

JSON and YAML dossiers use evalgraph's own JSON-LD context (``ontology/context.jsonld``), named by the IRI
:data:`CONTEXT_IRI` and always resolved from the package: no context is ever fetched from the web or read from
a file. Before the JSON-LD is turned into RDF, every field is checked against the context's terms, so that a
misspelt field is an error naming the file, line, column and field instead of a silently dropped statement.
YAML dossiers have exactly the JSON shape; YAML is read with its own scalar rules kept narrow (``yes``/``no``
stay text, dates stay text) so that a value never changes type behind the writer's back.

Every dossier is held to :class:`Limits` before the costly work is done: its size in bytes before it is parsed;
for JSON and YAML, the nesting depth, the length of each text and the number of values while the tree is read
(YAML: while it is composed, event by event) and before any JSON-LD expansion; for every syntax, the number of
statements and of resources described, before validation. A dossier over a limit is refused with a
:class:`DossierLimitError` naming the limit, the setting that changes it and, where it can, the place.
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
from evalgraph.store.oxigraph import LOADABLE_SUFFIXES, parse_data, read_bytes

CONTEXT_IRI = resources.CONTEXT_IRI
JSON_SUFFIXES = (".json", ".jsonld")
YAML_SUFFIXES = (".yaml", ".yml")
RDF_SUFFIXES = tuple(sorted(s for s in LOADABLE_SUFFIXES if s != ".jsonld"))
SUFFIXES = (*RDF_SUFFIXES, *JSON_SUFFIXES, *YAML_SUFFIXES)
DOSSIER_GRAPH = "urn:evalgraph:dossier"

# JSON-LD keywords a hand-written dossier may use besides the context's terms.
_KEYWORDS = frozenset({"@context"})  # the dossier shape needs no other keyword: "id" and "type" are its aliases
_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")

Pointer = tuple[str | int, ...]


@dataclass(frozen=True)
class Limits:
    """What a dossier may hold. The defaults are far above what real dossiers need (the largest example,
    examples/dossiers/boneview.jsonld: 14 kB, 230 values, 7 levels, 163 statements, 11 resources) and keep the
    validation of any dossier within a few seconds (see docs/dossiers.md, "Limits"). Each one is an
    ``EVALGRAPH_DOSSIER_MAX_…`` setting (:class:`evalgraph.settings.Settings`)."""

    max_bytes: int = 1_000_000
    """Size of the file (or request body), checked before anything is parsed."""
    max_depth: int = 64
    """Levels of objects and lists (JSON and YAML)."""
    max_text: int = 100_000
    """Characters of one text, key or value (JSON and YAML)."""
    max_nodes: int = 5_000
    """Values — objects, lists, texts, numbers, booleans, nulls; keys not counted — of a JSON or YAML dossier,
    counted before JSON-LD expansion."""
    max_statements: int = 3_000
    """RDF statements of the dossier, counted before validation."""
    max_resources: int = 200
    """Resources the dossier describes (distinct subjects of its statements), counted before validation: SHACL
    checks each one against every shape that targets it, so they weigh most on validation time."""

    @classmethod
    def from_settings(cls, settings: object) -> Limits:
        """The limits set by ``settings`` (its ``dossier_max_…`` fields; a missing field keeps the default)."""
        defaults = cls()
        return cls(
            **{name: getattr(settings, f"dossier_{name}", getattr(defaults, name)) for name in cls.__dataclass_fields__}
        )


DEFAULT_LIMITS = Limits()

_SETTING = {name: f"EVALGRAPH_DOSSIER_{name.upper()}" for name in Limits.__dataclass_fields__}


class DossierLimitError(DataFileError):
    """A dossier over one of its :class:`Limits`: HTTP 413 for its size, 422 for its shape; exit 2."""

    http_status = 422

    def __init__(self, key: str, *, file: str, limit_name: str, limit: int, **params: object) -> None:
        self.limit_name = limit_name
        self.limit = limit
        super().__init__(key, file=file, limit=limit, setting=_SETTING[limit_name], **params)  # type: ignore[arg-type]
        if limit_name == "max_bytes":
            self.http_status = 413


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


def read(file: Path, limits: Limits = DEFAULT_LIMITS) -> list[ox.Triple]:
    """Parse the dossier ``file`` into RDF triples; any problem is a :class:`DataFileError` with its location.
    A file over ``limits.max_bytes`` is refused before it is read."""
    suffix = file.suffix.lower()
    if suffix not in SUFFIXES:
        raise DataFileError("dossier_unknown_format", file=str(file), suffix=suffix, expected=", ".join(SUFFIXES))
    try:
        size = file.stat().st_size
    except OSError:
        size = 0  # read_bytes says what is wrong with the file
    if size > limits.max_bytes:
        raise _too_large(str(file), size, limits)
    data = read_bytes(file)
    return read_data(str(file), data, suffix, limits)


def _too_large(name: str, size: int, limits: Limits) -> DossierLimitError:
    return DossierLimitError("dossier_too_large", file=name, limit_name="max_bytes", limit=limits.max_bytes, size=size)


def read_data(name: str, data: bytes, suffix: str, limits: Limits = DEFAULT_LIMITS) -> list[ox.Triple]:
    """Parse a dossier received as bytes (``name`` names it in messages; ``suffix`` gives its syntax, e.g.
    ``.yaml``) into RDF triples; any problem is a :class:`DataFileError` with its location, a dossier over one
    of ``limits`` a :class:`DossierLimitError`."""
    suffix = suffix.lower()
    if suffix not in SUFFIXES:
        raise DataFileError("dossier_unknown_format", file=name, suffix=suffix, expected=", ".join(SUFFIXES))
    if len(data) > limits.max_bytes:
        raise _too_large(name, len(data), limits)
    if suffix in RDF_SUFFIXES:
        triples = [ox.Triple(q.subject, q.predicate, q.object) for q in parse_data(name, data, suffix, DOSSIER_GRAPH)]
    else:
        try:
            text = data.decode("utf-8-sig")  # a byte-order mark, as some editors write, is fine
        except UnicodeDecodeError as exc:
            raise DataFileError("file_unreadable", file=name, reason=f"not UTF-8: {exc.reason}") from exc
        triples = read_tree(name, text, yaml_syntax=suffix in YAML_SUFFIXES, limits=limits)
    if not triples:
        raise DataFileError("dossier_empty", file=name)
    if len(triples) > limits.max_statements:
        raise DossierLimitError(
            "dossier_too_many_statements",
            file=name,
            limit_name="max_statements",
            limit=limits.max_statements,
            count=len(triples),
        )
    resources = len({t.subject for t in triples})
    if resources > limits.max_resources:
        raise DossierLimitError(
            "dossier_too_many_resources",
            file=name,
            limit_name="max_resources",
            limit=limits.max_resources,
            count=resources,
        )
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


def load_yaml(name: str, text: str, limits: Limits = DEFAULT_LIMITS) -> Any:
    """The plain value of a YAML dossier, read exactly as :func:`read` reads it (narrow scalars, no aliases or
    tags, within ``limits``); errors are :class:`DataFileError` with their location."""
    return _load_yaml(name, text, {}, limits)


def read_tree(name: str, text: str, *, yaml_syntax: bool, limits: Limits = DEFAULT_LIMITS) -> list[ox.Triple]:
    """Parse JSON (or YAML) ``text`` of a dossier called ``name`` into triples."""
    locations: dict[Pointer, tuple[int, int]] = {}
    if yaml_syntax:
        document = _load_yaml(name, text, locations, limits)
    else:
        try:
            document = json.loads(text, object_pairs_hook=_no_duplicates)
        except json.JSONDecodeError as exc:
            raise DataFileError("json_error", file=name, line=exc.lineno, column=exc.colno, detail=exc.msg) from exc
        except _DuplicateKey as exc:
            raise DataFileError(
                "json_error_nopos", file=name, detail=f"the key '{exc.key}' appears twice in one object"
            ) from exc
        except RecursionError as exc:  # deeper than Python's JSON reader goes: far deeper than the limit
            raise DossierLimitError(
                "dossier_too_deep", file=name, limit_name="max_depth", limit=limits.max_depth, where=name
            ) from exc
        except ValueError as exc:  # an integer of more than 4,300 digits
            raise DataFileError("json_error_nopos", file=name, detail=str(exc)) from exc
        _measure_json(name, document, limits)
        _index_json(text, locations, limits)
    checker = _Checker(name, locations)
    document = checker.document(document)
    try:
        parsed = ox.parse(json.dumps(document).encode("utf-8"), format=ox.RdfFormat.JSON_LD)
        return [ox.Triple(q.subject, q.predicate, q.object) for q in parsed]
    except SyntaxError as exc:
        raise DataFileError("jsonld_error", file=name, where=name, detail=str(exc)) from exc
    except MemoryError as exc:  # pyoxigraph's JSON-LD reader caps its buffer (16 MiB): only with raised limits
        raise DataFileError("jsonld_error", file=name, where=name, detail=str(exc)) from exc


def _measure_json(name: str, document: Any, limits: Limits) -> None:
    """Hold a parsed JSON dossier to ``limits`` (depth, text length, number of values) before anything else is
    done with it, walking it without recursion; a refusal names the place by its path ($.studies[2]…)."""

    def refuse(key: str, limit_name: str, pointer: Pointer, **params: object) -> DossierLimitError:
        return DossierLimitError(
            key,
            file=name,
            limit_name=limit_name,
            limit=getattr(limits, limit_name),
            where=f"{name} ({_pointer_text(pointer, 80)})",
            **params,
        )

    count = 0
    stack: list[tuple[Any, Pointer]] = [(document, ())]
    while stack:
        value, pointer = stack.pop()
        count += 1
        if count > limits.max_nodes:
            raise refuse("dossier_too_many_nodes", "max_nodes", pointer)
        if isinstance(value, str):
            if len(value) > limits.max_text:
                raise refuse("dossier_text_too_long", "max_text", pointer, length=len(value))
        elif isinstance(value, dict | list):
            if len(pointer) >= limits.max_depth:
                raise refuse("dossier_too_deep", "max_depth", pointer)
            if isinstance(value, dict):
                for key in value:
                    if len(key) > limits.max_text:
                        raise refuse("dossier_text_too_long", "max_text", pointer, length=len(key))
                children = [(item, (*pointer, key)) for key, item in value.items()]
            else:
                children = [(item, (*pointer, index)) for index, item in enumerate(value)]
            stack.extend(reversed(children))  # document order, so that a refusal names the first place


# --------------------------------------------------------------------------------------------------- YAML reading


class _NarrowLoader(yaml.SafeLoader):  # type: ignore[misc]
    """A safe loader whose only implicit scalar types are JSON's: null, true/false, integers and decimals."""


_NarrowLoader.yaml_implicit_resolvers = {}
for _tag, _pattern, _first in (
    ("tag:yaml.org,2002:bool", r"^(?:true|false)$", "tf"),
    ("tag:yaml.org,2002:null", r"^(?:null|~|)$", ["n", "~", ""]),
    ("tag:yaml.org,2002:int", r"^-?(?:0|[1-9][0-9]*)$", "-0123456789"),
    ("tag:yaml.org,2002:float", r"^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?$", "-0123456789"),
):
    _NarrowLoader.add_implicit_resolver(_tag, re.compile(_pattern), list(_first))


class _LimitedLoader(_NarrowLoader):
    """The narrow loader, composing within :class:`Limits`: each event is checked before its node is built, so
    a file nested too deeply, holding a text too long or too many values is refused as soon as the reader
    reaches the place (with its line), and an alias is refused where it appears (no alias bomb expands)."""

    def __init__(self, stream: str, name: str, limits: Limits) -> None:
        super().__init__(stream)
        self.name, self.limits, self.depth, self.nodes = name, limits, 0, 0

    def refuse(self, event: yaml.Event, key: str, limit_name: str, **params: object) -> DataFileError:
        line, column = event.start_mark.line + 1, event.start_mark.column + 1
        where = _where(self.name, line, column)
        if key == "yaml_error":
            return DataFileError(key, file=self.name, line=line, column=column, where=where, **params)
        return DossierLimitError(
            key,
            file=self.name,
            line=line,
            column=column,
            where=where,
            limit_name=limit_name,
            limit=getattr(self.limits, limit_name),
            **params,
        )

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node:
        event = self.peek_event()
        limits = self.limits
        if isinstance(event, yaml.AliasEvent):
            raise self.refuse(event, "yaml_error", "", detail="anchors and aliases are not allowed in a dossier")
        if not (isinstance(parent, yaml.MappingNode) and index is None):  # a key is not a value
            self.nodes += 1
            if self.nodes > limits.max_nodes:
                raise self.refuse(event, "dossier_too_many_nodes", "max_nodes")
        if isinstance(event, yaml.ScalarEvent):
            if len(event.value) > limits.max_text:
                raise self.refuse(event, "dossier_text_too_long", "max_text", length=len(event.value))
            return super().compose_node(parent, index)
        if isinstance(event, yaml.SequenceStartEvent | yaml.MappingStartEvent):
            self.depth += 1
            if self.depth > limits.max_depth:
                raise self.refuse(event, "dossier_too_deep", "max_depth")
            try:
                return super().compose_node(parent, index)
            finally:
                self.depth -= 1
        return super().compose_node(parent, index)


def _compose(name: str, text: str, limits: Limits) -> yaml.Node | None:
    loader = _LimitedLoader(text, name, limits)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def _load_yaml(name: str, text: str, locations: dict[Pointer, tuple[int, int]], limits: Limits) -> Any:
    try:
        node = _compose(name, text, limits)
    except RecursionError as exc:  # only when the operator allows a depth beyond what Python can recurse
        raise DossierLimitError(
            "dossier_too_deep", file=name, limit_name="max_depth", limit=limits.max_depth, where=name
        ) from exc
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        where = _where(name, line, column)
        raise DataFileError(
            "yaml_error", file=name, line=line, column=column, where=where, detail=exc.problem or str(exc)
        ) from exc
    except yaml.YAMLError as exc:
        raise DataFileError("yaml_error", file=name, where=name, detail=str(exc)) from exc
    if node is None:
        return {}
    return _construct(name, node, (), locations)


_STANDARD_TAGS = {f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "map", "seq")}


def _construct(
    name: str,
    node: yaml.Node,
    pointer: Pointer,
    locations: dict[Pointer, tuple[int, int]],
    seen: set[int] | None = None,
) -> Any:
    """Build plain values from the YAML node tree (composed within the limits), refusing what a dossier never
    needs and a file could abuse: anchors and aliases (an alias bomb expands exponentially), explicit tags,
    duplicate keys."""
    seen = set() if seen is None else seen
    line, column = node.start_mark.line + 1, node.start_mark.column + 1
    locations[pointer] = (line, column)

    def refuse(detail: str) -> DataFileError:
        return DataFileError(
            "yaml_error", file=name, line=line, column=column, where=_where(name, line, column), detail=detail
        )

    if id(node) in seen:
        raise refuse("anchors and aliases are not allowed in a dossier")
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


def _index_json(text: str, locations: dict[Pointer, tuple[int, int]], limits: Limits = DEFAULT_LIMITS) -> None:
    """Record where each key and value starts, reusing the YAML composer (JSON is YAML's flow syntax)."""
    try:
        node = _compose("", text, limits)
        if node is not None:
            _construct("", node, (), locations)
    except (yaml.YAMLError, DataFileError, RecursionError):
        return  # locations are a courtesy; JSON that YAML cannot read still gets errors, without line numbers


# --------------------------------------------------------------------------------------------------- field checking


def _where(name: str, line: int | None, column: int | None) -> str:
    return f"{name}:{line}:{column}" if line is not None else name


def _pointer_text(pointer: Pointer, width: int | None = None) -> str:
    text = "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in pointer)
    if width is not None and len(text) > width:  # a path 64 levels deep, or through a very long key
        return text[: width // 2] + "…" + text[-(width // 2) :]
    return text


class _Checker:
    """Checks a dossier tree against the context and prepares it for JSON-LD parsing."""

    def __init__(self, name: str, locations: dict[Pointer, tuple[int, int]]) -> None:
        self.name = name
        self.locations = locations
        self.terms = terms()

    def _error(self, key: str, pointer: Pointer, **params: object) -> DataFileError:
        line, column = self.locations.get(pointer, (None, None))
        return DataFileError(
            key, file=self.name, line=line, column=column, where=_where(self.name, line, column), **params
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
                "dossier_unknown_field_hint", key_pointer, field=key, within=_pointer_text(pointer), suggestion=close[0]
            )
        return self._error("dossier_unknown_field", key_pointer, field=key, within=_pointer_text(pointer))

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


def iter_dossier_files(paths: list[Path]) -> Iterator[Path]:
    """The dossier files named by ``paths``: files as given, folders expanded to their dossier files."""
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
        else:
            yield path
