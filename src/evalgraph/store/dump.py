"""The store as one file any SPARQL engine loads: every graph of evalgraph's as a named graph of a TriG or N-Quads
file, and the VoID / DCAT description of the dataset (the named query ``dataset-description``, as the web service
answers it at /void) in the default graph. docs/engines.md shows how Virtuoso, Fuseki, GraphDB and QLever load it."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import pyoxigraph as ox

from evalgraph import resources
from evalgraph.errors import UsageError
from evalgraph.store.oxigraph import STAGING_GRAPH_BASE, OxigraphStore, check_graph_iri

FORMATS = {".trig": ox.RdfFormat.TRIG, ".nq": ox.RdfFormat.N_QUADS}
DATASET = "https://w3id.org/evalgraph/dataset"
"""The dataset's IRI in an export (the web service names it by its own URL instead)."""


def quads(store: OxigraphStore, graphs: Sequence[str], override: Path | None = None) -> Iterator[ox.Quad]:
    """The triples of ``graphs`` as quads, then the VoID description of the store in the default graph."""
    for graph in graphs:
        node = ox.NamedNode(check_graph_iri(graph))
        for triple in store.export([graph]):
            yield ox.Quad(triple.subject, triple.predicate, triple.object, node)
    text = resources.read_text("queries", "dataset-description", override=override)
    description = store.query(text, {"dataset": ox.NamedNode(DATASET)})
    for triple in description.triples:
        yield ox.Quad(triple.subject, triple.predicate, triple.object, ox.DefaultGraph())


def write(store: OxigraphStore, output: Path, graphs: Sequence[str] = (), override: Path | None = None) -> int:
    """Write ``graphs`` (default: every graph of the store) to ``output``, TriG or N-Quads by its extension; the
    number of quads written."""
    fmt = FORMATS.get(output.suffix.lower())
    if fmt is None:
        raise UsageError("bad_export_format", file=str(output), expected=", ".join(FORMATS))
    chosen = list(graphs) or sorted(g for g in store.graph_iris() if not g.startswith(STAGING_GRAPH_BASE))
    written = list(quads(store, chosen, override))
    ox.serialize(written, output=str(output), format=fmt)
    return len(written)
