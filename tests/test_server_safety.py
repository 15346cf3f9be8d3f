"""The endpoint is safe to put on the internet: nothing a client sends makes the server connect anywhere or read
a file; a runaway query is stopped at its timeout and the server keeps answering; a busy server says 503 instead
of piling requests up; SPARQL Update is off unless enabled, then admin-only and kept away from built-in graphs."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from SPARQLWrapper import JSON, SPARQLWrapper

from tests import serving
from tests.attacks import Listener

pytestmark = pytest.mark.serial  # timeouts and their bounds (tests/conftest.py)

ADMIN = "admin-token-0123456789abcdefgh"
SUBMITTER = "submitter-token-0123456789abcd"
CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
TIMEOUT = 2.0


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("safety")
    tokens = folder / "tokens.txt"
    tokens.write_text(f"root admin {ADMIN}\nsam submitter {SUBMITTER}\n", encoding="utf-8")
    running = serving.start(folder, "--query-timeout", str(TIMEOUT), "--workers", "2", "--allow-update",
                            "--token-file", str(tokens))
    try:
        yield running.base
    finally:
        running.stop()


@pytest.fixture
def listener() -> Iterator[Listener]:
    listening = Listener()
    try:
        yield listening
    finally:
        listening.close()


def test_nothing_a_client_sends_makes_the_server_connect(server: str, listener: Listener) -> None:
    target = f"http://127.0.0.1:{listener.port}"
    queries = [
        f"SELECT * WHERE {{ SERVICE <{target}/sparql> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE SILENT <{target}/sparql> {{ ?s ?p ?o }} }}",
        f"SELECT * FROM <{target}/graph> WHERE {{ ?s ?p ?o }}",  # noqa: S608 - the attack under test
        f"SELECT * FROM NAMED <{target}/graph> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",  # noqa: S608
    ]
    for query in queries:
        response = httpx.post(server + "/sparql", content=query, headers={"Content-Type": "application/sparql-query"})
        assert response.status_code == 400, query
    dataset = httpx.get(server + "/sparql", params={"query": "ASK {}", "default-graph-uri": f"{target}/g"})
    assert dataset.status_code == 200  # an unknown protocol graph is empty (SPARQL 1.1 Protocol), never fetched
    loads = [f"LOAD <{target}/data.ttl>", f"LOAD SILENT <{target}/data.ttl> INTO GRAPH <urn:x>",
             f"INSERT {{ GRAPH <urn:x> {{ ?s ?p ?o }} }} WHERE {{ SERVICE <{target}/sparql> {{ ?s ?p ?o }} }}"]
    for update in loads:
        response = httpx.post(server + "/sparql", content=update, headers={
            "Content-Type": "application/sparql-update", "Authorization": f"Bearer {ADMIN}"})
        assert response.status_code == 400, update
    dossier = json.dumps({"@context": f"{target}/context.jsonld", "id": "egr:tech-x", "type": "DigitalTechnology"})
    remote = httpx.post(server + "/validate", content=dossier, headers={"Content-Type": "application/ld+json"})
    assert remote.status_code == 400 and remote.json()["error"]["code"] == "dossier_context_refused"
    nested = json.dumps({"@context": ["https://w3id.org/evalgraph/context.jsonld", {"@import": f"{target}/c"}],
                         "id": "egr:tech-x", "type": "DigitalTechnology"})
    assert httpx.post(server + "/validate", content=nested,
                      headers={"Content-Type": "application/ld+json"}).status_code == 400
    entity = (f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY e SYSTEM "{target}/e">]>'
              '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
              'rdf:about="urn:a"><rdf:value>&e;</rdf:value></rdf:Description></rdf:RDF>')
    xml = httpx.post(server + "/validate", content=entity, headers={"Content-Type": "application/rdf+xml"})
    assert xml.status_code == 400 and xml.json()["error"]["code"] == "doctype_refused"
    assert listener.connections == 0


def test_a_runaway_query_is_stopped_and_the_server_keeps_answering(server: str) -> None:
    started = time.monotonic()
    response = httpx.post(server + "/sparql", content=CARTESIAN, headers={"Content-Type": "application/sparql-query"},
                          timeout=60)
    elapsed = time.monotonic() - started
    assert response.status_code == 503 and response.json()["error"]["code"] == "query_timeout"
    assert int(response.headers["retry-after"]) >= 1
    assert "checking and evaluation" in response.json()["error"]["message"]
    assert elapsed < TIMEOUT + 1
    client = SPARQLWrapper(server + "/sparql")
    client.setQuery("ASK {}")
    client.setReturnFormat(JSON)
    assert client.queryAndConvert()["boolean"] is True  # type: ignore[index]
    assert httpx.get(server + "/health").json()["queries_stopped"] >= 1


def test_stopped_queries_free_their_workers(server: str) -> None:
    with ThreadPoolExecutor(max_workers=2) as pool:  # as many runaway queries as workers, twice over
        statuses = list(pool.map(lambda _: httpx.post(
            server + "/sparql", content=CARTESIAN, headers={"Content-Type": "application/sparql-query"},
            timeout=60).status_code, range(4)))
    assert statuses == [503] * 4
    started = time.monotonic()
    answer = httpx.get(server + "/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"})
    assert answer.status_code == 200 and int(answer.json()["results"]["bindings"][0]["n"]["value"]) > 1000
    assert time.monotonic() - started < TIMEOUT


def test_a_busy_server_answers_503_with_retry_after(tmp_path: Path) -> None:
    running = serving.start(tmp_path, "--workers", "1", "--max-waiting", "0", "--query-timeout", "6")
    try:
        with ThreadPoolExecutor(max_workers=1) as pool:
            deadline = time.monotonic() + 30
            busy = None
            while busy is None:  # until the slow query holds the one worker (never a sleep as synchronisation)
                assert time.monotonic() < deadline, "the slow query never held the worker"
                slow = pool.submit(httpx.post, running.base + "/sparql", content=CARTESIAN,
                                   headers={"Content-Type": "application/sparql-query"}, timeout=60)
                while not slow.done():
                    answer = httpx.get(running.base + "/sparql", params={"query": "ASK {}"})
                    if answer.status_code != 200:
                        busy = answer
                        break
                # a slow query refused at once met the worker still busy with an earlier request: submit it again
            assert busy.status_code == 503
            assert busy.json()["error"]["code"] == "overloaded" and int(busy.headers["retry-after"]) >= 1
            assert slow.result().status_code == 503
        assert httpx.get(running.base + "/sparql", params={"query": "ASK {}"}).status_code == 200
        assert httpx.get(running.base + "/health").json()["requests_refused"] >= 1
    finally:
        running.stop()


def _update(server: str, text: str, token: str | None = ADMIN) -> httpx.Response:
    headers = {"Content-Type": "application/sparql-update"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return httpx.post(server + "/sparql", content=text, headers=headers, timeout=60)


def test_updates_need_an_admin_token_and_spare_built_in_graphs(server: str) -> None:
    insert = 'INSERT DATA { GRAPH <urn:example:notes> { <urn:example:a> <urn:example:says> "hello" } }'
    assert _update(server, insert, token=None).status_code == 401
    assert _update(server, insert, token=SUBMITTER).status_code == 403
    assert _update(server, insert).status_code == 204
    seen = httpx.get(server + "/sparql", params={"query": "SELECT ?o WHERE { <urn:example:a> ?p ?o }"}).json()
    assert [b["o"]["value"] for b in seen["results"]["bindings"]] == ["hello"]
    void = httpx.get(server + "/void", headers={"accept": "application/n-triples"}).text
    assert '<urn:example:notes> <http://rdfs.org/ns/void#triples> "1"' in void  # a graph made by an update is listed
    for forbidden in ("DROP GRAPH <https://w3id.org/evalgraph/graph/kb>", "CLEAR ALL", "DROP NAMED",
                      "INSERT DATA { GRAPH <https://w3id.org/evalgraph/graph/ontology> { <urn:a> <urn:b> <urn:c> } }"):
        refused = _update(server, forbidden)
        assert refused.status_code == 403 and refused.json()["error"]["code"] == "reserved_graph", forbidden
    assert _update(server, "INSERT DATA { <urn:a> <urn:b> }").status_code == 400
    count = httpx.get(server + "/sparql", params={"query": "ASK { GRAPH <https://w3id.org/evalgraph/graph/kb> "
                                                           "{ ?s ?p ?o } }"}).json()
    assert count["boolean"] is True
    assert _update(server, "DROP GRAPH <urn:example:notes>").status_code == 204
    description = httpx.get(server + "/sparql", headers={"Accept": "application/n-triples"}).text
    assert "<http://www.w3.org/ns/sparql-service-description#SPARQL11Update>" in description  # updates announced


def test_updates_are_refused_when_not_enabled(tmp_path: Path) -> None:
    """Without ``--allow-update``, even the admin's update is refused (statuses only: in-process)."""
    tokens = tmp_path / "tokens.txt"
    tokens.write_text(f"root admin {ADMIN}\n", encoding="utf-8")
    with serving.in_process(tmp_path, token_file=tokens) as client:
        response = client.post("/sparql", content="INSERT DATA { <urn:a> <urn:b> <urn:c> }", headers={
            "Content-Type": "application/sparql-update", "Authorization": f"Bearer {ADMIN}"})
        assert response.status_code == 403 and response.json()["error"]["code"] == "read_only"
        by_get = client.get("/sparql", params={"update": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"})
        assert by_get.status_code == 400
