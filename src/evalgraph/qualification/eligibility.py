"""Whether a pathway, an obligation or a certification criterion applies to a technology, condition by condition.

Each condition tests one facet of the technology (``eg:onFacet``) against the values it requires, excludes or needs
(``eg:anyOf``, ``eg:noneOf``, ``eg:requiredValue``). A facet reads the property the ontology names for it
(``eg:facetProperty``) — the values stated or derived, or, when a procedure left a bound, the values still possible —
with four facets that read the graph instead: whether a CE marking is recorded (and, for what is not a device, that
none can be), the class of the CE marking or the derived risk class, whether the technology is recorded in the
pathway itself (pathways that select their products), and a national evaluation route (the qualification's own
answer). A pathway with a prerequisite pathway (``eg:prerequisitePathway``: LATM needs the ANS certificate) also
needs that one obtained. A condition the facts do not settle names the dossier field that would.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field

from evalgraph.qualification.conditions import (
    CE_MARKED_FACET,
    DEVICE_CLASS_FACET,
    NATIONAL_ROUTE_FACET,
    QUALIFICATION,
    SELECTED_FACET,
    Condition,
)
from evalgraph.qualification.facts import Facts, Value
from evalgraph.qualification.model import DecisionModel
from evalgraph.vocab import EG, EGV

NOT_A_DEVICE = EGV + "qualification-not-a-device"


@dataclass
class ConditionResult:
    condition: str
    facet: str | None
    status: str  # "met", "not-met", "undetermined"
    references: tuple[str, ...] = ()
    needs: str | None = None
    """The dossier field (property IRI) or prerequisite pathway that would settle an undetermined condition."""


@dataclass
class Eligibility:
    """Whether a pathway (or an obligation) applies to the technology, condition by condition: eligible, not
    eligible, or undetermined — *possible if* the fields its undetermined conditions name are filled."""

    target: str
    status: str  # "eligible", "not-eligible", "undetermined", "no-conditions"
    conditions: list[ConditionResult] = field(default_factory=list)
    national_route: bool = False
    application_date: str | None = None

    @property
    def needs(self) -> list[str]:
        return list(dict.fromkeys(c.needs for c in self.conditions if c.status == "undetermined" and c.needs))

    @property
    def failed(self) -> list[ConditionResult]:
        return [c for c in self.conditions if c.status == "not-met"]


def _facet_values(
    cond: Condition, target: str, facts: Facts, national: bool | None
) -> tuple[set[Value], frozenset[str] | None, str | None]:
    """The values a facet has on the technology, the values still possible (a bound), and the field to fill."""
    facet = cond.facet
    qualification = facts.get(QUALIFICATION)
    if facet == NATIONAL_ROUTE_FACET:
        return (set() if national is None else {national}), None, EG + "hasNationalRoute"
    if facet == SELECTED_FACET:
        return {target in facts.obtained}, None, None  # participations are recorded; absence is an answer here
    if facet == CE_MARKED_FACET:
        if facts.ce_markings:
            return {True}, None, None
        if qualification.values == {NOT_A_DEVICE}:
            return {False}, None, None  # what is not a device cannot bear a CE marking as one
        return set(), None, EG + "hasRegulatoryStatus"  # a missing record proves nothing
    if facet == DEVICE_CLASS_FACET:
        declared, derived = facts.get(EG + "deviceClass"), facts.get(EG + "riskClass")
        if qualification.values == {NOT_A_DEVICE}:
            return {NOT_A_DEVICE}, None, None
        return declared.values | derived.values, derived.possible, EG + "deviceClass"
    if cond.prop is None:
        return set(), None, None
    fact = facts.get(cond.prop)
    return set(fact.values), fact.possible, cond.prop


def condition(
    model: DecisionModel, condition_iri: str, target: str, facts: Facts, national: bool | None
) -> ConditionResult:
    return _condition(model.compiled.condition(condition_iri), target, facts, national)


def _condition(cond: Condition, target: str, facts: Facts, national: bool | None) -> ConditionResult:
    any_of, none_of = cond.any_of, cond.none_of
    values, possible, field_iri = _facet_values(cond, target, facts, national)
    if cond.required is not None:
        status = "undetermined" if not values else ("met" if values == {cond.required} else "not-met")
    elif any_of:
        if values:
            status = "met" if values & any_of else "not-met"
        elif possible is not None:
            status = "met" if possible <= any_of else ("not-met" if not possible & any_of else "undetermined")
        else:
            status = "undetermined"
    elif none_of:
        if values:
            status = "not-met" if values & none_of else "met"
        elif possible is not None:
            status = "not-met" if possible <= none_of else ("met" if not possible & none_of else "undetermined")
        else:
            status = "undetermined"
    else:
        status = "undetermined"
    return ConditionResult(
        cond.iri, cond.facet, status, cond.references, field_iri if status == "undetermined" else None
    )


def _prerequisite(
    model: DecisionModel, target: str, prerequisite: str, facts: Facts, national: bool | None
) -> ConditionResult:
    """A prerequisite pathway: met when obtained, not met when the technology is not eligible for it."""
    if prerequisite in facts.obtained:
        return ConditionResult(prerequisite, None, "met")
    if (
        target != prerequisite
        and eligibility(model, prerequisite, facts, national, nested=True).status == "not-eligible"
    ):
        return ConditionResult(prerequisite, None, "not-met")
    return ConditionResult(prerequisite, None, "undetermined", needs=prerequisite)


def eligibility(
    model: DecisionModel, target: str, facts: Facts, national: bool | None, *, nested: bool = False
) -> Eligibility:
    compiled = model.compiled.target(target)
    date = compiled.date
    for dated, dated_date in compiled.dated:  # the date that applies to this technology
        if _condition(dated, target, facts, national).status == "met" and dated_date is not None:
            date = dated_date
    result = Eligibility(target, "no-conditions", national_route=compiled.national_route, application_date=date)
    conditions = [_condition(cond, target, facts, national) for cond in compiled.conditions]
    if not nested:
        conditions += [_prerequisite(model, target, p, facts, national) for p in compiled.prerequisites]
    if not conditions:
        return result
    result.conditions = conditions
    statuses = {r.status for r in conditions}
    result.status = (
        "not-eligible" if "not-met" in statuses else ("undetermined" if "undetermined" in statuses else "eligible")
    )
    return result


def pattern(model: DecisionModel, facts: Facts) -> Hashable:
    """What eligibility reads of ``facts``: the values (or bound) of every property a condition reads, whether a CE
    marking is recorded and the pathways obtained. Two technologies with the same pattern get the same results."""
    known = tuple(
        (prop, frozenset(fact.values), fact.possible)
        for prop in model.compiled.reads
        if (fact := facts.by_property.get(prop)) is not None and (fact.values or fact.possible is not None)
    )
    return known, bool(facts.ce_markings), frozenset(facts.obtained)
