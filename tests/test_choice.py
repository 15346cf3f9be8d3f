"""The choice aid (issue 19): three catalogue products and one dossier side by side in both languages — the "not
documented" cells, the highlighted differences with their rules, each value's origin and sources — the HTML page in
a real headless Chromium, the XLSX with one column per candidate, the JSON, and a saved choice record turning the
readiness report's structured-choice-process element from missing to met."""

from __future__ import annotations

import html
import json
import shutil
import subprocess
import sys
from pathlib import Path

import matplotlib.image
import pytest
from openpyxl import load_workbook

from evalgraph.choice import Comparison, compare
from evalgraph.choice.model import to_dict
from evalgraph.store.oxigraph import OxigraphStore

from . import serving
from .conftest import HtmlPage

ROOT = Path(__file__).resolve().parent.parent
DOSSIER = ROOT / "tests" / "data" / "dossiers" / "choice-fracture-candidate.yaml"
CANDIDATES = ["BoneView", "egr:tech-rayvolve", "Milvue", str(DOSSIER)]
EG = "https://w3id.org/evalgraph/ontology/"
EGR = "https://w3id.org/evalgraph/id/"
UNFILLED = {"theme-choice-aid-environmental-consequences", "theme-choice-aid-costs", "theme-choice-aid-it-means",
            "theme-choice-aid-data-protection"}


@pytest.fixture(scope="module", params=["en", "fr"])
def comparison(request: pytest.FixtureRequest, builtin_store: OxigraphStore) -> Comparison:
    return compare(builtin_store, CANDIDATES, request.param)


def row(comparison: Comparison, item: str):  # type: ignore[no-untyped-def]
    found = [r for t in comparison.themes for r in t.rows if r.item == EG + item]
    assert len(found) == 1, item
    return found[0]


def test_candidates_keep_their_order_and_origin(comparison: Comparison) -> None:
    assert [c.iri for c in comparison.candidates] == [EGR + "tech-boneview", EGR + "tech-rayvolve",
                                                      EGR + "tech-milvue-suite", EGR + "tech-test-fracture-candidate"]
    assert [c.kind for c in comparison.candidates] == ["store", "store", "store", "dossier"]
    assert "score" not in json.dumps(to_dict(comparison)) and "rank" not in json.dumps(to_dict(comparison))


def test_themes_the_knowledge_base_cannot_fill(comparison: Comparison) -> None:
    assert {t.iri.removeprefix(EGR) for t in comparison.unfilled_themes} == UNFILLED
    assert len(comparison.themes) == 9


def test_not_documented_cells(comparison: Comparison) -> None:
    fda = row(comparison, "FDAAuthorisation")
    assert fda.cells["c1"].documented and fda.cells["c2"].documented
    assert not fda.cells["c3"].documented and not fda.cells["c4"].documented  # Milvue, the dossier: none recorded
    external = row(comparison, "isExternalValidation")
    assert [external.cells[k].documented for k in ("c1", "c2", "c3", "c4")] == [False, False, False, True]


def test_origins_and_sources(comparison: Comparison) -> None:
    ce = row(comparison, "CEMarking")
    assert [v.origin for k in ("c1", "c4") for v in ce.cells[k].values] == ["source", "dossier"]
    assert ce.cells["c1"].values[0].sources == ("https://healthairegister.com/radiology/products/gleamer-ai-boneview-trauma",)
    assert ce.cells["c1"].values[0].status  # partly confirmed (HAIR snapshot)
    ai_act = row(comparison, "aiActCategory")
    assert all(c.values[0].origin == "derived" and c.values[0].sources for c in ai_act.cells.values())
    assert row(comparison, "regulatoryQualification").cells["c4"].values[0].origin == "dossier"  # stated and derived


def test_differences_that_matter_are_highlighted_with_their_rule(comparison: Comparison) -> None:
    external = row(comparison, "isExternalValidation")
    assert external.highlighted and external.rule is not None
    assert external.rule.basis == EGR + "theme-choice-aid-validation"
    assert "https://www.qualitiso.com/dm-numeriques-pour-les-professionnels-referentiels-has/" in external.rule.sources
    body = row(comparison, "notifiedBody")  # class IIa, a notified body needed (derived), none stated
    assert body.highlighted and {c.flag for c in body.cells.values()} == {"needed-not-stated"}
    assert body.rule is not None and body.rule.basis == EGR + "law-mdr" and body.rule.sources
    assert not row(comparison, "riskClass").highlighted  # class IIa for all four: no difference
    assert not row(comparison, "isAISystem").differs


