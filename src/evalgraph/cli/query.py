"""``evalgraph query``: a SPARQL query given as text, a .rq file, a named query or standard input."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import click

from evalgraph import resources
from evalgraph.cli.context import Context, pass_context
from evalgraph.cli.presenters.results import print_catalogue, print_result
from evalgraph.errors import UsageError
from evalgraph.store.oxigraph import OxigraphStore
from evalgraph.store.queries import NamedQuery


@click.command()
@click.argument("query", required=False)
@click.option("--list", "listing", is_flag=True, help="List the named queries: name, title, parameters.")
@click.option(
    "--param",
    "params",
    multiple=True,
    metavar="KEY=VALUE",
    help="A parameter of a named query (repeatable); values are bound, never pasted into the query.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "tsv", "json", "turtle", "ntriples"]),
    default=None,
    help="Output format (default: table for SELECT/ASK, turtle for CONSTRUCT/DESCRIBE).",
)
@pass_context
def query(context: Context, query: str | None, listing: bool, params: Sequence[str], fmt: str | None) -> None:
    """Run a SPARQL query given as text, as a .rq file, as a named query of queries/, or '-' for stdin."""
    from evalgraph.store import queries

    override = context.settings.resources_dir
    if listing:
        print_catalogue(context.out, queries.catalogue(override), context.lang)
        return
    if query is None:
        raise UsageError("query_or_list")
    given = _parameters(params)
    known = resources.names("queries", override=override)
    if query in known:
        named = queries.load(query, override)
        store = context.store()
        result = store.query(named.text, queries.bind(named, technology_named(store, named, given)))
    else:
        if given:
            raise UsageError("params_need_named_query")
        result = context.store().query(_query_text(context, query))
    print_result(context.out, context.err, result, fmt, context.lang)


def technology_named(store: OxigraphStore, named: NamedQuery, given: dict[str, str]) -> dict[str, str]:
    """``given`` with a ``technology`` IRI parameter resolved as ``qualify`` resolves it: an IRI, a prefixed name or a
    name only one technology has (``BoneView``)."""
    from evalgraph.qualification.engine import resolve_technology

    declared = {p.name: p.type for p in named.parameters}
    if declared.get("technology") != "IRI" or "technology" not in given:
        return given
    return {**given, "technology": resolve_technology(store, given["technology"])}


def _parameters(params: Sequence[str]) -> dict[str, str]:
    """The ``--param KEY=VALUE`` options as a mapping."""
    given: dict[str, str] = {}
    for item in params:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise UsageError("bad_param_syntax", value=item)
        given[key.strip()] = value
    return given


def _query_text(context: Context, argument: str) -> str:
    if argument == "-":
        return sys.stdin.read()
    candidate = Path(argument)
    if candidate.suffix == ".rq" or (len(argument) < 4096 and "\n" not in argument and _is_file(candidate)):
        try:
            return candidate.read_text(encoding="utf-8")
        except FileNotFoundError as exc:
            raise UsageError("file_not_found", file=argument) from exc
    if any(ch.isspace() for ch in argument.strip()) or "{" in argument:
        return argument
    known = resources.names("queries", override=context.settings.resources_dir)
    raise UsageError("unknown_query", name=argument, known=", ".join(known))


def _is_file(candidate: Path) -> bool:
    """Whether ``candidate`` names a file (a query text longer than a file name can be is not one)."""
    try:
        return candidate.is_file()
    except OSError:
        return False
