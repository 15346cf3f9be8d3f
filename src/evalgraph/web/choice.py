"""The choice aid over HTTP — the same comparison as ``evalgraph compare``:

* ``GET /compare?technology=A&technology=B[&technology=C…]&lang=en|fr&format=html|json|xlsx`` compares technologies
  of the store, named by IRI, prefixed name or unambiguous name (a name is never read as a file of the server);
* ``POST /compare`` (``multipart/form-data``) also compares dossiers sent as files: fields ``technology`` (text) and
  ``dossier`` (a file: Turtle, JSON-LD, YAML…), repeatable, the candidates in the order of the fields; ``format``
  and ``lang`` as fields or in the query string. Each dossier is read as ``POST /validate`` reads one — by the
  dossier reader, within the dossier limits, in a validation worker, nothing fetched — and a bad one is refused
  (4xx) with the field and the file named."""

from __future__ import annotations

import tempfile
from pathlib import Path, PurePath
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response

from evalgraph.choice import compare
from evalgraph.choice import output as choice_output
from evalgraph.choice.candidates import Received
from evalgraph.choice.model import Comparison, to_dict
from evalgraph.dossiers import reading
from evalgraph.dossiers import workers as validation_pool
from evalgraph.dossiers.workers import Refusal
from evalgraph.errors import ApiError, Overloaded
from evalgraph.i18n import message
from evalgraph.web import forms
from evalgraph.web.dossier_service import DOSSIER_MEDIA_TYPES, DossierService, dossiers_of, safe_name
from evalgraph.web.requests import read_body, service_of

router = APIRouter()
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("html", "json", "xlsx")
MAX_DOSSIERS = 8
"""Dossiers one comparison may receive (each is read and qualified against the knowledge base)."""


@router.get(
    "/compare",
    tags=["reports"],
    summary="Candidate technologies side by side, theme by theme of the HAS choice-aid guide (no score, no ranking): "
    "technology=A&technology=B…, format=html|json|xlsx, lang=en|fr",
)
def compare_page(
    request: Request,
    technology: list[str] = Query(default_factory=list),  # noqa: B008 - FastAPI's way to declare a repeated parameter
    format: str = "html",  # noqa: A002
    lang: str | None = None,
) -> Response:
    service = service_of(request)
    language = lang if lang in ("en", "fr") else service.lang
    _check(format, len(technology), language, service.lang)
    comparison = compare(service.store(), technology, language, service.settings.resources_dir, files=False)
    other = "en" if language == "fr" else "fr"
    switch = "?" + urlencode([("technology", t) for t in technology] + [("lang", other)])
    return _answer(comparison, format, switch)


@router.post(
    "/compare",
    tags=["reports"],
    summary="Compare technologies of the store and dossiers sent as files (multipart/form-data: technology and "
    "dossier fields, repeatable, in the order of the candidates; format=html|json|xlsx, lang=en|fr)",
)
async def compare_dossiers(request: Request) -> Response:
    service, dossiers = service_of(request), dossiers_of(request)
    body = await read_body(request)
    parts = forms.parts(body, request.headers.get("content-type", ""), service.lang)
    fields = {p.name: p.data.decode("utf-8", "replace") for p in parts if p.name in ("format", "lang")}
    wanted = fields.get("lang") or request.query_params.get("lang", "")
    language = wanted if wanted in ("en", "fr") else service.lang
    fmt = fields.get("format") or request.query_params.get("format", "html")
    candidates = [p for p in parts if p.name not in ("format", "lang")]
    _check(fmt, len(candidates), language, service.lang)
    targets = await _targets(dossiers, candidates, language)
    resources_dir = service.settings.resources_dir
    comparison = await run_in_threadpool(compare, service.store(), targets, language, resources_dir, False)
    return _answer(comparison, fmt, "")


def _check(fmt: str, count: int, language: str, service_lang: str) -> None:
    if fmt not in FORMATS:
        raise ApiError(400, "bad_format", message("server_bad_format", service_lang, expected=", ".join(FORMATS)))
    if count < 2:
        raise ApiError(400, "compare_too_few", message("compare_too_few", language))


async def _targets(dossiers: DossierService, parts: list[forms.Part], lang: str) -> list[str | Received]:
    """The candidates of the form's fields, in their order: technologies by name, dossiers read in a validation
    worker within the dossier limits (a refusal names the field and the file)."""
    targets: list[str | Received] = []
    if sum(p.name == "dossier" for p in parts) > MAX_DOSSIERS:
        raise ApiError(400, "too_many_dossiers", message("server_compare_too_many", lang, limit=MAX_DOSSIERS))
    for part in parts:
        if part.name == "technology" and part.filename is None:
            targets.append(part.data.decode("utf-8", "replace").strip())
        elif part.name == "technology":
            raise ApiError(400, "bad_field", message("server_compare_technology_file", lang, file=part.filename))
        elif part.name == "dossier":
            targets.append(await _dossier(dossiers, part, lang))
        else:
            raise ApiError(400, "unknown_field", message("server_compare_unknown_field", lang, field=part.name))
    return targets


async def _dossier(dossiers: DossierService, part: forms.Part, lang: str) -> Received:
    if part.filename is None:
        raise ApiError(400, "bad_field", message("server_compare_not_a_file", lang, field=part.name))
    name = safe_name(part.filename)
    suffix = PurePath(name).suffix.lower()
    if suffix not in reading.SUFFIXES:
        suffix = DOSSIER_MEDIA_TYPES.get(part.media_type, "")
    if not suffix:
        expected = ", ".join(reading.SUFFIXES)
        text = message("server_compare_dossier_format", lang, field=part.name, file=name, expected=expected)
        raise ApiError(415, "unsupported_media_type", text)
    try:
        with dossiers.pool.admitted():
            read = validation_pool.read_candidate
            result = await dossiers.in_pool(name, lang, read, name, part.data, suffix, lang, dossiers.limits)
    except Overloaded:
        raise dossiers.overloaded() from None
    if isinstance(result, Refusal):
        text = message("server_compare_dossier_refused", lang, field=part.name, file=name, reason=result.message)
        raise ApiError(result.status, result.code, text)
    return Received(name, result)


def _answer(comparison: Comparison, fmt: str, switch: str) -> Response:
    """The comparison as ``fmt``; ``switch`` is the URL of the same page in the other language (GET only)."""
    if fmt == "json":
        return JSONResponse(to_dict(comparison))
    if fmt == "html":
        page = choice_output.render_html(comparison, language_switch=switch)
        return Response(page, media_type="text/html; charset=utf-8")
    with tempfile.TemporaryDirectory(prefix="evalgraph-compare-") as folder:
        path = Path(folder) / "compare.xlsx"
        choice_output.write_xlsx(comparison, path)
        return Response(
            path.read_bytes(),
            media_type=XLSX_MEDIA_TYPE,
            headers={"content-disposition": 'attachment; filename="compare.xlsx"'},
        )
