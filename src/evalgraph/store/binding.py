"""Parameters bound before evaluation, for engines reached over the SPARQL protocol (which has no way to send them).

The embedded store binds a query's parameters with pyoxigraph's ``substitutions``: the variable *is* the value
everywhere in the query, sub-queries and filters included. A trailing ``VALUES`` clause is not the same (a
sub-query's ``FILTER (LANG(?label) = ?lang)`` would see ``?lang`` unbound), so for a remote engine the checked,
canonical query's tokens are rewritten instead: each occurrence of the variable becomes the value's own RDF term,
written by pyoxigraph (an IRI it has parsed, a literal it escapes) as one token — never text the user wrote. Where
a bare term is not allowed, it is wrapped: ``(TERM AS ?var)`` in a ``SELECT`` clause (so the column keeps its
value), ``(TERM)`` in ``GROUP BY`` / ``ORDER BY``. A variable the query assigns itself (``AS ?var``, ``VALUES``)
cannot be bound this way and is refused. The result is checked by the guard again before it runs.
"""

from __future__ import annotations

from collections.abc import Mapping

import pyoxigraph as ox

from evalgraph.errors import QueryError
from evalgraph.store.canonical import Token, canonical, join

_CLAUSE_ENDS = frozenset({"WHERE", "FROM", "{", "}", "GROUP", "ORDER", "HAVING", "LIMIT", "OFFSET", "VALUES"})


def substitute(text: str, bindings: Mapping[str, ox.NamedNode | ox.Literal]) -> str:
    """``text`` (a query in canonical form) with every variable of ``bindings`` replaced by its value."""
    if not bindings:
        return text
    values = {name: str(term) for name, term in bindings.items()}
    tokens = canonical(text).tokens
    dropped = _dropped_projections(tokens, values)
    out: list[Token] = []
    clause = ""  # "select", "group", "order" or "" (a pattern or an expression)
    depth = 0
    for index, token in enumerate(tokens):
        word = token.text.upper() if token.kind in ("keyword", "punct") else ""
        if word in ("SELECT", "GROUP", "ORDER"):
            clause = word.lower() if depth == 0 else clause
        elif word in _CLAUSE_ENDS and depth == 0:
            clause = ""
        if word in ("(", "[", "{"):
            depth += 1 if clause else 0
        elif word in (")", "]", "}") and depth:
            depth -= 1
        name = token.text[1:] if token.kind == "var" else ""
        if name not in values:
            out.append(token)
            continue
        before = tokens[index - 1].text.upper() if index else ""
        if before == "AS" or _in_values(tokens, index):
            raise QueryError("query_failed", detail=f"?{name} is assigned by the query and cannot be a parameter")
        if index not in dropped:
            out.extend(_written(values[name], token, clause if depth == 0 else ""))
    return join(out)


def _dropped_projections(tokens: list[Token], values: Mapping[str, str]) -> set[int]:
    """Positions of bound variables projected by a sub-query, left out of its ``SELECT`` clause: the outer query's
    ``(TERM AS ?var)`` would otherwise bind a variable already in scope. (Kept when nothing else is projected.)"""
    dropped: set[int] = set()
    selects = [i for i, t in enumerate(tokens) if t.kind == "keyword" and t.text.upper() == "SELECT"]
    for start in selects[1:]:
        depth, plain, others = 0, [], 0
        for index in range(start + 1, len(tokens)):
            text = tokens[index].text.upper()
            if depth == 0 and text in ("WHERE", "{", "FROM"):
                break
            depth += text == "("
            depth -= text == ")"
            if depth == 0 and tokens[index].kind == "var" and tokens[index].text[1:] in values:
                plain.append(index)
            elif text not in ("DISTINCT", "REDUCED", ")"):
                others += 1
        if others:
            dropped.update(plain)
    return dropped


def _written(term: str, token: Token, clause: str) -> list[Token]:
    value = Token("iri" if term.startswith("<") else "string", term, token.line)
    if clause == "select":
        return [Token("punct", "(", token.line), value, Token("keyword", "AS", token.line), token,
                Token("punct", ")", token.line)]  # fmt: skip
    if clause in ("group", "order"):
        return [Token("punct", "(", token.line), value, Token("punct", ")", token.line)]
    return [value]


def _in_values(tokens: list[Token], index: int) -> bool:
    """Whether the variable at ``index`` is in the variable list of a ``VALUES`` clause."""
    for back in range(index - 1, -1, -1):
        text = tokens[back].text.upper()
        if tokens[back].kind == "var" or text == "(":
            continue
        return text == "VALUES"
    return False
