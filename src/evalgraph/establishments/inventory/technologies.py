"""The technology of a row: a known one of the graph matched by name (and manufacturer), or one described from the
row and flagged for review."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from evalgraph.i18n import LANGUAGES, message
from evalgraph.store import queries
from evalgraph.store.oxigraph import OxigraphStore
from evalgraph.vocab import DCT, EG, EGR, EGV, PROV, RDF, RDFS, XSD

from .cells import Terms
from .form import Column
from .naming import normal, slug

RDF_TYPE = ox.NamedNode(RDF + "type")
RDFS_LABEL = ox.NamedNode(RDFS + "label")
DCT_SOURCE = ox.NamedNode(DCT + "source")
XSD_BOOLEAN = ox.NamedNode(XSD + "boolean")


@dataclass(frozen=True)
class KnownTechnology:
    iri: str
    names: frozenset[str]
    manufacturers: frozenset[str]


def known_technologies(store: OxigraphStore, override: Path | None = None) -> list[KnownTechnology]:
    """Every technology of the graph with its names and its manufacturer's names (normalised)."""
    named = queries.load("technology-names", override)
    result = store.query(named.text)
    names: dict[str, set[str]] = {}
    makers: dict[str, set[str]] = {}
    for technology, label, maker in result.rows:
        iri = technology.value  # type: ignore[union-attr]
        names.setdefault(iri, set()).add(normal(label.value))  # type: ignore[union-attr]
        base = re.sub(r"\s*\(.*\)\s*$", "", label.value)  # type: ignore[union-attr]
        names[iri].add(normal(base))
        if maker is not None:
            makers.setdefault(iri, set()).add(normal(maker.value))  # type: ignore[union-attr]
    return [KnownTechnology(i, frozenset(n), frozenset(makers.get(i, ()))) for i, n in sorted(names.items())]


def match(name: str, maker: str, known: Iterable[KnownTechnology]) -> tuple[str | None, str]:
    """The known technology a row names, and how it matched (a concept of egv:TechnologyMatchScheme)."""
    wanted, wanted_maker = normal(name), normal(maker)
    by_name = [k for k in known if wanted in k.names]
    with_maker = [k for k in by_name if wanted_maker and wanted_maker in k.manufacturers]
    if len(with_maker) == 1:
        return with_maker[0].iri, EGV + "match-name-and-manufacturer"
    if len(by_name) == 1 and not (wanted_maker and by_name[0].manufacturers):
        return by_name[0].iri, EGV + "match-name-only"
    if len(by_name) == 1 and wanted_maker and not with_maker:
        return by_name[0].iri, EGV + "match-name-only"
    return None, EGV + "match-none"


def imported_file(node: ox.NamedNode, name: str, digest: str) -> list[ox.Triple]:
    """The imported file as a provenance entity (``prov:Entity``): its name and short SHA-256 as label, its full
    SHA-256 as identifier — what the import's facts cite with ``dct:source``."""
    return [
        ox.Triple(node, RDF_TYPE, ox.NamedNode(PROV + "Entity")),
        ox.Triple(node, RDFS_LABEL, ox.Literal(f"{name} (sha256 {digest[:16]})")),
        ox.Triple(node, ox.NamedNode(DCT + "title"), ox.Literal(name)),
        ox.Triple(node, ox.NamedNode(DCT + "identifier"), ox.Literal(f"sha256:{digest}")),
    ]


def labelled(subject: ox.NamedNode, kind: str, label: str, source: ox.NamedNode) -> list[ox.Triple]:
    """``subject`` typed ``eg:<kind>``, labelled ``label`` in French and English, with its source."""
    return [
        ox.Triple(subject, RDF_TYPE, ox.NamedNode(EG + kind)),
        ox.Triple(subject, RDFS_LABEL, ox.Literal(label, language="fr")),
        ox.Triple(subject, RDFS_LABEL, ox.Literal(label, language="en")),
        ox.Triple(subject, DCT_SOURCE, source),
    ]


def created_technology(
    iri: str, name: str, maker: str, parsed: dict[str, Terms], columns: Sequence[Column], source: ox.NamedNode
) -> list[ox.Triple]:
    """A technology no known one matched: described from the row — each column with an ``egf:technologyProperty``
    gives that property, the manufacturer an organisation, the CE class a CE marking — and flagged for review."""
    tech = ox.NamedNode(iri)
    triples = labelled(tech, "DigitalTechnology", name, source)
    triples.append(ox.Triple(tech, ox.NamedNode(EG + "needsReview"), ox.Literal("true", datatype=XSD_BOOLEAN)))
    for column in columns:
        if column.technology_property:
            prop = ox.NamedNode(column.technology_property)
            triples += [ox.Triple(tech, prop, v) for v in parsed.get(column.key, [])]
    if maker:
        org = ox.NamedNode(f"{EGR}org-{slug(maker)}")
        triples.append(ox.Triple(tech, ox.NamedNode(EG + "manufacturer"), org))
        triples += labelled(org, "Company", maker, source)
    if "device_class" in parsed:
        marking = ox.NamedNode(f"{iri}-ce")
        qualification = parsed.get("qualification", [])
        regulation = EGR + ("law-ivdr" if qualification and qualification[0].value.endswith("ivdr") else "law-mdr")
        triples += [
            ox.Triple(tech, ox.NamedNode(EG + "hasRegulatoryStatus"), marking),
            ox.Triple(marking, RDF_TYPE, ox.NamedNode(EG + "CEMarking")),
            *(
                ox.Triple(
                    marking, RDFS_LABEL, ox.Literal(message("inventory_ce_marking", lang, name=name), language=lang)
                )
                for lang in LANGUAGES
            ),
            ox.Triple(marking, ox.NamedNode(EG + "underRegulation"), ox.NamedNode(regulation)),
            ox.Triple(marking, ox.NamedNode(EG + "deviceClass"), parsed["device_class"][0]),
            ox.Triple(marking, DCT_SOURCE, source),
        ]
    return triples
