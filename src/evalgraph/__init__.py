"""evalgraph — knowledge graph and evaluation-framework mapper for digital technologies used by health professionals."""

from __future__ import annotations

from evalgraph._version import __version__
from evalgraph.errors import (
    DataFileError,
    EvalgraphError,
    QueryError,
    ReasonerUnavailableError,
    StoreUnavailableError,
    UnsafeQueryError,
)
from evalgraph.store import OxigraphStore, QueryResult, Store, open_store

__all__ = [
    "DataFileError",
    "EvalgraphError",
    "OxigraphStore",
    "QueryError",
    "QueryResult",
    "ReasonerUnavailableError",
    "Store",
    "StoreUnavailableError",
    "UnsafeQueryError",
    "__version__",
    "open_store",
]
