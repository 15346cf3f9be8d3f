"""The example inventory of examples/establishment/ (the fictitious "CHU Exemple").

The committed workbook is imported exactly as examples/establishment/README.md says: the same problems (sheet, row,
column), the same matches and created technologies; its readiness is, deployment by deployment, what the README's
tables announce (criterion, evaluation elements, obligations). The CLI walk-through (import, readiness as HTML and
XLSX, economics) runs in-process, and the build script gives back the committed workbook's cell values.
"""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from openpyxl import load_workbook

from evalgraph.cartography import report as cartography
from evalgraph.establishments import inventory, readiness
from evalgraph.establishments.inventory import ECONOMICS_SHEET, INVENTORY_SHEET
from evalgraph.store import kb
from evalgraph.store.oxigraph import OxigraphStore, open_store

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "establishment"
WORKBOOK = EXAMPLE / "inventaire-chu-exemple.xlsx"
README = EXAMPLE / "README.md"
NAME = "CHU Exemple"
EGR = "https://w3id.org/evalgraph/id/"
EGV = "https://w3id.org/evalgraph/vocab/"
STANDARD = EGR + "criterion-v2025-digital-standard"
ADVANCED = EGR + "criterion-v2025-dmn-advanced"

DATE = "Date de mise en service / Start date"
PURPOSE = "Finalité d'usage / Purpose of use"
TECHNOLOGY = "Technologie / Technology"
MAINTENANCE = "Maintenance (€/an) / Maintenance (€/year)"

# Every problem of the import: (sheet, row, column header) -> (cell value, words of what was expected).
PROBLEMS = {
    (INVENTORY_SHEET, 8, DATE): ("31/02/2025", "expected a date"),
    (INVENTORY_SHEET, 26, PURPOSE): ("triage des AVC", "expected one of"),
    (INVENTORY_SHEET, 27, TECHNOLOGY): ("", "a value is required"),
    (INVENTORY_SHEET, 28, TECHNOLOGY): ("BoneView", "already on row 2"),
    (ECONOMICS_SHEET, 6, MAINTENANCE): ("-2000", "expected a number ≥ 0"),
    (ECONOMICS_SHEET, 11, TECHNOLOGY): ("Viz LVO / Neuroradiologie", "no inventory row has this technology"),
}
LEFT_OUT = {8, 26, 27, 28}
IMPORTED_ROWS = set(range(2, 32)) - LEFT_OUT
CREATED = {EGR + f"tech-chu-exemple-{n}" for n in ("gestlits", "sepsiscore", "dictavox", "visudicom")}
NAME_ONLY = {11: "tech-lunit-insight-cxr", 15: "tech-online-appointment-booking", 16: "tech-online-appointment-booking",
             17: "tech-online-appointment-booking", 18: "tech-online-appointment-booking",
             19: "tech-ai-staff-scheduling"}

# Which criterion concerns each imported row: "advanced", "standard", or "to-determine" (advanced, undetermined).
CRITERION = {
    **dict.fromkeys((2, 3, 4, 5, 6, 7, 9, 10, 11, 23, 25, 30, 31), "advanced"),
    # patient-use telemonitoring: the advanced criterion covers professional-use devices only (issue 14)
    **dict.fromkeys((20, 21, 29), "none"),
    **dict.fromkeys((12, 13, 14, 15, 16, 17, 18, 19, 22, 24), "standard"),
}
# Evaluation elements that are not "met" (all the others are).
ELEMENTS_NOT_MET = {
    7: {"element-result-quality-control": "missing"},
    14: {"element-structured-choice-process": "missing"},
    17: {"element-patient-information": "missing"},
    **{row: {"element-technology-mapping": "to-check"} for row in (22, 23, 24, 25)},
    **{row: dict.fromkeys(("element-technology-mapping", "element-structured-choice-process",
                           "element-patient-information", "element-result-quality-control"), "not-applicable")
       for row in (20, 21, 29)},
}
# The obligations of an AI medical device of the catalogue, all documented or to check.
AI_DEVICE = {"obligation-ai-act-art-4-literacy": "documented", "obligation-ai-act-art-26-deployer": "documented",
             "obligation-l4001-3-patient-information": "documented", "obligation-l4001-3-explainability": "to-check",
             "obligation-materiovigilance-reporting": "to-check"}  # no Art. 27 FRIA: Annex I high risk (issue 14)
