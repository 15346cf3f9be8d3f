"""The attacker's suite against a real ``evalgraph serve`` (updates enabled, admin token): generated and hand-picked
attacks by every route a client has (GET, form POST, direct POST, protocol parameters); a local listener sees no
connection and the built-in graphs stay byte-identical. The query workers' network isolation is proved on its own,
with the guard taken out. A 1 MB adversarial body does not freeze the server."""

from __future__ import annotations

import hashlib
import statistics
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evalgraph.store.oxigraph import BUILTIN_GRAPHS, META_GRAPH
from evalgraph.web.protocol import Job
from evalgraph.web.query_workers import QueryPool
from tests import serving
from tests.attacks import Listener, built_in_writes, from_queries, load_updates, service_queries

pytestmark = pytest.mark.serial  # the 1 MB bodies' /health latency bound, on this file's one server

ADMIN = "admin-token-0123456789abcdefgh"
TIMEOUT = 3.0  # seconds: the 1 MB bodies that are not refused at once run into it


@pytest.fixture(scope="module")
def listener() -> Iterator[Listener]:
    listening = Listener()
    yield listening
    listening.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("attacks")
    tokens = folder / "tokens.txt"
    tokens.write_text(f"root admin {ADMIN}\n", encoding="utf-8")
    running = serving.start(
        folder, "--query-timeout", str(TIMEOUT), "--workers", "2", "--allow-update", "--token-file", str(tokens)
    )
    try:
        yield running.base
    finally:
        running.stop()


def fingerprint(server: str) -> dict[str, str]:
    """A digest of each built-in graph's sorted N-Triples, read through the endpoint."""
    digests = {}
    for graph in (*BUILTIN_GRAPHS, META_GRAPH):
        answer = httpx.get(
            server + "/sparql",
            headers={"accept": "application/n-triples"},
            timeout=60,
            params={"query": f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"},
        )
        assert answer.status_code == 200
        digests[graph] = hashlib.sha256(b"\n".join(sorted(answer.content.splitlines()))).hexdigest()
    return digests


def send_query(server: str, text: str, how: str) -> httpx.Response:
    if how == "get":
        return httpx.get(server + "/sparql", params={"query": text}, timeout=60)
    if how == "form":
        return httpx.post(server + "/sparql", data={"query": text}, timeout=60)
    return httpx.post(
        server + "/sparql", content=text.encode(), timeout=60, headers={"content-type": "application/sparql-query"}
    )


def send_update(server: str, text: str, how: str, **params: str) -> httpx.Response:
    auth = {"authorization": f"Bearer {ADMIN}"}
    if how == "form":
        return httpx.post(server + "/sparql", data={"update": text, **params}, headers=auth, timeout=60)
    return httpx.post(
        server + "/sparql",
        content=text.encode(),
        params=params,
        timeout=60,
        headers={**auth, "content-type": "application/sparql-update"},
    )


E2E = settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))


@E2E
@given(data=st.data(), how=st.sampled_from(["get", "form", "direct"]))
def test_generated_query_attacks_over_http(server: str, listener: Listener, data: st.DataObject, how: str) -> None:
    text = data.draw(st.one_of(service_queries(listener.url), from_queries(listener.url)))
    response = send_query(server, text, how)
    assert response.status_code == 400, (text, response.text)
    assert response.json()["error"]["code"] in ("unsafe_service", "unknown_from_graph", "malformed_query")


@E2E
@given(data=st.data(), how=st.sampled_from(["form", "direct"]))
def test_generated_update_attacks_over_http(server: str, listener: Listener, data: st.DataObject, how: str) -> None:
    text = data.draw(st.one_of(load_updates(listener.url), built_in_writes()))
    response = send_update(server, text, how)
    assert response.status_code in (400, 403), (text, response.text)


