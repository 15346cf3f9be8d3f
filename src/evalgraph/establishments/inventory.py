"""Establishment inventories: the template (XLSX or CSV) and the import of a filled one into the graph.

The columns come from ``forms/inventory.ttl`` (one SHACL property shape per column: bilingual header, order,
required or not, datatype or concept scheme). The import reads every row, checks every cell, and turns each valid
row into an ``eg:Deployment`` of the establishment, linked to a known technology when its name (and manufacturer)
match one — the match is recorded with ``eg:technologyMatch`` — or to a technology created from the row and flagged
``eg:needsReview``. A bad cell is reported with its row, column, value and what was expected, and only its row is
left out. Everything goes into one named graph per establishment, replaced atomically: importing the same file
again gives the same graph.
"""

from __future__ import annotations

import csv
import difflib
import hashlib
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from evalgraph import resources
from evalgraph.errors import DataFileError, UsageError
from evalgraph.i18n import message
from evalgraph.store import queries
from evalgraph.store.oxigraph import OxigraphStore, read_bytes
from evalgraph.vocab import EG, EGF, EGG, EGR, EGV, RDFS, SH, XSD

RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
DCT_SOURCE = ox.NamedNode("http://purl.org/dc/terms/source")
ESTABLISHMENT_GRAPH_BASE = EGG + "establishment/"
TRUE_WORDS = ("oui", "yes", "true", "vrai", "1")
FALSE_WORDS = ("non", "no", "false", "faux", "0")
INVENTORY_SHEET = "Inventaire - Inventory"
ECONOMICS_SHEET = "Économie - Economics"
LISTS_SHEET = "Listes - Lists"
README_SHEET = "Lisez-moi - Read me"


# ----------------------------------------------------------------------------------------------------- the form
@dataclass(frozen=True)
class Concept:
    iri: str
    label_fr: str
    label_en: str

    @property
    def shown(self) -> str:
        """How the template writes it (and the import reads it back): ``label fr / label en``."""
        return self.label_fr if self.label_fr == self.label_en else f"{self.label_fr} / {self.label_en}"


@dataclass(frozen=True)
class Column:
    key: str
    path: str
    order: int
    name_fr: str
    name_en: str
    description_fr: str
    description_en: str
    required: bool
    datatype: str | None
    scheme: str | None
    multiple: bool
    subject: str
    example: ox.NamedNode | ox.Literal | None
    unit_fr: str = ""
    unit_en: str = ""

    def title(self, lang: str) -> str:
        """The column's name in ``lang``, with its unit: ``Licence ou abonnement (€/an)``."""
        name, unit = (self.name_fr, self.unit_fr) if lang == "fr" else (self.name_en, self.unit_en)
        return f"{name} ({unit})" if unit else name

    @property
    def header(self) -> str:
        return f"{self.title('fr')} / {self.title('en')}"


@dataclass(frozen=True)
class Form:
    iri: str
    label_fr: str
    label_en: str
    comment_fr: str
    comment_en: str
    columns: tuple[Column, ...]

    @property
    def sheet(self) -> str:
        return f"{self.label_fr} - {self.label_en}"


def _literal(values: dict[str, list[ox.NamedNode | ox.Literal]], predicate: str, lang: str | None = None) -> str:
    for value in values.get(predicate, []):
        if isinstance(value, ox.Literal) and (lang is None or value.language == lang):
            return value.value
    return ""


