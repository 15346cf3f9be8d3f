"""Answering one SPARQL protocol query: dataset options, content negotiation, capped serialisation.

Every query is checked by :mod:`evalgraph.store.guard` here, in the worker, under the timeout: the server's event
loop never parses SPARQL. The same function answers in a query worker process (:mod:`evalgraph.web.query_workers`, where a timeout can stop it) and
in-process (``serve --get``, in-memory stores). It never raises: the answer is a :class:`Reply`, either a body
with its media type or an error with its HTTP status, code and message, so it crosses a process boundary as is.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import pyoxigraph as ox
from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

from evalgraph.errors import EvalgraphError
from evalgraph.i18n import message
from evalgraph.store import guard as sparql_guard
from evalgraph.store.oxigraph import query_options
from evalgraph.vocab import SERIALISATION_PREFIXES

RESULT_MEDIA_TYPES = (
    "application/sparql-results+json",
    "application/json",
    "application/sparql-results+xml",
    "application/xml",
    "text/csv",
    "text/tab-separated-values",
)
"""What /sparql offers for SELECT and ASK; pyoxigraph says which results format each is."""
RESULT_FORMATS = {media: ox.QueryResultsFormat.from_media_type(media) for media in RESULT_MEDIA_TYPES}
TABULAR_BOOLEAN = {
    # The W3C CSV/TSV results format covers SELECT only; for ASK, a one-column table as Apache Jena writes it.
    "text/csv": lambda value: f"_askResult\r\n{'true' if value else 'false'}\r\n".encode(),
    "text/tab-separated-values": lambda value: f"?_askResult\n{'true' if value else 'false'}\n".encode(),
}
GRAPH_MEDIA_TYPES = ("text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml")
"""What evalgraph offers for RDF graphs (CONSTRUCT, DESCRIBE, IRI pages, VoID); pyoxigraph says which format."""
GRAPH_FORMATS = {media: ox.RdfFormat.from_media_type(media) for media in GRAPH_MEDIA_TYPES}


def graph_body(triples: Iterable[ox.Triple], media: str) -> bytes:
    """``triples`` in the RDF syntax ``media`` (one of :data:`GRAPH_FORMATS`), with evalgraph's prefixes."""
    return ox.serialize(triples, format=GRAPH_FORMATS[media], prefixes=SERIALISATION_PREFIXES) or b""


@dataclass(frozen=True)
class Job:
    """One query to answer: its text, the protocol's dataset, the client's Accept header, the result cap."""

    query: str
    default_graphs: Sequence[str] = ()
    named_graphs: Sequence[str] = ()
    accept: str = ""
    max_bytes: int = 50_000_000
    lang: str = "en"
    base_iri: str | None = None
    """Relative IRIs in the query resolve against it (the endpoint's URL)."""
    known_graphs: frozenset[str] = frozenset()
    """The store's named graphs: FROM / USING may name only these."""
    operation: str = "query"
    """``query`` (check and answer) or ``check-update`` (check an update; the reply's body is the text to run)."""
    reserved_graphs: frozenset[str] = frozenset()
    using: Sequence[str] = ()
    using_named: Sequence[str] = ()


@dataclass(frozen=True)
class Reply:
    """A body and its media type (``status`` 200), or an error (``status`` ≥ 400, ``code``, ``message``)."""

    status: int = 200
    media_type: str = ""
    body: bytes = b""
    code: str = ""
    message: str = ""
    headers: dict[str, str] = field(default_factory=dict)


def negotiate(accept: str, offered: Mapping[str, object], default: str) -> str | None:
    """The offered media type the Accept header prefers, by werkzeug's RFC 9110 matching (q-values, the most
    specific range wins, so ``text/turtle;q=0, */*`` never gives Turtle). No header, or one werkzeug finds no
    valid range in, gives ``default``; ``None`` means nothing offered is acceptable (406)."""
    if not accept.strip():
        return default
    ranges = parse_accept_header(accept, MIMEAccept)
    if not list(ranges):
        return default
    choices = [default, *(media for media in offered if media != default)]
    found = ranges.best_match(choices)
    return str(found) if found else None


