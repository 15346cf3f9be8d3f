"""The choice aid in the web service: GET /compare in HTML, JSON and XLSX, its errors, and the served page in a
real headless Chromium (French, with the language switch keeping the candidates); POST /compare with dossiers sent
as files, end to end on a real server: the comparison in its three formats, and bad input refused with the field
and the file named."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from openpyxl import load_workbook

from . import serving
from .attacks import Listener

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
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


# ------------------------------------------------------------------------------------ POST /compare: dossiers as files

ROOT = Path(__file__).resolve().parent.parent
DOSSIER = ROOT / "tests" / "data" / "dossiers" / "choice-fracture-candidate.yaml"
MAX_BYTES = 20_000


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real server (uvicorn, validation workers in their own processes) with a small dossier size limit."""
    running = serving.start(tmp_path_factory.mktemp("choice-post") / "data",
                            env={"EVALGRAPH_DOSSIER_MAX_BYTES": str(MAX_BYTES)})
    try:
        yield running.base
    finally:
        running.stop()


def post(server: str, fields: list[tuple[str, tuple[str | None, object, str] | tuple[None, str]]],
         **params: str) -> httpx.Response:
    return httpx.post(server + "/compare", files=fields, params=params, timeout=120)  # type: ignore[arg-type]


def test_post_compares_store_technologies_and_dossier_files(server: str) -> None:
    """Three catalogue products and a dossier sent as a file, in the order of the fields, in JSON, French HTML and
    XLSX: the dossier is a candidate of its own (its file named), its facts stated by the dossier."""
    dossier = ("dossier", (DOSSIER.name, DOSSIER.read_bytes(), "application/octet-stream"))
    fields = [("technology", (None, "BoneView")), dossier, ("technology", (None, "egr:tech-rayvolve")),
              ("technology", (None, "Milvue")), ("format", (None, "json"))]
    answer = post(server, fields)
    assert answer.status_code == 200, answer.text
    data = answer.json()
    assert [(c["label"], c["kind"], c["file"]) for c in data["candidates"]] == [
        ("BoneView", "store", ""), ("Fracture detector (fictitious)", "dossier", DOSSIER.name),
        ("Rayvolve", "store", ""), ("Milvue Suite", "store", "")]
    rows = {r["item"].rsplit("/", 1)[-1]: r for t in data["themes"] for r in t["rows"]}
    assert [v["origin"] for v in rows["isExternalValidation"]["cells"]["c2"]["values"]] == ["dossier"]
    assert not rows["isExternalValidation"]["cells"]["c1"]["documented"] and rows["isExternalValidation"]["highlighted"]
    page = post(server, fields[:-1], lang="fr")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert '<html lang="fr">' in page.text and "Détecteur de fractures (fictif)" in page.text
    assert "non documenté" in page.text and "Regulation (EU)" not in page.text
    book = post(server, [*fields[:-1], ("format", (None, "xlsx")), ("lang", (None, "fr"))])
    assert book.status_code == 200 and book.headers["content-type"] == XLSX
    header = [c.value for c in load_workbook(io.BytesIO(book.content)).worksheets[0][1]]
    assert header[2:6] == ["BoneView", "Détecteur de fractures (fictif)", "Rayvolve", "Milvue Suite"]


def test_post_refuses_bad_input_naming_the_field_and_the_file(server: str) -> None:
    """Bad dossiers are refused as POST /validate refuses them, with the field and the file named; a dossier
    pointing elsewhere makes the server connect nowhere; the server never reads a file a name points to."""
    def error(answer: httpx.Response, status: int, *words: str) -> None:
        assert answer.status_code == status, answer.text
        text = answer.json()["error"]["message"]
        assert all(w in text for w in words), text

    bone = ("technology", (None, "BoneView"))
    error(post(server, [bone, ("dossier", ("broken.yaml", b"label: [unclosed\n", "application/yaml"))]),
          400, "'dossier'", "broken.yaml")
    error(post(server, [bone, ("dossier", ("notes.txt", b"hello", "text/plain"))]), 415, "'dossier'", "notes.txt")
    big = DOSSIER.read_bytes() + b"\n#" + b"x" * MAX_BYTES
    error(post(server, [bone, ("dossier", ("big.yaml", big, "application/yaml"))]), 413, "'dossier'", "big.yaml")
    error(post(server, [bone, ("dossier", (None, "not a file"))]), 400, "'dossier'")
    error(post(server, [bone, ("candidate", (None, "Rayvolve"))]), 400, "'candidate'")
    error(post(server, [bone, ("technology", ("x.yaml", DOSSIER.read_bytes(), "application/yaml"))]), 400, "x.yaml")
    error(post(server, [bone]), 400)
    no_technology = b'<urn:x> <http://www.w3.org/2000/01/rdf-schema#label> "x" .\n'
    error(post(server, [bone, ("dossier", ("none.ttl", no_technology, "text/turtle"))]), 400, "'dossier'", "none.ttl")
    two = b"".join(b"<https://w3id.org/evalgraph/id/tech-%s> a <https://w3id.org/evalgraph/ontology/DigitalTechnology> ;"
                   b' <http://www.w3.org/2000/01/rdf-schema#label> "%s"@en .\n' % (n, n) for n in (b"a", b"b"))
    error(post(server, [bone, ("dossier", ("two.ttl", two, "text/turtle"))]), 400, "two.ttl", "2")
    french = post(server, [bone, ("dossier", ("broken.yaml", b"label: [unclosed\n", "application/yaml"))], lang="fr")
    error(french, 400, "champ de formulaire « dossier »", "broken.yaml")
    truncated = b'--b0\r\nContent-Disposition: form-data; name="technology"\r\n\r\nBoneView'
    error(httpx.post(server + "/compare", content=truncated,
                     headers={"content-type": "multipart/form-data; boundary=b0"}), 400, "multipart/form-data")
    error(httpx.post(server + "/compare", content=b"technology=BoneView",
                     headers={"content-type": "application/x-www-form-urlencoded"}), 415, "multipart/form-data")
    listener = Listener()
    try:
        remote = json.dumps({"@context": listener.url + "context.jsonld", "id": "egr:tech-x",
                             "type": "DigitalTechnology"}).encode()
        error(post(server, [bone, ("dossier", ("remote.jsonld", remote, "application/ld+json"))]),
              400, "'dossier'", "remote.jsonld")
        assert listener.connections == 0
    finally:
        listener.close()
    local = httpx.get(server + "/compare", params=[("technology", "BoneView"), ("technology", str(DOSSIER))])
    error(local, 400, str(DOSSIER))  # a name, never a file of the server


def test_post_compare_in_the_openapi_description(server: str) -> None:
    operation = httpx.get(server + "/openapi.json").json()["paths"]["/compare"]["post"]
    schema = operation["requestBody"]["content"]["multipart/form-data"]["schema"]
    assert {"technology", "dossier", "format", "lang"} <= set(schema["properties"])
    assert XLSX in operation["responses"]["200"]["content"]