@lru_cache(maxsize=4)
def forms(override: Path | None = None) -> dict[str, Form]:
    """The forms of ``forms/inventory.ttl`` by local name (``Inventory``, ``Economics``)."""
    store = ox.Store()
    for file in resources.files("forms", ".ttl", override):
        store.bulk_load(path=str(file), format=ox.RdfFormat.TURTLE)

    def values(subject: ox.NamedNode | ox.BlankNode) -> dict[str, list[Any]]:
        found: dict[str, list[Any]] = {}
        for quad in store.quads_for_pattern(subject, None, None, None):
            found.setdefault(quad.predicate.value, []).append(quad.object)
        return found

    result = {}
    for quad in store.quads_for_pattern(None, RDF_TYPE, ox.NamedNode(SH + "NodeShape"), None):
        shape = values(quad.subject)  # type: ignore[arg-type]
        columns = []
        for prop in shape.get(SH + "property", []):
            v = values(prop)
            example = v.get(EGF + "example", [None])[0]
            columns.append(
                Column(
                    key=_literal(v, EGF + "key"),
                    path=v[SH + "path"][0].value,
                    order=int(_literal(v, SH + "order")),
                    name_fr=_literal(v, SH + "name", "fr"),
                    name_en=_literal(v, SH + "name", "en"),
                    description_fr=_literal(v, SH + "description", "fr"),
                    description_en=_literal(v, SH + "description", "en"),
                    required=_literal(v, SH + "minCount") not in ("", "0"),
                    datatype=v[SH + "datatype"][0].value if SH + "datatype" in v else None,
                    scheme=v[EGF + "scheme"][0].value if EGF + "scheme" in v else None,
                    multiple=_literal(v, EGF + "multiple") == "true",
                    subject=_literal(v, EGF + "subject") or "deployment",
                    example=example,
                    unit_fr=_literal(v, EGF + "unit", "fr"),
                    unit_en=_literal(v, EGF + "unit", "en"),
                )
            )
        iri = quad.subject.value  # type: ignore[union-attr]
        result[iri.removeprefix(EGF)] = Form(
            iri,
            _literal(shape, RDFS + "label", "fr"),
            _literal(shape, RDFS + "label", "en"),
            _literal(shape, RDFS + "comment", "fr"),
            _literal(shape, RDFS + "comment", "en"),
            tuple(sorted(columns, key=lambda c: c.order)),
        )
    return result


def concepts(store: OxigraphStore, scheme: str, override: Path | None = None) -> list[Concept]:
    """The concepts of ``scheme`` with their French and English labels, in the scheme's order of labels."""
    named = queries.load("scheme-concepts", override)
    result = store.query(named.text, queries.bind(named, {"scheme": scheme}))
    index = {v: i for i, v in enumerate(result.variables)}
    found = [
        Concept(
            row[index["concept"]].value,  # type: ignore[union-attr]
            row[index["labelFr"]].value,  # type: ignore[union-attr]
            row[index["labelEn"]].value,  # type: ignore[union-attr]
        )
        for row in result.rows
    ]
    return found


# ------------------------------------------------------------------------------------------------- the template
def write_template(store: OxigraphStore, output: Path, fmt: str | None = None, override: Path | None = None) -> Path:
    """Write the empty inventory (with one example row) as XLSX or CSV; returns the file written."""
    fmt = (fmt or output.suffix.lstrip(".")).lower()
    if fmt not in ("xlsx", "csv"):
        raise UsageError("template_format", file=str(output), expected="xlsx, csv")
    all_forms = forms(override)
    inventory, economics = all_forms["Inventory"], all_forms["Economics"]
    lists: dict[str | None, list[Concept]] = {
        c.scheme: concepts(store, c.scheme, override) for f in (inventory, economics) for c in f.columns if c.scheme
    }
    if fmt == "csv":
        columns = [*inventory.columns, *(c for c in economics.columns if c.key not in ("technology", "department"))]
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";")
        writer.writerow([c.header for c in columns])
        writer.writerow([_example_text(c, lists) for c in columns])
        output.write_text(buffer.getvalue(), encoding="utf-8-sig")
        return output
    _write_xlsx_template(output, inventory, economics, lists)
    return output


def _example_text(column: Column, lists: dict[str | None, list[Concept]]) -> str:
    example = column.example
    if example is None:
        return ""
    if isinstance(example, ox.NamedNode):
        return next((c.shown for c in lists.get(column.scheme, []) if c.iri == example.value), example.value)
    if column.datatype == XSD + "boolean":
        return "oui / yes" if example.value == "true" else "non / no"
    return example.value


