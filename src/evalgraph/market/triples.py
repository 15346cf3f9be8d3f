"""The statements a record makes, in its snapshot's graph: the record itself (PROV-O: derived from the snapshot,
with its row, key and hash), the technology it describes (created with its name and manufacturer when new; the
values the mappings give; AI system, since every registry here lists AI products), its CE marking, FDA
authorisations and EUDAMED registrations — and a match review when resolution left candidates."""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from evalgraph.establishments.inventory.naming import slug
from evalgraph.market.config import Mappings, Source
from evalgraph.market.names import manufacturer
from evalgraph.market.records import Entry, pathway_of
from evalgraph.market.resolve import Resolution
from evalgraph.vocab import DCT, EG, EGR, EGV, PROV, RDF, RDFS, XSD

TYPE = ox.NamedNode(RDF + "type")
LABEL = ox.NamedNode(RDFS + "label")
SOURCE = ox.NamedNode(DCT + "source")
TRUE = ox.Literal("true", datatype=ox.NamedNode(XSD + "boolean"))
TARGETS = {"marking": "CEMarking", "authorisation": "FDAAuthorisation"}


def eg(name: str) -> ox.NamedNode:
    return ox.NamedNode(EG + name)


def typed(value: object, datatype: str) -> ox.Literal:
    return ox.Literal(str(value), datatype=ox.NamedNode(XSD + datatype))


def labels(subject: ox.NamedNode, text: str) -> list[ox.Triple]:
    return [ox.Triple(subject, LABEL, ox.Literal(text, language=lang)) for lang in ("fr", "en")]


@dataclass
class Made:
    """What the records of one snapshot made: triples, and the values no mapping reads, by field."""

    triples: list[ox.Triple] = field(default_factory=list)
    unmapped: dict[str, dict[str, int]] = field(default_factory=dict)

    def add(self, *triples: ox.Triple) -> None:
        self.triples.extend(triples)


def record_iri(source: str, entry: Entry) -> ox.NamedNode:
    return ox.NamedNode(f"{EGR}record-{source}-{slug(entry.key)}")


def make(
    made: Made, chosen: Source, entry: Entry, found: Resolution, snapshot: ox.NamedNode, mappings: Mappings
) -> None:
    """Add the statements of ``entry``, resolved to ``found``, to ``made``."""
    source = chosen.key
    tech, record, page = ox.NamedNode(found.technology), record_iri(source, entry), ox.NamedNode(entry.url)
    made.add(
        ox.Triple(record, TYPE, eg("RegistryRecord")), *labels(record, f"{source} {entry.key}"),
        ox.Triple(record, ox.NamedNode(PROV + "wasDerivedFrom"), snapshot),
        ox.Triple(record, eg("recordOf"), tech), ox.Triple(record, eg("sourceRow"), typed(entry.row, "positiveInteger")),
        ox.Triple(record, eg("recordKey"), ox.Literal(entry.key)), ox.Triple(record, eg("recordHash"), ox.Literal(entry.digest())),
        ox.Triple(record, eg("matchMethod"), ox.Literal(found.method)), ox.Triple(record, SOURCE, page),
        ox.Triple(tech, TYPE, eg("DigitalTechnology")), ox.Triple(tech, eg("isAISystem"), TRUE), ox.Triple(tech, SOURCE, page),
    )  # fmt: skip
    if found.created:
        maker = ox.NamedNode(f"{EGR}org-{slug(manufacturer(entry.maker))[:60]}")
        made.add(*labels(tech, entry.name), ox.Triple(tech, eg("manufacturer"), maker))
        made.add(ox.Triple(maker, TYPE, eg("Company")), *labels(maker, entry.maker), ox.Triple(maker, SOURCE, page))
    nodes = {"technology": tech}
    _statuses(made, entry, tech, page, nodes)
    _mapped(made, chosen.fields_of, entry, mappings, nodes, tech, page)
    if found.review:
        review = ox.NamedNode(f"{EGR}review-{source}-{slug(entry.key)}")
        made.add(ox.Triple(review, TYPE, eg("MatchReview")), ox.Triple(review, eg("reviewRecord"), record),
                 *labels(review, f"{entry.name} ({entry.maker})"), ox.Triple(review, SOURCE, page),
                 *(ox.Triple(review, eg("candidateTechnology"), ox.NamedNode(c)) for c in found.review))  # fmt: skip


