"""Namespaces and prefixes: the one place evalgraph names them, and the one way to expand or compact a name."""

from __future__ import annotations

BASE = "https://w3id.org/evalgraph/"
EG = BASE + "ontology/"
EGV = BASE + "vocab/"
EGR = BASE + "id/"
EGG = BASE + "graph/"
EGSH = BASE + "shapes/"
EGF = BASE + "forms/"
DOSSIER = BASE + "dossier/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCT = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"
SH = "http://www.w3.org/ns/shacl#"
VOID = "http://rdfs.org/ns/void#"
DCAT = "http://www.w3.org/ns/dcat#"
SD = "http://www.w3.org/ns/sparql-service-description#"

PREFIXES = {
    "eg": EG,
    "egv": EGV,
    "egr": EGR,
    "egg": EGG,
    "egsh": EGSH,
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
    "skos": SKOS,
    "dct": DCT,
    "prov": PROV,
}
"""The prefixes evalgraph writes and reads names with (results, reports, query parameters, the CLI)."""
SERIALISATION_PREFIXES = {**PREFIXES, "void": VOID, "dcat": DCAT, "sd": SD, "sh": SH}
"""Those, and the ones of the service and dataset descriptions, for RDF the web service writes."""


def compact(iri: str) -> str:
    """``iri`` as a prefixed name when a known prefix matches, else as it is."""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and iri != namespace:
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


def expand(name: str) -> str:
    """A prefixed name (``egr:tech-boneview``) with a known prefix as its full IRI; anything else as it is."""
    prefix, colon, local = name.partition(":")
    if colon and local and prefix in PREFIXES:
        return PREFIXES[prefix] + local
    return name
