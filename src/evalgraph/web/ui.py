"""The web UI: the static pages of ``web/static`` at ``/ui/``, and their texts at ``/ui/messages.js``.

The texts are the translation catalogue's ``ui_`` messages (src/evalgraph/locale), in every language: the script
sets ``window.evalgraphMessages`` to ``{"en": {key: text}, "fr": {…}}`` and the pages load it before their own
(``common.js`` translates with it). Nothing is fetched from elsewhere: the pages work offline.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles

from evalgraph.i18n import LANGUAGES, catalogue, text

STATIC_DIR = Path(__file__).resolve().parent / "static"
PREFIX = "ui_"
router = APIRouter()


def table() -> dict[str, dict[str, str]]:
    """The ``ui_`` messages, language → key → text (English where a language has none)."""
    keys = [key for key in catalogue("en") if key.startswith(PREFIX)]
    return {lang: {key: text(key, lang) for key in keys} for lang in LANGUAGES}


@lru_cache(maxsize=1)
def script() -> str:
    """The catalogue's page texts as a script."""
    body = json.dumps(table(), ensure_ascii=False, indent=0, sort_keys=True)
    return f"/* evalgraph's page texts, from src/evalgraph/locale */\nwindow.evalgraphMessages = {body};\n"


@router.get("/ui/messages.js", include_in_schema=False)
def messages_script() -> Response:
    return Response(script(), media_type="text/javascript; charset=utf-8", headers={"Cache-Control": "no-cache"})


def install(app: FastAPI) -> None:
    """Serve the texts, then the static pages (the route comes first: the mount would answer every /ui/ path)."""
    app.include_router(router)
    app.mount("/ui", StaticFiles(directory=STATIC_DIR, html=True), name="ui")
