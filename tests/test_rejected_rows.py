"""Inventory rows the import rejects (issue 17, point 11): recorded in the establishment's graph with the import's
source, listed by the readiness report in every format, and the mapping element not met while any is left; an
economics row of a rejected inventory row says so; the template's Purpose and Users columns have drop-downs.

Everything goes through the command line as a quality manager runs it: the template written, filled with eight
rows of which three are wrong, imported, the readiness report written as HTML, JSON and XLSX, then the rows fixed
and the file imported again."""

from __future__ import annotations

import json
from pathlib import Path

from openpyxl import load_workbook

from evalgraph.establishments import inventory

from .conftest import HtmlPage

NAME = "Clinique Rejets"
MAPPING = "https://w3id.org/evalgraph/id/element-technology-mapping"
GOOD = {"technology": "BoneView", "manufacturer": "Gleamer", "purpose": "aide au diagnostic",
        "users": "health professional", "start_date": "2024-03-01", "choice_process": "COMEDIMS 2024-02-12",
        "patient_information": "document remis au patient", "quality_control": "audit trimestriel",
        "human_oversight": "le radiologue valide", "training": "formation éditeur", "contact": "Dr Martin"}
DEPARTMENTS = ("Urgences", "Radiologie", "Pédiatrie", "Rhumatologie", "Orthopédie", "Gériatrie", "Sport", "Bloc")
BAD = {3: {"start_date": "31/02/2025"}, 5: {"purpose": "triage des AVC"}, 8: {"technology": ""}}
"""The wrong cells, by spreadsheet row (row 1 is the header): an impossible date, a purpose not in the list, an
empty required cell."""


def _fill(template: Path, target: Path, bad: dict[int, dict[str, str]]) -> Path:
    """The template with eight inventory rows (``bad`` overriding cells) and three economics rows: one for a good
    row, one for the row with the impossible date, one naming no row at all."""
    book = load_workbook(template)
    forms = inventory.forms()
    sheet = book[inventory.INVENTORY_SHEET]
    columns = {c.key: i for i, c in enumerate(forms["Inventory"].columns, 1)}
    for row, department in enumerate(DEPARTMENTS, 2):
        cells = {**GOOD, "department": department, **bad.get(row, {})}
        for key, index in columns.items():
            sheet.cell(row=row, column=index, value=cells.get(key))
    economics = book[inventory.ECONOMICS_SHEET]
    eco_columns = {c.key: i for i, c in enumerate(forms["Economics"].columns, 1)}
    for row, (technology, department) in enumerate(
        (("BoneView", "Urgences"), ("BoneView", "Radiologie"), ("Nulle part", "Aucun")), 2
    ):
        for key, index in eco_columns.items():
            economics.cell(row=row, column=index, value=None)
        economics.cell(row=row, column=eco_columns["technology"], value=technology)
        economics.cell(row=row, column=eco_columns["department"], value=department)
        economics.cell(row=row, column=eco_columns["annual_licence_cost"], value=1000)
    book.save(target)
    return target


def _readiness_json(run_cli, tmp_path: Path, lang: str) -> dict:  # type: ignore[no-untyped-def,type-arg]
    output = tmp_path / f"readiness-{lang}.json"
    result = run_cli("--lang", lang, "readiness", NAME, "-o", str(output))
    assert result.exit_code in (0, 1), result.stderr
    return dict(json.loads(output.read_text(encoding="utf-8")))


