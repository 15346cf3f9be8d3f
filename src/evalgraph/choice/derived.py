"""The rows evalgraph derives for each candidate with the qualification engine — qualification, class, IMDRF and
AI Act categories, HAS functional level, whether a notified body is needed, the legal obligations that come with
its use, and the two answers of the evaluation gap — each value with the sources of the decisions behind it.

A conclusion the candidate also states (its declared qualification, its CE class) keeps the origin of the
statement; otherwise it is derived. Labels come from the knowledge base through the decision model."""

from __future__ import annotations

from collections.abc import Iterable

from evalgraph.i18n import message
from evalgraph.qualification import engine as q
from evalgraph.vocab import EG

from .candidates import Loaded
from .model import Cell, Row, Value

CONCLUSIONS = (
    EG + "regulatoryQualification",
    EG + "riskClass",
    EG + "aiActCategory",
    EG + "imdrfCategory",
    EG + "functionalClassification",
)
NOTIFIED_BODY_FACT = EG + "requiresNotifiedBody"
MAX_SOURCES = 6


def _urls(references: Iterable[q.Reference]) -> tuple[str, ...]:
    urls = [url for r in references for url in (r.urls or (r.iri,))]
    return tuple(dict.fromkeys(urls))[:MAX_SOURCES]


def _origin(loaded: Loaded) -> str:
    return "dossier" if loaded.candidate.kind == "dossier" else "source"


def _conclusion_text(model: q.DecisionModel, c: q.Conclusion, lang: str) -> str:
    if c.status == "not-applicable":
        return message("choice_not_applicable", lang)
    if c.status == "determined" and c.value:
        text = model.label(c.value, lang)
        return message("choice_from_date", lang, value=text, date=c.application_date) if c.application_date else text
    if c.at_least and c.fact == EG + "riskClass":
        return message("choice_at_least", lang, value=model.label(c.at_least, lang))
    if c.possible:
        return message("choice_one_of", lang, values=" / ".join(model.label(v, lang) for v in c.possible))
    return message("choice_undetermined", lang)


def _conclusion_cell(loaded: Loaded, fact: str, lang: str) -> Cell:
    c = loaded.qualification.conclusion(fact)
    if c is None or c.assuming:
        return Cell()
    stated = c.status == "determined" and c.value in c.stated
    origin = _origin(loaded) if stated else "derived"
    sources = _urls(r for step in c.steps for r in step.references)
    return Cell([Value(_conclusion_text(loaded.model, c, lang), origin, sources)])


def _notified_body_cell(loaded: Loaded, lang: str) -> Cell:
    for c in loaded.qualification.conclusions:
        for step in c.steps:
            if step.fact == NOTIFIED_BODY_FACT and isinstance(step.answer, bool):
                text = message("choice_yes" if step.answer else "choice_no", lang)
                origin = _origin(loaded) if step.how == "stated" else "derived"
                return Cell([Value(text, origin, _urls(step.references))])
    return Cell()


def needs_notified_body(loaded: Loaded) -> bool:
    cell = _notified_body_cell(loaded, "en")
    return bool(cell.values) and cell.values[0].text == message("choice_yes", "en")


def _eligibility_cell(loaded: Loaded, e: q.Eligibility, lang: str) -> Cell:
    sources = tuple(dict.fromkeys(r for c in e.conditions for r in c.references))[:MAX_SOURCES]
    if e.status == "eligible":
        text = message("choice_applies", lang)
    elif e.status == "undetermined":
        fields = ", ".join(loaded.model.label(n, lang) for n in e.needs)
        text = message("choice_possible_if", lang, fields=fields)
    else:
        text = message("choice_does_not_apply", lang)
    return Cell([Value(text, "derived", sources)])


def _obligation_rows(loaded: list[Loaded], lang: str) -> list[Row]:
    targets = [
        o.target for x in loaded for o in x.qualification.obligations if o.status in ("eligible", "undetermined")
    ]
    rows = []
    model = loaded[0].model
    for target in dict.fromkeys(targets):
        cells = {}
        for x in loaded:
            e = next((o for o in x.qualification.obligations if o.target == target), None)
            cells[x.candidate.key] = _eligibility_cell(x, e, lang) if e else Cell()
        rows.append(Row(target, model.label(target, lang), cells, derived=True))
    return rows


def _gap_cell(loaded: Loaded, prop: str, lang: str) -> Cell:
    result = loaded.qualification
    answer = {
        EG + "hasNationalEvaluation": result.national_evaluation,
        EG + "hasNationalRoute": result.national_route,
        EG + "inEvaluationGap": result.gap,
    }[prop]
    key = "choice_undetermined" if answer is None else "choice_yes" if answer else "choice_no"
    routes = [p for p in result.pathways if p.national_route]
    sources = tuple(dict.fromkeys(r for p in routes for c in p.conditions for r in c.references))[:MAX_SOURCES]
    return Cell([Value(message(key, lang), "derived", sources)])


def rows(loaded: list[Loaded], lang: str) -> list[Row]:
    """The derived rows of the legal and regulatory theme, one cell per candidate."""
    model = loaded[0].model
    found = [
        Row(fact, model.label(fact, lang), {x.candidate.key: _conclusion_cell(x, fact, lang) for x in loaded},
            derived=True)
        for fact in CONCLUSIONS
    ]  # fmt: skip
    found.append(
        Row(
            NOTIFIED_BODY_FACT,
            model.label(NOTIFIED_BODY_FACT, lang),
            {x.candidate.key: _notified_body_cell(x, lang) for x in loaded},
            derived=True,
        )
    )
    found.extend(_obligation_rows(loaded, lang))
    for prop in (EG + "hasNationalEvaluation", EG + "hasNationalRoute", EG + "inEvaluationGap"):
        cells = {x.candidate.key: _gap_cell(x, prop, lang) for x in loaded}
        found.append(Row(prop, model.label(prop, lang), cells, derived=True))
    return found
