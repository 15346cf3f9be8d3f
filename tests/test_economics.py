"""The economic sheet: a budget-impact calculator of the establishment's own assumptions (evalgraph.economics).

Worked example, computed by hand (one deployment, horizon 3 years, no discounting)::

    acquisition 10 000, integration 5 000, training 2 000           one-off, year 1 only   = 17 000
    licence 8 000/yr + hosting 1 200/yr + maintenance 800/yr         = 10 000/yr
    staff time 50 h/yr × 40 €/h                                      =  2 000/yr
                                                        recurring costs = 12 000/yr
    time saved 300 h/yr × 40 €/h                                     = 12 000/yr
    additional activity 100 acts/yr × 25 €/act                       =  2 500/yr
                                                         valued effects = 14 500/yr

    year 1: costs 17 000 + 12 000 = 29 000; effects 14 500; net 14 500 − 29 000 = −14 500; cumulative −14 500
    year 2: costs 12 000;                   effects 14 500; net +2 500;                  cumulative −12 000
    year 3: costs 12 000;                   effects 14 500; net +2 500;                  cumulative  −9 500

With a 4 % discount rate the factor of year y is 1/1.04^(y−1): year 2 net 2 500/1.04 = 2 403.846…, year 3 net
2 500/1.0816 = 2 311.390…, cumulative at year 3 −14 500 + 2 403.846… + 2 311.390… = −9 784.763…
"""

from __future__ import annotations

import ast
import operator
import re
from collections.abc import Callable
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pyoxigraph as ox
import pytest
from openpyxl.workbook.workbook import Workbook

from evalgraph.establishments import economics
from evalgraph.establishments.economics import FIELDS, Inputs, compute
from evalgraph.store import queries
from evalgraph.store.oxigraph import OxigraphStore, open_store

D = Decimal
EG = "https://w3id.org/evalgraph/ontology/"
EX = "https://example.org/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
XSD = "http://www.w3.org/2001/XMLSchema#"
GRAPH = "https://w3id.org/evalgraph/graph/establishment/test"

WORKED = Inputs(
    deployment=EX + "deployment-1", technology="Fracture reader", department="Radiology", row=3,
    acquisition_cost=D(10000), annual_licence_cost=D(8000), integration_cost=D(5000), annual_hosting_cost=D(1200),
    training_cost=D(2000), annual_maintenance_cost=D(800), annual_staff_hours=D(50), staff_hourly_cost=D(40),
    annual_hours_saved=D(300), annual_additional_activity=D(100), revenue_per_activity=D(25),
)
# Only a licence, some staff time (without its hourly cost) and hours saved: eight inputs not given.
PARTIAL = Inputs(deployment=EX + "deployment-2", technology="Scheduler", department="Outpatients", row=7,
                 annual_licence_cost=D("1500.50"), annual_staff_hours=D(10), annual_hours_saved=D(100))


# ------------------------------------------------------------------------------------------------------ compute


def test_worked_example_by_hand() -> None:
    sheet = compute([WORKED], 3)
    (deployment,) = sheet.deployments
    years = deployment.years
    assert [y.one_off for y in years] == [D(17000), 0, 0]
    assert [y.recurring for y in years] == [D(12000)] * 3
    assert [y.costs for y in years] == [D(29000), D(12000), D(12000)]
    assert [y.time_saved for y in years] == [D(12000)] * 3
    assert [y.activity for y in years] == [D(2500)] * 3
    assert [y.effects for y in years] == [D(14500)] * 3
    assert [y.net for y in years] == [D(-14500), D(2500), D(2500)]
    assert [y.factor for y in years] == [1, 1, 1]
    assert [y.cumulative for y in years] == [D(-14500), D(-12000), D(-9500)]
    assert sheet.total == years
    assert not sheet.discounted


