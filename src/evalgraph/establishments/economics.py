"""The economic sheet: a budget-impact calculator of an establishment's own assumptions, per deployment.

It is a transparent calculator, not a verdict on a technology: it adds up the costs of integrating each deployed
technology (acquisition or licence, integration, hosting, training, maintenance, staff time) and the effects the
establishment expects (time saved, additional activity), year by year over a horizon of N years, and shows every
assumption next to the figures. It gives no score, no ranking and no judgement. It does not implement any HAS
economic-evaluation method.

The inputs are the eleven optional economic properties of an ``eg:Deployment`` (ontology/establishment.ttl), read
with the named query ``deployment-economics``. For year ``y`` of ``1..N``:

* one-off costs = acquisition + integration + training, in year 1 only;
* recurring costs = licence + hosting + maintenance + staff hours × staff hourly cost, every year;
* valued effects = hours saved × staff hourly cost + additional activity × revenue per act, every year;
* net = valued effects − (one-off + recurring costs);
* discounted net = net × 1 / (1 + r)^(y − 1), with r = 0 (no discounting) unless a discount rate is given;
* cumulative net = running sum of the discounted nets.

Arithmetic is exact (:class:`~decimal.Decimal`). An input that is not given counts as 0 and is listed as "not
given" in the assumptions, never silently. :func:`write_xlsx` writes a workbook whose figures are live formulas over
the assumption cells; :func:`html_section` an HTML fragment (tables, inline SVG chart, no script) that a report can
embed, and :func:`render_html` a standalone page.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from evalgraph import pages, resources
from evalgraph.establishments import inventory
from evalgraph.store import queries
from evalgraph.store.oxigraph import Store
from evalgraph.vocab import compact

QUERY = "deployment-economics"
XSD_DECIMAL = "http://www.w3.org/2001/XMLSchema#decimal"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
ZERO = Decimal(0)
ONE = Decimal(1)


@dataclass(frozen=True)
class Field:
    """One economic input: its attribute on :class:`Inputs`, its ontology property, labels and unit in FR/EN."""

    name: str
    column: str
    label_fr: str
    label_en: str
    unit_fr: str
    unit_en: str

    def label(self, lang: str) -> str:
        return self.label_fr if lang == "fr" else self.label_en

    def unit(self, lang: str) -> str:
        return self.unit_fr if lang == "fr" else self.unit_en


def _snake(local: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", local).lower()


@lru_cache(maxsize=1)
def _fields() -> tuple[Field, ...]:
    """The economic inputs, in the order of the inventory's economics sheet: their ontology property (its French and
    English labels name the assumption) and their unit (from forms/inventory.ttl)."""
    ontology = ox.Store()
    for file in resources.files("ontology", ".ttl"):
        ontology.bulk_load(path=str(file), format=ox.RdfFormat.TURTLE)
    fields = []
    for column in inventory.forms()["Economics"].columns:
        if column.datatype != XSD_DECIMAL:
            continue
        labels = {
            q.object.language: q.object.value
            for q in ontology.quads_for_pattern(ox.NamedNode(column.path), ox.NamedNode(RDFS_LABEL), None, None)
            if isinstance(q.object, ox.Literal)
        }
        local = column.path.rsplit("/", 1)[-1]
        fields.append(Field(_snake(local), local, labels["fr"], labels["en"], column.unit_fr, column.unit_en))
    return tuple(fields)


FIELDS: tuple[Field, ...] = _fields()
FIELD_BY_NAME = {f.name: f for f in FIELDS}


@dataclass(frozen=True)
class Inputs:
    """What the establishment entered for one deployment; ``None`` is an input not given."""

    deployment: str
    technology: str
    department: str = ""
    row: int | None = None
    acquisition_cost: Decimal | None = None
    annual_licence_cost: Decimal | None = None
    integration_cost: Decimal | None = None
    annual_hosting_cost: Decimal | None = None
    training_cost: Decimal | None = None
    annual_maintenance_cost: Decimal | None = None
    annual_staff_hours: Decimal | None = None
    staff_hourly_cost: Decimal | None = None
    annual_hours_saved: Decimal | None = None
    annual_additional_activity: Decimal | None = None
    revenue_per_activity: Decimal | None = None
    technology_iri: str = ""
    unreadable: tuple[tuple[str, str], ...] = ()
    """(input name, text) of values found in the store that are not numbers: counted as 0 and listed as such."""

    def value(self, name: str) -> Decimal | None:
        number = getattr(self, name)
        assert number is None or isinstance(number, Decimal)
        return number

    def amount(self, name: str) -> Decimal:
        """The input, 0 when not given."""
        return self.value(name) or ZERO

    def not_given(self) -> tuple[str, ...]:
        return tuple(f.name for f in FIELDS if self.value(f.name) is None)

    def origin(self, lang: str) -> str:
        if self.row is not None:
            return f"ligne {self.row} de l'inventaire" if lang == "fr" else f"inventory row {self.row}"
        return f"déploiement {compact(self.deployment)}" if lang == "fr" else f"deployment {compact(self.deployment)}"

    def title(self, lang: str) -> str:
        """Technology — department (origin), to name the deployment in the outputs."""
        parts = [self.technology or compact(self.technology_iri or self.deployment)]
        if self.department:
            parts.append(self.department)
        return " — ".join(parts) + f" ({self.origin(lang)})"


@dataclass(frozen=True)
class Assumption:
    """One assumption of the sheet as shown to the reader: its value (``None`` when not given) and where it is from."""

    deployment: str
    key: str
    name_fr: str
    name_en: str
    value: Decimal | None
    unit_fr: str
    unit_en: str
    origin_fr: str
    origin_en: str
    status: str = "given"
    """``given``, ``not-given`` (counted as 0), ``unreadable`` (counted as 0) or ``parameter`` (of the calculation)."""
    raw: str = ""

    def name(self, lang: str) -> str:
        return self.name_fr if lang == "fr" else self.name_en

    def unit(self, lang: str) -> str:
        return self.unit_fr if lang == "fr" else self.unit_en

    def origin(self, lang: str) -> str:
        return self.origin_fr if lang == "fr" else self.origin_en

    def status_text(self, lang: str) -> str:
        texts = {
            "given": ("renseignée", "given"),
            "not-given": ("non renseignée — comptée 0", "not given — counted as 0"),
            "unreadable": (f"illisible (« {self.raw} ») — comptée 0", f"unreadable ('{self.raw}') — counted as 0"),
            "parameter": ("paramètre du calcul", "parameter of the calculation"),
        }
        fr, en = texts[self.status]
        return fr if lang == "fr" else en


@dataclass(frozen=True)
class Year:
    """The figures of one year, undiscounted except ``discounted_net`` and ``cumulative``."""

    year: int
    one_off: Decimal
    recurring: Decimal
    time_saved: Decimal
    activity: Decimal
    factor: Decimal
    cumulative: Decimal

    @property
    def costs(self) -> Decimal:
        return self.one_off + self.recurring

    @property
    def effects(self) -> Decimal:
        return self.time_saved + self.activity

    @property
    def net(self) -> Decimal:
        return self.effects - self.costs

    @property
    def discounted_net(self) -> Decimal:
        return self.net * self.factor


@dataclass(frozen=True)
class DeploymentSheet:
    inputs: Inputs
    years: tuple[Year, ...]
    assumptions: tuple[Assumption, ...]


@dataclass(frozen=True)
class Sheet:
    """The budget impact of an establishment's deployments over ``horizon`` years, with every assumption."""

    horizon: int
    discount_rate: Decimal | None
    deployments: tuple[DeploymentSheet, ...]
    total: tuple[Year, ...]
    parameters: tuple[Assumption, ...]

    @property
    def assumptions(self) -> tuple[Assumption, ...]:
        """The parameters of the calculation, then every input of every deployment (given or not)."""
        return self.parameters + tuple(a for d in self.deployments for a in d.assumptions)

    @property
    def discounted(self) -> bool:
        return bool(self.discount_rate)


