"""How the inventory names things: text normalised for matching, slugs, an establishment's IRI and named graph,
and the sheets of the workbook."""

from __future__ import annotations

import re
import unicodedata

from evalgraph.vocab import EGG, EGR

ESTABLISHMENT_GRAPH_BASE = EGG + "establishment/"
INVENTORY_SHEET = "Inventaire - Inventory"
ECONOMICS_SHEET = "Économie - Economics"
LISTS_SHEET = "Listes - Lists"
README_SHEET = "Lisez-moi - Read me"


def normal(text: str) -> str:
    """``text`` in lower-case ASCII words separated by single spaces: how headers, names and values are compared."""
    decomposed = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", " ", decomposed.lower()).strip()


def slug(text: str) -> str:
    return re.sub(r"\s+", "-", normal(text)) or "x"


def establishment_iri(name: str) -> str:
    return f"{EGR}establishment-{slug(name)}"


def establishment_graph(name: str) -> str:
    return ESTABLISHMENT_GRAPH_BASE + slug(name)
