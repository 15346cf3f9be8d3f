"""The web service (first part): a read-only SPARQL 1.1 Protocol endpoint over the embedded store.

``/sparql`` takes a query by GET (``?query=``), by POST form-encoded (``query=``) or by POST direct
(``application/sparql-query``), with ``default-graph-uri`` / ``named-graph-uri`` to choose the dataset; answers
SELECT and ASK in SPARQL JSON, XML, CSV or TSV and CONSTRUCT / DESCRIBE in Turtle, N-Triples, JSON-LD or RDF/XML by
content negotiation; with no query, it describes itself (SPARQL service description, in Turtle). Updates are
refused (the endpoint is read-only). Every query goes through :mod:`evalgraph.sparql_guard` first: SERVICE, LOAD and
FROM / FROM NAMED of graphs the store does not hold are refused with 400 before anything runs, so nothing a client
sends makes the server open a connection or read a file. Request bodies are capped (413). Every error has one JSON
shape: ``{"error": {"status": …, "code": …, "message": …}}``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from urllib.parse import parse_qs

import pyoxigraph as ox
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from evalgraph import kb, sparql_guard
from evalgraph.errors import EvalgraphError, QueryError
from evalgraph.i18n import message
from evalgraph.settings import Settings
from evalgraph.store import OxigraphStore, open_store

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
SD = "http://www.w3.org/ns/sparql-service-description#"


@dataclass
class ServerSettings:
    """What the operator chose: body cap, language of messages, public URL of the endpoint."""

    max_body_bytes: int = 1_000_000
    lang: str = "en"
    public_url: str | None = None


class ApiError(Exception):
    def __init__(self, status: int, code: str, text: str) -> None:
        super().__init__(text)
        self.status, self.code, self.text = status, code, text


def _error_response(status: int, code: str, text: str) -> JSONResponse:
    return JSONResponse({"error": {"status": status, "code": code, "message": text}}, status_code=status)


def _negotiate(accept: str, offered: Mapping[str, object], default: str) -> str | None:
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


def create_app(settings: Settings, server: ServerSettings | None = None,
               store_factory: Callable[[], OxigraphStore] | None = None) -> FastAPI:
    """The FastAPI application; the store is opened (and filled with the built-in data) on first use."""
    options = server or ServerSettings(lang="fr" if settings.lang.lower().startswith("fr") else "en")
    app = FastAPI(title="evalgraph", version="0.1.0",
                  description="Knowledge graph of how digital health technologies are regulated and evaluated.")
    app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_credentials=False,
                       allow_methods=["GET", "POST"], allow_headers=["Content-Type", "Accept"])
    lock = threading.Lock()
    state: dict[str, OxigraphStore] = {}

    def store() -> OxigraphStore:
        with lock:
            if "store" not in state:
                opened = store_factory() if store_factory else open_store(settings.store_path)
                kb.ensure_loaded(opened, settings.resources_dir)
                state["store"] = opened
            return state["store"]

    @app.exception_handler(ApiError)
    async def api_error(_request: Request, exc: ApiError) -> JSONResponse:
        return _error_response(exc.status, exc.code, exc.text)

    @app.exception_handler(EvalgraphError)
    async def evalgraph_error(_request: Request, exc: EvalgraphError) -> JSONResponse:
        return _error_response(exc.http_status, exc.key, exc.render(options.lang))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return _error_response(exc.status_code, "http_error", str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def validation_error(_request: Request, exc: RequestValidationError) -> JSONResponse:
        return _error_response(422, "invalid_request", str(exc.errors())[:500])

    @app.exception_handler(Exception)
    async def internal_error(_request: Request, _exc: Exception) -> JSONResponse:
        return _error_response(500, "internal_error", message("server_internal", options.lang))

    async def read_body(request: Request) -> bytes:
        declared = request.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > options.max_body_bytes:
            raise ApiError(413, "body_too_large", message("server_body_too_large", options.lang,
                                                          limit=options.max_body_bytes))
        body = b""
        async for chunk in request.stream():
            body += chunk
            if len(body) > options.max_body_bytes:
                raise ApiError(413, "body_too_large", message("server_body_too_large", options.lang,
                                                              limit=options.max_body_bytes))
        return body

    async def protocol_parameters(request: Request) -> dict[str, list[str]]:
        """The protocol's parameters from the URL, a form body or a direct query body."""
        params = parse_qs(request.url.query, keep_blank_values=True)
        if request.method == "POST":
            content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
            body = await read_body(request)
            try:
                text = body.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise ApiError(400, "not_utf8", message("server_not_utf8", options.lang)) from exc
            if content_type == "application/x-www-form-urlencoded":
                for key, values in parse_qs(text, keep_blank_values=True).items():
                    params.setdefault(key, []).extend(values)
            elif content_type == "application/sparql-query":
                if "query" in params:
                    raise ApiError(400, "two_queries", message("server_two_queries", options.lang))
                params["query"] = [text]
            elif content_type == "application/sparql-update" or "update" in params:
                raise ApiError(403, "read_only", message("server_read_only", options.lang))
            elif not content_type:
                raise ApiError(400, "no_content_type", message("server_no_content_type", options.lang))
            else:
                raise ApiError(415, "unsupported_media_type",
                               message("server_media_type", options.lang, media=content_type))
        if "update" in params:
            raise ApiError(403, "read_only", message("server_read_only", options.lang))
        return params

    @app.api_route("/sparql", methods=["GET", "POST"], summary="SPARQL 1.1 Protocol query endpoint (read-only)")
    async def sparql(request: Request) -> Response:
        params = await protocol_parameters(request)
        queries = params.get("query", [])
        if not queries:
            return service_description(request)
        if len(queries) > 1:
            raise ApiError(400, "two_queries", message("server_two_queries", options.lang))
        text = queries[0]
        the_store = store()
        known = the_store.graph_iris()
        sparql_guard.check(text, known)
        default_graphs = params.get("default-graph-uri", [])
        named_graphs = params.get("named-graph-uri", [])
        for graph in (*default_graphs, *named_graphs):
            if graph not in known:
                raise ApiError(400, "unknown_graph", message("server_unknown_graph", options.lang, graph=graph))
        kind = sparql_guard.operation_kind(text)
        if kind == "update":
            raise ApiError(403, "read_only", message("server_read_only", options.lang))
        try:
            result = the_store.raw_query(text, default_graphs, named_graphs)
        except QueryError as exc:
            raise ApiError(400, "malformed_query", exc.render(options.lang)) from exc
        accept = request.headers.get("accept", "")
        if isinstance(result, ox.QueryTriples):
            media = _negotiate(accept, GRAPH_FORMATS, "text/turtle")
            if media is None:
                raise ApiError(406, "not_acceptable", message("server_not_acceptable", options.lang,
                                                              offered=", ".join(GRAPH_FORMATS)))
            body = ox.serialize(list(result), format=GRAPH_FORMATS[media])
            return Response(body, media_type=media)
        media = _negotiate(accept, RESULT_FORMATS, "application/sparql-results+json")
        if media is None:
            raise ApiError(406, "not_acceptable", message("server_not_acceptable", options.lang,
                                                          offered=", ".join(RESULT_FORMATS)))
        return Response(result.serialize(format=RESULT_FORMATS[media]), media_type=media)

    def service_description(request: Request) -> Response:
        endpoint = options.public_url.rstrip("/") + "/sparql" if options.public_url else str(request.url).split("?")[0]
        turtle = f"""@prefix sd: <{SD}> .
<{endpoint}> a sd:Service ;
    sd:endpoint <{endpoint}> ;
    sd:supportedLanguage sd:SPARQL11Query ;
    sd:resultFormat <http://www.w3.org/ns/formats/SPARQL_Results_JSON> , <http://www.w3.org/ns/formats/SPARQL_Results_XML> ,
        <http://www.w3.org/ns/formats/SPARQL_Results_CSV> , <http://www.w3.org/ns/formats/SPARQL_Results_TSV> ,
        <http://www.w3.org/ns/formats/Turtle> , <http://www.w3.org/ns/formats/N-Triples> ,
        <http://www.w3.org/ns/formats/JSON-LD> , <http://www.w3.org/ns/formats/RDF_XML> ;
    sd:feature sd:UnionDefaultGraph ;
    sd:defaultDataset [ a sd:Dataset ;
        sd:namedGraph {" , ".join(f"[ sd:name <{g}> ]" for g in sorted(store().graph_iris()))} ] .
"""
        triples = list(ox.parse(turtle.encode("utf-8"), format=ox.RdfFormat.TURTLE))
        media = _negotiate(request.headers.get("accept", ""), GRAPH_FORMATS, "text/turtle") or "text/turtle"
        return Response(ox.serialize(triples, format=GRAPH_FORMATS[media]), media_type=media)

    @app.get("/health", summary="Liveness: the store opens and answers")
    async def health() -> dict[str, object]:
        return {"status": "ok", "triples": store().count()}

    return app
