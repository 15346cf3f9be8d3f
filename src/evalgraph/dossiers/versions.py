"""Submitted dossiers: versioned named graphs with provenance, in a store of their own.

Each submission is one **version** of a dossier. Version ``n`` of dossier ``ID`` is the named graph
``https://w3id.org/evalgraph/dossier/ID/v/n`` holding the dossier's triples exactly as parsed; the registry graph
``https://w3id.org/evalgraph/graph/dossiers`` says who submitted it (``eg:submittedBy``), when
(``dct:created``), the SHA-256 of the document received (``eg:contentSha256``), the document itself
(``eg:sourceDocument``), its syntax (``dct:format``), the technologies it describes (``dct:subject``) and the
outcome of its validation. Both are written in **one** Oxigraph transaction (``Store.extend``), so a version is
either entirely there or not at all; the call returns once RocksDB has written it to its log, so a version
acknowledged to a client survives the server being killed right after.

The dossier store is a separate on-disk database (``<data-dir>/dossiers``): dossiers are not public, and the
public SPARQL endpoint's query workers never open it.
"""

from __future__ import annotations

import hashlib
import threading
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox

from evalgraph.store.oxigraph import open_store
from evalgraph.vocab import DCT, EG, XSD
from evalgraph.vocab import DOSSIER as DOSSIER_BASE

REGISTRY_GRAPH = "https://w3id.org/evalgraph/graph/dossiers"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


@dataclass(frozen=True)
class Version:
    dossier: str
    number: int
    submitted_by: str
    created: str
    sha256: str
    media_type: str
    file_name: str
    triples: int
    conforms: bool
    violations: int
    warnings: int
    technologies: tuple[str, ...]

    @property
    def iri(self) -> str:
        return version_iri(self.dossier, self.number)

    def to_dict(self) -> dict[str, object]:
        return {
            "dossier": self.dossier,
            "version": self.number,
            "iri": self.iri,
            "submitted_by": self.submitted_by,
            "created": self.created,
            "sha256": self.sha256,
            "media_type": self.media_type,
            "file_name": self.file_name,
            "triples": self.triples,
            "conforms": self.conforms,
            "violations": self.violations,
            "warnings": self.warnings,
            "technologies": list(self.technologies),
        }


@dataclass(frozen=True)
class Dossier:
    id: str
    owner: str
    versions: tuple[Version, ...]

    @property
    def latest(self) -> Version:
        return self.versions[-1]

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "iri": DOSSIER_BASE + self.id,
            "owner": self.owner,
            "versions": len(self.versions),
            "latest": self.latest.to_dict(),
        }


def version_iri(dossier: str, number: int) -> str:
    return f"{DOSSIER_BASE}{dossier}/v/{number}"


