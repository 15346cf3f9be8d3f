"""Qualification engine: from a technology's facts to its qualification, class, IMDRF and AI Act categories,
eligible pathways, obligations and the evaluation-gap flag — each conclusion with the path of decisions that led
to it and their sources.

The decision logic is data (``kb/decision.ttl``, read with ``queries/decision-logic.rq``): :class:`DecisionModel`
turns it into a networkx ``MultiDiGraph`` whose nodes are questions and outcomes and whose edges are the branches
between them. :func:`qualify` walks that graph, procedure after procedure, with the facts of one technology
(``queries/technology-facts.rq``). A question is answered by the fact the technology states, or else by an
answer rule of the knowledge base (e.g. a diagnosis-aid purpose means the software informs diagnostic
decisions); with neither, the conclusion is *undetermined* and names the fact it needs, with the lowest value
the law still allows when the question carries one (``eg:atLeast``: "at least class IIa"). Nothing is guessed.
Pathway and obligation eligibility comes from their structured conditions (``queries/eligibility-conditions.rq``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import networkx as nx
import pyoxigraph as ox

from evalgraph import resources
from evalgraph.errors import UsageError
from evalgraph.store.oxigraph import IMPORT_GRAPH_BASE, OxigraphStore, open_store
from evalgraph.vocab import EG, EGV, compact, expand

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SKOS_PREFLABEL = "http://www.w3.org/2004/02/skos/core#prefLabel"
SKOS_IN_SCHEME = "http://www.w3.org/2004/02/skos/core#inScheme"
DCT_SOURCE = "http://purl.org/dc/terms/source"
XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"

QUALIFICATION = EG + "regulatoryQualification"
MDR = "https://w3id.org/evalgraph/id/law-mdr"
MDSW = (EGV + "qualification-mdsw-mdr", EGV + "qualification-mdsw-ivdr")
HEALTH_PROFESSIONAL = EGV + "user-health-professional"
NATIONAL_ROUTE_FACET = EGV + "facet-national-route"
CE_MARKED_FACET = EGV + "facet-ce-marked"
DEVICE_CLASS_FACET = EGV + "facet-device-class"

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


# ------------------------------------------------------------------------------------------------ decision model


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

    def subjects_of_type(self, type_iri: str) -> list[str]:
        cached = self._types.get(type_iri)
        if cached is None:
            cached = self._types[type_iri] = sorted(
                s
                for s, props in self.index.items()
                if any(isinstance(o, ox.NamedNode) and o.value == type_iri for o in props.get(RDF_TYPE, []))
            )
        return cached


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

    @staticmethod
    def _references(logic: _Triples, item: str) -> tuple[Reference, ...]:
        """The documents ``item`` rests on (with their labels and URLs), then its own source URLs."""
        refs = [
            Reference(b, logic.labels(b), tuple(sorted(logic.iris(b, DCT_SOURCE))))
            for b in sorted(logic.iris(item, EG + "basedOn"))
        ]
        known = {url for r in refs for url in r.urls}
        refs.extend(Reference(url, {}, (url,)) for url in sorted(logic.iris(item, DCT_SOURCE)) if url not in known)
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
                "references": self._references(self.logic, p),
            }
        return info


# ------------------------------------------------------------------------------------------------- conclusions


@dataclass
class Step:
    """One decision taken: the question, the answer and how it was obtained, the branch followed."""

    node: str
    fact: str | None
    answer: Value | None
    how: str  # "stated", "derived", "rule", "unknown", "outcome"
    rule: str | None = None
    branch: str | None = None
    references: tuple[Reference, ...] = ()


@dataclass
class Conclusion:
    """What one procedure concludes: a value, or undetermined with the facts it needs and a bound if any."""

    procedure: str
    fact: str
    status: str  # "determined", "undetermined", "not-applicable"
    value: str | None = None
    at_least: str | None = None
    needs: list[str] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    application_date: str | None = None
    stated: list[str] = field(default_factory=list)
    """What the graph states for this fact (used downstream when the logic cannot conclude)."""


@dataclass
class ConditionResult:
    condition: str
    facet: str | None
    status: str  # "met", "not-met", "undetermined"
    references: tuple[str, ...] = ()


@dataclass
class Eligibility:
    """Whether a pathway (or an obligation) applies to the technology, condition by condition."""

    target: str
    status: str  # "eligible", "not-eligible", "undetermined", "no-conditions"
    conditions: list[ConditionResult] = field(default_factory=list)
    national_route: bool = False
    application_date: str | None = None


@dataclass
class Conflict:
    """An asserted fact that contradicts a derived one."""

    fact: str
    asserted: str
    derived: str
    reason: str  # "different" or "below"


@dataclass
class Qualification:
    technology: str
    labels: dict[str, str]
    conclusions: list[Conclusion]
    pathways: list[Eligibility]
    obtained: dict[str, list[str]]
    obligations: list[Eligibility]
    gap: bool | None
    gap_needs: list[str]
    conflicts: list[Conflict]
    national_route: bool | None = None
    national_route_derived: bool = False
    criteria: list[Eligibility] = field(default_factory=list)

    @property
    def applicable_criteria(self) -> list[str]:
        return [c.target for c in self.criteria if c.status == "eligible"]

    def conclusion(self, fact: str) -> Conclusion | None:
        return next((c for c in self.conclusions if c.fact == fact), None)

    @property
    def eligible_pathways(self) -> list[str]:
        return [p.target for p in self.pathways if p.status == "eligible"]

    @property
    def applicable_obligations(self) -> list[str]:
        return [o.target for o in self.obligations if o.status == "eligible"]


# ------------------------------------------------------------------------------------------------------- engine


def _answer(model: DecisionModel, node: dict[str, object], facts: Facts) -> tuple[Value | None, str, str | None]:
    """Answer a question from the stated fact, else from the first answer rule that applies."""
    fact_iri = node["fact"]
    assert isinstance(fact_iri, str)
    fact = facts.get(fact_iri)
    if fact.known:
        if len(fact.values) == 1:
            return next(iter(fact.values)), fact.origin, None
        return None, "unknown", None  # several values for a single-answer question: not decidable
    answers: set[Value] = set()
    chosen: str | None = None
    for rule_iri in node["rules"]:  # type: ignore[attr-defined]
        rule = model.rules.get(rule_iri)
        if rule is None or rule["gives"] is None:
            continue
        if _rule_applies(rule, facts):
            answers.add(rule["gives"])  # type: ignore[arg-type]
            chosen = chosen or rule_iri
    if len(answers) == 1:
        return next(iter(answers)), "rule", chosen
    return None, "unknown", None


def _rule_applies(rule: dict[str, object], facts: Facts) -> bool:
    fact = facts.get(rule["reads"])  # type: ignore[arg-type]
    any_of, all_in = rule["any_of"], rule["all_in"]
    assert isinstance(any_of, set) and isinstance(all_in, set)
    if rule["when_value"] is not None:
        return fact.values == {rule["when_value"]}
    if any_of:
        if fact.values & any_of:
            return True
        return fact.possible is not None and not fact.values and fact.possible <= any_of
    if all_in:
        if fact.values:
            return fact.values <= all_in
        return fact.possible is not None and fact.possible <= all_in
    return False


def _walk(model: DecisionModel, procedure: str, facts: Facts) -> Conclusion:
    info = model.procedure_info[procedure]
    fact_iri = str(info["fact"])
    conclusion = Conclusion(procedure, fact_iri, "undetermined")
    node_iri = info["start"]
    seen: set[str] = set()
    while isinstance(node_iri, str) and node_iri not in seen:
        seen.add(node_iri)
        node = model.graph.nodes[node_iri]
        if node["kind"] == "outcome":
            conclusion.status, conclusion.value = "determined", node["concludes"]
            conclusion.steps.append(Step(node_iri, None, node["concludes"], "outcome", references=node["references"]))
            return conclusion
        answer, how, rule = _answer(model, node, facts)
        if answer is None:
            conclusion.steps.append(Step(node_iri, node["fact"], None, "unknown", references=node["references"]))
            conclusion.needs.append(node["fact"])
            conclusion.at_least = node["at_least"]
            return conclusion
        branch = next(
            (
                (target, data)
                for _, target, data in model.graph.out_edges(node_iri, data=True)
                if data["answer"] == answer
            ),
            None,
        )
        rule_refs = model.rules[rule]["references"] if rule else ()
        if branch is None:
            conclusion.steps.append(Step(node_iri, node["fact"], answer, how, rule, references=node["references"]))
            conclusion.needs.append(node["fact"])
            conclusion.at_least = node["at_least"]
            return conclusion
        target, data = branch
        references = tuple(dict.fromkeys((*node["references"], *rule_refs)))  # type: ignore[misc]
        conclusion.steps.append(Step(node_iri, node["fact"], answer, how, rule, data["branch"], references))
        node_iri = target
    return conclusion


def _condition(model: DecisionModel, condition: str, facts: Facts, national: bool | None) -> ConditionResult:
    c = model.conditions
    facet = c.iri(condition, EG + "onFacet")
    any_of, none_of = set(c.iris(condition, EG + "anyOf")), set(c.iris(condition, EG + "noneOf"))
    required = c.literal(condition, EG + "requiredValue")
    refs = tuple(c.iris(condition, DCT_SOURCE))
    values: set[Value]
    if facet == NATIONAL_ROUTE_FACET:
        values = set() if national is None else {national}
    elif facet == CE_MARKED_FACET:
        values = {True} if facts.ce_markings else set()  # a recorded CE marking proves it; its absence proves nothing
    elif facet == DEVICE_CLASS_FACET:
        values = facts.get(EG + "deviceClass").values | facts.get(EG + "riskClass").values
    else:
        prop = c.iri(facet, EG + "facetProperty") if facet else None
        values = facts.get(prop).values if prop else set()
    if required is not None:
        expected = required.value == "true"
        status = "undetermined" if not values else ("met" if values == {expected} else "not-met")
    elif any_of:
        status = "met" if values & any_of else ("not-met" if values else "undetermined")
    elif none_of:
        status = "not-met" if values & none_of else ("met" if values else "undetermined")
    else:
        status = "undetermined"
    return ConditionResult(condition, facet, status, refs)


def _eligibility(model: DecisionModel, target: str, facts: Facts, national: bool | None) -> Eligibility:
    conditions = model.conditions.iris(target, EG + "eligibilityCondition")
    national_flag = model.conditions.literal(target, EG + "isNationalRoute")
    dates = sorted(
        lit.value
        for basis in model.conditions.iris(target, EG + "legalBasis")
        if (lit := model.conditions.literal(basis, EG + "applicationDate")) is not None
    )
    result = Eligibility(
        target,
        "no-conditions",
        national_route=national_flag is not None and national_flag.value == "true",
        application_date=dates[-1] if dates else None,
    )
    if not conditions:
        return result
    result.conditions = [_condition(model, cond, facts, national) for cond in sorted(conditions)]
    statuses = {r.status for r in result.conditions}
    result.status = (
        "not-eligible" if "not-met" in statuses else ("undetermined" if "undetermined" in statuses else "eligible")
    )
    return result


def qualify(model: DecisionModel, facts: Facts) -> Qualification:
    """Walk every procedure with ``facts``, then evaluate pathways, obligations, the gap and conflicts."""
    stated = {prop: set(f.values) for prop, f in facts.by_property.items()}
    conclusions: list[Conclusion] = []
    for procedure in model.procedures:
        info = model.procedure_info[procedure]
        fact_iri = str(info["fact"])
        applies_when = info["applies_when"]
        assert isinstance(applies_when, set)
        if applies_when:
            qualification = facts.get(QUALIFICATION)
            if not qualification.known:
                conclusion = Conclusion(procedure, fact_iri, "undetermined", needs=[QUALIFICATION])
                conclusions.append(conclusion)
                continue
            if not qualification.values & applies_when:
                conclusions.append(Conclusion(procedure, fact_iri, "not-applicable"))
                continue
        conclusion = _walk(model, procedure, facts)
        conclusion.stated = sorted(str(v) for v in facts.stated(fact_iri))
        if conclusion.status == "determined" and conclusion.value:
            facts.by_property[fact_iri] = Fact({conclusion.value}, origin="derived")
            outcome = conclusion.steps[-1].node
            dates = [
                lit.value
                for basis in model.logic.iris(outcome, EG + "basedOn")
                if (lit := model.logic.literal(basis, EG + "applicationDate")) is not None
            ]
            conclusion.application_date = min(dates) if dates else None
        elif conclusion.at_least and not facts.get(fact_iri).known:  # a stated value stays; else the bound
            facts.by_property[fact_iri] = Fact(set(), possible=model.at_least(conclusion.at_least), origin="derived")
        conclusions.append(conclusion)

    targets_pathway = model.conditions.subjects_of_type(EG + "EvaluationPathway")
    first = [_eligibility(model, p, facts, None) for p in targets_pathway]
    national_statuses = {e.status for e in first if e.national_route}
    obtained_national = any(
        p in facts.obtained for p in targets_pathway if next(e for e in first if e.target == p).national_route
    )
    national: bool | None
    stated_national = facts.stated(EG + "hasNationalRoute")
    if len(stated_national) == 1:
        national = bool(next(iter(stated_national)))
    elif "eligible" in national_statuses or obtained_national:
        national = True
    elif "undetermined" in national_statuses:
        national = None
    else:
        national = False
    pathways = [_eligibility(model, p, facts, national) for p in targets_pathway]
    obligations = [
        _eligibility(model, o, facts, national) for o in model.conditions.subjects_of_type(EG + "LegalObligation")
    ]
    criteria = [
        _eligibility(model, c, facts, national)
        for c in model.conditions.subjects_of_type(EG + "CertificationCriterion")
    ]

    gap, gap_needs = _gap(facts, national)
    if national is not None and not stated_national:
        facts.by_property[EG + "hasNationalRoute"] = Fact({national}, origin="derived")
    conflicts = _conflicts(model, stated, facts, conclusions)
    return Qualification(
        facts.technology,
        facts.labels,
        conclusions,
        pathways,
        facts.obtained,
        obligations,
        gap,
        gap_needs,
        conflicts,
        national,
        not stated_national,
        criteria,
    )


def _gap(facts: Facts, national: bool | None) -> tuple[bool | None, list[str]]:
    """In the gap: medical device software, used by health professionals, with no national evaluation route."""
    needs: list[str] = []
    qualification = facts.get(QUALIFICATION).values
    users = facts.get(EG + "intendedUser").values
    parts: list[bool | None] = [
        bool(qualification & set(MDSW)) if qualification else None,
        (HEALTH_PROFESSIONAL in users) if users else None,
        (not national) if national is not None else None,
    ]
    for part, need in zip(parts, (QUALIFICATION, EG + "intendedUser", NATIONAL_ROUTE_FACET), strict=True):
        if part is None:
            needs.append(need)
    if any(p is False for p in parts):
        return False, []
    if needs:
        return None, needs
    return True, []


def _conflicts(
    model: DecisionModel, stated: dict[str, set[Value]], facts: Facts, conclusions: list[Conclusion]
) -> list[Conflict]:
    conflicts: list[Conflict] = []
    for conclusion in conclusions:
        asserted = {v for v in stated.get(conclusion.fact, set()) if isinstance(v, str)}
        if conclusion.status == "determined" and conclusion.value and asserted and conclusion.value not in asserted:
            conflicts.extend(Conflict(conclusion.fact, a, conclusion.value, "different") for a in sorted(asserted))
    derived = [c for c in conclusions if c.fact == EG + "riskClass" and (c.value or c.at_least)]
    for conclusion in derived:
        floor = conclusion.value or conclusion.at_least
        assert floor is not None
        floor_rank = model.concept_rank.get(floor)
        under_mdr = {m: c for m, c in facts.ce_markings.items() if facts.ce_regulations.get(m) == MDR}
        for declared in sorted({c for c in under_mdr.values() if c}):
            rank = model.concept_rank.get(declared)
            same_scheme = model.concept_scheme.get(declared) == model.concept_scheme.get(floor)
            if same_scheme and rank is not None and floor_rank is not None and rank < floor_rank:
                conflicts.append(Conflict(EG + "deviceClass", declared, floor, "below"))
    return conflicts


# ------------------------------------------------------------------------------------------- output and storage


def _text(model: DecisionModel, iri: str | None, lang: str) -> str | None:
    return None if iri is None else model.label(iri, lang)


def to_dict(model: DecisionModel, result: Qualification, lang: str) -> dict[str, object]:
    """The qualification as plain data (JSON output), with labels in ``lang`` and every step's sources."""

    def answer_text(answer: Value | None) -> object:
        if isinstance(answer, bool) or answer is None:
            return answer
        return {"iri": answer, "label": model.label(answer, lang)}

    def step(s: Step) -> dict[str, object]:
        return {
            "node": s.node,
            "question": model.label(s.node, lang),
            "fact": s.fact and compact(s.fact),
            "answer": answer_text(s.answer),
            "how": s.how,
            "rule": s.rule and {"iri": s.rule, "label": model.label(s.rule, lang)},
            "sources": [r.to_dict(lang) for r in s.references],
        }

    def eligibility(e: Eligibility) -> dict[str, object]:
        return {
            "iri": e.target,
            "label": model.label(e.target, lang),
            "status": e.status,
            "national_route": e.national_route,
            "application_date": e.application_date,
            "conditions": [
                {
                    "iri": c.condition,
                    "label": model.label(c.condition, lang),
                    "status": c.status,
                    "sources": list(c.references),
                }
                for c in e.conditions
            ],
        }

    return {
        "technology": result.technology,
        "label": result.labels.get(lang) or result.labels.get("en"),
        "conclusions": [
            {
                "procedure": c.procedure,
                "title": model.label(c.procedure, lang),
                "fact": compact(c.fact),
                "status": c.status,
                "value": c.value and {"iri": c.value, "label": model.label(c.value, lang)},
                "at_least": c.at_least and {"iri": c.at_least, "label": model.label(c.at_least, lang)},
                "needs": [compact(n) for n in c.needs],
                "application_date": c.application_date,
                "stated": [{"iri": v, "label": model.label(v, lang)} for v in c.stated],
                "steps": [step(s) for s in c.steps],
            }
            for c in result.conclusions
        ],
        "pathways": [eligibility(e) for e in result.pathways if e.status != "no-conditions"],
        "obtained": [
            {"pathway": p, "label": model.label(p, lang), "assessments": a} for p, a in sorted(result.obtained.items())
        ],
        "obligations": [eligibility(e) for e in result.obligations],
        "certification_criteria": [eligibility(e) for e in result.criteria],
        "evaluation_gap": result.gap,
        "evaluation_gap_needs": [compact(n) for n in result.gap_needs],
        "conflicts": [
            {"fact": compact(c.fact), "asserted": c.asserted, "derived": c.derived, "reason": c.reason}
            for c in result.conflicts
        ],
    }


