"""The dossier API: check a dossier without storing it (public), submit and review dossiers (bearer tokens).

* ``POST /validate`` — the validation report and the qualification of the dossier in the body; nothing is stored.
* ``POST /dossiers`` — submitter or admin: store the dossier as version 1 of a new dossier (201, ``Location``).
* ``POST /dossiers/{id}/versions`` — its submitter or an admin: store a new version.
* ``GET /dossiers``, ``/dossiers/{id}``, ``/dossiers/{id}/versions/{n}``, ``/dossiers/{id}/report`` — a submitter
  reads its own dossiers, reviewers and admins read all; a dossier one may not read answers 404, as one that does
  not exist (its existence is not disclosed).

The body is the dossier itself, its syntax given by ``Content-Type`` (Turtle, N-Triples, RDF/XML, JSON-LD, YAML);
``?name=`` names it in messages. It is parsed by :mod:`evalgraph.dossiers.reading` (no remote context, no XML entity: the
server never fetches or reads anything a dossier points to), within the dossier limits
(:class:`evalgraph.dossiers.reading.Limits`, set by the ``EVALGRAPH_DOSSIER_MAX_…`` settings): 413 for a dossier too large
(refused from its ``Content-Length`` before the body is read), 422 for one nested too deeply, with a text too long
or too many values, statements or resources.

Reading, validation and qualification run in the worker processes of :mod:`evalgraph.dossiers.workers`, off the
event loop: at most ``EVALGRAPH_VALIDATION_WORKERS`` at once, ``EVALGRAPH_VALIDATION_WAITING`` more waiting, and
503 ``overloaded`` with ``Retry-After`` beyond that (before the body is read; see
:class:`evalgraph.web.middleware.RefuseWhenSaturated`); a validation running past ``EVALGRAPH_VALIDATION_TIMEOUT``
seconds is stopped (503 ``validation_timeout``). The state these routes share is :mod:`evalgraph.web.dossier_service`'s.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response

from evalgraph.dossiers import workers as validation_pool
from evalgraph.errors import ApiError, Overloaded
from evalgraph.i18n import message
from evalgraph.web.dossier_service import DOSSIER_MEDIA_TYPES, created, dossiers_of
from evalgraph.web.protocol import GRAPH_FORMATS, graph_body, negotiate
from evalgraph.web.requests import service_of

__all__ = ["DOSSIER_MEDIA_TYPES", "REPORT_FORMATS", "REPORT_MEDIA_TYPES", "router"]

router = APIRouter(tags=["dossiers"])
REPORT_FORMATS = {"application/json": "json", "text/html": "html", "text/turtle": "ttl"}
REPORT_MEDIA_TYPES = {"json": "application/json", "html": "text/html; charset=utf-8", "ttl": "text/turtle"}


@router.post(
    "/validate", summary="Validate and qualify the dossier in the body (Turtle, JSON-LD, YAML…); nothing is stored"
)
async def validate_dossier(request: Request) -> Response:
    result, _media, _body = await dossiers_of(request).checked(request)
    return Response(result.payload, media_type="application/json")


@router.post(
    "/dossiers",
    status_code=201,
    summary="Submit a dossier (submitter or admin token): stored as version 1 of a new dossier",
)
async def submit(request: Request) -> JSONResponse:
    dossiers = dossiers_of(request)
    principal = service_of(request).writer(request, "submit")
    result, media, body = await dossiers.checked(request)
    version = await run_in_threadpool(dossiers.stored, result, media, principal, None, body)
    return await run_in_threadpool(created, version, result)


@router.post(
    "/dossiers/{dossier_id}/versions",
    status_code=201,
    summary="Submit a new version of a dossier (its submitter or an admin)",
)
async def submit_version(dossier_id: str, request: Request) -> JSONResponse:
    dossiers = dossiers_of(request)
    principal = service_of(request).writer(request, "submit")
    record = await run_in_threadpool(dossiers.readable, principal, dossier_id)
    if record.owner != principal.name and principal.role != "admin":
        raise ApiError(404, "unknown_dossier", message("server_unknown_dossier", dossiers.lang, id=dossier_id))
    result, media, body = await dossiers.checked(request)
    version = await run_in_threadpool(dossiers.stored, result, media, principal, dossier_id, body)
    return await run_in_threadpool(created, version, result)


@router.get("/dossiers", summary="The dossiers the token may read (its own, or all for reviewers)")
def list_dossiers(request: Request) -> list[dict[str, object]]:
    principal = service_of(request).principal(request)
    listed = dossiers_of(request).dossiers().listing(None if principal.reads_all else principal.name)
    return [d.to_dict() for d in listed]


@router.get("/dossiers/{dossier_id}", summary="A dossier and all its versions")
def get_dossier(dossier_id: str, request: Request) -> dict[str, object]:
    record = dossiers_of(request).readable(service_of(request).principal(request), dossier_id)
    return {**record.to_dict(), "versions": [v.to_dict() for v in record.versions]}


@router.get(
    "/dossiers/{dossier_id}/versions/{number}",
    summary="One version: its record (JSON), its graph (Turtle, JSON-LD… by Accept), or ?original=true",
)
def get_version(dossier_id: str, number: int, request: Request) -> Response:
    dossiers = dossiers_of(request)
    lang = dossiers.lang
    record = dossiers.readable(service_of(request).principal(request), dossier_id)
    version = next((v for v in record.versions if v.number == number), None)
    if version is None:
        raise ApiError(404, "unknown_version", message("server_unknown_version", lang, id=dossier_id, number=number))
    if request.query_params.get("original", "").lower() in ("1", "true", "yes"):
        return Response(dossiers.dossiers().source(dossier_id, number), media_type=version.media_type)
    offered: dict[str, Any] = {"application/json": 1, **GRAPH_FORMATS}
    media = negotiate(request.headers.get("accept", ""), offered, "application/json")
    if media is None:
        raise ApiError(406, "not_acceptable", message("server_not_acceptable", lang, offered=", ".join(offered)))
    if media == "application/json":
        return JSONResponse(version.to_dict())
    triples = dossiers.dossiers().triples(dossier_id, number)
    return Response(graph_body(triples, media), media_type=media)


@router.get(
    "/dossiers/{dossier_id}/report",
    summary="The validation report of a version (latest by default): format=json|html|ttl or Accept",
)
async def get_report(
    dossier_id: str, request: Request, version: int | None = None, format: str | None = None
) -> Response:  # noqa: A002
    dossiers = dossiers_of(request)
    lang = dossiers.lang
    record = await run_in_threadpool(dossiers.readable, service_of(request).principal(request), dossier_id)
    chosen = record.latest if version is None else next((v for v in record.versions if v.number == version), None)
    if chosen is None:
        raise ApiError(404, "unknown_version", message("server_unknown_version", lang, id=dossier_id, number=version))
    fmt = format or REPORT_FORMATS.get(
        negotiate(request.headers.get("accept", ""), REPORT_FORMATS, "application/json") or "", ""
    )
    if fmt not in ("json", "html", "ttl"):
        raise ApiError(400, "bad_format", message("server_bad_format", lang, expected="json, html, ttl"))
    label = f"{chosen.file_name} (dossier {dossier_id}, version {chosen.number})"
    chosen_lang = dossiers.report_lang(request)
    resources_dir = dossiers.settings.resources_dir
    try:
        with dossiers.pool.admitted():
            triples = await run_in_threadpool(dossiers.dossiers().triples, dossier_id, chosen.number)
            render = validation_pool.render_report
            body = await dossiers.in_pool(label, chosen_lang, render, triples, label, fmt, chosen_lang, resources_dir)
    except Overloaded:
        raise dossiers.overloaded() from None
    return Response(body, media_type=REPORT_MEDIA_TYPES[fmt])
