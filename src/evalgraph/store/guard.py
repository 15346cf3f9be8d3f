"""Decide on a query's or an update's parsed structure, before anything runs, whether evalgraph runs it.

The text is first put in canonical form (:mod:`evalgraph.store.canonical`), then parsed by rdflib's SPARQL 1.1
parser into its algebra, with prefixes and BASE already applied. The decisions are made on that algebra:

* ``SERVICE`` anywhere (sub-queries, ``EXISTS``, ``OPTIONAL``, ``MINUS``, nested groups) is refused: pyoxigraph would
  call the remote endpoint; ``LOAD`` is refused: it reads a URL;
* ``FROM`` / ``FROM NAMED`` / ``USING`` / ``USING NAMED`` must name graphs the store holds;
* an update may not write, clear, drop, create, move into or out of a built-in graph, may not use a variable graph
  in a ``DELETE`` / ``INSERT`` template (it could be any graph), and may not ``CLEAR`` / ``DROP`` ``ALL`` or ``NAMED``.

Whatever the canonical scanner or rdflib cannot parse is refused (fail closed). The canonical text — the very text
that was checked — is what the engine then runs; Oxigraph parses it again and refuses what its own grammar does not
accept, so a query runs only when both grammars accept it. The protocol's ``using-graph-uri`` /
``using-named-graph-uri`` are written into the canonical token stream as ``USING`` clauses of checked IRIs, and the
result is parsed again and its algebra compared with what was asked.
"""

from __future__ import annotations

import concurrent.futures
import functools
import hashlib
import sys
import threading
from collections.abc import Iterator, Mapping, Sequence, Set
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox
from rdflib.plugins.sparql.algebra import translateQuery, translateUpdate
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import Node, URIRef, Variable

from evalgraph.errors import EvalgraphError, QueryError, ReservedGraphError, UnsafeQueryError
from evalgraph.store import syntax
from evalgraph.store.canonical import Canonical, CanonicalError, Token, canonical, join, resolve
from evalgraph.store.prefixes import predeclared

QUERY_KEYWORDS = frozenset({"SELECT", "CONSTRUCT", "DESCRIBE", "ASK"})
UPDATE_KEYWORDS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"})
"""The first keyword after the prologue says which kind a text is: only for choosing the error message (each
kind's own parser decides what it accepts)."""
_RECURSION = 100_000
"""rdflib's parser and translator recurse once per nesting level; deeper text is refused (RecursionError)."""


@dataclass(frozen=True)
class CheckedQuery:
    """A query the guard accepts: its canonical ``text`` (run this, not the original) and what it asks for."""

    text: str
    names_dataset: bool
    """The query has FROM / FROM NAMED clauses (its dataset is then those graphs)."""


def _canonical(text: str, base_iri: str | None) -> Canonical:
    """``text`` in canonical form, evalgraph's prefixes predeclared (queries/prefixes.ttl): the text's own
    declarations replace them, and the guard decides on the IRIs they expand to, like any others."""
    prefixes = predeclared()
    try:
        return canonical(text, base_iri=base_iri, prefixes=prefixes)
    except CanonicalError as exc:
        raise syntax.from_canonical(exc, prefixes) from exc


_REFUSED: dict[tuple[bytes, frozenset[str], str | None], tuple[type[EvalgraphError], str, dict[str, object]]] = {}
"""The last refusals (by text digest): an attacker repeating a costly refused text pays one check, not each time."""
_PARSER: concurrent.futures.ThreadPoolExecutor | None = None
_PARSER_LOCK = threading.Lock()


def _parser_thread() -> concurrent.futures.ThreadPoolExecutor:
    """One thread, with a deep stack, that runs rdflib's parser. pyparsing leaves reference cycles through the
    frames of the thread that parsed; on this thread those frames hold nothing of the caller's (a caller's
    pyoxigraph results, which may only be freed by the thread that made them, would otherwise leak and keep the
    store locked)."""
    global _PARSER
    with _PARSER_LOCK:
        if _PARSER is None:
            previous = threading.stack_size(256 * 1024 * 1024)
            try:
                _PARSER = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="evalgraph-sparql-parser")
                _PARSER.submit(lambda: None).result()  # start the thread now, with that stack size
            finally:
                threading.stack_size(previous)
        return _PARSER