# ------------------------------------------------------------------------------------------------------- reading


def _number(term: object) -> tuple[Decimal | None, str]:
    """The decimal value of a literal and, when it is not a finite number, its text."""
    if term is None:
        return None, ""
    text = term.value if isinstance(term, ox.Literal) else str(term)
    try:
        number = Decimal(text.strip())
    except InvalidOperation:
        return None, text
    return (number, "") if number.is_finite() else (None, text)


def read(store: Store, establishment: str, lang: str, override: Path | None = None) -> list[Inputs]:
    """The deployments of ``establishment`` (an IRI, or a prefixed name such as egr:org-x) with their economic
    inputs, in inventory-row order, read with the named query ``deployment-economics``."""
    named = queries.load(QUERY, override)
    result = store.query(named.text, queries.bind(named, {"establishment": establishment, "lang": lang}))
    column = {name: index for index, name in enumerate(result.variables)}
    found: list[Inputs] = []
    for row in result.rows:

        def cell(name: str, row: tuple[object, ...] = row) -> object:
            return row[column[name]]

        deployment, technology, label, department, number = (
            cell("deployment"),
            cell("technology"),
            cell("technologyLabel"),
            cell("department"),
            cell("inventoryRow"),
        )
        values: dict[str, Decimal | None] = {}
        unreadable: list[tuple[str, str]] = []
        for spec in FIELDS:
            value, raw = _number(cell(spec.column))
            values[spec.name] = value
            if raw:
                unreadable.append((spec.name, raw))
        row_number = None
        if isinstance(number, ox.Literal) and number.value.strip().lstrip("+").isdigit():
            row_number = int(number.value)
        found.append(
            Inputs(
                deployment=deployment.value if isinstance(deployment, ox.NamedNode | ox.BlankNode) else str(deployment),
                technology=label.value if isinstance(label, ox.Literal) else "",
                department=department.value if isinstance(department, ox.Literal) else "",
                row=row_number,
                technology_iri=technology.value if isinstance(technology, ox.NamedNode) else "",
                unreadable=tuple(unreadable),
                **values,
            )
        )
    return found


