"""Dossier limits and validation off the event loop (security issue, part 5).

Each attack found on ``/validate`` is reproduced here: a 1 kB YAML file nested 500 deep and a 20 MB YAML file
holding one text (tracebacks: exit 4, HTTP 500, a folder run stopped), dossiers with thousands of values or
resources (minutes of validation, gigabytes), and 80 concurrent validations making ``ASK {}`` wait seconds. Each
is now refused with a message naming the limit and the setting that changes it — exit 2 on the command line (a
folder run reports every other file), 413 or 422 with the JSON error shape from the web service — and
validations run in worker processes, a few at a time, 503 with ``Retry-After`` beyond.
"""

from __future__ import annotations

import copy
import json
import re
import select
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evalgraph.dossiers import reading as dossier
from evalgraph.dossiers import workers as validation_pool
from evalgraph.dossiers.reading import DEFAULT_LIMITS, DossierLimitError, Limits
from evalgraph.errors import DataFileError
from evalgraph.settings import get_settings
from tests import serving

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "dossiers"
NABLA = (EXAMPLES / "nabla.yaml").read_bytes()
BONEVIEW = json.loads((EXAMPLES / "boneview.jsonld").read_text(encoding="utf-8"))

DEEP_YAML = ("a: " + "[" * 500 + "]" * 500 + "\n").encode()  # the attacker's 1 kB file, 500 levels deep
BLOCK_DEEP_YAML = "".join("  " * i + "k:\n" for i in range(100)).encode()  # the same in block style
HUGE_YAML = b'description: {en: "' + b"a" * 20_000_000 + b'"}\n'  # the attacker's 20 MB file: one text
LONG_TEXT_YAML = b"id: egr:x\ntype: DigitalTechnology\ndescription: {en: " + b"a" * 200_000 + b"}\n"  # 200 kB
BOMB_YAML = b"a: &a [x, x, x, x, x, x, x, x, x]\n" + b"".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n".encode() for i in range(8))


def many_values(count: int) -> bytes:
    """A JSON-LD dossier of ``count`` bare studies (two values each): expansion and validation would take
    minutes; the node count refuses it first."""
    return json.dumps({"@context": dossier.CONTEXT_IRI, "id": "egr:tech-x", "type": "DigitalTechnology",
                       "studies": [{"type": "Study"} for _ in range(count)]}).encode()


def with_studies(count: int) -> bytes:
    """boneview.jsonld with its study repeated ``count`` times (ids made distinct): a large, realistic dossier."""
    document = copy.deepcopy(BONEVIEW)
    study = json.dumps(document["studies"][0])
    document["studies"] = [json.loads(re.sub(r'"(egr:(?:study|measure)-[^"]*)"', rf'"\1-{i}"', study))
                           for i in range(count)]
    return json.dumps(document, ensure_ascii=False).encode()


def refused(data: bytes, suffix: str, limits: Limits = DEFAULT_LIMITS) -> DataFileError:
    with pytest.raises(DataFileError) as caught:
        dossier.read_data("attack" + suffix, data, suffix, limits)
    return caught.value


# ------------------------------------------------------------------------------------------------ the limits


