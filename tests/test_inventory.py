"""Establishment inventories: the template round trip, row-level import errors, technology matching, idempotent
re-import, readiness statuses and obligations of known technologies."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook

from evalgraph.cartography import report as cartography
from evalgraph.errors import DataFileError, UsageError
from evalgraph.establishments import inventory, readiness
from evalgraph.store import kb
from evalgraph.store.oxigraph import OxigraphStore, open_store

EGR = "https://w3id.org/evalgraph/id/"
EGV = "https://w3id.org/evalgraph/vocab/"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphStore]:
    opened = open_store(tmp_path_factory.mktemp("inventory") / "store")
    kb.ensure_loaded(opened)
    yield opened
    opened.close()


def _csv(tmp_path: Path, rows: list[dict[str, str]], name: str = "inventory.csv") -> Path:
    """A CSV inventory with the template's headers and ``rows`` given by column key."""
    form = inventory.forms()["Inventory"]
    economics = [c for c in inventory.forms()["Economics"].columns if c.key not in ("technology", "department")]
    columns = [*form.columns, *economics]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow([c.header for c in columns])
    for row in rows:
        writer.writerow([row.get(c.key, "") for c in columns])
    path = tmp_path / name
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


COMPLETE = {"technology": "BoneView", "manufacturer": "Gleamer", "department": "Urgences adultes",
            "purpose": "aide au diagnostic", "users": "health professional", "start_date": "2024-03-01",
            "choice_process": "COMEDIMS 2024-02-12", "patient_information": "document remis au patient",
            "quality_control": "audit trimestriel", "human_oversight": "le radiologue valide",
            "training": "formation éditeur", "contact": "Dr Martin"}


def test_template_round_trip(store: OxigraphStore, tmp_path: Path) -> None:
    xlsx = inventory.write_template(store, tmp_path / "inventaire.xlsx")
    book = load_workbook(xlsx)
    sheet = book["Inventaire - Inventory"]
    headers = [c.value for c in sheet[1]]
    assert headers[:3] == ["Technologie / Technology", "Fabricant / Manufacturer", "Service / Department"]
    assert all(" / " in h for h in headers)
    assert sheet["A2"].value == "BoneView"  # the example row
    lists = {str(v.sqref).split(":")[0].rstrip("0123456789"): v.formula1
             for v in sheet.data_validations.dataValidation}
    qualification_column = "ABCDEFGHIJKLMNOP"[headers.index("Qualification réglementaire / Regulatory qualification")]
    assert "Listes - Lists" in lists[qualification_column]  # a drop-down of the scheme's labels
    assert book["Listes - Lists"].sheet_state == "hidden"
    assert "Économie - Economics" in book.sheetnames
    # the untouched template imports to an establishment with no deployment: its example row is skipped
    report = inventory.import_inventory(store, xlsx, "Round Trip")
    assert (report.rows, report.deployments, report.problems) == (0, 0, [])
    assert [n.row for n in report.notes] == [2, 2]  # the inventory's and the economics sheet's example rows
    # the example row, changed into a real row, imports with every column read back
    sheet["C2"] = "Urgences pédiatriques"
    book.save(xlsx)
    report = inventory.import_inventory(store, xlsx, "Round Trip")
    assert (report.rows, report.deployments, report.problems) == (1, 1, [])
    assert report.matches == {EGV + "match-name-and-manufacturer": 1}
    csv_template = inventory.write_template(store, tmp_path / "inventaire.csv")
    text = csv_template.read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].startswith("Technologie / Technology;Fabricant / Manufacturer;")
    assert inventory.import_inventory(store, csv_template, "Round Trip CSV").deployments == 0


