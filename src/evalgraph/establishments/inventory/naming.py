"""How the inventory names things: text normalised for matching, slugs, an establishment's IRI and named graph,
and the sheets of the workbook."""

from __future__ import annotations

import re
import unicodedata

from evalgraph.errors import UsageError
from evalgraph.store.oxigraph import OxigraphStore
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


def imported(store: OxigraphStore, name: str) -> tuple[str, str]:
    """An imported establishment's IRI and slug, from its name, slug or IRI; a UsageError lists the imported ones."""
    known = sorted(g.removeprefix(ESTABLISHMENT_GRAPH_BASE) for g in store.graph_iris()
                   if g.startswith(ESTABLISHMENT_GRAPH_BASE))  # fmt: skip
    candidate = slug(name.removeprefix(EGR + "establishment-"))
    if candidate not in known:
        raise UsageError("unknown_establishment", name=name, known=", ".join(known) or "—")
    return EGR + "establishment-" + candidate, candidate
