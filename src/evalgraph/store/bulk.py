"""Loads at bulk speed, still all-or-nothing: Oxigraph's bulk loader writes straight into a graph the store does not
hold yet, under a mark that makes an interrupted load undone when the store is next opened.

Oxigraph's ``bulk_load`` builds its index files directly, an order of magnitude faster than a transaction, but it
is not a transaction: a failure or a crash can leave part of a file loaded. So it only ever writes into a graph that
was empty, marked first (one transaction) in the loading graph: a failed load removes the graph and the mark at
once; a crash leaves the mark, and :func:`recover` — run when the store is opened — removes every marked graph,
which was empty before. The mark goes in the same update that records the graph's provenance, so a graph is either
loaded whole with its provenance, or not there. A graph that holds triples is replaced through a staging graph in
one transaction instead (:meth:`OxigraphStore.load`): its old content must survive until the new one is complete.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pyoxigraph as ox

from evalgraph.store.parsing import checked_bytes, rdf_format, read_bytes, syntax_error
from evalgraph.vocab import EGG

LOADING_GRAPH = EGG + "staging/loading"
"""Where the marks of loads in progress are (a staging graph: never part of the data, dropped on opening)."""
_LOADING = ox.NamedNode("urn:x-evalgraph:loading")
_FORMATS = (ox.RdfFormat.N_TRIPLES, ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML)
"""Formats of triples only (a JSON-LD document may hold named graphs: it goes through the staging graph)."""


def applies(native: ox.Store, files: Sequence[Path], graph: str) -> bool:
    """Whether ``files`` can be bulk-loaded into ``graph``: formats of triples only, and a graph without triples."""
    if any(rdf_format(file)[0] not in _FORMATS for file in files):
        return False
    return not bool(native.query(f"ASK {{ GRAPH {ox.NamedNode(graph)} {{ ?s ?p ?o }} }}"))


def load_into_empty(native: ox.Store, files: Sequence[Path], graph: str) -> None:
    """Bulk-load ``files`` into the empty ``graph``, marked as loading; on any error, remove the graph and the mark.
    The caller records the provenance and removes the mark in one update (:data:`LOADING_GRAPH`)."""
    target = ox.NamedNode(graph)
    mark = ox.Quad(target, _LOADING, ox.Literal("true"), ox.NamedNode(LOADING_GRAPH))
    native.add(mark)
    try:
        for file in files:
            rdf_fmt, name = rdf_format(file)
            base = file.resolve().as_uri()
            try:
                if rdf_fmt == ox.RdfFormat.RDF_XML:  # DOCTYPEs refused before parsing
                    native.bulk_load(checked_bytes(file, name), rdf_fmt, base_iri=base, to_graph=target)
                else:
                    if not file.is_file():
                        read_bytes(file)  # evalgraph's error for a missing or unreadable file
                    native.bulk_load(path=str(file), format=rdf_fmt, base_iri=base, to_graph=target)
            except SyntaxError as exc:
                raise syntax_error(str(file), name, exc) from exc
    except BaseException:
        native.remove_graph(target)
        native.remove_graph(mark.graph_name)  # the mark and its graph (an empty named graph would stay listed)
        raise


def recover(native: ox.Store) -> None:
    """Undo the loads a crash interrupted: remove every graph marked as loading (it was empty before)."""
    for quad in list(native.quads_for_pattern(None, _LOADING, None, ox.NamedNode(LOADING_GRAPH))):
        if isinstance(quad.subject, ox.NamedNode):
            native.remove_graph(quad.subject)
