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

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import yaml

from evalgraph import resources
from evalgraph.dossiers.fields import Checker as _Checker
from evalgraph.dossiers.fields import Term, context, terms
from evalgraph.dossiers.limits import DEFAULT_LIMITS, DossierLimitError, Limits, Pointer, where
from evalgraph.dossiers.limits import measure_json as _measure_json
from evalgraph.dossiers.yaml_tree import compose as _compose
from evalgraph.dossiers.yaml_tree import construct as _construct
from evalgraph.dossiers.yaml_tree import index_json as _index_json
from evalgraph.errors import DataFileError
from evalgraph.store.parsing import LOADABLE_SUFFIXES, parse_data, read_bytes

__all__ = [
    "CONTEXT_IRI",
    "DEFAULT_LIMITS",
    "DOSSIER_GRAPH",
    "JSON_SUFFIXES",
    "RDF_SUFFIXES",
    "SUFFIXES",
    "YAML_SUFFIXES",
    "DossierLimitError",
    "Limits",
    "Pointer",
    "Term",
    "context",
    "iter_dossier_files",
    "load_yaml",
    "read",
    "read_bytes",
    "read_data",
    "read_tree",
    "terms",
]

CONTEXT_IRI = resources.CONTEXT_IRI
JSON_SUFFIXES = (".json", ".jsonld")
YAML_SUFFIXES = (".yaml", ".yml")
RDF_SUFFIXES = tuple(sorted(s for s in LOADABLE_SUFFIXES if s != ".jsonld"))
SUFFIXES = (*RDF_SUFFIXES, *JSON_SUFFIXES, *YAML_SUFFIXES)
DOSSIER_GRAPH = "urn:evalgraph:dossier"


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
        place = where(name, line, column)
        raise DataFileError(
            "yaml_error", file=name, line=line, column=column, where=place, detail=exc.problem or str(exc)
        ) from exc
    except yaml.YAMLError as exc:
        raise DataFileError("yaml_error", file=name, where=name, detail=str(exc)) from exc
    if node is None:
        return {}
    return _construct(name, node, (), locations)


def iter_dossier_files(paths: list[Path]) -> Iterator[Path]:
    """The dossier files named by ``paths``: files as given, folders expanded to their dossier files."""
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
        else:
            yield path