def test_rejected_rows_are_recorded_listed_and_keep_the_mapping_unmet(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    template = tmp_path / "modele.xlsx"
    assert run_cli("template", "inventory", "-o", str(template)).exit_code == 0
    filled = _fill(template, tmp_path / "inventaire.xlsx", BAD)

    imported = run_cli("import", "inventory", str(filled), "--establishment", NAME)
    assert imported.exit_code == 1, imported.stderr
    # the economics row of the rejected row 3 says so, and why; the one naming no row keeps its own message
    assert "inventory row 3 was rejected at import (Date de mise en service / Start date: expected a date" \
        in imported.stderr
    assert "Nulle part / Aucun" in imported.stderr and "no inventory row has this technology" in imported.stderr

    # in the graph, with the import's source, read by the named query
    query = run_cli("query", "rejected-rows", "--param", "establishment=egr:establishment-clinique-rejets",
                    "--format", "csv")
    assert query.exit_code == 0, query.stderr
    lines = query.stdout.strip().splitlines()
    assert len(lines) == 4 and "inventaire.xlsx (sha256 " in query.stdout and "row 5" in query.stdout

    report = _readiness_json(run_cli, tmp_path, "en")
    assert len(report["deployments"]) == 5
    assert [(r["row"], r["column"], r["value"]) for r in report["rejected_rows"]] == [
        (3, "Date de mise en service / Start date", "31/02/2025"),
        (5, "Finalité d'usage / Purpose of use", "triage des AVC"),
        (8, "Technologie / Technology", ""),
    ]
    assert "expected one of" in report["rejected_rows"][1]["reason"]
    mapping = next(e for e in report["establishment_elements"] if e["iri"] == MAPPING)
    assert mapping["status"] == "missing"
    assert mapping["messages"] == [
        "3 inventory row(s) rejected at import (rows 3, 5, 8) are missing from the mapping: "
        "fix them in the file and import it again"
    ]
    # each deployment is still mapped: what is missing is the establishment's mapping
    assert all(
        e["status"] == "met" for d in report["deployments"] for e in d["elements"] if e["iri"] == MAPPING
    )
    french = _readiness_json(run_cli, tmp_path, "fr")
    mapping_fr = next(e for e in french["establishment_elements"] if e["iri"] == MAPPING)
    assert mapping_fr["messages"][0].startswith("3 ligne(s) de l'inventaire rejetée(s) à l'import (lignes 3, 5, 8)")
    # the reasons are recorded in both languages: an English import, a French report, French reasons
    assert [r["reason"] for r in french["rejected_rows"]][0::2] == [
        "attendu : une date AAAA-MM-JJ (ou JJ/MM/AAAA)", "une valeur est obligatoire"]
    assert report["rejected_rows"][0]["reason"] == "expected a date YYYY-MM-DD (or DD/MM/YYYY)"

    html = tmp_path / "preparation.html"
    terminal = run_cli("readiness", NAME, "-o", str(html))
    assert terminal.exit_code == 1  # something is missing: the mapping
    assert "Mapping the existing technologies (establishment): missing" in terminal.stdout
    assert "row 5, column « Finalité d'usage / Purpose of use », value « triage des AVC »" in terminal.stdout
    page = HtmlPage(html.read_text(encoding="utf-8"))
    text = " ".join(" ".join(page.text).split())
    assert "3 inventory row(s) rejected at import" in text
    assert "Inventory rows rejected at import" in text and "triage des AVC" in text and "31/02/2025" in text
    assert any(tag == "a" and attrs.get("href") == "#rejected" for tag, attrs in page.tags)

    xlsx = tmp_path / "preparation.xlsx"
    assert run_cli("readiness", NAME, "-o", str(xlsx)).exit_code == 1
    book = load_workbook(xlsx)
    rows = [[c.value for c in r] for r in book["Rejected rows"].iter_rows()]
    assert [r[0] for r in rows[1:]] == [3, 5, 8] and rows[1][3] == "31/02/2025"
    summary = [[c.value for c in r] for r in book["Summary"].iter_rows()]
    assert ["Mapping the existing technologies", "missing"] in [r[:2] for r in summary]

    # fixed and imported again: no rejected row is left, the mapping is met
    fixed = _fill(template, tmp_path / "inventaire-corrige.xlsx", {})
    again = run_cli("import", "inventory", str(fixed), "--establishment", NAME)
    assert "was rejected at import" not in again.stderr
    report = _readiness_json(run_cli, tmp_path, "en")
    assert report["rejected_rows"] == [] and len(report["deployments"]) == 8
    assert next(e for e in report["establishment_elements"] if e["iri"] == MAPPING)["status"] == "met"


def test_an_economics_row_of_a_rejected_row_says_so_in_french(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    template = tmp_path / "modele.xlsx"
    assert run_cli("template", "inventory", "-o", str(template)).exit_code == 0
    filled = _fill(template, tmp_path / "inventaire.xlsx", {3: {"purpose": "triage des AVC"}})
    imported = run_cli("--lang", "fr", "import", "inventory", str(filled), "--establishment", NAME)
    assert imported.exit_code == 1
    assert "la ligne 3 de l'inventaire a été rejetée à l'import (Finalité d'usage / Purpose of use" in imported.stderr
    assert "aucune ligne de l'inventaire n'a cette technologie dans ce service" in imported.stderr


def test_purpose_and_users_have_drop_downs_of_the_words_the_import_accepts(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    template = tmp_path / "modele.xlsx"
    assert run_cli("template", "inventory", "-o", str(template)).exit_code == 0
    book = load_workbook(template)
    sheet = book[inventory.INVENTORY_SHEET]
    headers = [c.value for c in sheet[1]]
    by_column = {str(v.sqref).split(":")[0].rstrip("0123456789"): v for v in sheet.data_validations.dataValidation}
    lists = book[inventory.LISTS_SHEET]
    for header, scheme, word in (
        ("Finalité d'usage / Purpose of use", "IntendedPurposeScheme", "aide au diagnostic / diagnosis aid"),
        ("Utilisateurs / Users", "IntendedUserScheme", "professionnel de santé / health professional"),
    ):
        letter = "ABCDEFGHIJKLMNOP"[headers.index(header)]
        validation = by_column[letter]
        assert validation.type == "list" and inventory.LISTS_SHEET in validation.formula1, header
        assert validation.errorStyle == "information"  # several values separated by ";" stay possible
        # the list's cells are the scheme's column of the hidden sheet, FR / EN as the template writes them
        list_column = validation.formula1.split("!")[1].split(":")[0].replace("$", "").rstrip("0123456789")
        assert lists[f"{list_column}1"].value == scheme
        shown = [c.value for c in lists[list_column][1:] if c.value]
        assert len(shown) >= 3 and word in shown, shown
    # every word of the lists is one the import accepts: a row using each imports without problem
    purposes = [c.value for c in lists[_list_column(by_column, headers, lists, "Finalité")][1:] if c.value]
    users = [c.value for c in lists[_list_column(by_column, headers, lists, "Utilisateurs")][1:] if c.value]
    sheet.cell(row=2, column=headers.index("Finalité d'usage / Purpose of use") + 1, value=" ; ".join(purposes))
    sheet.cell(row=2, column=headers.index("Utilisateurs / Users") + 1, value=" ; ".join(users))
    sheet.cell(row=2, column=headers.index("Service / Department") + 1, value="Partout")
    book.save(template)
    imported = run_cli("import", "inventory", str(template), "--establishment", "Listes")
    assert imported.exit_code == 0 and "Purpose of use" not in imported.stderr, imported.stderr


def _list_column(by_column, headers, lists, starts: str) -> str:  # type: ignore[no-untyped-def]
    header = next(h for h in headers if str(h).startswith(starts))
    formula = by_column["ABCDEFGHIJKLMNOP"[headers.index(header)]].formula1
    return str(formula.split("!")[1].split(":")[0].replace("$", "").rstrip("0123456789"))
