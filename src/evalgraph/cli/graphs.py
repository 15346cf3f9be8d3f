"""``evalgraph remove establishment NAME`` and ``evalgraph remove graph GRAPH``: take an establishment's graphs or
an imported graph (and their provenance records) out of the store; and how a report names the graphs it reads
besides the national reference data (``--establishment``, ``--graph``)."""

from __future__ import annotations

from collections.abc import Sequence

import click

from evalgraph.choice.records import CHOICE_GRAPH_BASE
from evalgraph.cli.context import Context, pass_context
from evalgraph.errors import UsageError
from evalgraph.establishments.inventory import naming
from evalgraph.store.oxigraph import IMPORT_GRAPH_BASE, OxigraphStore
from evalgraph.store.scope import is_reference
from evalgraph.vocab import EGG, compact, expand


def establishment_graphs(store: OxigraphStore, name: str) -> list[str]:
    """An imported establishment's graphs: its inventory and economics, and its choice records if any."""
    _iri, slug = naming.imported(store, name)
    present = store.graph_iris()
    return [g for g in (naming.ESTABLISHMENT_GRAPH_BASE + slug, CHOICE_GRAPH_BASE + slug) if g in present]


def named_graph(store: OxigraphStore, given: str) -> str:
    """The store's graph ``given`` names: its IRI, its name under the graph base (``import/mine``,
    ``market/hair``) or the name ``evalgraph load`` gave it (the file's stem)."""
    present = store.graph_iris()
    for candidate in (given, expand(given), EGG + given, IMPORT_GRAPH_BASE + given):
        if candidate in present:
            return candidate
    known = ", ".join(compact(g) for g in sorted(present) if not is_reference(g)) or "—"
    raise UsageError("unknown_graph", graph=given, known=known)


def added_graphs(store: OxigraphStore, establishments: Sequence[str], graphs: Sequence[str]) -> tuple[str, ...]:
    """The graphs ``--establishment`` and ``--graph`` add to a report's scope."""
    found = [g for name in establishments for g in establishment_graphs(store, name)]
    return tuple(dict.fromkeys([*found, *(named_graph(store, g) for g in graphs)]))


@click.group()
def remove() -> None:
    """Remove an establishment's graphs or an imported graph from the store (the built-in graphs cannot be
    removed: `init --reload` replaces them)."""


@remove.command("establishment")
@click.argument("name")
@pass_context
def remove_establishment(context: Context, name: str) -> None:
    """Remove an imported establishment: its inventory and economics graph and its choice records."""
    store = context.store()
    _drop(context, store, establishment_graphs(store, name))


@remove.command("graph")
@click.argument("graphs", nargs=-1, required=True)
@pass_context
def remove_graph(context: Context, graphs: Sequence[str]) -> None:
    """Remove graphs by IRI or name (`evalgraph load` graphs, registry snapshots, choice records…). A registry
    snapshot evalgraph ships (the FDA list) is imported again at the next start when none is left."""
    store = context.store()
    _drop(context, store, [named_graph(store, g) for g in graphs])


def _drop(context: Context, store: OxigraphStore, graphs: list[str]) -> None:
    from evalgraph.cartography import report as carto

    triples = sum(store.count(g) for g in graphs)
    store.drop_graphs(graphs)
    with context.err.status(context.msg("qualify_progress")):
        carto.refresh_inferred(store)
    names = ", ".join(compact(g) for g in graphs)
    context.out.print(context.msg("graphs_removed", graphs=names, triples=triples))
