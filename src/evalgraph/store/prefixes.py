"""The prefixes a SPARQL query may use without declaring them (``eg:``, ``egr:``, ``rdfs:``, ``skos:``…): data, in
``queries/prefixes.ttl`` (``sh:declare``, as SHACL-SPARQL declares prefixes), loaded by name. The guard declares
them before the query's own declarations, which replace them."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from evalgraph import resources
from evalgraph.vocab import RDFS, SH, XSD

FILE = "prefixes"
"""``queries/prefixes.ttl``"""
_DECLARE, _PREFIX, _NAMESPACE = (ox.NamedNode(SH + name) for name in ("declare", "prefix", "namespace"))
_COMMENT = ox.NamedNode(RDFS + "comment")


@dataclass(frozen=True)
class Prefix:
    """One predeclared prefix: its name (without the colon), its namespace, and what it holds (by language)."""

    name: str
    namespace: str
    comment: tuple[tuple[str, str], ...] = ()


@lru_cache(maxsize=4)
def _triples(override: Path | None) -> tuple[ox.Triple, ...]:
    text = resources.read_text("queries", FILE, ".ttl", override)
    return tuple(ox.parse(text.encode("utf-8"), format=ox.RdfFormat.TURTLE))


def _literals(triples: tuple[ox.Triple, ...], subject: object, predicate: ox.NamedNode) -> list[ox.Literal]:
    return [
        t.object
        for t in triples
        if t.subject == subject and t.predicate == predicate and isinstance(t.object, ox.Literal)
    ]


@lru_cache(maxsize=4)
def declarations(override: Path | None = None) -> tuple[Prefix, ...]:
    """The predeclared prefixes, in the file's order."""
    triples = _triples(override)
    found: list[Prefix] = []
    for triple in (t for t in triples if t.predicate == _DECLARE):
        node = triple.object
        (name,), (namespace,) = _literals(triples, node, _PREFIX), _literals(triples, node, _NAMESPACE)
        comment = tuple((c.language or "", c.value) for c in _literals(triples, node, _COMMENT))
        found.append(Prefix(name.value, namespace.value, comment))
    return tuple(found)


@lru_cache(maxsize=4)
def predeclared(override: Path | None = None) -> dict[str, str]:
    """``{prefix: namespace}`` of the predeclared prefixes (shared: callers copy it before changing it)."""
    return {p.name: p.namespace for p in declarations(override)}


def described(subject: ox.NamedNode, override: Path | None = None) -> list[ox.Triple]:
    """``subject sh:declare [ sh:prefix … ; sh:namespace … ]`` for each predeclared prefix, and the file's
    ``rdfs:comment`` saying how they apply (for the SPARQL service description)."""
    triples = _triples(override)
    holder = next(t.subject for t in triples if t.predicate == _DECLARE)
    described = [ox.Triple(subject, _COMMENT, comment) for comment in _literals(triples, holder, _COMMENT)]
    for prefix in declarations(override):
        node = ox.BlankNode()
        described += [
            ox.Triple(subject, _DECLARE, node),
            ox.Triple(node, _PREFIX, ox.Literal(prefix.name)),
            ox.Triple(node, _NAMESPACE, ox.Literal(prefix.namespace, datatype=ox.NamedNode(XSD + "anyURI"))),
        ]
    return described
