"""What the dossier routes (:mod:`evalgraph.web.dossiers`) share: the validation workers, the dossier limits and
the dossier store (opened on first use), and the steps of a request — the dossier announced by its headers, its
body checked in a worker, the record a token may read, a version stored."""

from __future__ import annotations

import atexit
import json
import re
import threading
from collections.abc import Callable
from pathlib import PurePath
from typing import Any, TypeVar

from fastapi import Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from evalgraph.dossiers import workers as validation_pool
from evalgraph.dossiers.reading import Limits
from evalgraph.dossiers.versions import Dossier, DossierStore, Version
from evalgraph.dossiers.workers import Checked, Refusal, Timeout, ValidationPool, WorkerFailed
from evalgraph.errors import ApiError, Overloaded
from evalgraph.i18n import message
from evalgraph.web.auth import Principal
from evalgraph.web.requests import read_body
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
_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._\-]")


def safe_name(given: str) -> str:
    """A client's file name as the service uses it in messages and records: its last path part, with only letters,
    digits, dots, dashes and underscores, at most 100 characters."""
    return _UNSAFE_NAME.sub("_", PurePath(given.replace("\\", "/")).name)[:100] or "dossier"


T = TypeVar("T")


def dossiers_of(request: Request) -> DossierService:
    """The application's :class:`DossierService` (set by :func:`evalgraph.web.app.create_app`)."""
    found: DossierService = request.app.state.dossiers
    return found


class DossierService:
    """The validation workers, the dossier limits and the (lazily opened) dossier store of one application."""

    def __init__(self, service: Service) -> None:
        settings = service.settings
        self.service, self.settings, self.lang = service, settings, service.lang
        self.limits = Limits.from_settings(settings)
        self.pool = ValidationPool(
            size=settings.validation_workers,
            timeout=settings.validation_timeout,
            max_waiting=settings.validation_waiting,
            resources_dir=settings.resources_dir,
        )
        atexit.register(self.pool.close)
        self.store: DossierStore | None = None
        self._lock = threading.Lock()

    def dossiers(self) -> DossierStore:
        """The dossier store, opened on first use (in memory when the reference store is)."""
        with self._lock:
            if self.store is None:
                reference = self.service.store()
                path = self.settings.data_dir / "dossiers" if reference.path is not None else None
                self.store = DossierStore(path)
            return self.store

    def close(self) -> None:
        if self.store is not None:
            self.store.close()

    # -- requests -----------------------------------------------------------------------------------------------
    def report_lang(self, request: Request) -> str:
        chosen = request.query_params.get("lang", self.lang)
        return chosen if chosen in ("en", "fr") else self.lang

    def announced(self, request: Request) -> tuple[str, str]:
        """The dossier's name and media type, from the request's headers; a body announced over the dossier size
        limit is refused here, before it is read."""
        media = request.headers.get("content-type", "").split(";")[0].strip().lower()
        expected = ", ".join(DOSSIER_MEDIA_TYPES)
        if not media:
            raise ApiError(
                400, "no_content_type", message("server_dossier_no_content_type", self.lang, expected=expected)
            )
        if media not in DOSSIER_MEDIA_TYPES:
            raise ApiError(
                415,
                "unsupported_media_type",
                message("server_dossier_media_type", self.lang, media=media, expected=expected),
            )
        given = request.query_params.get("name") or "dossier" + DOSSIER_MEDIA_TYPES[media]
        name = safe_name(given)
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.limits.max_bytes:
            raise self.too_large(name, int(declared), self.report_lang(request))
        return name, media

    def too_large(self, name: str, size: int, chosen_lang: str) -> ApiError:
        limit = self.limits.max_bytes
        text = message(
            "dossier_too_large", chosen_lang, file=name, size=size, limit=limit, setting="EVALGRAPH_DOSSIER_MAX_BYTES"
        )
        return ApiError(413, "dossier_too_large", text)

    def overloaded(self) -> ApiError:
        seconds = self.pool.retry_after
        text = message("server_overloaded", self.lang, seconds=seconds)
        return ApiError(503, "overloaded", text, {"Retry-After": str(seconds)})

    async def in_pool(self, name: str, chosen_lang: str, function: Callable[..., T], *args: Any) -> T:
        """``function(*args)`` in a validation worker, for the dossier ``name`` (the caller holds a place:
        :meth:`ValidationPool.admitted`)."""
        try:
            return await run_in_threadpool(self.pool.run, function, *args)
        except Overloaded:
            raise self.overloaded() from None
        except Timeout:
            seconds = f"{self.pool.timeout:g}"
            text = message("dossier_validation_timeout", chosen_lang, file=name, seconds=seconds)
            raise ApiError(503, "validation_timeout", text) from None
        except WorkerFailed:  # the worker logged what happened; the client gets no traceback
            text = message("dossier_validation_failed", chosen_lang, file=name)
            raise ApiError(500, "internal_error", text) from None

    async def checked(self, request: Request) -> tuple[Checked, str, bytes]:
        """Read the body and check the dossier in it (read, validate, qualify) in a validation worker — or answer
        503 at once when the workers and their waiting line are full, without reading the body."""
        name, media = self.announced(request)
        chosen_lang = self.report_lang(request)
        suffix, resources_dir = DOSSIER_MEDIA_TYPES[media], self.settings.resources_dir
        try:
            with self.pool.admitted():
                body = await read_body(request)
                if len(body) > self.limits.max_bytes:
                    raise self.too_large(name, len(body), chosen_lang)
                check = validation_pool.check
                result = await self.in_pool(
                    name, chosen_lang, check, name, body, suffix, chosen_lang, self.limits, resources_dir
                )
        except Overloaded:
            raise self.overloaded() from None
        if isinstance(result, Refusal):  # in the language the client asked for
            raise ApiError(result.status, result.code, result.message)
        return result, media, body

    # -- records ------------------------------------------------------------------------------------------------
    def readable(self, principal: Principal, dossier_id: str) -> Dossier:
        """The dossier ``dossier_id`` if ``principal`` may read it; else 404, as for one that does not exist."""
        record = self.dossiers().get(dossier_id) if re.fullmatch(r"[0-9a-f]{16}", dossier_id) else None
        if record is None or not (principal.reads_all or record.owner == principal.name):
            raise ApiError(404, "unknown_dossier", message("server_unknown_dossier", self.lang, id=dossier_id))
        return record

    def stored(
        self, checked: Checked, media: str, principal: Principal, dossier_id: str | None, body: bytes
    ) -> Version:
        """The checked dossier stored as a new version (of a new dossier when ``dossier_id`` is None)."""
        return self.dossiers().submit(
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
    """201 for a version stored: where it is, its record, and the dossier's check."""
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
