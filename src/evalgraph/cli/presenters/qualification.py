"""The qualification of a technology on the terminal: each procedure's conclusion with the steps and sources that
led to it, then the pathways, the evaluation gap, the obligations, the certification criteria and the conflicts;
or the same as JSON. One small function per part, so that the layout can change part by part."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import click
from rich.console import Console
from rich.markup import escape

from evalgraph.i18n import message
from evalgraph.store import formats

if TYPE_CHECKING:
    from evalgraph.qualification.engine import Conclusion, Conflict, DecisionModel, Qualification, Step


def show(out: Console, model: DecisionModel, result: Qualification, lang: str, fmt: str) -> None:
    """``result`` as ``fmt``: ``json`` (the engine's dictionary) or readable ``text``."""
    from evalgraph.qualification import engine

    if fmt == "json":
        click.echo(json.dumps(engine.to_dict(model, result, lang), ensure_ascii=False, indent=2))
    else:
        print_qualification(out, model, result, lang)


def print_qualification(out: Console, model: DecisionModel, result: Qualification, lang: str) -> None:
    """The whole qualification, as text."""
    label = result.labels.get(lang) or result.labels.get("en") or ""
    out.print(f"[bold]{escape(label)}[/bold] ({formats.compact(result.technology)})")
    for conclusion in result.conclusions:
        print_conclusion(out, model, conclusion, lang)
    print_pathways(out, model, result, lang)
    print_gap(out, model, result, lang)
    print_obligations(out, model, result, lang)
    print_criteria(out, model, result, lang)
    for conflict in result.conflicts:
        print_conflict(out, model, conflict, lang)


def print_all_done(
    out: Console, lang: str, technologies: int, triples: int, graph: str, counts: dict[str, int]
) -> None:
    """The summary of ``qualify --all``."""
    out.print(message("qualify_all_done", lang, technologies=technologies, triples=triples, graph=graph, **counts))


def _words(lang: str) -> dict[str, str]:
    fr = lang == "fr"
    return {"yes": "oui" if fr else "yes", "no": "non" if fr else "no", "unknown": "?"}


def _labels(model: DecisionModel, iris: list[str], lang: str) -> str:
    return ", ".join(model.label(iri, lang) for iri in iris)


# ------------------------------------------------------------------------------------------------- conclusions
def print_conclusion(out: Console, model: DecisionModel, conclusion: Conclusion, lang: str) -> None:
    """One procedure: its conclusion, then each step taken with its sources."""
    title = escape(model.label(conclusion.procedure, lang))
    out.print(f"\n[bold]{title}[/bold]: {conclusion_head(model, conclusion, lang)}", highlight=False)
    for number, step in enumerate(conclusion.steps, 1):
        if step.how != "outcome":
            print_step(out, model, number, step, lang)
    if conclusion.status in ("bounded", "undetermined"):
        print_branches(out, model, conclusion, lang)


def conclusion_head(model: DecisionModel, c: Conclusion, lang: str) -> str:
    """The value concluded (with the date it applies from, when in the future), not applicable, or what is
    needed to conclude."""
    if c.status == "determined":
        future = c.application_date and c.application_date > datetime.now(UTC).date().isoformat()
        date = f" — {message('applies_from', lang, date=c.application_date)}" if future else ""
        return f"[green]{escape(model.label(c.value or '', lang))}[/green]{date}"
    if c.status == "not-applicable":
        return f"[dim]{message('not_applicable', lang)}[/dim]"
    bound = f"; {message('at_least', lang, value=model.label(c.at_least, lang))}" if c.at_least else ""
    needs = _labels(model, c.needs, lang)
    stated = "; " + message("stated_value", lang, value=_labels(model, c.stated, lang)) if c.stated else ""
    if c.status == "bounded":
        head = message("bounded_needs", lang, values=" / ".join(model.label(v, lang) for v in c.possible), needs=needs)
    else:
        head = message("undetermined_needs", lang, needs=needs)
    return f"[yellow]{escape(head + bound + stated)}[/yellow]{_assuming(model, c, lang)}"


def _assuming(model: DecisionModel, c: Conclusion, lang: str) -> str:
    if not c.assuming:
        return ""
    qualification = " / ".join(model.label(q, lang) for q in c.assuming)
    return f" [dim]({escape(message('assuming_qualification', lang, qualification=qualification))})[/dim]"


def print_branches(out: Console, model: DecisionModel, conclusion: Conclusion, lang: str) -> None:
    """When a question stays open: which answers lead to which outcome (both outcomes when a claim decides)."""
    words = _words(lang)
    seen: set[tuple[object, ...]] = set()
    for path in conclusion.paths[:8]:
        answers = ", ".join(
            f"{model.label(fact, lang)} = "
            + (words["yes"] if a is True else words["no"] if a is False else model.label(str(a), lang))
            for fact, a in path.assumed
        )
        key = (path.outcome, answers)
        if answers and key not in seen:
            seen.add(key)
            text = message("if_answers", lang, answers=answers, value=model.label(path.outcome or "", lang))
            out.print(f"     [dim]{escape(text)}[/dim]", highlight=False)


def print_step(out: Console, model: DecisionModel, number: int, step: Step, lang: str) -> None:
    """One question answered, how the answer was obtained, and the sources it rests on."""
    words = _words(lang)
    if isinstance(step.answer, bool):
        answer = words["yes"] if step.answer else words["no"]
    elif step.answer is None:
        answer = words["unknown"]
    else:
        answer = model.label(str(step.answer), lang)
    how = {
        "stated": message("how_stated", lang),
        "derived": message("how_derived", lang),
        "unknown": message("how_unknown", lang),
        "declared": message("how_declared", lang),
        "assumed": message("how_assumed", lang),
    }.get(step.how)
    if step.how == "rule" and step.rule:
        how = message("how_rule", lang, rule=model.label(step.rule, lang))
    out.print(
        f"  {number}. {escape(model.label(step.node, lang))} → [bold]{escape(answer)}[/bold] "
        f"[dim]({escape(how or '')})[/dim]",
        highlight=False,
    )
    for reference in step.references:
        text = reference.label(lang) if reference.labels else ""
        link = ", ".join(reference.urls)
        out.print(f"       [dim]↳ {escape(text + (' — ' if text and link else '') + link)}[/dim]", highlight=False)


# ---------------------------------------------------------------------------------------------------- outcomes
def print_pathways(out: Console, model: DecisionModel, result: Qualification, lang: str) -> None:
    """The pathways the technology is eligible for, those possible if a field is filled (naming it), those it is
    not eligible for with the first condition each fails (folded: the JSON output has them all), and those it has
    obtained."""
    eligible = [p for p in result.pathways if p.status == "eligible"]
    out.print(
        f"\n[bold]{message('pathways_eligible', lang)}[/bold]: "
        + (", ".join(escape(model.label(p.target, lang)) for p in eligible) or "—"),
        highlight=False,
    )
    possible = [p for p in result.pathways if p.status == "undetermined"]
    if possible:
        out.print(f"[bold]{message('pathways_possible', lang)}[/bold]:", highlight=False)
        for p in possible:
            out.print(
                f"  {escape(model.label(p.target, lang))} ← {escape(_labels(model, p.needs, lang))}", highlight=False
            )
    failed = [p for p in result.pathways if p.status == "not-eligible"]
    if failed:
        reasons = "; ".join(
            f"{model.label(p.target, lang)} ({model.label(p.failed[0].condition, lang)})" for p in failed
        )
        out.print(f"[dim]{message('pathways_not_eligible', lang)}: {escape(reasons)}[/dim]", highlight=False)
    obtained = [model.label(p, lang) for p in sorted(result.obtained)]
    out.print(
        f"[bold]{message('pathways_obtained', lang)}[/bold]: " + (escape(", ".join(obtained)) or "—"), highlight=False
    )


def print_gap(out: Console, model: DecisionModel, result: Qualification, lang: str) -> None:
    """Whether there is an evaluation gap (yes, no, or unknown with the facts it needs)."""
    words = _words(lang)
    gap = {True: words["yes"], False: words["no"], None: words["unknown"]}[result.gap]
    needs = f" ({message('needs', lang, needs=_labels(model, result.gap_needs, lang))})" if result.gap_needs else ""
    out.print(f"[bold]{message('evaluation_gap', lang)}[/bold]: {gap}{needs}", highlight=False)
    evaluated = words["yes"] if result.national_evaluation else words["no"]
    route = {True: words["yes"], False: words["no"], None: words["unknown"]}[result.national_route]
    out.print(f"  {message('national_evaluation_obtained', lang)}: {evaluated}", highlight=False)
    out.print(f"  {message('national_route_open', lang)}: {route}", highlight=False)


def print_obligations(out: Console, model: DecisionModel, result: Qualification, lang: str) -> None:
    """The legal obligations that apply, with the date each applies from."""
    obligations = [
        escape(model.label(o.target, lang))
        + (f" ({message('applies_from', lang, date=o.application_date)})" if o.application_date else "")
        for o in result.obligations
        if o.status == "eligible"
    ]
    out.print(f"[bold]{message('obligations', lang)}[/bold]: " + (", ".join(obligations) or "—"), highlight=False)


def print_criteria(out: Console, model: DecisionModel, result: Qualification, lang: str) -> None:
    """The certification criteria that apply."""
    criteria = [model.label(c.target, lang) for c in result.criteria if c.status == "eligible"]
    out.print(f"[bold]{message('criteria', lang)}[/bold]: " + (escape(", ".join(criteria)) or "—"), highlight=False)


def print_conflict(out: Console, model: DecisionModel, conflict: Conflict, lang: str) -> None:
    """An asserted fact that contradicts a derived one."""
    text = message(
        f"conflict_{conflict.reason}",
        lang,
        fact=formats.compact(conflict.fact),
        asserted=model.label(conflict.asserted, lang),
        derived=model.label(conflict.derived, lang),
    )
    out.print("[red]" + escape(text) + "[/red]", highlight=False)
