"""The readiness as an HTML page (templates/readiness.html): the charts are laid out here as plain data — bars,
segments, legend — and drawn as SVG by the macros of templates/_establishment_charts.html."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from evalgraph import pages
from evalgraph._version import __version__
from evalgraph.establishments.economics.model import Sheet
from evalgraph.establishments.economics.page import section_view
from evalgraph.vocab import compact

from .model import COLOURS, Readiness, trace_text, word

WIDTH, BAR, GAP, LEFT = 780, 26, 18, 300
"""The stacked charts: width, height of a bar, gap between bars, room for the labels on the left (pixels)."""
LABEL_LENGTH = 48


@dataclass(frozen=True)
class Segment:
    """One status of one bar: where it starts, its width, its colour, its words and count."""

    x: float
    width: float
    colour: str
    word: str
    count: int


@dataclass(frozen=True)
class Bar:
    y: int
    label: str
    shown: str
    segments: tuple[Segment, ...]
    note: str
    end: float


@dataclass(frozen=True)
class Legend:
    x: int
    colour: str
    word: str


@dataclass(frozen=True)
class StackedChart:
    """A horizontal stacked bar per criterion or obligation, with a legend of the statuses."""

    width: int
    height: int
    bar: int
    bars: tuple[Bar, ...]
    legend: tuple[Legend, ...]
    legend_y: int


def summary_chart(result: Readiness) -> StackedChart:
    """A stacked bar per criterion: element checks met / to check / missing over the deployments it concerns."""
    summary = result.summary()
    deployments = "déploiements" if result.lang == "fr" else "deployments"
    bars = [
        (
            c.label,
            [(s, summary[c.iri][s]) for s in ("met", "to-check", "missing")],
            f"{summary[c.iri]['deployments']} {deployments}",
        )
        for c in result.criteria
    ]
    return stacked_chart(bars, result.lang)


def obligations_chart(result: Readiness) -> StackedChart:
    """A stacked bar per obligation: deployments with its documentation present / to check / missing."""
    bars = [
        (
            str(entry["label"]),
            [(s, int(entry[s])) for s in ("documented", "to-check", "missing")],  # type: ignore[call-overload]
            "",
        )
        for entry in result.obligation_summary().values()
    ]
    return stacked_chart(bars, result.lang)


def stacked_chart(bars: list[tuple[str, list[tuple[str, int]], str]], lang: str) -> StackedChart:
    """The layout of ``bars`` (label, (status, count) parts, note), scaled to the longest one."""
    height = len(bars) * (BAR + GAP) + 40
    peak = max([1, *(sum(n for _s, n in parts) for _l, parts, _n in bars)])
    statuses: list[str] = []
    laid: list[Bar] = []
    for index, (label, parts, note) in enumerate(bars):
        x = float(LEFT)
        segments = []
        for status, count in parts:
            if status not in statuses:
                statuses.append(status)
            size = (WIDTH - LEFT - 120) * count / peak
            if size > 0:
                segments.append(Segment(x, size, COLOURS[status], word(status, lang), count))
            x += size
        shown = label if len(label) < LABEL_LENGTH else label[: LABEL_LENGTH - 2] + "…"
        laid.append(Bar(10 + index * (BAR + GAP), label, shown, tuple(segments), note, x))
    legend = tuple(Legend(LEFT + i * 120, COLOURS[s], word(s, lang)) for i, s in enumerate(statuses))
    return StackedChart(WIDTH, height, BAR, tuple(laid), legend, height - 12)


def write_html(result: Readiness, output: Path, economics: Sheet | None = None) -> None:
    """The readiness page, with the economic sheet when one is given."""
    page = pages.render(
        "readiness.html",
        r=result,
        lang=result.lang,
        fr=result.lang == "fr",
        chart=summary_chart(result),
        obligations_chart=obligations_chart(result),
        word=lambda s: word(s, result.lang),
        trace_text=lambda x: trace_text(x, result.lang),
        colours=COLOURS,
        compact=compact,
        version=__version__,
        economics=section_view(economics, result.lang) if economics is not None else None,
    )
    output.write_text(page, encoding="utf-8")