def test_every_input_is_an_assumption_with_its_origin() -> None:
    sheet = compute([WORKED], 3)
    listed = sheet.deployments[0].assumptions
    assert [a.key for a in listed] == [f.name for f in FIELDS] and len(listed) == 11
    assert all(a.status == "given" and a.deployment == WORKED.deployment for a in listed)
    assert {a.origin("en") for a in listed} == {"inventory row 3"}
    assert {a.origin("fr") for a in listed} == {"ligne 3 de l'inventaire"}
    hourly = next(a for a in listed if a.key == "staff_hourly_cost")
    assert (hourly.name("en"), hourly.name("fr"), hourly.value, hourly.unit("en")) == (
        "staff hourly cost", "coût horaire du personnel", D(40), "€/h")
    parameters = {a.key: a for a in sheet.parameters}
    assert parameters["horizon"].value == 3 and parameters["horizon"].status == "parameter"
    assert parameters["discount_rate"].unit("en") == "no discounting"
    assert sheet.assumptions == sheet.parameters + listed


def test_missing_inputs_count_as_zero_and_are_listed_as_not_given() -> None:
    sheet = compute([PARTIAL], 2)
    missing = {a.key for a in sheet.deployments[0].assumptions if a.status == "not-given"}
    assert missing == {"acquisition_cost", "integration_cost", "annual_hosting_cost", "training_cost",
                       "annual_maintenance_cost", "staff_hourly_cost", "annual_additional_activity",
                       "revenue_per_activity"}
    assert set(PARTIAL.not_given()) == missing
    not_given = next(a for a in sheet.deployments[0].assumptions if a.key == "staff_hourly_cost")
    assert not_given.value is None
    assert not_given.status_text("en") == "not given — counted as 0"
    assert not_given.status_text("fr") == "non renseignée — comptée 0"
    # Staff hours and hours saved are valued at the (missing) hourly cost: 0, shown, not guessed.
    year1, year2 = sheet.deployments[0].years
    assert (year1.one_off, year1.recurring, year1.effects, year1.net) == (D(0), D("1500.50"), D(0), D("-1500.50"))
    assert year2.cumulative == D("-3001.00")


def test_discounting_is_optional_and_shown_as_an_assumption() -> None:
    sheet = compute([WORKED], 3, discount_rate=D("0.04"))
    years = sheet.deployments[0].years
    assert [y.factor for y in years] == [1, 1 / D("1.04"), 1 / D("1.0816")]
    assert [y.net for y in years] == [D(-14500), D(2500), D(2500)]  # the undiscounted figures stay as they are
    expected = D(-14500) + D(2500) / D("1.04") + D(2500) / D("1.0816")
    assert abs(years[-1].cumulative - expected) < D("1e-20")
    assert round(years[-1].cumulative, 3) == D("-9784.763")
    rate = next(a for a in sheet.parameters if a.key == "discount_rate")
    assert rate.value == D("0.04") and "1/(1+r)^(year−1)" in rate.unit("en")
    assert sheet.discounted
    assert any("4%" in rule for rule in economics.rules(sheet, "en"))
    assert any("4 %" in rule for rule in economics.rules(sheet, "fr"))
    assert compute([WORKED], 3, discount_rate=D(0)).deployments[0].years == compute([WORKED], 3).deployments[0].years


def test_totals_over_several_deployments() -> None:
    sheet = compute([WORKED, PARTIAL], 3)
    assert len(sheet.deployments) == 2
    for index, total in enumerate(sheet.total):
        parts = [d.years[index] for d in sheet.deployments]
        assert total.costs == sum(p.costs for p in parts)
        assert total.effects == sum(p.effects for p in parts)
        assert total.cumulative == sum(p.cumulative for p in parts)
    assert [t.net for t in sheet.total] == [D("-16000.50"), D("999.50"), D("999.50")]
    assert sheet.total[-1].cumulative == D(-9500) + 3 * D("-1500.50")
    assert compute([], 2).total[-1].cumulative == 0


@pytest.mark.parametrize(("years", "rate"), [(0, None), (3, D(-1)), (3, D("NaN"))])
def test_wrong_horizon_or_rate_is_refused(years: int, rate: Decimal | None) -> None:
    with pytest.raises(ValueError, match="horizon|discount rate"):
        compute([WORKED], years, discount_rate=rate)


