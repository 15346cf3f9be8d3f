"""The decision model: the procedures, questions, outcomes, branches and answer rules of ``kb/decision.ttl`` as a
networkx ``MultiDiGraph`` (nodes are questions and outcomes, edges the branches between them), with the concept
schemes and ranks the bounds need and the eligibility conditions of pathways, obligations and criteria."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import urlsplit

import networkx as nx
import pyoxigraph as ox

from evalgraph import resources
from evalgraph.qualification.conditions import QUALIFICATION, Rules
from evalgraph.qualification.facts import Value
from evalgraph.store.oxigraph import OxigraphStore
from evalgraph.vocab import EG, compact

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SKOS_PREFLABEL = "http://www.w3.org/2004/02/skos/core#prefLabel"
DCT_SOURCE = "http://purl.org/dc/terms/source"


class _Triples:
    """Subject → property → values index of a CONSTRUCT result, with labels in both languages."""

    def __init__(self, triples: Iterable[ox.Triple]) -> None:
        self._types: dict[str, list[str]] = {}
        self.index: dict[str, dict[str, list[ox.NamedNode | ox.BlankNode | ox.Literal]]] = defaultdict(
            lambda: defaultdict(list)
        )
        for t in triples:
            if isinstance(t.subject, ox.NamedNode | ox.BlankNode) and not isinstance(t.object, ox.Triple):
                self.index[_key(t.subject)][t.predicate.value].append(t.object)

    def iris(self, subject: str, prop: str) -> list[str]:
        return [o.value for o in self.index.get(subject, {}).get(prop, []) if isinstance(o, ox.NamedNode)]

    def iri(self, subject: str, prop: str) -> str | None:
        values = self.iris(subject, prop)
        return values[0] if values else None

    def literal(self, subject: str, prop: str) -> ox.Literal | None:
        for o in self.index.get(subject, {}).get(prop, []):
            if isinstance(o, ox.Literal):
                return o
        return None

    def labels(self, subject: str) -> dict[str, str]:
        found: dict[str, str] = {}
        for prop in (RDFS_LABEL, SKOS_PREFLABEL):
            for o in self.index.get(subject, {}).get(prop, []):
                if isinstance(o, ox.Literal) and o.language:
                    found.setdefault(o.language, o.value)
        return found

    def subjects_with(self, prop: str) -> list[str]:
        return [s for s, props in self.index.items() if prop in props]

    def subjects_of_type(self, type_iri: str) -> list[str]:
        cached = self._types.get(type_iri)
        if cached is None:
            cached = self._types[type_iri] = sorted(
                s
                for s, props in self.index.items()
                if any(isinstance(o, ox.NamedNode) and o.value == type_iri for o in props.get(RDF_TYPE, []))
            )
        return cached


def _by_tier(logic: _Triples, urls: Iterable[str]) -> tuple[str, ...]:
    """``urls`` sorted by the rank of their source website's tier (``eg:SourceWebsite``; unlisted sites last)."""
    ranks: list[tuple[str, int]] = []
    for site in logic.subjects_with(EG + "hostName"):
        host = logic.literal(site, EG + "hostName")
        tier = logic.iri(site, EG + "sourceTier")
        tier_rank = logic.literal(tier, EG + "rank") if tier else None
        if host is not None and tier_rank is not None:
            ranks.append((host.value, int(tier_rank.value)))

    def rank(url: str) -> int:
        host = (urlsplit(url).hostname or "").lower()
        return min((r for name, r in ranks if host == name or host.endswith("." + name)), default=len(ranks) + 99)

    return tuple(sorted(urls, key=lambda url: (rank(url), url)))


def _key(term: ox.NamedNode | ox.BlankNode) -> str:
    return term.value if isinstance(term, ox.NamedNode) else f"_:{term.value}"


