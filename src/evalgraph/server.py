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

import html
import re
import tempfile
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs

import pyoxigraph as ox
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from evalgraph import __version__, formats, kb, resources, sparql_guard
from evalgraph import queries as named_queries
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
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DEREFERENCEABLE = ("id", "ontology", "vocab", "shapes")
_SAFE_LOCAL = re.compile(r"^[A-Za-z0-9._~\-]+$")


def _describe_html(iri: str, triples: list[ox.Triple], lang: str) -> str:
    """A small readable page of what the graph says about ``iri`` (subject rows first, then incoming links)."""
    def cell(term: object) -> str:
        if isinstance(term, ox.NamedNode):
            shown = formats.compact(term.value)
            target = term.value.replace("https://w3id.org/evalgraph/", "/", 1) if term.value.startswith(
                "https://w3id.org/evalgraph/") else term.value
            return f'<a href="{html.escape(target)}">{html.escape(shown)}</a>'
        if isinstance(term, ox.Literal):
            suffix = f' <span class="lang">@{term.language}</span>' if term.language else ""
            return html.escape(term.value) + suffix
        return html.escape(str(term))

    labels = [t.object.value for t in triples if isinstance(t.object, ox.Literal) and t.subject == ox.NamedNode(iri)
              and t.predicate.value in ("http://www.w3.org/2000/01/rdf-schema#label",
                                        "http://www.w3.org/2004/02/skos/core#prefLabel")
              and t.object.language == lang]
    title = labels[0] if labels else formats.compact(iri)
    rows = "".join(f"<tr><td>{cell(t.predicate)}</td><td>{cell(t.object)}</td></tr>" for t in triples
                   if t.subject == ox.NamedNode(iri))
    return (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{html.escape(title)} — evalgraph'
            "</title><style>body{font:14px system-ui,sans-serif;margin:2rem;max-width:70rem}td{padding:.3rem .5rem;"
            "border-bottom:1px solid #e8eaed;vertical-align:top}.lang{color:#5f6368;font-size:.8rem}</style></head>"
            f"<body><h1>{html.escape(title)}</h1><p><code>{html.escape(iri)}</code></p><table>{rows}</table>"
            "</body></html>")