def test_html_page(comparison: Comparison, tmp_path: Path) -> None:
    from evalgraph.choice import output

    path = tmp_path / "compare.html"
    output.write_html(comparison, path)
    text = html.unescape(path.read_text(encoding="utf-8"))
    page = HtmlPage(text)
    fr = comparison.lang == "fr"
    assert page.having("html", "lang", comparison.lang)
    assert ("non documenté" if fr else "not documented") in text
    assert ("Pourquoi c'est important" if fr else "Why it matters") in text
    assert 'class="row matters differs" data-item="eg:isExternalValidation"' in text
    assert 'data-item="eg:notifiedBody"' in text and "<svg" in text
    assert "<script" not in text and "http-equiv" not in text
    assert not [a for a in ("src=", "@import", "url(") if a in text]


def test_the_regulation_is_named_in_the_language_of_the_page(comparison: Comparison, tmp_path: Path) -> None:
    """A CE marking's regulation is its label in the page's language (the citation literal has none): the French
    page, workbook and JSON never show the English "Regulation (EU)"."""
    from evalgraph.choice import output

    ce = row(comparison, "CEMarking")
    texts = [v.text for cell in ce.cells.values() for v in cell.values]
    fr = comparison.lang == "fr"
    right, wrong = ("Règlement (UE) 2017/745", "Regulation (EU)") if fr else ("Regulation (EU) 2017/745", "Règlement")
    assert any(right in t for t in texts) and not any(wrong in t for t in texts), texts
    if not fr:
        return
    written = []
    for name in ("compare.html", "compare.json", "compare.xlsx"):
        output.write(comparison, tmp_path / name)
    written.append((tmp_path / "compare.html").read_text(encoding="utf-8"))
    written.append((tmp_path / "compare.json").read_text(encoding="utf-8"))
    book = load_workbook(tmp_path / "compare.xlsx")
    written += [str(c.value) for ws in book.worksheets for r in ws.iter_rows() for c in r if c.value is not None]
    assert not [t for t in written if "Regulation (EU)" in html.unescape(t)]


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every command shown in docs/choice.md, run in order by the real CLI in subprocesses (a copy of the prepared
    store; the paths the commands name linked into the working folder): the folder they wrote to."""
    import re
    import shlex

    folder = tmp_path_factory.mktemp("compare")
    text = (ROOT / "docs" / "choice.md").read_text(encoding="utf-8")
    commands = [line for block in re.findall(r"```sh\n(.*?)```", text, re.DOTALL) for line in block.splitlines()]
    assert len(commands) == 6 and all(c.startswith("evalgraph ") for c in commands)
    serving.prepared_store(folder / "data" / "store")
    for name in ("tests", "examples"):
        (folder / name).symlink_to(ROOT / name)
    for command in commands:
        args = shlex.split(command)[1:]
        done = subprocess.run([sys.executable, "-m", "evalgraph", "--data-dir", str(folder / "data"), *args],
                              capture_output=True, text=True, cwd=folder)
        expected = {0, 1} if args[0] in ("import", "readiness") else {0}  # exit 1: rows left out, elements missing
        assert done.returncode in expected, (command, done.stderr)
    return folder


OWN_FACTS = ("manufacturer", "intendedPurpose", "intendedUser", "careSetting", "inputDataKind", "isAISystem",
             "isGenerativeAI", "trainingDataDescription", "modelProvenance", "validationDataDescription",
             "updatePolicy", "changeControlPlan", "humanOversight", "outputReview", "isAutonomous",
             "outputExplanation", "knownErrorMode")
"""The items of choice-facts that are the technology's own statements (the subject is the technology)."""


