"""Answering one SPARQL protocol query: dataset options, content negotiation, capped serialisation.

The same function answers in a query worker process (:mod:`evalgraph.query_pool`, where a timeout can stop it) and
in-process (``serve --get``, in-memory stores). It never raises: the answer is a :class:`Reply`, either a body
with its media type or an error with its HTTP status, code and message, so it crosses a process boundary as is.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import pyoxigraph as ox

from evalgraph import sparql_guard
from evalgraph.formats import PREFIXES
from evalgraph.i18n import message

RESULT_FORMATS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "application/xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
GRAPH_FORMATS = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}


SERIALISATION_PREFIXES = {
    **PREFIXES,
    "void": "http://rdfs.org/ns/void#",
    "dcat": "http://www.w3.org/ns/dcat#",
    "sd": "http://www.w3.org/ns/sparql-service-description#",
    "sh": "http://www.w3.org/ns/shacl#",
}


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
    """The offered media type the Accept header prefers (q-values honoured; */* and absence give ``default``)."""
    if not accept.strip():
        return default
    choices: list[tuple[float, int, str]] = []
    for index, part in enumerate(accept.split(",")):
        pieces = [p.strip() for p in part.split(";")]
        media, quality = pieces[0].lower(), 1.0
        for parameter in pieces[1:]:
            if parameter.startswith("q="):
                try:
                    quality = float(parameter[2:])
                except ValueError:
                    quality = 0.0
        if quality <= 0:
            continue
        if media in offered:
            choices.append((quality, -index, media))
        elif media in ("*/*", "application/*", "text/*"):
            choices.append((quality - 0.001, -index, default))
    return max(choices)[2] if choices else None


def query_options(query: str, default_graphs: Sequence[str] = (), named_graphs: Sequence[str] = (),
                  bindings: Mapping[str, ox.NamedNode | ox.Literal] | None = None) -> dict[str, object]:
    """pyoxigraph's keyword arguments for the dataset: the protocol's graphs when given, else the FROM graphs the
    query names, else the union of all named graphs as the default graph."""
    names_dataset = any(t.kind == "word" and t.text.upper() == "FROM" for t in sparql_guard.tokens(query))
    options: dict[str, object] = {"substitutions": {ox.Variable(k): v for k, v in (bindings or {}).items()}}
    if default_graphs or named_graphs:  # the protocol's dataset is the whole dataset (SPARQL 1.1 Protocol 2.1.4)
        options["default_graph"] = [ox.NamedNode(g) for g in default_graphs]
        options["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
    else:
        options["use_default_graph_as_union"] = not names_dataset
    return options


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
    """Evaluate ``job`` on ``store`` and serialise its result as the client asked (the guard has already run)."""
    lang = job.lang
    try:
        result = store.query(job.query, base_iri=job.base_iri,
                             **query_options(job.query, job.default_graphs, job.named_graphs))  # type: ignore[arg-type]
    except SyntaxError as exc:
        return Reply(400, code="malformed_query", message=message("query_syntax", lang, detail=str(exc)))
    except (OSError, RuntimeError, ValueError) as exc:
        return Reply(400, code="query_failed", message=message("query_failed", lang, detail=str(exc)))
    if isinstance(result, ox.QueryTriples):
        offered: Mapping[str, object] = GRAPH_FORMATS
        media = negotiate(job.accept, GRAPH_FORMATS, "text/turtle")
    else:
        offered = RESULT_FORMATS
        media = negotiate(job.accept, RESULT_FORMATS, "application/sparql-results+json")
    if media is None:
        return Reply(406, code="not_acceptable",
                     message=message("server_not_acceptable", lang, offered=", ".join(offered)))
    buffer = _CappedBuffer(job.max_bytes)
    try:  # Oxigraph evaluates lazily: evaluation errors surface while serialising (400, not 500)
        if isinstance(result, ox.QueryTriples):
            ox.serialize(result, buffer, GRAPH_FORMATS[media])  # type: ignore[arg-type]
        else:
            result.serialize(buffer, RESULT_FORMATS[media])  # type: ignore[arg-type]
    except _ResultTooLarge:
        return Reply(413, code="result_too_large",
                     message=message("server_result_too_large", lang, limit=job.max_bytes))
    except (OSError, RuntimeError, ValueError, SyntaxError) as exc:
        return Reply(400, code="query_failed", message=message("query_failed", lang, detail=str(exc)))
    return Reply(200, media_type=media, body=b"".join(buffer.parts))