# ----------------------------------------------------------------------------------------------------- computing


def _parameters(horizon: int, rate: Decimal | None) -> tuple[Assumption, ...]:
    origin_fr, origin_en = "paramètre du calcul", "parameter of the calculation"
    if rate:
        discount = Assumption(
            "",
            "discount_rate",
            "taux d'actualisation",
            "discount rate",
            rate,
            "par an (facteur 1/(1+r)^(année−1))",
            "per year (factor 1/(1+r)^(year−1))",
            origin_fr,
            origin_en,
            "parameter",
        )
    else:
        discount = Assumption(
            "",
            "discount_rate",
            "taux d'actualisation",
            "discount rate",
            ZERO,
            "aucune actualisation",
            "no discounting",
            origin_fr,
            origin_en,
            "parameter",
        )
    return (
        Assumption(
            "", "horizon", "horizon", "horizon", Decimal(horizon), "années", "years", origin_fr, origin_en, "parameter"
        ),
        discount,
    )


def _assumptions(inputs: Inputs) -> tuple[Assumption, ...]:
    unreadable = dict(inputs.unreadable)
    listed = []
    for spec in FIELDS:
        value = inputs.value(spec.name)
        status = "given" if value is not None else "unreadable" if spec.name in unreadable else "not-given"
        listed.append(
            Assumption(
                inputs.deployment,
                spec.name,
                spec.label_fr,
                spec.label_en,
                value,
                spec.unit_fr,
                spec.unit_en,
                inputs.origin("fr"),
                inputs.origin("en"),
                status,
                unreadable.get(spec.name, ""),
            )
        )
    return tuple(listed)


def _factor(year: int, rate: Decimal | None) -> Decimal:
    return ONE / (ONE + rate) ** (year - 1) if rate else ONE


def _years(inputs: Inputs, horizon: int, rate: Decimal | None) -> tuple[Year, ...]:
    a = inputs.amount
    one_off = a("acquisition_cost") + a("integration_cost") + a("training_cost")
    recurring = (
        a("annual_licence_cost")
        + a("annual_hosting_cost")
        + a("annual_maintenance_cost")
        + a("annual_staff_hours") * a("staff_hourly_cost")
    )
    time_saved = a("annual_hours_saved") * a("staff_hourly_cost")
    activity = a("annual_additional_activity") * a("revenue_per_activity")
    years: list[Year] = []
    cumulative = ZERO
    for year in range(1, horizon + 1):
        entry = Year(year, one_off if year == 1 else ZERO, recurring, time_saved, activity, _factor(year, rate), ZERO)
        cumulative += entry.discounted_net
        years.append(
            Year(entry.year, entry.one_off, entry.recurring, entry.time_saved, entry.activity, entry.factor, cumulative)
        )
    return tuple(years)


