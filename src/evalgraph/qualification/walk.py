"""Walking one decision procedure with the facts of a technology.

A question is answered by the fact the technology states, or else by the answer rules of the knowledge base that
apply (a rule may override another: the more specific fact wins). When neither answers, the walk does not stop: it
follows every branch, assuming each answer in turn, and the conclusion is what holds on all of them — one value
(*determined*), a set of values smaller than all the procedure's outcomes (*bounded*, e.g. "class IIa, IIb or III",
reported as "at least class IIa" when the values are ranked), or any outcome (*undetermined*). Each path records the
answers it assumed, so that the output can show which answer leads to which outcome ("if a medical purpose is
claimed: …; if not: …"), and the facts that would settle the question are named.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from evalgraph.qualification.facts import Facts, Value
from evalgraph.qualification.model import DecisionModel, Reference

MAX_PATHS = 256
"""Exploring every branch is exponential in the number of unknown questions on a path; the procedures of the
knowledge base have at most four questions, this bound only keeps a malformed model from running away."""


@dataclass
class Step:
    """One decision taken: the question, the answer and how it was obtained, the branch followed."""

    node: str
    fact: str | None
    answer: Value | None
    how: str  # "stated", "derived", "rule", "declared", "assumed", "unknown", "outcome"
    rule: str | None = None
    branch: str | None = None
    references: tuple[Reference, ...] = ()


@dataclass
class Path:
    """One way through a procedure: its steps, the outcome it reaches (None when stuck) and what it assumed."""

    steps: list[Step]
    outcome: str | None
    assumed: tuple[tuple[str, Value], ...] = ()


@dataclass
class Conclusion:
    """What one procedure concludes: a value, the values still possible with the facts that would decide between
    them, or not applicable."""

    procedure: str
    fact: str
    status: str  # "determined", "bounded", "undetermined", "not-applicable"
    value: str | None = None
    at_least: str | None = None
    needs: list[str] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    application_date: str | None = None
    stated: list[str] = field(default_factory=list)
    """What the graph states for this fact (used downstream when the logic cannot conclude)."""
    possible: list[str] = field(default_factory=list)
    """When not determined: the values still possible, highest rank first."""
    paths: list[Path] = field(default_factory=list)
    """When not determined: each outcome with the answers that lead to it."""
    assuming: list[str] = field(default_factory=list)
    """The qualification this conclusion assumes, when the procedure applies to some possible qualifications only."""


def answer(model: DecisionModel, node: dict[str, object], facts: Facts) -> tuple[Value | None, str, str | None]:
    """Answer a question from the stated (or derived) fact, else from the answer rules that apply."""
    fact_iri = node["fact"]
    assert isinstance(fact_iri, str)
    fact = facts.get(fact_iri)
    if fact.known:
        if len(fact.values) == 1:
            return next(iter(fact.values)), fact.origin, None
        return None, "unknown", None  # several values for a single-answer question: not decidable
    applying = [
        rule_iri
        for rule_iri in node["rules"]  # type: ignore[attr-defined]
        if (rule := model.rules.get(rule_iri)) is not None and rule["gives"] is not None and rule_applies(rule, facts)
    ]
    overridden: set[str] = set()
    for rule_iri in applying:
        overrides = model.rules[rule_iri]["overrides"]
        assert isinstance(overrides, set)
        overridden |= overrides
    kept = [r for r in applying if r not in overridden]
    answers = {model.rules[r]["gives"] for r in kept}
    if len(answers) == 1:
        return next(iter(answers)), "rule", kept[0]  # type: ignore[return-value]
    return None, "unknown", None


def rule_applies(rule: dict[str, object], facts: Facts) -> bool:
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


def _explore(
    model: DecisionModel, facts: Facts, node_iri: str, path: Path, found: list[Path], needs: list[str]
) -> None:
    """Follow ``path`` from ``node_iri`` to every outcome it can reach, appending the finished paths to ``found``."""
    if len(found) >= MAX_PATHS or any(s.node == node_iri for s in path.steps):
        found.append(Path(path.steps, None, path.assumed))
        return
    node = model.graph.nodes[node_iri]
    if node["kind"] == "outcome":
        step = Step(node_iri, None, node["concludes"], "outcome", references=node["references"])
        found.append(Path([*path.steps, step], node["concludes"], path.assumed))
        return
    fact_iri = node["fact"]
    assumed = dict(path.assumed)
    value: Value | None
    if fact_iri in assumed:
        value, how, rule = assumed[fact_iri], "assumed", None
    else:
        value, how, rule = answer(model, node, facts)
    edges = list(model.graph.out_edges(node_iri, data=True))
    if value is None:
        if fact_iri not in needs:
            needs.append(fact_iri)
        possible = facts.get(fact_iri).possible
        for _, target, data in edges:
            if possible is not None and isinstance(data["answer"], str) and data["answer"] not in possible:
                continue
            step = Step(node_iri, fact_iri, data["answer"], "assumed", None, data["branch"], node["references"])
            _explore(
                model,
                facts,
                target,
                Path([*path.steps, step], None, (*path.assumed, (fact_iri, data["answer"]))),
                found,
                needs,
            )
        if not edges:
            found.append(
                Path(
                    [*path.steps, Step(node_iri, fact_iri, None, "unknown", references=node["references"])],
                    None,
                    path.assumed,
                )
            )
        return
    branch = next(((t, d) for _, t, d in edges if d["answer"] == value), None)
    rule_refs = model.rules[rule]["references"] if rule else ()
    references = tuple(dict.fromkeys((*node["references"], *rule_refs)))  # type: ignore[misc]
    if branch is None:  # an answer no branch takes (e.g. a stated value outside the scheme)
        if fact_iri not in needs:
            needs.append(fact_iri)
        found.append(
            Path([*path.steps, Step(node_iri, fact_iri, value, how, rule, references=references)], None, path.assumed)
        )
        return
    target, data = branch
    step = Step(node_iri, fact_iri, value, how, rule, data["branch"], references)
    _explore(model, facts, target, Path([*path.steps, step], None, path.assumed), found, needs)


def _common_prefix(paths: list[Path]) -> list[Step]:
    prefix: list[Step] = []
    for steps in zip(*(p.steps for p in paths), strict=False):
        first = steps[0]
        if first.how == "assumed" or any((s.node, s.answer) != (first.node, first.answer) for s in steps[1:]):
            break
        prefix.append(first)
    return prefix


def walk(model: DecisionModel, procedure: str, facts: Facts) -> Conclusion:
    """Walk ``procedure`` with ``facts``, following every branch where a question stays open."""
    info = model.procedure_info[procedure]
    conclusion = Conclusion(procedure, str(info["fact"]), "undetermined")
    start = info["start"]
    if not isinstance(start, str):
        return conclusion
    found: list[Path] = []
    _explore(model, facts, start, Path([], None), found, conclusion.needs)
    outcomes = list(dict.fromkeys(p.outcome for p in found if p.outcome))
    stuck = any(p.outcome is None for p in found)
    if len(outcomes) == 1 and not stuck:
        conclusion.status, conclusion.value = "determined", outcomes[0]
        conclusion.steps = found[0].steps if len(found) == 1 else [*_common_prefix(found), found[0].steps[-1]]
        conclusion.needs = []
        return conclusion
    first_open = next((s for p in found for s in p.steps if s.how in ("assumed", "unknown")), None)
    conclusion.steps = _common_prefix(found)
    if first_open is not None:
        conclusion.steps.append(
            Step(first_open.node, first_open.fact, None, "unknown", references=first_open.references)
        )
    conclusion.paths = [p for p in found if p.outcome]
    ranked = sorted(outcomes, key=lambda c: -model.concept_rank.get(c, 0))
    conclusion.possible = ranked
    if outcomes and not stuck and len(set(outcomes)) < len(model.outcomes(procedure)):
        conclusion.status = "bounded"
        conclusion.at_least = model.lowest(outcomes)
    elif first_open is not None:
        conclusion.at_least = model.graph.nodes[first_open.node]["at_least"]
    return conclusion
