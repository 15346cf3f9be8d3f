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

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, RedirectResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from evalgraph._version import __version__
from evalgraph.errors import ApiError, EvalgraphError
from evalgraph.i18n import message
from evalgraph.settings import Settings
from evalgraph.store.oxigraph import OxigraphStore
from evalgraph.web import linked_data, reports, sparql, ui
from evalgraph.web.middleware import VaryOnAccept
from evalgraph.web.openapi import openapi, resources_description
from evalgraph.web.requests import read_body
from evalgraph.web.service import ServerSettings, Service

log = logging.getLogger("evalgraph.web.app")


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
        description=resources_description(),
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

    app.include_router(sparql.router)
    app.include_router(reports.router)

    # ---------------------------------------------------------------------------------------------------- dossiers
    from evalgraph.web import dossiers as server_dossiers

    dossier_routes = server_dossiers.install(app, service, read_body)

    # ------------------------------------------------------------------------------------------------------ web UI
    ui.install(app)  # the pages of web/static at /ui/ and their texts from the catalogue

    @app.get("/", include_in_schema=False)
    async def home() -> RedirectResponse:
        return RedirectResponse("/ui/", status_code=303)

    @app.get("/docs", include_in_schema=False)
    async def api_docs() -> RedirectResponse:
        """The API reference page, rendered offline from /openapi.json (FastAPI's own loads Swagger UI from a CDN)."""
        return RedirectResponse("ui/api.html", status_code=303)

    app.include_router(linked_data.router)  # last of the routed paths: /{namespace}/{local} matches many

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

    app.openapi = lambda: openapi(app)  # type: ignore[method-assign]
    return app
