"""The cartography as files: an XLSX workbook (a "read me" sheet, then one sheet per table with labelled headers,
readable columns first, the IRI columns hidden at the end, long text wrapped), CSV files in the plain dialect or the
one spreadsheet programs open directly, and a ZIP of the CSV files.

CSV dialects: ``plain`` is RFC 4180 (UTF-8, comma, the SPARQL variable names as headers) for programs; ``excel``
is for spreadsheet programs: UTF-8 with a byte-order mark, the column labels as headers, and ``;`` as the
separator in French (the list separator of French Excel, whose decimal separator is the comma) or ``,`` in English.
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

from evalgraph.cartography import columns as cols
from evalgraph.cartography.report import Cartography, Table, scope_text
from evalgraph.i18n import message

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

DIALECTS = ("plain", "excel")
WIDE = 60


def _header_note(column: cols.Column, lang: str) -> str:
    return message("cartography_derived_note" if column.derived else "cartography_stated_note", lang)


def write_xlsx(report: Cartography, output: Path) -> None:
    """A read-me sheet, then one sheet per table: labelled bold frozen header with a note saying whether the column
    is stated or derived, auto-filter, IRI columns last and hidden, the name cell linked to its IRI, text wrapped."""
    from openpyxl import Workbook

    workbook = Workbook()
    readme = workbook.active
    readme.title = cols.sheet_name("readme", report.lang)
    _readme(readme, report)
    for table in report.tables.values():
        _sheet(workbook.create_sheet(cols.sheet_name(table.name, report.lang)), table, report.lang)
    workbook.save(output)


def _readme(sheet: Worksheet, report: Cartography) -> None:
    from openpyxl.styles import Alignment, Font

    lang = report.lang
    sheet.append([message("page_cartography_heading", lang)])
    sheet.append([message("cartography_readme_generated", lang, generated=report.generated)])
    sheet.append([scope_text(report.scope, lang)])
    sheet.append([message("cartography_readme_provenance", lang)])
    sheet.append([])
    header = [message(k, lang) for k in ("column_sheet", "column_column", "column_variable", "column_provenance")]
    sheet.append(header)
    for cell in sheet[6]:
        cell.font = Font(bold=True)
    for table in report.tables.values():
        sheet.append([cols.sheet_name(table.name, lang), table.title, "", table.description])
        for column in cols.columns(table.name, table.columns, lang):
            sheet.append(["", column.label, column.name, _header_note(column, lang)])
    sheet["A1"].font = Font(bold=True, size=14)
    for letter, width in (("A", 28), ("B", 40), ("C", 26), ("D", 90)):
        sheet.column_dimensions[letter].width = width
    for row in sheet.iter_rows(min_row=7):
        row[3].alignment = Alignment(wrap_text=True, vertical="top")


def _sheet(sheet: Worksheet, table: Table, lang: str) -> None:
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    every = cols.columns(table.name, table.columns, lang)
    order = cols.ordered(every)
    sheet.append([every[i].label for i in order])
    for position, index in enumerate(order, 1):
        header = sheet.cell(row=1, column=position)
        header.font = Font(bold=True)
        header.comment = Comment(f"{every[index].name} — {_header_note(every[index], lang)}", "evalgraph")
    links = {cols.partner(table.columns, c.name): c.name for c in every if c.iri}
    for row in table.rows:
        sheet.append([row[i] for i in order])
        record = dict(zip(table.columns, row, strict=True))
        for position, index in enumerate(order, 1):
            target = links.get(every[index].name)
            if target and str(record.get(target, "")).startswith("http"):
                sheet.cell(row=sheet.max_row, column=position).hyperlink = str(record[target])
    sheet.freeze_panes = "A2"
    last = get_column_letter(max(1, len(order)))
    sheet.auto_filter.ref = f"A1:{last}{max(1, len(table.rows) + 1)}"
    for position, index in enumerate(order, 1):
        letter = get_column_letter(position)
        longest = max([len(every[index].label), *(len(str(r[index])) for r in table.rows[:200])])
        dimension = sheet.column_dimensions[letter]
        dimension.width = min(WIDE, max(10, longest + 2))
        dimension.hidden = every[index].iri
        if longest > WIDE:
            for (one,) in sheet.iter_rows(min_row=2, min_col=position, max_col=position):
                one.alignment = Alignment(wrap_text=True, vertical="top")


def csv_text(table: Table, lang: str, dialect: str = "plain") -> str:
    """One table as CSV text in ``dialect`` (``plain`` or ``excel``; the byte-order mark is the writer's)."""
    buffer = io.StringIO()
    excel = dialect == "excel"
    writer = csv.writer(buffer, delimiter=";" if excel and lang == "fr" else ",", lineterminator="\r\n")
    writer.writerow([cols.label(c, lang) for c in table.columns] if excel else table.columns)
    for row in table.rows:
        writer.writerow([_csv_value(v, lang, excel) for v in row])
    return buffer.getvalue()


def _csv_value(value: object, lang: str, excel: bool) -> object:
    if excel and isinstance(value, bool):
        return cols.yes_no(value, lang)
    if excel and lang == "fr" and isinstance(value, float):
        return str(value).replace(".", ",")
    return value


def _encoding(dialect: str) -> str:
    return "utf-8-sig" if dialect == "excel" else "utf-8"


def csv_names(report: Cartography, stem: str) -> list[tuple[str, Table]]:
    """File names of the tables: the pathway table is ``<stem>.csv``, every other ``<stem>-<table>.csv``."""
    return [(f"{stem}.csv" if t.name == "cartography" else f"{stem}-{t.name}.csv", t) for t in report.tables.values()]


def write_csv(report: Cartography, output: Path, dialect: str = "plain") -> list[Path]:
    """The pathway table to ``output``, every other table next to it as ``<stem>-<table>.csv``."""
    written = []
    for name, table in csv_names(report, output.stem):
        path = output.with_name(name)
        path.write_text(csv_text(table, report.lang, dialect), encoding=_encoding(dialect), newline="")
        written.append(path)
    return written


def zip_bytes(report: Cartography, dialect: str = "plain", stem: str = "cartography") -> bytes:
    """Every table as a CSV file in one ZIP archive."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, table in csv_names(report, stem):
            archive.writestr(name, csv_text(table, report.lang, dialect).encode(_encoding(dialect)))
    return buffer.getvalue()


def write_zip(report: Cartography, output: Path, dialect: str = "plain") -> None:
    output.write_bytes(zip_bytes(report, dialect, output.stem))