def inferred_triples(result: Qualification) -> list[ox.Triple]:
    """What the qualification derived, as triples for the inferred graph."""
    tech = ox.NamedNode(result.technology)
    triples: list[ox.Triple] = []
    for c in result.conclusions:
        if c.status == "determined" and c.value:
            triples.append(ox.Triple(tech, ox.NamedNode(c.fact), ox.NamedNode(c.value)))
        if c.status == "undetermined":
            if c.at_least and c.fact == EG + "riskClass":
                triples.append(ox.Triple(tech, ox.NamedNode(EG + "riskClassAtLeast"), ox.NamedNode(c.at_least)))
            triples.extend(
                ox.Triple(tech, ox.NamedNode(EG + "needsFact"), ox.NamedNode(n))
                for n in c.needs
                if not n.startswith(EGV)
            )
    triples.extend(ox.Triple(tech, ox.NamedNode(EG + "eligibleFor"), ox.NamedNode(p)) for p in result.eligible_pathways)
    triples.extend(
        ox.Triple(tech, ox.NamedNode(EG + "subjectToObligation"), ox.NamedNode(o))
        for o in result.applicable_obligations
    )
    triples.extend(
        ox.Triple(tech, ox.NamedNode(EG + "concernedByCriterion"), ox.NamedNode(c)) for c in result.applicable_criteria
    )
    if result.national_route is not None and result.national_route_derived:
        triples.append(
            ox.Triple(
                tech,
                ox.NamedNode(EG + "hasNationalRoute"),
                ox.Literal("true" if result.national_route else "false", datatype=ox.NamedNode(XSD_BOOLEAN)),
            )
        )
    if result.gap is not None:
        triples.append(
            ox.Triple(
                tech,
                ox.NamedNode(EG + "inEvaluationGap"),
                ox.Literal("true" if result.gap else "false", datatype=ox.NamedNode(XSD_BOOLEAN)),
            )
        )
    return triples


