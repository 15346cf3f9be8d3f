"""`evalgraph validate`: exit codes, the four output formats, both languages, batches."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import rdflib

from .conftest import HtmlPage

DOSSIERS = Path(__file__).parent / "data" / "dossiers"
MINIMAL = str(DOSSIERS / "minimal.ttl")
FAULTY = str(DOSSIERS / "faulty.yaml")
SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
EXPECTED_FAULTY_VIOLATIONS = {
    ("egsh:Rule11DecisionSoftwareNotClassI", "eg:hasRegulatoryStatus", "egr:ce-test-faulty"),
    ("egsh:IntendedPurposeFromScheme", "eg:intendedPurpose", "egv:purpose-fortune-telling"),
    ("egsh:ManufacturerRequired", "eg:manufacturer", "egr:org-test-nameless"),
    ("egsh:OutputExplanationRequired", "eg:outputExplanation", None),
}


def test_conforming_dossier_exits_0(run_cli) -> None:
    result = run_cli("validate", MINIMAL)
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "✓ conforms (0 violation(s), 0 warning(s), 0 info(s))" in result.stdout


def test_faulty_dossier_exits_1_with_its_findings_and_sources(run_cli) -> None:
    result = run_cli("validate", FAULTY)
    assert result.exit_code == 1
    assert "✗ does not conform (4 violation(s)" in result.stdout
    assert "Inconsistent with MDR Annex VIII Rule 11" in result.stdout
    assert "↳ Regulation (EU) 2017/745, Annex VIII, Rule 11 (software) — https://" in result.stdout


def test_french_findings(run_cli) -> None:
    result = run_cli("validate", FAULTY, "--lang", "fr")
    assert result.exit_code == 1
    assert "non conforme (4 violation(s)" in result.stdout
    assert "Incohérence avec la règle 11 de l'annexe VIII du MDR" in result.stdout
    assert "Avertissement" in result.stdout
    assert run_cli("--lang", "fr", "validate", FAULTY).stdout == result.stdout


def test_json_output_lists_each_finding(run_cli) -> None:
    result = run_cli("validate", FAULTY, "--format", "json")
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    (file,) = document["files"]
    assert file["conforms"] is False and file["status"] == "fails"
    assert file["counts"]["Violation"] == 4
    violations = {(f["shape"], f["path"], f["value"]) for f in file["findings"] if f["severity"] == "Violation"}
    assert violations == EXPECTED_FAULTY_VIOLATIONS
    rule11 = next(f for f in file["findings"] if f["shape"] == "egsh:Rule11DecisionSoftwareNotClassI")
    assert rule11["focus"] == "egr:tech-test-faulty" and rule11["focus_label"] == "Faulty test aid"
    assert rule11["sources"][0]["iri"] == "https://w3id.org/evalgraph/id/law-mdr-annex-viii-rule-11"
    assert rule11["sources"][0]["url"].startswith("https://")
    assert document["summary"] == {"files": 1, "conforming": 0, "failing": 1, "unreadable": 0,
                                   **file["counts"]}


def test_turtle_output_is_the_standard_shacl_report(run_cli) -> None:
    result = run_cli("validate", FAULTY, "--format", "ttl")
    assert result.exit_code == 1
    graph = rdflib.Graph().parse(data=result.stdout, format="turtle")
    (report,) = graph.subjects(rdflib.RDF.type, SH.ValidationReport)
    assert graph.value(report, SH.conforms) == rdflib.Literal(False)
    results = list(graph.objects(report, SH.result))
    assert len(results) == 12
    severities = {graph.value(r, SH.resultSeverity) for r in results}
    assert severities == {SH.Violation, SH.Warning, SH.Info}




def test_html_report_is_standalone_with_table_and_chart(run_cli, tmp_path: Path) -> None:
    output = tmp_path / "report.html"
    result = run_cli("validate", FAULTY, MINIMAL, "--format", "html", "-o", str(output), "--lang", "fr")
    assert result.exit_code == 1
    assert "Rapport écrit dans" in result.stderr
    page = HtmlPage()
    page.feed(output.read_text(encoding="utf-8"))
    tags = [t for t, _ in page.tags]
    assert "svg" in tags and tags.count("rect") == 3  # faulty: violations, warnings, infos; minimal: none
    assert not any(t in ("script", "link", "img") for t in tags)  # nothing to fetch
    rows = [a for t, a in page.tags if t == "tr" and "finding" in (a.get("class") or "")]
    assert len(rows) == 12
    text = " ".join(page.text)
    assert "Synthèse" in text and "Incohérence avec la règle 11" in text and "Planificateur de test" in text


def test_unreadable_file_exits_2_but_others_are_still_validated(run_cli, tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("id: egr:x\nlabel: {en: [x\n")
    result = run_cli("validate", MINIMAL, str(broken), FAULTY)
    assert result.exit_code == 2
    assert f"{broken}:3:1: invalid YAML" in result.stdout
    assert "3 dossier(s): 1 conform, 1 do not, 1 unreadable" in result.stdout
    assert "Validation summary" in result.stdout


def test_folder_of_dossiers(run_cli, tmp_path: Path) -> None:
    for name in ("minimal.ttl", "minimal.jsonld", "minimal.yaml"):
        shutil.copy(DOSSIERS / name, tmp_path / name)
    result = run_cli("validate", str(tmp_path), "--format", "json")
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert document["summary"]["conforming"] == 3
    assert run_cli("validate", str(tmp_path / "nothing-here")).exit_code == 2


def test_text_report_to_file_has_no_colour_codes(run_cli, tmp_path: Path) -> None:
    output = tmp_path / "report.txt"
    assert run_cli("validate", FAULTY, "-o", str(output)).exit_code == 1
    text = output.read_text(encoding="utf-8")
    assert "Violation" in text and "\x1b[" not in text


def test_readme_validation_example_is_what_the_tool_prints(run_cli) -> None:
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    block = readme.split("$ evalgraph validate examples/dossiers/faulty-rule11-class-i.yaml\n", 1)[1]
    shown = block.split("$ echo $?", 1)[0].strip().splitlines()
    example = Path(__file__).parent.parent / "examples" / "dossiers" / "faulty-rule11-class-i.yaml"
    result = run_cli("validate", str(example))
    printed = [line.replace(str(example), "examples/dossiers/faulty-rule11-class-i.yaml")
               for line in result.stdout.strip().splitlines()]
    assert printed == shown
    assert result.exit_code == int(block.split("$ echo $?\n", 1)[1].split("\n", 1)[0])


def test_a_dossier_cannot_redefine_the_reference_data(run_cli, tmp_path: Path) -> None:
    text = (DOSSIERS / "minimal.ttl").read_text(encoding="utf-8").replace(
        "egv:purpose-care-organisation", "egv:purpose-bogus")
    text += ("\negv:purpose-bogus a <http://www.w3.org/2004/02/skos/core#Concept> ; "
             "<http://www.w3.org/2004/02/skos/core#inScheme> egv:IntendedPurposeScheme .\n"
             "egr:pathway-pecan eg:durationMonths 120 .\n")
    path = tmp_path / "sneaky.ttl"
    path.write_text(text, encoding="utf-8")
    result = run_cli("validate", str(path), "--format", "json")
    assert result.exit_code == 1
    file = json.loads(result.stdout)["files"][0]
    assert file["ignored_reference_statements"] == 3
    assert [f["shape"] for f in file["findings"]] == ["egsh:IntendedPurposeFromScheme"]


def test_unwritable_output_is_a_clear_error(run_cli, tmp_path: Path) -> None:
    result = run_cli("validate", MINIMAL, "--format", "html", "-o", str(tmp_path / "missing" / "report.html"))
    assert result.exit_code == 2 and "cannot write" in result.stderr
