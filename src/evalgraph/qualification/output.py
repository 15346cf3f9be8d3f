"""A qualification as plain data (the JSON output and the web page) and as triples for the inferred graph."""

from __future__ import annotations

import pyoxigraph as ox

from evalgraph.qualification.eligibility import Eligibility
from evalgraph.qualification.facts import Value
from evalgraph.qualification.model import DecisionModel
from evalgraph.qualification.results import Qualification
from evalgraph.qualification.walk import Conclusion, Step
from evalgraph.vocab import EG, EGV, compact

XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"


def _concept(model: DecisionModel, iri: str | None, lang: str) -> dict[str, str] | None:
    return None if iri is None else {"iri": iri, "label": model.label(iri, lang)}


def _answer(model: DecisionModel, answer: Value | None, lang: str) -> object:
    if isinstance(answer, bool) or answer is None:
        return answer
    return _concept(model, answer, lang)


def _step(model: DecisionModel, s: Step, lang: str) -> dict[str, object]:
    return {
        "node": s.node,
        "question": model.label(s.node, lang),
        "fact": s.fact and compact(s.fact),
        "answer": _answer(model, s.answer, lang),
        "how": s.how,
        "rule": s.rule and {"iri": s.rule, "label": model.label(s.rule, lang)},
        "sources": [r.to_dict(lang) for r in s.references],
    }


def _conclusion(model: DecisionModel, c: Conclusion, lang: str) -> dict[str, object]:
    return {
        "procedure": c.procedure,
        "title": model.label(c.procedure, lang),
        "fact": compact(c.fact),
        "status": c.status,
        "value": _concept(model, c.value, lang),
        "at_least": _concept(model, c.at_least, lang),
        "possible": [_concept(model, v, lang) for v in c.possible],
        "if": [
            {
                "value": _concept(model, p.outcome, lang),
                "answers": [{"fact": compact(f), "answer": _answer(model, a, lang)} for f, a in p.assumed],
            }
            for p in c.paths
        ],
        "assuming": [_concept(model, q, lang) for q in c.assuming],
        "needs": [compact(n) for n in c.needs],
        "application_date": c.application_date,
        "stated": [_concept(model, v, lang) for v in c.stated],
        "steps": [_step(model, s, lang) for s in c.steps],
    }


def _eligibility(model: DecisionModel, e: Eligibility, lang: str) -> dict[str, object]:
    return {
        "iri": e.target,
        "label": model.label(e.target, lang),
        "status": e.status,
        "national_route": e.national_route,
        "application_date": e.application_date,
        "needs": [compact(n) for n in e.needs],
        "conditions": [
            {
                "iri": c.condition,
                "label": model.label(c.condition, lang),
                "status": c.status,
                "needs": c.needs and compact(c.needs),
                "sources": list(c.references),
            }
            for c in e.conditions
        ],
    }


def to_dict(model: DecisionModel, result: Qualification, lang: str) -> dict[str, object]:
    """The qualification as plain data (JSON output), with labels in ``lang`` and every step's sources; every
    pathway is listed, the not-eligible ones with the conditions they fail."""
    return {
        "technology": result.technology,
        "label": result.labels.get(lang) or result.labels.get("en"),
        "conclusions": [_conclusion(model, c, lang) for c in result.conclusions],
        "pathways": [_eligibility(model, e, lang) for e in result.pathways if e.status != "no-conditions"],
        "obtained": [
            {"pathway": p, "label": model.label(p, lang), "assessments": a} for p, a in sorted(result.obtained.items())
        ],
        "obligations": [_eligibility(model, e, lang) for e in result.obligations],
        "certification_criteria": [_eligibility(model, e, lang) for e in result.criteria],
        "evaluation_gap": result.gap,
        "evaluation_gap_needs": [compact(n) for n in result.gap_needs],
        "national_evaluation_obtained": result.national_evaluation,
        "national_route_open": result.national_route,
        "national_routes_possible": [
            {"iri": e.target, "label": model.label(e.target, lang), "needs": [compact(n) for n in e.needs]}
            for e in result.possible_routes
        ],
        "conflicts": [
            {"fact": compact(c.fact), "asserted": c.asserted, "derived": c.derived, "reason": c.reason}
            for c in result.conflicts
        ],
    }


def _boolean(tech: ox.NamedNode, prop: str, value: bool) -> ox.Triple:
    return ox.Triple(
        tech, ox.NamedNode(prop), ox.Literal("true" if value else "false", datatype=ox.NamedNode(XSD_BOOLEAN))
    )


def inferred_triples(result: Qualification) -> list[ox.Triple]:
    """What the qualification derived, as triples for the inferred graph."""
    tech = ox.NamedNode(result.technology)
    triples: list[ox.Triple] = []
    for c in result.conclusions:
        if c.assuming:
            continue
        if c.status == "determined" and c.value:
            triples.append(ox.Triple(tech, ox.NamedNode(c.fact), ox.NamedNode(c.value)))
        elif c.status in ("bounded", "undetermined"):
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
    if result.national_route is not None and result.national_route_derived:  # a stated value is not contradicted
        triples.append(_boolean(tech, EG + "hasNationalRoute", result.national_route))
    triples.append(_boolean(tech, EG + "hasNationalEvaluation", result.national_evaluation))
    if result.gap is not None:
        triples.append(_boolean(tech, EG + "inEvaluationGap", result.gap))
    return triples