def test_amounts_are_formatted_for_each_language() -> None:
    assert economics.fmt(D(-14500), "en") == "−14,500"
    assert economics.fmt(D(-14500), "fr") == "−14\u202f500"
    assert economics.fmt(D("1500.5"), "fr") == "1\u202f500,50"
    assert economics.fmt(None, "en") == "—"


# --------------------------------------------------------------------------------------------------------- read


def _literal(value: str, datatype: str = "decimal") -> ox.Literal:
    return ox.Literal(value, datatype=ox.NamedNode(XSD + datatype))


def _triple(subject: str, predicate: str, obj: ox.NamedNode | ox.Literal) -> ox.Triple:
    return ox.Triple(ox.NamedNode(subject), ox.NamedNode(predicate), obj)


@pytest.fixture
def establishment_store() -> OxigraphStore:
    """Hospital H with two deployments (rows 2 and 1), one deployment of another establishment."""
    hospital, other = EX + "org-h", EX + "org-other"
    dep1, dep2, dep3 = EX + "dep-1", EX + "dep-2", EX + "dep-3"
    triples = [
        _triple(hospital, RDF_TYPE, ox.NamedNode(EG + "HealthEstablishment")),
        _triple(hospital, LABEL, ox.Literal("Hôpital H", language="fr")),
        _triple(EX + "tech-a", LABEL, ox.Literal("Lecteur A", language="fr")),
        _triple(EX + "tech-a", LABEL, ox.Literal("Reader A", language="en")),
        _triple(EX + "tech-b", LABEL, ox.Literal("Planificateur B", language="fr")),
    ]
    for dep, tech, where, row in ((dep1, "tech-a", hospital, "2"), (dep2, "tech-b", hospital, "1"),
                                  (dep3, "tech-a", other, "1")):
        triples += [_triple(dep, RDF_TYPE, ox.NamedNode(EG + "Deployment")),
                    _triple(dep, EG + "deployedTechnology", ox.NamedNode(EX + tech)),
                    _triple(dep, EG + "deployedAt", ox.NamedNode(where)),
                    _triple(dep, EG + "inventoryRow", _literal(row, "integer"))]
    triples += [
        _triple(dep1, EG + "department", ox.Literal("Radiologie")),
        _triple(dep1, EG + "acquisitionCost", _literal("10000")),
        _triple(dep1, EG + "annualLicenceCost", _literal("8000.00")),
        _triple(dep1, EG + "integrationCost", _literal("5000")),
        _triple(dep1, EG + "annualHostingCost", _literal("1200")),
        _triple(dep1, EG + "trainingCost", _literal("2000")),
        _triple(dep1, EG + "annualMaintenanceCost", _literal("800")),
        _triple(dep1, EG + "annualStaffHours", _literal("50")),
        _triple(dep1, EG + "staffHourlyCost", _literal("40")),
        _triple(dep1, EG + "annualHoursSaved", _literal("300", "integer")),
        _triple(dep1, EG + "annualAdditionalActivity", _literal("100")),
        _triple(dep1, EG + "revenuePerActivity", _literal("25")),
        _triple(dep2, EG + "annualLicenceCost", _literal("not a number")),
        _triple(dep3, EG + "acquisitionCost", _literal("999")),
    ]
    store = open_store(None)
    store.write_graph(triples, GRAPH, source="test")
    return store


