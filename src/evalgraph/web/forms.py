"""A ``multipart/form-data`` body read into its parts, in the order sent, with werkzeug's multipart decoder (the
body is already in memory, read under the ``--max-body`` cap): each part's field name, file name (``None`` for a
plain field), media type and bytes. Malformed bodies and bodies with too many parts are refused with 400."""

from __future__ import annotations

from dataclasses import dataclass, field

from werkzeug.exceptions import HTTPException
from werkzeug.http import parse_options_header
from werkzeug.sansio.multipart import Data, Epilogue, Field, File, MultipartDecoder, NeedData

from evalgraph.errors import ApiError
from evalgraph.i18n import message

MAX_PARTS = 64
"""Parts a form may have: a comparison names a handful of candidates."""


@dataclass
class Part:
    name: str
    filename: str | None
    media_type: str
    chunks: list[bytes] = field(default_factory=list)
    """The part's bytes in the pieces the decoder gave them, joined once (:attr:`data`)."""

    @property
    def data(self) -> bytes:
        return b"".join(self.chunks)


def parts(body: bytes, content_type: str, lang: str) -> list[Part]:
    """The parts of the ``multipart/form-data`` ``body`` whose ``Content-Type`` header is ``content_type``."""
    media, options = parse_options_header(content_type)
    boundary = options.get("boundary", "")
    if media != "multipart/form-data" or not boundary:
        raise ApiError(415, "unsupported_media_type", message("server_form_multipart", lang, media=media or "-"))
    decoder = MultipartDecoder(boundary.encode("latin-1"), max_parts=MAX_PARTS)
    found: list[Part] = []
    try:
        decoder.receive_data(body)
        decoder.receive_data(None)
        while True:
            event = decoder.next_event()
            if isinstance(event, Epilogue | NeedData):
                break
            if isinstance(event, File | Field):
                media_type = event.headers.get("content-type", "").split(";")[0].strip().lower()
                found.append(Part(event.name, event.filename if isinstance(event, File) else None, media_type))
            elif isinstance(event, Data) and found:
                found[-1].chunks.append(event.data)
    except (ValueError, HTTPException) as exc:
        raise ApiError(400, "bad_form", message("server_form_malformed", lang, reason=_reason(exc))) from exc
    if not isinstance(event, Epilogue):
        raise ApiError(400, "bad_form", message("server_form_malformed", lang, reason="no closing boundary"))
    return found


def _reason(exc: Exception) -> str:
    return (exc.description or type(exc).__name__) if isinstance(exc, HTTPException) else str(exc)
