"""The facts the qualification reads about a technology: what the graph states of each property, its CE markings
and the regulation of each, the assessments it obtained — and, once a procedure has run, what it derived or the
values it still allows (a bound)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox

from evalgraph import resources
from evalgraph.store.oxigraph import OxigraphStore
from evalgraph.vocab import EG

RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"

Value = str | bool
"""A fact value: an IRI (concept, resource) or a boolean."""


# --------------------------------------------------------------------------------------------------------- facts


@dataclass
class Fact:
    """What is known of one property: values stated or derived, or only the values still possible (a bound)."""

    values: set[Value] = field(default_factory=set)
    possible: frozenset[str] | None = None
    origin: str = "stated"  # "stated" (the graph says so) or "derived" (a procedure concluded it)

    @property
    def known(self) -> bool:
        return bool(self.values)


@dataclass
class Facts:
    """The facts of one technology, by property IRI, plus its CE markings and obtained assessments."""

    technology: str
    by_property: dict[str, Fact] = field(default_factory=dict)
    ce_markings: dict[str, str | None] = field(default_factory=dict)
    obtained: dict[str, list[str]] = field(default_factory=dict)  # pathway → assessments
    labels: dict[str, str] = field(default_factory=dict)
    ce_regulations: dict[str, str] = field(default_factory=dict)  # CE marking → regulation

    def get(self, prop: str) -> Fact:
        return self.by_property.get(prop, Fact())

    def stated(self, prop: str) -> set[Value]:
        fact = self.by_property.get(prop)
        return set(fact.values) if fact and fact.origin == "stated" else set()


def _value(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None) -> Value | None:
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.Literal) and term.datatype.value == XSD_BOOLEAN:
        return term.value == "true"
    return None


def read_facts(store: OxigraphStore, technology: str) -> Facts:
    """The facts the qualification reads about ``technology`` in ``store``."""
    result = store.query(resources.read_text("queries", "technology-facts"), {"technology": ox.NamedNode(technology)})
    return _facts_from_rows(result.rows).get(technology, Facts(technology))


def read_all_facts(store: OxigraphStore) -> dict[str, Facts]:
    """The facts of every technology, in one pass over the store (``qualify --all``: reading them one
    technology at a time costs time proportional to the store, since the binding is not pushed into the plan)."""
    return _facts_from_rows(store.query(resources.read_text("queries", "technology-facts")).rows)


def _facts_from_rows(rows: Iterable[tuple[object, ...]]) -> dict[str, Facts]:
    by_technology: dict[str, Facts] = {}
    for tech, kind_term, prop, value in rows:
        if not isinstance(tech, ox.NamedNode):
            continue
        facts = by_technology.setdefault(tech.value, Facts(tech.value))
        kind = kind_term.value if isinstance(kind_term, ox.Literal) else ""
        if kind == "fact" and isinstance(prop, ox.NamedNode):
            if prop.value == RDFS_LABEL and isinstance(value, ox.Literal) and value.language:
                facts.labels.setdefault(value.language, value.value)
            v = _value(value)  # type: ignore[arg-type]
            if v is not None:
                facts.by_property.setdefault(prop.value, Fact()).values.add(v)
        elif kind == "ce-marking" and isinstance(prop, ox.NamedNode):
            facts.ce_markings[prop.value] = value.value if isinstance(value, ox.NamedNode) else None
        elif kind == "ce-regulation" and isinstance(prop, ox.NamedNode) and isinstance(value, ox.NamedNode):
            facts.ce_regulations[prop.value] = value.value
            facts.by_property.setdefault(EG + "underRegulation", Fact()).values.add(value.value)
        elif kind == "obtained" and isinstance(prop, ox.NamedNode) and isinstance(value, ox.NamedNode):
            facts.obtained.setdefault(prop.value, []).append(value.value)
    for facts in by_technology.values():
        classes: set[Value] = {c for c in facts.ce_markings.values() if c}
        if classes:
            facts.by_property[EG + "deviceClass"] = Fact(classes)
    return by_technology


def technologies(store: OxigraphStore) -> list[tuple[str, dict[str, str]]]:
    """Every technology of the store with its labels."""
    found: dict[str, dict[str, str]] = {}
    for technology, label in store.query(resources.read_text("queries", "technologies")).rows:
        if isinstance(technology, ox.NamedNode):
            labels = found.setdefault(technology.value, {})
            if isinstance(label, ox.Literal) and label.language:
                labels.setdefault(label.language, label.value)
    return list(found.items())
