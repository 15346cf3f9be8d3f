"""Query results on the terminal: a table (SELECT, CONSTRUCT), true/false (ASK) or a serialisation; and the list
of named queries."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import click
import pyoxigraph as ox
from rich.console import Console
from rich.table import Table

from evalgraph.i18n import message
from evalgraph.store import formats
from evalgraph.store.formats import Term
from evalgraph.store.oxigraph import QueryResult


def print_result(out: Console, err: Console, result: QueryResult, fmt: str | None, lang: str) -> None:
    """``result`` as ``fmt`` (default: a table for SELECT and ASK, Turtle for CONSTRUCT and DESCRIBE)."""
    if fmt is None:
        fmt = "turtle" if result.kind == "graph" else "table"
    if fmt != "table":
        click.echo(formats.serialize(result, fmt), nl=False)
        return
    if result.kind == "ask":
        out.print("true" if result.boolean else "false")
        return
    table = Table(show_lines=False)
    if result.kind == "graph":
        for column in ("subject", "predicate", "object"):
            table.add_column(column)
        for triple in result.triples:
            table.add_row(*(formats.display(t) for t in (triple.subject, triple.predicate, triple.object)))
    else:
        for variable in result.variables:
            table.add_column(variable)
        tagged = [
            len({t.language for t in column if isinstance(t, ox.Literal) and t.language}) > 1
            for column in zip(*result.rows, strict=True)
        ]
        for row in result.rows:
            table.add_row(*(_cell(term, tagged[i]) for i, term in enumerate(row)))
    out.print(table)
    if not len(result):
        err.print(message("no_rows", lang))


def _cell(term: Term, tagged: bool) -> str:
    """A term for the table; a language tag only in a column that mixes languages (``@en`` on every literal of a
    one-language column says nothing)."""
    if isinstance(term, ox.Literal) and term.language and not tagged:
        return term.value
    return formats.display(term)


def print_catalogue(out: Console, catalogue: Sequence[Any], lang: str) -> None:
    """The named queries: name, title, parameters."""
    fr = lang == "fr"
    table = Table(title="Requêtes nommées" if fr else "Named queries", show_lines=False)
    table.add_column("nom" if fr else "name", no_wrap=True)
    table.add_column("titre" if fr else "title")
    table.add_column("paramètres" if fr else "parameters")
    for named in catalogue:
        table.add_row(named.name, named.title(lang), "; ".join(p.describe() for p in named.parameters))
    out.print(table)
