"""Reading a filled inventory: the tables of an XLSX workbook or a CSV file, the sheet of each form, its header
mapped to the form's columns, and its data rows; what cannot be read is a :class:`Problem` with its place."""

from __future__ import annotations

import csv
import difflib
import io
from dataclasses import dataclass, field
from pathlib import Path

from evalgraph.errors import DataFileError
from evalgraph.i18n import message

from .form import Column, Form
from .naming import normal

Table = list[list[object]]


@dataclass(frozen=True)
class Problem:
    """A cell (or row) that could not be imported: where, what it holds, what was expected."""

    row: int
    column: str
    value: str
    expected: str
    sheet: str = ""

    def render(self, file: str, lang: str) -> str:
        where = f"{file}:{self.sheet + ':' if self.sheet else ''}{self.row}"
        return message(
            "inventory_problem", lang, where=where, column=self.column, value=self.value, expected=self.expected
        )


@dataclass
class Row:
    number: int
    sheet: str
    values: dict[str, object]


@dataclass
class ImportReport:
    establishment: str
    graph: str
    file: str
    rows: int = 0
    deployments: int = 0
    created: list[str] = field(default_factory=list)
    matches: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)
    triples: int = 0
    economics_rows: int = 0
    rejected_rows: list[int] = field(default_factory=list)
    """The inventory rows left out (recorded in the graph as ``eg:InventoryRowRejection``)."""


def read_table(file: Path, data: bytes) -> dict[str, Table]:
    """The sheets of the XLSX ``data`` (or the one table of CSV ``data``) read from ``file``, as lists of rows."""
    suffix = file.suffix.lower()
    if suffix == ".csv":
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise DataFileError("file_unreadable", file=str(file), reason=f"not UTF-8: {exc.reason}") from exc
        first = text.split("\n", 1)[0]
        delimiter = ";" if first.count(";") >= first.count(",") else ","
        return {"": [list(r) for r in csv.reader(io.StringIO(text), delimiter=delimiter)]}
    from zipfile import BadZipFile

    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (BadZipFile, OSError, KeyError, ValueError) as exc:
        raise DataFileError("file_unreadable", file=str(file), reason=f"not an XLSX workbook ({exc})") from exc
    sheets = {sheet.title: [list(r) for r in sheet.iter_rows(values_only=True)] for sheet in book.worksheets}
    book.close()
    return sheets


def pick_sheet(sheets: dict[str, Table], form: Form) -> tuple[str, Table] | None:
    """The sheet of ``form`` (by its bilingual name, or either label), with its title."""
    wanted = {normal(form.sheet), normal(form.label_fr), normal(form.label_en)}
    for title, rows in sheets.items():
        if normal(title) in wanted:
            return title, rows
    return None


def data_rows(picked: tuple[str, Table], columns: list[Column], report: ImportReport, lang: str) -> list[Row]:
    """Map the sheet's header to columns (unknown or missing headers are problems) and return its data rows."""
    title, table = picked
    if not table:
        return []
    mapping = _header(table[0], columns, report, lang, title)
    present = {c.key for c in mapping.values()}
    for column in columns:
        if column.required and column.key not in present:
            report.problems.append(Problem(1, column.header, "", message("inventory_missing_column", lang), title))
    rows = []
    for number, cells in enumerate(table[1:], 2):
        if all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
            continue
        values = {mapping[i].key: v for i, v in enumerate(cells) if i in mapping}
        rows.append(Row(number, title, values))
    return rows


def _header(
    header: list[object], columns: list[Column], report: ImportReport, lang: str, title: str
) -> dict[int, Column]:
    """The column of each header cell by position; an unknown header is a problem, with the closest known one."""
    index: dict[str, Column] = {}
    for column in columns:
        for name in (column.header, column.title("fr"), column.title("en"), column.name_fr, column.name_en, column.key):
            index.setdefault(normal(name), column)
    mapping: dict[int, Column] = {}
    for position, cell in enumerate(header):
        if cell is None or not str(cell).strip():
            continue
        found = index.get(normal(str(cell)))
        if found is None:
            close = difflib.get_close_matches(normal(str(cell)), list(index), n=1, cutoff=0.75)
            hint = index[close[0]].header if close else None
            expected = message("inventory_unknown_column", lang, hint=f" ; « {hint} » ?" if hint else "")
            report.problems.append(Problem(1, _letter(position), str(cell), expected, title))
            continue
        mapping[position] = found
    return mapping


def _letter(position: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(position + 1))