def _sum(sheets: Sequence[tuple[Year, ...]], horizon: int, rate: Decimal | None) -> tuple[Year, ...]:
    total: list[Year] = []
    cumulative = ZERO
    for index in range(horizon):
        rows = [years[index] for years in sheets]
        entry = Year(
            index + 1,
            sum((r.one_off for r in rows), ZERO),
            sum((r.recurring for r in rows), ZERO),
            sum((r.time_saved for r in rows), ZERO),
            sum((r.activity for r in rows), ZERO),
            _factor(index + 1, rate),
            ZERO,
        )
        cumulative += entry.discounted_net
        total.append(
            Year(entry.year, entry.one_off, entry.recurring, entry.time_saved, entry.activity, entry.factor, cumulative)
        )
    return tuple(total)


def compute(inputs: Sequence[Inputs], years: int, discount_rate: Decimal | None = None) -> Sheet:
    """The budget impact of each deployment and of all of them over ``years`` years (see the module docstring).

    ``discount_rate`` (e.g. ``Decimal("0.04")``) discounts the net of year y by 1/(1+r)^(y−1); none by default.
    """
    if years < 1:
        raise ValueError("the horizon is at least one year")
    rate = Decimal(discount_rate) if discount_rate is not None else None
    if rate is not None and (not rate.is_finite() or rate <= -1):
        raise ValueError("the discount rate is a number above -1 (e.g. 0.04 for 4 % a year)")
    deployments = tuple(DeploymentSheet(i, _years(i, years, rate), _assumptions(i)) for i in inputs)
    total = _sum([d.years for d in deployments], years, rate)
    return Sheet(years, rate, deployments, total, _parameters(years, rate))


# ------------------------------------------------------------------------------------------------------ wording


def notice(lang: str) -> str:
    """What the sheet is, and what it is not."""
    if lang == "fr":
        return (
            "Cette fiche est un calculateur d'impact budgétaire fondé sur les hypothèses propres de "
            "l'établissement : elle donne des chiffres et les hypothèses dont ils découlent, et ne note, ne "
            "classe ni ne juge aucune technologie. Elle n'applique aucune méthode d'évaluation économique de la "
            "HAS."
        )
    return (
        "This sheet is a budget-impact calculator of the establishment's own assumptions: it gives figures and "
        "the assumptions they follow from, and does not score, rank or judge any technology. It does not "
        "implement any HAS economic-evaluation method."
    )


def rules(sheet: Sheet, lang: str) -> list[str]:
    """The calculation rules, as sentences: assumptions of the method itself."""
    if lang == "fr":
        listed = [
            "Coûts ponctuels (acquisition + intégration + formation) : en année 1 seulement.",
            "Coûts récurrents (licence + hébergement + maintenance + heures de personnel × coût horaire) : chaque "
            "année, constants (ni inflation ni montée en charge).",
            "Effets valorisés (heures gagnées × coût horaire + activité supplémentaire × recette par acte) : chaque "
            "année dès l'année 1, constants.",
            "Solde = effets valorisés − coûts ; solde cumulé = somme des soldes "
            + ("actualisés " if sheet.discounted else "")
            + "des années écoulées.",
            "Une donnée non renseignée compte pour 0 et figure comme telle dans les hypothèses.",
            "Montants en euros, tels que saisis par l'établissement.",
        ]
        listed.append(
            f"Actualisation : solde de l'année a × 1/(1+{_rate(sheet, lang)})^(a−1)."
            if sheet.discounted
            else "Aucune actualisation."
        )
        return listed
    listed = [
        "One-off costs (acquisition + integration + training): in year 1 only.",
        "Recurring costs (licence + hosting + maintenance + staff hours × hourly cost): every year, constant (no "
        "inflation, no ramp-up).",
        "Valued effects (hours saved × hourly cost + additional activity × revenue per act): every year from year 1, "
        "constant.",
        "Net = valued effects − costs; cumulative net = sum of the "
        + ("discounted " if sheet.discounted else "")
        + "nets of the years so far.",
        "An input not given counts as 0 and is listed as such in the assumptions.",
        "Amounts in euros, as entered by the establishment.",
    ]
    listed.append(
        f"Discounting: net of year y × 1/(1+{_rate(sheet, lang)})^(y−1)." if sheet.discounted else "No discounting."
    )
    return listed


