"""Issue 17, the analyst's points: the French cartography is French throughout, its headers are labels, the pathway
table reads on a laptop and on paper, the matrix does not contradict itself, stated and derived values are told
apart, the files open in a spreadsheet program, and unknown is shown as unknown."""

from __future__ import annotations

import csv
import io
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from evalgraph.cartography import charts, columns
from evalgraph.cartography.report import table_names
from evalgraph.store import queries

from .conftest import HtmlPage

ROOT = Path(__file__).resolve().parent.parent
EGR = "https://w3id.org/evalgraph/id/"
ENGLISH = {"the", "and", "of", "with", "for", "not", "pathway", "pathways", "eligible", "obtained", "derived",
           "stated", "unknown", "binding", "yes", "no", "true", "false", "none", "report", "figures", "evidence",
           "timeline", "gap", "status", "count", "measure", "name", "jurisdiction", "technology",
           "evaluator", "outcome", "scope", "criteria", "from", "by", "on", "which", "or", "studies", "share"}
PROPER_NAMES = ("Federal Food, Drug, and Cosmetic Act",  # the US act's name, cited as such
                "R162-112 to R162-116 CSS")  # a citation of the knowledge base (eg:citation is not translated)


def cartography(folder: Path, *args: str) -> None:
    done = subprocess.run([sys.executable, "-m", "evalgraph", "--data-dir", str(folder / "data"), "cartography",
                           *args], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("analyst")
    for args in (["-o", str(folder / "fr.html"), "-o", str(folder / "fr.xlsx"), "-o", str(folder / "fr.csv"),
                  "--lang", "fr", "--csv-dialect", "excel"],  # one reading of the store, three files
                 ["-o", str(folder / "en.html"), "-o", str(folder / "en.zip"), "--csv-dialect", "excel"],
                 ["-o", str(folder / "plain.zip")]):
        cartography(folder, *args)
    return folder


def page_text(path: Path) -> tuple[HtmlPage, str]:
    source = path.read_text(encoding="utf-8")
    page = HtmlPage(re.sub(r"<style>.*?</style>", "", source, flags=re.DOTALL))
    return page, " ".join(page.text)


# ------------------------------------------------------------------------------------------------------ point 1


def test_french_report_has_no_english_string_outside_proper_names(reports: Path) -> None:
    """The report's own words — headings, descriptions, legends, headers, field names, coded values, tooltips — are
    French. Table cells (product and organisation names, registry names) and the market section (names as the
    registries spell them) are proper names, left out of the scan; the cards' values are scanned."""
    source = (reports / "fr.html").read_text(encoding="utf-8")
    source = re.sub(r"<td[^>]*>.*?</td>", "", source, flags=re.DOTALL)
    if '<section id="market">' in source:  # the market section (issue 16) closes the page
        source = source[:source.index('<section id="market">')]
    text = " ".join(HtmlPage(re.sub(r"<style>.*?</style>", "", source, flags=re.DOTALL)).text)
    for name in PROPER_NAMES:
        text = text.replace(name, "")
    english = sorted({w for w in re.findall(r"[^\W\d_]+", text) if w.lower() in ENGLISH})
    assert english == []
    _, whole = page_text(reports / "fr.html")
    for name in table_names():
        assert queries.load(name).description_fr.split("`")[0][:60] in whole


def test_headers_are_labels_and_the_iris_stay_in_the_page(reports: Path) -> None:
    page, _ = page_text(reports / "fr.html")
    source = (reports / "fr.html").read_text(encoding="utf-8")
    headers = re.findall(r'<th scope="col" data-variable="(\w+)">([^<]+)', source)
    assert ("decisionMaker" not in dict(headers)) and headers  # the pathway table became cards
    assert not [label for _, label in headers if re.search(r"[a-z][A-Z]", label)], headers
    assert dict(headers)["pathwayLabel"].strip() == "voie" and dict(headers)["eligible"].startswith("technologies")
    iris = {a.get("data-iri") for _, a in page.tags if a.get("data-iri")}
    assert EGR + "tech-boneview" in iris and EGR + "pathway-pecan" in iris
    _, english = page_text(reports / "en.html")
    assert "decision-maker" in english and "decisionMaker" not in english


def test_french_stats_and_readiness_summary(run_cli) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("--lang", "fr", "stats")
    assert "voies d'évaluation" in result.stdout and "marquages CE" in result.stdout
    assert "evaluation pathways" not in result.stdout and "CE markings" not in result.stdout
    workbook = ROOT / "examples" / "establishment" / "inventaire-chu-exemple.xlsx"
    assert run_cli("import", "inventory", str(workbook), "--establishment", "CHU Exemple").exit_code in (0, 1)
    result = run_cli("readiness", "CHU Exemple", "--lang", "fr")
    assert "obligations dont la documentation manque" in result.stdout
    assert "obligations with missing documentation" not in result.stdout


# ------------------------------------------------------------------------------------------------------ point 2


def test_pathway_table_is_cards_by_jurisdiction_france_first_with_legend_and_sources(reports: Path) -> None:
    source = (reports / "fr.html").read_text(encoding="utf-8")
    section = source[source.index('<section id="cartography">'):source.index('<section id="comparators">')]
    groups = re.findall(r'<section class="jurisdiction">\s*<h3>([^<]+?) <span', section)
    assert groups[:2] == ["France", "Union européenne"] and len(groups) >= 5
    page = HtmlPage(section)
    cards = page.having("article", "class", "card")
    assert len(cards) == 26
    assert len([t for t, a in page.tags if t == "table"]) == 0  # no ten-screen scroller
    assert len(page.having("p", "class", "sources")) >= 25
    assert sum(1 for t, a in page.tags if t == "a" and (a.get("href") or "").startswith("https://")) > 40
    legend = " ".join(HtmlPage(section[section.index('id="pathway-legend"'):]).text)
    for word in ("contraignante", "voie nationale française", "statut des faits", "non comptée comme évaluation"):
        assert word in legend
    assert "@media print" in source and "break-inside: avoid" in source


# ------------------------------------------------------------------------------------------------------ point 3


def test_matrix_consistent_and_key_figure_counts_real_pathways(reports: Path) -> None:
    page, _ = page_text(reports / "fr.html")
    source = (reports / "fr.html").read_text(encoding="utf-8")
    assert page.having("circle", "class", "obtained-not-eligible")  # PECAN and LATM: obtained, not derived eligible
    titles = [t for t in page.text if " éligible(s) (déduit), " in t]
    assert len(titles) >= 60
    for title in titles:
        found = re.search(r": (\d+) éligible\(s\) \(déduit\), (\d+) l'ayant obtenue \(déclaré\), dont (\d+) ", title)
        assert found, title
        eligible, obtained, unexpected = map(int, found.groups())
        assert unexpected <= obtained and obtained - unexpected <= eligible, title
    pecan = next(t for t in titles if "PECAN" in t and t.startswith("télésurveillance"))
    assert ": 0 éligible(s) (déduit), 1 l'ayant obtenue (déclaré), dont 1 " in pecan
    assert re.search(r'<b id="figure-pathways">24</b>', source)  # 26 less "no pathway" and matériovigilance


def test_chart_labels_are_whole_and_fit() -> None:
    records = [{"categoryLabel": "aide à la décision médicale", "pathwayLabel": "x" * 70, "eligible": 1,
                "obtained": 1, "obtainedNotEligible": 1}]
    chart = charts.heatmap(records)
    assert chart.columns[0].text == "x" * 70
    assert chart.columns[0].y >= 70 * charts.CHAR * charts.SIN55  # the rotated label stays inside the top
    assert chart.width >= chart.columns[0].x + 70 * charts.CHAR * charts.COS55
    assert chart.rows[0].cells[0].unexpected == 1
    long = "logiciel dispositif médical de diagnostic in vitro (IVDR)"
    sankey = charts.sankey([(long, "surveillance après commercialisation", 3)])
    assert sankey.x0 - 6 >= len(long) * charts.CHAR
    assert sankey.width - (sankey.x1 + sankey.node_width + 6) >= len("surveillance après commercialisation") * 6.5


# ------------------------------------------------------------------------------------------------------ point 4


def test_fact_status_and_stated_or_derived_in_the_report_and_workbook(reports: Path) -> None:
    source = (reports / "fr.html").read_text(encoding="utf-8")
    assert re.search(r'<article class="card partly" data-iri="[^"]*pathway-cnam-ai-pilot"', source)
    assert "statut des faits — partiellement confirmé" in source
    assert re.search(r'data-variable="eligible">[^<]+<span class="derived"', source)
    assert not re.search(r'data-variable="obtained">[^<]+<span class="derived"', source)
    workbook = load_workbook(reports / "fr.xlsx")
    readme = [[c for c in row] for row in workbook["À lire"].iter_rows(values_only=True)]
    eligible = next(row for row in readme if row[2] == "eligible")
    obtained = next(row for row in readme if row[2] == "obtained")
    assert str(eligible[3]).startswith("déduit") and str(obtained[3]).startswith("énoncé")
    sheet = workbook["Voies d'évaluation"]
    header = [c.value for c in sheet[1]]
    status = [row[header.index("statut des faits")] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert "partiellement confirmé" in status and "confirmé" in status
    assert "déduit" in sheet.cell(row=1, column=1).comment.text or "énoncé" in sheet.cell(row=1, column=1).comment.text


# ------------------------------------------------------------------------------------------------------ point 6


def test_xlsx_column_a_readable_iris_hidden_and_linked_text_wrapped(reports: Path) -> None:
    workbook = load_workbook(reports / "fr.xlsx")
    for sheet in workbook.worksheets[1:]:
        first = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
        assert not any(str(v).startswith("http") for v in first), sheet.title
    sheet = workbook["Voies d'évaluation"]
    header = [c.value for c in sheet[1]]
    assert header[0] == "nom" and header[-2:] == ["voie (IRI)", "juridiction (IRI)"]
    assert sheet.column_dimensions["A"].hidden is False
    letters = [c.column_letter for c in sheet[1] if c.value in ("voie (IRI)", "juridiction (IRI)")]
    assert all(sheet.column_dimensions[letter].hidden for letter in letters)
    assert sheet["A2"].hyperlink.target.startswith(EGR + "pathway-")
    criteria = header.index("critères") + 1
    assert sheet.cell(row=2, column=criteria).alignment.wrap_text


def test_csv_excel_dialect_bom_semicolon_in_french_and_labels(reports: Path) -> None:
    raw = (reports / "fr.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["voie (IRI)", "nom", "juridiction"] and len(rows) == 27
    assert "oui" in {v for row in rows for v in row}
    assert (reports / "fr-evidence-profile.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    with zipfile.ZipFile(reports / "en.zip") as archive:
        names = archive.namelist()
        assert names[0] == "en.csv" and len(names) == len(table_names())
        english = archive.read("en-evaluation-gap.csv")
        assert english.startswith(b"\xef\xbb\xbf") and b"intended purposes," in english
    with zipfile.ZipFile(reports / "plain.zip") as archive:
        assert archive.read("plain.csv").startswith(b"pathway,label,jurisdiction")


def test_server_gives_every_table_as_zip_or_one_link_each(tmp_path: Path) -> None:
    from .serving import in_process

    with in_process(tmp_path / "data") as client:
        zipped = client.get("/cartography", params={"format": "zip", "lang": "fr", "dialect": "excel"})
        assert zipped.status_code == 200 and zipped.headers["content-type"] == "application/zip"
        with zipfile.ZipFile(io.BytesIO(zipped.content)) as archive:
            assert len(archive.namelist()) == len(table_names())
            assert archive.read("cartography.csv").decode("utf-8-sig").startswith("voie (IRI);nom;")
        one = client.get("/cartography", params={"format": "csv", "table": "timeline"})
        assert one.status_code == 200 and one.text.startswith("date,event,label")
        assert client.get("/cartography", params={"format": "csv", "table": "nope"}).status_code == 404
        ui = client.get("/ui/").text
        assert "format=zip" in ui


# ------------------------------------------------------------------------------------------------------ point 7


def test_unknown_is_unknown_with_the_number_of_studies_that_state_it(reports: Path) -> None:
    source = (reports / "fr.html").read_text(encoding="utf-8")
    evidence = source[source.index('<section id="evidence">'):source.index('<section id="cartography">')]
    text = " ".join(HtmlPage(evidence).text)
    studies = [int(n) for n in re.findall(r"inconnu \(0 étude\(s\) sur (\d+) le renseignent\)", text)]
    assert studies and max(studies) > 0  # studies exist, none states the fact: unknown, not 0 %
    assert "0.0" not in text and "0 %" not in text
    assert columns.cell({"externalValidationShare": 0.5, "externalValidationStated": 2, "studies": 4},
                        columns.Column("externalValidationShare", "", False, False), "en").text \
        == "50% (2 of 4 studies state it)"
