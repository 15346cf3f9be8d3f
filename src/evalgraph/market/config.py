"""The market's data file, ``forms/market.ttl``: each source's key, named graph and dataset (with its description),
and the value mappings — what one value of one registry field says in evalgraph's terms."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from evalgraph import resources
from evalgraph.errors import UsageError
from evalgraph.vocab import EG, EGF, RDF

FORM_FILE = "market"
TARGETS = ("technology", "marking", "authorisation")


@dataclass(frozen=True)
class Source:
    """One registry: the key of its command, the named graph of its snapshots, the dataset and its description."""

    key: str
    graph: str
    dataset: str
    description: tuple[ox.Triple, ...]
    fields_of: str
    """The source whose value mappings read this one's fields (itself, unless ``egf:fieldsOf`` says otherwise)."""

    def value(self, predicate: str) -> str:
        """The first value of ``predicate`` in the dataset's description ("" when none)."""
        return next(
            (
                str(t.object.value)
                for t in self.description
                if t.predicate.value == predicate and not isinstance(t.object, ox.Triple)
            ),
            "",
        )


@dataclass
class Mappings:
    """The value mappings: (source:field, value) → (target, statements as (predicate, object))."""

    by_value: dict[tuple[str, str], list[tuple[str, ox.NamedNode, ox.NamedNode | ox.Literal]]] = field(
        default_factory=dict
    )
    creating: dict[tuple[str, str], str] = field(default_factory=dict)
    """The values that make their target (a CE marking, an FDA authorisation), with that target."""

    def lookup(self, source: str, name: str, value: str) -> list[tuple[str, ox.NamedNode, ox.NamedNode | ox.Literal]]:
        """The statements one value gives (empty when it has no mapping), each with its target."""
        return self.by_value.get((f"{source}:{name}", value), [])

    def known(self, source: str, name: str, value: str) -> bool:
        return (f"{source}:{name}", value) in self.by_value

    def creates(self, source: str, name: str, value: str) -> str | None:
        """The target a value makes exist (``marking``, ``authorisation``), if it is one that does."""
        return self.creating.get((f"{source}:{name}", value))


@lru_cache(maxsize=4)
def _graph(override: Path | None) -> ox.Store:
    store = ox.Store()
    store.load(resources.read_text("forms", FORM_FILE, ".ttl", override), format=ox.RdfFormat.TURTLE)
    return store


def _first(store: ox.Store, subject: ox.NamedNode | ox.BlankNode | ox.Triple, predicate: str) -> str:
    for quad in store.quads_for_pattern(subject, ox.NamedNode(predicate), None, None):
        return "" if isinstance(quad.object, ox.Triple) else str(quad.object.value)
    return ""


@lru_cache(maxsize=4)
def sources(override: Path | None = None) -> dict[str, Source]:
    """The registries of ``forms/market.ttl`` by key."""
    store = _graph(override)
    found = {}
    for quad in store.quads_for_pattern(None, ox.NamedNode(RDF + "type"), ox.NamedNode(EGF + "MarketSource"), None):
        subject = quad.subject
        dataset = ox.NamedNode(_first(store, subject, EGF + "dataset"))
        description = tuple(
            ox.Triple(q.subject, q.predicate, q.object) for q in store.quads_for_pattern(dataset, None, None)
        )
        key = _first(store, subject, EGF + "key")
        fields_of = _first(store, subject, EGF + "fieldsOf") or key
        found[key] = Source(key, _first(store, subject, EGF + "graph"), dataset.value, description, fields_of)
    return dict(sorted(found.items()))


def source(key: str, override: Path | None = None) -> Source:
    known = sources(override)
    if key not in known:
        raise UsageError("market_unknown_source", source=key, expected=", ".join(known))
    return known[key]


@lru_cache(maxsize=4)
def mappings(override: Path | None = None) -> Mappings:
    """Every value mapping of ``forms/market.ttl``."""
    store = _graph(override)
    result = Mappings()
    for quad in store.quads_for_pattern(None, ox.NamedNode(RDF + "type"), ox.NamedNode(EGF + "ValueMapping"), None):
        subject = quad.subject
        target = _first(store, subject, EGF + "target") or "technology"
        if target not in TARGETS:
            raise ValueError(f"forms/market.ttl: {subject} has egf:target {target!r}; expected one of {TARGETS}")
        key = (_first(store, subject, EGF + "field"), _first(store, subject, EGF + "value"))
        statements = result.by_value.setdefault(key, [])
        if _first(store, subject, EGF + "creates") == "true":
            result.creating[key] = target
        for q in store.quads_for_pattern(subject, None, None, None):
            if q.predicate.value.startswith(EG) and isinstance(q.object, ox.NamedNode | ox.Literal):
                statements.append((target, q.predicate, q.object))
    return result