def test_read_returns_the_inputs_of_the_establishment(establishment_store: OxigraphStore) -> None:
    found = economics.read(establishment_store, EX + "org-h", "en")
    assert [i.deployment for i in found] == [EX + "dep-2", EX + "dep-1"]  # inventory-row order
    second, first = found
    assert first == Inputs(
        deployment=EX + "dep-1", technology="Reader A", department="Radiologie", row=2,
        acquisition_cost=D(10000), annual_licence_cost=D(8000), integration_cost=D(5000),
        annual_hosting_cost=D(1200), training_cost=D(2000), annual_maintenance_cost=D(800),
        annual_staff_hours=D(50), staff_hourly_cost=D(40), annual_hours_saved=D(300),
        annual_additional_activity=D(100), revenue_per_activity=D(25), technology_iri=EX + "tech-a")
    assert compute([first], 3).total[-1].cumulative == D(-9500)  # the worked example, read from the graph
    # No English label: any label rather than nothing; a value that is not a number is said so, counted as 0.
    assert second.technology == "Planificateur B" and second.row == 1 and second.department == ""
    assert second.not_given() == tuple(f.name for f in FIELDS)
    assert second.unreadable == (("annual_licence_cost", "not a number"),)
    licence = next(a for a in compute([second], 1).deployments[0].assumptions if a.key == "annual_licence_cost")
    assert licence.status == "unreadable" and "not a number" in licence.status_text("en")
    assert [i.technology for i in economics.read(establishment_store, EX + "org-h", "fr")] == [
        "Planificateur B", "Lecteur A"]
    assert economics.read(establishment_store, EX + "org-nowhere", "en") == []


def test_named_query_header_and_projected_parameters(establishment_store: OxigraphStore) -> None:
    named = queries.load("deployment-economics")
    assert [p.describe() for p in named.parameters] == ["establishment (IRI) required", "lang (string) = en"]
    assert named.columns[:2] == ("establishment", "lang")
    assert {f.column for f in FIELDS} <= set(named.columns)
    result = establishment_store.query(named.text, queries.bind(named, {"establishment": EX + "org-h"}))
    assert result.variables == list(named.columns)
    assert len(result.rows) == 2


# --------------------------------------------------------------------------------------------------------- XLSX

_REF = re.compile(r"(?:'((?:[^']|'')+)'!)?\$?([A-Z]{1,3})\$?(\d+)(?::\$?([A-Z]{1,3})\$?(\d+))?")
_OPS: dict[type, Callable[[object, object], object]] = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv,
    ast.Pow: operator.pow,
}


class Formulas:
    """Evaluates the few Excel forms the workbook uses (+ − × / ^, SUMIF, cross-sheet references) in Decimal."""

    def __init__(self, workbook: Workbook) -> None:
        self.workbook = workbook

    def value(self, sheet: str, coordinate: str) -> Decimal:
        raw = self.workbook[sheet][coordinate].value
        if raw is None:
            return D(0)  # an empty cell counts as 0, as in Excel
        if isinstance(raw, str) and raw.startswith("="):
            return self.evaluate(sheet, raw)
        assert isinstance(raw, int | float | Decimal), (sheet, coordinate, raw)
        return D(str(raw))

    def evaluate(self, sheet: str, formula: str) -> Decimal:
        refs: list[tuple[str, str, str | None]] = []

        def name(match: re.Match[str]) -> str:
            target = (match.group(1) or sheet).replace("''", "'")
            end = f"{match.group(4)}{match.group(5)}" if match.group(4) else None
            refs.append((target, f"{match.group(2)}{match.group(3)}", end))
            return f"_r{len(refs) - 1}"

        expression = _REF.sub(name, formula[1:]).replace("^", "**")
        return D(str(self._walk(ast.parse(expression, mode="eval").body, refs)))

    def _range(self, ref: tuple[str, str, str | None]) -> list[Decimal]:
        sheet, start, end = ref
        assert end is not None
        return [self.value(sheet, cell.coordinate) for row in self.workbook[sheet][f"{start}:{end}"] for cell in row]

    def _walk(self, node: ast.expr, refs: list[tuple[str, str, str | None]]) -> Decimal:
        if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
            return D(str(node.value))
        if isinstance(node, ast.Name):
            sheet, start, _ = refs[int(node.id[2:])]
            return self.value(sheet, start)
        if isinstance(node, ast.BinOp):
            left, right = self._walk(node.left, refs), self._walk(node.right, refs)
            if isinstance(node.op, ast.Pow):
                return left ** int(right)
            result = _OPS[type(node.op)](left, right)
            assert isinstance(result, Decimal)
            return result
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return -self._walk(node.operand, refs)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "SUMIF":
            criteria_range, criterion, sum_range = node.args
            assert isinstance(criteria_range, ast.Name) and isinstance(sum_range, ast.Name)
            keys = self._range(refs[int(criteria_range.id[2:])])
            wanted = self._walk(criterion, refs)
            values = self._range(refs[int(sum_range.id[2:])])
            return sum((v for k, v in zip(keys, values, strict=True) if k == wanted), D(0))
        raise AssertionError(f"unexpected formula element {ast.dump(node)}")