@pytest.mark.parametrize(
    ("injected", "status"),
    [
        (
            "urn:x:g> WHERE { } ; INSERT DATA { GRAPH <https://w3id.org/evalgraph/graph/ontology> { <urn:a> <urn:b> 1 } } #",
            400,
        ),
        ("urn:x:g>\rLOAD <http://127.0.0.1:9/>", 400),
        (
            "https://w3id.org/evalgraph/graph/ontology",
            204,
        ),  # reading a built-in graph is fine; only the default changes
    ],
)
def test_protocol_parameters_cannot_inject(server: str, injected: str, status: int) -> None:
    response = send_update(server, "DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "direct", **{"using-graph-uri": injected})
    assert response.status_code == status, response.text
    query = httpx.get(server + "/sparql", params={"query": "ASK { ?s ?p ?o }", "default-graph-uri": injected})
    assert query.status_code in (200, 400), query.text  # an unknown graph is empty; nothing is fetched or written


def test_predeclared_and_redefined_prefixes_open_no_hole_over_http(server: str, listener: Listener) -> None:
    """evalgraph's predeclared prefixes (eg:, egr:, egg:…) and a query's own redefinition of them are expanded before
    the guard decides: SERVICE, FROM, LOAD and writes to built-in graphs through them are refused like any other."""
    for text, code in (
        (f"PREFIX eg: <{listener.url}>\nSELECT * WHERE {{ SERVICE eg:sparql {{ ?s ?p ?o }} }}", "unsafe_service"),
        ("SELECT * WHERE { ?s rdfs:label ?l . SERVICE egr:sparql { ?s ?p ?o } }", "unsafe_service"),
        (f"PREFIX egg: <{listener.url}>\nSELECT * FROM egg:ontology WHERE {{ ?s ?p ?o }}", "unknown_from_graph"),
        ("PREFIX eg: <file:///etc/>\nSELECT * FROM NAMED eg:passwd WHERE { ?s ?p ?o }", "unknown_from_graph"),
    ):
        for how in ("get", "direct"):
            response = send_query(server, text, how)
            assert response.status_code == 400 and response.json()["error"]["code"] == code, (text, response.text)
    for text, status in (
        ("DROP GRAPH egg:kb", 403),
        ("WITH egg:ontology DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", 403),
        (f"PREFIX eg: <{listener.url}>\nLOAD eg:data.ttl INTO GRAPH <urn:x:g>", 400),
    ):
        assert send_update(server, text, "direct").status_code == status, text
    assert listener.connections == 0


def test_nothing_connected_and_built_in_graphs_unchanged(server: str, listener: Listener) -> None:
    """Runs after the attacks above (file order); then repeats the fingerprint after a direct admin attempt."""
    first = fingerprint(server)
    for text in (
        "CLEAR #x\rALL",
        "DROP\r\nNAMED",
        "PREFIX g: <https://w3id.org/evalgraph/graph/>\nDROP GRAPH g:kb",
        "DROP GRAPH egg:kb",  # evalgraph's predeclared prefix
        "DELETE { GRAPH ?g { ?s ?p ?o } } WHERE { GRAPH ?g { ?s ?p ?o } }",
        f"#x\rLOAD <{listener.url}data.ttl>",
    ):
        assert send_update(server, text, "direct").status_code in (400, 403), text
    assert fingerprint(server) == first
    assert listener.connections == 0
    health = httpx.get(server + "/health").json()
    assert health["query_workers_network"] == "netns"


# ------------------------------------------------------------------------------------- defence in depth: netns
@pytest.mark.parametrize("isolate", [True, False])
def test_workers_cannot_connect_even_without_the_guard(small_store: Path, isolate: bool) -> None:
    """The handler runs the query unchecked. Isolated workers: 0 connections. The control (isolation off) shows
    that the same query does connect, so the test could fail."""
    listening = Listener()
    pool = QueryPool(small_store, size=1, timeout=10, isolate=isolate, handler="tests.unguarded:execute")
    try:
        pool.start()
        reply = pool.run(Job(f"SELECT * WHERE {{ ?s ?p ?o . SERVICE <{listening.url}> {{ ?a ?b ?c }} }}"))
        assert reply.status == 400
        if isolate:
            assert pool.isolation == "netns" and listening.connections == 0, reply.message
        else:
            assert pool.isolation == "disabled" and listening.connections >= 1
    finally:
        pool.close()
        listening.close()


# ---------------------------------------------------------------------------------------- bounded work, no freeze
def _fill(head: str, unit: str, tail: str = "", size: int = 999_000) -> str:
    """``head`` + as many ``unit`` as fit in ``size`` bytes + ``tail``."""
    return head + unit * ((size - len(head) - len(tail)) // len(unit)) + tail


ADVERSARIAL = {
    "escaped quotes": _fill('SELECT * WHERE { ?s ?p "', '\\"', '" }'),
    "unterminated string": _fill('SELECT * WHERE { ?s ?p "', '\\"'),
    "dots after names": _fill("SELECT * WHERE { ", "a.", "}"),
    "triples": _fill("SELECT * WHERE { ", "?s <urn:p> 'x' . ", "}"),
    "comments ended by CR": _fill("", "#\r", "ASK {}"),
    "nested groups": _fill("SELECT * WHERE ", "{", "", 500_000) + "}" * 499_000,
}


@pytest.mark.parametrize("name", list(ADVERSARIAL))
def test_a_1_mb_adversarial_body_does_not_freeze_the_server(server: str, name: str) -> None:
    body = ADVERSARIAL[name].encode()
    assert 900_000 < len(body) <= 1_000_000
    latencies: list[float] = []
    done = threading.Event()

    def probe() -> None:
        with httpx.Client(timeout=10) as client:
            while not done.is_set():
                started = time.perf_counter()
                assert client.get(server + "/health").status_code == 200
                latencies.append(time.perf_counter() - started)
                time.sleep(0.02)

    prober = threading.Thread(target=probe)
    prober.start()
    started = time.monotonic()
    try:
        response = httpx.post(
            server + "/sparql", content=body, timeout=60, headers={"content-type": "application/sparql-query"}
        )
    finally:
        elapsed = time.monotonic() - started
        done.set()
        prober.join()
    assert response.status_code in (200, 400, 503), response.text[:300]
    assert elapsed < TIMEOUT + 2
    if response.status_code == 503:
        assert response.json()["error"]["code"] == "query_timeout" and "Retry-After" in response.headers
    assert latencies, "the probe never ran"
    worst = statistics.quantiles(latencies, n=100)[98] if len(latencies) >= 10 else max(latencies)
    assert worst < 0.1, f"/health p99 {worst * 1000:.0f} ms over {len(latencies)} probes in {elapsed:.1f} s"


def test_a_query_whose_worker_dies_is_answered_by_a_fresh_one(small_store: Path, tmp_path: Path) -> None:
    """A worker that dies under a query (a store file vanishing under it, the OOM killer…) is replaced and the
    read-only query sent once more, instead of a 500."""
    pool = QueryPool(small_store, size=1, timeout=20, handler="tests.unguarded:die_once")
    try:
        reply = pool.run(Job(str(tmp_path / "marker")))
        assert (reply.status, reply.body) == (200, b"answered")
        assert (tmp_path / "marker").read_text(encoding="utf-8") == "died once"
    finally:
        pool.close()


def test_workers_read_a_write_made_under_exclusive_without_being_replaced(tmp_path: Path) -> None:
    """During a write (``QueryPool.exclusive``, what an enabled SPARQL Update runs under) every worker closes the
    store; after it, each opens it again: the same worker processes then read what was written. (A worker that
    kept its read-only view from before would still answer false.)"""
    path = tmp_path / "store"
    created = ox.Store(str(path))
    created.flush()
    del created
    ask = Job("ASK { <urn:a> <urn:b> <urn:c> }", accept="application/sparql-results+json")
    pool = QueryPool(path, size=2, timeout=20)
    try:
        pool.start()
        workers = list(pool._idle)
        assert pool.run(ask).body == b'{"head":{},"boolean":false}'
        with pool.exclusive():
            writer = ox.Store(str(path))  # the one writer, as the server is during an update
            writer.add(ox.Quad(ox.NamedNode("urn:a"), ox.NamedNode("urn:b"), ox.NamedNode("urn:c")))
            writer.flush()
            del writer
        assert sorted(w.process.pid for w in pool._idle) == sorted(w.process.pid for w in workers)
        for worker in pool._idle:  # each of them, not only the one pool.run would pick
            worker.connection.send(ask)
            assert worker.connection.recv().body == b'{"head":{},"boolean":true}'
    finally:
        pool.close()


def test_validation_workers_cannot_connect_either() -> None:
    """The dossier validation workers leave the network too: a job that tries to connect cannot."""
    from evalgraph.dossiers.workers import ValidationPool
    from tests.unguarded import connect

    listening = Listener()
    pool = ValidationPool(size=1, max_waiting=1, timeout=30)
    try:
        outcome = pool.run(connect, listening.port)
        assert outcome.startswith("refused") and listening.connections == 0, outcome
        assert ValidationPool(size=0).run(connect, listening.port) == "connected"  # control: in-process, it can
    finally:
        pool.close()
        listening.close()
