"""The SPARQL 1.1 Protocol endpoint, ``/sparql``: queries by GET, form POST or direct POST; updates when the
operator enabled them; with no query, the service description. Queries and updates are checked and run in the
query workers (:mod:`evalgraph.web.query_workers`); this module only reads the request and writes the answer."""

from __future__ import annotations

import pyoxigraph as ox
from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from evalgraph.errors import ApiError
from evalgraph.i18n import message
from evalgraph.store import prefixes
from evalgraph.store import queries as named_queries
from evalgraph.store.oxigraph import RESERVED_GRAPHS
from evalgraph.web.openapi import SPARQL_DESCRIPTION
from evalgraph.web.protocol import GRAPH_FORMATS, Job, graph_body, negotiate
from evalgraph.web.requests import protocol_parameters, public_base, service_of
from evalgraph.web.service import Service

router = APIRouter()


@router.get(
    "/sparql",
    tags=["sparql"],
    operation_id="sparql_get",
    description=SPARQL_DESCRIPTION,
    summary="SPARQL 1.1 Protocol query by GET (?query=); no query: the service description",
)
@router.post(
    "/sparql",
    tags=["sparql"],
    operation_id="sparql_post",
    description=SPARQL_DESCRIPTION,
    summary="SPARQL 1.1 Protocol query (form or direct POST), or update when enabled",
)
async def sparql(request: Request) -> Response:
    service = service_of(request)
    options, lang = service.options, service.lang
    params = await protocol_parameters(request)
    if "update" in params:
        return await sparql_update(request, params)
    queries = params.get("query", [])
    if not queries:
        return await run_in_threadpool(service_description, request)
    if len(queries) > 1:
        raise ApiError(400, "two_queries", message("server_two_queries", lang))
    job = Job(
        queries[0],
        tuple(params.get("default-graph-uri", [])),
        tuple(params.get("named-graph-uri", [])),
        request.headers.get("accept", ""),
        options.max_result_bytes,
        lang,
        public_base(request) + "/sparql",
        await known_graphs(service),
    )
    reply = await service.answer(job)
    if reply.code == "update_in_query":
        if not options.allow_update:
            raise ApiError(403, "read_only", message("server_read_only", lang))
        raise ApiError(400, "update_as_query", message("update_in_query", lang))
    if reply.status >= 400:
        raise ApiError(reply.status, reply.code, reply.message, reply.headers)
    return Response(reply.body, media_type=reply.media_type)


router.add_api_route("/sparql/", sparql, methods=["GET", "POST"], include_in_schema=False)


async def known_graphs(service: Service) -> frozenset[str]:
    """The store's named graphs: on the event loop once the store is open and they are known (a set read once per
    write), else in a thread."""
    if service.opened:
        return service.known_graphs()
    return await run_in_threadpool(service.known_graphs)


async def sparql_update(request: Request, params: dict[str, list[str]]) -> Response:
    """An update: enabled by the operator, from an admin token; checked in a worker, run with the workers
    stopped (204)."""
    service = service_of(request)
    lang = service.lang
    if not service.options.allow_update:
        raise ApiError(403, "read_only", message("server_read_only", lang))
    service.writer(request, "update")
    updates = params["update"]
    if len(updates) > 1:
        raise ApiError(400, "two_updates", message("server_two_updates", lang))
    job = Job(
        updates[0],
        lang=lang,
        base_iri=public_base(request) + "/sparql",
        known_graphs=await known_graphs(service),
        operation="check-update",
        reserved_graphs=RESERVED_GRAPHS,
        using=tuple(params.get("using-graph-uri", [])),
        using_named=tuple(params.get("using-named-graph-uri", [])),
    )
    checked = await service.answer(job)  # in a worker, under the timeout
    if checked.status >= 400:
        raise ApiError(checked.status, checked.code, checked.message, checked.headers)
    await run_in_threadpool(service.update, checked.body.decode("utf-8"))
    return Response(status_code=204)


def service_description(request: Request) -> Response:
    """The SPARQL service description (queries/service-description.rq), naming the real endpoint."""
    service = service_of(request)
    base = public_base(request)
    named = named_queries.load("service-description", service.settings.resources_dir)
    given = {"endpoint": base + "/sparql", "dataset": base + "/void"}
    if service.options.allow_update:
        given["updateLanguage"] = "http://www.w3.org/ns/sparql-service-description#SPARQL11Update"
    triples = service.store().query(named.text, named_queries.bind(named, given)).triples
    triples += prefixes.described(ox.NamedNode(given["endpoint"]))  # what a query may use undeclared
    media = negotiate(request.headers.get("accept", ""), GRAPH_FORMATS, "text/turtle") or "text/turtle"
    return Response(graph_body(triples, media), media_type=media)