def _statuses(made: Made, entry: Entry, tech: ox.NamedNode, page: ox.NamedNode, nodes: dict[str, ox.NamedNode]) -> None:
    """The FDA authorisations and EUDAMED registrations the record states (an authorisation with no number gets a
    node of the record's own)."""
    for index, given in enumerate(entry.authorisations):
        number = given.number
        node = ox.NamedNode(
            f"{EGR}fda-{number.lower().replace('/', '-')}" if number else f"{tech.value}-fda-{index + 1}"
        )
        nodes.setdefault("authorisation", node)
        made.add(ox.Triple(tech, eg("hasRegulatoryStatus"), node), ox.Triple(node, TYPE, eg("FDAAuthorisation")),
                 ox.Triple(node, eg("jurisdiction"), ox.NamedNode(EGV + "jurisdiction-us")), ox.Triple(node, SOURCE, page),
                 ox.Triple(node, eg("issuedBy"), ox.NamedNode(EGR + "org-fda")))  # fmt: skip
        if number:
            made.add(ox.Triple(node, eg("submissionNumber"), ox.Literal(number)), *labels(node, f"FDA {number}"),
                     ox.Triple(node, eg("fdaPathway"), ox.NamedNode(EGV + pathway_of(number))))  # fmt: skip
        if given.date:
            made.add(ox.Triple(node, eg("statusDate"), typed(given.date, "date")))
        if given.device:
            made.add(ox.Triple(node, eg("deviceName"), ox.Literal(given.device)))
        if given.product_code:
            made.add(ox.Triple(node, eg("productCode"), ox.Literal(given.product_code)))
        made.add(*(ox.Triple(node, eg(name), typed(count, "nonNegativeInteger")) for name, count in given.counts))
    for uuid, trade_name in entry.eudamed:
        node = ox.NamedNode(f"{EGR}eudamed-{uuid}")
        made.add(ox.Triple(tech, eg("hasRegulatoryStatus"), node), ox.Triple(node, TYPE, eg("EUDAMEDRegistration")),
                 ox.Triple(node, eg("eudamedIdentifier"), ox.Literal(uuid)), *labels(node, f"EUDAMED {trade_name or uuid}"),
                 ox.Triple(node, eg("jurisdiction"), ox.NamedNode(EGV + "jurisdiction-eu")),
                 ox.Triple(node, SOURCE, ox.NamedNode(f"https://ec.europa.eu/tools/eudamed/#/screen/search-device/{uuid}")))  # fmt: skip
        if trade_name:
            made.add(ox.Triple(node, eg("deviceName"), ox.Literal(trade_name)))


def _mapped(
    made: Made, source: str, entry: Entry, mappings: Mappings, nodes: dict[str, ox.NamedNode],
    tech: ox.NamedNode, page: ox.NamedNode,
) -> None:  # fmt: skip
    """The statements the mappings give for each value of each field; unmapped values are counted. A marking or
    authorisation is made first, by the values that say the record states one; the others only describe it."""
    for name, values in entry.fields.items():
        for value in values:
            target = mappings.creates(source, name, value)
            if target and target not in nodes:
                nodes[target] = _status_node(made, target, tech, page)
    for name, values in entry.fields.items():
        for value in values:
            if not mappings.known(source, name, value):
                made.unmapped.setdefault(name, {}).setdefault(value, 0)
                made.unmapped[name][value] += 1
            for target, predicate, obj in mappings.lookup(source, name, value):
                if target in nodes:
                    made.add(ox.Triple(nodes[target], predicate, obj))


def _status_node(made: Made, target: str, tech: ox.NamedNode, page: ox.NamedNode) -> ox.NamedNode:
    """The CE marking (or an FDA authorisation with no number) a mapped value says the record states."""
    node = ox.NamedNode(f"{tech.value}-{'ce' if target == 'marking' else 'fda'}-{slug(page.value)[-24:]}")
    made.add(ox.Triple(tech, eg("hasRegulatoryStatus"), node), ox.Triple(node, TYPE, eg(TARGETS[target])),
             ox.Triple(node, SOURCE, page))  # fmt: skip
    if target == "marking":
        made.add(ox.Triple(node, eg("jurisdiction"), ox.NamedNode(EGV + "jurisdiction-eu")))
    return node
