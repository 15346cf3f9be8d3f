"""The web service: a SPARQL 1.1 Protocol endpoint, the dossier API, named queries, the cartography, dereferenceable
IRIs and a web UI, over the embedded store.

``/sparql`` takes a query by GET (``?query=``), by POST form-encoded (``query=``) or by POST direct
(``application/sparql-query``), with ``default-graph-uri`` / ``named-graph-uri`` to choose the dataset; answers
SELECT and ASK in SPARQL JSON, XML, CSV or TSV and CONSTRUCT / DESCRIBE in Turtle, N-Triples, JSON-LD or RDF/XML by
content negotiation; with no query, it describes itself (SPARQL service description). Queries run in worker
processes (:mod:`evalgraph.web.query_workers`) so that a timeout really stops them. SPARQL Update is refused unless the
operator enables it, and then needs an admin token. Every query and update is checked by
:mod:`evalgraph.store.guard` on its parsed structure, inside a query worker and under the timeout (the event loop
never parses SPARQL): SERVICE, LOAD, FROM / FROM NAMED / USING of graphs the store does not hold, and updates of
built-in graphs are refused before anything runs; the workers also run without network access where the platform
allows it (docs/server.md, threat model).
Request bodies and results are capped (413). Every error has one JSON shape:
``{"error": {"status": …, "code": …, "message": …}}``. See docs/server.md.
"""

from __future__ import annotations

import html
import logging
import re
import tempfile
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import pyoxigraph as ox
from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from evalgraph import resources
from evalgraph._version import __version__
from evalgraph.cartography import report as cartography
from evalgraph.errors import ApiError, EvalgraphError
from evalgraph.i18n import message
from evalgraph.settings import Settings
from evalgraph.store import formats
from evalgraph.store import queries as named_queries
from evalgraph.store.oxigraph import RESERVED_GRAPHS, OxigraphStore
from evalgraph.web.middleware import VaryOnAccept
from evalgraph.web.protocol import GRAPH_FORMATS, RESULT_FORMATS, Job, graph_body, negotiate
from evalgraph.web.service import ServerSettings, Service

log = logging.getLogger("evalgraph.web.app")
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
STATIC_DIR = Path(__file__).resolve().parent / "static"
DEREFERENCEABLE = ("id", "ontology", "vocab", "shapes")
_SAFE_LOCAL = re.compile(r"^[A-Za-z0-9._~\-]+$")


def _describe_html(iri: str, triples: list[ox.Triple], lang: str) -> str:
    """A small readable page of what the graph says about ``iri`` (subject rows first, then incoming links)."""

    def cell(term: object) -> str:
        if isinstance(term, ox.NamedNode):
            shown = formats.compact(term.value)
            target = (
                term.value.replace("https://w3id.org/evalgraph/", "/", 1)
                if term.value.startswith("https://w3id.org/evalgraph/")
                else term.value
            )
            return f'<a href="{html.escape(target)}">{html.escape(shown)}</a>'
        if isinstance(term, ox.Literal):
            suffix = f' <span class="lang">@{term.language}</span>' if term.language else ""
            return html.escape(term.value) + suffix
        return html.escape(str(term))

    labels = [
        t.object.value
        for t in triples
        if isinstance(t.object, ox.Literal)
        and t.subject == ox.NamedNode(iri)
        and t.predicate.value
        in ("http://www.w3.org/2000/01/rdf-schema#label", "http://www.w3.org/2004/02/skos/core#prefLabel")
        and t.object.language == lang
    ]
    title = labels[0] if labels else formats.compact(iri)
    rows = "".join(
        f"<tr><td>{cell(t.predicate)}</td><td>{cell(t.object)}</td></tr>"
        for t in triples
        if t.subject == ox.NamedNode(iri)
    )
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{html.escape(title)} — evalgraph'
        "</title><style>body{font:14px system-ui,sans-serif;margin:2rem;max-width:70rem}td{padding:.3rem .5rem;"
        "border-bottom:1px solid #e8eaed;vertical-align:top}.lang{color:#5f6368;font-size:.8rem}</style></head>"
        f"<body><h1>{html.escape(title)}</h1><p><code>{html.escape(iri)}</code></p><table>{rows}</table>"
        "</body></html>"
    )


