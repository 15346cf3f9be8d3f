"""The FDA AI-enabled device list shipped in the package (US public domain): imported into the FDA market graph when
a store is opened and that graph holds no snapshot yet, so that a fresh install holds the US market. A snapshot the
user imported later (``evalgraph import fda FILE``) is kept: the shipped one only fills an empty place."""

from __future__ import annotations

from pathlib import Path

from evalgraph.market.config import source
from evalgraph.market.importing import ImportReport, import_file, previous_records
from evalgraph.store.oxigraph import OxigraphStore

SHIPPED_FDA = Path(__file__).resolve().parent / "data" / "ai-ml-enabled-devices_2025-12-30.csv"


def ensure_market(store: OxigraphStore, override: Path | None = None) -> ImportReport | None:
    """Import the shipped FDA list when the store holds no FDA snapshot; None when it already holds one."""
    _records, sha = previous_records(store, source("fda", override).graph)
    if sha is not None:
        return None
    return import_file(store, "fda", SHIPPED_FDA, override=override)
