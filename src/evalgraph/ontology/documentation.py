"""The ontology's documentation page: every class and property with its French and English labels and
definitions, domain, range and superclass (from ``queries/ontology-terms.rq``), as one standalone HTML page."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from evalgraph import pages
from evalgraph._version import __version__
from evalgraph.store import queries
from evalgraph.store.oxigraph import OxigraphStore
from evalgraph.vocab import compact

KINDS = ("Class", "ObjectProperty", "DatatypeProperty", "AnnotationProperty")


def terms(store: OxigraphStore, override: Path | None = None) -> dict[str, list[dict[str, str]]]:
    """The ontology's terms grouped by kind (``Class``, ``ObjectProperty``…), each a dict of the query's columns
    with IRIs compacted (``eg:Technology``) and absent values as empty strings."""
    named = queries.load("ontology-terms", override)
    result = store.query(named.text)
    grouped: dict[str, list[dict[str, str]]] = {kind: [] for kind in KINDS}
    for row in result.rows:
        values = {
            name: (
                ""
                if value is None
                else compact(_text(value))
                if name in ("term", "domain", "range", "parent")
                else _text(value)
            )
            for name, value in zip(result.variables, row, strict=True)
        }
        kind = values.pop("kind").rsplit("#", 1)[-1]
        grouped.setdefault(kind, []).append(values)
    return grouped


def _text(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> str:
    return str(term) if isinstance(term, ox.Triple) else term.value


def render(store: OxigraphStore, lang: str, override: Path | None = None) -> str:
    """The documentation page in ``lang``, with a link to the other language (the server serves it with ?lang=)."""
    return pages.render(
        "ontology.html", lang=lang, language_switch=True, groups=terms(store, override), version=__version__
    )