def _error_response(status: int, code: str, text: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(
        {"error": {"status": status, "code": code, "message": text}}, status_code=status, headers=headers
    )


def create_app(
    settings: Settings, server: ServerSettings | None = None, store_factory: Callable[[], OxigraphStore] | None = None
) -> FastAPI:
    """The FastAPI application. With a lifespan (uvicorn), the store is opened and the query workers started
    before the first request is accepted; otherwise (in-process --get) on first use."""
    options = server or ServerSettings(lang="fr" if settings.lang.lower().startswith("fr") else "en")
    service = Service(settings, options, store_factory)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        await run_in_threadpool(service.store)
        yield
        await run_in_threadpool(service.close)
        if dossier_routes.dossiers is not None:
            dossier_routes.dossiers.close()

    app = FastAPI(
        title="evalgraph",
        version=__version__,
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        description=(resources_description()),
        openapi_tags=[
            {"name": "sparql", "description": "SPARQL 1.1 Protocol (read-only by default)"},
            {"name": "dossiers", "description": "Dossier validation and submission"},
            {"name": "reports", "description": "Named queries and the cartography"},
            {"name": "linked data", "description": "Dereferenceable IRIs and dataset description"},
        ],
    )
    app.state.service = service
    app.add_middleware(
        CORSMiddleware,
        allow_origins=["*"],
        allow_credentials=False,
        allow_methods=["GET", "POST"],
        allow_headers=["Content-Type", "Accept", "Authorization"],
    )
    lang = options.lang

    app.add_middleware(VaryOnAccept)

    @app.exception_handler(ApiError)
    async def api_error(_request: Request, exc: ApiError) -> JSONResponse:
        return _error_response(exc.http_status, exc.code, exc.text, exc.headers)

    @app.exception_handler(EvalgraphError)
    async def evalgraph_error(_request: Request, exc: EvalgraphError) -> JSONResponse:
        return _error_response(exc.http_status, exc.code, exc.render(lang))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return _error_response(exc.status_code, "http_error", str(exc.detail), dict(exc.headers or {}))

    @app.exception_handler(RequestValidationError)
    async def validation_error(_request: Request, exc: RequestValidationError) -> JSONResponse:
        return _error_response(422, "invalid_request", str(exc.errors())[:500])

    @app.exception_handler(Exception)
    async def internal_error(_request: Request, exc: Exception) -> JSONResponse:
        log.exception("internal error", exc_info=exc)
        return _error_response(500, "internal_error", message("server_internal", lang))

    async def read_body(request: Request) -> bytes:
        declared = request.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > options.max_body_bytes:
            raise ApiError(413, "body_too_large", message("server_body_too_large", lang, limit=options.max_body_bytes))
        body = b""
        async for chunk in request.stream():
            body += chunk
            if len(body) > options.max_body_bytes:
                raise ApiError(
                    413, "body_too_large", message("server_body_too_large", lang, limit=options.max_body_bytes)
                )
        return body

    app.state.read_body = read_body

    async def protocol_parameters(request: Request) -> dict[str, list[str]]:
        """The protocol's parameters from the URL, a form body or a direct query / update body."""
        params = parse_qs(request.url.query, keep_blank_values=True)
        if request.method == "POST":
            content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
            body = await read_body(request)
            try:
                text = body.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise ApiError(400, "not_utf8", message("server_not_utf8", lang)) from exc
            if content_type == "application/x-www-form-urlencoded":
                for key, values in parse_qs(text, keep_blank_values=True).items():
                    params.setdefault(key, []).extend(values)
            elif content_type in ("application/sparql-query", "application/sparql-update"):
                key = "query" if content_type == "application/sparql-query" else "update"
                if "query" in params or "update" in params:
                    raise ApiError(400, "two_queries", message("server_two_queries", lang))
                params[key] = [text]
            elif not content_type:
                raise ApiError(400, "no_content_type", message("server_no_content_type", lang))
            else:
                raise ApiError(415, "unsupported_media_type", message("server_media_type", lang, media=content_type))
        elif "update" in params:
            raise ApiError(400, "update_by_get", message("server_update_by_get", lang))
        if "query" in params and "update" in params:
            raise ApiError(400, "query_and_update", message("server_query_and_update", lang))
        return params

    @app.get(
        "/sparql",
        tags=["sparql"],
        operation_id="sparql_get",
        description=SPARQL_DESCRIPTION,
        summary="SPARQL 1.1 Protocol query by GET (?query=); no query: the service description",
    )
    @app.post(
        "/sparql",
        tags=["sparql"],
        operation_id="sparql_post",
        description=SPARQL_DESCRIPTION,
        summary="SPARQL 1.1 Protocol query (form or direct POST), or update when enabled",
    )
    async def sparql(request: Request) -> Response:
        params = await protocol_parameters(request)
        if "update" in params:
            return await sparql_update(request, params)
        queries = params.get("query", [])
        if not queries:
            return await run_in_threadpool(service_description, request)
        if len(queries) > 1:
            raise ApiError(400, "two_queries", message("server_two_queries", lang))
        text = queries[0]
        the_store = await run_in_threadpool(service.store)
        known = frozenset(await run_in_threadpool(the_store.graph_iris))
        job = Job(
            text,
            tuple(params.get("default-graph-uri", [])),
            tuple(params.get("named-graph-uri", [])),
            request.headers.get("accept", ""),
            options.max_result_bytes,
            lang,
            public_base(request) + "/sparql",
            known,
        )
        reply = await run_in_threadpool(service.answer, job)
        if reply.code == "update_in_query":
            if not options.allow_update:
                raise ApiError(403, "read_only", message("server_read_only", lang))
            raise ApiError(400, "update_as_query", message("update_in_query", lang))
        if reply.status >= 400:
            raise ApiError(reply.status, reply.code, reply.message, reply.headers)
        return Response(reply.body, media_type=reply.media_type)

    app.add_api_route("/sparql/", sparql, methods=["GET", "POST"], include_in_schema=False)

    async def sparql_update(request: Request, params: dict[str, list[str]]) -> Response:
        if not options.allow_update:
            raise ApiError(403, "read_only", message("server_read_only", lang))
        service.writer(request, "update")
        updates = params["update"]
        if len(updates) > 1:
            raise ApiError(400, "two_updates", message("server_two_updates", lang))
        the_store = await run_in_threadpool(service.store)
        job = Job(
            updates[0],
            lang=lang,
            base_iri=public_base(request) + "/sparql",
            known_graphs=frozenset(await run_in_threadpool(the_store.graph_iris)),
            operation="check-update",
            reserved_graphs=RESERVED_GRAPHS,
            using=tuple(params.get("using-graph-uri", [])),
            using_named=tuple(params.get("using-named-graph-uri", [])),
        )
        checked = await run_in_threadpool(service.answer, job)  # in a worker, under the timeout
        if checked.status >= 400:
            raise ApiError(checked.status, checked.code, checked.message, checked.headers)
        await run_in_threadpool(service.update, checked.body.decode("utf-8"))
        return Response(status_code=204)

    def service_description(request: Request) -> Response:
        base = public_base(request)
        endpoint = base + "/sparql"
        named = named_queries.load("service-description", settings.resources_dir)
        given = {"endpoint": endpoint, "dataset": base + "/void"}
        if options.allow_update:
            given["updateLanguage"] = "http://www.w3.org/ns/sparql-service-description#SPARQL11Update"
        triples = service.store().query(named.text, named_queries.bind(named, given)).triples
        media = negotiate(request.headers.get("accept", ""), GRAPH_FORMATS, "text/turtle") or "text/turtle"
        return Response(graph_body(triples, media), media_type=media)

    def public_base(request: Request) -> str:
        return options.public_url.rstrip("/") if options.public_url else str(request.base_url).rstrip("/")

    @app.get("/void", tags=["linked data"], summary="VoID and DCAT description of the dataset (Turtle, JSON-LD…)")
    def void_description(request: Request) -> Response:
        base = public_base(request)
        named = named_queries.load("dataset-description", settings.resources_dir)
        bindings = named_queries.bind(named, {"dataset": base + "/void", "endpoint": base + "/sparql"})
        triples = service.store().query(named.text, bindings).triples
        media = negotiate(request.headers.get("accept", ""), GRAPH_FORMATS, "text/turtle")
        if media is None:
            raise ApiError(
                406, "not_acceptable", message("server_not_acceptable", lang, offered=", ".join(GRAPH_FORMATS))
            )
        return Response(graph_body(triples, media), media_type=media)

    app.add_api_route("/.well-known/void", void_description, methods=["GET"], include_in_schema=False)

    # ------------------------------------------------------------------------------- named queries and cartography
    @app.get("/queries", tags=["reports"], summary="The named queries: name, titles, description, parameters, text")
    def list_queries() -> list[dict[str, object]]:
        return [
            {
                "name": q.name,
                "title_en": q.title_en,
                "title_fr": q.title_fr,
                "description": q.description,
                "description_fr": q.description_fr,
                "parameters": [{"name": p.name, "type": p.type, "default": p.default} for p in q.parameters],
                "columns": list(q.columns),
                "text": q.text,
            }
            for q in named_queries.catalogue(settings.resources_dir)
        ]

    @app.get(
        "/queries/{name}",
        tags=["reports"],
        summary="Run a named query; its parameters are query-string parameters; format=json|csv or Accept",
    )
    def run_query(name: str, request: Request) -> Response:
        if name not in resources.names("queries", override=settings.resources_dir):
            raise ApiError(404, "unknown_query", message("server_unknown_query", lang, name=name))
        named = named_queries.load(name, settings.resources_dir)
        given = {k: v for k, v in request.query_params.items() if k != "format"}
        bindings = named_queries.bind(named, given)
        result = service.store().query(named.text, bindings)
        fmt = request.query_params.get("format") or (
            "csv"
            if negotiate(request.headers.get("accept", ""), {"text/csv": 1, "application/json": 1}, "application/json")
            == "text/csv"
            else "json"
        )
        if fmt not in ("json", "csv"):
            raise ApiError(400, "bad_format", message("server_bad_format", lang, expected="json, csv"))
        text = formats.serialize(result, fmt)
        return Response(text, media_type="text/csv" if fmt == "csv" else "application/sparql-results+json")

    @app.get("/cartography", tags=["reports"], summary="The cartography report: format=html|json|csv|xlsx, lang=en|fr")
    def cartography_report(format: str = "html", lang: str | None = None) -> Response:  # noqa: A002
        language = lang if lang in ("en", "fr") else options.lang
        if format not in ("html", "json", "csv", "xlsx"):
            raise ApiError(
                400, "bad_format", message("server_bad_format", options.lang, expected="html, json, csv, xlsx")
            )
        the_store = service.store()
        report = cartography.build(the_store, language, settings.resources_dir, refresh=False)
        if format == "json":
            return JSONResponse(
                {name: {"title": t.title, "columns": t.columns, "rows": t.rows} for name, t in report.tables.items()}
            )
        with tempfile.TemporaryDirectory(prefix="evalgraph-carto-") as folder:
            path = Path(folder) / f"cartography.{format}"
            if format == "html":
                cartography.write_html(report, path, __version__)
                return Response(path.read_text(encoding="utf-8"), media_type="text/html; charset=utf-8")
            if format == "xlsx":
                cartography.write_xlsx(report, path)
                return Response(
                    path.read_bytes(),
                    media_type=XLSX_MEDIA_TYPE,
                    headers={"content-disposition": 'attachment; filename="cartography.xlsx"'},
                )
            cartography.write_csv(report, path)
            return Response(path.read_text(encoding="utf-8"), media_type="text/csv")

    # ---------------------------------------------------------------------------------------------------- dossiers
    from evalgraph.web import dossiers as server_dossiers

    dossier_routes = server_dossiers.install(app, service, read_body)

    # ------------------------------------------------------------------------------------------------------ web UI
    app.mount("/ui", StaticFiles(directory=STATIC_DIR, html=True), name="ui")

    @app.get("/", include_in_schema=False)
    async def home() -> RedirectResponse:
        return RedirectResponse("/ui/", status_code=303)

    @app.get("/docs", include_in_schema=False)
    async def api_docs() -> RedirectResponse:
        """The API reference page, rendered offline from /openapi.json (FastAPI's own loads Swagger UI from a CDN)."""
        return RedirectResponse("ui/api.html", status_code=303)

    # -------------------------------------------------------------------------------------- dereferenceable IRIs
    @app.get(
        "/ontology",
        tags=["linked data"],
        summary="The ontology's documentation (HTML, classes and properties in French and English) or its RDF",
    )
    def ontology_page(request: Request) -> Response:
        from evalgraph.ontology import documentation as ontology_doc

        offered = {"text/html": 1, **GRAPH_FORMATS}
        media = negotiate(request.headers.get("accept", ""), offered, "text/html")
        if media is None:
            raise ApiError(406, "not_acceptable", message("server_not_acceptable", lang, offered=", ".join(offered)))
        the_store = service.store()
        if media == "text/html":
            page_lang = request.query_params.get("lang") or lang
            return Response(
                ontology_doc.render(
                    the_store, page_lang if page_lang in ("en", "fr") else lang, settings.resources_dir
                ),
                media_type="text/html; charset=utf-8",
            )
        from evalgraph.store.oxigraph import ONTOLOGY_GRAPH

        return Response(graph_body(the_store.export([ONTOLOGY_GRAPH]), media), media_type=media)

    @app.get(
        "/{namespace}/{local:path}",
        include_in_schema=True,
        tags=["linked data"],
        summary="An evalgraph IRI (id/…, ontology/…, vocab/…, shapes/…): HTML for browsers, RDF by Accept",
    )
    def dereference(namespace: str, local: str, request: Request) -> Response:
        if namespace not in DEREFERENCEABLE:
            raise ApiError(404, "not_found", message("server_not_found", lang, path=request.url.path))
        iri = f"https://w3id.org/evalgraph/{namespace}/{local}"
        the_store = service.store()
        triples = the_store.query("DESCRIBE ?x", {"x": ox.NamedNode(iri)}).triples if _SAFE_LOCAL.match(local) else []
        if not triples:
            raise ApiError(404, "not_found", message("server_not_found", lang, path=request.url.path))
        offered = {"text/html": 1, **GRAPH_FORMATS}
        media = negotiate(request.headers.get("accept", ""), offered, "text/turtle")
        if media is None:
            raise ApiError(406, "not_acceptable", message("server_not_acceptable", lang, offered=", ".join(offered)))
        if media == "text/html":
            return Response(_describe_html(iri, triples, lang), media_type="text/html; charset=utf-8")
        return Response(graph_body(triples, media), media_type=media)

    @app.get("/health", summary="Liveness: the store opens and answers; query workers and their counters")
    def health() -> dict[str, object]:
        the_store = service.store()
        pool = service.pool
        return {
            "status": "ok",
            "triples": the_store.count(),
            "version": __version__,
            "query_workers": pool.size if pool else 0,
            "query_timeout_s": options.query_timeout,
            "queries_stopped": pool.timeouts if pool else 0,
            "requests_refused": pool.refused if pool else 0,
            "query_workers_network": pool.isolation if pool else "in-process (no isolation)",
            "validation_workers": dossier_routes.pool.size if dossier_routes.pool else 0,
            "validations_stopped": dossier_routes.pool.timeouts if dossier_routes.pool else 0,
            "validations_refused": dossier_routes.pool.refused if dossier_routes.pool else 0,
            "updates_enabled": options.allow_update,
            "read_only": options.read_only,
            "tokens": len(options.tokens),
        }

    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    return app


_ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["status", "code", "message"],
            "properties": {"status": {"type": "integer"}, "code": {"type": "string"}, "message": {"type": "string"}},
        }
    },
}
_ERRORS = {
    "400": "Malformed or refused request (the message says what and where)",
    "401": "No bearer token, or a token the operator did not issue",
    "403": "The token's role may not do this, or the service is read-only",
    "404": "Unknown path, query, dossier or version (or a dossier the token may not read)",
    "406": "None of the accepted media types is offered",
    "413": "Request body or result over the configured cap",
    "415": "Unsupported Content-Type",
    "422": "A well-formed request the server cannot process (a dossier nested too deeply or too big to expand, "
    "an invalid parameter)",
    "503": "Query stopped at the timeout, or the server is busy (Retry-After)",
}
_TEXT = {"type": "string", "minLength": 1}
"""An empty query, update or dossier is refused: the schema says so."""
_MEDIA = {
    # the non-JSON answers of the routes that negotiate or take a format parameter
    "/queries/{name}": ("application/sparql-results+json", "text/csv"),
    "/cartography": (
        "text/html",
        "application/json",
        "text/csv",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    "/void": tuple(GRAPH_FORMATS),
    "/ontology": ("text/html", *GRAPH_FORMATS),
    "/{namespace}/{local}": ("text/html", *GRAPH_FORMATS),
}
_SPARQL_PARAMETERS = [
    {
        "name": "query",
        "in": "query",
        "required": False,
        "schema": _TEXT,
        "description": "The SPARQL query (GET; or in a form or direct POST body). Absent: the service description.",
    },
    {
        "name": "default-graph-uri",
        "in": "query",
        "required": False,
        "schema": {"type": "array", "items": {"type": "string"}},
        "explode": True,
        "description": "Graphs forming the default graph (a graph the store does not hold is empty)",
    },
    {
        "name": "named-graph-uri",
        "in": "query",
        "required": False,
        "schema": {"type": "array", "items": {"type": "string"}},
        "explode": True,
        "description": "Named graphs of the dataset (a graph the store does not hold is empty)",
    },
]
_DOSSIER_BODY = {
    "required": True,
    "description": "The dossier itself (see docs/dossiers.md)",
    "content": {
        media: {"schema": _TEXT}
        for media in (
            "text/turtle",
            "application/ld+json",
            "application/yaml",
            "application/n-triples",
            "application/rdf+xml",
        )
    },
}
_DOSSIER_PARAMETERS = [
    {
        "name": "name",
        "in": "query",
        "required": False,
        "schema": {"type": "string"},
        "description": "A file name for the dossier, used in messages and kept with the version",
    },
    {
        "name": "lang",
        "in": "query",
        "required": False,
        "schema": {"type": "string", "enum": ["en", "fr"]},
        "description": "Language of the report's messages",
    },
]


def _openapi(app: FastAPI) -> dict[str, Any]:
    """FastAPI's schema, completed where routes read raw bodies: request bodies and their media types, protocol
    parameters, result media types, the bearer scheme, and the one error shape on every route."""
    if app.openapi_schema:
        return app.openapi_schema
    schema = get_openapi(
        title=app.title, version=app.version, description=app.description, routes=app.routes, tags=app.openapi_tags
    )
    components = schema.setdefault("components", {})
    components.setdefault("schemas", {})["Error"] = _ERROR_SCHEMA
    components["securitySchemes"] = {
        "bearer": {"type": "http", "scheme": "bearer", "description": "A token from the operator's token file"}
    }
    error_ref = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    results = {media: {"schema": {"type": "string"}} for media in (*RESULT_FORMATS, *GRAPH_FORMATS)}
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            for status, text in _ERRORS.items():
                responses.setdefault(status, {"description": text, "content": error_ref})
            if path in _MEDIA and "200" in responses:
                responses["200"]["content"] = {media: {"schema": {"type": "string"}} for media in _MEDIA[path]}
            if path == "/sparql":
                operation["parameters"] = _SPARQL_PARAMETERS
                responses["200"] = {"description": "Query results, or the service description", "content": results}
                if method == "post":
                    operation["requestBody"] = {
                        "content": {
                            "application/sparql-query": {"schema": _TEXT},
                            "application/sparql-update": {"schema": _TEXT},
                            "application/x-www-form-urlencoded": {
                                "schema": {
                                    "type": "object",
                                    "properties": {
                                        "query": _TEXT,
                                        "update": _TEXT,
                                        "using-graph-uri": {"type": "array", "items": {"type": "string"}},
                                        "using-named-graph-uri": {"type": "array", "items": {"type": "string"}},
                                        "default-graph-uri": {"type": "array", "items": {"type": "string"}},
                                        "named-graph-uri": {"type": "array", "items": {"type": "string"}},
                                    },
                                }
                            },
                        }
                    }
                    operation["security"] = [{}, {"bearer": []}]
                    responses["204"] = {"description": "Update done (admin token, --allow-update)"}
            elif path in ("/validate", "/dossiers", "/dossiers/{dossier_id}/versions") and method == "post":
                operation["requestBody"] = _DOSSIER_BODY
                operation["parameters"] = [*operation.get("parameters", []), *_DOSSIER_PARAMETERS]
            if path.startswith("/dossiers"):
                operation["security"] = [{"bearer": []}]
    app.openapi_schema = schema
    return schema


def resources_description() -> str:
    return (
        "Knowledge graph of how digital technologies used by health professionals are regulated and evaluated "
        "(France, EU, foreign comparators). Public: the SPARQL endpoint, named queries, cartography, "
        "dereferenceable IRIs, dossier validation (POST /validate). With a bearer token from the operator: "
        "dossier submission and review (/dossiers). Every error: "
        '{"error": {"status": int, "code": str, "message": str}}.'
    )


SPARQL_DESCRIPTION = """SPARQL 1.1 Protocol endpoint.

* **Query:** `GET /sparql?query=…`, `POST` with `application/x-www-form-urlencoded` (`query=…`) or
  `application/sparql-query` (the query as the body). `default-graph-uri` and `named-graph-uri` choose the dataset;
  without them the default graph is the union of all named graphs.
* **Results** by `Accept`: SELECT/ASK as `application/sparql-results+json` (default), `application/sparql-results+xml`,
  `text/csv`, `text/tab-separated-values`; CONSTRUCT/DESCRIBE as `text/turtle` (default), `application/n-triples`,
  `application/ld+json`, `application/rdf+xml`.
* **No query:** the SPARQL service description.
* **Update:** only when the operator started the server with `--allow-update`, by `POST` with
  `application/sparql-update` or a form `update=…`, with an admin bearer token; 204 on success. Built-in graphs
  cannot be changed.
* **Refused before execution:** `SERVICE`, `LOAD`, `FROM`/`FROM NAMED`/`USING` of graphs the store does not hold
  (400); updates of built-in graphs, `CLEAR`/`DROP ALL` or `NAMED` (403). A `default-graph-uri` or `named-graph-uri`
  the store does not hold is an empty graph. See the threat model in docs/server.md.
* **Limits:** body (413), result size (413), query time (503 `query_timeout`), busy server (503 `overloaded`,
  `Retry-After`).
"""
