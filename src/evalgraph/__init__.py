"""evalgraph — knowledge graph and evaluation-framework mapper for digital technologies used by health professionals."""

from __future__ import annotations

from evalgraph.errors import (
    DataFileError,
    EvalgraphError,
    QueryError,
    ReasonerUnavailableError,
    StoreUnavailableError,
    UnsafeQueryError,
)
from evalgraph.store import OxigraphStore, QueryResult, Store, open_store

__version__ = "0.1.0"

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
