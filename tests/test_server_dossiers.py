"""The dossier API: the auth matrix, versions with provenance, reports and read-only mode in-process (``create_app``
under FastAPI's TestClient, :func:`tests.serving.in_process`); durability of acknowledged submissions across a kill -9
through a real server."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import rdflib

from tests import serving

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "dossiers"
TOKENS = {"alice": ("submitter", "alice-token-0123456789abcdef"), "bob": ("submitter", "bob-token-0123456789abcdefgh"),
          "rita": ("reviewer", "rita-token-0123456789abcdefg"), "ada": ("admin", "ada-token-0123456789abcdefghi")}
FAULTY = (EXAMPLES / "faulty-rule11-class-i.yaml").read_bytes()
BONEVIEW = (EXAMPLES / "boneview.jsonld").read_bytes()


def auth(name: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {TOKENS[name][1]}"}


def write_tokens(folder: Path) -> Path:
    path = folder / "tokens.txt"
    lines = ["# name role token"]
    for name, (role, token) in TOKENS.items():
        # one entry by digest, the others by token: both forms are accepted
        secret = "sha256:" + hashlib.sha256(token.encode()).hexdigest() if name == "rita" else token
        lines.append(f"{name} {role} {secret}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    folder = tmp_path_factory.mktemp("dossier-server")
    with serving.in_process(folder, token_file=write_tokens(folder)) as client:
        yield client


def submit(http: httpx.Client, who: str, body: bytes = FAULTY, media: str = "application/yaml",
           name: str = "faulty.yaml", path: str = "/dossiers") -> httpx.Response:
    return http.post(path, content=body, params={"name": name}, headers={**auth(who), "Content-Type": media})


def test_auth_matrix_for_submission(server: httpx.Client) -> None:
    anonymous = server.post("/dossiers", content=FAULTY, headers={"Content-Type": "application/yaml"})
    assert anonymous.status_code == 401
    assert anonymous.headers["www-authenticate"].startswith("Bearer")
    assert anonymous.json()["error"]["code"] == "unauthenticated"
    wrong = server.post("/dossiers", content=FAULTY,
                       headers={"Content-Type": "application/yaml", "Authorization": "Bearer alice-token-0123456789abcdeX"})
    assert wrong.status_code == 401 and wrong.json()["error"]["code"] == "invalid_token"
    reviewer = submit(server, "rita")
    assert reviewer.status_code == 403 and reviewer.json()["error"]["code"] == "forbidden_role"
    for who in ("alice", "ada"):
        accepted = submit(server, who)
        assert accepted.status_code == 201, accepted.text
        assert accepted.headers["location"] == f"/dossiers/{accepted.json()['id']}/versions/1"


def test_submission_answers_with_report_qualification_and_provenance(server: httpx.Client) -> None:
    response = submit(server, "alice")
    assert response.status_code == 201
    body = response.json()
    assert body["version"] == 1
    record = body["record"]
    assert record["submitted_by"] == "alice"
    assert record["sha256"] == hashlib.sha256(FAULTY).hexdigest()
    assert record["conforms"] is False and record["violations"] == 1
    assert [f["shape"] for f in body["report"]["findings"] if f["severity"] == "Violation"] == [
        "egsh:Rule11DecisionSoftwareNotClassI"]
    assert body["qualification"] and body["qualification"][0]["technology"].endswith("tech-example-skin-triage")


def test_submitters_read_their_own_dossiers_reviewers_read_all(server: httpx.Client) -> None:
    mine = submit(server, "bob", BONEVIEW, "application/ld+json", "boneview.jsonld").json()["id"]
    assert server.get(f"/dossiers/{mine}", headers=auth("bob")).status_code == 200
    hidden = server.get(f"/dossiers/{mine}", headers=auth("alice"))
    assert hidden.status_code == 404 and hidden.json()["error"]["code"] == "unknown_dossier"
    assert server.get(f"/dossiers/{mine}/report", headers=auth("alice")).status_code == 404
    assert server.get(f"/dossiers/{mine}", headers=auth("rita")).status_code == 200
    assert server.get(f"/dossiers/{mine}", headers=auth("ada")).status_code == 200
    assert server.get(f"/dossiers/{mine}").status_code == 401
    alices = {d["owner"] for d in server.get("/dossiers", headers=auth("alice")).json()}
    assert alices == {"alice"}
    everyone = {d["owner"] for d in server.get("/dossiers", headers=auth("rita")).json()}
    assert {"alice", "bob"} <= everyone


def test_versions_are_kept_with_their_exact_documents(server: httpx.Client) -> None:
    first = submit(server, "alice").json()
    dossier = first["id"]
    fixed = FAULTY.replace(b"class-i", b"class-iia")
    assert fixed != FAULTY
    second = submit(server, "alice", fixed, path=f"/dossiers/{dossier}/versions")
    assert second.status_code == 201, second.text
    assert second.json()["version"] == 2
    assert submit(server, "bob", fixed, path=f"/dossiers/{dossier}/versions").status_code == 404
    assert submit(server, "rita", fixed, path=f"/dossiers/{dossier}/versions").status_code == 403
    record = server.get(f"/dossiers/{dossier}", headers=auth("rita")).json()
    assert [v["version"] for v in record["versions"]] == [1, 2]
    assert [v["sha256"] for v in record["versions"]] == [hashlib.sha256(FAULTY).hexdigest(),
                                                         hashlib.sha256(fixed).hexdigest()]
    original = server.get(f"/dossiers/{dossier}/versions/1", params={"original": "true"}, headers=auth("alice"))
    assert original.content == FAULTY and original.headers["content-type"].startswith("application/yaml")
    turtle = server.get(f"/dossiers/{dossier}/versions/2", headers={**auth("alice"), "Accept": "text/turtle"})
    graph = rdflib.Graph().parse(data=turtle.text, format="turtle")
    assert len(graph) == record["versions"][1]["triples"] > 0
    assert server.get(f"/dossiers/{dossier}/versions/3", headers=auth("alice")).status_code == 404


def test_report_in_json_html_and_turtle(server: httpx.Client) -> None:
    dossier = submit(server, "alice").json()["id"]
    as_json = server.get(f"/dossiers/{dossier}/report", headers=auth("alice"))
    assert as_json.json()["summary"]["Violation"] == 1
    as_html = server.get(f"/dossiers/{dossier}/report", params={"format": "html", "lang": "fr"},
                        headers=auth("alice"))
    assert as_html.headers["content-type"].startswith("text/html") and "Rule11" in as_html.text
    as_turtle = server.get(f"/dossiers/{dossier}/report", headers={**auth("alice"), "Accept": "text/turtle"})
    report = rdflib.Graph().parse(data=as_turtle.text, format="turtle")
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    assert (None, sh.conforms, rdflib.Literal(False)) in report


def test_validate_is_public_and_stores_nothing(server: httpx.Client) -> None:
    before = len(server.get("/dossiers", headers=auth("rita")).json())
    checked = server.post("/validate", content=BONEVIEW, params={"name": "boneview.jsonld", "lang": "fr"},
                         headers={"Content-Type": "application/ld+json"})
    assert checked.status_code == 200
    assert checked.json()["report"]["conforms"] is True
    assert len(server.get("/dossiers", headers=auth("rita")).json()) == before


@pytest.mark.parametrize(("headers", "body", "status", "code"), [
    ({}, FAULTY, 400, "no_content_type"),
    ({"Content-Type": "text/plain"}, FAULTY, 415, "unsupported_media_type"),
    ({"Content-Type": "application/yaml"}, b"name: [unclosed", 400, "yaml_error"),
    ({"Content-Type": "application/yaml"}, b"\xff\xfe", 400, "file_unreadable"),
    ({"Content-Type": "text/turtle"}, b"<a> <b> <c> .", 400, "parse_error"),
])
def test_unreadable_dossiers_get_a_located_error(server: httpx.Client, headers: dict[str, str], body: bytes, status: int,
                                                 code: str) -> None:
    response = server.post("/validate", content=body, params={"name": "mine.x"}, headers=headers)
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["code"].startswith(code) and error["message"]


def test_misspelt_field_is_named_with_its_line(server: httpx.Client) -> None:
    text = FAULTY.decode().replace("intendedPurpose", "intendedPurpse", 1).encode()
    response = server.post("/validate", content=text, params={"name": "typo.yaml"},
                          headers={"Content-Type": "application/yaml"})
    assert response.status_code == 400
    message = response.json()["error"]["message"]
    assert message.startswith("typo.yaml:") and "intendedPurpse" in message and "intendedPurpose" in message


def test_read_only_service_refuses_writes(tmp_path: Path) -> None:
    with serving.in_process(tmp_path, read_only=True, token_file=write_tokens(tmp_path)) as client:
        refused = client.post("/dossiers", content=FAULTY, params={"name": "faulty.yaml"},
                              headers={**auth("alice"), "Content-Type": "application/yaml"})
        assert refused.status_code == 403 and refused.json()["error"]["code"] == "read_only"
        assert client.post("/validate", content=FAULTY, headers={"Content-Type": "application/yaml"}).status_code == 200


def test_acknowledged_submissions_survive_kill_9(tmp_path: Path) -> None:
    tokens = write_tokens(tmp_path)
    first = serving.start(tmp_path, "--token-file", str(tokens), "--workers", "1")
    acknowledged = {}
    try:
        with httpx.Client(base_url=first.base, timeout=60) as http:
            for index in range(5):
                body = FAULTY + f"\n# submission {index}\n".encode()
                response = submit(http, "alice", body)
                assert response.status_code == 201, response.text
                acknowledged[response.json()["id"]] = hashlib.sha256(body).hexdigest()
    finally:
        first.kill9()  # right after the last 201: no shutdown, no flush
    second = serving.start(tmp_path, "--token-file", str(tokens), "--workers", "1")
    try:
        listed = httpx.get(second.base + "/dossiers", headers=auth("rita")).json()
        assert {d["id"]: d["latest"]["sha256"] for d in listed} == acknowledged
        health = httpx.get(second.base + "/health").json()
        assert health["status"] == "ok" and health["triples"] > 1000
    finally:
        second.stop()


def test_token_command_and_token_file_errors(run_cli, tmp_path: Path) -> None:
    tokens = tmp_path / "tokens.txt"
    made = run_cli("token", "carol", "reviewer", "--append", str(tokens))
    assert made.exit_code == 0
    secret = made.stdout.strip().splitlines()[-1]
    line = tokens.read_text().strip()
    assert line.startswith("carol reviewer sha256:") and secret not in line
    assert line.split()[2] == "sha256:" + hashlib.sha256(secret.encode()).hexdigest()
    again = run_cli("token", "carol", "admin", "--append", str(tokens))
    assert again.exit_code == 2 and "carol" in again.stderr
    assert tokens.read_text().strip() == line  # the file is unchanged
    broken = tmp_path / "broken.txt"
    broken.write_text("dan reviewer sha256:" + "0" * 64 + "\neve reviwer " + "x" * 30 + "\n")
    refused = run_cli("serve", "--token-file", str(broken), "--get", "/health")
    assert refused.exit_code == 2
    assert f"{broken}:2:5" in refused.stderr and "reviwer" in refused.stderr


def test_json_error_shape_is_the_same_everywhere(server: httpx.Client) -> None:
    for response in (server.get("/dossiers/nope", headers=auth("rita")),
                     server.get("/queries/nope"), server.get("/nothing/here"),
                     server.post("/sparql", content=b"SELECT", headers={"Content-Type": "text/plain"})):
        assert response.status_code >= 400
        assert set(json.loads(response.text)) == {"error"}
        assert set(response.json()["error"]) == {"status", "code", "message"}