DEVICE = {"obligation-materiovigilance-reporting": "to-check"}
GENERATIVE = {"obligation-ai-act-art-4-literacy": "documented", "obligation-ai-act-art-50-transparency": "documented"}
OBLIGATIONS = {
    **dict.fromkeys((2, 4, 6, 7, 9, 10, 11, 23, 30, 31), AI_DEVICE),
    3: {**AI_DEVICE, "obligation-l4001-3-patient-information": "missing"},
    5: {**AI_DEVICE, "obligation-ai-act-art-26-deployer": "missing"},
    12: GENERATIVE, 13: GENERATIVE, 24: GENERATIVE,
    14: {"obligation-ai-act-art-4-literacy": "documented"},
    **dict.fromkeys((15, 16, 17, 18, 22), {}),
    19: {"obligation-ai-act-art-4-literacy": "missing"},
    **dict.fromkeys((20, 21, 25, 29), DEVICE),
}
SUMMARY = {
    STANDARD: {"deployments": 10, "to-determine": 0, "met": 36, "to-check": 2, "missing": 2},
    ADVANCED: {"deployments": 13, "to-determine": 0, "met": 49, "to-check": 2, "missing": 1},
}


def _local(iri: str) -> str:
    return iri.rsplit("/", 1)[-1]


def _build_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_example", EXAMPLE / "build_example.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[OxigraphStore, inventory.ImportReport]]:
    """The committed workbook imported as the CLI does (import, then the inferred graph refreshed)."""
    store = open_store(tmp_path_factory.mktemp("chu-exemple") / "store")
    kb.ensure_loaded(store)
    report = inventory.import_inventory(store, WORKBOOK, NAME, lang="en")
    cartography.refresh_inferred(store)
    yield store, report
    store.close()


@pytest.fixture(scope="module")
def assessed(imported: tuple[OxigraphStore, inventory.ImportReport]) -> dict[int, readiness.DeploymentReadiness]:
    store, _report = imported
    result = readiness.assess(store, NAME, "en")
    assert result.label == NAME
    by_row = {d.row: d for d in result.deployments}
    assert len(by_row) == len(result.deployments)
    return by_row


# ------------------------------------------------------------------------------------------------------- import
def test_import_reports_exactly_the_deliberate_faults(imported: tuple[OxigraphStore, inventory.ImportReport]) -> None:
    _store, report = imported
    found = {(p.sheet, p.row, p.column): p for p in report.problems}
    assert set(found) == set(PROBLEMS)
    for key, (value, expected) in PROBLEMS.items():
        assert found[key].value == value, key
        assert expected in found[key].expected, (key, found[key].expected)
    assert report.notes == []  # row 2 of both sheets is real data, not the template's example


def test_import_counts_matches_and_created_technologies(
        imported: tuple[OxigraphStore, inventory.ImportReport]) -> None:
    _store, report = imported
    assert report.rows == 30
    assert report.deployments == 26
    assert report.matches == {EGV + "match-name-and-manufacturer": 16, EGV + "match-name-only": 6,
                              EGV + "match-none": 4}
    assert set(report.created) == CREATED
    assert report.economics_rows == 9  # 10 rows, one naming no deployment; the negative cell alone is left out


def test_import_keeps_every_valid_row_and_links_it(imported: tuple[OxigraphStore, inventory.ImportReport]) -> None:
    store, report = imported
    rows = store.query(
        "PREFIX eg: <https://w3id.org/evalgraph/ontology/> "
        "SELECT ?row ?tech ?match WHERE { GRAPH ?g { ?d eg:inventoryRow ?row ; eg:deployedTechnology ?tech ; "
        "eg:technologyMatch ?match } }").rows
    by_row = {int(r[0].value): (r[1].value, _local(r[2].value)) for r in rows}
    assert set(by_row) == IMPORTED_ROWS
    for row, technology in NAME_ONLY.items():
        assert by_row[row] == (EGR + technology, "match-name-only"), row
    assert by_row[2] == (EGR + "tech-boneview", "match-name-and-manufacturer")
    assert by_row[3] == (EGR + "tech-rayvolve", "match-name-and-manufacturer")
    assert {by_row[r][0] for r in (22, 23, 24, 25)} == CREATED
    assert all(by_row[r][1] == "match-none" for r in (22, 23, 24, 25))