def _parsed(function: Any, source: Canonical, original: str) -> Any:
    """``function`` (an rdflib parser) applied to ``source.text``; a refusal is located in ``original``."""
    return _parser_thread().submit(_parse_here, function, source, original).result()


def _parse_here(function: Any, source: Canonical, original: str) -> Any:
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, _RECURSION))
    try:
        return function(source.text)
    except RecursionError as exc:
        raise QueryError("query_too_deep") from exc
    except QueryError:
        raise
    except Exception as exc:  # noqa: BLE001 - pyparsing and rdflib raise many kinds; all mean "not accepted"
        raise syntax.from_parser(exc, source, original) from exc
    finally:
        sys.setrecursionlimit(limit)


def _get(node: object, key: str) -> Any:
    """``node[key]`` or None (rdflib's ``CompValue.get`` answers the key itself when it is missing)."""
    return dict.get(node, key) if isinstance(node, dict) else None


def _nodes(value: object) -> Iterator[CompValue]:
    """Every CompValue under ``value`` (depth first, iteratively: the algebra can be deep)."""
    stack: list[object] = [value]
    seen: set[int] = set()
    while stack:
        item = stack.pop()
        if isinstance(item, Node | str | int | float | bool) or item is None or id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, CompValue):
            yield item
            stack.extend(item.values())
        elif isinstance(item, Mapping):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list | tuple | set | frozenset):
            stack.extend(item)
        elif hasattr(item, "__dict__"):  # rdflib's Query / Update wrappers, expressions
            stack.extend(vars(item).values())


def _line(source: Canonical, *words: str) -> int:
    token = source.first(*words)
    return token.line if token else 1


def _refuse_keywords(source: Canonical, *words: str) -> None:
    """A first, cheap refusal on the canonical tokens — exactly the tokens both parsers will read, so a SERVICE or
    LOAD keyword here is one for them. (It also keeps rdflib's SERVICE handling, which re-searches the whole text
    and fails on some valid ones, out of the way.) The decision on the algebra below stands on its own."""
    found = source.first(*words)
    if found is not None:
        word = found.text.upper()
        raise UnsafeQueryError("unsafe_service" if word == "SERVICE" else "unsafe_load", line=found.line)


def _refuse_service(algebra: object, source: Canonical) -> None:
    for node in _nodes(algebra):
        if node.name in ("ServiceGraphPattern", "Service"):
            raise UnsafeQueryError("unsafe_service", line=_line(source, "SERVICE"))


def _known(graph: object, known: Set[str], source: Canonical, word: str) -> None:
    if str(graph) not in known:
        shown = ", ".join(f"<{g}>" for g in sorted(known)) or "—"
        raise UnsafeQueryError("unknown_from_graph", line=_line(source, word), graph=str(graph), known=shown, word=word)


@functools.lru_cache(maxsize=512)
def _check_query_cached(text: str, known: frozenset[str], base_iri: str | None) -> CheckedQuery:
    source = _canonical(text, base_iri)
    if source.tokens and source.tokens[0].kind == "keyword" and source.tokens[0].text.upper() in UPDATE_KEYWORDS:
        raise QueryError("update_in_query")
    _refuse_keywords(source, "SERVICE")
    query = _parsed(lambda t: translateQuery(parseQuery(t)), source, text)
    algebra = query.algebra
    _refuse_service(algebra, source)
    clauses = _get(algebra, "datasetClause") or []
    for clause in clauses:
        _known(_get(clause, "default") or _get(clause, "named"), known, source, "FROM")
    _engine_reads(source, text)
    return CheckedQuery(source.text, bool(clauses))