def _refusal(exc: EvalgraphError, lang: str) -> Reply:
    return Reply(exc.http_status, code=exc.code, message=exc.render(lang))


def check_update(job: Job) -> Reply:
    """Check an update (``job.query``) with the guard; the answer's body is the canonical text to run (UTF-8)."""
    try:
        text = sparql_guard.check_update(
            job.query,
            job.known_graphs,
            job.reserved_graphs,
            base_iri=job.base_iri,
            using=job.using,
            using_named=job.using_named,
        )
    except EvalgraphError as exc:
        return _refusal(exc, job.lang)
    return Reply(200, media_type="application/sparql-update", body=text.encode("utf-8"))


class _ResultTooLarge(Exception):
    pass


class _CappedBuffer:
    """A write target that stops serialisation as soon as the result passes the cap (memory stays bounded)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.parts: list[bytes] = []
        self.size = 0

    def write(self, data: bytes) -> int:
        self.size += len(data)
        if self.size > self.limit:
            raise _ResultTooLarge
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        """Serialisers may flush; nothing to do in memory."""


def execute(store: ox.Store, job: Job) -> Reply:
    """Check ``job`` with the guard, evaluate the checked (canonical) text on ``store`` and serialise the result as
    the client asked. Never raises."""
    if job.operation == "check-update":
        return check_update(job)
    try:
        checked = sparql_guard.check_query(job.query, job.known_graphs, base_iri=job.base_iri)
    except EvalgraphError as exc:
        return _refusal(exc, job.lang)
    return _evaluate(store, checked, job)


def _evaluate(store: ox.Store, checked: sparql_guard.CheckedQuery, job: Job) -> Reply:
    """Evaluate a checked query and serialise its result (pyoxigraph's result objects live and die in this frame,
    on this thread)."""
    lang = job.lang
    try:
        result = store.query(checked.text, **query_options(checked.names_dataset, job.default_graphs, job.named_graphs))  # type: ignore[arg-type]
    except SyntaxError as exc:
        return Reply(400, code="malformed_query", message=message("query_syntax", lang, detail=str(exc)))
    except (OSError, RuntimeError, ValueError) as exc:
        return Reply(400, code="query_failed", message=message("query_failed", lang, detail=str(exc)))
    offered: Mapping[str, object]
    if isinstance(result, ox.QueryTriples):
        offered, default = GRAPH_FORMATS, "text/turtle"
    else:  # SELECT and ASK (ASK in CSV/TSV is written below, with a header row)
        offered, default = RESULT_FORMATS, "application/sparql-results+json"
    media = negotiate(job.accept, offered, default)
    if media is None:
        return Reply(
            406, code="not_acceptable", message=message("server_not_acceptable", lang, offered=", ".join(offered))
        )
    buffer = _CappedBuffer(job.max_bytes)
    try:  # Oxigraph evaluates lazily: evaluation errors surface while serialising (400, not 500)
        if isinstance(result, ox.QueryTriples):
            ox.serialize(result, buffer, GRAPH_FORMATS[media])  # type: ignore[arg-type]
        elif isinstance(result, ox.QueryBoolean) and media in TABULAR_BOOLEAN:
            buffer.write(TABULAR_BOOLEAN[media](bool(result)))
        else:
            result.serialize(buffer, RESULT_FORMATS[media])  # type: ignore[arg-type]
    except _ResultTooLarge:
        return Reply(
            413, code="result_too_large", message=message("server_result_too_large", lang, limit=job.max_bytes)
        )
    except (OSError, RuntimeError, ValueError, SyntaxError) as exc:
        return Reply(400, code="query_failed", message=message("query_failed", lang, detail=str(exc)))
    return Reply(200, media_type=media, body=b"".join(buffer.parts))
