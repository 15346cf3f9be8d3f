"""The FDA AI-enabled device list shipped in the package (US public domain): imported into the FDA market graph when
a store is opened and that graph holds no snapshot yet, so that a fresh install holds the US market. A snapshot the
user imported later (``evalgraph import fda FILE``) is kept: the shipped one only fills an empty place.

:func:`ensure_loaded` is what every way of opening the store fills it with — the command line, the web service
and the Python API alike — so that all three see the same products."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from evalgraph.market.config import source
from evalgraph.market.importing import ImportReport, import_file, previous_records
from evalgraph.store import kb
from evalgraph.store.oxigraph import OxigraphStore

SHIPPED_FDA = Path(__file__).resolve().parent / "data" / "ai-ml-enabled-devices_2025-12-30.csv"


def ensure_market(store: OxigraphStore, override: Path | None = None) -> ImportReport | None:
    """Import the shipped FDA list when the store holds no FDA snapshot; None when it already holds one."""
    _records, sha = previous_records(store, source("fda", override).graph)
    if sha is not None:
        return None
    return import_file(store, "fda", SHIPPED_FDA, override=override)


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