def _engine_reads(source: Canonical, original: str) -> None:
    """Oxigraph's parser reads the checked text too, once every refusal above is made, on an empty in-memory store
    (nothing to read, nothing to reach): what its grammar refuses is reported here, in the user's lines and
    columns, rather than as its grammar dump when the query runs."""
    try:
        result = ox.Store().query(source.text)
    except SyntaxError as exc:
        raise syntax.from_engine(exc, source, original) from exc
    except (OSError, RuntimeError, ValueError):
        return  # an evaluation error, not a syntax one: the real evaluation reports it
    del result  # dropped by the thread that made it


def check_query(text: str, known_graphs: Set[str], *, base_iri: str | None = None) -> CheckedQuery:
    """Check a SPARQL query; raises :class:`QueryError` (syntax), :class:`UnsafeQueryError` (SERVICE, FROM an
    unknown graph). The answer's ``text`` is what to run."""
    known = known_graphs if isinstance(known_graphs, frozenset) else frozenset(known_graphs)
    key = (hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest(), known, base_iri)
    refused = _REFUSED.get(key)
    if refused is not None:  # a text refused before is refused again at once, not re-parsed (a new error object:
        kind, error_key, params = refused  # one kept and re-raised would keep every raiser's frames alive)
        raise kind(error_key, **params)
    try:
        return _check_query_cached(text, known, base_iri)
    except EvalgraphError as exc:
        if len(_REFUSED) >= 256:
            _REFUSED.pop(next(iter(_REFUSED)))
        _REFUSED[key] = (type(exc), exc.key, dict(exc.params))
        raise


def check_update(
    text: str,
    known_graphs: Set[str],
    reserved: Set[str],
    *,
    base_iri: str | None = None,
    using: Sequence[str] = (),
    using_named: Sequence[str] = (),
) -> str:
    """Check a SPARQL Update and return its canonical text, with the protocol's ``using`` / ``using_named`` graphs
    written in. Raises :class:`QueryError`, :class:`UnsafeQueryError` (SERVICE, LOAD, USING an unknown graph) or
    :class:`ReservedGraphError` (a built-in graph would change)."""
    source = _canonical(text, base_iri)
    if source.tokens and source.tokens[0].kind == "keyword" and source.tokens[0].text.upper() in QUERY_KEYWORDS:
        raise QueryError("query_as_update")
    operations = _operations(source, text)  # parsed first: a syntax error is reported as such
    _refuse_keywords(source, "SERVICE", "LOAD")
    if using or using_named:
        source = _with_using(source, using, using_named)
        operations = _operations(source, text)
        _expect_using(operations, using, using_named)
    for operation in operations:
        for clause in (_get(operation, "using") or []) if operation.name == "Modify" else []:
            _known(_get(clause, "default") or _get(clause, "named"), known_graphs, source, "USING")
    _refuse_service(operations, source)
    for operation in operations:
        _check_operation(operation, reserved, source)
    return source.text


def _operations(source: Canonical, original: str) -> list[CompValue]:
    """The update's operations, as rdflib's algebra (an empty update is an empty list)."""
    update = _parsed(lambda t: translateUpdate(parseUpdate(t)), source, original)
    return list(getattr(update, "algebra", update) or [])


def _check_operation(operation: CompValue, reserved: Set[str], source: Canonical) -> None:
    name = operation.name
    if name == "Load":
        raise UnsafeQueryError("unsafe_load", line=_line(source, "LOAD"))
    if name in ("Clear", "Drop", "Create"):
        target = _get(operation, "graphiri")
        word = name.upper()
        if target in ("ALL", "NAMED") and reserved:
            raise ReservedGraphError("update_all_graphs", line=_line(source, word), word=word)
        _not_reserved(target, reserved, source, word)
    elif name in ("Add", "Copy", "Move"):
        origin, target = operation["graph"]
        _not_reserved(target, reserved, source, name.upper())
        if name == "Move":
            _not_reserved(origin, reserved, source, "MOVE")
    elif name in ("InsertData", "DeleteData", "DeleteWhere"):
        _template(operation, reserved, source, None)
    elif name == "Modify":
        with_graph = _get(operation, "withClause")
        _not_reserved(with_graph, reserved, source, "WITH")
        for part in ("delete", "insert"):
            if _get(operation, part) is not None:
                _template(operation[part], reserved, source, with_graph)
    else:  # an operation this guard does not know: refuse rather than guess
        raise QueryError("query_syntax", detail=f"unsupported update operation {name}")