@dataclass
class ServerSettings:
    """What the operator chose: body cap, language of messages, public URL of the endpoint."""

    max_body_bytes: int = 1_000_000
    max_result_bytes: int = 50_000_000
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
    app = FastAPI(title="evalgraph", version=__version__,
                  description="Knowledge graph of how digital health technologies are regulated and evaluated.")
    app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_credentials=False,
                       allow_methods=["GET", "POST"], allow_headers=["Content-Type", "Accept"])
    lock = threading.Lock()
    report_lock = threading.Lock()
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
            graph_format = GRAPH_FORMATS[media]
            body = evaluated(lambda: ox.serialize(list(result), format=graph_format))
            return Response(capped(body), media_type=media)
        media = _negotiate(accept, RESULT_FORMATS, "application/sparql-results+json")
        if media is None:
            raise ApiError(406, "not_acceptable", message("server_not_acceptable", options.lang,
                                                          offered=", ".join(RESULT_FORMATS)))
        results_format = RESULT_FORMATS[media]
        return Response(capped(evaluated(lambda: result.serialize(format=results_format))), media_type=media)

    def evaluated(serialise: Callable[[], bytes | None]) -> bytes | None:
        """Serialise a result: Oxigraph evaluates lazily, so an evaluation error surfaces here (400, not 500)."""
        try:
            return serialise()
        except (OSError, RuntimeError, ValueError) as exc:
            raise ApiError(400, "query_failed", message("query_failed", options.lang, detail=str(exc))) from exc

    def capped(body: bytes | None) -> bytes:
        data = body or b""
        if len(data) > options.max_result_bytes:
            raise ApiError(413, "result_too_large", message("server_result_too_large", options.lang,
                                                            limit=options.max_result_bytes))
        return data

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

    # ------------------------------------------------------------------------------- named queries and cartography
    @app.get("/queries", summary="The named queries: name, titles, description, parameters, columns")
    async def list_queries() -> list[dict[str, object]]:
        return [{"name": q.name, "title_en": q.title_en, "title_fr": q.title_fr, "description": q.description,
                 "parameters": [{"name": p.name, "type": p.type, "default": p.default} for p in q.parameters],
                 "columns": list(q.columns)} for q in named_queries.catalogue(settings.resources_dir)]

    @app.get("/queries/{name}", summary="Run a named query; its parameters are query-string parameters")
    async def run_query(name: str, request: Request) -> Response:
        if name not in resources.names("queries", override=settings.resources_dir):
            raise ApiError(404, "unknown_query", message("server_unknown_query", options.lang, name=name))
        named = named_queries.load(name, settings.resources_dir)
        given = {k: v for k, v in request.query_params.items() if k != "format"}
        bindings = named_queries.bind(named, given)
        result = store().query(named.text, bindings)
        fmt = request.query_params.get("format") or (
            "csv" if _negotiate(request.headers.get("accept", ""), {"text/csv": 1, "application/json": 1},
                                "application/json") == "text/csv" else "json")
        if fmt not in ("json", "csv"):
            raise ApiError(400, "bad_format", message("server_bad_format", options.lang, expected="json, csv"))
        text = formats.serialize(result, fmt)
        return Response(text, media_type="text/csv" if fmt == "csv" else "application/sparql-results+json")

    @app.get("/cartography", summary="The cartography report: format=html|json|csv|xlsx, lang=en|fr")
    async def cartography_report(format: str = "html", lang: str | None = None) -> Response:  # noqa: A002
        from evalgraph import cartography

        language = lang if lang in ("en", "fr") else options.lang
        if format not in ("html", "json", "csv", "xlsx"):
            raise ApiError(400, "bad_format", message("server_bad_format", options.lang,
                                                      expected="html, json, csv, xlsx"))
        the_store = store()
        with report_lock:  # a report rewrites the inferred graph: one at a time
            report = cartography.build(the_store, language, settings.resources_dir)
        if format == "json":
            return JSONResponse({name: {"title": t.title, "columns": t.columns, "rows": t.rows}
                                 for name, t in report.tables.items()})
        with tempfile.TemporaryDirectory(prefix="evalgraph-carto-") as folder:
            path = Path(folder) / f"cartography.{format}"
            if format == "html":
                cartography.write_html(report, path, __version__)
                return Response(path.read_text(encoding="utf-8"), media_type="text/html; charset=utf-8")
            if format == "xlsx":
                cartography.write_xlsx(report, path)
                return Response(path.read_bytes(), media_type=XLSX_MEDIA_TYPE,
                                headers={"content-disposition": 'attachment; filename="cartography.xlsx"'})
            cartography.write_csv(report, path)
            return Response(path.read_text(encoding="utf-8"), media_type="text/csv")

    # -------------------------------------------------------------------------------------- dereferenceable IRIs
    @app.get("/{namespace}/{local:path}", include_in_schema=True,
             summary="An evalgraph IRI (id/…, ontology/…, vocab/…, shapes/…): HTML for browsers, RDF by Accept")
    async def dereference(namespace: str, local: str, request: Request) -> Response:
        if namespace not in DEREFERENCEABLE:
            raise ApiError(404, "not_found", message("server_not_found", options.lang, path=request.url.path))
        iri = f"https://w3id.org/evalgraph/{namespace}/{local}"
        triples = store().query("DESCRIBE ?x", {"x": ox.NamedNode(iri)}).triples if _SAFE_LOCAL.match(local) else []
        if not triples:
            raise ApiError(404, "not_found", message("server_not_found", options.lang, path=request.url.path))
        offered = {"text/html": 1, **GRAPH_FORMATS}
        media = _negotiate(request.headers.get("accept", ""), offered, "text/turtle")
        if media is None:
            raise ApiError(406, "not_acceptable", message("server_not_acceptable", options.lang,
                                                          offered=", ".join(offered)))
        if media == "text/html":
            return Response(_describe_html(iri, triples, options.lang), media_type="text/html; charset=utf-8")
        return Response(ox.serialize(triples, format=GRAPH_FORMATS[media]), media_type=media)

    @app.get("/health", summary="Liveness: the store opens and answers")
    async def health() -> dict[str, object]:
        return {"status": "ok", "triples": store().count()}

    return app
