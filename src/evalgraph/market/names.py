"""Names as entity resolution compares them: product and manufacturer names normalised (case, accents, punctuation,
trade marks, versions, legal forms), and the decision on a pair of (name, manufacturer) — the same product, a
look-alike to review, or different."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Literal

Decision = Literal["same", "review", "different"]

LEGAL_FORMS = frozenset(
    "inc incorporated llc ltd limited co corp corporation company gmbh mbh ag sa sas sasu sarl srl spa bv nv oy ab "
    "plc pte pty kk uab as aps se kft sro lp llp ulc dba".split()
)
"""Words of a company's legal form, dropped from manufacturer names (``Gleamer SAS`` → ``gleamer``)."""

_VERSION = re.compile(r"^(v|ver|version)?\d+(\.\d+)*[a-z]?$")
_RAW_VERSION = re.compile(r"\(?\b(v|ver\.?|version)?\s?\d+(\.[0-9x]+)+[a-z]?\b\)?", re.IGNORECASE)
GENERIC = frozenset(
    "ai software system analysis application app platform device algorithm module suite solution the with and of".split()
)
"""Words that name no product by themselves, dropped from product names (``FerriSmart Analysis System``)."""


def ascii_words(text: str) -> list[str]:
    """``text`` as lower-case ASCII words (``+`` read as ``plus``, trade-mark signs dropped)."""
    text = text.replace("+", " plus ").replace("®", " ").replace("™", " ")
    decomposed = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", " ", decomposed.lower()).split()


@lru_cache(maxsize=65536)
def product_name(name: str) -> str:
    """A product name without its version: ``MammoScreen® (4)`` and ``ART-Plan+ (v3.1.0)`` → ``mammoscreen`` and
    ``art plan plus``; other words in brackets are kept (``AI-Rad Companion (Pulmonary)``)."""
    words = [w for w in ascii_words(_RAW_VERSION.sub(" ", name)) if not _VERSION.match(w) and w not in GENERIC]
    while words and words[-1] in ("version", "v"):
        words.pop()
    return " ".join(words)


@lru_cache(maxsize=65536)
def manufacturer(name: str) -> str:
    """A manufacturer's name without its legal form: ``Ge Medical Systems, LLC`` → ``ge medical systems``."""
    words = ascii_words(name)
    kept = [w for w in words if w not in LEGAL_FORMS]
    return " ".join(kept or words)


def _tokens(text: str) -> set[str]:
    return set(text.split())


def makers_agree(a: str, b: str) -> bool:
    """Two normalised manufacturer names name the same company: equal, one the other's first words
    (``siemens healthineers`` / ``siemens healthcare``: not; ``gleamer`` / ``gleamer ai``: yes), or most words shared."""
    if not a or not b:
        return False
    if a == b:
        return True
    ta, tb = _tokens(a), _tokens(b)
    if ta <= tb or tb <= ta:
        return True
    return len(ta & tb) / len(ta | tb) >= 0.6


def names_overlap(a: str, b: str) -> bool:
    """One normalised product name holds all the other's words (``boneview`` / ``boneview trauma``)."""
    ta, tb = _tokens(a), _tokens(b)
    return bool(ta and tb) and (ta <= tb or tb <= ta)


def decide(name_a: str, maker_a: str, name_b: str, maker_b: str) -> Decision:
    """Whether two records name the same product, from their names alone: the same normalised product name by the
    same manufacturer is the same product; a name that holds the other's words, or the same name by another
    company, is a look-alike for a reviewer; anything else is different."""
    ma, mb = manufacturer(maker_a), manufacturer(maker_b)
    rank = {"different": 0, "review": 1, "same": 2}
    best: Decision = "different"
    for a in alternatives(name_a):
        for b in alternatives(name_b):
            decision = decide_normal(a, ma, b, mb)
            best = decision if rank[decision] > rank[best] else best
    return best


def alternatives(name: str) -> list[str]:
    """The normalised names a record gives: one, or several separated by ``;`` or ``/`` (``ME-APDS / MAGENTIQ-COLO``),
    and the whole."""
    parts = [product_name(p) for p in re.split(r";|\s/\s", name)]
    return list(dict.fromkeys([product_name(name), *(p for p in parts if p)]))


def decide_normal(pa: str, ma: str, pb: str, mb: str) -> Decision:
    """:func:`decide` on names already normalised (:func:`product_name`, :func:`manufacturer`)."""
    compact_a, compact_b = pa.replace(" ", ""), pb.replace(" ", "")
    if not compact_a or not compact_b:
        return "different"
    if compact_a == compact_b or sorted(pa.split()) == sorted(pb.split()):
        return "same" if makers_agree(ma, mb) else "review"
    if names_overlap(pa, pb) and makers_agree(ma, mb):
        return "review"
    return "different"