def test_row_errors_name_row_column_value_and_keep_valid_rows(store: OxigraphStore, tmp_path: Path) -> None:
    rows = [COMPLETE,
            {**COMPLETE, "department": "Radiologie", "start_date": "31/02/2025"},
            {**COMPLETE, "department": "Bloc", "purpose": "aide au tri"},
            {**COMPLETE, "department": "Cardiologie", "technology": ""},
            {**COMPLETE, "department": "urgences ADULTES"},  # the same deployment as row 2
            {**COMPLETE, "department": "Pneumologie", "ai_system": "peut-être"}]
    report = inventory.import_inventory(store, _csv(tmp_path, rows), "Erreurs", lang="en")
    assert report.deployments == 1
    found = {(p.row, p.column, p.value) for p in report.problems}
    assert found == {
        (3, "Date de mise en service / Start date", "31/02/2025"),
        (4, "Finalité d'usage / Purpose of use", "aide au tri"),
        (5, "Technologie / Technology", ""),
        (6, "Technologie / Technology", "BoneView"),
        (7, "Système d'IA / AI system", "peut-être"),
    }
    texts = {p.row: p.render("inventory.csv", "en") for p in report.problems}
    assert "expected a date YYYY-MM-DD" in texts[3]
    assert "« aide au diagnostic / diagnosis aid »" in texts[4]
    assert "a value is required" in texts[5]
    assert "already on row 2" in texts[6]
    assert texts[3].startswith("inventory.csv:3: column « Date de mise en service / Start date », value « 31/02/2025 »")


