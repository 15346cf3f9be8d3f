"""A comparison written out: an offline HTML page (``templates/compare.html``, inline SVG, no external resource),
an XLSX workbook with one column per candidate, and JSON for tools."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from evalgraph import pages
from evalgraph._version import __version__
from evalgraph.i18n import message
from evalgraph.vocab import compact

from .model import Comparison, Row, to_dict

FORMATS = (".html", ".xlsx", ".json")
ORIGIN_COLOURS = {"source": "#1a73e8", "dossier": "#8430ce", "derived": "#1e7d32"}
HIGHLIGHT = "FFF4D6"
BAR_COLOURS = {"studies": "#1a73e8", "measures": "#12b5cb", "external": "#1e7d32"}


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    value: int
    colour: str
    name: str


@dataclass(frozen=True)
class EvidenceChart:
    """Grouped horizontal bars: per candidate, the studies, measures and externally validated studies it
    documents — counts of what is documented, not a score."""

    width: int
    height: int
    left: int
    labels: list[tuple[float, str]]
    bars: list[Bar]
    legend: list[tuple[str, str]]


def evidence_chart(comparison: Comparison) -> EvidenceChart:
    left, scale_width, bar, gap = 220, 360, 14, 14
    kinds = list(BAR_COLOURS)
    top = max([1] + [n for counts in comparison.evidence.values() for n in counts.values()])
    labels, bars, y = [], [], 8.0
    for candidate in comparison.candidates:
        counts = comparison.evidence.get(candidate.key, {})
        labels.append((y + bar * len(kinds) / 2 + 4, candidate.label))
        for kind in kinds:
            n = counts.get(kind, 0)
            bars.append(Bar(left, y, round(scale_width * n / top, 1), n, BAR_COLOURS[kind], kind))
            y += bar
        y += gap
    legend = [(BAR_COLOURS[k], message(f"page_choice_chart_{k}", comparison.lang)) for k in kinds]
    return EvidenceChart(left + scale_width + 40, int(y) + 24, left, labels, bars, legend)


def write_html(comparison: Comparison, output: Path, *, language_switch: str = "") -> None:
    output.write_text(render_html(comparison, language_switch=language_switch), encoding="utf-8")


def render_html(comparison: Comparison, *, language_switch: str = "") -> str:
    """The page; ``language_switch`` is the URL of the same comparison in the other language (web service)."""
    return pages.render(
        "compare.html",
        c=comparison,
        lang=comparison.lang,
        chart=evidence_chart(comparison),
        colours=ORIGIN_COLOURS,
        compact=compact,
        version=__version__,
        other_language=language_switch,
    )


def write_json(comparison: Comparison, output: Path) -> None:
    output.write_text(json.dumps(to_dict(comparison), ensure_ascii=False, indent=2), encoding="utf-8")


def _cell_text(row: Row, key: str, lang: str) -> str:
    cell = row.cells[key]
    lines = [f"{v.text} [{message(f'page_choice_origin_{v.origin}', lang)}]" for v in cell.values]
    if cell.flag:
        lines.append(message("page_choice_needed_not_stated", lang))
    return "\n".join(lines) or message("page_choice_not_documented", lang)


def write_xlsx(comparison: Comparison, output: Path) -> None:
    """One row per item, one column per candidate; a difference that matters is filled and its rule given; the
    sources of every value in a second sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    lang, keys = comparison.lang, [c.key for c in comparison.candidates]
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = message("page_choice_sheet_comparison", lang)[:31]
    sheet.append([message("page_choice_theme", lang), message("page_choice_item", lang),
                  *(c.label for c in comparison.candidates), message("page_choice_why", lang), "source"])  # fmt: skip
    sources = book.create_sheet(message("page_choice_sheet_sources", lang)[:31])
    sources.append([message("page_choice_theme", lang), message("page_choice_item", lang),
                    message("page_choice_candidate", lang), message("page_choice_value", lang),
                    message("page_choice_origin", lang), "source"])  # fmt: skip
    sections = [(message("page_choice_identity", lang), comparison.identity)]
    sections += [(t.label, t.rows or [None]) for t in comparison.themes]  # type: ignore[list-item]
    for theme_label, rows in sections:
        for row in rows:
            if row is None:
                sheet.append([theme_label, message("page_choice_theme_empty", lang)])
                continue
            rule = row.rule if row.highlighted else None
            sheet.append([theme_label, row.label, *(_cell_text(row, k, lang) for k in keys),
                          rule.text if rule else "", " ".join(rule.sources) if rule else ""])  # fmt: skip
            if rule:
                for cell in sheet[sheet.max_row]:
                    cell.fill = PatternFill("solid", fgColor=HIGHLIGHT)
            for candidate in comparison.candidates:
                for v in row.cells[candidate.key].values:
                    origin = message(f"page_choice_origin_{v.origin}", lang)
                    sources.append([theme_label, row.label, candidate.label, v.text, origin, " ".join(v.sources)])
    for ws in book.worksheets:
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for column in ws.columns:
            ws.column_dimensions[column[0].column_letter].width = 34
            for cell in column[1:]:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "C2"
    book.save(output)


def write(comparison: Comparison, output: Path) -> None:
    """Write ``comparison`` in the format of ``output``'s suffix (.html, .xlsx or .json)."""
    suffix = output.suffix.lower()
    {".html": write_html, ".xlsx": write_xlsx, ".json": write_json}[suffix](comparison, output)
