"""Reading RDF files and bytes: the format from the extension (pyoxigraph's own table), the file's bytes, and a
complete parse whose errors name the file, line and column. Nothing a document points to is fetched or read: XML
DOCTYPEs and JSON-LD contexts other than evalgraph's own are refused before parsing, evalgraph's context is resolved
from the package."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from evalgraph import resources
from evalgraph.errors import DataFileError

LOADABLE_SUFFIXES = (".jsonld", ".nt", ".owl", ".rdf", ".ttl", ".turtle", ".xml")
"""Extensions of the triple files evalgraph loads; pyoxigraph says which format each is."""
_SUFFIX_ALIASES = {".turtle": "ttl", ".owl": "rdf"}
"""Extensions pyoxigraph does not know, as the ones it does."""

_POSITION = re.compile(r"line (\d+) column (\d+)|at (\d+):(\d+)")


def rdf_format(file: Path) -> tuple[ox.RdfFormat, str]:
    """The RDF format of ``file`` from its extension, and its name, or a :class:`DataFileError` naming the
    expected extensions (and saying so when it is a format of named graphs: load those into one graph instead)."""
    suffix = file.suffix.lower()
    found = ox.RdfFormat.from_extension(_SUFFIX_ALIASES.get(suffix, suffix[1:])) if suffix else None
    if found in (ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG):  # (JSON-LD may hold named graphs too: it loads)
        raise DataFileError("quad_format", file=str(file), format=found.name)
    if found is None or suffix not in LOADABLE_SUFFIXES:
        raise DataFileError("unknown_format", file=str(file), suffix=suffix, expected=", ".join(LOADABLE_SUFFIXES))
    return found, found.name


def _refuse_external_references(file: Path, data: bytes, format_name: str) -> bytes:
    """Refuse XML DOCTYPEs (entities can read files or URLs) and remote JSON-LD contexts before parsing; return
    the data to parse, with evalgraph's own context resolved locally."""
    if format_name == "RDF/XML":
        match = re.search(rb"<!DOCTYPE", data, re.IGNORECASE)
        if match:
            line = data.count(b"\n", 0, match.start()) + 1
            column = match.start() - (data.rfind(b"\n", 0, match.start()) + 1) + 1
            raise DataFileError("doctype_refused", file=str(file), line=line, column=column)
    elif format_name == "JSON-LD":
        try:
            document = json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            position = (exc.lineno, exc.colno) if isinstance(exc, json.JSONDecodeError) else (None, None)
            raise DataFileError(
                "json_error", file=str(file), line=position[0], column=position[1], detail=str(exc)
            ) from exc
        for context in _contexts(document):
            if isinstance(context, str) and context != resources.CONTEXT_IRI:
                raise DataFileError("remote_context_refused", file=str(file), context=context)
        if any(context == resources.CONTEXT_IRI for context in _contexts(document)):
            return json.dumps(_with_local_context(document)).encode("utf-8")
    return data


def _with_local_context(node: object) -> object:
    """``node`` with evalgraph's context IRI replaced by the context itself (it is never fetched)."""
    if isinstance(node, dict):
        return {
            key: (
                resources.jsonld_context()
                if key == "@context" and value == resources.CONTEXT_IRI
                else [resources.jsonld_context() if v == resources.CONTEXT_IRI else v for v in value]
                if key == "@context" and isinstance(value, list)
                else _with_local_context(value)
            )
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_with_local_context(item) for item in node]
    return node


def _contexts(node: object) -> Iterable[object]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "@context":
                yield from value if isinstance(value, list) else [value]
            else:
                yield from _contexts(value)
    elif isinstance(node, list):
        for item in node:
            yield from _contexts(item)


def read_bytes(file: Path) -> bytes:
    """The content of ``file``; a missing or unreadable file is a :class:`DataFileError` naming it."""
    try:
        return file.read_bytes()
    except FileNotFoundError as exc:
        raise DataFileError("file_not_found", file=str(file)) from exc
    except OSError as exc:
        raise DataFileError("file_unreadable", file=str(file), reason=exc.strerror or str(exc)) from exc


def parse_file(file: Path, graph: str, *, relative_iris: bool = True) -> list[ox.Quad]:
    """Parse ``file`` completely into quads of ``graph``; errors name the file, line and column.

    Relative IRIs resolve against the file's location, unless ``relative_iris`` is False: then they are errors
    (a dossier must not mint IRIs from where it happens to be stored)."""
    rdf_fmt, format_name = rdf_format(file)
    data = read_bytes(file)
    return parse_data(str(file), data, file.suffix, graph, base_iri=file.resolve().as_uri() if relative_iris else None)


def parse_data(name: str, data: bytes, suffix: str, graph: str, *, base_iri: str | None = None) -> list[ox.Quad]:
    """Parse ``data`` (named ``name`` in messages, in the RDF syntax of ``suffix``) completely into quads of
    ``graph``. Without ``base_iri``, relative IRIs are errors; XML DOCTYPEs and JSON-LD contexts other than
    evalgraph's own are refused before parsing."""
    rdf_fmt, format_name = rdf_format(Path(name).with_suffix(suffix) if suffix else Path(name))
    data = _refuse_external_references(Path(name), data, format_name)
    target = ox.NamedNode(graph)
    try:
        return [
            ox.Quad(t.subject, t.predicate, t.object, target)
            for t in ox.parse(data, format=rdf_fmt, base_iri=base_iri, without_named_graphs=True)
        ]
    except SyntaxError as exc:
        raise syntax_error(name, format_name, exc) from exc


def checked_bytes(file: Path, format_name: str) -> bytes:
    """The bytes of ``file`` to parse as ``format_name``, XML DOCTYPEs and remote JSON-LD contexts refused."""
    return _refuse_external_references(file, read_bytes(file), format_name)


def syntax_error(name: str, format_name: str, exc: SyntaxError) -> DataFileError:
    """pyoxigraph's parse error as evalgraph's, naming the file, line and column."""
    detail = str(exc.msg if hasattr(exc, "msg") and exc.msg else exc)
    line: int | None = exc.lineno
    column: int | None = exc.offset
    if line is None:
        match = _POSITION.search(detail)
        if match:
            groups = [g for g in match.groups() if g is not None]
            line, column = int(groups[0]), int(groups[1])
    detail = re.sub(r"^Parser error (between|at) .*?: ", "", detail)
    if line is None:
        return DataFileError("parse_error_nopos", file=name, format=format_name, detail=detail)
    return DataFileError("parse_error", file=name, line=line, column=column, format=format_name, detail=detail)