class DossierStore:
    """The dossier database at ``path`` (in memory when ``None``). One process owns it; writes are serialised."""

    def __init__(self, path: Path | None) -> None:
        self._handle = open_store(path)  # a locked store is a StoreUnavailableError, as for the reference store
        self._store = self._handle.native
        self._lock = threading.Lock()

    def submit(
        self,
        *,
        owner: str,
        file_name: str,
        media_type: str,
        source: bytes,
        triples: Iterable[ox.Triple],
        conforms: bool,
        violations: int,
        warnings: int,
        technologies: Iterable[str],
        dossier: str | None = None,
    ) -> Version:
        """Store a new version (of a new dossier when ``dossier`` is None) atomically and return it."""
        content = list(triples)
        with self._lock:
            if dossier is None:
                dossier = uuid.uuid4().hex[:16]
                number = 1
            else:
                number = len(self._version_numbers(dossier)) + 1
            version = Version(
                dossier,
                number,
                owner,
                datetime.now(UTC).isoformat(timespec="milliseconds"),
                hashlib.sha256(source).hexdigest(),
                media_type,
                file_name,
                len(content),
                conforms,
                violations,
                warnings,
                tuple(sorted(set(technologies))),
            )
            graph = ox.NamedNode(version.iri)
            quads = [ox.Quad(t.subject, t.predicate, t.object, graph) for t in content]
            quads += _registry_quads(version, source)
            self._store.extend(quads)  # one transaction: the version is entirely stored or not at all
        return version

    # -- reading ----------------------------------------------------------------------------------------------
    def _version_numbers(self, dossier: str) -> list[int]:
        node = ox.NamedNode(DOSSIER_BASE + dossier)
        registry = ox.NamedNode(REGISTRY_GRAPH)
        return sorted(
            {
                int(str(q.object.value).rsplit("/", 1)[1])  # type: ignore[union-attr]
                for name in ("hasDossierVersion", "hasVersion")  # eg:hasVersion: registries written before 2026-12-06
                for q in self._store.quads_for_pattern(node, ox.NamedNode(EG + name), None, registry)
            }
        )

    def _values(self, subject: str) -> dict[str, list[ox.NamedNode | ox.Literal]]:
        values: dict[str, list[ox.NamedNode | ox.Literal]] = {}
        for quad in self._store.quads_for_pattern(ox.NamedNode(subject), None, None, ox.NamedNode(REGISTRY_GRAPH)):
            values.setdefault(quad.predicate.value, []).append(quad.object)  # type: ignore[arg-type]
        return values

    def version(self, dossier: str, number: int) -> Version | None:
        values = self._values(version_iri(dossier, number))
        if not values:
            return None

        def one(predicate: str) -> str:
            return values[predicate][0].value

        return Version(
            dossier,
            number,
            one(EG + "submittedBy"),
            one(DCT + "created"),
            one(EG + "contentSha256"),
            one(DCT + "format"),
            one(DCT + "title"),
            sum(1 for _ in self._store.quads_for_pattern(None, None, None, ox.NamedNode(version_iri(dossier, number)))),
            one(EG + "conformsToShapes") == "true",
            int(one(EG + "violationCount")),
            int(one(EG + "warningCount")),
            tuple(sorted(v.value for v in values.get(DCT + "subject", []))),
        )

    def get(self, dossier: str) -> Dossier | None:
        values = self._values(DOSSIER_BASE + dossier)
        if not values:
            return None
        versions = tuple(v for n in self._version_numbers(dossier) if (v := self.version(dossier, n)) is not None)
        return Dossier(dossier, values[EG + "submittedBy"][0].value, versions)

    def listing(self, owner: str | None = None) -> list[Dossier]:
        """Every dossier (only ``owner``'s when given), oldest first."""
        kind = ox.NamedNode(EG + "SubmittedDossier")
        found = []
        for quad in self._store.quads_for_pattern(None, RDF_TYPE, kind, ox.NamedNode(REGISTRY_GRAPH)):
            record = self.get(str(quad.subject.value).removeprefix(DOSSIER_BASE))  # type: ignore[union-attr]
            if record is not None and (owner is None or record.owner == owner):
                found.append(record)
        return sorted(found, key=lambda d: d.versions[0].created)

    def triples(self, dossier: str, number: int) -> list[ox.Triple]:
        graph = ox.NamedNode(version_iri(dossier, number))
        return [
            ox.Triple(q.subject, q.predicate, q.object) for q in self._store.quads_for_pattern(None, None, None, graph)
        ]

    def source(self, dossier: str, number: int) -> bytes:
        values = self._values(version_iri(dossier, number))
        return values[EG + "sourceDocument"][0].value.encode("utf-8")

    def close(self) -> None:
        self._handle.close()


def _registry_quads(version: Version, source: bytes) -> list[ox.Quad]:
    """What the registry graph says of ``version`` (and, for version 1, of its dossier): who submitted it, when,
    the document received, its syntax and the outcome of its validation."""
    registry = ox.NamedNode(REGISTRY_GRAPH)
    node, vnode = ox.NamedNode(DOSSIER_BASE + version.dossier), ox.NamedNode(version.iri)

    def record(subject: ox.NamedNode, predicate: str, value: ox.NamedNode | ox.Literal) -> ox.Quad:
        return ox.Quad(subject, ox.NamedNode(predicate), value, registry)

    def typed(value: object, datatype: str) -> ox.Literal:
        text = str(value).lower() if isinstance(value, bool) else str(value)
        return ox.Literal(text, datatype=ox.NamedNode(XSD + datatype))

    quads = []
    if version.number == 1:
        quads += [
            ox.Quad(node, RDF_TYPE, ox.NamedNode(EG + "SubmittedDossier"), registry),
            record(node, EG + "submittedBy", ox.Literal(version.submitted_by)),
            record(node, DCT + "identifier", ox.Literal(version.dossier)),
        ]
    return [
        *quads,
        record(node, EG + "hasDossierVersion", vnode),
        ox.Quad(vnode, RDF_TYPE, ox.NamedNode(EG + "DossierVersion"), registry),
        record(vnode, EG + "dossierVersionNumber", typed(version.number, "positiveInteger")),
        record(vnode, EG + "submittedBy", ox.Literal(version.submitted_by)),
        record(vnode, DCT + "created", typed(version.created, "dateTime")),
        record(vnode, EG + "contentSha256", ox.Literal(version.sha256)),
        record(vnode, EG + "sourceDocument", ox.Literal(source.decode("utf-8"))),
        record(vnode, DCT + "format", ox.Literal(version.media_type)),
        record(vnode, DCT + "title", ox.Literal(version.file_name)),
        record(vnode, EG + "conformsToShapes", typed(version.conforms, "boolean")),
        record(vnode, EG + "violationCount", typed(version.violations, "nonNegativeInteger")),
        record(vnode, EG + "warningCount", typed(version.warnings, "nonNegativeInteger")),
        *(record(vnode, DCT + "subject", ox.NamedNode(t)) for t in version.technologies),
    ]
