"""The choice aid in the web service: GET /compare in HTML, JSON and XLSX, its errors, and the served page in a
real headless Chromium (French, with the language switch keeping the candidates)."""

from __future__ import annotations

import io
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook

from . import serving

CANDIDATES = [("technology", "BoneView"), ("technology", "egr:tech-rayvolve"), ("technology", "Milvue")]


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    with serving.in_process(tmp_path_factory.mktemp("choice-web")) as test_client:
        yield test_client


def test_compare_json_html_and_xlsx(client) -> None:  # type: ignore[no-untyped-def]
    answer = client.get("/compare", params=[*CANDIDATES, ("format", "json")])
    assert answer.status_code == 200, answer.text
    data = answer.json()
    assert [c["label"] for c in data["candidates"]] == ["BoneView", "Rayvolve", "Milvue Suite"]
    themes = {t["iri"].rsplit("/", 1)[-1]: t for t in data["themes"]}
    assert not themes["theme-choice-aid-costs"]["documented"]
    fda = next(r for r in themes["theme-choice-aid-legal-regulatory"]["rows"] if r["item"].endswith("FDAAuthorisation"))
    assert fda["cells"]["c3"]["documented"] is False and fda["differs"]
    page = client.get("/compare", params=[*CANDIDATES, ("lang", "fr")])
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "non documenté" in page.text and "lang=en" in page.text and "technology=Milvue" in page.text
    book = client.get("/compare", params=[*CANDIDATES, ("format", "xlsx")])
    assert book.status_code == 200
    header = [c.value for c in load_workbook(io.BytesIO(book.content)).worksheets[0][1]]
    assert header[2:5] == ["BoneView", "Rayvolve", "Milvue Suite"]


def test_compare_errors(client) -> None:  # type: ignore[no-untyped-def]
    too_few = client.get("/compare", params=[("technology", "BoneView")])
    assert too_few.status_code == 400 and too_few.json()["error"]["code"] == "compare_too_few"
    unknown = client.get("/compare", params=[("technology", "BoneView"), ("technology", "no such product")])
    assert unknown.status_code == 400 and "no such product" in unknown.json()["error"]["message"]
    assert client.get("/compare", params=[*CANDIDATES, ("format", "pdf")]).status_code == 400


def test_served_page_in_headless_chromium(tmp_path: Path) -> None:
    """A real server and a real browser: the French page's DOM has its tables, "not documented" cells and the
    highlighted rows."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    assert chromium, "Debian's chromium is required (.ci/run installs it)"
    running = serving.start(tmp_path / "data")
    try:
        url = running.base + "/compare?technology=BoneView&technology=Rayvolve&technology=Milvue&lang=fr"
        done = subprocess.run(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
             f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", url],
            capture_output=True, text=True, timeout=120, check=True,
        )
    finally:
        running.stop()
    dom = done.stdout
    assert '<html lang="fr">' in dom and "Aide au choix" in dom
    assert dom.count('class="not-documented"') > 10 and 'class="row matters' in dom
    assert "<svg" in dom
