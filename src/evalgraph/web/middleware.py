"""ASGI middleware of the web service."""

from __future__ import annotations

import asyncio
import json

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from evalgraph.dossiers.workers import ValidationPool
from evalgraph.i18n import message

REFUSAL_DELAY = 1.0
"""Seconds a 503 to a saturated ``/validate`` is held back (see :class:`RefuseWhenSaturated`)."""
REFUSALS_HELD = 256
"""Most 503 answers held back at once."""


class VaryOnAccept:
    """Answers chosen by content negotiation say so, for caches (RFC 9110 §12.5.5): ``Vary: Accept`` on every
    answer but the static web UI's. A plain ASGI middleware (Starlette's BaseHTTPMiddleware wraps every response
    in a task and a stream)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith("/ui"):
            await self.app(scope, receive, send)
            return

        async def send_with_vary(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                vary = [v.strip() for v in headers.get("vary", "").split(",") if v.strip()]
                if "accept" not in (v.lower() for v in vary):
                    headers["Vary"] = ", ".join([*vary, "Accept"])
            await send(message)

        await self.app(scope, receive, send_with_vary)


class RefuseWhenSaturated:
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