def _rate(sheet: Sheet, lang: str) -> str:
    rate = sheet.discount_rate or ZERO
    return fmt(rate * 100, lang, places=2).rstrip("0").rstrip(",.") + (" %" if lang == "fr" else "%")


def fmt(value: Decimal | None, lang: str, places: int | None = None) -> str:
    """``value`` for the reader: thousands separated, rounded to the cent (whole numbers without decimals)."""
    if value is None:
        return "—"
    if places is None:
        places = 0 if value == value.to_integral_value() else 2
    rounded = value.quantize(Decimal(1).scaleb(-places)) if places else value.quantize(ONE)
    text = f"{abs(rounded):,.{places}f}"
    if lang == "fr":
        text = text.replace(",", "\u202f").replace(".", ",")
    return ("−" if rounded < 0 else "") + text


# --------------------------------------------------------------------------------------------------------- XLSX

# Columns of the assumption sheet: deployment, technology, department, inventory row, then the eleven inputs.
_FIRST_INPUT = 5
_PARAMETER_ROWS = {"horizon": 2, "discount_rate": 3}
_HEADER_ROW = 5


def sheet_names(lang: str) -> tuple[str, str]:
    """(assumptions, budget impact): Excel forbids '/' in sheet names, so each language has its own."""
    return ("Hypothèses", "Impact budgétaire") if lang == "fr" else ("Assumptions", "Budget impact")


def input_column(name: str) -> str:
    """The letter of the assumption-sheet column holding input ``name``."""
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(_FIRST_INPUT + [f.name for f in FIELDS].index(name)))


BUDGET_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("deployment", "déploiement", "deployment"),
    ("year", "année", "year"),
    ("one_off", "coûts ponctuels (€)", "one-off costs (€)"),
    ("recurring", "coûts récurrents (€)", "recurring costs (€)"),
    ("costs", "coûts totaux (€)", "total costs (€)"),
    ("time_saved", "valeur du temps gagné (€)", "value of time saved (€)"),
    ("activity", "recettes de l'activité supplémentaire (€)", "revenue of additional activity (€)"),
    ("effects", "effets valorisés (€)", "valued effects (€)"),
    ("net", "solde (€)", "net (€)"),
    ("factor", "facteur d'actualisation", "discount factor"),
    ("discounted_net", "solde actualisé (€)", "discounted net (€)"),
    ("cumulative", "solde cumulé (€)", "cumulative net (€)"),
)


def budget_column(key: str) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(1 + [c[0] for c in BUDGET_COLUMNS].index(key)))