# ---------------------------------------------------------------------------------------------------- readiness
def test_readiness_criterion_of_each_deployment(assessed: dict[int, readiness.DeploymentReadiness]) -> None:
    assert set(assessed) == IMPORTED_ROWS
    for row, expected in CRITERION.items():
        criteria = assessed[row].criteria
        wanted = {"advanced": {STANDARD: "not-concerned", ADVANCED: "applies"},
                  "standard": {STANDARD: "applies", ADVANCED: "not-concerned"},
                  "none": {STANDARD: "not-concerned", ADVANCED: "not-concerned"}}[expected]
        assert criteria == wanted, (row, assessed[row].technology_label, criteria)
    assert assessed[2].technology_label == "BoneView" and assessed[2].department == "Urgences adultes"
    assert assessed[15].technology_label == "Online appointment booking (category)"


def test_readiness_evaluation_elements(assessed: dict[int, readiness.DeploymentReadiness]) -> None:
    elements = {"element-technology-mapping", "element-structured-choice-process", "element-patient-information",
                "element-result-quality-control"}
    for row, deployment in assessed.items():
        statuses = {_local(e.iri): e.status for e in deployment.elements}
        assert set(statuses) == elements
        expected = {e: "met" for e in elements} | ELEMENTS_NOT_MET.get(row, {})
        assert statuses == expected, (row, deployment.technology_label)
        for element in deployment.elements:
            assert bool(element.messages) == (element.status not in ("met", "not-applicable")), (
                row, element.iri, element.messages)


def test_readiness_messages_of_the_faulty_elements(assessed: dict[int, readiness.DeploymentReadiness]) -> None:
    def messages(row: int, element: str) -> str:
        return " ".join(next(e for e in assessed[row].elements if _local(e.iri) == element).messages)

    assert "No process for controlling the quality of results" in messages(7, "element-result-quality-control")
    assert "No record of the choice process" in messages(14, "element-structured-choice-process")
    assert "Patients are not told" in messages(17, "element-patient-information")
    assert '"SepsiScore" matched no known technology' in messages(23, "element-technology-mapping")
    # Row 29 names no contact person: an Info finding, which leaves the element met and is not shown.
    assert messages(29, "element-technology-mapping") == ""


def test_readiness_obligations(assessed: dict[int, readiness.DeploymentReadiness]) -> None:
    assert set(OBLIGATIONS) == IMPORTED_ROWS
    for row, expected in OBLIGATIONS.items():
        found = {_local(o.iri): o.status for o in assessed[row].obligations}
        assert found == expected, (row, assessed[row].technology_label, found)
    missing = {(row, _local(o.iri)) for row, d in assessed.items() for o in d.obligations if o.status == "missing"}
    assert missing == {(3, "obligation-l4001-3-patient-information"), (5, "obligation-ai-act-art-26-deployer"),
                       (19, "obligation-ai-act-art-4-literacy")}


def test_readiness_obligation_messages(assessed: dict[int, readiness.DeploymentReadiness]) -> None:
    def obligation(row: int, local: str) -> readiness.Item:
        return next(o for o in assessed[row].obligations if _local(o.iri) == local)

    assert any("collective display" in m for m in obligation(3, "obligation-l4001-3-patient-information").messages)
    assert any("Who oversees this high-risk system" in m
               for m in obligation(5, "obligation-ai-act-art-26-deployer").messages)
    assert any("No training" in m for m in obligation(19, "obligation-ai-act-art-4-literacy").messages)
    vigilance = obligation(20, "obligation-materiovigilance-reporting")
    assert vigilance.status == "to-check" and vigilance.messages == [] and vigilance.source


def test_readiness_summary(imported: tuple[OxigraphStore, inventory.ImportReport]) -> None:
    store, _report = imported
    assert readiness.assess(store, NAME, "fr").summary() == SUMMARY


def test_readiness_lists_the_rows_left_out_and_the_mapping_is_missing(
    imported: tuple[OxigraphStore, inventory.ImportReport],
) -> None:
    """The four inventory rows the import left out are in the report, and the establishment's mapping is missing
    because of them — though every imported deployment's mapping is met or to check (issue 17, point 11)."""
    store, report = imported
    result = readiness.assess(store, NAME, "en")
    assert result.rejected_rows == sorted(LEFT_OUT) == report.rejected_rows
    found = {(r.row, r.column) for r in result.rejected}
    assert found == {(row, column) for sheet, row, column in PROBLEMS if sheet == INVENTORY_SHEET}
    elements = {_local(e.iri): e for e in result.elements}
    mapping = elements["element-technology-mapping"]
    assert mapping.status == "missing"
    assert mapping.messages == ["4 inventory row(s) rejected at import (rows 8, 26, 27, 28) are missing from the "
                                "mapping: fix them in the file and import it again"]
    assert {d.row: e.status for d in result.deployments for e in d.elements
            if _local(e.iri) == "element-technology-mapping" and e.status not in ("met", "not-applicable")} == {
        row: "to-check" for row in (22, 23, 24, 25)}
    assert elements["element-structured-choice-process"].status == "missing"  # row 14, as before