def _documented_in_store(store: OxigraphStore, technology: str, item: str) -> bool:
    """Whether the store (not the inferred graph) states ``item`` of ``technology`` — asked of the data itself."""
    if item in OWN_FACTS:
        pattern = f"<{technology}> eg:{item} ?o . FILTER (!isLiteral(?o) || LANG(?o) IN ('', 'en'))"
    elif item == "FDAAuthorisation":
        pattern = f"<{technology}> eg:hasRegulatoryStatus ?o . ?o a eg:FDAAuthorisation"
    else:  # what a study of the technology says of itself
        pattern = f"?study a eg:Study ; eg:assessedTechnology <{technology}> ; eg:{item} ?o"
    query = (f"PREFIX eg: <{EG}> ASK {{ GRAPH ?g {{ {pattern} }} "
             "FILTER (?g != <https://w3id.org/evalgraph/graph/inferred>) }")
    return bool(store.query(query).boolean)


def test_cli_json(outputs: Path) -> None:
    """The JSON of three catalogue products and one dossier (docs/choice.md's first command): every theme of the
    guide; each catalogue product's cell documented exactly when the store states the fact (so "not documented"
    where the catalogue lacks it, read from the data); the differences that matter with their rule and its
    sources; every value with its sources and its origin."""
    from evalgraph.store.oxigraph import open_store

    data = json.loads((outputs / "compare.json").read_text(encoding="utf-8"))
    assert [c["kind"] for c in data["candidates"]] == ["store", "store", "store", "dossier"]
    store = open_store(outputs / "data" / "store")
    try:
        themes = {str(r[0].value) for r in store.query(
            f"PREFIX eg: <{EG}> SELECT ?t WHERE {{ ?t a eg:GuideTheme ; "
            f"eg:partOfProgramme <{EGR}doc-has-choice-aid-guide> }}").rows}
        assert len(themes) == 9 and {t["iri"] for t in data["themes"]} == themes
        rows = [r for t in data["themes"] for r in t["rows"]] + data["identity"]
        checked = {}
        for r in rows:
            item = r["item"].removeprefix(EG)
            if item in (*OWN_FACTS, "FDAAuthorisation", "isExternalValidation", "isVendorIndependent", "studyDesign"):
                for c in data["candidates"][:3]:
                    checked[(item, c["key"])] = _documented_in_store(store, c["iri"], item)
                    assert r["cells"][c["key"]]["documented"] is checked[(item, c["key"])], (item, c["label"])
    finally:
        store.close()
    assert checked[("FDAAuthorisation", "c1")] and not checked[("FDAAuthorisation", "c3")]  # Milvue: no FDA record
    assert not any(checked[("isExternalValidation", k)] for k in ("c1", "c2", "c3"))  # the dossier's alone
    highlighted = [r for r in rows if r["highlighted"]]
    assert any(r["item"] == EG + "isExternalValidation" for r in highlighted)
    for r in highlighted:
        assert r["rule"]["text"] and r["rule"]["sources"] and all(s.startswith("https://") for s in r["rule"]["sources"])
        assert r["differs"] or any(c["flag"] for c in r["cells"].values()), r["label"]
    values = [v for r in rows for c in r["cells"].values() for v in c["values"]]
    assert values and all(v["sources"] and v["origin"] in ("source", "dossier", "derived") for v in values)
    assert {v["origin"] for v in values} == {"source", "dossier", "derived"}


def test_cli_outputs(outputs: Path) -> None:
    data = json.loads((outputs / "pair.json").read_text(encoding="utf-8"))
    assert [c["label"] for c in data["candidates"]] == ["BoneView", "Rayvolve"]
    sheet = load_workbook(outputs / "compare.xlsx").worksheets[0]
    header = [c.value for c in sheet[1]]
    assert header[2:6] == ["BoneView", "Rayvolve", "Milvue Suite", "Détecteur de fractures (fictif)"]
    cells = {(r[0].value, r[1].value): r for r in sheet.iter_rows(min_row=2)}
    fda = next(r for (_theme, item), r in cells.items() if item == "autorisation FDA")
    assert fda[4].value == "non documenté"
    external = next(r for (_theme, item), r in cells.items() if item == "validation externe")
    assert external[0].fill.fgColor.rgb.endswith("FFF4D6") and external[6].value


def test_cli_errors(run_cli, tmp_path: Path) -> None:
    assert run_cli("compare", "BoneView", "Rayvolve").exit_code == 2  # no -o, no --record
    assert run_cli("compare", "BoneView", "-o", str(tmp_path / "c.html")).exit_code == 2  # one candidate
    assert run_cli("compare", "BoneView", "Rayvolve", "-o", str(tmp_path / "c.pdf")).exit_code == 2