def _write_xlsx_template(
    output: Path, inventory: Form, economics: Form, lists: dict[str | None, list[Concept]]
) -> None:
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    readme = book.active
    readme.title = README_SHEET
    keys = (
        "template_readme_title",
        "template_readme_rows",
        "template_readme_values",
        "template_readme_economics",
        "template_readme_commands",
    )
    lines = [(message(key, "fr"), message(key, "en")) for key in keys]
    for row, (fr, en) in enumerate(lines, 1):
        readme.cell(row=row, column=1, value=fr).alignment = Alignment(wrap_text=True, vertical="top")
        readme.cell(row=row, column=2, value=en).alignment = Alignment(wrap_text=True, vertical="top")
    readme.column_dimensions["A"].width = readme.column_dimensions["B"].width = 80
    readme["A1"].font = readme["B1"].font = Font(bold=True, size=13)

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
    list_sheet.cell(row=2, column=boolean_column, value="oui / yes")
    list_sheet.cell(row=3, column=boolean_column, value="non / no")
    letter = get_column_letter(boolean_column)
    boolean_range = f"'{LISTS_SHEET}'!${letter}$2:${letter}$3"
    list_sheet.sheet_state = "hidden"

    header_fill = PatternFill("solid", fgColor="1A3E72")
    example_font = Font(italic=True, color="5F6368")
    for form in (inventory, economics):
        sheet = book.create_sheet(form.sheet)
        for index, column in enumerate(form.columns, 1):
            cell = sheet.cell(row=1, column=index, value=column.header)
            cell.font = Font(bold=True, color="FFFFFF")
            cell.fill = header_fill
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            required = " (obligatoire / required)" if column.required else ""
            cell.comment = Comment(f"{column.description_fr}\n{column.description_en}{required}", "evalgraph")
            example = sheet.cell(row=2, column=index, value=_example_value(column, lists))
            example.font = example_font
            letter = get_column_letter(index)
            sheet.column_dimensions[letter].width = max(16, min(40, len(column.header) + 2))
            cells = f"{letter}2:{letter}1000"
            validation = None
            if column.scheme and not column.multiple:
                validation = DataValidation(type="list", formula1=f"={ranges[column.scheme]}", allow_blank=True)
            elif column.scheme:  # several values separated by ";": a list would refuse them; the import checks
                validation = None
            elif column.datatype == XSD + "boolean":
                validation = DataValidation(type="list", formula1=f"={boolean_range}", allow_blank=True)
            elif column.datatype == XSD + "date":
                validation = DataValidation(type="date", operator="greaterThan", formula1="1", allow_blank=True)
                for row in range(2, 1001):
                    sheet.cell(row=row, column=index).number_format = "yyyy-mm-dd"
            elif column.datatype == XSD + "decimal":
                validation = DataValidation(
                    type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True
                )
            if validation is not None:
                validation.error = f"{column.description_fr} — {column.description_en}"
                validation.errorTitle = column.header
                validation.showErrorMessage = True
                sheet.add_data_validation(validation)
                validation.add(cells)
        sheet.freeze_panes = "A2"
        sheet.row_dimensions[1].height = 45
    book.move_sheet(README_SHEET, offset=2)
    book.active = 0
    book.save(output)


def _example_value(column: Column, lists: dict[str | None, list[Concept]]) -> object:
    example = column.example
    if example is None:
        return None
    if column.datatype == XSD + "date":
        return date.fromisoformat(example.value)
    if column.datatype == XSD + "decimal" and isinstance(example, ox.Literal):
        return float(example.value)
    return _example_text(column, lists)


# ------------------------------------------------------------------------------------------------ reading rows
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


