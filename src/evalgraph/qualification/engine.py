"""Qualification engine: from a technology's facts to its qualification, class, IMDRF and AI Act categories, HAS
functional level, eligible pathways, obligations and the evaluation gap — each conclusion with the path of decisions
that led to it and their sources.

The decision logic is data (``kb/decision.ttl``, read with ``queries/decision-logic.rq``): :class:`DecisionModel`
turns it into a networkx graph and :func:`walk` follows it, procedure after procedure, with the facts of one
technology (``queries/technology-facts.rq``); where a question stays open every branch is followed and the
conclusion is the bound that holds on all of them. Nothing is guessed. Pathway and obligation eligibility comes
from their structured conditions (``queries/eligibility-conditions.rq``, :mod:`.eligibility`).

The evaluation gap is two determinate answers and their conjunction: *no national evaluation obtained* (observed:
no assessment under a national route for the product is recorded) and *no national route open* (no national route
is eligible on the stated facts; routes that depend on an unstated fact are listed as possible, with the fields to
fill). A technology is *in the gap* when it is medical device software used by health professionals and both hold.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import cast

import pyoxigraph as ox

from evalgraph.errors import UsageError
from evalgraph.qualification.conditions import QUALIFICATION
from evalgraph.qualification.eligibility import ConditionResult, Eligibility, eligibility, pattern
from evalgraph.qualification.facts import Fact, Facts, Value, read_all_facts, read_facts, technologies
from evalgraph.qualification.model import DecisionModel, Reference
from evalgraph.qualification.output import inferred_triples, to_dict
from evalgraph.qualification.results import Conflict, Qualification
from evalgraph.qualification.walk import Conclusion, Step, walk
from evalgraph.store.oxigraph import IMPORT_GRAPH_BASE, OxigraphStore, open_store
from evalgraph.vocab import EG, compact, expand

__all__ = [
    "Conclusion", "ConditionResult", "Conflict", "DecisionModel", "Eligibility", "Fact", "Facts", "Qualification",
    "Reference", "Step", "Value", "inferred_triples", "qualify", "qualify_dossier", "read_all_facts", "read_facts",
    "resolve_technology", "technologies", "to_dict",
]  # fmt: skip

MDR = "https://w3id.org/evalgraph/id/law-mdr"
INTENDED_USER = EG + "intendedUser"


# ------------------------------------------------------------------------------------------------------- engine


def _applicability(model: DecisionModel, procedure: str, facts: Facts) -> tuple[bool, list[str]]:
    """Whether ``procedure`` applies given the qualification (or its possible values), and the qualifications it
    then assumes when only some of the possible ones are those it applies to."""
    applies_when = model.procedure_info[procedure]["applies_when"]
    assert isinstance(applies_when, set)
    if not applies_when:
        return True, []
    qualification = facts.get(QUALIFICATION)
    candidates = set(qualification.values) or set(qualification.possible or ())
    if not candidates:
        return True, sorted(applies_when)
    if not candidates & applies_when:
        return False, []
    return True, ([] if candidates <= applies_when else sorted(candidates & applies_when))  # type: ignore[arg-type]


def _settle(model: DecisionModel, conclusion: Conclusion, facts: Facts) -> None:
    """A declared value (``eg:settledByFact``: the class of a CE marking) settles a procedure the walk left open,
    when it is one of the outcomes still possible."""
    settled_by = model.procedure_info[conclusion.procedure]["settled_by"]
    if conclusion.status == "determined" or not isinstance(settled_by, str):
        return
    allowed = set(conclusion.possible) or set(model.outcomes(conclusion.procedure))
    declared = {v for v in facts.get(settled_by).values if isinstance(v, str)} & allowed
    if len(declared) == 1:
        value = next(iter(declared))
        conclusion.steps.append(Step(conclusion.procedure, settled_by, value, "declared"))
        conclusion.status, conclusion.value, conclusion.at_least, conclusion.needs = "determined", value, None, []


def _run(model: DecisionModel, procedure: str, facts: Facts) -> Conclusion:
    fact_iri = str(model.procedure_info[procedure]["fact"])
    applies, assuming = _applicability(model, procedure, facts)
    if not applies:
        return Conclusion(procedure, fact_iri, "not-applicable")
    conclusion = walk(model, procedure, facts)
    conclusion.assuming = assuming
    _settle(model, conclusion, facts)
    conclusion.stated = sorted(str(v) for v in facts.stated(fact_iri))
    if assuming:  # holds only under a qualification not established: nothing derived for what follows
        return conclusion
    if conclusion.status == "determined" and conclusion.value:
        facts.by_property[fact_iri] = Fact({conclusion.value}, origin="derived")
        outcome = model.outcomes(procedure).get(conclusion.value)
        dates = [
            lit.value
            for basis in model.logic.iris(outcome or "", EG + "basedOn")
            if (lit := model.logic.literal(basis, EG + "applicationDate")) is not None
        ]
        conclusion.application_date = min(dates) if dates else None
    elif conclusion.possible and not facts.get(fact_iri).known:  # a stated value stays; else the bound
        facts.by_property[fact_iri] = Fact(set(), possible=frozenset(conclusion.possible), origin="derived")
    return conclusion


def qualify(model: DecisionModel, facts: Facts) -> Qualification:
    """Walk every procedure with ``facts``, then evaluate pathways, obligations, the gap and conflicts."""
    stated = {prop: set(f.values) for prop, f in facts.by_property.items()}
    conclusions = _conclusions(model, facts)
    stated_route = facts.stated(EG + "hasNationalRoute")
    obtained, route_open, pathways, obligations, criteria = _eligibilities(model, facts)
    qualification = next((x for x in conclusions if x.fact == QUALIFICATION), None)
    gap, gap_needs = _gap(model, facts, obtained, route_open, qualification)
    return Qualification(
        facts.technology,
        facts.labels,
        conclusions,
        pathways,
        facts.obtained,
        obligations,
        gap,
        gap_needs,
        _conflicts(model, stated, facts, conclusions) + _route_conflicts(stated_route, route_open),
        route_open,
        not stated_route,
        criteria,
        obtained,
    )


Walked = tuple[list[Conclusion], dict[str, Fact | None]]


def _conclusions(model: DecisionModel, facts: Facts) -> list[Conclusion]:
    """Every procedure walked with ``facts``, which then hold what the walks derived — once per *walk pattern* (the
    values, bound and origin of every fact the procedures read) and model: technologies with the same pattern share
    the (read-only) conclusions, each in a list of its own, and get the same derived facts."""
    key = (
        "walk",
        tuple(
            (prop, frozenset(fact.values), fact.possible, fact.origin)
            for prop in model.walk_reads
            if (fact := facts.by_property.get(prop)) is not None
        ),
    )
    found = cast("Walked | None", model.compiled.results.get(key))
    if found is None:
        conclusions = [_run(model, procedure, facts) for procedure in model.procedures]
        derived = {
            str(info["fact"]): facts.by_property.get(str(info["fact"])) for info in model.procedure_info.values()
        }
        found = (
            conclusions,
            {p: None if f is None else Fact(set(f.values), f.possible, f.origin) for p, f in derived.items()},
        )
        model.compiled.remember(key, found)
        return list(conclusions)
    conclusions, derived = found
    for prop, fact in derived.items():
        if fact is None:
            facts.by_property.pop(prop, None)
        else:
            facts.by_property[prop] = Fact(set(fact.values), fact.possible, fact.origin)
    return list(conclusions)


Eligibilities = tuple[bool, bool, list[Eligibility], list[Eligibility], list[Eligibility]]


def _eligibilities(model: DecisionModel, facts: Facts) -> Eligibilities:
    """Whether a national evaluation was obtained, whether a national route is open, and the eligibility of every
    pathway, obligation and criterion — computed once per fact pattern (:func:`.eligibility.pattern`) and model:
    technologies with the same pattern share the (read-only) results, each in lists of its own."""
    key = pattern(model, facts)
    found = cast("Eligibilities | None", model.compiled.results.get(key))
    if found is None:
        c = model.conditions
        targets = c.subjects_of_type(EG + "EvaluationPathway")
        first = [eligibility(model, p, facts, None) for p in targets]
        national_routes = [e for e in first if e.national_route]
        obtained = any(e.target in facts.obtained for e in national_routes)
        route_open = obtained or any(e.status == "eligible" for e in national_routes)
        facts.by_property[EG + "hasNationalRoute"] = Fact({route_open}, origin="derived")
        found = (
            obtained,
            route_open,
            [eligibility(model, p, facts, route_open) for p in targets],
            [eligibility(model, o, facts, route_open) for o in c.subjects_of_type(EG + "LegalObligation")],
            [eligibility(model, x, facts, route_open) for x in c.subjects_of_type(EG + "CertificationCriterion")],
        )
        model.compiled.remember(key, found)
    obtained, route_open, pathways, obligations, criteria = found
    facts.by_property[EG + "hasNationalRoute"] = Fact({route_open}, origin="derived")
    return obtained, route_open, list(pathways), list(obligations), list(criteria)


def _gap(
    model: DecisionModel, facts: Facts, obtained: bool, route_open: bool, qualification: Conclusion | None
) -> tuple[bool | None, list[str]]:
    """In the gap (``egr:evaluation-gap``): one of the gap's qualifications (medical device software, MDR or
    IVDR), for one of its users (health professionals), with no national evaluation obtained and no national route
    open. Undetermined only when the qualification or the users are."""
    gap_qualifications, gap_users = model.gap
    q = facts.get(QUALIFICATION)
    candidates = set(q.values) or set(q.possible or ())
    mdsw: bool | None = None
    if candidates and candidates <= gap_qualifications:
        mdsw = True
    elif candidates and not candidates & gap_qualifications:
        mdsw = False
    users = facts.get(INTENDED_USER).values
    professional = bool(users & gap_users) if users else None
    if mdsw is False or professional is False or obtained or route_open:
        return False, []
    needs: list[str] = []
    if mdsw is None:
        needs.extend((qualification.needs if qualification and qualification.needs else None) or [QUALIFICATION])
    if professional is None:
        needs.append(INTENDED_USER)
    return (None, needs) if needs else (True, [])


def _route_conflicts(stated: set[Value], derived: bool) -> list[Conflict]:
    """A stated eg:hasNationalRoute that the pathways' conditions contradict (the derived value is then not written,
    so that the graph stays consistent: the property is functional)."""
    return [
        Conflict(EG + "hasNationalRoute", str(v).lower(), str(derived).lower(), "different")
        for v in sorted(stated, key=str)
        if v != derived
    ]


def _conflicts(
    model: DecisionModel, stated: dict[str, set[Value]], facts: Facts, conclusions: list[Conclusion]
) -> list[Conflict]:
    conflicts: list[Conflict] = []
    for conclusion in conclusions:
        asserted = {v for v in stated.get(conclusion.fact, set()) if isinstance(v, str)}
        if conclusion.status == "determined" and conclusion.value and asserted and conclusion.value not in asserted:
            conflicts.extend(Conflict(conclusion.fact, a, conclusion.value, "different") for a in sorted(asserted))
    for conclusion in conclusions:
        if conclusion.fact != EG + "riskClass" or conclusion.assuming:
            continue
        floor = conclusion.value or conclusion.at_least
        floor_rank = model.concept_rank.get(floor or "")
        under_mdr = {m: cls for m, cls in facts.ce_markings.items() if facts.ce_regulations.get(m) == MDR}
        for declared in sorted({cls for cls in under_mdr.values() if cls}):
            rank = model.concept_rank.get(declared)
            same_scheme = model.concept_scheme.get(declared) == model.concept_scheme.get(floor or "")
            if same_scheme and rank is not None and floor_rank is not None and rank < floor_rank:
                conflicts.append(Conflict(EG + "deviceClass", declared, floor or "", "below"))
    return conflicts


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
    from evalgraph.qualification.suggest import unknown_technology  # the nearest names, when some are close

    raise unknown_technology(store, name)
