"""Every error of the web service in one JSON shape, ``{"error": {"status": …, "code": …, "message": …}}``: the
exception handlers :func:`evalgraph.web.app.create_app` installs."""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from evalgraph.errors import ApiError, EvalgraphError
from evalgraph.i18n import message
from evalgraph.web.requests import service_of

log = logging.getLogger("evalgraph.web.app")


def error_response(status: int, code: str, text: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(
        {"error": {"status": status, "code": code, "message": text}}, status_code=status, headers=headers
    )


async def api_error(_request: Request, exc: ApiError) -> JSONResponse:
    return error_response(exc.http_status, exc.code, exc.text, exc.headers)


async def evalgraph_error(request: Request, exc: EvalgraphError) -> JSONResponse:
    return error_response(exc.http_status, exc.code, exc.render(service_of(request).lang))


async def http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
    return error_response(exc.status_code, "http_error", str(exc.detail), dict(exc.headers or {}))


async def validation_error(_request: Request, exc: RequestValidationError) -> JSONResponse:
    return error_response(422, "invalid_request", str(exc.errors())[:500])


async def internal_error(request: Request, exc: Exception) -> JSONResponse:
    log.exception("internal error", exc_info=exc)
    return error_response(500, "internal_error", message("server_internal", service_of(request).lang))


HANDLERS: dict[int | type[Exception], Callable[[Request, Any], Coroutine[Any, Any, Response]]] = {
    ApiError: api_error,
    EvalgraphError: evalgraph_error,
    StarletteHTTPException: http_error,
    RequestValidationError: validation_error,
    Exception: internal_error,
}
"""Exception class → handler, for ``FastAPI(exception_handlers=…)``."""