def _normal(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", " ", decomposed.lower()).strip()


def read_table(file: Path, data: bytes) -> dict[str, list[list[object]]]:
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


def _pick_sheet(sheets: dict[str, list[list[object]]], form: Form) -> tuple[str, list[list[object]]] | None:
    wanted = {_normal(form.sheet), _normal(form.label_fr), _normal(form.label_en)}
    for title, rows in sheets.items():
        if _normal(title) in wanted:
            return title, rows
    return None


# ------------------------------------------------------------------------------------------------------- import
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


def slug(text: str) -> str:
    return re.sub(r"\s+", "-", _normal(text)) or "x"


def establishment_iri(name: str) -> str:
    return f"{EGR}establishment-{slug(name)}"


def establishment_graph(name: str) -> str:
    return ESTABLISHMENT_GRAPH_BASE + slug(name)


class _Cells:
    """Turns raw cells into RDF terms, collecting problems."""

    def __init__(self, store: OxigraphStore, override: Path | None, lang: str) -> None:
        self.store, self.override, self.lang = store, override, lang
        self._schemes: dict[str, list[Concept]] = {}

    def scheme(self, iri: str) -> list[Concept]:
        if iri not in self._schemes:
            self._schemes[iri] = concepts(self.store, iri, self.override)
        return self._schemes[iri]

    def parse(self, column: Column, raw: object) -> list[ox.NamedNode | ox.Literal] | str:
        """The cell's values as terms, or the text of what was expected."""
        if column.scheme:
            items = self.scheme(column.scheme)
            parts = [p.strip() for p in str(raw).split(";")] if column.multiple else [str(raw).strip()]
            terms: list[ox.NamedNode | ox.Literal] = []
            for part in filter(None, parts):
                found = _match_concept(part, items)
                if found is None:
                    shown = ", ".join(f"« {c.shown} »" for c in items)
                    return message("inventory_expected_one_of", self.lang, values=shown)
                terms.append(ox.NamedNode(found.iri))
            return terms
        datatype = column.datatype or XSD + "string"
        if datatype == XSD + "date":
            value = _date(raw)
            if value is None:
                return message("inventory_expected_date", self.lang)
            return [ox.Literal(value.isoformat(), datatype=ox.NamedNode(XSD + "date"))]
        if datatype == XSD + "boolean":
            if isinstance(raw, bool):
                truth: bool | None = raw
            else:
                word = _normal(str(raw)).split(" ")[0] if _normal(str(raw)) else ""
                truth = True if word in TRUE_WORDS else False if word in FALSE_WORDS else None
            if truth is None:
                return message("inventory_expected_boolean", self.lang)
            return [ox.Literal("true" if truth else "false", datatype=ox.NamedNode(XSD + "boolean"))]
        if datatype == XSD + "decimal":
            number = _decimal(raw)
            if number is None or number < 0:
                return message("inventory_expected_amount", self.lang)
            return [ox.Literal(format(number.normalize(), "f"), datatype=ox.NamedNode(XSD + "decimal"))]
        text = str(raw).strip()
        return [ox.Literal(text)] if text else []


def _match_concept(text: str, items: Sequence[Concept]) -> Concept | None:
    wanted = _normal(text)
    for concept in items:
        local = concept.iri.removeprefix(EGV)
        if wanted in (
            _normal(concept.shown),
            _normal(concept.label_fr),
            _normal(concept.label_en),
            _normal(local),
            _normal("egv:" + local),
        ):
            return concept
    return None


def _date(raw: object) -> date | None:
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    text = str(raw).strip()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def _decimal(raw: object) -> Decimal | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int | float):
        return Decimal(str(raw))
    text = re.sub(r"[\s\u00a0\u202f€]", "", str(raw)).replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


@dataclass(frozen=True)
class KnownTechnology:
    iri: str
    names: frozenset[str]
    manufacturers: frozenset[str]


def known_technologies(store: OxigraphStore, override: Path | None = None) -> list[KnownTechnology]:
    """Every technology of the graph with its names and its manufacturer's names (normalised)."""
    named = queries.load("technology-names", override)
    result = store.query(named.text)
    names: dict[str, set[str]] = {}
    makers: dict[str, set[str]] = {}
    for technology, label, maker in result.rows:
        iri = technology.value  # type: ignore[union-attr]
        names.setdefault(iri, set()).add(_normal(label.value))  # type: ignore[union-attr]
        base = re.sub(r"\s*\(.*\)\s*$", "", label.value)  # type: ignore[union-attr]
        names[iri].add(_normal(base))
        if maker is not None:
            makers.setdefault(iri, set()).add(_normal(maker.value))  # type: ignore[union-attr]
    return [KnownTechnology(i, frozenset(n), frozenset(makers.get(i, ()))) for i, n in sorted(names.items())]


