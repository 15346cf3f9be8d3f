"""What the routes share about a request: the service, the body read under its cap, the SPARQL protocol's
parameters, and the public base URL."""

from __future__ import annotations

from urllib.parse import parse_qs

from fastapi import Request

from evalgraph.errors import ApiError
from evalgraph.i18n import message
from evalgraph.web.service import Service


def service_of(request: Request) -> Service:
    """The application's :class:`Service` (set by :func:`evalgraph.web.app.create_app`)."""
    service: Service = request.app.state.service
    return service


async def read_body(request: Request) -> bytes:
    """The request body, refused with 413 as soon as it passes ``--max-body`` (before it is all read)."""
    options, lang = service_of(request).options, service_of(request).lang
    limit = options.max_body_bytes
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise ApiError(413, "body_too_large", message("server_body_too_large", lang, limit=limit))
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise ApiError(413, "body_too_large", message("server_body_too_large", lang, limit=limit))
        chunks.append(chunk)
    return b"".join(chunks)


def public_base(request: Request) -> str:
    """The URL clients reach the service at: ``--public-url``, else the request's own."""
    options = service_of(request).options
    return options.public_url.rstrip("/") if options.public_url else str(request.base_url).rstrip("/")


async def protocol_parameters(request: Request) -> dict[str, list[str]]:
    """The protocol's parameters from the URL, a form body or a direct query / update body."""
    lang = service_of(request).lang
    params = parse_qs(request.url.query, keep_blank_values=True)
    if request.method == "POST":
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        body = await read_body(request)
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ApiError(400, "not_utf8", message("server_not_utf8", lang)) from exc
        if content_type == "application/x-www-form-urlencoded":
            for key, values in parse_qs(text, keep_blank_values=True).items():
                params.setdefault(key, []).extend(values)
        elif content_type in ("application/sparql-query", "application/sparql-update"):
            key = "query" if content_type == "application/sparql-query" else "update"
            if "query" in params or "update" in params:
                raise ApiError(400, "two_queries", message("server_two_queries", lang))
            params[key] = [text]
        elif not content_type:
            raise ApiError(400, "no_content_type", message("server_no_content_type", lang))
        else:
            raise ApiError(415, "unsupported_media_type", message("server_media_type", lang, media=content_type))
    elif "update" in params:
        raise ApiError(400, "update_by_get", message("server_update_by_get", lang))
    if "query" in params and "update" in params:
        raise ApiError(400, "query_and_update", message("server_query_and_update", lang))
    return params