def test_real_dossiers_are_far_below_the_limits() -> None:
    """The defaults leave ten times room or more over the examples (the largest: 14 kB, 230 values, 7 levels,
    163 statements, 11 resources)."""
    for path in sorted(EXAMPLES.iterdir()):
        if path.suffix not in dossier.SUFFIXES:
            continue
        triples = dossier.read(path, Limits(max_bytes=DEFAULT_LIMITS.max_bytes // 10,
                                            max_depth=DEFAULT_LIMITS.max_depth // 8,
                                            max_text=DEFAULT_LIMITS.max_text // 10,
                                            max_nodes=DEFAULT_LIMITS.max_nodes // 10,
                                            max_statements=DEFAULT_LIMITS.max_statements // 10,
                                            max_resources=DEFAULT_LIMITS.max_resources // 10))
        assert triples, path


@pytest.mark.parametrize(("data", "line", "column"), [(DEEP_YAML, 1, 67), (BLOCK_DEEP_YAML, 65, 129)])
def test_yaml_nested_too_deeply_is_refused_naming_the_limit_and_line(data: bytes, line: int, column: int) -> None:
    error = refused(data, ".yaml")
    assert isinstance(error, DossierLimitError) and error.key == "dossier_too_deep"
    assert error.http_status == 422 and error.exit_code == 2
    assert (error.line, error.column) == (line, column)
    assert error.render() == (f"attack.yaml:{line}:{column}: nested too deeply: more than 64 levels of objects and "
                              "lists (EVALGRAPH_DOSSIER_MAX_DEPTH)")
    assert error.render("fr").startswith(f"attack.yaml:{line}:{column} : imbrication trop profonde : plus de 64")


def test_json_nested_too_deeply_is_refused_with_its_path() -> None:
    error = refused(json.dumps({"studies": [{"label": {"en": [[[[[[["x"]]]]]]]}}]}).encode(), ".jsonld",
                    Limits(max_depth=6))
    assert error.key == "dossier_too_deep"
    assert "attack.jsonld ($.studies[0].label.en[0][0]): nested too deeply: more than 6 levels" in error.render()
    assert refused(b"[" * 100_000 + b"]" * 100_000, ".json").key == "dossier_too_deep"  # beyond Python's reader


def test_huge_yaml_file_is_refused_before_it_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "huge.yaml"
    path.write_bytes(HUGE_YAML)

    def never(*_args: object) -> bytes:
        raise AssertionError("the file was read")

    monkeypatch.setattr(dossier, "read_bytes", never)
    with pytest.raises(DossierLimitError) as caught:
        dossier.read(path)
    assert caught.value.key == "dossier_too_large" and caught.value.http_status == 413
    assert caught.value.render() == (f"{path}: {len(HUGE_YAML)} bytes, over the limit of 1000000 bytes for a dossier "
                                     "(EVALGRAPH_DOSSIER_MAX_BYTES); nothing was read")
    assert refused(HUGE_YAML, ".yaml").key == "dossier_too_large"  # the same for bytes received


def test_a_text_too_long_is_refused_where_it_is() -> None:
    error = refused(LONG_TEXT_YAML, ".yaml")
    assert error.key == "dossier_text_too_long" and (error.line, error.column) == (3, 19)
    assert "a text of 200000 characters, over the limit of 100000 characters (EVALGRAPH_DOSSIER_MAX_TEXT)" in (
        error.render())
    as_json = json.dumps({"id": "egr:x", "description": {"en": "a" * 200_000}}).encode()
    assert "attack.json ($.description.en)" in refused(as_json, ".json").render()


def test_too_many_values_are_refused_before_json_ld_expansion(monkeypatch: pytest.MonkeyPatch) -> None:
    def never(*_args: object, **_kwargs: object) -> object:
        raise AssertionError("expanded anyway")

    monkeypatch.setattr(dossier.ox, "parse", never)
    monkeypatch.setattr(dossier, "_index_json", never)
    monkeypatch.setattr(dossier, "_Checker", never)
    error = refused(many_values(6_000), ".jsonld")
    assert error.key == "dossier_too_many_nodes" and error.http_status == 422
    assert "more than 5000 values" in error.render() and "EVALGRAPH_DOSSIER_MAX_NODES" in error.render()
    assert "refusé avant l'expansion JSON-LD" in error.render("fr")
    monkeypatch.setattr(dossier, "_construct", never)  # YAML: refused while composing, before any value is built
    as_yaml = yaml.safe_dump(json.loads(many_values(6_000))).encode()
    assert refused(as_yaml, ".yaml").key == "dossier_too_many_nodes"


def test_statement_and_resource_limits_hold_for_every_syntax() -> None:
    prefix = "@prefix eg: <https://w3id.org/evalgraph/ontology/> .\n"
    studies = (prefix + "".join(f"<urn:x:s{i}> a eg:Study .\n" for i in range(400))).encode()
    error = refused(studies, ".ttl")
    assert error.key == "dossier_too_many_resources"
    assert error.render() == ("attack.ttl: 400 resources described, over the limit of 200 resources for a dossier "
                              "(EVALGRAPH_DOSSIER_MAX_RESOURCES); refused before validation")
    values = (prefix + "<urn:x:t> a eg:DigitalTechnology ; eg:intendedPurpose "
              + ", ".join(f"<urn:x:p{i}>" for i in range(3_500)) + " .\n").encode()
    error = refused(values, ".ttl")
    assert error.key == "dossier_too_many_statements"
    assert error.render("fr") == ("attack.ttl : 3501 déclarations, au-delà de la limite de 3000 déclarations pour un "
                                  "dossier (EVALGRAPH_DOSSIER_MAX_STATEMENTS) ; refusé avant la validation")
    assert refused(many_values(250), ".jsonld").key == "dossier_too_many_resources"  # JSON-LD: after expansion
    assert refused(with_studies(40), ".jsonld").key == "dossier_too_many_statements"


def test_alias_bombs_are_refused_at_the_first_alias() -> None:
    started = time.perf_counter()
    error = refused(BOMB_YAML, ".yaml")  # 9^9 = 387 million items once expanded
    assert time.perf_counter() - started < 1
    assert error.key == "yaml_error" and error.line == 2
    assert "anchors and aliases are not allowed in a dossier" in error.render()
    assert refused(b"id: &x egr:tech-x\nlabel: {en: *x}\n", ".yaml").key == "yaml_error"  # scalar aliases too


def test_limits_are_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVALGRAPH_DOSSIER_MAX_DEPTH", "3")
    monkeypatch.setenv("EVALGRAPH_DOSSIER_MAX_STATEMENTS", "50")
    limits = Limits.from_settings(get_settings())
    assert limits == Limits(max_depth=3, max_statements=50)
    error = refused(NABLA, ".yaml", limits)
    assert error.key == "dossier_too_deep" and "more than 3 levels" in error.render()


# ---------------------------------------------------------------------------------------------- command line


def test_cli_refuses_the_deep_yaml_with_exit_2(run_cli, tmp_path: Path) -> None:
    (tmp_path / "deep.yaml").write_bytes(DEEP_YAML)
    result = run_cli("validate", str(tmp_path / "deep.yaml"))
    assert result.exit_code == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert "deep.yaml:1:67: nested too deeply: more than 64 levels" in result.stdout
    assert "EVALGRAPH_DOSSIER_MAX_DEPTH" in result.stdout


def test_cli_folder_run_reports_every_file(run_cli, tmp_path: Path) -> None:
    folder = tmp_path / "dossiers"
    folder.mkdir()
    (folder / "a-deep.yaml").write_bytes(DEEP_YAML)
    (folder / "b-huge.yaml").write_bytes(HUGE_YAML)
    (folder / "c-bomb.yaml").write_bytes(BOMB_YAML)
    (folder / "d-values.jsonld").write_bytes(many_values(6_000))
    (folder / "e-nabla.yaml").write_bytes(NABLA)
    (folder / "f-faulty.yaml").write_bytes((EXAMPLES / "faulty-rule11-class-i.yaml").read_bytes())
    result = run_cli("validate", str(folder), "--format", "json")
    assert result.exit_code == 2, result.stderr
    document = json.loads(result.stdout)
    statuses = {Path(f["file"]).name: f["status"] for f in document["files"]}
    assert statuses == {"a-deep.yaml": "unreadable", "b-huge.yaml": "unreadable", "c-bomb.yaml": "unreadable",
                        "d-values.jsonld": "unreadable", "e-nabla.yaml": "conforms", "f-faulty.yaml": "fails"}
    errors = {Path(f["file"]).name: f["error"] for f in document["files"] if f["status"] == "unreadable"}
    assert "EVALGRAPH_DOSSIER_MAX_DEPTH" in errors["a-deep.yaml"]
    assert "EVALGRAPH_DOSSIER_MAX_BYTES" in errors["b-huge.yaml"]
    assert "EVALGRAPH_DOSSIER_MAX_NODES" in errors["d-values.jsonld"]
    text = run_cli("--lang", "fr", "validate", str(folder))
    assert text.exit_code == 2
    assert "imbrication trop profonde" in text.stdout and "6 dossier(s)" in text.stdout


def test_cli_limits_follow_the_environment(run_cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVALGRAPH_DOSSIER_MAX_BYTES", "1000")
    result = run_cli("validate", str(EXAMPLES / "nabla.yaml"))
    assert result.exit_code == 2
    assert "over the limit of 1000 bytes for a dossier (EVALGRAPH_DOSSIER_MAX_BYTES)" in result.stdout


# --------------------------------------------------------------------------------------- adversarial inputs

_SMALL = Limits(max_bytes=20_000, max_depth=8, max_text=200, max_nodes=300, max_statements=200, max_resources=40)
_KEYS = st.sampled_from(["id", "type", "label", "studies", "description", "en", "fr", "@context", "measures",
                         "sampleSize", "source", "x"])
_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True, allow_infinity=True),
                     st.text(max_size=30), st.sampled_from(["egr:tech-x", "DigitalTechnology", "Study",
                                                            dossier.CONTEXT_IRI, "https://example.org/c"]))
_TREES = st.recursive(_SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=6),
                                                        st.dictionaries(_KEYS, inner, max_size=6)), max_leaves=60)


