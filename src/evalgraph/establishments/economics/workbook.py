"""The sheet as an XLSX workbook: the assumptions, one row per deployment with every input in its own cell (empty
when not given), and the budget impact, whose figures are Excel formulas over those cells — change an assumption
and the figures follow."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .model import FIELDS, ZERO, Sheet
from .wording import BUDGET_COLUMNS, notice, rules

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

# Columns of the assumption sheet: deployment, technology, department, inventory row, then the eleven inputs.
_FIRST_INPUT = 5
_PARAMETER_ROWS = {"horizon": 2, "discount_rate": 3}
_HEADER_ROW = 5
MONEY = '#,##0.00 "€"'


def sheet_names(lang: str) -> tuple[str, str]:
    """(assumptions, budget impact): Excel forbids '/' in sheet names, so each language has its own."""
    return ("Hypothèses", "Impact budgétaire") if lang == "fr" else ("Assumptions", "Budget impact")


def input_column(name: str) -> str:
    """The letter of the assumption-sheet column holding input ``name``."""
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(_FIRST_INPUT + [f.name for f in FIELDS].index(name)))


def budget_column(key: str) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(1 + [c[0] for c in BUDGET_COLUMNS].index(key)))


def write_xlsx(sheet: Sheet, path: Path, lang: str) -> None:
    """A workbook of two sheets: the assumptions, one row per deployment with every input in its own cell (empty
    when not given), and the budget impact, whose figures are Excel formulas over those cells — change an
    assumption and the figures follow."""
    from openpyxl import Workbook
    from openpyxl.utils import quote_sheetname

    workbook = Workbook()
    assumptions = workbook.active
    assert assumptions is not None
    assumption_name, budget_name = sheet_names(lang)
    assumptions.title = assumption_name
    budget = workbook.create_sheet(budget_name)
    rows = _assumption_sheet(assumptions, sheet, lang)
    _Budget(budget, quote_sheetname(assumption_name) + "!", lang).fill(sheet, rows)
    workbook.calculation.fullCalcOnLoad = True
    workbook.save(path)


def _assumption_sheet(assumptions: Worksheet, sheet: Sheet, lang: str) -> list[int]:
    """The parameters, one row of inputs per deployment and the calculation rules; the deployments' rows."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    fr, bold = lang == "fr", Font(bold=True)
    assumptions["A1"] = notice(lang)
    assumptions["A1"].font = bold
    horizon_row, rate_row = _PARAMETER_ROWS["horizon"], _PARAMETER_ROWS["discount_rate"]
    assumptions.cell(horizon_row, 1, "horizon (années)" if fr else "horizon (years)").font = bold
    assumptions.cell(horizon_row, 2, sheet.horizon)
    assumptions.cell(
        horizon_row,
        3,
        "fixé à la création du classeur : une ligne par année dans l'impact budgétaire"
        if fr
        else "fixed when the workbook was made: one row per year in the budget impact",
    )
    assumptions.cell(rate_row, 1, "taux d'actualisation (par an)" if fr else "discount rate (per year)").font = bold
    assumptions.cell(rate_row, 2, sheet.discount_rate or ZERO).number_format = "0.00%"
    assumptions.cell(
        rate_row,
        3,
        "0 = aucune actualisation ; facteur de l'année a = 1/(1+taux)^(a−1)"
        if fr
        else "0 = no discounting; factor of year y = 1/(1+rate)^(y−1)",
    )
    headers = _input_headers(lang)
    for index, text in enumerate(headers, 1):
        assumptions.cell(_HEADER_ROW, index, text).font = bold
    rows = _input_rows(assumptions, sheet, lang)
    rules_row = _HEADER_ROW + len(sheet.deployments) + 2
    assumptions.cell(rules_row, 1, "Règles de calcul" if fr else "Calculation rules").font = bold
    for offset, text in enumerate(rules(sheet, lang), 1):
        assumptions.cell(rules_row + offset, 1, text)
    assumptions.freeze_panes = assumptions.cell(_HEADER_ROW + 1, 3)
    for index in range(1, len(headers) + 1):
        assumptions.column_dimensions[get_column_letter(index)].width = 18 if index > 4 else 28
    return rows


def _input_headers(lang: str) -> list[str]:
    fr = lang == "fr"
    headers = (
        ["déploiement", "technologie", "service", "ligne d'inventaire"]
        if fr
        else ["deployment", "technology", "department", "inventory row"]
    )
    headers += [f"{spec.label(lang)} ({spec.unit(lang)})" for spec in FIELDS]
    headers.append("non renseignées (comptées 0)" if fr else "not given (counted as 0)")
    return headers