def _budget_rows(workbook: Workbook, lang: str) -> dict[tuple[str, int], int]:
    """(deployment title or 'Total', year) → row of the budget sheet."""
    budget = workbook[economics.sheet_names(lang)[1]]
    rows = {}
    for row in range(4, budget.max_row + 1):
        title, year = budget.cell(row, 1).value, budget.cell(row, 2).value
        if isinstance(year, int):
            rows[(str(title), year)] = row
    return rows


def _check_against(sheet: economics.Sheet, workbook: Workbook, lang: str) -> None:
    """Every figure of the budget sheet, evaluated from its formula, equals what compute() found."""
    formulas = Formulas(workbook)
    budget_name = economics.sheet_names(lang)[1]
    rows = _budget_rows(workbook, lang)
    series = [(d.inputs.title(lang), d.years) for d in sheet.deployments] + [("Total", sheet.total)]
    for title, years in series:
        for year in years:
            row = rows[(title, year.year)]
            for key, _, _ in economics.BUDGET_COLUMNS[2:]:
                got = formulas.value(budget_name, f"{economics.budget_column(key)}{row}")
                expected = getattr(year, key)
                assert abs(got - expected) < D("1e-9"), (title, year.year, key, got, expected)


def test_xlsx_formulas_reference_the_assumption_cells(tmp_path: Path) -> None:
    sheet = compute([WORKED, PARTIAL], 3)
    path = tmp_path / "economics.xlsx"
    economics.write_xlsx(sheet, path, "en")
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == ["Assumptions", "Budget impact"]
    assumptions, budget = workbook["Assumptions"], workbook["Budget impact"]
    # Every input in its own cell; an input not given is an empty cell, named in the last column.
    first = economics._HEADER_ROW + 1
    assert assumptions.cell(first, 1).value == WORKED.deployment and assumptions.cell(first, 4).value == 3
    for index, spec in enumerate(FIELDS):
        assert assumptions.cell(economics._HEADER_ROW, 5 + index).value.startswith(spec.label("en"))
        assert D(str(assumptions.cell(first, 5 + index).value)) == WORKED.value(spec.name)
        given = PARTIAL.value(spec.name)
        assert assumptions.cell(first + 1, 5 + index).value == (None if given is None else float(given))
    assert "staff hourly cost" in assumptions.cell(first + 1, 5 + len(FIELDS)).value
    assert assumptions["B3"].value == 0  # the discount rate cell: no discounting
    # The year-1 one-off costs of the worked example: acquisition (E) + integration (G) + training (I) of its row.
    row = _budget_rows(workbook, "en")[(WORKED.title("en"), 1)]
    a = "'Assumptions'!"
    assert budget[f"C{row}"].value == f"={a}E{first}+{a}G{first}+{a}I{first}"
    assert budget[f"D{row}"].value == f"={a}F{first}+{a}H{first}+{a}J{first}+{a}K{first}*{a}L{first}"
    assert budget[f"F{row}"].value == f"={a}M{first}*{a}L{first}"
    assert budget[f"G{row}"].value == f"={a}N{first}*{a}O{first}"
    assert budget[f"J{row}"].value == f"=1/(1+{a}$B$3)^(B{row}-1)"
    assert budget[f"C{row + 1}"].value == 0  # one-off costs: year 1 only
    assert workbook.calculation.fullCalcOnLoad
    _check_against(sheet, workbook, "en")


