"""Building a comparison: the guide's themes (named query ``guide-themes``), each candidate's documented facts
(``choice-facts``, run where the candidate's facts are), the rows the engine derives (:mod:`.derived`), and the
rules that make a difference matter (``choice-difference-rules``). Rows keep the order of the facts; candidates
keep the order they were given in. Nothing is scored or ranked."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox

from evalgraph.i18n import message
from evalgraph.store import queries
from evalgraph.store.oxigraph import IMPORT_GRAPH_BASE, OxigraphStore
from evalgraph.vocab import EG, EGR

from . import derived
from .candidates import Loaded, Received, load
from .model import Cell, Comparison, Row, Rule, Theme, Value

LEGAL_THEME = EGR + "theme-choice-aid-legal-regulatory"
NOTIFIED_BODY = EG + "notifiedBody"


def rows_of(store: OxigraphStore, name: str, given: dict[str, str], override: Path | None) -> list[dict[str, str]]:
    """The rows of the named query ``name`` with ``given`` parameters, each a dict of its bound values."""
    named = queries.load(name, override)
    result = store.query(named.text, queries.bind(named, given))
    return [
        {v: t.value for v, t in zip(result.variables, row, strict=True) if isinstance(t, ox.NamedNode | ox.Literal)}
        for row in result.rows
    ]


def _origin(graph: str, loaded: Loaded) -> str:
    if loaded.candidate.kind == "dossier" or graph.startswith(IMPORT_GRAPH_BASE + "dossier"):
        return "dossier"
    return "source"


Facts = dict[tuple[str, str], dict[str, list[Value]]]


def _facts(loaded: list[Loaded], lang: str, override: Path | None) -> tuple[Facts, dict[str, str]]:
    """(theme, item) → candidate key → values, in the order the facts come (identity rows have theme ""), and the
    items' labels."""
    found: Facts = defaultdict(lambda: defaultdict(list))
    labels: dict[str, str] = {}
    for x in loaded:
        given = {"technology": x.candidate.iri, "lang": lang}
        for r in rows_of(x.store, "choice-facts", given, override):
            value = Value(r.get("value", ""), _origin(r.get("graph", ""), x), tuple(r.get("source", "").split()),
                          r.get("status", ""))  # fmt: skip
            found[(r.get("theme", ""), r["item"])][x.candidate.key].append(value)
            labels.setdefault(r["item"], r.get("itemLabel", r["item"]))
    return found, labels


def _rules(store: OxigraphStore, lang: str, override: Path | None) -> dict[str, Rule]:
    return {
        r["item"]: Rule(r.get("rule", ""), r.get("basis", ""), r.get("basisLabel", ""),
                        tuple(r.get("source", "").split()))
        for r in rows_of(store, "choice-difference-rules", {"lang": lang}, override)
    }  # fmt: skip


def _derived_rule(row: Row, lang: str) -> Rule:
    sources = tuple(dict.fromkeys(s for c in row.cells.values() for v in c.values for s in v.sources))
    return Rule(message("choice_rule_derived", lang), sources=sources[: derived.MAX_SOURCES])


def _flag_notified_body(rows: list[Row], loaded: list[Loaded]) -> None:
    """A candidate that needs a notified body (as derived) and documents none: its cell is flagged."""
    row = next((r for r in rows if r.item == NOTIFIED_BODY), None)
    for x in loaded:
        if derived.needs_notified_body(x) and (row is None or not row.cells[x.candidate.key].documented):
            if row is None:
                row = Row(NOTIFIED_BODY, "", {y.candidate.key: Cell() for y in loaded})
                rows.append(row)
            row.cells[x.candidate.key].flag = "needed-not-stated"


def compare(
    store: OxigraphStore,
    targets: Sequence[str | Received],
    lang: str = "en",
    override: Path | None = None,
    files: bool = True,
) -> Comparison:
    """The comparison of ``targets`` (names, IRIs, dossier files — read only with ``files`` — or dossiers
    received) in ``lang``."""
    loaded = load(store, targets, lang, override, files)
    keys = [x.candidate.key for x in loaded]
    (facts, labels), rules = _facts(loaded, lang, override), _rules(store, lang, override)

    def row(theme: str, item: str) -> Row:
        cells = {k: Cell(list(facts[(theme, item)].get(k, []))) for k in keys}
        return Row(item, labels.get(item, item), cells, rules.get(item))

    themes = [
        Theme(t["theme"], t.get("label", ""), t.get("comment", ""), t.get("status", ""), t.get("source", ""))
        for t in rows_of(store, "guide-themes", {"lang": lang}, override)
    ]
    for theme in themes:
        theme.rows = [row(t, item) for (t, item) in facts if t == theme.iri]
        if theme.iri == LEGAL_THEME:
            _flag_notified_body(theme.rows, loaded)
            for r in derived.rows(loaded, lang):
                r.rule = _derived_rule(r, lang) if r.differs else None
                theme.rows.append(r)
    for theme in themes:
        for r in theme.rows:
            if not r.label:
                r.label = labels.get(r.item) or loaded[0].model.label(r.item, lang)
            if r.rule is None and not r.derived:
                r.rule = rules.get(r.item)
    identity = [row(t, item) for (t, item) in facts if t == ""]
    generated = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    evidence = _evidence(facts, keys, lang)
    return Comparison(lang, [x.candidate for x in loaded], identity, themes, generated, evidence)


def _evidence(facts: Facts, keys: list[str], lang: str) -> dict[str, dict[str, int]]:
    """Per candidate, what its evidence documents: studies, performance measures, externally validated studies."""
    validation = EGR + "theme-choice-aid-validation"

    def count(item: str, key: str, only: str | None = None) -> int:
        values = facts.get((validation, EG + item), {}).get(key, [])
        return len(values) if only is None else sum(v.text == only for v in values)

    yes = message("choice_yes", lang)
    return {
        k: {"studies": count("Study", k), "measures": count("PerformanceMeasure", k),
            "external": count("isExternalValidation", k, yes)}
        for k in keys
    }  # fmt: skip
