"""The choice aid over HTTP: ``GET /compare?technology=A&technology=B[&technology=C…]&lang=en|fr&format=html|json|xlsx``
— the same comparison as ``evalgraph compare``, of technologies of the store named by IRI, prefixed name or
unambiguous name (dossier files are compared with the command line)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response

from evalgraph.choice import compare
from evalgraph.choice import output as choice_output
from evalgraph.choice.model import to_dict
from evalgraph.errors import ApiError
from evalgraph.i18n import message
from evalgraph.web.requests import service_of

router = APIRouter()
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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
    if format not in ("html", "json", "xlsx"):
        raise ApiError(400, "bad_format", message("server_bad_format", service.lang, expected="html, json, xlsx"))
    if len(technology) < 2:
        raise ApiError(400, "compare_too_few", message("compare_too_few", language))
    comparison = compare(service.store(), technology, language, service.settings.resources_dir)
    if format == "json":
        return JSONResponse(to_dict(comparison))
    if format == "html":
        other = "en" if language == "fr" else "fr"
        switch = "?" + urlencode([("technology", t) for t in technology] + [("lang", other)])
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
