"""Reports over HTTP: the named queries (``/queries``, ``/queries/{name}``) and the cartography
(``/cartography``)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from evalgraph import resources
from evalgraph._version import __version__
from evalgraph.cartography import files
from evalgraph.cartography import report as cartography
from evalgraph.errors import ApiError
from evalgraph.i18n import message
from evalgraph.qualification.engine import resolve_technology
from evalgraph.store import formats
from evalgraph.store import queries as named_queries
from evalgraph.web.protocol import negotiate
from evalgraph.web.requests import service_of

router = APIRouter()
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get("/queries", tags=["reports"], summary="The named queries: name, titles, description, parameters, text")
def list_queries(request: Request) -> list[dict[str, object]]:
    return [
        {
            "name": q.name,
            "title_en": q.title_en,
            "title_fr": q.title_fr,
            "description": q.description,
            "description_fr": q.description_fr,
            "parameters": [{"name": p.name, "type": p.type, "default": p.default} for p in q.parameters],
            "columns": list(q.columns),
            "text": q.text,
        }
        for q in named_queries.catalogue(service_of(request).settings.resources_dir)
    ]


@router.get(
    "/queries/{name}",
    tags=["reports"],
    summary="Run a named query; its parameters are query-string parameters; format=json|csv or Accept",
)
def run_query(name: str, request: Request) -> Response:
    service = service_of(request)
    settings, lang = service.settings, service.lang
    if name not in resources.names("queries", override=settings.resources_dir):
        raise ApiError(404, "unknown_query", message("server_unknown_query", lang, name=name))
    named = named_queries.load(name, settings.resources_dir)
    given = {k: v for k, v in request.query_params.items() if k != "format"}
    store = service.store()
    if "technology" in given and {p.name: p.type for p in named.parameters}.get("technology") == "IRI":
        given["technology"] = resolve_technology(store, given["technology"])
    bindings = named_queries.bind(named, given)
    result = store.query(named.text, bindings)
    fmt = request.query_params.get("format") or (
        "csv"
        if negotiate(request.headers.get("accept", ""), {"text/csv": 1, "application/json": 1}, "application/json")
        == "text/csv"
        else "json"
    )
    if fmt not in ("json", "csv"):
        raise ApiError(400, "bad_format", message("server_bad_format", lang, expected="json, csv"))
    text = formats.serialize(result, fmt)
    return Response(text, media_type="text/csv" if fmt == "csv" else "application/sparql-results+json")


@router.get(
    "/cartography",
    tags=["reports"],
    summary="The cartography report: format=html|json|csv|zip|xlsx, lang=en|fr; csv: table=NAME (default: the "
    "pathway table), zip: every table; dialect=plain|excel for csv and zip",
)
def cartography_report(  # noqa: PLR0913
    request: Request,
    format: str = "html",  # noqa: A002
    lang: str | None = None,
    table: str = "cartography",
    dialect: str = "plain",
) -> Response:
    service = service_of(request)
    language = lang if lang in ("en", "fr") else service.lang
    if format not in ("html", "json", "csv", "zip", "xlsx"):
        expected = "html, json, csv, zip, xlsx"
        raise ApiError(400, "bad_format", message("server_bad_format", service.lang, expected=expected))
    if dialect not in files.DIALECTS:
        raise ApiError(
            400, "bad_format", message("server_bad_format", service.lang, expected=", ".join(files.DIALECTS))
        )
    report = cartography.build(service.store(), language, service.settings.resources_dir, refresh=False)
    if format == "json":
        return JSONResponse(
            {name: {"title": t.title, "columns": t.columns, "rows": t.rows} for name, t in report.tables.items()}
        )
    if format == "csv":
        if table not in report.tables:
            raise ApiError(404, "unknown_query", message("server_unknown_query", service.lang, name=table))
        body = files.csv_text(report.tables[table], language, dialect)
        return Response(
            ("\ufeff" if dialect == "excel" else "") + body,
            media_type="text/csv; charset=utf-8",
            headers={"content-disposition": f'attachment; filename="cartography-{table}.csv"'},
        )
    if format == "zip":
        return Response(
            files.zip_bytes(report, dialect),
            media_type="application/zip",
            headers={"content-disposition": 'attachment; filename="cartography-tables.zip"'},
        )
    with tempfile.TemporaryDirectory(prefix="evalgraph-carto-") as folder:
        path = Path(folder) / f"cartography.{format}"
        if format == "html":
            cartography.write_html(report, path, __version__)
            return Response(path.read_text(encoding="utf-8"), media_type="text/html; charset=utf-8")
        files.write_xlsx(report, path)
        return Response(
            path.read_bytes(),
            media_type=XLSX_MEDIA_TYPE,
            headers={"content-disposition": 'attachment; filename="cartography.xlsx"'},
        )