@dataclass(frozen=True)
class Reference:
    """A source of a decision: the KB document it rests on (with label) or a source URL."""

    iri: str
    labels: dict[str, str] = field(hash=False, compare=False, default_factory=dict)
    urls: tuple[str, ...] = ()

    def label(self, lang: str) -> str:
        return self.labels.get(lang) or self.labels.get("en") or compact(self.iri)

    def to_dict(self, lang: str) -> dict[str, object]:
        return {"iri": self.iri, "label": self.label(lang), "urls": list(self.urls)}


class DecisionModel:
    """The decision procedures, concepts and eligibility conditions of the knowledge base, as networkx graphs."""

    def __init__(self, store: OxigraphStore) -> None:
        logic = _Triples(store.query(resources.read_text("queries", "decision-logic")).triples)
        self.logic = logic
        self.graph = nx.MultiDiGraph()  # two answers may lead to the same outcome
        for kind, type_iri in (("question", EG + "Question"), ("outcome", EG + "Outcome")):
            for node in logic.subjects_of_type(type_iri):
                self.graph.add_node(
                    node,
                    kind=kind,
                    labels=logic.labels(node),
                    procedure=logic.iri(node, EG + "inProcedure"),
                    fact=logic.iri(node, EG + "asksFact"),
                    at_least=logic.iri(node, EG + "atLeast"),
                    concludes=logic.iri(node, EG + "concludes"),
                    rules=sorted(logic.iris(node, EG + "answerRule")),
                    references=self._references(logic, node),
                )
        for branch in logic.subjects_of_type(EG + "DecisionBranch"):
            source, target = logic.iri(branch, EG + "fromNode"), logic.iri(branch, EG + "toNode")
            if source is None or target is None:
                continue
            answer_literal = logic.literal(branch, EG + "whenAnswer")
            answer: Value | None = (
                (answer_literal.value == "true")
                if answer_literal is not None
                else logic.iri(branch, EG + "whenConcept")
            )
            self.graph.add_edge(
                source,
                target,
                branch=branch,
                answer=answer,
                labels=logic.labels(branch),
                references=self._references(logic, branch),
            )
        self.procedures = sorted(
            logic.subjects_of_type(EG + "DecisionProcedure"),
            key=lambda p: int(lit.value) if (lit := logic.literal(p, EG + "stepOrder")) is not None else 99,
        )
        self.rules = {r: self._rule(logic, r) for r in logic.subjects_of_type(EG + "AnswerRule")}
        self._load_concepts(store)
        self.conditions = _Triples(store.query(resources.read_text("queries", "eligibility-conditions")).triples)
        self.compiled = Rules(self.conditions)

    @staticmethod
    def _references(logic: _Triples, item: str) -> tuple[Reference, ...]:
        """The documents ``item`` rests on (with their labels and URLs), then its own source URLs; URLs the most
        authoritative first (the tier of their source website: official, publisher, others), then in order."""
        refs = [
            Reference(b, logic.labels(b), _by_tier(logic, logic.iris(b, DCT_SOURCE)))
            for b in sorted(logic.iris(item, EG + "basedOn"))
        ]
        known = {url for r in refs for url in r.urls}
        own = _by_tier(logic, logic.iris(item, DCT_SOURCE))
        refs.extend(Reference(url, {}, (url,)) for url in own if url not in known)
        return tuple(refs)

    @staticmethod
    def _rule(logic: _Triples, rule: str) -> dict[str, object]:
        when_value = logic.literal(rule, EG + "whenValue")
        gives = logic.literal(rule, EG + "givesAnswer")
        return {
            "reads": logic.iri(rule, EG + "readsFact"),
            "any_of": set(logic.iris(rule, EG + "whenAnyOf")),
            "all_in": set(logic.iris(rule, EG + "whenAllIn")),
            "when_value": None if when_value is None else when_value.value == "true",
            "gives": (gives.value == "true") if gives is not None else logic.iri(rule, EG + "givesConcept"),
            "overrides": set(logic.iris(rule, EG + "overridesRule")),
            "labels": logic.labels(rule),
            "references": DecisionModel._references(logic, rule),
        }

    def _load_concepts(self, store: OxigraphStore) -> None:
        self.concept_scheme: dict[str, str] = {}
        self.concept_rank: dict[str, int] = {}
        self.concept_labels: dict[str, dict[str, str]] = defaultdict(dict)
        for concept, scheme, rank, label in store.query(resources.read_text("queries", "concepts-and-properties")).rows:
            if not isinstance(concept, ox.NamedNode) or not isinstance(scheme, ox.NamedNode):
                continue
            self.concept_scheme[concept.value] = scheme.value
            if isinstance(rank, ox.Literal):
                self.concept_rank[concept.value] = int(rank.value)
            if isinstance(label, ox.Literal):
                self.concept_labels[concept.value][label.language or "en"] = label.value

    def at_least(self, bound: str) -> frozenset[str]:
        """The concepts of ``bound``'s scheme ranked at or above it."""
        scheme, rank = self.concept_scheme.get(bound), self.concept_rank.get(bound)
        if scheme is None or rank is None:
            return frozenset({bound})
        return frozenset(
            c for c, s in self.concept_scheme.items() if s == scheme and self.concept_rank.get(c, -1) >= rank
        )

    def label(self, iri: str, lang: str) -> str:
        labels = self.concept_labels.get(iri) or self.logic.labels(iri) or self.conditions.labels(iri)
        return labels.get(lang) or labels.get("en") or compact(iri)

    @cached_property
    def procedure_info(self) -> dict[str, dict[str, object]]:
        info: dict[str, dict[str, object]] = {}
        for p in self.procedures:
            info[p] = {
                "labels": self.logic.labels(p),
                "start": self.logic.iri(p, EG + "startNode"),
                "fact": self.logic.iri(p, EG + "derivesFact"),
                "applies_when": set(self.logic.iris(p, EG + "appliesWhen")),
                "settled_by": self.logic.iri(p, EG + "settledByFact"),
                "references": self._references(self.logic, p),
            }
        return info

    @cached_property
    def walk_reads(self) -> tuple[str, ...]:
        """Every fact the procedures read — the facts their questions ask, their answer rules read, they derive or
        are settled by, and the qualification they apply to: the facts that make a technology's walk pattern."""
        read = {str(d["fact"]) for _node, d in self.graph.nodes(data=True) if d["fact"]}
        read |= {str(rule["reads"]) for rule in self.rules.values() if rule["reads"]}
        for info in self.procedure_info.values():
            read |= {str(info[key]) for key in ("fact", "settled_by") if info[key]}
        return tuple(sorted(read | {QUALIFICATION}))

    @cached_property
    def gap(self) -> tuple[frozenset[str], frozenset[str]]:
        """The qualifications and the intended users of the evaluation gap (``eg:GapDefinition``)."""
        definitions = self.logic.subjects_of_type(EG + "GapDefinition")
        qualifications = {q for d in definitions for q in self.logic.iris(d, EG + "gapQualification")}
        users = {u for d in definitions for u in self.logic.iris(d, EG + "gapUser")}
        return frozenset(qualifications), frozenset(users)

    def outcomes(self, procedure: str) -> dict[str, str]:
        """The concepts the outcomes of ``procedure`` conclude, each with its outcome node."""
        return {
            data["concludes"]: node
            for node, data in self.graph.nodes(data=True)
            if data["kind"] == "outcome" and data["procedure"] == procedure and data["concludes"]
        }

    def lowest(self, concepts: Iterable[str]) -> str | None:
        """The lowest-ranked of ``concepts`` when they are all ranked in one scheme (the bound they share)."""
        values = list(concepts)
        schemes = {self.concept_scheme.get(c) for c in values}
        if not values or len(schemes) != 1 or any(c not in self.concept_rank for c in values):
            return None
        return min(values, key=lambda c: self.concept_rank[c])
