"""Readable SPARQL syntax errors: where in the user's own text (line and column) and a hint.

The guard parses the canonical text (:mod:`evalgraph.store.canonical`), one line of tokens; the parser's position
in it is mapped back to the token, and the token to its line and column in the query as the user wrote it. Hints:
a misspelt keyword ("did you mean SELECT?"), a bracket never closed, an undeclared prefix close to a predeclared one.
The hints only explain a refusal; they never decide one."""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping

from evalgraph.errors import QuerySyntaxError
from evalgraph.store.canonical import Canonical, CanonicalError, Token, offsets

KEYWORDS = frozenset(
    """SELECT CONSTRUCT DESCRIBE ASK WHERE FROM NAMED PREFIX BASE DISTINCT REDUCED AS OPTIONAL UNION MINUS GRAPH
    SERVICE SILENT FILTER BIND VALUES UNDEF EXISTS NOT IN ORDER BY ASC DESC LIMIT OFFSET GROUP HAVING INSERT DELETE
    DATA LOAD CLEAR DROP CREATE ADD MOVE COPY TO INTO WITH USING DEFAULT ALL COUNT SUM MIN MAX AVG SAMPLE
    GROUP_CONCAT SEPARATOR STR LANG LANGMATCHES DATATYPE BOUND IRI URI BNODE RAND ABS CEIL FLOOR ROUND CONCAT STRLEN
    UCASE LCASE ENCODE_FOR_URI CONTAINS STRSTARTS STRENDS STRBEFORE STRAFTER YEAR MONTH DAY HOURS MINUTES SECONDS
    TIMEZONE TZ NOW UUID STRUUID MD5 SHA1 SHA256 SHA384 SHA512 COALESCE IF STRLANG STRDT SAMETERM ISIRI ISURI ISBLANK
    ISLITERAL ISNUMERIC REGEX SUBSTR REPLACE TRUE FALSE A""".split()
)
_PAIRS = {"{": "}", "(": ")", "[": "]"}
_ENGINE_AT = re.compile(r"error at (\d+):(\d+)")
_ENGINE_REASONS = {
    "The SELECT contains a variable that is unbound": "syntax_hint_ungrouped",
    "The SELECT contains an expression with a variable that is unbound": "syntax_hint_ungrouped",
    "Duplicated variable name in SELECT": "syntax_hint_duplicate",
    "SELECT * is not authorized with GROUP BY": "syntax_hint_star_group",
}
"""Oxigraph's reasons (in its list of what it expected), as messages evalgraph translates."""


def from_canonical(exc: CanonicalError, prefixes: Mapping[str, str]) -> QuerySyntaxError:
    """The scanner's or the prologue's refusal, with a hint for an undeclared prefix close to a known one."""
    params: dict[str, object] = {"line": exc.line, "column": exc.column or 1, "detail": exc.detail[:200]}
    if exc.reason == "unknown_prefix":
        close = difflib.get_close_matches(exc.detail.rstrip(":"), list(prefixes), n=1, cutoff=0.6)
        if close:
            params.update(hint="syntax_hint_prefix", hint_params={"prefix": close[0] + ":"})
    return QuerySyntaxError(f"syntax_{exc.reason}", **params)


def from_parser(exc: Exception, source: Canonical, original: str) -> QuerySyntaxError:
    """rdflib's (pyparsing's) refusal of ``source.text``, located in ``original`` (the user's text)."""
    location = getattr(exc, "loc", None)
    if not isinstance(location, int) or not source.tokens:
        detail = str(exc).splitlines()[0][:300] if str(exc) else type(exc).__name__
        return QuerySyntaxError("query_syntax", detail=detail)
    starts = offsets(source.tokens)
    index = next((i for i, start in enumerate(starts) if start + len(source.tokens[i].text) > location), None)
    params: dict[str, object] = _hint(source.tokens, index)
    if index is None:
        line, column = _end(original)
        return QuerySyntaxError("syntax_unexpected_end", line=line, column=column, **params)
    token = source.tokens[index]
    found = token.text if len(token.text) <= 60 else token.text[:57] + "…"
    return QuerySyntaxError("syntax_unexpected", line=token.line, column=token.column or 1, found=found, **params)


def _hint(tokens: list[Token], index: int | None) -> dict[str, object]:
    """A misspelt keyword at the failing token, else the innermost bracket that is never closed."""
    if index is not None and tokens[index].kind == "keyword":
        word = tokens[index].text.upper()
        close = [] if word in KEYWORDS else difflib.get_close_matches(word, KEYWORDS, n=1, cutoff=0.6)
        if close:
            return {"hint": "syntax_hint_keyword", "hint_params": {"keyword": close[0]}}
    opened: list[Token] = []
    for token in tokens:
        if token.kind == "punct" and token.text in _PAIRS:
            opened.append(token)
        elif token.kind == "punct" and token.text in _PAIRS.values():
            if not opened or _PAIRS[opened[-1].text] != token.text:
                return {"hint": "syntax_hint_unopened", "hint_params": _at(token)}
            opened.pop()
    if opened:
        return {"hint": "syntax_hint_unclosed", "hint_params": _at(opened[-1])}
    return {}


def _at(token: Token) -> dict[str, object]:
    return {"bracket": token.text, "line": token.line, "column": token.column or 1}


def _end(text: str) -> tuple[int, int]:
    """Line and column just after the last character of ``text`` that is not white space."""
    body = text.rstrip()
    lines = body.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return len(lines), len(lines[-1]) + 1


def from_engine(exc: SyntaxError, source: Canonical, original: str) -> QuerySyntaxError:
    """Oxigraph's refusal of ``source.text`` (a query rdflib accepted: a variable selected but neither grouped nor
    aggregated, one selected twice, BIND to a bound variable…), located in ``original``, without its grammar dump."""
    found = _ENGINE_AT.search(str(exc))
    if found is None or not source.tokens:
        return QuerySyntaxError("query_syntax", detail=str(exc).splitlines()[0][:200] if str(exc) else "")
    row, column = int(found.group(1)), int(found.group(2))
    encoded = source.text.encode("utf-8")
    start = sum(len(line) + 1 for line in encoded.split(b"\n")[: row - 1])  # Oxigraph counts bytes
    location = len(encoded[: start + column - 1].decode("utf-8", "ignore"))
    reason = next((key for text, key in _ENGINE_REASONS.items() if text in str(exc)), "syntax_hint_engine")
    params: dict[str, object] = {"hint": reason, "hint_params": {}}
    starts = offsets(source.tokens)
    before = [i for i, begin in enumerate(starts) if begin <= location]
    if not before or location >= len(source.text):
        line, column = _end(original)
        return QuerySyntaxError("syntax_engine", line=line, column=column, **params)
    token = source.tokens[before[-1]]
    return QuerySyntaxError("syntax_engine", line=token.line, column=token.column or 1, **params)
