"""The readiness as an XLSX workbook: a summary per criterion, the evaluation elements and the obligations of each
deployment, and the themes of the choice-aid guide."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from evalgraph.i18n import message

from .model import COLOURS, Readiness, trace_text, word

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet


def write_xlsx(result: Readiness, output: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    summary = _summary_sheet(book, result)
    _elements_sheet(book, result)
    _obligations_sheet(book, result)
    _rejected_sheet(book, result)
    _records_sheet(book, result)
    fr = result.lang == "fr"
    themes = book.create_sheet("Guide d'aide au choix" if fr else "Choice-aid guide")
    themes.append(["thème" if fr else "theme", "explication" if fr else "explanation", "source"])
    for theme in result.themes:
        themes.append([theme.get("label"), theme.get("comment"), theme.get("source")])
    for ws in book.worksheets:
        for cell in ws[1 if ws is not summary else 2]:
            cell.font = Font(bold=True)
        for column in ws.columns:
            ws.column_dimensions[column[0].column_letter].width = 28
    book.save(output)


def _summary_sheet(book: Workbook, result: Readiness) -> Worksheet:
    fr, lang = result.lang == "fr", result.lang
    sheet = book.active
    assert sheet is not None
    sheet.title = "Synthèse" if fr else "Summary"
    sheet.append([result.label, result.generated])
    statuses = ("met", "to-check", "missing", "to-determine")
    sheet.append(
        ["critère" if fr else "criterion", "déploiements" if fr else "deployments", *(word(s, lang) for s in statuses)]
        + ["source"]
    )
    summary = result.summary()
    for criterion in result.criteria:
        counts = summary[criterion.iri]
        sheet.append([criterion.label, counts["deployments"], *(counts[s] for s in statuses), criterion.source])
    sheet.append([])
    sheet.append([message("page_establishment_establishment_elements", lang)])
    for item in result.elements:
        records = "\n".join(trace_text(x, lang) for x in item.records)
        sheet.append([item.label, word(item.status, lang), " | ".join(item.messages), item.source, records or None])
    return sheet


def _records_sheet(book: Workbook, result: Readiness) -> None:
    """The choice records that count as the trace of the choice process, with the inventory rows each counts for
    (a header only when there is none)."""
    lang = result.lang
    sheet = book.create_sheet(message("readiness_sheet_choice_records", lang))
    keys = ("record", "compared_at", "compared_by", "candidates", "decision", "reasons", "counts_for")
    sheet.append([message("page_establishment_" + key, lang) for key in keys])
    rows = {d.iri: d for d in result.deployments}
    for x in result.records:
        counted = [rows[d] for d in x.deployments if d in rows]
        shown = "\n".join(f"{d.row or ''} — {d.technology_label} — {d.department}" for d in counted)
        sheet.append([x.record, x.compared_at, x.compared_by, ", ".join(x.candidates), x.decision,
                      "\n".join(x.reasons), shown])  # fmt: skip


def _rejected_sheet(book: Workbook, result: Readiness) -> None:
    """The inventory's cells that left their rows out at import (a header only when there is none)."""
    lang = result.lang
    rejected = book.create_sheet(message("readiness_sheet_rejected_rows", lang))
    keys = ("row", "technology", "column", "cell_value", "expected")
    rejected.append([message("page_establishment_" + key, lang) for key in keys] + ["source"])
    for row in result.rejected:
        rejected.append([row.row, row.label, row.column, row.value, row.reason, row.source])


def _elements_sheet(book: Workbook, result: Readiness) -> None:
    from openpyxl.styles import Font, PatternFill

    fr, lang = result.lang == "fr", result.lang
    elements = book.create_sheet("Éléments" if fr else "Elements")
    elements.append(
        [
            *_deployment_headers(fr),
            *(c.label for c in result.criteria),
            "élément" if fr else "element",
            "statut" if fr else "status",
            "constats" if fr else "findings",
            "source",
            message("page_establishment_choice_records", lang),
        ]
    )
    fills = {s: PatternFill("solid", fgColor=c.lstrip("#")) for s, c in COLOURS.items()}
    for deployment in result.deployments:
        for item in deployment.elements:
            elements.append(
                [
                    deployment.row,
                    deployment.technology_label,
                    deployment.department,
                    *(word(deployment.criteria[c.iri], lang) for c in result.criteria),
                    item.label,
                    word(item.status, lang),
                    " | ".join(item.messages),
                    item.source,
                    "\n".join(trace_text(x, lang) for x in item.records) or None,
                ]
            )
            cell = elements.cell(row=elements.max_row, column=5 + len(result.criteria))
            cell.fill = fills[item.status]
            cell.font = Font(color="FFFFFF", bold=True)


def _obligations_sheet(book: Workbook, result: Readiness) -> None:
    fr = result.lang == "fr"
    obligations = book.create_sheet("Obligations")
    obligations.append(
        [
            *_deployment_headers(fr),
            "obligation",
            "statut" if fr else "status",
            "date d'application" if fr else "application date",
            "exigence" if fr else "requirement",
            "constats" if fr else "findings",
            "source",
        ]
    )
    for deployment in result.deployments:
        for item in deployment.obligations:
            obligations.append(
                [
                    deployment.row,
                    deployment.technology_label,
                    deployment.department,
                    item.label,
                    word(item.status, result.lang),
                    item.date,
                    item.detail,
                    " | ".join(item.messages),
                    item.source,
                ]
            )


def _deployment_headers(fr: bool) -> list[str]:
    return ["ligne" if fr else "row", "technologie" if fr else "technology", "service" if fr else "department"]