def test_cli_writes_every_output_and_refuses_one_named_twice(run_cli, tmp_path: Path) -> None:
    """-o is repeatable as in cartography: one comparison, every file written; the same file named twice (here as
    another spelling of the same path) is refused before anything is read or written."""
    paths = [tmp_path / "c.xlsx", tmp_path / "c.json", tmp_path / "c.html"]
    done = run_cli("compare", "BoneView", "Rayvolve", *(a for p in paths for a in ("-o", str(p))))
    assert done.exit_code == 0, done.stderr
    assert all(p.stat().st_size > 0 for p in paths)
    assert json.loads(paths[1].read_text(encoding="utf-8"))["candidates"][1]["label"] == "Rayvolve"
    assert load_workbook(paths[0]).worksheets[0]["D1"].value == "Rayvolve"
    again = tmp_path / "sub" / ".." / "twice.json"
    twice = run_cli("--lang", "fr", "compare", "BoneView", "Rayvolve", "-o", str(tmp_path / "twice.json"),
                    "-o", str(again))
    assert twice.exit_code == 2 and "nommé deux fois" in twice.stderr and str(again) in twice.stderr, twice.stderr
    assert not (tmp_path / "twice.json").exists()


def test_page_renders_in_headless_chromium(outputs: Path, tmp_path: Path) -> None:
    """A real browser draws the page: the highlighted rows (amber) and the evidence bars (blue) are on screen."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    assert chromium, "Debian's chromium is required (.ci/run installs it)"
    shot = tmp_path / "compare.png"
    subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
         f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1400,3000", f"--screenshot={shot}",
         (outputs / "compare.html").as_uri()],
        capture_output=True, timeout=120, check=True,
    )
    pixels = matplotlib.image.imread(shot)[:, :, :3]

    def count(r: int, g: int, b: int) -> int:
        return int(((abs(pixels[:, :, 0] - r / 255) < 0.03) & (abs(pixels[:, :, 1] - g / 255) < 0.03)
                    & (abs(pixels[:, :, 2] - b / 255) < 0.03)).sum())

    assert count(0xFF, 0xF4, 0xD6) > 5000  # highlighted differences
    assert count(0x1A, 0x73, 0xE8) > 1000  # evidence bars and "source" badges
    if shot.exists() and (ROOT / "docs").is_dir() and "EVALGRAPH_SCREENSHOT" in __import__("os").environ:
        shutil.copy(shot, ROOT / "docs" / "choice-aid.png")


# ------------------------------------------------------------------------------------------------ choice records

def test_a_choice_record_meets_the_structured_choice_element(tmp_path: Path) -> None:
    """Row 14 of the example establishment (the Doctolib consultation assistant, deliberately without a record of
    its choice) goes from missing to met once a comparison choosing it is saved for the establishment."""
    from evalgraph.cartography import report as cartography
    from evalgraph.choice import records
    from evalgraph.establishments import inventory, readiness
    from evalgraph.store.oxigraph import open_store

    store = open_store(serving.prepared_store(tmp_path / "store"))
    try:
        inventory.import_inventory(store, ROOT / "examples" / "establishment" / "inventaire-chu-exemple.xlsx",
                                   "CHU Exemple", lang="en")
        cartography.refresh_inferred(store)

        def element(row: int) -> str:
            deployment = next(d for d in readiness.assess(store, "CHU Exemple").deployments if d.row == row)
            return next(e.status for e in deployment.elements if e.iri == EGR + "element-structured-choice-process")

        assert element(14) == "missing"
        targets = ["Doctolib consultation assistant", "Nabla Copilot"]
        comparison = compare(store, targets, "en")
        with pytest.raises(Exception, match="names none"):
            records.chosen(comparison, targets, "BoneView")
        record = records.Record("CHU Exemple", "COMEDIMS", records.chosen(comparison, targets, "Doctolib consultation"
                                                                          " assistant"), ["integrated"], ["validation"])
        iri = records.save(store, comparison, record)
        assert element(14) == "met"
        saved = {str(t.predicate.value).rsplit("/", 1)[-1]: t.object.value
                 for t in store.export([records.CHOICE_GRAPH_BASE + "chu-exemple"]) if t.subject.value == iri}
        assert saved["chosenTechnology"] == EGR + "tech-doctolib-consultation-assistant"
        assert saved["answeredTheme"] == EGR + "theme-choice-aid-validation" and saved["comparedBy"] == "COMEDIMS"
        for lang in ("en", "fr"):
            _the_record_is_named(store, iri, lang, tmp_path)
        with pytest.raises(Exception, match="no establishment"):
            records.save(store, comparison, records.Record("CHU Inconnu", "", None))
    finally:
        store.close()


def _the_record_is_named(store: OxigraphStore, iri: str, lang: str, tmp_path: Path) -> None:
    """The readiness report names the record that meets the structured choice process — who compared, when, which
    candidates, the decision — under that element, for row 14 and for the establishment, in the HTML, the JSON, the
    XLSX and the command's text."""
    import io

    from rich.console import Console

    from evalgraph.cli.presenters.establishments import print_readiness
    from evalgraph.establishments import readiness
    from evalgraph.vocab import compact

    result = readiness.assess(store, "CHU Exemple", lang)
    element = EGR + "element-structured-choice-process"
    row14 = next(d for d in result.deployments if d.row == 14)
    [trace] = next(e for e in row14.elements if e.iri == element).records
    assert trace.record == iri and trace.compared_by == "COMEDIMS" and trace.reasons == ("integrated",)
    labels = {"en": ("Doctolib consultation assistant", "Nabla Copilot"),
              "fr": ("Assistant de consultation de Doctolib", "Nabla Copilot")}[lang]
    assert set(trace.candidates) == set(labels) and trace.decision == labels[0] and trace.compared_at[:2] == "20"
    assert next(e for e in result.elements if e.iri == element).records == [trace]
    assert all(not e.records for d in result.deployments for e in d.elements if e.iri != element)
    text = readiness.trace_text(trace, lang)
    assert compact(iri) in text and "COMEDIMS" in text and labels[1] in text and trace.compared_at in text
    assert (f"retenu : {labels[0]}" if lang == "fr" else f"chosen: {labels[0]}") in text
    readiness.write_html(result, tmp_path / "r.html")
    page = html.unescape((tmp_path / "r.html").read_text(encoding="utf-8"))
    assert page.count(text) == 2 and f'id="{compact(iri)}"' in page  # the element's two tables, and the records'
    as_json = json.loads(json.dumps(result.to_dict()))
    shown = next(e for d in as_json["deployments"] if d["row"] == 14 for e in d["elements"] if e["iri"] == element)
    assert shown["records"] == [trace.to_dict()] and shown["records"][0]["decision"] == labels[0]
    readiness.write_xlsx(result, tmp_path / "r.xlsx")
    book = load_workbook(tmp_path / "r.xlsx")
    cells = [str(c.value) for ws in book.worksheets for r in ws.iter_rows() for c in r if c.value is not None]
    assert sum(text in c for c in cells) >= 2 and iri in cells  # the element (summary, row 14), the records sheet
    out = io.StringIO()
    print_readiness(Console(file=out, width=400), result, result.summary(), lang)
    assert text in out.getvalue()


def test_the_commands_of_docs_choice_run(outputs: Path) -> None:
    """The commands of docs/choice.md wrote their files, and after the record the readiness report's
    structured-choice element of row 14 is met."""
    for name in ("compare.html", "compare.xlsx", "compare.json", "choice.html", "preparation.json"):
        assert (outputs / name).stat().st_size > 0, name
    report = json.loads((outputs / "preparation.json").read_text(encoding="utf-8"))
    row14 = next(d for d in report["deployments"] if d["row"] == 14)
    element = next(e for e in row14["elements"] if e["iri"] == EGR + "element-structured-choice-process")
    assert element["status"] == "met"
    [record] = element["records"]  # the record that counts, named: who compared, when, which candidates, the decision
    assert record["compared_by"] == "COMEDIMS" and record["compared_at"] and record["reasons"]
    assert record["decision"] == "Doctolib consultation assistant"
    assert sorted(record["candidates"]) == ["Doctolib consultation assistant", "Nabla Copilot"]
    assert report["choice_records"] == [record]