def match(name: str, maker: str, known: Iterable[KnownTechnology]) -> tuple[str | None, str]:
    """The known technology a row names, and how it matched (a concept of egv:TechnologyMatchScheme)."""
    wanted, wanted_maker = _normal(name), _normal(maker)
    by_name = [k for k in known if wanted in k.names]
    with_maker = [k for k in by_name if wanted_maker and wanted_maker in k.manufacturers]
    if len(with_maker) == 1:
        return with_maker[0].iri, EGV + "match-name-and-manufacturer"
    if len(by_name) == 1 and not (wanted_maker and by_name[0].manufacturers):
        return by_name[0].iri, EGV + "match-name-only"
    if len(by_name) == 1 and wanted_maker and not with_maker:
        return by_name[0].iri, EGV + "match-name-only"
    return None, EGV + "match-none"


def import_inventory(
    store: OxigraphStore, file: Path, establishment: str, *, lang: str = "en", override: Path | None = None
) -> ImportReport:
    """Import ``file`` as the inventory of ``establishment`` (its graph is replaced); returns what happened."""
    if not establishment.strip():
        raise UsageError("establishment_name")
    all_forms = forms(override)
    inventory, economics = all_forms["Inventory"], all_forms["Economics"]
    if file.suffix.lower() not in (".xlsx", ".csv"):
        raise DataFileError("inventory_format", file=str(file), suffix=file.suffix.lower(), expected=".xlsx, .csv")
    data = read_bytes(file)
    sheets = read_table(file, data)
    digest = hashlib.sha256(data).hexdigest()
    report = ImportReport(establishment_iri(establishment), establishment_graph(establishment), file.name)
    cells = _Cells(store, override, lang)
    is_csv = file.suffix.lower() == ".csv"
    picked = ("", sheets[""]) if is_csv else _pick_sheet(sheets, inventory)
    if picked is None:
        raise DataFileError("inventory_no_sheet", file=str(file), sheet=inventory.sheet, found=", ".join(sheets))
    columns = list(inventory.columns) + (
        [c for c in economics.columns if c.key not in ("technology", "department")] if is_csv else []
    )
    rows = _rows(picked, columns, report, lang)
    economic_rows: list[Row] = []
    if not is_csv:
        eco = _pick_sheet(sheets, economics)
        if eco is not None:
            economic_rows = _rows(eco, list(economics.columns), report, lang)
    source = ox.Literal(f"{file.name} (sha256 {digest[:16]})")
    est = ox.NamedNode(report.establishment)
    triples: list[ox.Triple] = [
        ox.Triple(est, RDF_TYPE, ox.NamedNode(EG + "HealthEstablishment")),
        ox.Triple(est, ox.NamedNode(RDFS + "label"), ox.Literal(establishment.strip(), language="fr")),
        ox.Triple(est, ox.NamedNode(RDFS + "label"), ox.Literal(establishment.strip(), language="en")),
        ox.Triple(est, DCT_SOURCE, source),
    ]
    known = known_technologies(store, override)
    seen: dict[tuple[str, str], int] = {}
    deployments: dict[tuple[str, str], ox.NamedNode] = {}
    for row in rows:
        if _is_example(row, columns, cells):
            report.notes.append(Problem(row.number, "—", "", message("inventory_example_skipped", lang), row.sheet))
            continue
        report.rows += 1
        parsed: dict[str, list[ox.NamedNode | ox.Literal]] = {}
        failed = False
        for column in columns:
            raw = row.values.get(column.key)
            if raw is None or (isinstance(raw, str) and not raw.strip()):
                if column.required:
                    report.problems.append(
                        Problem(row.number, column.header, "", message("inventory_required", lang), row.sheet)
                    )
                    failed = True
                continue
            value = cells.parse(column, raw)
            if isinstance(value, str):
                report.problems.append(Problem(row.number, column.header, str(raw), value, row.sheet))
                failed = True
                continue
            parsed[column.key] = value
        if failed:
            continue
        name = parsed["technology"][0].value
        maker = parsed["manufacturer"][0].value if "manufacturer" in parsed else ""
        department = parsed["department"][0].value
        key = (_normal(name), _normal(department))
        if key in seen:
            report.problems.append(
                Problem(
                    row.number,
                    inventory.columns[0].header,
                    name,
                    message("inventory_duplicate", lang, row=seen[key]),
                    row.sheet,
                )
            )
            continue
        seen[key] = row.number
        technology, how = match(name, maker, known)
        if technology is None:
            technology = f"{EGR}tech-{slug(establishment)}-{slug(name)}"
            triples += _created_technology(technology, name, maker, parsed, source)
            if technology not in report.created:
                report.created.append(technology)
        report.matches[how] = report.matches.get(how, 0) + 1
        deployment = ox.NamedNode(f"{EGR}deployment-{slug(establishment)}-{slug(name)}-{slug(department)}")
        deployments[key] = deployment
        label = f"{name} — {department}"
        triples += [
            ox.Triple(deployment, RDF_TYPE, ox.NamedNode(EG + "Deployment")),
            ox.Triple(deployment, ox.NamedNode(RDFS + "label"), ox.Literal(label, language="fr")),
            ox.Triple(deployment, ox.NamedNode(RDFS + "label"), ox.Literal(label, language="en")),
            ox.Triple(deployment, ox.NamedNode(EG + "deployedAt"), est),
            ox.Triple(deployment, ox.NamedNode(EG + "deployedTechnology"), ox.NamedNode(technology)),
            ox.Triple(deployment, ox.NamedNode(EG + "technologyMatch"), ox.NamedNode(how)),
            ox.Triple(
                deployment,
                ox.NamedNode(EG + "inventoryRow"),
                ox.Literal(str(row.number), datatype=ox.NamedNode(XSD + "positiveInteger")),
            ),
            ox.Triple(deployment, DCT_SOURCE, ox.Literal(f"{file.name} (sha256 {digest[:16]}), row {row.number}")),
        ]
        for column in columns:
            if column.subject != "deployment" or column.key in ("technology",) or column.key not in parsed:
                continue
            triples += [ox.Triple(deployment, ox.NamedNode(column.path), v) for v in parsed[column.key]]
        if is_csv and any(c.key in parsed for c in economics.columns if c.key not in ("technology", "department")):
            report.economics_rows += 1
        report.deployments += 1
    for row in economic_rows:
        if _is_example(row, list(economics.columns), cells):
            report.notes.append(Problem(row.number, "—", "", message("inventory_example_skipped", lang), row.sheet))
            continue
        name, department = str(row.values.get("technology") or ""), str(row.values.get("department") or "")
        target = deployments.get((_normal(name), _normal(department)))
        if target is None:
            report.problems.append(
                Problem(
                    row.number,
                    economics.columns[0].header,
                    f"{name} / {department}",
                    message("inventory_no_deployment", lang),
                    row.sheet,
                )
            )
            continue
        for column in economics.columns:
            if column.key in ("technology", "department"):
                continue
            raw = row.values.get(column.key)
            if raw is None or (isinstance(raw, str) and not raw.strip()):
                continue
            value = cells.parse(column, raw)
            if isinstance(value, str):
                report.problems.append(Problem(row.number, column.header, str(raw), value, row.sheet))
                continue
            triples += [ox.Triple(target, ox.NamedNode(column.path), v) for v in value]
        report.economics_rows += 1
    report.triples = store.write_graph(triples, report.graph, source=f"{file.name} sha256:{digest}")
    return report