@settings(max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(tree=_TREES, syntax=st.sampled_from([".jsonld", ".yaml"]))
def test_random_trees_give_triples_or_a_clear_error(tree: object, syntax: str) -> None:
    data = (json.dumps(tree) if syntax == ".jsonld" else yaml.safe_dump(tree, allow_unicode=True)).encode()
    try:
        dossier.read_data("random" + syntax, data, syntax, _SMALL)
    except DataFileError as error:
        assert error.render() and error.render("fr")


@settings(max_examples=400, deadline=None, database=None)
@given(text=st.text(alphabet="[]{}:,-&*!?|>'\"#%@ \n\tab1.", max_size=120),
       syntax=st.sampled_from([".yaml", ".jsonld"]))
def test_random_yaml_and_json_text_never_escapes_as_a_traceback(text: str, syntax: str) -> None:
    try:
        dossier.read_data("random" + syntax, text.encode(), syntax, _SMALL)
    except DataFileError as error:
        assert error.render()


@settings(max_examples=60, deadline=None, database=None)
@given(depth=st.integers(1, 12), width=st.integers(2, 12), flow=st.booleans())
def test_alias_bombs_of_any_shape_are_refused(depth: int, width: int, flow: bool) -> None:
    lines = [f"l0: &l0 [{', '.join(['lol'] * width)}]"]
    for level in range(1, depth + 1):
        items = [f"*l{level - 1}"] * width
        lines.append(f"l{level}: &l{level} [{', '.join(items)}]" if flow else
                     f"l{level}: &l{level}\n" + "".join(f"  - {item}\n" for item in items).rstrip("\n"))
    started = time.perf_counter()
    error = refused(("\n".join(lines) + "\n").encode(), ".yaml")
    assert time.perf_counter() - started < 1
    assert "anchors and aliases are not allowed" in error.render()


@settings(max_examples=25, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(tree=_TREES)
def test_the_validation_job_answers_a_result_or_a_client_error(tree: object) -> None:
    """What the validation worker runs: never an exception, only a result or a 4xx refusal."""
    data = json.dumps({"@context": dossier.CONTEXT_IRI, "id": "egr:tech-x", "type": "DigitalTechnology",
                       "studies": [tree]} if isinstance(tree, dict) else tree).encode()
    answer = validation_pool.check("random.jsonld", data, ".jsonld", "en", _SMALL, None)
    assert isinstance(answer, validation_pool.Checked) or answer.status in (400, 413, 422), answer


def _fails(_name: str) -> None:
    raise ValueError("a bug")


def test_pool_admits_a_few_jobs_and_reports_failures_without_raising_them() -> None:
    pool = validation_pool.ValidationPool(size=0, max_waiting=1)  # in-process: what `serve --get` and tests use
    with pool.admitted(), pool.admitted():
        assert pool.saturated
        with pytest.raises(validation_pool.Overloaded), pool.admitted():
            pass
    assert not pool.saturated and pool.refused == 1
    with pool.admitted():
        answer = pool.run(validation_pool.check, "nabla.yaml", NABLA, ".yaml", "fr", DEFAULT_LIMITS, None)
        assert isinstance(answer, validation_pool.Checked) and answer.conforms
        assert json.loads(answer.payload)["report"]["file"] == "nabla.yaml"
        refusal = pool.run(validation_pool.check, "deep.yaml", DEEP_YAML, ".yaml", "fr", DEFAULT_LIMITS, None)
        assert refusal == validation_pool.Refusal(422, "dossier_too_deep", (
            "deep.yaml:1:67 : imbrication trop profonde : plus de 64 niveaux d'objets et de listes "
            "(EVALGRAPH_DOSSIER_MAX_DEPTH)"))
        with pytest.raises(validation_pool.WorkerFailed, match="ValueError: a bug"):
            pool.run(_fails, "x")


# ------------------------------------------------------------------------------------------------ web service


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    running = serving.start(tmp_path_factory.mktemp("limits-server"))
    try:
        yield running.base
    finally:
        running.stop()


def post(base: str, body: bytes, media: str = "application/yaml", **params: str) -> httpx.Response:
    return httpx.post(base + "/validate", content=body, params=params, headers={"Content-Type": media}, timeout=60)


def error_of(response: httpx.Response) -> dict[str, object]:
    assert response.headers["content-type"].startswith("application/json")
    document = response.json()
    assert set(document) == {"error"} and set(document["error"]) == {"status", "code", "message"}
    assert document["error"]["status"] == response.status_code
    return document["error"]  # type: ignore[no-any-return]


def test_server_refuses_the_deep_yaml_with_422(server: str) -> None:
    response = post(server, DEEP_YAML, name="deep.yaml")
    assert response.status_code == 422
    assert error_of(response) == {"status": 422, "code": "dossier_too_deep", "message": (
        "deep.yaml:1:67: nested too deeply: more than 64 levels of objects and lists (EVALGRAPH_DOSSIER_MAX_DEPTH)")}
    french = post(server, DEEP_YAML, name="deep.yaml", lang="fr")
    assert french.status_code == 422 and "imbrication trop profonde" in french.json()["error"]["message"]


def test_server_refuses_an_oversized_dossier_with_413(server: str) -> None:
    response = post(server, b"x: " + b"a" * 1_500_000, name="big.yaml")
    assert response.status_code == 413
    error = error_of(response)
    assert error["code"] == "dossier_too_large"
    assert error["message"] == ("big.yaml: 1500003 bytes, over the limit of 1000000 bytes for a dossier "
                                "(EVALGRAPH_DOSSIER_MAX_BYTES); nothing was read")

    def chunks() -> Iterator[bytes]:  # no Content-Length: the body is counted as it comes
        for _ in range(30):
            yield b"a" * 100_000

    chunked = httpx.post(server + "/validate", content=chunks(), headers={"Content-Type": "application/yaml"})
    assert chunked.status_code == 413 and error_of(chunked)["code"] in ("dossier_too_large", "body_too_large")


def test_server_refuses_too_many_values_with_422(server: str) -> None:
    response = post(server, many_values(6_000), "application/ld+json")
    assert response.status_code == 422 and error_of(response)["code"] == "dossier_too_many_nodes"
    response = post(server, LONG_TEXT_YAML)
    assert response.status_code == 422 and error_of(response)["code"] == "dossier_text_too_long"


@pytest.mark.parametrize(("body", "media"), [
    (BOMB_YAML, "application/yaml"),
    (b"id: !!python/object/apply:os.system [ls]\n", "application/yaml"),
    (b"sampleSize: " + b"9" * 5_000 + b"\n", "application/yaml"),
    (b'{"id": "egr:x", "sampleSize": ' + b"9" * 5_000 + b"}", "application/ld+json"),
    (b'{"id": "egr:x", "type": "DigitalTechnology", "sampleSize": NaN}', "application/ld+json"),
    (b"\xff\xfe\x00", "application/yaml"),
    (b"", "application/ld+json"),
    (b"[" * 100_000, "application/ld+json"),
    (b"<urn:a> <urn:b> " + b"( " * 50_000 + b")" * 50_000 + b" .", "text/turtle"),
])
def test_server_answers_adversarial_dossiers_with_a_client_error(server: str, body: bytes, media: str) -> None:
    response = post(server, body, media)
    assert response.status_code in (400, 413, 422), response.text
    assert error_of(response)["message"]


def test_remote_contexts_are_never_fetched(server: str) -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        target = f"http://127.0.0.1:{listener.getsockname()[1]}"
        bodies = [
            {"@context": f"{target}/context.jsonld", "id": "egr:tech-x", "type": "DigitalTechnology"},
            {"@context": [dossier.CONTEXT_IRI, {"@import": f"{target}/c"}], "id": "egr:tech-x"},
            {"@context": dossier.CONTEXT_IRI, "id": "egr:tech-x", "type": "DigitalTechnology",
             "studies": [{"@context": f"{target}/nested", "type": "Study"}]},
        ]
        for body in bodies:
            response = post(server, json.dumps(body).encode(), "application/ld+json")
            assert response.status_code == 400 and error_of(response)["code"] == "dossier_context_refused"
        ready, _, _ = select.select([listener], [], [], 0)  # the answers came back: a fetch would be waiting
        assert ready == []


@pytest.fixture(scope="module")
def one_worker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One validation worker, nobody waiting: the second concurrent validation is refused."""
    running = serving.start(tmp_path_factory.mktemp("one-worker"),
                            env={"EVALGRAPH_VALIDATION_WORKERS": "1", "EVALGRAPH_VALIDATION_WAITING": "0"})
    try:
        yield running.base
    finally:
        running.stop()


def test_saturated_validation_answers_503_with_retry_after(one_worker: str) -> None:
    assert post(one_worker, NABLA).status_code == 200  # the worker is up
    body = with_studies(30)
    start = threading.Barrier(12)
    answers: list[httpx.Response] = []

    def client() -> None:
        start.wait()
        answers.append(post(one_worker, body, "application/ld+json"))

    threads = [threading.Thread(target=client) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    statuses = sorted(a.status_code for a in answers)
    assert set(statuses) == {200, 503} and statuses.count(200) < 12, statuses
    for answer in answers:
        if answer.status_code == 503:
            assert int(answer.headers["retry-after"]) >= 1
            error = error_of(answer)
            assert error["code"] == "overloaded" and "retry in" in str(error["message"])
    assert post(one_worker, NABLA).status_code == 200  # and the service goes on


@pytest.mark.serial  # a 1 s validation timeout: the next validation must fit in it, which a busy machine can deny
def test_a_validation_past_the_timeout_is_stopped(tmp_path: Path) -> None:
    running = serving.start(tmp_path, env={
        "EVALGRAPH_VALIDATION_WORKERS": "1", "EVALGRAPH_VALIDATION_TIMEOUT": "1",
        "EVALGRAPH_DOSSIER_MAX_NODES": "100000", "EVALGRAPH_DOSSIER_MAX_STATEMENTS": "100000",
        "EVALGRAPH_DOSSIER_MAX_RESOURCES": "100000"})
    try:
        started = time.monotonic()
        response = post(running.base, many_values(5_000), "application/ld+json", name="slow.jsonld")
        assert response.status_code == 503, response.text
        assert error_of(response) == {"status": 503, "code": "validation_timeout", "message": (
            "slow.jsonld: validation stopped after 1 s, the server's limit (EVALGRAPH_VALIDATION_TIMEOUT)")}
        assert time.monotonic() - started < 10  # not the minute the validation would take
        assert post(running.base, NABLA).status_code == 200  # a fresh worker answers
    finally:
        running.stop()


FLOOD = """
import json, sys, threading, httpx
base, path, media, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
body = open(path, "rb").read()
stop, first, lock, counts = threading.Event(), threading.Event(), threading.Lock(), {}
def client():
    with httpx.Client(timeout=60) as session:
        while not stop.is_set():
            try:
                answer = session.post(base + "/validate", content=body, headers={"Content-Type": media})
                key = str(answer.status_code) + ("+retry-after" if "retry-after" in answer.headers else "")
            except httpx.HTTPError as exc:
                key = type(exc).__name__
            with lock:
                counts[key] = counts.get(key, 0) + 1
            first.set()
threads = [threading.Thread(target=client) for _ in range(count)]
for thread in threads:
    thread.start()
first.wait()
print("flooding", flush=True)
sys.stdin.read()
stop.set()
for thread in threads:
    thread.join()
print(json.dumps(counts), flush=True)
"""


@pytest.mark.serial  # a latency bound
def test_ask_stays_fast_while_80_validations_flood_the_server(server: str, tmp_path: Path) -> None:
    """p99 of ``ASK {}`` under 100 ms while 80 clients keep POSTing a 130 kB dossier to /validate, each sending
    the next as soon as it has its answer (before: ``ASK`` waited 6.8 s)."""
    dossier_path = tmp_path / "flood.jsonld"
    dossier_path.write_bytes(with_studies(20))
    ask = {"query": "ASK {}"}
    with httpx.Client(base_url=server, timeout=30) as client:
        warm = [threading.Thread(target=post, args=(server, dossier_path.read_bytes(), "application/ld+json"))
                for _ in range(2)]  # both validation workers started
        for thread in warm:
            thread.start()
        for thread in warm:
            thread.join()
        assert client.get("/sparql", params=ask).status_code == 200
        with subprocess.Popen([sys.executable, "-c", FLOOD, server, str(dossier_path), "application/ld+json",
                               "80"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True) as flood:
            assert flood.stdout is not None and flood.stdin is not None
            assert flood.stdout.readline().strip() == "flooding"
            latencies = []
            for _ in range(500):
                started = time.perf_counter()
                answer = client.get("/sparql", params=ask)
                latencies.append(time.perf_counter() - started)
                assert answer.status_code == 200 and answer.json()["boolean"] is True
            flood.stdin.close()  # the flood stops and counts its answers
            counts = json.loads(flood.stdout.readline())
    p99 = statistics.quantiles(latencies, n=100)[98]
    assert p99 < 0.1, f"ASK p99 {p99 * 1000:.0f} ms under the flood; validations: {counts}"
    assert set(counts) <= {"200", "503+retry-after"}, counts  # no 500, every refusal says when to retry
    assert counts.get("503+retry-after", 0) > 0
    assert post(server, NABLA).status_code == 200
