"""Validation of technology dossiers against the SHACL shapes of ``shapes/``.

The :class:`Engine` reads the shapes once per process (:func:`engine`) together with a small *support graph*:
the part of the ontology and knowledge base the shapes need beside a dossier (class hierarchy, concept-scheme
membership, pathways, organisations), built by ``shapes/support.rq``. Adding those few hundred triples to each
dossier replaces RDFS inference over the whole ontology, which is what makes validation fast (see
docs/benchmarks.md). Shapes use SHACL Core plus SPARQL-based constraints and SPARQL targets (pySHACL's advanced
mode).

Validation returns a :class:`Report` — never raises for a non-conforming dossier. Each :class:`Finding` carries
the focus node and its label, path, value, message in the chosen language, severity, shape and the legal text,
guide theme or guideline the shape enforces (:class:`Citation`, with its label and URL).
"""

from __future__ import annotations

import logging
import re
import threading
import warnings
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
import rdflib
from pyshacl import Validator
from pyshacl.graph_abstraction import OxigraphDataGraph
from pyshacl.shapes_graph import ShapesGraph
from rdflib import RDF, RDFS, SH, BNode, Literal, URIRef
from rdflib.collection import Collection

from evalgraph import resources
from evalgraph.vocab import PREFIXES, compact

SEVERITIES = ("Violation", "Warning", "Info")
logging.getLogger("rdflib.term").setLevel(logging.ERROR)  # an ill-typed literal is a finding, not a stack trace
EG = rdflib.Namespace("https://w3id.org/evalgraph/ontology/")
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_REFERENCE_NAMESPACES = (PREFIXES["eg"], PREFIXES["egv"], PREFIXES["egsh"])


@dataclass(frozen=True)
class Citation:
    """What a shape enforces: a legal text, guide theme, guidance document or guideline of the knowledge base."""

    iri: str
    labels: dict[str, str] = field(hash=False, compare=False)
    citation: str | None = None
    url: str | None = None

    def label(self, lang: str) -> str:
        return self.labels.get(lang) or self.labels.get("en") or compact(self.iri)

    def to_dict(self, lang: str) -> dict[str, str | None]:
        return {"iri": self.iri, "label": self.label(lang), "citation": self.citation, "url": self.url}


@dataclass(frozen=True)
class Finding:
    """One validation result."""

    severity: str
    shape: str
    focus: str
    focus_label: str | None
    path: str | None
    value: str | None
    message: str
    sources: tuple[Citation, ...]
    component: str

    def to_dict(self, lang: str) -> dict[str, object]:
        return {
            "severity": self.severity,
            "shape": compact(self.shape),
            "focus": compact(self.focus),
            "focus_label": self.focus_label,
            "path": self.path,
            "value": self.value,
            "message": self.message,
            "component": self.component,
            "sources": [c.to_dict(lang) for c in self.sources],
        }


@dataclass
class Report:
    """The validation of one dossier: its findings and the standard SHACL validation report graph."""

    file: str
    lang: str
    findings: list[Finding]
    graph: rdflib.Graph
    triples: int
    subjects: list[tuple[str, str | None]] = field(default_factory=list)
    ignored: int = 0
    """Statements of the dossier about reference terms (ontology, vocabularies, knowledge base), left out."""

    @property
    def conforms(self) -> bool:
        """True when nothing is wrong or legally missing (warnings and infos do not fail a dossier)."""
        return not any(f.severity == "Violation" for f in self.findings)

    @property
    def counts(self) -> dict[str, int]:
        counter = Counter(f.severity for f in self.findings)
        return {severity: counter.get(severity, 0) for severity in SEVERITIES}

    def to_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "conforms": self.conforms,
            "counts": self.counts,
            "triples": self.triples,
            "technologies": [{"iri": iri, "label": label} for iri, label in self.subjects],
            "ignored_reference_statements": self.ignored,
            "findings": [f.to_dict(self.lang) for f in self.findings],
        }


