"""ASGI middleware of the web service."""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send


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