# ---------------------------------------------------------------------------------------------------------- CLI
def test_cli_walk_through(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("import", "inventory", str(WORKBOOK), "--establishment", NAME)
    assert result.exit_code == 1, result.stderr
    assert "31/02/2025" in result.stderr and "triage des AVC" in result.stderr
    assert "Viz LVO / Neuroradiologie" in result.stderr

    page = tmp_path / "report.html"
    result = run_cli("readiness", NAME, "-o", str(page))
    assert result.exit_code == 1, result.stderr  # elements are missing
    text = page.read_text(encoding="utf-8")
    assert NAME in text and "<svg" in text
    assert "4 inventory row(s) rejected at import" in text and 'id="rejected"' in text

    book_path = tmp_path / "report.xlsx"
    result = run_cli("readiness", NAME, "-o", str(book_path), "--lang", "fr")
    assert result.exit_code == 1
    book = load_workbook(book_path, read_only=True)
    assert book.sheetnames[:4] == ["Synthèse", "Éléments", "Obligations", "Lignes rejetées"]
    assert [r[0] for r in list(book["Lignes rejetées"].iter_rows(values_only=True))[1:]] == [8, 26, 27, 28]
    rows = list(book["Obligations"].iter_rows(values_only=True))
    assert any(r[0] == 5 and r[4] == "manquant" for r in rows[1:])
    book.close()

    sheet = tmp_path / "sheet.xlsx"
    result = run_cli("economics", NAME, "-o", str(sheet))
    assert result.exit_code == 0, result.stderr
    book = load_workbook(sheet)
    assumptions = [r for r in book.worksheets[0].iter_rows(values_only=True) if r and r[1] == "BoneView"]
    assert assumptions and assumptions[0][5] == 22000  # annual licence of row 2 of the economics sheet

    html_sheet = tmp_path / "sheet.html"
    assert run_cli("economics", NAME, "-o", str(html_sheet), "--years", "3").exit_code == 0
    assert "Cardiologs" in html_sheet.read_text(encoding="utf-8")


def test_cli_readiness_exits_1_when_only_an_obligation_is_missing(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    build = _build_module()
    milvue = next(r for r in build.INVENTORY if r.get("fault") == "no human oversight")
    workbook = build.build(tmp_path / "one-row.xlsx", inventory=[milvue], economics=[])
    assert run_cli("import", "inventory", str(workbook), "--establishment", "Solo").exit_code == 0
    page = tmp_path / "solo.json"
    result = run_cli("readiness", "Solo", "-o", str(page))
    report = json.loads(page.read_text(encoding="utf-8"))
    assert all(counts["missing"] == 0 for counts in report["summary"].values())  # no element is missing…
    art26 = report["obligations"]["https://w3id.org/evalgraph/id/obligation-ai-act-art-26-deployer"]
    assert art26["missing"] == 1  # …but the Art. 26 oversight is not documented
    assert result.exit_code == 1


# ------------------------------------------------------------------------------------------ the build and README
def _values(path: Path) -> dict[str, list[tuple[object, ...]]]:
    book = load_workbook(path, read_only=True)
    try:
        return {name: [r for r in book[name].iter_rows(values_only=True) if any(c is not None for c in r)]
                for name in (INVENTORY_SHEET, ECONOMICS_SHEET)}
    finally:
        book.close()


def test_build_script_gives_the_committed_workbook(tmp_path: Path) -> None:
    build = _build_module()
    rebuilt = build.build(tmp_path / "rebuilt.xlsx")
    assert _values(rebuilt) == _values(WORKBOOK)
    values = _values(WORKBOOK)
    assert len(values[INVENTORY_SHEET]) == 1 + len(build.INVENTORY) == 31
    assert len(values[ECONOMICS_SHEET]) == 1 + len(build.ECONOMICS)


def test_readme_lists_every_fault_by_row() -> None:
    build = _build_module()
    text = README.read_text(encoding="utf-8")
    assert "fictitious" in text.lower() and NAME in text
    for number, row in enumerate(build.INVENTORY, 2):
        if "fault" in row:
            assert f"| {number} |" in text, f"README.md does not list inventory row {number} ({row['fault']})"
    for sheet, number, _column in PROBLEMS:
        if sheet == ECONOMICS_SHEET:
            assert f"| E{number} |" in text, f"README.md does not list economics row {number}"