def test_xlsx_is_a_live_calculator(tmp_path: Path) -> None:
    """Changing an assumption cell changes the figures as compute() would with that assumption."""
    path = tmp_path / "economics.xlsx"
    economics.write_xlsx(compute([WORKED, PARTIAL], 4), path, "fr")
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == ["Hypothèses", "Impact budgétaire"]
    assumptions = workbook["Hypothèses"]
    first = economics._HEADER_ROW + 1
    assumptions.cell(first + 1, 5 + [f.name for f in FIELDS].index("staff_hourly_cost")).value = 35
    assumptions["B3"].value = 0.03
    changed = Inputs(**{**PARTIAL.__dict__, "staff_hourly_cost": D(35)})
    _check_against(compute([WORKED, changed], 4, discount_rate=D("0.03")), workbook, "fr")
    formulas = Formulas(workbook)
    total_row = _budget_rows(workbook, "fr")[("Total", 4)]
    assert formulas.value("Impact budgétaire", f"L{total_row}") != compute([WORKED, PARTIAL], 4).total[-1].cumulative


def test_xlsx_with_discounting_and_without_deployments(tmp_path: Path) -> None:
    path = tmp_path / "discounted.xlsx"
    sheet = compute([WORKED], 3, discount_rate=D("0.04"))
    economics.write_xlsx(sheet, path, "en")
    workbook = openpyxl.load_workbook(path)
    assert workbook["Assumptions"]["B3"].value == 0.04
    _check_against(sheet, workbook, "en")
    economics.write_xlsx(compute([], 2), tmp_path / "empty.xlsx", "en")
    _check_against(compute([], 2), openpyxl.load_workbook(tmp_path / "empty.xlsx"), "en")


# --------------------------------------------------------------------------------------------------------- HTML


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str | None]] = []
        self.text: list[str] = []
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes += attrs
        if tag not in ("meta", "br", "rect", "line", "circle", "path"):
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("rect", "line", "circle", "path"):
            return
        assert self.open and self.open[-1] == tag, (self.open[-5:], tag)
        self.open.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse(markup: str) -> _Page:
    page = _Page()
    page.feed(markup)
    page.close()
    return page


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_html_section_shows_figures_and_every_assumption(lang: str) -> None:
    sheet = compute([WORKED, PARTIAL], 3)
    fragment = economics.html_section(sheet, lang)
    page = _parse(fragment)
    assert page.open == []  # balanced
    text = " ".join(page.text)
    assert "script" not in page.tags and "<script" not in fragment.lower()
    assert not [value for name, value in page.attributes if name in ("src", "href")]
    assert "svg" in page.tags and fragment.count('class="bar"') == 3
    assert economics.notice(lang) in text
    for spec in FIELDS:
        assert spec.label(lang) in text
    if lang == "en":
        assert "inventory row 3" in text and "inventory row 7" in text
        assert "not given — counted as 0" in text and "−9,500" in text and "−14,500" in text
        assert "does not score, rank or judge any technology" in text
    else:
        assert "ligne 3 de l'inventaire" in text and "non renseignée — comptée 0" in text
        assert "−9\u202f500" in text and "ne note, ne classe ni ne juge aucune technologie" in text
    lowered = text.lower()
    for verdict in ("recommend", "profitable", "rentable", "recommand", "score:", "note :"):
        assert verdict not in lowered


def test_html_shows_discounting_only_when_asked() -> None:
    plain = economics.html_section(compute([WORKED], 3), "en")
    discounted = economics.html_section(compute([WORKED], 3, discount_rate=D("0.04")), "en")
    assert "discount factor" not in plain and "No discounting." in plain
    assert "discount factor" in discounted and "0.9615" in discounted and "4.00 %" in discounted


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_standalone_page(lang: str) -> None:
    page = economics.render_html(compute([WORKED], 3), lang, "Fiche <économique>")
    parsed = _parse(page)
    assert page.startswith("<!DOCTYPE html>") and f'<html lang="{lang}">' in page
    assert "Fiche &lt;économique&gt;" in page and "<style>" in page
    assert "script" not in parsed.tags and not [v for n, v in parsed.attributes if n in ("src", "href")]
    assert economics.html_section(compute([WORKED], 3), lang) in page


def test_empty_sheet_renders() -> None:
    fragment = economics.html_section(compute([], 2), "fr")
    assert "Aucun déploiement." in fragment and _parse(fragment).open == []
