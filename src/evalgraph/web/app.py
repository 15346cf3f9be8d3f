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

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.concurrency import run_in_threadpool
from fastapi.middleware.cors import CORSMiddleware

from evalgraph._version import __version__
from evalgraph.settings import Settings
from evalgraph.store.oxigraph import OxigraphStore
from evalgraph.web import choice, dossiers, graph_store, health, home, linked_data, reports, sparql, ui
from evalgraph.web.dossier_service import DossierService
from evalgraph.web.errors import HANDLERS
from evalgraph.web.middleware import RefuseWhenSaturated, VaryOnAccept
from evalgraph.web.openapi import openapi, resources_description
from evalgraph.web.service import ServerSettings, Service

OPENAPI_TAGS = [
    {"name": "sparql", "description": "SPARQL 1.1 Protocol (read-only by default)"},
    {"name": "dossiers", "description": "Dossier validation and submission"},
    {"name": "reports", "description": "Named queries and the cartography"},
    {"name": "linked data", "description": "Dereferenceable IRIs and dataset description"},
]


def create_app(
    settings: Settings, server: ServerSettings | None = None, store_factory: Callable[[], OxigraphStore] | None = None
) -> FastAPI:
    """The FastAPI application. With a lifespan (uvicorn), the store is opened and the query workers started
    before the first request is accepted; otherwise (in-process --get) on first use."""
    options = server or ServerSettings(lang="fr" if settings.lang.lower().startswith("fr") else "en")
    service = Service(settings, options, store_factory)
    app = FastAPI(
        title="evalgraph",
        version=__version__,
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        description=resources_description(),
        openapi_tags=OPENAPI_TAGS,
        exception_handlers=HANDLERS,
    )
    app.state.service = service
    app.state.dossiers = DossierService(service)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=["*"],
        allow_credentials=False,
        allow_methods=["GET", "POST"],
        allow_headers=["Content-Type", "Accept", "Authorization"],
    )
    app.add_middleware(VaryOnAccept)
    app.add_middleware(RefuseWhenSaturated, pool=app.state.dossiers.pool, lang=service.lang)
    app.include_router(sparql.router)
    app.include_router(graph_store.router)
    app.include_router(reports.router)
    app.include_router(dossiers.router)
    app.include_router(choice.router)
    ui.install(app)  # the pages of web/static at /ui/ and their texts from the catalogue
    app.include_router(home.router)
    app.include_router(linked_data.router)  # last of the routed paths: /{namespace}/{local} matches many
    app.include_router(health.router)
    app.openapi = lambda: openapi(app)  # type: ignore[method-assign]
    return app


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Open the store and start the query workers before the first request; stop them and close the stores
    at the end."""
    service: Service = app.state.service
    await run_in_threadpool(service.store)
    yield
    await run_in_threadpool(service.close)
    app.state.dossiers.close()