def _rows(picked: tuple[str, list[list[object]]], columns: list[Column], report: ImportReport, lang: str) -> list[Row]:
    """Map the sheet's header to columns (unknown or missing headers are problems) and return its data rows."""
    title, table = picked
    if not table:
        return []
    index: dict[str, Column] = {}
    for column in columns:
        for name in (column.header, column.title("fr"), column.title("en"), column.name_fr, column.name_en, column.key):
            index.setdefault(_normal(name), column)
    mapping: dict[int, Column] = {}
    for position, header in enumerate(table[0]):
        if header is None or not str(header).strip():
            continue
        found = index.get(_normal(str(header)))
        if found is None:
            close = difflib.get_close_matches(_normal(str(header)), list(index), n=1, cutoff=0.75)
            hint = index[close[0]].header if close else None
            report.problems.append(
                Problem(
                    1,
                    _letter(position),
                    str(header),
                    message("inventory_unknown_column", lang, hint=f" ; « {hint} » ?" if hint else ""),
                    title,
                )
            )
            continue
        mapping[position] = found
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


def _letter(position: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(position + 1))


def _is_example(row: Row, columns: Sequence[Column], cells: _Cells) -> bool:
    """The template's example row, left as it was: skipped."""
    for column in columns:
        example = column.example
        raw = row.values.get(column.key)
        if example is None:
            if raw not in (None, ""):
                return False
            continue
        if raw in (None, ""):
            return False
        parsed = cells.parse(column, raw)
        if isinstance(parsed, str) or [t.value for t in parsed] != [_canonical(example, column)]:
            return False
    return True


