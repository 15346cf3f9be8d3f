"""The service's front doors: ``/`` leads to the web UI, ``/docs`` to the API reference page."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import RedirectResponse

router = APIRouter(include_in_schema=False)


@router.get("/")
async def home() -> RedirectResponse:
    return RedirectResponse("/ui/", status_code=303)


@router.get("/docs")
async def api_docs() -> RedirectResponse:
    """The API reference page, rendered offline from /openapi.json (FastAPI's own loads Swagger UI from a CDN)."""
    return RedirectResponse("ui/api.html", status_code=303)
