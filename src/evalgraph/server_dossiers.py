"""The dossier API: check a dossier without storing it (public), submit and review dossiers (bearer tokens).

* ``POST /validate`` — the validation report and the qualification of the dossier in the body; nothing is stored.
* ``POST /dossiers`` — submitter or admin: store the dossier as version 1 of a new dossier (201, ``Location``).
* ``POST /dossiers/{id}/versions`` — its submitter or an admin: store a new version.
* ``GET /dossiers``, ``/dossiers/{id}``, ``/dossiers/{id}/versions/{n}``, ``/dossiers/{id}/report`` — a submitter
  reads its own dossiers, reviewers and admins read all; a dossier one may not read answers 404, as one that does
  not exist (its existence is not disclosed).

The body is the dossier itself, its syntax given by ``Content-Type`` (Turtle, N-Triples, RDF/XML, JSON-LD, YAML);
``?name=`` names it in messages. It is parsed by :mod:`evalgraph.dossier` (no remote context, no XML entity: the
server never fetches or reads anything a dossier points to).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox
from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response

from evalgraph import dossier, validation, validation_report
from evalgraph import qualification as q
from evalgraph.auth import Principal
from evalgraph.dossier_store import Dossier, DossierStore, Version
from evalgraph.errors import EvalgraphError
from evalgraph.i18n import message
from evalgraph.sparql_protocol import GRAPH_FORMATS, graph_body, negotiate

if TYPE_CHECKING:
    from evalgraph.server import Service

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


@dataclass
class Checked:
    """A dossier read, validated and qualified."""

    name: str
    media_type: str
    triples: list[ox.Triple]
    report: validation.Report
    qualifications: list[dict[str, object]] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return {"report": self.report.to_dict(), "qualification": self.qualifications}


@dataclass
class DossierRoutes:
    dossiers: DossierStore | None = None


def install(app: FastAPI, service: Service, read_body: Callable[[Request], Awaitable[bytes]],
            api_error: type[Exception]) -> DossierRoutes:
    """Add the dossier routes to ``app``; returns the holder of the (lazily opened) dossier store."""
    settings, options, lang = service.settings, service.options, service.lang
    routes = DossierRoutes()
    open_lock = threading.Lock()
    working = threading.BoundedSemaphore(max(1, options.query_workers or 1))

    def error(status: int, code: str, text: str, headers: dict[str, str] | None = None) -> Exception:
        return api_error(status, code, text, headers)

    def dossiers() -> DossierStore:
        with open_lock:
            if routes.dossiers is None:
                reference = service.store()
                routes.dossiers = DossierStore(settings.data_dir / "dossiers" if reference.path is not None else None)
            return routes.dossiers

    async def received(request: Request) -> tuple[str, str, bytes]:
        media = request.headers.get("content-type", "").split(";")[0].strip().lower()
        expected = ", ".join(DOSSIER_MEDIA_TYPES)
        if not media:
            raise error(400, "no_content_type", message("server_dossier_no_content_type", lang, expected=expected))
        if media not in DOSSIER_MEDIA_TYPES:
            raise error(415, "unsupported_media_type",
                        message("server_dossier_media_type", lang, media=media, expected=expected))
        body = await read_body(request)
        given = request.query_params.get("name") or "dossier" + DOSSIER_MEDIA_TYPES[media]
        name = _UNSAFE_NAME.sub("_", PurePath(given.replace("\\", "/")).name)[:100] or "dossier"
        return name, media, body

    def check(name: str, media: str, body: bytes, report_lang: str) -> Checked:
        """Parse, validate and qualify (a few at a time: beyond that, 503 rather than a pile-up)."""
        if not working.acquire(timeout=max(1.0, options.query_timeout)):
            seconds = max(1, int(options.query_timeout))
            raise error(503, "overloaded", message("server_overloaded", lang, seconds=seconds),
                        {"Retry-After": str(seconds)})
        try:
            try:
                triples = dossier.read_data(name, body, DOSSIER_MEDIA_TYPES[media])
            except EvalgraphError as exc:  # in the language the client asked for
                raise error(exc.http_status, exc.code, exc.render(report_lang)) from exc
            with service.report_lock:
                report = validation.engine(settings.resources_dir).validate(triples, file=name, lang=report_lang)
                model, results = q.qualify_dossier(triples, settings.resources_dir, source=name)
                qualifications = [q.to_dict(model, result, report_lang) for result in results]
            return Checked(name, media, triples, report, qualifications)
        finally:
            working.release()

    def report_lang(request: Request) -> str:
        chosen = request.query_params.get("lang", lang)
        return chosen if chosen in ("en", "fr") else lang

    def readable(principal: Principal, dossier_id: str) -> Dossier:
        record = dossiers().get(dossier_id) if re.fullmatch(r"[0-9a-f]{16}", dossier_id) else None
        if record is None or not (principal.reads_all or record.owner == principal.name):
            raise error(404, "unknown_dossier", message("server_unknown_dossier", lang, id=dossier_id))
        return record

    def stored(checked: Checked, principal: Principal, dossier_id: str | None, body: bytes) -> Version:
        counts = checked.report.counts
        return dossiers().submit(
            owner=principal.name, file_name=checked.name, media_type=checked.media_type, source=body,
            triples=checked.triples, conforms=checked.report.conforms, violations=counts["Violation"],
            warnings=counts["Warning"], technologies=[iri for iri, _label in checked.report.subjects],
            dossier=dossier_id)

    def created(version: Version, checked: Checked) -> JSONResponse:
        location = f"/dossiers/{version.dossier}/versions/{version.number}"
        return JSONResponse({"id": version.dossier, "version": version.number, "location": location,
                             "record": version.to_dict(), **checked.to_dict()},
                            status_code=201, headers={"Location": location})

    @app.post("/validate", tags=["dossiers"],
              summary="Validate and qualify the dossier in the body (Turtle, JSON-LD, YAML…); nothing is stored")
    async def validate_dossier(request: Request) -> JSONResponse:
        name, media, body = await received(request)
        checked = await run_in_threadpool(check, name, media, body, report_lang(request))
        return JSONResponse(checked.to_dict())

    @app.post("/dossiers", tags=["dossiers"], status_code=201,
              summary="Submit a dossier (submitter or admin token): stored as version 1 of a new dossier")
    async def submit(request: Request) -> JSONResponse:
        principal = service.writer(request, "submit")
        name, media, body = await received(request)
        checked = await run_in_threadpool(check, name, media, body, report_lang(request))
        version = await run_in_threadpool(stored, checked, principal, None, body)
        return created(version, checked)

    @app.post("/dossiers/{dossier_id}/versions", tags=["dossiers"], status_code=201,
              summary="Submit a new version of a dossier (its submitter or an admin)")
    async def submit_version(dossier_id: str, request: Request) -> JSONResponse:
        principal = service.writer(request, "submit")
        record = await run_in_threadpool(readable, principal, dossier_id)
        if record.owner != principal.name and principal.role != "admin":
            raise error(404, "unknown_dossier", message("server_unknown_dossier", lang, id=dossier_id))
        name, media, body = await received(request)
        checked = await run_in_threadpool(check, name, media, body, report_lang(request))
        version = await run_in_threadpool(stored, checked, principal, dossier_id, body)
        return created(version, checked)

    @app.get("/dossiers", tags=["dossiers"], summary="The dossiers the token may read (its own, or all for reviewers)")
    def list_dossiers(request: Request) -> list[dict[str, object]]:
        principal = service.principal(request)
        return [d.to_dict() for d in dossiers().listing(None if principal.reads_all else principal.name)]

    @app.get("/dossiers/{dossier_id}", tags=["dossiers"], summary="A dossier and all its versions")
    def get_dossier(dossier_id: str, request: Request) -> dict[str, object]:
        record = readable(service.principal(request), dossier_id)
        return {**record.to_dict(), "versions": [v.to_dict() for v in record.versions]}

    @app.get("/dossiers/{dossier_id}/versions/{number}", tags=["dossiers"],
             summary="One version: its record (JSON), its graph (Turtle, JSON-LD… by Accept), or ?original=true")
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

    @app.get("/dossiers/{dossier_id}/report", tags=["dossiers"],
             summary="The validation report of a version (latest by default): format=json|html|ttl or Accept")
    def get_report(dossier_id: str, request: Request, version: int | None = None,
                   format: str | None = None) -> Response:  # noqa: A002
        record = readable(service.principal(request), dossier_id)
        chosen = record.latest if version is None else next(
            (v for v in record.versions if v.number == version), None)
        if chosen is None:
            raise error(404, "unknown_version", message("server_unknown_version", lang, id=dossier_id,
                                                        number=version))
        fmt = format or REPORT_FORMATS.get(
            negotiate(request.headers.get("accept", ""), REPORT_FORMATS, "application/json") or "", "")
        if fmt not in ("json", "html", "ttl"):
            raise error(400, "bad_format", message("server_bad_format", lang, expected="json, html, ttl"))
        chosen_lang = report_lang(request)
        triples = dossiers().triples(dossier_id, chosen.number)
        label = f"{chosen.file_name} (dossier {dossier_id}, version {chosen.number})"
        with service.report_lock:
            report = validation.engine(settings.resources_dir).validate(triples, file=label, lang=chosen_lang)
        outcomes = [validation_report.Outcome(label, report)]
        if fmt == "html":
            return Response(validation_report.render_html(outcomes, chosen_lang), media_type="text/html; charset=utf-8")
        if fmt == "ttl":
            return Response(validation_report.render_turtle(outcomes), media_type="text/turtle")
        return Response(validation_report.render_json(outcomes, chosen_lang), media_type="application/json")

    return routes
