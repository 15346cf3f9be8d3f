"""evalgraph — knowledge graph and evaluation-framework mapper for digital technologies used by health professionals.

The public Python API (docs/api.md): :func:`open_store`, :func:`query`, :func:`validate`, :func:`qualify`, the
result types they return, and the errors they raise."""

from __future__ import annotations

from evalgraph._version import __version__
from evalgraph.api import open_store, qualify, query, validate
from evalgraph.dossiers.validation import Finding, Report
from evalgraph.errors import (
    DataFileError,
    EvalgraphError,
    QueryError,
    QuerySyntaxError,
    ReasonerUnavailableError,
    ReservedGraphError,
    StoreUnavailableError,
    UnsafeQueryError,
    UsageError,
)
from evalgraph.qualification.engine import Qualification
from evalgraph.store.oxigraph import OxigraphStore, QueryResult, Store

__all__ = [
    "DataFileError",
    "EvalgraphError",
    "Finding",
    "OxigraphStore",
    "Qualification",
    "QueryError",
    "QueryResult",
    "QuerySyntaxError",
    "ReasonerUnavailableError",
    "Report",
    "ReservedGraphError",
    "Store",
    "StoreUnavailableError",
    "UnsafeQueryError",
    "UsageError",
    "__version__",
    "open_store",
    "qualify",
    "query",
    "validate",
]