def _input_rows(assumptions: Worksheet, sheet: Sheet, lang: str) -> list[int]:
    """One row per deployment: who it is, every input (empty and highlighted when not given), what is missing."""
    from openpyxl.styles import PatternFill

    missing_fill = PatternFill("solid", fgColor="FFF4CE")
    rows: list[int] = []
    for offset, deployment in enumerate(sheet.deployments, 1):
        row = _HEADER_ROW + offset
        rows.append(row)
        inputs = deployment.inputs
        for column, value in enumerate((inputs.deployment, inputs.technology, inputs.department, inputs.row), 1):
            assumptions.cell(row, column, value)
        for index, spec in enumerate(FIELDS):
            cell = assumptions.cell(row, _FIRST_INPUT + index, inputs.value(spec.name))
            if inputs.value(spec.name) is None:
                cell.fill = missing_fill
        assumptions.cell(
            row,
            _FIRST_INPUT + len(FIELDS),
            " ; ".join(
                a.name(lang) + (f" ({a.status_text(lang)})" if a.status == "unreadable" else "")
                for a in deployment.assumptions
                if a.status != "given"
            ),
        )
    return rows


class _Budget:
    """The budget-impact sheet: one row per deployment and year, then the totals, all formulas."""

    def __init__(self, budget: Worksheet, ref: str, lang: str) -> None:
        self.budget, self.ref, self.lang = budget, ref, lang
        self.col = {key: budget_column(key) for key, _, _ in BUDGET_COLUMNS}
        self.rate_cell = f"{ref}$B${_PARAMETER_ROWS['discount_rate']}"

    def put(self, row: int, key: str, value: object) -> None:
        cell = self.budget[f"{self.col[key]}{row}"]
        cell.value = value
        cell.number_format = "0.0000" if key == "factor" else "0" if key == "year" else MONEY

    def inp(self, name: str, row: int) -> str:
        return f"{self.ref}{input_column(name)}{row}"

    def fill(self, sheet: Sheet, rows: list[int]) -> None:
        from openpyxl.styles import Font

        fr, bold, budget = self.lang == "fr", Font(bold=True), self.budget
        budget["A1"] = notice(self.lang)
        budget["A1"].font = bold
        for index, (_, label_fr, label_en) in enumerate(BUDGET_COLUMNS, 1):
            budget.cell(3, index, label_fr if fr else label_en).font = bold
        line = first = 4
        for deployment, source in zip(sheet.deployments, rows, strict=True):
            for year in deployment.years:
                budget.cell(line, 1, deployment.inputs.title(self.lang))
                self._deployment_year(line, year.year, source)
                line += 1
        last = line - 1
        line += 1
        budget.cell(line, 1, "Total — tous les déploiements" if fr else "Total — all deployments").font = bold
        for year in sheet.total:
            line += 1
            self._total_year(line, year.year, first, last, bool(sheet.deployments))
        budget.freeze_panes = "C4"
        budget.column_dimensions["A"].width = 48
        for key, _, _ in BUDGET_COLUMNS[1:]:
            budget.column_dimensions[self.col[key]].width = 8 if key == "year" else 18

    def _deployment_year(self, line: int, year: int, source: int) -> None:
        def inputs(*names: str) -> str:
            return "+".join(self.inp(n, source) for n in names)

        self.put(line, "year", year)
        self.put(
            line, "one_off", "=" + inputs("acquisition_cost", "integration_cost", "training_cost") if year == 1 else 0
        )
        self.put(
            line,
            "recurring",
            "="
            + inputs("annual_licence_cost", "annual_hosting_cost", "annual_maintenance_cost")
            + f"+{self.inp('annual_staff_hours', source)}*{self.inp('staff_hourly_cost', source)}",
        )
        self.put(
            line, "time_saved", f"={self.inp('annual_hours_saved', source)}*{self.inp('staff_hourly_cost', source)}"
        )
        self.put(
            line,
            "activity",
            f"={self.inp('annual_additional_activity', source)}*{self.inp('revenue_per_activity', source)}",
        )
        self._derived(line, first_year=year == 1)

    def _total_year(self, line: int, year: int, first: int, last: int, any_deployment: bool) -> None:
        col = self.col
        self.budget.cell(line, 1, "Total")
        self.put(line, "year", year)
        for key in ("one_off", "recurring", "time_saved", "activity"):
            if any_deployment:
                self.put(
                    line,
                    key,
                    f"=SUMIF(${col['year']}${first}:${col['year']}${last},${col['year']}{line},"
                    f"{col[key]}${first}:{col[key]}${last})",
                )
            else:
                self.put(line, key, 0)
        self._derived(line, first_year=year == 1)

    def _derived(self, line: int, *, first_year: bool) -> None:
        """The formulas every budget row shares: totals, net, discount factor, discounted and cumulative net."""
        col, put = self.col, self.put
        put(line, "costs", f"={col['one_off']}{line}+{col['recurring']}{line}")
        put(line, "effects", f"={col['time_saved']}{line}+{col['activity']}{line}")
        put(line, "net", f"={col['effects']}{line}-{col['costs']}{line}")
        put(line, "factor", f"=1/(1+{self.rate_cell})^({col['year']}{line}-1)")
        put(line, "discounted_net", f"={col['net']}{line}*{col['factor']}{line}")
        put(
            line,
            "cumulative",
            f"={col['discounted_net']}{line}"
            if first_year
            else f"={col['cumulative']}{line - 1}+{col['discounted_net']}{line}",
        )