class _DataGraph(OxigraphDataGraph):
    """pySHACL's view of the Oxigraph store, never empty (it always holds the support graph). pySHACL writes
    ``datagraph or shapes_graph`` for every result it makes, and the truth value of its graph is a
    ``COUNT(DISTINCT …)`` over the whole store: without this, validation time grew with findings × statements
    (a 100 kB dossier of 1,000 bare studies, 9,000 findings, took 70 s; with it, 2.7 s)."""

    def __bool__(self) -> bool:
        return True


def _to_rdflib(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> rdflib.term.Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == _XSD_STRING:  # RDF 1.1 simple literal: rdflib tells them apart, RDF does not
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise TypeError(f"RDF-star triple terms are not supported in dossiers: {term}")


def to_graph(triples: Iterable[ox.Triple]) -> rdflib.Graph:
    """An rdflib graph holding ``triples``."""
    graph = rdflib.Graph()
    add = graph.add
    with warnings.catch_warnings():  # an ill-typed literal ("maybe"^^xsd:boolean) is a finding, not a warning
        warnings.simplefilter("ignore", UserWarning)
        for t in triples:
            add((_to_rdflib(t.subject), _to_rdflib(t.predicate), _to_rdflib(t.object)))
    return graph


class Engine:
    """The shapes, the support graph and the citations, loaded once; :meth:`validate` runs one dossier."""

    def __init__(self, override: Path | None = None, subset: str = "dossier") -> None:
        self._override = override
        self.shapes = rdflib.Graph()
        for file in shape_files(subset, override):
            self.shapes.parse(file, format="turtle")
        reference = ox.Store()
        for kind in ("ontology", "kb"):
            for file in resources.files(kind, ".ttl", override):
                reference.bulk_load(path=str(file), format=ox.RdfFormat.TURTLE)
        support_query = resources.read_text("shapes", "support", ".rq", override)
        constructed = reference.query(support_query)
        assert isinstance(constructed, ox.QueryTriples), "shapes/support.rq must be a CONSTRUCT query"
        support_triples = list(constructed)
        self.support = to_graph(support_triples)
        self._support_quads = [ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in support_triples]
        self._protected = {t.subject.value for t in support_triples if isinstance(t.subject, ox.NamedNode)}
        self._shapes_graph = ShapesGraph(self.shapes)
        self._shapes_graph.shapes  # noqa: B018 — harvest the shapes now, once
        self._lock = threading.Lock()
        self.citations = self._load_citations(reference)
        self._enforces = self._shape_citations()
        self._templates = self._message_templates()

    def _load_citations(self, reference: ox.Store) -> dict[str, Citation]:
        items = {str(o) for o in self.shapes.objects(None, EG.enforces)}
        labels: dict[str, dict[str, str]] = {iri: {} for iri in items}
        citation: dict[str, str] = {}
        url: dict[str, str] = {}
        query = resources.read_text("shapes", "citations", ".rq", self._override)
        for row in reference.query(query):  # type: ignore[union-attr]
            item = row["item"].value
            if item not in items:
                continue
            labels[item][row["lang"].value] = row["label"].value
            if row["citation"] is not None:
                citation.setdefault(item, row["citation"].value)
            if row["source"] is not None:
                url.setdefault(item, row["source"].value)
        return {iri: Citation(iri, labels[iri], citation.get(iri), url.get(iri)) for iri in items}

    def _shape_citations(self) -> dict[rdflib.term.Node, tuple[Citation, ...]]:
        """The citations of every shape; a property shape without its own inherits its node shape's."""
        result: dict[rdflib.term.Node, tuple[Citation, ...]] = {}
        for shape in set(self.shapes.subjects(EG.enforces, None)):
            result[shape] = tuple(
                sorted((self.citations[str(o)] for o in self.shapes.objects(shape, EG.enforces)), key=lambda c: c.iri)
            )
        for node_shape, prop in self.shapes.subject_objects(SH.property):
            if prop not in result and node_shape in result:
                result[prop] = result[node_shape]
        return result

    def _tag_messages(self, report: rdflib.Graph) -> None:
        """Give back their language tags to the messages pySHACL substituted, so the report keeps FR and EN."""
        for result, message in list(report.subject_objects(SH.resultMessage)):
            if isinstance(message, Literal) and not message.language:
                lang = self._language_of(report.value(result, SH.sourceShape), str(message))
                if lang:
                    report.remove((result, SH.resultMessage, message))
                    report.add((result, SH.resultMessage, Literal(str(message), lang=lang)))

    def _language_of(self, shape: rdflib.term.Node | None, text: str) -> str | None:
        """The language of a substituted SPARQL message (pySHACL drops its tag): the template whose fixed parts
        it contains, in order."""
        for lang, parts in (self._templates.get(shape, {}) if shape is not None else {}).items():
            position = 0
            for part in parts:
                position = text.find(part, position)
                if position < 0:
                    break
                position += len(part)
            else:
                return lang
        return None

    def _message_templates(self) -> dict[rdflib.term.Node, dict[str, list[str]]]:
        """For each shape, the fixed parts of its messages (own and SPARQL constraints'), by language."""
        result: dict[rdflib.term.Node, dict[str, list[str]]] = {}
        for shape in set(self.shapes.subjects(SH.severity, None)):
            holders = [shape, *self.shapes.objects(shape, SH.sparql)]
            for holder in holders:
                for template in self.shapes.objects(holder, SH.message):
                    if isinstance(template, Literal) and template.language:
                        parts = [p for p in re.split(r"\{[?$]\w+\}", str(template)) if p]
                        result.setdefault(shape, {})[template.language] = parts
        return result

    def shape_iris(self) -> list[str]:
        """Every named shape that can produce a finding (it has a severity)."""
        return sorted(str(s) for s in self.shapes.subjects(SH.severity, None) if isinstance(s, URIRef))

    def validate(self, triples: Iterable[ox.Triple], *, file: str = "", lang: str = "en") -> Report:
        """Validate the dossier ``triples``; the result names every finding, conforming or not."""
        triples, ignored = self.without_reference_statements(triples)
        dossier = to_graph(triples)
        store = ox.Store()
        store.extend(self._support_quads)
        store.extend(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples)
        validator = Validator(_DataGraph(store), shacl_graph=self.shapes, options={"advanced": True, "inplace": True})
        validator.shacl_graph = self._shapes_graph
        with self._lock:  # pySHACL shape objects are shared between runs
            _conforms, report_graph, _text = validator.run()  # type: ignore[no-untyped-call]
        self._tag_messages(report_graph)
        findings = [
            self._finding(report_graph, result, dossier, lang) for result in report_graph.objects(None, SH.result)
        ]
        order = {s: i for i, s in enumerate(SEVERITIES)}
        findings.sort(key=lambda f: (order.get(f.severity, 9), f.focus, f.path or "", f.shape, f.value or ""))
        subjects = [
            (str(s), _label(dossier, s, lang))
            for s in sorted(dossier.subjects(RDF.type, EG.DigitalTechnology), key=str)
        ]
        return Report(file, lang, findings, report_graph, len(dossier), subjects, ignored)

    def without_reference_statements(self, triples: Iterable[ox.Triple]) -> tuple[list[ox.Triple], int]:
        """The dossier's statements minus those about reference terms — ontology and vocabulary terms, and the
        pathways, concepts and organisations of the support graph — so that a dossier cannot redefine what it is
        checked against (declare its own concept in a scheme, shorten a pathway's term)."""
        kept, ignored = [], 0
        for t in triples:
            subject = t.subject.value if isinstance(t.subject, ox.NamedNode) else None
            if subject is not None and (subject in self._protected or subject.startswith(_REFERENCE_NAMESPACES)):
                ignored += 1
            else:
                kept.append(t)
        return kept, ignored

    def _finding(self, report: rdflib.Graph, result: rdflib.term.Node, dossier: rdflib.Graph, lang: str) -> Finding:
        shape = report.value(result, SH.sourceShape)
        focus = report.value(result, SH.focusNode)
        value = report.value(result, SH.value)
        severity = str(report.value(result, SH.resultSeverity)).rsplit("#", 1)[-1]
        component = str(report.value(result, SH.sourceConstraintComponent)).rsplit("#", 1)[-1]
        messages = {m.language: str(m) for m in report.objects(result, SH.resultMessage) if isinstance(m, Literal)}
        message = messages.get(lang) or messages.get("en") or next(iter(messages.values()), "")
        shape_path = self.shapes.value(shape, SH.path) if shape is not None else None
        path = (
            _path_text(self.shapes, shape_path)
            if shape_path is not None
            else _path_text(report, report.value(result, SH.resultPath))
        )
        return Finding(
            severity=severity,
            shape=str(shape) if isinstance(shape, URIRef) else _shape_name(self.shapes, shape),
            focus=_node_text(focus),
            focus_label=_label(dossier, focus, lang) if focus is not None else None,
            path=path,
            value=_value_text(value),
            message=_compact_iris(message),
            sources=self._enforces.get(shape, ()) if shape is not None else (),
            component=component.replace("ConstraintComponent", ""),
        )


def _shape_name(graph: rdflib.Graph, shape: rdflib.term.Node | None) -> str:
    """A blank-node shape is named after the node shape that holds it."""
    if shape is None:
        return ""
    parent = graph.value(None, SH.property, shape)
    return str(parent) if isinstance(parent, URIRef) else str(shape)


def _label(graph: rdflib.Graph, node: rdflib.term.Node | None, lang: str) -> str | None:
    labels = {lbl.language: str(lbl) for lbl in graph.objects(node, RDFS.label) if isinstance(lbl, Literal)}
    return labels.get(lang) or labels.get("en") or next(iter(labels.values()), None)


def _node_text(node: rdflib.term.Node | None) -> str:
    if node is None:
        return ""
    return f"_:{node}" if isinstance(node, BNode) else str(node)


def _value_text(value: rdflib.term.Node | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, URIRef):
        return compact(str(value))
    if isinstance(value, BNode):
        return f"_:{value}"
    return str(value)


def _compact_iris(text: str) -> str:
    for prefix, namespace in PREFIXES.items():
        text = text.replace(namespace, f"{prefix}:")
    return text


def _path_text(graph: rdflib.Graph, path: rdflib.term.Node | None) -> str | None:
    """A SHACL property path written in SPARQL property-path syntax with prefixed names."""
    if path is None:
        return None
    if isinstance(path, URIRef):
        return compact(str(path))
    if (path, RDF.first, None) in graph:
        return "/".join(_path_text(graph, p) or "?" for p in Collection(graph, path))
    for predicate, template in (
        (SH.inversePath, "^{}"),
        (SH.zeroOrMorePath, "{}*"),
        (SH.oneOrMorePath, "{}+"),
        (SH.zeroOrOnePath, "{}?"),
    ):
        inner = graph.value(path, predicate)
        if inner is not None:
            return template.format(_path_text(graph, inner))
    alternatives = graph.value(path, SH.alternativePath)
    if alternatives is not None:
        return "(" + "|".join(_path_text(graph, p) or "?" for p in Collection(graph, alternatives)) + ")"
    return None


def shape_files(subset: str = "dossier", override: Path | None = None) -> list[Path]:
    """The shapes of ``subset``: ``dossier`` (technology dossiers: every shapes file outside shapes/establishment/)
    or ``establishment`` (deployments of an establishment's inventory: the files in shapes/establishment/)."""
    folder = resources.path("shapes", override)
    files = resources.files("shapes", ".ttl", override)
    inside = [f for f in files if f.relative_to(folder).parts[0] == "establishment"]
    return inside if subset == "establishment" else [f for f in files if f not in inside]


@lru_cache(maxsize=4)
def engine(override: Path | None = None, subset: str = "dossier") -> Engine:
    """The process-wide engine of ``subset`` for the data folders at ``override`` (the package's by default)."""
    return Engine(override, subset)