def qualify_dossier(
    triples: Iterable[ox.Triple],
    override: Path | None = None,
    *,
    source: str = "dossier",
) -> tuple[DecisionModel, list[Qualification]]:
    """Qualify every technology a dossier describes, against the ontology and knowledge base in a scratch
    in-memory store (no persistent store is opened); statements about reference terms are left out, as in
    validation."""
    from evalgraph.dossiers import validation
    from evalgraph.store import kb

    kept, _ignored = validation.engine(override).without_reference_statements(triples)
    scratch = open_store(None)
    kb.ensure_loaded(scratch, override, datasets=("ontology", "kb"))
    scratch.write_graph(kept, IMPORT_GRAPH_BASE + "dossier", source=source)
    model = DecisionModel(scratch)
    return model, [qualify(model, read_facts(scratch, iri)) for iri, _labels in technologies(scratch)]


def resolve_technology(store: OxigraphStore, name: str) -> str:
    """The IRI of the technology ``name`` names: an IRI, a prefixed name (``egr:tech-boneview``), or a label, exact
    or partial, that only one technology has; :class:`UsageError` naming the candidates otherwise."""
    techs = technologies(store)
    expanded = expand(name)
    if any(iri == expanded for iri, _ in techs):
        return expanded
    wanted = name.casefold()
    exact = [iri for iri, labels in techs if any(v.casefold() == wanted for v in labels.values())]
    if len(exact) == 1:
        return exact[0]
    partial = [iri for iri, labels in techs if any(wanted in v.casefold() for v in labels.values())]
    if len(partial) == 1:
        return partial[0]
    candidates = exact or partial
    if candidates:
        raise UsageError("technology_ambiguous", name=name, candidates=", ".join(map(compact, candidates)))
    raise UsageError("technology_unknown", name=name)
