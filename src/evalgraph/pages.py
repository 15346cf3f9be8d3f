"""HTML pages: the Jinja2 templates of ``templates/``, HTML-escaped, rendered by name.

Templates take their texts from the translation catalogue (:mod:`evalgraph.i18n`) through Jinja's i18n extension:
``{{ _("key", name=value) }}`` is the message ``key`` in the page's ``lang`` with its ``{name}`` placeholders
filled. A message is plain text: it is escaped, and so are the values, unless a value is markup the template built
itself (``{% set code %}<code>…</code>{% endset %}``).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape

from evalgraph.i18n import text

TEMPLATES = Path(__file__).resolve().parent / "templates"


def gettext(lang: str) -> Callable[..., Markup]:
    """The templates' ``_`` (and ``gettext``) in ``lang``: message ``key`` escaped, its placeholders filled."""

    def translate(key: str, **params: object) -> Markup:
        return escape(text(key, lang)).format(**params)

    return translate


def ngettext(lang: str) -> Callable[..., Markup]:
    """The templates' ``ngettext`` in ``lang``: ``key_one`` or ``key_other`` by ``n`` (English plural: 1 is one)."""
    translate = gettext(lang)

    def plural(key: str, _plural: str, n: int, **params: object) -> Markup:
        one = n in (0, 1) if lang == "fr" else n == 1
        return translate(f"{key}_{'one' if one else 'other'}", n=n, **params)

    return plural


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=jinja2.select_autoescape(["html"]),
        extensions=["jinja2.ext.i18n"],
    )
    environment.install_gettext_callables(gettext("en"), ngettext("en"), newstyle=False)  # type: ignore[attr-defined]
    return environment


def render(name: str, **context: Any) -> str:
    """The page of ``templates/<name>`` filled with ``context``, its texts in ``context["lang"]`` (English by
    default)."""
    lang = str(context.get("lang") or "en")
    translations = {"_": gettext(lang), "gettext": gettext(lang), "ngettext": ngettext(lang)}
    return _environment().get_template(name).render(**translations, **context)
