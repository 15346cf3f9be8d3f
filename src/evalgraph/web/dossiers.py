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
503 ``overloaded`` with ``Retry-After`` beyond that (before the body is read); a validation running past
``EVALGRAPH_VALIDATION_TIMEOUT`` seconds is stopped (503 ``validation_timeout``).
"""

from __future__ import annotations

import asyncio
import atexit
import json
import re
import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any, TypeVar

from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from evalgraph.dossiers import workers as validation_pool
from evalgraph.dossiers.reading import Limits
from evalgraph.dossiers.versions import Dossier, DossierStore, Version
from evalgraph.dossiers.workers import Checked, Refusal, Timeout, ValidationPool, WorkerFailed
from evalgraph.errors import ApiError, Overloaded
from evalgraph.i18n import message
from evalgraph.web.auth import Principal
from evalgraph.web.protocol import GRAPH_FORMATS, graph_body, negotiate
from evalgraph.web.service import Service

DOSSIER_MEDIA_TYPES = {
    "text/turtle": ".ttl",
    "application/n-triples": ".nt",
    "application/rdf+xml": ".rdf",
    "application/ld+json": ".jsonld",
    "application/json": ".jsonld",
    "application/yaml": ".yaml",
    "application/x-yaml": ".yaml",
    "text/yaml": ".yaml",
}
REPORT_FORMATS = {"application/json": "json", "text/html": "html", "text/turtle": "ttl"}
_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._\-]")


T = TypeVar("T")
REFUSAL_DELAY = 1.0
"""Seconds a 503 to a saturated ``/validate`` is held back (see :class:`_RefuseWhenSaturated`)."""
REFUSALS_HELD = 256
"""Most 503 answers held back at once."""
REPORT_MEDIA_TYPES = {"json": "application/json", "html": "text/html; charset=utf-8", "ttl": "text/turtle"}


class _RefuseWhenSaturated:
    """Answer ``POST /validate`` with 503 and ``Retry-After`` at the ASGI level while every validation worker is
    busy and the waiting line is full, without routing, reading the body or raising: a flood of validations then
    costs the event loop as little as possible, and its other requests (SPARQL queries) stay fast. The answer is
    held back up to :data:`REFUSAL_DELAY` seconds — a timer, free for the event loop — so that a client that
    retries at once instead of honouring ``Retry-After`` sends a few requests a second rather than hundreds; at
    most :data:`REFUSALS_HELD` answers are held at once (each holds the start of its request body), the others go
    out at once. The route checks again (:meth:`ValidationPool.admitted`) for requests that come in between."""

    def __init__(self, app: ASGIApp, pool: ValidationPool, lang: str) -> None:
        self.app, self.pool, self.lang = app, pool, lang
        self.held = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] != "POST"
            or scope["path"] != "/validate"
            or not self.pool.saturated
        ):
            await self.app(scope, receive, send)
            return
        self.pool.refused += 1
        if self.held < REFUSALS_HELD:
            self.held += 1
            try:
                await asyncio.sleep(REFUSAL_DELAY)
            finally:
                self.held -= 1
        seconds = self.pool.retry_after
        body = json.dumps(
            {
                "error": {
                    "status": 503,
                    "code": "overloaded",
                    "message": message("server_overloaded", self.lang, seconds=seconds),
                }
            },
            ensure_ascii=False,
        ).encode("utf-8")
        headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            (b"retry-after", str(seconds).encode()),
        ]
        if any(name == b"origin" for name, _value in scope["headers"]):  # as the CORS middleware would answer
            headers.append((b"access-control-allow-origin", b"*"))
        await send({"type": "http.response.start", "status": 503, "headers": headers})
        await send({"type": "http.response.body", "body": body})


@dataclass
class DossierRoutes:
    dossiers: DossierStore | None = None
    pool: ValidationPool | None = None


def install(app: FastAPI, service: Service, read_body: Callable[[Request], Awaitable[bytes]]) -> DossierRoutes:
    """Add the dossier routes to ``app``; returns the holder of the (lazily opened) dossier store."""
    settings, lang = service.settings, service.lang
    limits = Limits.from_settings(settings)
    pool = ValidationPool(
        size=settings.validation_workers,
        timeout=settings.validation_timeout,
        max_waiting=settings.validation_waiting,
        resources_dir=settings.resources_dir,
    )
    atexit.register(pool.close)
    routes = DossierRoutes(pool=pool)
    app.add_middleware(_RefuseWhenSaturated, pool=pool, lang=lang)
    open_lock = threading.Lock()

    def error(status: int, code: str, text: str, headers: dict[str, str] | None = None) -> Exception:
        return ApiError(status, code, text, headers)

    def dossiers() -> DossierStore:
        with open_lock:
            if routes.dossiers is None:
                reference = service.store()
                routes.dossiers = DossierStore(settings.data_dir / "dossiers" if reference.path is not None else None)
            return routes.dossiers

    def overloaded() -> Exception:
        seconds = pool.retry_after
        return error(
            503, "overloaded", message("server_overloaded", lang, seconds=seconds), {"Retry-After": str(seconds)}
        )

    def announced(request: Request) -> tuple[str, str]:
        """The dossier's name and media type, from the request's headers; a body announced over the dossier size
        limit is refused here, before it is read."""
        media = request.headers.get("content-type", "").split(";")[0].strip().lower()
        expected = ", ".join(DOSSIER_MEDIA_TYPES)
        if not media:
            raise error(400, "no_content_type", message("server_dossier_no_content_type", lang, expected=expected))
        if media not in DOSSIER_MEDIA_TYPES:
            raise error(
                415,
                "unsupported_media_type",
                message("server_dossier_media_type", lang, media=media, expected=expected),
            )
        given = request.query_params.get("name") or "dossier" + DOSSIER_MEDIA_TYPES[media]
        name = _UNSAFE_NAME.sub("_", PurePath(given.replace("\\", "/")).name)[:100] or "dossier"
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limits.max_bytes:
            raise too_large(name, int(declared), report_lang(request))
        return name, media

    def too_large(name: str, size: int, chosen_lang: str) -> Exception:
        return error(
            413,
            "dossier_too_large",
            message(
                "dossier_too_large",
                chosen_lang,
                file=name,
                size=size,
                limit=limits.max_bytes,
                setting="EVALGRAPH_DOSSIER_MAX_BYTES",
            ),
        )

    async def in_pool(name: str, chosen_lang: str, function: Callable[..., T], *args: Any) -> T:
        """``function(*args)`` in a validation worker, for the dossier ``name`` (the caller holds a place:
        :meth:`ValidationPool.admitted`)."""
        try:
            return await run_in_threadpool(pool.run, function, *args)
        except Overloaded:
            raise overloaded() from None
        except Timeout:
            raise error(
                503,
                "validation_timeout",
                message("dossier_validation_timeout", chosen_lang, file=name, seconds=f"{pool.timeout:g}"),
            ) from None
        except WorkerFailed:  # the worker logged what happened; the client gets no traceback
            raise error(500, "internal_error", message("dossier_validation_failed", chosen_lang, file=name)) from None

    async def checked(request: Request) -> tuple[Checked, str, bytes]:
        """Read the body and check the dossier in it (read, validate, qualify) in a validation worker — or answer
        503 at once when the workers and their waiting line are full, without reading the body."""
        name, media = announced(request)
        chosen_lang = report_lang(request)
        try:
            with pool.admitted():
                body = await read_body(request)
                if len(body) > limits.max_bytes:
                    raise too_large(name, len(body), chosen_lang)
                result = await in_pool(
                    name,
                    chosen_lang,
                    validation_pool.check,
                    name,
                    body,
                    DOSSIER_MEDIA_TYPES[media],
                    chosen_lang,
                    limits,
                    settings.resources_dir,
                )
        except Overloaded:
            raise overloaded() from None
        if isinstance(result, Refusal):  # in the language the client asked for
            raise error(result.status, result.code, result.message)
        return result, media, body

    def report_lang(request: Request) -> str:
        chosen = request.query_params.get("lang", lang)
        return chosen if chosen in ("en", "fr") else lang

    def readable(principal: Principal, dossier_id: str) -> Dossier:
        record = dossiers().get(dossier_id) if re.fullmatch(r"[0-9a-f]{16}", dossier_id) else None
        if record is None or not (principal.reads_all or record.owner == principal.name):
            raise error(404, "unknown_dossier", message("server_unknown_dossier", lang, id=dossier_id))
        return record

    def stored(checked: Checked, media: str, principal: Principal, dossier_id: str | None, body: bytes) -> Version:
        return dossiers().submit(
            owner=principal.name,
            file_name=checked.name,
            media_type=media,
            source=body,
            triples=checked.triples,
            conforms=checked.conforms,
            violations=checked.violations,
            warnings=checked.warnings,
            technologies=checked.technologies,
            dossier=dossier_id,
        )

    def created(version: Version, checked: Checked) -> JSONResponse:
        location = f"/dossiers/{version.dossier}/versions/{version.number}"
        return JSONResponse(
            {
                "id": version.dossier,
                "version": version.number,
                "location": location,
                "record": version.to_dict(),
                **json.loads(checked.payload),
            },
            status_code=201,
            headers={"Location": location},
        )

    @app.post(
        "/validate",
        tags=["dossiers"],
        summary="Validate and qualify the dossier in the body (Turtle, JSON-LD, YAML…); nothing is stored",
    )
    async def validate_dossier(request: Request) -> Response:
        result, _media, _body = await checked(request)
        return Response(result.payload, media_type="application/json")

    @app.post(
        "/dossiers",
        tags=["dossiers"],
        status_code=201,
        summary="Submit a dossier (submitter or admin token): stored as version 1 of a new dossier",
    )
    async def submit(request: Request) -> JSONResponse:
        principal = service.writer(request, "submit")
        result, media, body = await checked(request)
        version = await run_in_threadpool(stored, result, media, principal, None, body)
        return await run_in_threadpool(created, version, result)

    @app.post(
        "/dossiers/{dossier_id}/versions",
        tags=["dossiers"],
        status_code=201,
        summary="Submit a new version of a dossier (its submitter or an admin)",
    )
    async def submit_version(dossier_id: str, request: Request) -> JSONResponse:
        principal = service.writer(request, "submit")
        record = await run_in_threadpool(readable, principal, dossier_id)
        if record.owner != principal.name and principal.role != "admin":
            raise error(404, "unknown_dossier", message("server_unknown_dossier", lang, id=dossier_id))
        result, media, body = await checked(request)
        version = await run_in_threadpool(stored, result, media, principal, dossier_id, body)
        return await run_in_threadpool(created, version, result)

    @app.get("/dossiers", tags=["dossiers"], summary="The dossiers the token may read (its own, or all for reviewers)")
    def list_dossiers(request: Request) -> list[dict[str, object]]:
        principal = service.principal(request)
        return [d.to_dict() for d in dossiers().listing(None if principal.reads_all else principal.name)]

    @app.get("/dossiers/{dossier_id}", tags=["dossiers"], summary="A dossier and all its versions")
    def get_dossier(dossier_id: str, request: Request) -> dict[str, object]:
        record = readable(service.principal(request), dossier_id)
        return {**record.to_dict(), "versions": [v.to_dict() for v in record.versions]}

    @app.get(
        "/dossiers/{dossier_id}/versions/{number}",
        tags=["dossiers"],
        summary="One version: its record (JSON), its graph (Turtle, JSON-LD… by Accept), or ?original=true",
    )
    def get_version(dossier_id: str, number: int, request: Request) -> Response:
        record = readable(service.principal(request), dossier_id)
        version = next((v for v in record.versions if v.number == number), None)
        if version is None:
            raise error(404, "unknown_version", message("server_unknown_version", lang, id=dossier_id, number=number))
        if request.query_params.get("original", "").lower() in ("1", "true", "yes"):
            return Response(dossiers().source(dossier_id, number), media_type=version.media_type)
        offered: dict[str, Any] = {"application/json": 1, **GRAPH_FORMATS}
        media = negotiate(request.headers.get("accept", ""), offered, "application/json")
        if media is None:
            raise error(406, "not_acceptable", message("server_not_acceptable", lang, offered=", ".join(offered)))
        if media == "application/json":
            return JSONResponse(version.to_dict())
        triples = dossiers().triples(dossier_id, number)
        return Response(graph_body(triples, media), media_type=media)

    @app.get(
        "/dossiers/{dossier_id}/report",
        tags=["dossiers"],
        summary="The validation report of a version (latest by default): format=json|html|ttl or Accept",
    )
    async def get_report(
        dossier_id: str, request: Request, version: int | None = None, format: str | None = None
    ) -> Response:  # noqa: A002
        record = await run_in_threadpool(readable, service.principal(request), dossier_id)
        chosen = record.latest if version is None else next((v for v in record.versions if v.number == version), None)
        if chosen is None:
            raise error(404, "unknown_version", message("server_unknown_version", lang, id=dossier_id, number=version))
        fmt = format or REPORT_FORMATS.get(
            negotiate(request.headers.get("accept", ""), REPORT_FORMATS, "application/json") or "", ""
        )
        if fmt not in ("json", "html", "ttl"):
            raise error(400, "bad_format", message("server_bad_format", lang, expected="json, html, ttl"))
        label = f"{chosen.file_name} (dossier {dossier_id}, version {chosen.number})"
        chosen_lang = report_lang(request)
        try:
            with pool.admitted():
                triples = await run_in_threadpool(dossiers().triples, dossier_id, chosen.number)
                body = await in_pool(
                    label,
                    chosen_lang,
                    validation_pool.render_report,
                    triples,
                    label,
                    fmt,
                    chosen_lang,
                    settings.resources_dir,
                )
        except Overloaded:
            raise overloaded() from None
        return Response(body, media_type=REPORT_MEDIA_TYPES[fmt])

    return routes
