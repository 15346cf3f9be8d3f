"""The import of a filled inventory: every row checked cell by cell, each valid row an ``eg:Deployment`` of the
establishment linked to its technology, the economics sheet's assumptions added to the deployments, everything
written to the establishment's named graph at once."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox

from evalgraph.errors import DataFileError, UsageError
from evalgraph.i18n import LANGUAGES, message
from evalgraph.store.oxigraph import OxigraphStore, read_bytes
from evalgraph.vocab import EG, EGR, XSD

from .cells import Cells, Terms, is_example
from .form import Column, Form, forms
from .naming import establishment_graph, establishment_iri, normal, slug
from .spreadsheet import ImportReport, Problem, Row, data_rows, pick_sheet, read_table
from .technologies import created_technology, imported_file, known_technologies, labelled, match

ROW_KEYS = ("technology", "department")
"""The columns naming a deployment, in the inventory and in the economics sheet."""


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
    is_csv = file.suffix.lower() == ".csv"
    picked = ("", sheets[""]) if is_csv else pick_sheet(sheets, inventory)
    if picked is None:
        raise DataFileError("inventory_no_sheet", file=str(file), sheet=inventory.sheet, found=", ".join(sheets))
    extra = [c for c in economics.columns if c.key not in ROW_KEYS] if is_csv else []
    run = _Import(store, report, establishment, (file.name, digest), lang, override)
    run.columns, run.economics = [*inventory.columns, *extra], economics
    rows = data_rows(picked, run.columns, report, lang)
    eco = None if is_csv else pick_sheet(sheets, economics)
    economic_rows = data_rows(eco, list(economics.columns), report, lang) if eco is not None else []
    for row in rows:
        run.deployment(row, bool(extra))
    for row in economic_rows:
        run.assumptions(row)
    report.triples = store.write_graph(run.triples, report.graph, source=f"{file.name} sha256:{digest}")
    return report


class _Import:
    """One import under way: its report, the triples so far, the deployments by (technology, department)."""

    columns: list[Column]
    economics: Form

    def __init__(
        self,
        store: OxigraphStore,
        report: ImportReport,
        establishment: str,
        source: tuple[str, str],
        lang: str,
        override: Path | None,
    ) -> None:
        self.report, self.name, self.lang = report, establishment, lang
        self.cells = Cells(store, override, lang)
        self.translations = {other: Cells(store, override, other) for other in LANGUAGES if other != lang}
        """Cells read in the other languages: a rejected row's reasons are recorded in French and in English."""
        self.reasons: dict[tuple[int, str], dict[str, str]] = {}
        self.source = ox.NamedNode(f"{EGR}inventory-{slug(establishment)}-{source[1][:16]}")
        """The imported file, every fact's dct:source (an IRI: dct:source's range is a resource); its row is
        eg:inventoryRow or eg:rejectedRow."""
        self.establishment = ox.NamedNode(report.establishment)
        self.triples = [*imported_file(self.source, *source)]
        self.triples += labelled(self.establishment, "HealthEstablishment", establishment.strip(), self.source)
        self.known = known_technologies(store, override)
        self.seen: dict[tuple[str, str], int] = {}
        self.deployments: dict[tuple[str, str], ox.NamedNode] = {}
        self.rejected: dict[tuple[str, str], tuple[int, str]] = {}
        """The inventory rows left out, by (technology, department): their number and why."""

    def _problem(self, row: Row, column: str, value: str, expected: str, reasons: dict[str, str] | None = None) -> None:
        """A problem of ``row``, in the import's language (``reasons``: the same in every language, when known)."""
        self.report.problems.append(Problem(row.number, column, value, expected, row.sheet))
        if reasons is not None:
            self.reasons[(row.number, column)] = {**reasons, self.lang: expected}

    def _said(self, key: str, **params: object) -> dict[str, str]:
        return {lang: message(key, lang, **params) for lang in LANGUAGES}

    def _example(self, row: Row, columns: list[Column]) -> bool:
        if not is_example(row, columns, self.cells):
            return False
        self.report.notes.append(
            Problem(row.number, "—", "", message("inventory_example_skipped", self.lang), row.sheet)
        )
        return True

    def _parse(self, row: Row) -> dict[str, Terms] | None:
        """The row's cells as terms by column key; ``None`` when a cell is wrong (each wrong cell is a problem)."""
        parsed: dict[str, Terms] = {}
        failed = False
        for column in self.columns:
            raw = row.values.get(column.key)
            if raw is None or (isinstance(raw, str) and not raw.strip()):
                if column.required:
                    required = self._said("inventory_required")
                    self._problem(row, column.header, "", required[self.lang], required)
                    failed = True
                continue
            value = self.cells.parse(column, raw)
            if isinstance(value, str):
                others = {lang: cells.parse(column, raw) for lang, cells in self.translations.items()}
                self._problem(
                    row, column.header, str(raw), value, {k: v for k, v in others.items() if isinstance(v, str)}
                )
                failed = True
                continue
            parsed[column.key] = value
        return None if failed else parsed

    def deployment(self, row: Row, with_economics: bool) -> None:
        """The deployment of an inventory row (with its economics, in a CSV file), unless the row is wrong."""
        if self._example(row, self.columns):
            return
        self.report.rows += 1
        first = len(self.report.problems)
        parsed = self._parse(row)
        if parsed is None:
            self._reject(row, first)
            return
        name, department = str(parsed["technology"][0].value), str(parsed["department"][0].value)
        key = (normal(name), normal(department))
        if key in self.seen:
            already = self._said("inventory_duplicate", row=self.seen[key])
            self._problem(row, self.columns[0].header, name, already[self.lang], already)
            self._reject(row, first)
            return
        self.seen[key] = row.number
        technology = self._technology(name, parsed)
        deployment = ox.NamedNode(f"{EGR}deployment-{slug(self.name)}-{slug(name)}-{slug(department)}")
        self.deployments[key] = deployment
        self.triples += self._deployment(deployment, technology, f"{name} — {department}", row.number)
        for column in self.columns:
            if column.subject == "deployment" and column.key != "technology" and column.key in parsed:
                self.triples += [ox.Triple(deployment, ox.NamedNode(column.path), v) for v in parsed[column.key]]
        if with_economics and any(c.key in parsed for c in self.economics.columns if c.key not in ROW_KEYS):
            self.report.economics_rows += 1
        self.report.deployments += 1

    def _reject(self, row: Row, first: int) -> None:
        """Record why an inventory row was left out — one ``eg:InventoryRowRejection`` per problem, in the
        establishment's graph with the import's source — and remember it for the economics sheet's rows."""
        problems = self.report.problems[first:]
        name, department = (str(row.values.get(key) or "").strip() for key in ROW_KEYS)
        reason = "; ".join(f"{p.column}: {p.expected}" for p in problems)
        self.rejected.setdefault((normal(name), normal(department)), (row.number, reason))
        self.report.rejected_rows.append(row.number)
        label = " — ".join(filter(None, (name, department))) or f"{row.number}"  # the row's technology — department
        for index, problem in enumerate(problems, 1):
            node = ox.NamedNode(f"{EGR}rejection-{slug(self.name)}-row-{row.number}-{index}")
            self.triples += labelled(node, "InventoryRowRejection", label, self.source)
            self.triples += [
                ox.Triple(node, ox.NamedNode(EG + "rejectedFrom"), self.establishment),
                ox.Triple(node, ox.NamedNode(EG + "rejectedRow"), _positive(row.number)),
                ox.Triple(node, ox.NamedNode(EG + "rejectedColumn"), ox.Literal(problem.column)),
                ox.Triple(node, ox.NamedNode(EG + "rejectedValue"), ox.Literal(problem.value)),
            ]
            reasons = self.reasons.get((row.number, problem.column), {self.lang: problem.expected})
            self.triples += [
                ox.Triple(node, ox.NamedNode(EG + "rejectionReason"), ox.Literal(text, language=lang))
                for lang, text in sorted(reasons.items())
            ]

    def _technology(self, name: str, parsed: dict[str, Terms]) -> tuple[str, str]:
        """The technology the row names and how it matched; created (and described) when none matched."""
        maker = str(parsed["manufacturer"][0].value) if "manufacturer" in parsed else ""
        technology, how = match(name, maker, self.known)
        if technology is None:
            technology = f"{EGR}tech-{slug(self.name)}-{slug(name)}"
            self.triples += created_technology(technology, name, maker, parsed, self.columns, self.source)
            if technology not in self.report.created:
                self.report.created.append(technology)
        self.report.matches[how] = self.report.matches.get(how, 0) + 1
        return technology, how

    def _deployment(
        self, deployment: ox.NamedNode, technology: tuple[str, str], label: str, row: int
    ) -> list[ox.Triple]:
        triples = labelled(deployment, "Deployment", label, self.source)
        return [
            *triples,
            ox.Triple(deployment, ox.NamedNode(EG + "deployedAt"), self.establishment),
            ox.Triple(deployment, ox.NamedNode(EG + "deployedTechnology"), ox.NamedNode(technology[0])),
            ox.Triple(deployment, ox.NamedNode(EG + "technologyMatch"), ox.NamedNode(technology[1])),
            ox.Triple(deployment, ox.NamedNode(EG + "inventoryRow"), _positive(row)),
        ]

    def assumptions(self, row: Row) -> None:
        """The economic assumptions of a row of the economics sheet, added to the deployment it names."""
        if self._example(row, list(self.economics.columns)):
            return
        name, department = str(row.values.get("technology") or ""), str(row.values.get("department") or "")
        key = (normal(name), normal(department))
        target = self.deployments.get(key)
        if target is None:
            header = self.economics.columns[0].header
            rejected = self.rejected.get(key)
            why = (
                message("inventory_no_deployment", self.lang)
                if rejected is None
                else message("inventory_row_rejected", self.lang, row=rejected[0], reason=rejected[1])
            )
            self._problem(row, header, f"{name} / {department}", why)
            return
        for column in self.economics.columns:
            raw = row.values.get(column.key)
            if column.key in ROW_KEYS or raw is None or (isinstance(raw, str) and not raw.strip()):
                continue
            value = self.cells.parse(column, raw)
            if isinstance(value, str):
                self._problem(row, column.header, str(raw), value)
                continue
            self.triples += [ox.Triple(target, ox.NamedNode(column.path), v) for v in value]
        self.report.economics_rows += 1


def _positive(number: int) -> ox.Literal:
    return ox.Literal(str(number), datatype=ox.NamedNode(XSD + "positiveInteger"))


def iter_problems(report: ImportReport) -> Iterator[Problem]:
    yield from sorted(report.problems, key=lambda p: (p.sheet, p.row, p.column))
