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


MEASURES = {
    "Class": "classes",
    "ObjectProperty": "object properties",
    "DatatypeProperty": "datatype properties",
    "AnnotationProperty": "annotation properties",
}
"""How ``evalgraph stats`` names the count of each kind."""


def counts(store: OxigraphStore, override: Path | None = None) -> dict[str, int]:
    """The number of classes and properties of each kind — the rows of the ``/ontology`` page, counted from the one
    query both use (``queries/ontology-terms.rq``)."""
    return {MEASURES[kind]: len(rows) for kind, rows in terms(store, override).items() if kind in MEASURES}


EXAMPLE_PROPERTIES = 3
"""Properties an example query reads (the first ones, by name, whose domain is the class)."""


def main_classes(groups: dict[str, list[dict[str, str]]]) -> list[tuple[dict[str, str], list[str]]]:
    """Each class that is the domain of evalgraph properties, with the first of them by name."""
    properties = [row for kind in ("ObjectProperty", "DatatypeProperty") for row in groups.get(kind, [])]
    found = []
    for row in groups.get("Class", []):
        own = sorted(p["term"] for p in properties if p["domain"] == row["term"])
        if own:
            found.append((row, own[:EXAMPLE_PROPERTIES]))
    return found


def example(term: str, properties: list[str]) -> str:
    """A query listing instances of ``term`` with ``properties``, written with the predeclared prefixes."""
    lines = ["SELECT * WHERE {", f"    ?item a {term} ;", "        rdfs:label ?label ."]
    lines += [f"    OPTIONAL {{ ?item {p} ?{p.split(':', 1)[1]} }}" for p in properties]
    lines += ['    FILTER (LANG(?label) = "en")', "}", "LIMIT 10"]
    return "\n".join(lines)


def _text(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> str:
    return str(term) if isinstance(term, ox.Triple) else term.value


def render(store: OxigraphStore, lang: str, override: Path | None = None) -> str:
    """The documentation page in ``lang``, with a link to the other language (the server serves it with ?lang=)."""
    groups = terms(store, override)
    examples = {row["term"]: example(row["term"], properties) for row, properties in main_classes(groups)}
    return pages.render(
        "ontology.html",
        lang=lang,
        language_switch=True,
        site_nav=True,
        groups=groups,
        examples=examples,
        version=__version__,
    )
