"""HTML pages: the Jinja2 templates of ``templates/``, HTML-escaped, rendered by name."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2

TEMPLATES = Path(__file__).resolve().parent / "templates"


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=jinja2.select_autoescape(["html"]))


def render(name: str, **context: Any) -> str:
    """The page of ``templates/<name>`` filled with ``context``."""
    return _environment().get_template(name).render(**context)