def _canonical(example: ox.NamedNode | ox.Literal, column: Column) -> str:
    if column.datatype == XSD + "decimal":
        return format(Decimal(example.value).normalize(), "f")
    return str(example.value)


def _created_technology(
    iri: str, name: str, maker: str, parsed: dict[str, list[ox.NamedNode | ox.Literal]], source: ox.Literal
) -> list[ox.Triple]:
    """A technology no known one matched: described from the row, flagged for review."""
    tech = ox.NamedNode(iri)
    triples = [
        ox.Triple(tech, RDF_TYPE, ox.NamedNode(EG + "DigitalTechnology")),
        ox.Triple(tech, ox.NamedNode(RDFS + "label"), ox.Literal(name, language="fr")),
        ox.Triple(tech, ox.NamedNode(RDFS + "label"), ox.Literal(name, language="en")),
        ox.Triple(tech, ox.NamedNode(EG + "needsReview"), ox.Literal("true", datatype=ox.NamedNode(XSD + "boolean"))),
        ox.Triple(tech, DCT_SOURCE, source),
    ]
    for key, prop in (("purpose", "intendedPurpose"), ("users", "intendedUser")):
        triples += [ox.Triple(tech, ox.NamedNode(EG + prop), v) for v in parsed.get(key, [])]
    for key, prop in (
        ("qualification", "regulatoryQualification"),
        ("ai_system", "isAISystem"),
        ("generative_ai", "isGenerativeAI"),
    ):
        triples += [ox.Triple(tech, ox.NamedNode(EG + prop), v) for v in parsed.get(key, [])]
    if maker:
        org = ox.NamedNode(f"{EGR}org-{slug(maker)}")
        triples += [
            ox.Triple(tech, ox.NamedNode(EG + "manufacturer"), org),
            ox.Triple(org, RDF_TYPE, ox.NamedNode(EG + "Company")),
            ox.Triple(org, ox.NamedNode(RDFS + "label"), ox.Literal(maker, language="fr")),
            ox.Triple(org, ox.NamedNode(RDFS + "label"), ox.Literal(maker, language="en")),
            ox.Triple(org, DCT_SOURCE, source),
        ]
    if "device_class" in parsed:
        marking = ox.NamedNode(f"{iri}-ce")
        qualification = parsed.get("qualification", [])
        regulation = EGR + ("law-ivdr" if qualification and qualification[0].value.endswith("ivdr") else "law-mdr")
        triples += [
            ox.Triple(tech, ox.NamedNode(EG + "hasRegulatoryStatus"), marking),
            ox.Triple(marking, RDF_TYPE, ox.NamedNode(EG + "CEMarking")),
            ox.Triple(marking, ox.NamedNode(EG + "underRegulation"), ox.NamedNode(regulation)),
            ox.Triple(marking, ox.NamedNode(EG + "deviceClass"), parsed["device_class"][0]),
            ox.Triple(marking, DCT_SOURCE, source),
        ]
    return triples


def iter_problems(report: ImportReport) -> Iterator[Problem]:
    yield from sorted(report.problems, key=lambda p: (p.sheet, p.row, p.column))
