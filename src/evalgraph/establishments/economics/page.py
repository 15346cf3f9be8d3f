"""The sheet in HTML: an HTML fragment (:func:`html_section`: tables and an inline SVG chart, no script, nothing
fetched) that a report can embed, and a standalone page (:func:`render_html`, templates/economics.html). The
figures are written here as plain data — table cells, chart geometry — and drawn by the macros of
templates/_establishment_charts.html."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from markupsafe import Markup

from evalgraph import pages
from evalgraph.vocab import compact

from .model import ONE, ZERO, Assumption, Sheet, Year
from .wording import BUDGET_COLUMNS, fmt, notice, rules

WIDTH, HEIGHT, LEFT, TOP, BOTTOM = 640, 240, 90, 16, 36
"""The chart of the cumulative net: its size and margins (pixels)."""


@dataclass(frozen=True)
class Table:
    head: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class AssumptionRow:
    status: str
    name: str
    value: str
    unit: str
    status_text: str
    origin: str


@dataclass(frozen=True)
class Column:
    """A bar of the chart: the cumulative net of one year."""

    x: float
    y: float
    width: float
    height: float
    fill: str
    title: str
    label: str
    label_x: float


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    label: str
    ticks: tuple[tuple[float, str], ...]
    """(y, text) of the axis values: the highest and lowest cumulative net, and zero."""
    columns: tuple[Column, ...]
    zero: float
    left: int
    label_y: int


@dataclass(frozen=True)
class DeploymentView:
    iri: str
    title: str
    name: str
    missing: str
    years: Table
    assumptions: tuple[AssumptionRow, ...]


@dataclass(frozen=True)
class SectionView:
    """Everything :func:`html_section` shows, as text and numbers."""

    fr: bool
    notice: str
    rules: tuple[str, ...]
    parameters: tuple[AssumptionRow, ...]
    count: int
    total: Table
    chart: Chart
    deployments: tuple[DeploymentView, ...]


def chart(years: Sequence[Year], lang: str) -> Chart:
    """Vertical bars of the cumulative net by year, above or below a zero line."""
    plot = HEIGHT - TOP - BOTTOM
    values = [y.cumulative for y in years] or [ZERO]
    high, low = max([ZERO, *values]), min([ZERO, *values])
    span = (high - low) or ONE

    def y_of(value: Decimal) -> float:
        return TOP + float((high - value) / span) * plot

    zero = y_of(ZERO)
    step = (WIDTH - LEFT - 10) / max(1, len(years))
    columns = []
    for year in years:
        x, y = LEFT + (year.year - 1) * step + step * 0.15, y_of(year.cumulative)
        amount = fmt(year.cumulative, lang)
        title = f"année {year.year} : {amount} €" if lang == "fr" else f"year {year.year}: {amount} €"
        label = f"{'a' if lang == 'fr' else 'y'}{year.year}"
        fill = "#1a73e8" if year.cumulative >= 0 else "#e8710a"
        columns.append(
            Column(x, min(y, zero), step * 0.7, max(abs(zero - y), 0.5), fill, title, label, x + step * 0.35)
        )
    ticks = tuple((y_of(value) + 4, f"{fmt(value, lang)} €") for value in sorted({high, low}))
    label = "solde cumulé par année" if lang == "fr" else "cumulative net by year"
    return Chart(WIDTH, HEIGHT, label, ticks, tuple(columns), zero, LEFT, HEIGHT - BOTTOM + 16)


def years_table(years: Sequence[Year], lang: str, discounted: bool) -> Table:
    """The figures by year; the discount factor and discounted net only when the sheet is discounted."""
    keys = [k for k, _, _ in BUDGET_COLUMNS[1:] if discounted or k not in ("factor", "discounted_net")]
    labels = {k: (fr if lang == "fr" else en) for k, fr, en in BUDGET_COLUMNS}

    def text(key: str, value: Decimal | int) -> str:
        if isinstance(value, int):
            return str(value)
        return fmt(value, lang, 4) if key == "factor" else fmt(value, lang)

    rows = tuple(tuple(text(key, getattr(year, key)) for key in keys) for year in years)
    return Table(tuple(labels[k] for k in keys), rows)


def assumption_rows(assumptions: Sequence[Assumption], lang: str) -> tuple[AssumptionRow, ...]:
    rows = []
    for a in assumptions:
        if a.value is None:
            value = "—"
        elif a.key == "discount_rate" and a.value:
            value = f"{fmt(a.value * 100, lang, 2)} %"
        else:
            value = fmt(a.value, lang)
        rows.append(AssumptionRow(a.status, a.name(lang), value, a.unit(lang), a.status_text(lang), a.origin(lang)))
    return tuple(rows)


def section_view(sheet: Sheet, lang: str) -> SectionView:
    deployments = tuple(
        DeploymentView(
            d.inputs.deployment,
            d.inputs.title(lang),
            compact(d.inputs.deployment),
            ", ".join(a.name(lang) for a in d.assumptions if a.status != "given"),
            years_table(d.years, lang, sheet.discounted),
            assumption_rows(d.assumptions, lang),
        )
        for d in sheet.deployments
    )
    return SectionView(
        lang == "fr",
        notice(lang),
        tuple(rules(sheet, lang)),
        assumption_rows(sheet.parameters, lang),
        len(sheet.deployments),
        years_table(sheet.total, lang, sheet.discounted),
        chart(sheet.total, lang),
        deployments,
    )


def html_section(sheet: Sheet, lang: str) -> Markup:
    """The sheet as an HTML fragment — notice, calculation rules, total by year with a chart of the cumulative net,
    then each deployment with its figures and its assumptions. No script, nothing fetched. It is the output of an
    autoescaping template, so it is marked as markup: a page can embed it as it is."""
    return Markup(  # noqa: S704 - rendered (and escaped) by Jinja just now
        pages.render("_economics_section.html", lang=lang, section=section_view(sheet, lang))
    )


def render_html(sheet: Sheet, lang: str, title: str) -> str:
    """A standalone page (templates/economics.html, inline CSS) around :func:`html_section`."""
    from evalgraph._version import __version__

    return pages.render(
        "economics.html",
        lang=lang,
        fr=lang == "fr",
        title=title,
        version=__version__,
        section=section_view(sheet, lang),
        horizon=sheet.horizon,
        count=len(sheet.deployments),
    )
