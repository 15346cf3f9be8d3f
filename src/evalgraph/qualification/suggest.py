"""Suggestions for a technology name that names none: the nearest known names (``difflib`` over every label,
preferred and alternative name of every technology, ``queries/technology-labels.rq``), compared without case or
accents, so that ``qualify boneviw`` answers "did you mean BoneView?"."""

from __future__ import annotations

import difflib
import unicodedata

import pyoxigraph as ox

from evalgraph import resources
from evalgraph.errors import UsageError
from evalgraph.store.oxigraph import OxigraphStore
from evalgraph.vocab import compact

SUGGESTIONS = 5
CUTOFF = 0.6
"""difflib's similarity ratio a name must reach to be suggested."""


def fold(text: str) -> str:
    """``text`` without accents, case or repeated white space (« Échographie » → « echographie »)."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.casefold().split())


def nearest(store: OxigraphStore, name: str, count: int = SUGGESTIONS) -> list[tuple[str, str]]:
    """The technologies whose names are nearest to ``name``, best first: (name as written, technology IRI)."""
    names: dict[str, tuple[str, str]] = {}
    for technology, value in store.query(resources.read_text("queries", "technology-labels")).rows:
        if isinstance(technology, ox.NamedNode) and isinstance(value, ox.Literal):
            names.setdefault(fold(value.value), (value.value, technology.value))
    wanted = fold(name)
    found: list[tuple[str, str]] = []
    for key in difflib.get_close_matches(wanted, list(names), n=len(names), cutoff=CUTOFF):
        label, iri = names[key]
        if all(iri != seen for _, seen in found):
            found.append((label, iri))
        if len(found) == count:
            break
    return found


def unknown_technology(store: OxigraphStore, name: str) -> UsageError:
    """The error for a name that names no technology, with the nearest names when some are close (exit 2)."""
    close = nearest(store, name)
    if not close:
        return UsageError("technology_unknown", name=name)
    shown = ", ".join(f"{label} ({compact(iri)})" for label, iri in close)
    return UsageError("technology_unknown_suggest", name=name, suggestions=shown)
