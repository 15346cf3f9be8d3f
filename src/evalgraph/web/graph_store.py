"""Writes through the SPARQL 1.1 Graph Store HTTP Protocol: ``PUT /store?graph=IRI`` replaces a graph, ``POST`` adds to
it. Like SPARQL Update, only when the operator enabled updates (``--allow-update``) and from an admin token; never a
reserved graph (the built-in graphs, the provenance graph, the inferred graph). The body — Turtle or N-Triples, under
``--max-body`` — is parsed whole before anything is written (relative IRIs, XML and JSON-LD are not accepted, so it
can make the server fetch nothing); the graph is then written in one transaction with its provenance (the sources the
client names, who sent it, the content's SHA-256), with the query workers holding the store closed, and the inferred
graph refreshed. This is how ``evalgraph load`` writes while ``evalgraph serve`` holds the store (docs/engines.md)."""

from __future__ import annotations

import hashlib
from typing import Annotated

import pyoxigraph as ox
from fastapi import APIRouter, Query, Request, Response
from fastapi.concurrency import run_in_threadpool

from evalgraph.errors import ApiError, DataFileError, UsageError
from evalgraph.i18n import message
from evalgraph.store.oxigraph import RESERVED_GRAPHS, check_graph_iri
from evalgraph.store.parsing import parse_data
from evalgraph.web.requests import read_body, service_of

router = APIRouter()
ACCEPTED = (ox.RdfFormat.TURTLE, ox.RdfFormat.N_TRIPLES)


async def graph_store(
    request: Request,
    graph: Annotated[str, Query(description="The graph's IRI (not a reserved graph)")],
    source: Annotated[list[str] | None, Query(description="Names of the files the triples come from")] = None,
) -> Response:
    service = service_of(request)
    lang = service.lang
    if not service.options.allow_update:
        raise ApiError(403, "read_only", message("server_read_only", lang))
    principal = service.writer(request, "update")
    try:
        check_graph_iri(graph)
    except UsageError as exc:
        raise ApiError(400, exc.key, exc.render(lang)) from exc
    if graph in RESERVED_GRAPHS:
        raise ApiError(403, "reserved_graph", message("reserved_graph", lang, graph=graph))
    media_type = request.headers.get("content-type", "")
    rdf_format = ox.RdfFormat.from_media_type(media_type) if media_type else None  # pyoxigraph's own media types
    if rdf_format not in ACCEPTED:
        raise ApiError(415, "unsupported_media_type", message("server_store_media_type", lang, given=media_type or "-"))
    body = await read_body(request)
    try:
        quads = parse_data("body", body, "." + rdf_format.file_extension, graph)
    except DataFileError as exc:
        raise ApiError(400, "bad_rdf", exc.render(lang)) from exc
    names = ", ".join(source or []) or f"HTTP {request.method}"
    provenance = f"{names} (sent by {principal.name}, sha256:{hashlib.sha256(body).hexdigest()})"
    triples = [q.triple for q in quads]
    await run_in_threadpool(service.write, triples, graph, request.method == "PUT", provenance)
    return Response(status_code=204)


for _method, _summary in (("PUT", "replaces the graph"), ("POST", "adds to the graph")):
    router.add_api_route(
        "/store",
        graph_store,
        methods=[_method],
        status_code=204,
        tags=["SPARQL"],
        operation_id=f"graph_store_{_method.lower()}",
        summary=f"Graph Store Protocol write: {_method} {_summary} (admin token, --allow-update)",
    )
