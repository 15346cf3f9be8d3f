"""Which named graphs a report reads. The national reference data — the ontology, the knowledge base, the
catalogue, the market registries' snapshots, the provenance records and the inferred graph — by default; an
establishment's graphs or a graph loaded with ``evalgraph load`` only when asked, so that an inventory import does
not leak into the national cartography (its products, created for review, would be counted as technologies of the
market)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from evalgraph.store.oxigraph import BUILTIN_GRAPHS, INFERRED_GRAPH, META_GRAPH, STAGING_GRAPH_BASE
from evalgraph.vocab import EGG

MARKET_GRAPH_BASE = EGG + "market/"
"""Every registry snapshot (``evalgraph import fda|hair|…``) goes to a graph under this base (forms/market.ttl)."""
REFERENCE_GRAPHS = frozenset((*BUILTIN_GRAPHS, META_GRAPH, INFERRED_GRAPH))


def is_reference(graph: str) -> bool:
    return graph in REFERENCE_GRAPHS or graph.startswith(MARKET_GRAPH_BASE)


@dataclass(frozen=True)
class Scope:
    """The graphs a report reads: the reference graphs the store holds, plus ``added`` (asked for by name);
    ``left_out`` are the store's other graphs (establishments, imports, choice records…), which it does not read."""

    graphs: tuple[str, ...]
    added: tuple[str, ...]
    left_out: tuple[str, ...]

    @property
    def national(self) -> bool:
        return not self.added

    @property
    def dataset(self) -> tuple[str, ...] | None:
        """The graphs to pass to ``query(graphs=…)``: None (the union of every graph, which Oxigraph evaluates up
        to twice as fast as an explicit list) when the scope leaves nothing out."""
        return self.graphs if self.left_out else None


def scope(present: Iterable[str], added: Sequence[str] = ()) -> Scope:
    """The reference graphs of ``present`` (the store's graph IRIs) plus ``added`` — each of which must be one of
    ``present`` (the caller resolves names and says which is unknown)."""
    graphs = sorted(g for g in present if not g.startswith(STAGING_GRAPH_BASE))
    reference = [g for g in graphs if is_reference(g)]
    extra = tuple(dict.fromkeys(g for g in added if g in graphs and not is_reference(g)))
    left_out = tuple(g for g in graphs if not is_reference(g) and g not in extra)
    return Scope(tuple(reference) + extra, extra, left_out)
