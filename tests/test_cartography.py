"""`evalgraph cartography`: the HTML report (tables, charts, offline), XLSX, CSV, GraphML, and a real browser
rendering its charts."""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import matplotlib.image
import networkx as nx
import pytest
from openpyxl import load_workbook

from evalgraph.cartography.report import table_names

from .conftest import HtmlPage

EGR = "https://w3id.org/evalgraph/id/"
TABLES = table_names()




@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The HTML, XLSX, CSV and GraphML reports, made once by the real CLI in a subprocess."""
    folder = tmp_path_factory.mktemp("cartography")
    env_dir = folder / "data"
    for args in (["-o", str(folder / "report.html"), "--graphml", str(folder / "network.graphml")],
                 ["-o", str(folder / "report.xlsx"), "--lang", "fr"], ["-o", str(folder / "report.csv")]):
        done = subprocess.run([sys.executable, "-m", "evalgraph", "--data-dir", str(env_dir), "cartography", *args],
                              capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
    return folder


def test_html_report_has_its_tables_and_charts_and_fetches_nothing(reports: Path) -> None:
    page = HtmlPage()
    page.feed((reports / "report.html").read_text(encoding="utf-8"))
    assert {a.get("data-query") for t, a in page.tags if t in ("table", "div") and a.get("data-query")} == set(TABLES)
    assert {a.get("id") for t, a in page.tags if t == "section"} >= {"matrix", "lifecycle", "gap", "gap-summary", "evidence",
                                                                         "cartography", "comparators", "timeline"}
    assert not [t for t, a in page.tags if t in ("script", "link", "img", "iframe")]
    # Sources are links (a reader follows them); nothing is fetched: no external src, no href outside <a>.
    assert not [a for t, a in page.tags if any(str(v).startswith(("http://", "https://")) for k, v in a.items()
                                                  if (k == "src" or (k == "href" and t != "a")) and v)]
    heatmap_cells = page.having("rect", "class", "cell")
    assert len(heatmap_cells) >= 6 * 10
    assert len(page.having("path", "class", "flow")) >= 5
    assert len(page.having("rect", "class", "bar")) >= 3
    text = " ".join(page.text)
    assert "BoneView" in text and "Cartography of evaluation types" in text


def test_xlsx_has_one_filtered_sheet_per_table(reports: Path) -> None:
    workbook = load_workbook(reports / "report.xlsx")  # in French
    assert workbook.sheetnames[:8] == ["À lire", "Voies d'évaluation", "Catégorie × voie", "Vide d'évaluation",
                                       "Preuves", "Comparateurs FDA", "Chronologie", "Vide en chiffres"]
    assert len(TABLES) == len(workbook.sheetnames) - 1
    sheet = workbook["Vide d'évaluation"]
    header = [c.value for c in sheet[1]]
    assert header[:2] == ["nom", "finalités d'usage"] and header[-1] == "technologie (IRI)"
    assert sheet.auto_filter.ref and sheet.freeze_panes == "A2"
    in_gap = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert len(in_gap) == 11 and "BoneView" in in_gap and "Moovcare Poumon" not in in_gap
    assert workbook["Voies d'évaluation"].max_row == 27  # header + 26 pathways


def test_csv_files(reports: Path) -> None:
    with (reports / "report.csv").open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][:3] == ["pathway", "label", "jurisdiction"] and len(rows) == 27
    for name in TABLES[1:]:
        assert (reports / f"report-{name}.csv").is_file()


def test_graphml_network(reports: Path) -> None:
    graph = nx.read_graphml(reports / "network.graphml")
    kinds = {data["kind"] for _, data in graph.nodes(data=True)}
    assert kinds == {"technology", "pathway", "evaluator"}
    edges = {(u, v, d["relation"]) for u, v, d in graph.edges(data=True)}
    assert (EGR + "tech-boneview", EGR + "pathway-has-choice-aid-guide", "eligible") in edges
    assert (EGR + "tech-moovcare-poumon", EGR + "pathway-lppr-brand-name", "obtained") in edges


def test_cli_errors(run_cli, tmp_path: Path) -> None:
    assert run_cli("cartography").exit_code == 2
    assert run_cli("cartography", "-o", str(tmp_path / "report.pdf")).exit_code == 2
    # several outputs: a bad one is refused before anything is written
    refused = run_cli("cartography", "-o", str(tmp_path / "report.html"), "-o", str(tmp_path / "report.pdf"))
    assert refused.exit_code == 2 and "report.pdf" in refused.stderr and not (tmp_path / "report.html").exists()


def test_several_outputs_from_one_run(run_cli, tmp_path: Path) -> None:
    done = run_cli("cartography", "--lang", "fr", "-o", str(tmp_path / "r.html"), "-o", str(tmp_path / "r.xlsx"),
                   "-o", str(tmp_path / "r.zip"))
    assert done.exit_code == 0, done.stderr
    assert done.stderr.count("r.html") == done.stderr.count("r.xlsx") == done.stderr.count("r.zip") == 1
    assert "<html" in (tmp_path / "r.html").read_text(encoding="utf-8")[:200]
    from evalgraph.cartography import columns

    sheets = load_workbook(tmp_path / "r.xlsx").sheetnames  # the French workbook: read-me, then one sheet per table
    assert sheets[0] == columns.sheet_name("readme", "fr") and len(sheets) == 1 + len(table_names())
    assert len(zipfile.ZipFile(tmp_path / "r.zip").namelist()) >= len(table_names())
    again = tmp_path / "sub" / ".." / "twice.html"  # the same file under another spelling: refused, nothing written
    twice = run_cli("cartography", "-o", str(tmp_path / "twice.html"), "-o", str(again))
    assert twice.exit_code == 2 and "named twice" in twice.stderr and str(again) in twice.stderr, twice.stderr
    assert not (tmp_path / "twice.html").exists()


def test_charts_render_in_headless_chromium(reports: Path, tmp_path: Path) -> None:
    """A real browser draws the report: the heatmap's blue cells and the Sankey's flows are on screen."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    assert chromium, "Debian's chromium is required (.ci/run installs it)"
    shot = tmp_path / "report.png"
    subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
         f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1400,4000", f"--screenshot={shot}",
         (reports / "report.html").as_uri()],
        capture_output=True, timeout=120, check=True,
    )
    pixels = matplotlib.image.imread(shot)[:, :, :3]
    blue = ((abs(pixels[:, :, 0] - 26 / 255) < 0.08) & (abs(pixels[:, :, 1] - 115 / 255) < 0.08)
            & (abs(pixels[:, :, 2] - 232 / 255) < 0.08)).sum()
    # the darkest heatmap cells (as many as the cells at the maximum count) and the evidence bars: a page whose
    # charts are not drawn has none
    assert pixels.shape[0] >= 4000 and blue > 800, blue


def test_the_report_s_sections_are_named_by_the_queries_headers() -> None:
    """The cartography's tables come from the `#+ report: cartography N` headers of queries/, in that order."""
    national = [t for t in TABLES if not t.startswith("market-")]  # the market section's tables follow (issue 16)
    assert TABLES[0] == "cartography" and national[-1] == "has-level-profile" and len(national) == 8  # issue 17
