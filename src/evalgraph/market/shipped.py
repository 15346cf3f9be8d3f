"""The FDA AI-enabled device list shipped in the package (US public domain): imported into the FDA market graph when
a store is opened and that graph holds no snapshot yet, so that a fresh install holds the US market. A snapshot the
user imported later (``evalgraph import fda FILE``) is kept: the shipped one only fills an empty place. The shipped
snapshot records the catalogue version it was matched against (``eg:catalogueSha256``) and is matched again when the
catalogue changes (a new release of evalgraph, ``init --reload``).

:func:`ensure_loaded` is what every way of opening the store fills it with — the command line, the web service
and the Python API alike — so that all three see the same products."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pyoxigraph as ox

from evalgraph.market.config import source
from evalgraph.market.importing import ImportReport, import_file, previous_records
from evalgraph.store import kb
from evalgraph.store.oxigraph import CATALOGUE_GRAPH, OxigraphStore, read_bytes
from evalgraph.vocab import EG

SHIPPED_FDA = Path(__file__).resolve().parent / "data" / "ai-ml-enabled-devices_2025-12-30.csv"


def ensure_market(store: OxigraphStore, override: Path | None = None) -> ImportReport | None:
    """Import the shipped FDA list when the store holds no FDA snapshot, or import it again when the snapshot is the
    shipped list matched against another version of the catalogue than the store's (its products are then matched
    again, against the catalogue as it is); None when the store's snapshot stands."""
    graph = source("fda", override).graph
    _records, sha = previous_records(store, graph)
    if sha is not None:
        if sha != shipped_sha256() or matched_catalogue(store, graph) == store.recorded_hash(CATALOGUE_GRAPH):
            return None  # a snapshot the user imported, or the shipped one matched against this catalogue
    return import_file(store, "fda", SHIPPED_FDA, override=override, rematch=sha is not None)


def shipped_sha256() -> str:
    """The SHA-256 of the shipped FDA list (what the snapshot records as ``eg:sha256`` when it imported it)."""
    return _sha256(SHIPPED_FDA)


@cache
def _sha256(file: Path) -> str:
    return hashlib.sha256(read_bytes(file)).hexdigest()


def matched_catalogue(store: OxigraphStore, graph: str) -> str | None:
    """The catalogue version the snapshot in ``graph`` was matched against (``eg:catalogueSha256``), if recorded."""
    rows = store.query(
        f"PREFIX eg: <{EG}> SELECT ?version WHERE {{ GRAPH <{graph}> {{ ?snapshot eg:catalogueSha256 ?version }} }}"
    ).rows
    return next((str(row[0].value) for row in rows if isinstance(row[0], ox.Literal)), None)


def ensure_loaded(
    store: OxigraphStore,
    override: Path | None = None,
    *,
    progress: Callable[[kb.Dataset, int], None] | None = None,
    on_market: Callable[[], None] | None = None,
) -> None:
    """Fill ``store`` as its first open does: the built-in datasets (ontology, knowledge base, catalogue; reloaded
    when their files changed; ``progress`` is told of each) and the shipped FDA market (``on_market`` is called
    before it is looked at)."""
    kb.ensure_loaded(store, override, progress=progress)
    if on_market is not None:
        on_market()
    ensure_market(store, override)
