"""Refuse SPARQL that would make evalgraph reach outside its store, before anything is executed.

pyoxigraph follows ``SERVICE`` with outbound HTTP calls and has no switch to turn that off, and ``LOAD`` reads
URLs; both are refused. ``FROM`` / ``FROM NAMED`` are allowed only for graphs the store holds. The check works on
tokens (comments, strings and IRIs are skipped), so a keyword inside a literal or an IRI is never mistaken for
one, and it does not depend on a second SPARQL parser agreeing with pyoxigraph's grammar.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence, Set
from dataclasses import dataclass

from evalgraph.errors import ReservedGraphError, UnsafeQueryError

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n]*)
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
  | (?P<var>[?$][A-Za-z0-9_\u00B7-\uFFFF]+)
  | (?P<word>[A-Za-z_\u00C0-\uFFFF][A-Za-z0-9_\-.\u00B7-\uFFFF]*(?::[^\s{}()<>,;"'\#]*)?|:[^\s{}()<>,;"'\#]*)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)

UPDATE_KEYWORDS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"})
QUERY_KEYWORDS = frozenset({"SELECT", "CONSTRUCT", "DESCRIBE", "ASK"})


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    line: int
    start: int = 0
    """Offset of the token in the text."""


def tokens(text: str) -> Iterator[Token]:
    """Significant tokens of SPARQL ``text`` (no whitespace, no comments), with their line numbers."""
    line = 1
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "other"
        value = match.group()
        if kind not in ("ws", "comment"):
            yield Token(kind, value, line, match.start())
        line += value.count("\n")


def operation_kind(text: str) -> str:
    """``query`` or ``update``, from the first keyword after the prologue (``unknown`` if there is none)."""
    for token in tokens(text):
        if token.kind != "word" or ":" in token.text:
            continue
        word = token.text.upper()
        if word in QUERY_KEYWORDS:
            return "query"
        if word in UPDATE_KEYWORDS:
            return "update"
    return "unknown"


def check(text: str, known_graphs: Set[str]) -> None:
    """Raise :class:`UnsafeQueryError` if ``text`` uses SERVICE, LOAD, or FROM a graph not in ``known_graphs``."""
    stream = list(tokens(text))
    for index, token in enumerate(stream):
        if token.kind != "word" or ":" in token.text:
            continue
        word = token.text.upper()
        if word == "SERVICE":
            raise UnsafeQueryError("unsafe_service", line=token.line)
        if word == "LOAD":
            raise UnsafeQueryError("unsafe_load", line=token.line)
        if word == "FROM":
            following = stream[index + 1 : index + 3]
            if following and following[0].kind == "word" and following[0].text.upper() == "NAMED":
                following = following[1:]
            if not following or following[0].kind != "iri":
                raise UnsafeQueryError("from_prefixed", line=token.line)
            graph = following[0].text[1:-1]
            if graph not in known_graphs:
                shown = ", ".join(f"<{g}>" for g in sorted(known_graphs)) or "—"
                raise UnsafeQueryError("unknown_from_graph", line=token.line, graph=graph, known=shown)


def check_update(text: str, reserved: Set[str]) -> None:
    """Raise :class:`ReservedGraphError` if the update names a graph of ``reserved``, or would CLEAR / DROP ALL or
    NAMED graphs (which would wipe the reserved ones too)."""
    stream = list(tokens(text))
    for index, token in enumerate(stream):
        if token.kind == "iri" and token.text[1:-1] in reserved:
            raise ReservedGraphError("update_reserved_graph", line=token.line, graph=token.text[1:-1])
        if token.kind == "word" and token.text.upper() in ("CLEAR", "DROP"):
            following = [t.text.upper() for t in stream[index + 1:index + 3] if t.kind == "word"]
            if any(word in ("ALL", "NAMED") for word in following):
                raise ReservedGraphError("update_all_graphs", line=token.line, word=token.text.upper())


def with_using(update: str, using: Sequence[str], using_named: Sequence[str]) -> str:
    """``update`` with the protocol's ``using-graph-uri`` / ``using-named-graph-uri`` written as ``USING`` /
    ``USING NAMED`` clauses before the ``WHERE`` of each DELETE/INSERT operation (SPARQL 1.1 Protocol 2.2.3).

    An update that already says ``USING``, ``USING NAMED`` or ``WITH`` may not be given them (a
    :class:`UnsafeQueryError`, as the protocol requires an error). ``DELETE WHERE`` and ``… DATA`` operations have no
    dataset clause and are left as they are."""
    stream = list(tokens(update))
    for token in stream:
        if token.kind == "word" and token.text.upper() in ("USING", "WITH"):
            raise UnsafeQueryError("using_conflict", line=token.line, word=token.text.upper())
    clause = " ".join([*(f"USING <{g}>" for g in using), *(f"USING NAMED <{g}>" for g in using_named)]) + " "
    depth, modify, inserts = 0, False, []
    for index, token in enumerate(stream):
        if token.kind == "other" and token.text == "{":
            depth += 1
        elif token.kind == "other" and token.text == "}":
            depth -= 1
        elif depth == 0 and token.kind == "other" and token.text == ";":
            modify = False
        elif depth == 0 and token.kind == "word" and token.text.upper() in ("DELETE", "INSERT"):
            following = stream[index + 1] if index + 1 < len(stream) else None
            modify = following is not None and following.kind == "other" and following.text == "{"
        elif depth == 0 and modify and token.kind == "word" and token.text.upper() == "WHERE":
            inserts.append(token.start)
            modify = False
    for offset in reversed(inserts):
        update = update[:offset] + clause + update[offset:]
    return update
