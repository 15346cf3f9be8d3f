"""The inventory's form, read from ``forms/inventory.ttl``: its columns (one SHACL property shape each: bilingual
header, order, required or not, datatype or concept scheme, property), the words a yes/no cell accepts, and the
concepts of the schemes that fill the drop-down lists."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from evalgraph import resources
from evalgraph.store import queries
from evalgraph.store.oxigraph import OxigraphStore
from evalgraph.vocab import EGF, RDF, RDFS, SH, SKOS

from .naming import normal

FORM_FILE = "inventory"
"""The name of the form's file in ``forms/``."""

Values = dict[str, list[Any]]


@dataclass(frozen=True)
class Concept:
    iri: str
    label_fr: str
    label_en: str

    @property
    def shown(self) -> str:
        """How the template writes it (and the import reads it back): ``label fr / label en``."""
        return self.label_fr if self.label_fr == self.label_en else f"{self.label_fr} / {self.label_en}"


@dataclass(frozen=True)
class Answer(Concept):
    """A yes or a no: the boolean it stands for and every word (normalised) a cell may begin with to say it."""

    value: bool = False
    words: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Column:
    key: str
    path: str
    order: int
    name_fr: str
    name_en: str
    description_fr: str
    description_en: str
    required: bool
    datatype: str | None
    scheme: str | None
    multiple: bool
    subject: str
    example: ox.NamedNode | ox.Literal | None
    unit_fr: str = ""
    unit_en: str = ""
    technology_property: str | None = None
    """The property the cell's values get on a technology created from the row (``egf:technologyProperty``)."""

    def title(self, lang: str) -> str:
        """The column's name in ``lang``, with its unit: ``Licence ou abonnement (€/an)``."""
        name, unit = (self.name_fr, self.unit_fr) if lang == "fr" else (self.name_en, self.unit_en)
        return f"{name} ({unit})" if unit else name

    @property
    def header(self) -> str:
        return f"{self.title('fr')} / {self.title('en')}"


@dataclass(frozen=True)
class Form:
    iri: str
    label_fr: str
    label_en: str
    comment_fr: str
    comment_en: str
    columns: tuple[Column, ...]

    @property
    def sheet(self) -> str:
        return f"{self.label_fr} - {self.label_en}"


def _literal(values: Values, predicate: str, lang: str | None = None) -> str:
    for value in values.get(predicate, []):
        if isinstance(value, ox.Literal) and (lang is None or value.language == lang):
            return value.value
    return ""


def _iri(values: Values, predicate: str) -> str | None:
    return str(values[predicate][0].value) if predicate in values else None


@lru_cache(maxsize=4)
def _graph(override: Path | None) -> ox.Store:
    store = ox.Store()
    store.load(resources.read_text("forms", FORM_FILE, ".ttl", override), format=ox.RdfFormat.TURTLE)
    return store


def _values(store: ox.Store, subject: ox.NamedNode | ox.BlankNode) -> Values:
    found: Values = {}
    for quad in store.quads_for_pattern(subject, None, None, None):
        found.setdefault(quad.predicate.value, []).append(quad.object)
    return found


def _column(v: Values) -> Column:
    return Column(
        key=_literal(v, EGF + "key"),
        path=v[SH + "path"][0].value,
        order=int(_literal(v, SH + "order")),
        name_fr=_literal(v, SH + "name", "fr"),
        name_en=_literal(v, SH + "name", "en"),
        description_fr=_literal(v, SH + "description", "fr"),
        description_en=_literal(v, SH + "description", "en"),
        required=_literal(v, SH + "minCount") not in ("", "0"),
        datatype=_iri(v, SH + "datatype"),
        scheme=_iri(v, EGF + "scheme"),
        multiple=_literal(v, EGF + "multiple") == "true",
        subject=_literal(v, EGF + "subject") or "deployment",
        example=v.get(EGF + "example", [None])[0],
        unit_fr=_literal(v, EGF + "unit", "fr"),
        unit_en=_literal(v, EGF + "unit", "en"),
        technology_property=_iri(v, EGF + "technologyProperty"),
    )


@lru_cache(maxsize=4)
def forms(override: Path | None = None) -> dict[str, Form]:
    """The forms of ``forms/inventory.ttl`` by local name (``Inventory``, ``Economics``)."""
    store = _graph(override)
    result = {}
    for quad in store.quads_for_pattern(None, ox.NamedNode(RDF + "type"), ox.NamedNode(SH + "NodeShape"), None):
        shape = _values(store, quad.subject)  # type: ignore[arg-type]
        columns = (_column(_values(store, prop)) for prop in shape.get(SH + "property", []))
        iri = quad.subject.value  # type: ignore[union-attr]
        result[iri.removeprefix(EGF)] = Form(
            iri,
            _literal(shape, RDFS + "label", "fr"),
            _literal(shape, RDFS + "label", "en"),
            _literal(shape, RDFS + "comment", "fr"),
            _literal(shape, RDFS + "comment", "en"),
            tuple(sorted(columns, key=lambda c: c.order)),
        )
    return result


@lru_cache(maxsize=4)
def answers(override: Path | None = None) -> tuple[Answer, Answer]:
    """The yes and the no of a yes/no cell (the concepts of ``egf:YesNo``), yes first."""
    store = _graph(override)
    found: dict[bool, Answer] = {}
    for quad in store.quads_for_pattern(None, ox.NamedNode(SKOS + "inScheme"), ox.NamedNode(EGF + "YesNo"), None):
        v = _values(store, quad.subject)  # type: ignore[arg-type]
        labels = [str(t.value) for p in ("prefLabel", "altLabel") for t in v.get(SKOS + p, [])]
        value = _literal(v, RDF + "value") == "true"
        found[value] = Answer(
            quad.subject.value,  # type: ignore[union-attr]
            _literal(v, SKOS + "prefLabel", "fr"),
            _literal(v, SKOS + "prefLabel", "en"),
            value,
            frozenset(normal(label) for label in labels),
        )
    return found[True], found[False]


def concepts(store: OxigraphStore, scheme: str, override: Path | None = None) -> list[Concept]:
    """The concepts of ``scheme`` with their French and English labels, in the scheme's order of labels."""
    named = queries.load("scheme-concepts", override)
    result = store.query(named.text, queries.bind(named, {"scheme": scheme}))
    index = {v: i for i, v in enumerate(result.variables)}
    return [
        Concept(
            row[index["concept"]].value,  # type: ignore[union-attr]
            row[index["labelFr"]].value,  # type: ignore[union-attr]
            row[index["labelEn"]].value,  # type: ignore[union-attr]
        )
        for row in result.rows
    ]
