"""The eligibility conditions of the knowledge base compiled once per :class:`~.model.DecisionModel`: each pathway,
obligation or criterion with its conditions, prerequisites and application dates read from the graph of
``queries/eligibility-conditions.rq`` once, instead of once per technology; and the results of eligibility kept per
*fact pattern* — the values of the few facts the conditions read — so that technologies sharing a pattern (most of
a registry) are evaluated once per run."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Protocol

import pyoxigraph as ox

from evalgraph.vocab import EG, EGV

DCT_SOURCE = "http://purl.org/dc/terms/source"
PRODUCT = EGV + "object-product"
QUALIFICATION = EG + "regulatoryQualification"
NATIONAL_ROUTE_FACET = EGV + "facet-national-route"
CE_MARKED_FACET = EGV + "facet-ce-marked"
DEVICE_CLASS_FACET = EGV + "facet-device-class"
SELECTED_FACET = EGV + "facet-selected-for-pathway"
SPECIAL_FACETS = frozenset({NATIONAL_ROUTE_FACET, CE_MARKED_FACET, DEVICE_CLASS_FACET, SELECTED_FACET})
"""Facets that read the graph or the qualification's own answer instead of their property (:mod:`.eligibility`)."""
TARGET_TYPES = (EG + "EvaluationPathway", EG + "LegalObligation", EG + "CertificationCriterion")
ALWAYS_READ = (QUALIFICATION, EG + "deviceClass", EG + "riskClass")
"""Facts the special facets read besides the facets' own properties (qualification, declared and derived class)."""
MAX_PATTERNS = 4096
"""Results kept per model; the cache starts again empty past it (a long-lived model meets unbounded patterns)."""


class Index(Protocol):
    """Subject → property → values index of the conditions graph (``model._Triples``)."""

    def iris(self, subject: str, prop: str) -> list[str]: ...

    def iri(self, subject: str, prop: str) -> str | None: ...

    def literal(self, subject: str, prop: str) -> ox.Literal | None: ...

    def subjects_of_type(self, type_iri: str) -> list[str]: ...


@dataclass(frozen=True)
class Condition:
    """One condition: the facet it tests, the property the facet reads, the values required, accepted or excluded."""

    iri: str
    facet: str | None
    prop: str | None
    any_of: frozenset[str]
    none_of: frozenset[str]
    required: bool | None
    references: tuple[str, ...]


@dataclass(frozen=True)
class Target:
    """A pathway, obligation or criterion: whether it is a national route for the product, its default application
    date, the conditions that select another date (in order), its conditions and prerequisites (both sorted)."""

    iri: str
    national_route: bool
    date: str | None
    dated: tuple[tuple[Condition, str | None], ...]
    conditions: tuple[Condition, ...]
    prerequisites: tuple[str, ...]


@dataclass
class Rules:
    """The compiled conditions of one model, and the results of the fact patterns met so far (eligibility, and the
    procedures' walks: :mod:`.engine`)."""

    index: Index
    _conditions: dict[str, Condition] = field(default_factory=dict)
    _targets: dict[str, Target] = field(default_factory=dict)
    results: dict[Hashable, object] = field(default_factory=dict)

    def __post_init__(self) -> None:
        targets = [self.target(t) for kind in TARGET_TYPES for t in self.index.subjects_of_type(kind)]
        targets += [self.target(p) for t in list(targets) for p in t.prerequisites]  # evaluated nested, one level
        conditions = [c for t in targets for c in (*t.conditions, *(d for d, _date in t.dated))]
        read = {c.prop for c in conditions if c.prop and c.facet not in SPECIAL_FACETS}
        self.reads: tuple[str, ...] = tuple(sorted(read | set(ALWAYS_READ)))
        """Every property a condition reads: the facts that make a technology's fact pattern."""

    def condition(self, iri: str) -> Condition:
        found = self._conditions.get(iri)
        if found is None:
            c = self.index
            facet = c.iri(iri, EG + "onFacet")
            required = c.literal(iri, EG + "requiredValue")
            found = self._conditions[iri] = Condition(
                iri,
                facet,
                c.iri(facet, EG + "facetProperty") if facet else None,
                frozenset(c.iris(iri, EG + "anyOf")),
                frozenset(c.iris(iri, EG + "noneOf")),
                None if required is None else required.value == "true",
                tuple(c.iris(iri, DCT_SOURCE)),
            )
        return found

    def target(self, iri: str) -> Target:
        found = self._targets.get(iri)
        if found is None:
            found = self._targets[iri] = self._compile(iri)
        return found

    def _compile(self, iri: str) -> Target:
        c = self.index
        flag = c.literal(iri, EG + "isNationalRoute")
        objects = set(c.iris(iri, EG + "objectEvaluated"))
        dates = sorted(
            lit.value for basis in c.iris(iri, EG + "legalBasis") if (lit := c.literal(basis, EG + "applicationDate"))
        )
        own = c.literal(iri, EG + "applicationDate")
        dates = [own.value] if own is not None else dates[-1:]
        dated = tuple(
            (self.condition(d), lit.value if (lit := c.literal(d, EG + "applicationDate")) else None)
            for d in sorted(c.iris(iri, EG + "applicationDateFor"))
        )
        return Target(
            iri,
            # a national route *for the product*: evaluating the act a product is used in is not evaluating it
            flag is not None and flag.value == "true" and (not objects or PRODUCT in objects),
            dates[0] if dates else None,
            dated,
            tuple(self.condition(x) for x in sorted(c.iris(iri, EG + "eligibilityCondition"))),
            tuple(sorted(c.iris(iri, EG + "prerequisitePathway"))),
        )

    def remember(self, key: Hashable, value: object) -> None:
        if len(self.results) >= MAX_PATTERNS:
            self.results.clear()
        self.results[key] = value
