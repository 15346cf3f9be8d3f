"""User-facing messages in English and French, from one gettext catalogue per language.

NEW MESSAGES GO INTO THE TWO .po FILES: ``locale/en/LC_MESSAGES/evalgraph.po`` and
``locale/fr/LC_MESSAGES/evalgraph.po``, with the same msgid (the key callers pass, e.g. ``file_not_found``) in both;
the msgstr is the text in that language with ``{name}`` placeholders, the same ones in both languages
(tests/test_i18n.py checks it). Babel reads them (``pybabel`` or any PO editor can edit them).

Messages are looked up by key and formatted with named parameters. The language comes from the ``--lang``
option or ``EVALGRAPH_LANG``; ``fr`` and ``en`` are supported, anything else falls back to English. The same
catalogue serves the HTML templates (:mod:`evalgraph.pages`) and, for its ``ui_`` keys, the web pages' JavaScript.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

Lang = Literal["en", "fr"]
LANGUAGES: tuple[Lang, ...] = ("en", "fr")
DOMAIN = "evalgraph"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"


def catalogue_path(lang: str, locale_dir: Path = LOCALE_DIR) -> Path:
    """The ``.po`` file of ``lang``."""
    return locale_dir / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def read_catalogue(path: Path) -> dict[str, str]:
    """The messages of one ``.po`` file, key → text (an untranslated message has an empty text)."""
    from babel.messages.pofile import read_po

    with path.open("rb") as handle:
        catalog = read_po(handle, domain=DOMAIN)
    return {str(m.id): str(m.string or "") for m in catalog if m.id and isinstance(m.id, str)}


@lru_cache(maxsize=len(LANGUAGES))
def catalogue(lang: Lang) -> dict[str, str]:
    """The messages of ``lang``, read once from its ``.po`` file."""
    return read_catalogue(catalogue_path(lang))


def language(lang: str) -> Lang:
    """``fr`` for ``fr``, English for anything else."""
    return "fr" if lang == "fr" else "en"


def text(key: str, lang: str = "en") -> str:
    """The unformatted text of message ``key`` in ``lang`` (English when ``lang``'s is empty); KeyError for an
    unknown key."""
    english = catalogue("en")[key]
    return catalogue(language(lang)).get(key) or english


def message(key: str, lang: str = "en", **params: object) -> str:
    """Render message ``key`` in ``lang`` (``en`` or ``fr``) with ``params``."""
    return text(key, lang).format(**params)