def write_xlsx(sheet: Sheet, path: Path, lang: str) -> None:
    """A workbook of two sheets: the assumptions, one row per deployment with every input in its own cell (empty
    when not given), and the budget impact, whose figures are Excel formulas over those cells — change an
    assumption and the figures follow."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter, quote_sheetname

    fr = lang == "fr"
    bold = Font(bold=True)
    missing_fill = PatternFill("solid", fgColor="FFF4CE")
    money = '#,##0.00 "€"'
    workbook = Workbook()
    assumptions = workbook.active
    assert assumptions is not None
    assumption_name, budget_name = sheet_names(lang)
    assumptions.title = assumption_name
    budget = workbook.create_sheet(budget_name)
    ref = quote_sheetname(assumption_name) + "!"

    # -- assumptions
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
    headers = (
        ["déploiement", "technologie", "service", "ligne d'inventaire"]
        if fr
        else ["deployment", "technology", "department", "inventory row"]
    )
    headers += [f"{spec.label(lang)} ({spec.unit(lang)})" for spec in FIELDS]
    headers.append("non renseignées (comptées 0)" if fr else "not given (counted as 0)")
    for index, text in enumerate(headers, 1):
        assumptions.cell(_HEADER_ROW, index, text).font = bold
    rows: list[int] = []
    for offset, deployment in enumerate(sheet.deployments, 1):
        row = _HEADER_ROW + offset
        rows.append(row)
        inputs = deployment.inputs
        assumptions.cell(row, 1, inputs.deployment)
        assumptions.cell(row, 2, inputs.technology)
        assumptions.cell(row, 3, inputs.department)
        assumptions.cell(row, 4, inputs.row)
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
    rules_row = _HEADER_ROW + len(sheet.deployments) + 2
    assumptions.cell(rules_row, 1, "Règles de calcul" if fr else "Calculation rules").font = bold
    for offset, text in enumerate(rules(sheet, lang), 1):
        assumptions.cell(rules_row + offset, 1, text)
    assumptions.freeze_panes = assumptions.cell(_HEADER_ROW + 1, 3)
    for index in range(1, len(headers) + 1):
        assumptions.column_dimensions[get_column_letter(index)].width = 18 if index > 4 else 28

    # -- budget impact
    col = {key: budget_column(key) for key, _, _ in BUDGET_COLUMNS}
    budget["A1"] = notice(lang)
    budget["A1"].font = bold
    for index, (_, label_fr, label_en) in enumerate(BUDGET_COLUMNS, 1):
        budget.cell(3, index, label_fr if fr else label_en).font = bold
    rate_cell = f"{ref}$B${rate_row}"

    def inp(name: str, row: int) -> str:
        return f"{ref}{input_column(name)}{row}"

    def put(row: int, key: str, value: object) -> None:
        cell = budget[f"{col[key]}{row}"]
        cell.value = value
        cell.number_format = "0.0000" if key == "factor" else "0" if key == "year" else money

    line = 4
    first = line
    for deployment, source in zip(sheet.deployments, rows, strict=True):
        for year in deployment.years:
            budget.cell(line, 1, deployment.inputs.title(lang))
            put(line, "year", year.year)
            put(
                line,
                "one_off",
                "=" + "+".join(inp(n, source) for n in ("acquisition_cost", "integration_cost", "training_cost"))
                if year.year == 1
                else 0,
            )
            put(
                line,
                "recurring",
                "="
                + "+".join(
                    inp(n, source) for n in ("annual_licence_cost", "annual_hosting_cost", "annual_maintenance_cost")
                )
                + f"+{inp('annual_staff_hours', source)}*{inp('staff_hourly_cost', source)}",
            )
            put(line, "time_saved", f"={inp('annual_hours_saved', source)}*{inp('staff_hourly_cost', source)}")
            put(line, "activity", f"={inp('annual_additional_activity', source)}*{inp('revenue_per_activity', source)}")
            _derived(put, col, line, rate_cell, first_year=year.year == 1)
            line += 1
    last = line - 1
    line += 1
    budget.cell(line, 1, "Total — tous les déploiements" if fr else "Total — all deployments").font = bold
    line += 1
    for year in sheet.total:
        budget.cell(line, 1, "Total")
        put(line, "year", year.year)
        for key in ("one_off", "recurring", "time_saved", "activity"):
            if sheet.deployments:
                put(
                    line,
                    key,
                    f"=SUMIF(${col['year']}${first}:${col['year']}${last},${col['year']}{line},"
                    f"{col[key]}${first}:{col[key]}${last})",
                )
            else:
                put(line, key, 0)
        _derived(put, col, line, rate_cell, first_year=year.year == 1)
        line += 1
    budget.freeze_panes = "C4"
    budget.column_dimensions["A"].width = 48
    for key, _, _ in BUDGET_COLUMNS[1:]:
        budget.column_dimensions[col[key]].width = 8 if key == "year" else 18
    workbook.calculation.fullCalcOnLoad = True
    workbook.save(path)


def _derived(
    put: Callable[[int, str, object], None], col: dict[str, str], line: int, rate_cell: str, *, first_year: bool
) -> None:
    """The formulas every budget row shares: totals, net, discount factor, discounted and cumulative net."""
    put(line, "costs", f"={col['one_off']}{line}+{col['recurring']}{line}")
    put(line, "effects", f"={col['time_saved']}{line}+{col['activity']}{line}")
    put(line, "net", f"={col['effects']}{line}-{col['costs']}{line}")
    put(line, "factor", f"=1/(1+{rate_cell})^({col['year']}{line}-1)")
    put(line, "discounted_net", f"={col['net']}{line}*{col['factor']}{line}")
    put(
        line,
        "cumulative",
        f"={col['discounted_net']}{line}"
        if first_year
        else f"={col['cumulative']}{line - 1}+{col['discounted_net']}{line}",
    )


# --------------------------------------------------------------------------------------------------------- HTML


def chart_svg(years: Sequence[Year], lang: str) -> str:
    """Vertical bars of the cumulative net by year, above or below a zero line; inline SVG, nothing fetched."""
    width, height, left, top, bottom = 640, 240, 90, 16, 36
    plot = height - top - bottom
    values = [y.cumulative for y in years] or [ZERO]
    high, low = max([ZERO, *values]), min([ZERO, *values])
    span = (high - low) or ONE

    def y_of(value: Decimal) -> float:
        return top + float((high - value) / span) * plot

    zero = y_of(ZERO)
    step = (width - left - 10) / max(1, len(years))
    label = "solde cumulé par année" if lang == "fr" else "cumulative net by year"
    parts = [
        f'<svg class="chart economics-chart" xmlns="http://www.w3.org/2000/svg" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img" aria-label="{html.escape(label)}">',
        f"<title>{html.escape(label)}</title>",
    ]
    for value in sorted({high, low}):
        parts.append(
            f'<text x="{left - 6}" y="{y_of(value) + 4:.1f}" text-anchor="end" font-size="11">'
            f"{html.escape(fmt(value, lang))} €</text>"
        )
    for year in years:
        x = left + (year.year - 1) * step + step * 0.15
        y = y_of(year.cumulative)
        top_y, bar_h = min(y, zero), abs(zero - y)
        fill = "#1a73e8" if year.cumulative >= 0 else "#e8710a"
        text = (
            f"année {year.year} : {fmt(year.cumulative, lang)} €"
            if lang == "fr"
            else f"year {year.year}: {fmt(year.cumulative, lang)} €"
        )
        parts.append(
            f'<rect class="bar" x="{x:.1f}" y="{top_y:.1f}" width="{step * 0.7:.1f}" '
            f'height="{max(bar_h, 0.5):.1f}" fill="{fill}"><title>{html.escape(text)}</title></rect>'
        )
        parts.append(
            f'<text x="{x + step * 0.35:.1f}" y="{height - bottom + 16}" text-anchor="middle" '
            f'font-size="11">{"a" if lang == "fr" else "y"}{year.year}</text>'
        )
    parts.append(f'<line x1="{left}" y1="{zero:.1f}" x2="{width - 10}" y2="{zero:.1f}" stroke="#5f6368"/>')
    parts.append("</svg>")
    return "".join(parts)


def _years_table(years: Sequence[Year], lang: str, discounted: bool, caption: str) -> str:
    keys = [k for k, _, _ in BUDGET_COLUMNS[1:] if discounted or k not in ("factor", "discounted_net")]
    labels = {k: (fr if lang == "fr" else en) for k, fr, en in BUDGET_COLUMNS}
    head = "".join(f"<th>{html.escape(labels[k])}</th>" for k in keys)
    body = []
    for year in years:
        cells = []
        for key in keys:
            value = getattr(year, key)
            text = str(value) if key == "year" else fmt(value, lang, 4) if key == "factor" else fmt(value, lang)
            cells.append(f'<td class="num">{html.escape(text)}</td>')
        body.append(f"<tr>{''.join(cells)}</tr>")
    return (
        f'<div class="scroll"><table class="economics-years"><caption>{html.escape(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
    )


def _assumptions_table(assumptions: Sequence[Assumption], lang: str, caption: str) -> str:
    fr = lang == "fr"
    head = "".join(
        f"<th>{h}</th>"
        for h in (
            ("hypothèse", "valeur", "unité", "statut", "origine")
            if fr
            else ("assumption", "value", "unit", "status", "origin")
        )
    )
    body = []
    for a in assumptions:
        value = (
            "—"
            if a.value is None
            else (f"{fmt(a.value * 100, lang, 2)} %" if a.key == "discount_rate" and a.value else fmt(a.value, lang))
        )
        css = f' class="{a.status}"' if a.status != "given" else ""
        body.append(
            f'<tr{css}><td>{html.escape(a.name(lang))}</td><td class="num">{html.escape(value)}</td>'
            f"<td>{html.escape(a.unit(lang))}</td><td>{html.escape(a.status_text(lang))}</td>"
            f"<td>{html.escape(a.origin(lang))}</td></tr>"
        )
    return (
        f'<div class="scroll"><table class="economics-assumptions"><caption>{html.escape(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
    )


def html_section(sheet: Sheet, lang: str) -> str:
    """The sheet as an HTML fragment — notice, calculation rules, total by year with a chart of the cumulative net,
    then each deployment with its figures and its assumptions. No script, nothing fetched."""
    fr = lang == "fr"
    out = [
        '<section class="economics" id="economics">',
        f"<h2>{'Fiche économique : impact budgétaire' if fr else 'Economic sheet: budget impact'}</h2>",
        f'<p class="notice">{html.escape(notice(lang))}</p>',
        f"<h3>{'Règles de calcul' if fr else 'Calculation rules'}</h3>",
        '<ul class="rules">' + "".join(f"<li>{html.escape(r)}</li>" for r in rules(sheet, lang)) + "</ul>",
        _assumptions_table(sheet.parameters, lang, "Paramètres du calcul" if fr else "Parameters of the calculation"),
    ]
    count = len(sheet.deployments)
    total_caption = (
        f"Total des {count} déploiement(s), par année" if fr else f"Total of the {count} deployment(s), by year"
    )
    out.append(f'<section class="economics-total"><h3>{"Total" if fr else "Total"}</h3>')
    if not sheet.deployments:
        out.append(f'<p class="empty">{"Aucun déploiement." if fr else "No deployment."}</p>')
    out.append(_years_table(sheet.total, lang, sheet.discounted, total_caption))
    out.append(
        f'<p class="legend">{"Solde cumulé par année (total) :" if fr else "Cumulative net by year (total):"}</p>'
    )
    out.append(chart_svg(sheet.total, lang))
    out.append("</section>")
    for deployment in sheet.deployments:
        inputs = deployment.inputs
        missing = [a.name(lang) for a in deployment.assumptions if a.status != "given"]
        out.append(
            f'<section class="economics-deployment" data-deployment="{html.escape(inputs.deployment)}">'
            f"<h3>{html.escape(inputs.title(lang))}</h3>"
            f'<p class="meta">{html.escape(compact(inputs.deployment))}</p>'
        )
        if missing:
            out.append(
                f'<p class="missing">{"Non renseignées, comptées 0 : " if fr else "Not given, counted as 0: "}'
                f"{html.escape(', '.join(missing))}</p>"
            )
        out.append(_years_table(deployment.years, lang, sheet.discounted, "Par année" if fr else "By year"))
        out.append(_assumptions_table(deployment.assumptions, lang, "Hypothèses" if fr else "Assumptions"))
        out.append("</section>")
    out.append("</section>")
    return "\n".join(out)


def render_html(sheet: Sheet, lang: str, title: str) -> str:
    """A standalone page (templates/economics.html, inline CSS) around :func:`html_section`."""
    from evalgraph._version import __version__

    return pages.render(
        "economics.html",
        lang=lang,
        fr=lang == "fr",
        title=title,
        version=__version__,
        section=html_section(sheet, lang),
        horizon=sheet.horizon,
        count=len(sheet.deployments),
    )


__all__ = [
    "FIELDS",
    "Assumption",
    "DeploymentSheet",
    "Field",
    "Inputs",
    "Sheet",
    "Year",
    "compute",
    "html_section",
    "notice",
    "read",
    "render_html",
    "rules",
    "write_xlsx",
]
