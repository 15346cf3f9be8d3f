"""The empty inventory to fill in: an XLSX workbook (read-me, one sheet per form with bilingual headers, comments,
drop-down lists and validations, an example row; a hidden sheet of the lists) or one CSV table."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from evalgraph.errors import UsageError
from evalgraph.i18n import message
from evalgraph.store.oxigraph import OxigraphStore
from evalgraph.vocab import EGV, XSD

from .form import Answer, Column, Concept, Form, answers, concepts, forms
from .naming import LISTS_SHEET, README_SHEET

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.datavalidation import DataValidation

Lists = dict[str | None, list[Concept]]
README_KEYS = (
    "template_readme_title",
    "template_readme_rows",
    "template_readme_values",
    "template_readme_economics",
    "template_readme_commands",
)
LAST_ROW = 1000
"""The validations and date formats cover rows 2 to ``LAST_ROW``."""


def write_template(store: OxigraphStore, output: Path, fmt: str | None = None, override: Path | None = None) -> Path:
    """Write the empty inventory (with one example row) as XLSX or CSV; returns the file written."""
    fmt = (fmt or output.suffix.lstrip(".")).lower()
    if fmt not in ("xlsx", "csv"):
        raise UsageError("template_format", file=str(output), expected="xlsx, csv")
    all_forms = forms(override)
    inventory, economics = all_forms["Inventory"], all_forms["Economics"]
    lists: Lists = {
        c.scheme: concepts(store, c.scheme, override) for f in (inventory, economics) for c in f.columns if c.scheme
    }
    yes_no = answers(override)
    if fmt == "csv":
        columns = [*inventory.columns, *(c for c in economics.columns if c.key not in ("technology", "department"))]
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";")
        writer.writerow([c.header for c in columns])
        writer.writerow([example_text(c, lists, yes_no) for c in columns])
        output.write_text(buffer.getvalue(), encoding="utf-8-sig")
        return output
    _write_xlsx_template(output, inventory, economics, lists, yes_no)
    return output


def example_text(column: Column, lists: Lists, yes_no: tuple[Answer, Answer]) -> str:
    """The column's example as the template writes it."""
    example = column.example
    if example is None:
        return ""
    if isinstance(example, ox.NamedNode):
        return next((c.shown for c in lists.get(column.scheme, []) if c.iri == example.value), example.value)
    if column.datatype == XSD + "boolean":
        return yes_no[0].shown if example.value == "true" else yes_no[1].shown
    return example.value


def _example_value(column: Column, lists: Lists, yes_no: tuple[Answer, Answer]) -> object:
    example = column.example
    if example is None:
        return None
    if column.datatype == XSD + "date":
        return date.fromisoformat(example.value)
    if column.datatype == XSD + "decimal" and isinstance(example, ox.Literal):
        return float(example.value)
    return example_text(column, lists, yes_no)


def _write_xlsx_template(
    output: Path, inventory: Form, economics: Form, lists: Lists, yes_no: tuple[Answer, Answer]
) -> None:
    from openpyxl import Workbook

    book = Workbook()
    _readme_sheet(book)
    ranges = _lists_sheet(book, lists, yes_no)
    for form in (inventory, economics):
        _form_sheet(book, form, lists, yes_no, ranges)
    book.move_sheet(README_SHEET, offset=2)
    book.active = 0
    book.save(output)


def _readme_sheet(book: Workbook) -> None:
    from openpyxl.styles import Alignment, Font

    readme = book.active
    assert readme is not None
    readme.title = README_SHEET
    for row, key in enumerate(README_KEYS, 1):
        for column, lang in ((1, "fr"), (2, "en")):
            readme.cell(row=row, column=column, value=message(key, lang)).alignment = Alignment(
                wrap_text=True, vertical="top"
            )
    readme.column_dimensions["A"].width = readme.column_dimensions["B"].width = 80
    readme["A1"].font = readme["B1"].font = Font(bold=True, size=13)


def _lists_sheet(book: Workbook, lists: Lists, yes_no: tuple[Answer, Answer]) -> dict[str, str]:
    """The hidden sheet of the drop-down lists, one column per scheme and one of yes/no; their cell ranges by
    scheme IRI, the yes/no one under ``XSD boolean``."""
    from openpyxl.utils import get_column_letter

    list_sheet = book.create_sheet(LISTS_SHEET)
    ranges: dict[str, str] = {}
    for index, (scheme, items) in enumerate(sorted((k, v) for k, v in lists.items() if k), 1):
        letter = get_column_letter(index)
        list_sheet.cell(row=1, column=index, value=scheme.removeprefix(EGV))
        for row, concept in enumerate(items, 2):
            list_sheet.cell(row=row, column=index, value=concept.shown)
        ranges[scheme] = f"'{LISTS_SHEET}'!${letter}$2:${letter}${len(items) + 1}"
    boolean_column = len(ranges) + 1
    list_sheet.cell(row=1, column=boolean_column, value="boolean")
    for row, answer in enumerate(yes_no, 2):
        list_sheet.cell(row=row, column=boolean_column, value=answer.shown)
    letter = get_column_letter(boolean_column)
    ranges[XSD + "boolean"] = f"'{LISTS_SHEET}'!${letter}$2:${letter}$3"
    list_sheet.sheet_state = "hidden"
    return ranges


def _form_sheet(
    book: Workbook, form: Form, lists: Lists, yes_no: tuple[Answer, Answer], ranges: dict[str, str]
) -> None:
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    header_fill = PatternFill("solid", fgColor="1A3E72")
    example_font = Font(italic=True, color="5F6368")
    sheet = book.create_sheet(form.sheet)
    for index, column in enumerate(form.columns, 1):
        cell = sheet.cell(row=1, column=index, value=column.header)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = header_fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        required = " (obligatoire / required)" if column.required else ""
        cell.comment = Comment(f"{column.description_fr}\n{column.description_en}{required}", "evalgraph")
        example = sheet.cell(row=2, column=index, value=_example_value(column, lists, yes_no))
        example.font = example_font
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = max(16, min(40, len(column.header) + 2))
        if column.datatype == XSD + "date":
            for row in range(2, LAST_ROW + 1):
                sheet.cell(row=row, column=index).number_format = "yyyy-mm-dd"
        validation = _validation(column, ranges)
        if validation is not None:
            validation.error = f"{column.description_fr} — {column.description_en}"
            validation.errorTitle = column.header
            validation.showErrorMessage = True
            sheet.add_data_validation(validation)
            validation.add(f"{letter}2:{letter}{LAST_ROW}")
    sheet.freeze_panes = "A2"
    sheet.row_dimensions[1].height = 45


def _validation(column: Column, ranges: dict[str, str]) -> DataValidation | None:
    """What the spreadsheet checks in the column's cells. A scheme's column gets the drop-down list of its concepts
    (the words the import accepts); where a cell may hold several values separated by ``;`` (purpose, users), a
    value off the list gets an information message instead of a refusal, and the import checks each value."""
    from openpyxl.worksheet.datavalidation import DataValidation

    if column.scheme:
        validation = DataValidation(type="list", formula1=f"={ranges[column.scheme]}", allow_blank=True)
        if column.multiple:
            validation.errorStyle = "information"
        return validation
    if column.datatype == XSD + "boolean":
        return DataValidation(type="list", formula1=f"={ranges[XSD + 'boolean']}", allow_blank=True)
    if column.datatype == XSD + "date":
        return DataValidation(type="date", operator="greaterThan", formula1="1", allow_blank=True)
    if column.datatype == XSD + "decimal":
        return DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True)
    return None