def test_unknown_and_missing_columns_are_reported(store: OxigraphStore, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("Technologie;Fabriquant;Service\nBoneView;Gleamer;Urgences\n", encoding="utf-8")
    report = inventory.import_inventory(store, path, "Colonnes")
    problems = {(p.row, p.column, p.value) for p in report.problems}
    assert (1, "B", "Fabriquant") in problems
    assert "Fabricant / Manufacturer" in next(p.expected for p in report.problems if p.value == "Fabriquant")
    assert (1, "Finalité d'usage / Purpose of use", "") in problems  # required column missing
    with pytest.raises(DataFileError) as wrong:
        inventory.import_inventory(store, tmp_path / "inventory.ods", "X")
    assert wrong.value.key == "inventory_format"
    with pytest.raises(UsageError):
        inventory.import_inventory(store, path, "  ")


def test_matching_is_recorded_and_unknown_technologies_are_created_for_review(store: OxigraphStore,
                                                                              tmp_path: Path) -> None:
    rows = [COMPLETE,
            {**COMPLETE, "technology": "Rayvolve", "manufacturer": "AZ med", "department": "Urgences pédiatriques"},
            {**COMPLETE, "technology": "SepsiScore", "manufacturer": "Acme Santé", "department": "Réanimation",
             "qualification": "logiciel dispositif médical (MDR)", "device_class": "classe IIb", "ai_system": "oui"}]
    report = inventory.import_inventory(store, _csv(tmp_path, rows), "Rapprochements")
    assert report.matches == {EGV + "match-name-and-manufacturer": 1, EGV + "match-name-only": 1,
                              EGV + "match-none": 1}
    assert report.created == [EGR + "tech-rapprochements-sepsiscore"]
    facts = store.query(
        "PREFIX eg: <https://w3id.org/evalgraph/ontology/> SELECT ?t ?p ?o WHERE { ?t ?p ?o }",
        {"t": inventory.ox.NamedNode(EGR + "tech-rapprochements-sepsiscore")})
    stated = {(r[1].value.rsplit("/", 1)[-1], r[2].value.rsplit("/", 1)[-1]) for r in facts.rows}  # type: ignore[union-attr]
    assert ("needsReview", "true") in stated and ("regulatoryQualification", "qualification-mdsw-mdr") in stated
    assert ("isAISystem", "true") in stated


def test_reimporting_the_same_file_gives_the_same_graph(store: OxigraphStore, tmp_path: Path) -> None:
    path = _csv(tmp_path, [COMPLETE, {**COMPLETE, "department": "Radiologie"}])
    first = inventory.import_inventory(store, path, "Idempotent")
    graph_before = sorted(str(t) for t in store.export([first.graph]))
    hash_before = store.recorded_hash(first.graph)
    second = inventory.import_inventory(store, path, "Idempotent")
    assert sorted(str(t) for t in store.export([second.graph])) == graph_before
    assert store.recorded_hash(second.graph) == hash_before and len(graph_before) == first.triples


def test_readiness_statuses_and_obligations(store: OxigraphStore, tmp_path: Path) -> None:
    rows = [COMPLETE,  # an AI diagnostic aid, everything documented
            {**COMPLETE, "department": "Radiologie", "choice_process": "", "quality_control": "",
             "patient_information": "affichage collectif", "human_oversight": "", "training": ""},
            {"technology": "Online appointment booking", "department": "Consultations externes",
             "purpose": "organisation des soins", "users": "personnel administratif ou d'encadrement",
             "start_date": "2022-05-01", "patient_information": "aucune information"}]
    inventory.import_inventory(store, _csv(tmp_path, rows), "Readiness")
    cartography.refresh_inferred(store)
    result = readiness.assess(store, "Readiness", "en")
    advanced, standard = EGR + "criterion-v2025-dmn-advanced", EGR + "criterion-v2025-digital-standard"
    by_department = {d.department: d for d in result.deployments}
    complete, partial, booking = (by_department[k] for k in ("Urgences adultes", "Radiologie",
                                                             "Consultations externes"))
    assert complete.criteria == {standard: "not-concerned", advanced: "applies"}
    assert booking.criteria[standard] == "applies" and booking.criteria[advanced] == "not-concerned"

    def elements(d: readiness.DeploymentReadiness) -> dict[str, str]:
        return {e.iri.removeprefix(EGR + "element-"): e.status for e in d.elements}

    def obligations(d: readiness.DeploymentReadiness) -> dict[str, str]:
        return {o.iri.removeprefix(EGR + "obligation-"): o.status for o in d.obligations}

    assert set(elements(complete).values()) == {"met"}
    assert elements(partial) == {"technology-mapping": "met", "structured-choice-process": "missing",
                                 "patient-information": "met", "result-quality-control": "missing"}
    assert elements(booking)["patient-information"] == "missing"
    assert obligations(complete)["l4001-3-patient-information"] == "documented"
    assert obligations(complete)["ai-act-art-26-deployer"] == "documented"
    assert obligations(complete)["materiovigilance-reporting"] == "to-check"
    assert obligations(partial)["l4001-3-patient-information"] == "missing"  # a collective display only
    assert obligations(partial)["ai-act-art-26-deployer"] == "missing"
    assert obligations(partial)["ai-act-art-4-literacy"] == "missing"
    art26 = next(o for o in partial.obligations if o.iri.endswith("art-26-deployer"))
    assert art26.date == "2027-08-02" and art26.source and art26.messages
    assert obligations(booking) == {}
    summary = result.summary()
    assert summary[advanced]["deployments"] == 2 and summary[advanced]["missing"] == 2
    assert summary[standard]["missing"] == 3  # no choice record, no quality control, patients not informed
    per_obligation = result.obligation_summary()
    art26 = per_obligation[EGR + "obligation-ai-act-art-26-deployer"]
    assert (art26["documented"], art26["missing"], art26["to-check"]) == (1, 1, 0)
    assert per_obligation[EGR + "obligation-materiovigilance-reporting"]["to-check"] == 2
    page = tmp_path / "readiness.html"
    readiness.write_html(result, page)
    assert page.read_text(encoding="utf-8").count("<svg") == 2  # the criteria chart and the obligations chart


def test_readiness_of_an_unknown_establishment_names_the_known_ones(store: OxigraphStore) -> None:
    with pytest.raises(UsageError) as unknown:
        readiness.assess(store, "Nowhere", "en")
    assert unknown.value.key == "unknown_establishment" and "readiness" in unknown.value.render("en")


def test_cli_three_commands_from_template_to_report(run_cli, tmp_path: Path) -> None:
    template = tmp_path / "inventaire.xlsx"
    assert run_cli("template", "inventory", "-o", str(template)).exit_code == 0
    book = load_workbook(template)
    book["Inventaire - Inventory"]["C2"] = "Urgences"
    book["Inventaire - Inventory"]["K2"] = None  # no choice-process record
    book.save(template)
    imported = run_cli("import", "inventory", str(template), "--establishment", "CHU Test")
    assert imported.exit_code == 0, imported.stderr
    report = tmp_path / "report.html"
    ready = run_cli("readiness", "CHU Test", "-o", str(report), "--lang", "fr")
    assert ready.exit_code == 1  # the choice process is missing
    page = report.read_text(encoding="utf-8")
    assert "CHU Test" in page and "<svg" in page and "manquant" in page and "<script" not in page
    workbook = tmp_path / "report.xlsx"
    assert run_cli("readiness", "CHU Test", "-o", str(workbook)).exit_code == 1
    assert "Obligations" in load_workbook(workbook).sheetnames
    sheet = tmp_path / "economie.xlsx"
    assert run_cli("economics", "CHU Test", "-o", str(sheet), "--years", "3").exit_code == 0
    assert sheet.is_file()
    missing = run_cli("readiness", "CHU Nulle Part")
    assert missing.exit_code == 2 and "chu-test" in missing.stderr