def _template(clause: CompValue, reserved: Set[str], source: Canonical, default: object) -> None:
    for graph in _get(clause, "quads") or {}:
        if isinstance(graph, Variable):
            raise ReservedGraphError("update_variable_graph", line=_line(source, "GRAPH"), variable=f"?{graph}")
        _not_reserved(graph, reserved, source, "GRAPH")
    if _get(clause, "triples") and default is not None:
        _not_reserved(default, reserved, source, "WITH")


def _not_reserved(graph: object, reserved: Set[str], source: Canonical, word: str) -> None:
    if isinstance(graph, URIRef) and str(graph) in reserved:
        raise ReservedGraphError("update_reserved_graph", line=_line(source, word), graph=str(graph))


def _with_using(source: Canonical, using: Sequence[str], using_named: Sequence[str]) -> Canonical:
    """``source`` with ``USING`` / ``USING NAMED`` clauses before the ``WHERE`` of each DELETE/INSERT … WHERE
    operation (SPARQL 1.1 Protocol 2.2.3). The graphs are checked IRIs; an update that already has USING or
    WITH may not be given them (the protocol requires an error)."""
    clash = source.first("USING", "WITH")
    if clash is not None:
        raise UnsafeQueryError("using_conflict", line=clash.line, word=clash.text.upper())
    clause: list[Token] = []
    for graph in using:
        clause += [Token("keyword", "USING", 1), Token("iri", f"<{_checked_iri(graph)}>", 1)]
    for graph in using_named:
        clause += [
            Token("keyword", "USING", 1),
            Token("keyword", "NAMED", 1),
            Token("iri", f"<{_checked_iri(graph)}>", 1),
        ]
    tokens, out = source.tokens, []
    depth, modify = 0, False
    for index, token in enumerate(tokens):
        if token.kind == "punct" and token.text in "{(":
            depth += 1
        elif token.kind == "punct" and token.text in "})":
            depth -= 1
        elif depth == 0 and token.kind == "punct" and token.text == ";":
            modify = False
        elif depth == 0 and token.kind == "keyword" and token.text.upper() in ("DELETE", "INSERT"):
            following = tokens[index + 1] if index + 1 < len(tokens) else None
            modify = modify or (following is not None and following.text == "{")
        elif depth == 0 and modify and token.kind == "keyword" and token.text.upper() == "WHERE":
            out.extend(clause)
            modify = False
        out.append(token)
    return Canonical(join(out), out)


def _checked_iri(graph: str) -> str:
    try:
        iri = resolve(graph, None, 1)
    except CanonicalError as exc:
        raise UnsafeQueryError("bad_protocol_graph", graph=graph[:200], detail=exc.reason) from exc
    if iri != graph:
        raise UnsafeQueryError("bad_protocol_graph", graph=graph[:200], detail="not in normal form")
    return iri


def _expect_using(operations: list[CompValue], using: Sequence[str], using_named: Sequence[str]) -> None:
    """The re-parsed update has exactly the protocol's USING clauses on each DELETE/INSERT … WHERE operation."""
    wanted = [("default", g) for g in using] + [("named", g) for g in using_named]
    for operation in operations:
        if operation.name != "Modify":
            continue
        found = [
            ("default", str(c["default"])) if _get(c, "default") is not None else ("named", str(c["named"]))
            for c in _get(operation, "using") or []
        ]
        if found != wanted:
            raise QueryError("query_syntax", detail="using-graph-uri could not be applied to this update")
