"""The store contract, on every engine evalgraph runs on: the embedded Oxigraph store, ``oxigraph serve`` and
Virtuoso open source (tests/engines.py starts each on loopback ports and stops it after).

The same data is loaded through evalgraph on each; every named query must then return the same rows as on the
embedded store — up to what SPARQL leaves to the engine: the order of ``GROUP_CONCAT``'s values, and which value
``SAMPLE`` picks. Where Virtuoso answers otherwise, the difference is listed in :data:`VIRTUOSO_DIFFERS` (explained
in docs/engines.md) and the test checks that exactly those queries differ. Loads are all-or-nothing with their
provenance recorded, the guard runs before any request, and only the configured endpoint is ever contacted.
"""

from __future__ import annotations

import json

import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pyoxigraph as ox
import pytest

from evalgraph.cartography.report import refresh_inferred
from evalgraph.errors import DataFileError, QueryError, UnsafeQueryError
from evalgraph.store import kb, queries
from evalgraph.store.oxigraph import INFERRED_GRAPH, OxigraphStore, QueryResult, open_store
from evalgraph.store.remote import Endpoint, RemoteStore
from tests import engines
from tests.attacks import Listener

ENGINES = ("embedded", "oxigraph-serve", "virtuoso")
BONEVIEW = "https://w3id.org/evalgraph/id/tech-boneview"

VIRTUOSO_DIFFERS = {
    "cartography": "GROUP_CONCAT over no value gives \"\" (Oxigraph: unbound); aggregates drop language tags",
    "category-pathway-matrix": "IF(EXISTS {…}, ?unbound, ?x) in a BIND inside a UNION: two rows and counts differ",
    "choice-facts": "CONCAT of an unbound COALESCE branch: Virtuoso writes '[–]' where Oxigraph writes nothing",
    "deployment-economics": "GROUP_CONCAT over no value gives \"\" (Oxigraph: unbound)",
    "evaluation-gap": "GROUP_CONCAT and SAMPLE results lose their language tag",
    "evaluation-gap-summary": "a FILTER inside OPTIONAL does not see the outer VALUES variables: every count is 0",
    "evidence-profile": "Virtuoso 7.2.5 internal compiler error (SQ156 'Bad dfe in sqlo_place_exp')",
    "ontology-terms": "the same terms; the labels and definitions joined by GROUP_CONCAT differ (language tags)",
    "market-ce-national-evaluation": "a computed boolean comes back as an integer (0 for false)",
    "market-products-by-source": "computed booleans come back as integers, and all as 1 here",
    "fda-comparators": "strict GROUP BY: a projected variable outside the GROUP BY is refused (SP031)",
    "service-description": "GRAPH ?g { } (an empty pattern) matches no graph: the description lists none",
    "timeline": "GROUP_CONCAT over no value gives \"\" (Oxigraph: unbound)",
}
"""Named queries whose rows differ on Virtuoso 7.2 open source, and why (docs/engines.md, "Virtuoso")."""


@pytest.fixture(scope="module")
def reference() -> Iterator[OxigraphStore]:
    """The embedded store, in memory, with the built-in data and the inferred graph: the rows every engine owes."""
    store = open_store(None)
    kb.ensure_loaded(store)
    refresh_inferred(store)
    yield store
    store.close()


@pytest.fixture(scope="module", params=ENGINES)
def engine(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphStore]:
    """A store on one engine, loaded through evalgraph (built-in data, then the inferred graph by qualification)."""
    folder = tmp_path_factory.mktemp(request.param)
    if request.param == "embedded":
        store: OxigraphStore = open_store(folder / "store")
        kb.ensure_loaded(store)
        refresh_inferred(store)
        yield store
        store.close()
        return
    start = engines.oxigraph_serve if request.param == "oxigraph-serve" else engines.virtuoso
    with start(folder) as endpoint:
        remote = RemoteStore(endpoint)
        kb.ensure_loaded(remote)  # type: ignore[arg-type]
        refresh_inferred(remote)  # type: ignore[arg-type]
        remote.name = request.param  # type: ignore[attr-defined]
        yield remote  # type: ignore[misc]
        remote.close()


def _sampled(text: str) -> set[str]:
    return set(re.findall(r"SAMPLE\s*\((?:[^()]|\([^()]*\))*\)\s+AS\s+\?(\w+)", text, re.IGNORECASE))


def _term(term: object, separators: list[str]) -> object:
    if term is None or isinstance(term, ox.BlankNode):
        return None if term is None else "_:b"
    if isinstance(term, ox.Literal):
        value = term.value
        for separator in separators:  # GROUP_CONCAT's order is the engine's
            value = separator.join(sorted(value.split(separator)))
        return (value, term.language, term.datatype.value)
    return str(term)


def rows(result: QueryResult, text: str) -> list[tuple[object, ...]] | bool | int:
    """The result of query ``text``, comparable across engines: ``SAMPLE`` columns left out, ``GROUP_CONCAT`` values
    sorted."""
    if result.kind == "ask":
        return bool(result.boolean)
    if result.kind == "graph":
        return len(result.triples)
    skip = _sampled(text)
    separators = sorted(set(re.findall(r'SEPARATOR\s*=\s*"([^"]+)"', text, re.IGNORECASE)), key=len, reverse=True)
    keep = [i for i, v in enumerate(result.variables) if v not in skip]
    return sorted((tuple(_term(row[i], separators) for i in keep) for row in result.rows), key=repr)


def _values(named: queries.NamedQuery) -> dict[str, str]:
    """A value for each parameter without a default: BoneView for a technology, an IRI or a text otherwise."""
    examples = {"IRI": "https://example.org/parameter", "string": "x", "integer": "1", "decimal": "1.5",
                "date": "2025-01-01", "boolean": "true"}  # fmt: skip
    values = {p.name: examples[p.type] for p in named.parameters if p.default is None}
    known = {"technology": BONEVIEW, "establishment": "https://w3id.org/evalgraph/id/org-clinique-stains"}
    return values | {name: value for name, value in known.items() if name in values}


def _differing(reference: OxigraphStore, store: OxigraphStore) -> dict[str, str]:
    differing = {}
    for named in queries.catalogue():
        bindings = queries.bind(named, _values(named))
        expected = rows(reference.query(named.text, bindings), named.text)
        try:
            got = rows(store.query(named.text, bindings), named.text)
        except QueryError as exc:
            differing[named.name] = f"error: {exc}"[:300]
            continue
        if got != expected:
            differing[named.name] = f"{len(got) if isinstance(got, list) else got} rows"
    return differing


def test_named_queries_give_the_same_rows(reference: OxigraphStore, engine: OxigraphStore) -> None:
    differing = _differing(reference, engine)
    names = {named.name for named in queries.catalogue()}
    expected = set(VIRTUOSO_DIFFERS) & names if getattr(engine, "name", "") == "virtuoso" else set()
    assert set(differing) == expected, f"{differing}: a difference on an engine belongs in docs/engines.md"


def test_qualification_through_the_engine_infers_the_same_graph(
    reference: OxigraphStore, engine: OxigraphStore
) -> None:
    def triples(store: OxigraphStore) -> set[str]:
        return {str(t) for t in store.export([INFERRED_GRAPH]) if not isinstance(t.subject, ox.BlankNode)}

    assert triples(engine) == triples(reference)
    assert engine.count(INFERRED_GRAPH) == reference.count(INFERRED_GRAPH)


def test_loads_are_all_or_nothing_with_provenance(engine: OxigraphStore, tmp_path: Path) -> None:
    graph = "https://example.org/graph/contract"
    good = tmp_path / "good.ttl"
    good.write_text('<urn:a> <urn:p> "one" , "two" . <urn:a> <urn:q> [ <urn:r> "blank" ] .\n')
    report = engine.load([good], graph)
    assert report.triples == engine.count(graph) == 4
    info = next(i for i in engine.graphs() if i.iri == graph)
    assert (info.triples, info.sources, info.sha256) == (4, ("good.ttl",), report.sha256)
    bad = tmp_path / "bad.ttl"
    bad.write_text("<urn:b> <urn:p> .\n")
    with pytest.raises(DataFileError):
        engine.load([good, bad], graph)
    assert engine.count(graph) == 4 and engine.recorded_hash(graph) == report.sha256
    assert engine.query(f"SELECT ?o WHERE {{ GRAPH <{graph}> {{ <urn:a> <urn:q>/<urn:r> ?o }} }}").rows == [
        (ox.Literal("blank"),)
    ]
    appended = engine.load([tmp_path / "good.ttl"], graph, replace=False)
    assert appended.triples == 6  # a new blank node, with its two triples; the two literals were already there
    assert not [g for g in engine.graph_iris() if "/staging/" in g]


def test_the_guard_runs_before_any_request(engine: OxigraphStore) -> None:
    listener = Listener()
    try:
        with pytest.raises(UnsafeQueryError):
            engine.query(f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}")
        with pytest.raises(UnsafeQueryError):
            engine.update(f"LOAD <{listener.url}> INTO GRAPH <urn:g>")
        with pytest.raises(UnsafeQueryError):
            engine.query(f"SELECT * FROM <{listener.url}> WHERE {{ ?s ?p ?o }}")
        assert listener.connections == 0
    finally:
        listener.close()


def test_parameters_are_bound_not_pasted(reference: OxigraphStore, engine: OxigraphStore) -> None:
    query = "SELECT ?technology ?label WHERE { ?technology <http://www.w3.org/2000/01/rdf-schema#label> ?label } "
    query += "ORDER BY ?label"
    hostile = ox.Literal('x" } } ; DROP ALL ; SELECT * { { "')
    for value in (ox.NamedNode(BONEVIEW), hostile):
        got, expected = (store.query(query, {"technology": value}).rows for store in (engine, reference))
        assert sorted(map(str, got)) == sorted(map(str, expected))
    assert engine.query("SELECT ?lang WHERE {}", {"lang": ox.Literal("fr")}).rows == [(ox.Literal("fr"),)]


class _Redirect(BaseHTTPRequestHandler):
    target = ""

    def do_POST(self) -> None:  # noqa: N802 - the standard library's name
        self.send_response(307)
        self.send_header("Location", self.target)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def test_only_the_configured_endpoint_is_contacted() -> None:
    listener = Listener()
    _Redirect.target = listener.url
    server = HTTPServer(("127.0.0.1", 0), _Redirect)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        store = RemoteStore(Endpoint(f"http://127.0.0.1:{server.server_address[1]}/sparql"))
        with pytest.raises(QueryError, match="answered 307"):
            store.query("ASK {}")
        store.close()
        assert listener.connections == 0  # the redirect is not followed
    finally:
        server.shutdown()
        server.server_close()
        listener.close()


def test_the_cli_runs_on_an_engine(run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with engines.oxigraph_serve(tmp_path) as endpoint:
        base = endpoint.query.removesuffix("/query")
        result = run_cli("--endpoint", f"{base}/query", "load", str(Path(__file__).parent / "data" / "w3c-sparql11"
                         / "protocol" / "data1.nt"))  # fmt: skip
        assert result.exit_code == 2 and "no update URL (read-only)" in result.stderr
        monkeypatch.setenv("EVALGRAPH_ENDPOINT_UPDATE", f"{base}/update")
        result = run_cli("--endpoint", f"{base}/query", "stats", "--format", "json")
        assert result.exit_code == 0, result.stderr
        assert '"technologies"' in result.stdout
        result = run_cli("--endpoint", f"{base}/query", "query", "technology-profile", "--param",
                         "technology=egr:tech-boneview", "--format", "csv")  # fmt: skip
        assert result.exit_code == 0 and "BoneView" in result.stdout, result.stderr
        result = run_cli("--endpoint", f"{base}/query", "serve")
        assert result.exit_code == 2 and "serve runs on the embedded store only" in result.stderr


def test_the_cli_reads_through_a_running_server(run_cli, tmp_path: Path) -> None:
    from tests import serving

    server = serving.start(tmp_path / "data")  # run_cli's data directory: the server holds its store
    try:
        assert (tmp_path / "data" / "server.json").exists()
        result = run_cli("stats", "--format", "json")  # the store is locked: the command finds the server itself
        assert result.exit_code == 0, result.stderr
        assert f"{server.base}/sparql" in result.stderr and "reads through" in result.stderr
        assert json.loads(result.stdout)["counts"]["technologies"] > 1000
        result = run_cli("query", "technology-profile", "--param", "technology=boneview", "--format", "csv")
        assert result.exit_code == 0 and "BoneView" in result.stdout, result.stderr
        result = run_cli("cartography", "-o", str(tmp_path / "through.html"))  # reads the server's inferred graph
        assert result.exit_code == 0 and "BoneView" in (tmp_path / "through.html").read_text(encoding="utf-8")
        result = run_cli("--endpoint", f"{server.base}/sparql", "query", "technology-profile", "--param",
                         "technology=egr:tech-boneview", "--format", "csv")  # fmt: skip
        assert result.exit_code == 0 and "BoneView" in result.stdout, result.stderr
        (tmp_path / "mine.ttl").write_text("<https://example.org/a> <https://example.org/b> 1 .\n", encoding="utf-8")
        result = run_cli("--lang", "fr", "load", str(tmp_path / "mine.ttl"))  # a write: stop the server first
        assert result.exit_code == 2 and server.base in result.stderr and "arrêtez le serveur" in result.stderr
    finally:
        server.stop()
    assert not (tmp_path / "data" / "server.json").exists()  # removed when the server stops
    result = run_cli("load", str(tmp_path / "mine.ttl"))
    assert result.exit_code == 0 and "through" not in result.stderr, result.stderr  # the embedded store again


def test_a_server_record_is_trusted_only_for_a_live_process_on_loopback(tmp_path: Path) -> None:
    """server.json decides where a command sends its reads (and its admin token): only the user's own file, a live
    process, a loopback URL, and a server there that proves the file's secret; anything else is no server (the
    command then fails on the lock as before)."""
    import os
    import subprocess
    import threading
    from http.server import BaseHTTPRequestHandler, HTTPServer

    from evalgraph.store import running

    shown = {"instance": ""}

    class Health(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            body = json.dumps({"instance": shown["instance"]}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    listener = HTTPServer(("127.0.0.1", 0), Health)
    threading.Thread(target=listener.serve_forever, daemon=True).start()
    port = listener.server_address[1]
    record = tmp_path / running.FILE

    def found(content: object) -> str | None:
        record.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
        return running.find(tmp_path)

    try:
        assert running.find(tmp_path) is None  # no file
        good = {"pid": os.getpid(), "url": f"http://127.0.0.1:{port}", "secret": "s3cret"}
        assert found(good) is None  # the server there does not prove the secret
        shown["instance"] = running.proof("s3cret")
        assert found(good) == f"http://127.0.0.1:{port}/sparql"
        dead = subprocess.Popen(["true"])
        dead.wait()
        for bad in ({**good, "pid": dead.pid}, {**good, "pid": 1}, {**good, "pid": 0}, {**good, "pid": -1},
                    {**good, "secret": "other"}, {**good, "url": f"http://example.org:{port}"},
                    {**good, "url": f"http://127.0.0.1.example.org:{port}"}, {**good, "url": f"https://127.0.0.1:{port}"},
                    {**good, "url": "file:///etc/passwd"}, {**good, "url": f"http://127.0.0.1:{port}/elsewhere"},
                    {**good, "pid": "x"}, {"pid": os.getpid(), "url": good["url"]}, [1, 2], "{not json"):
            assert found(bad) is None, bad
    finally:
        listener.shutdown()
        listener.server_close()
    assert running.client_url("0.0.0.0", 8000) == "http://127.0.0.1:8000"
    assert running.client_url("::1", 8000) == "http://[::1]:8000"
    with running.recorded(tmp_path, "http://127.0.0.1:9") as instance:
        written = json.loads(record.read_text())
        assert written["pid"] == os.getpid() and instance == running.proof(written["secret"])
        assert record.stat().st_mode & 0o077 == 0  # the user's only
    assert not record.exists()


@pytest.mark.parametrize("graph_store", [False, True], ids=["insert-data", "graph-store-protocol"])
def test_an_interrupted_load_resumes_where_it_stopped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                      graph_store: bool) -> None:
    """A load of 3,500 triples (4 chunks of 1,000 here) and a blank node, cut after its second chunk: nothing of it
    is among evalgraph's graphs and the error says how far it went; the same load again sends the other chunks only,
    and the graph holds each triple once, the blank node's once, with its provenance."""
    from contextlib import ExitStack
    from dataclasses import replace

    from evalgraph.errors import StoreUnavailableError
    from evalgraph.store import remote as remote_module

    monkeypatch.setattr(remote_module, "_CHUNK", {True: 1_000, False: 1_000})
    data = tmp_path / "data.nt"
    data.write_text("".join(f"<urn:s{i}> <urn:p> \"{i}\" .\n" for i in range(3_500))
                    + "<urn:s0> <urn:q> _:b .\n_:b <urn:r> \"blank\" .\n", encoding="utf-8")
    graph = "https://example.org/graph/resumed"
    with engines.oxigraph_serve(tmp_path) as endpoint, ExitStack() as stack:
        store = RemoteStore(endpoint if graph_store else replace(endpoint, store=None))
        stack.callback(store.close)
        chunks: list[str] = []
        real_update, real_triples = store.send_update, store.send_triples

        def counting_update(sparql: str) -> None:
            if "stagedChunk" in sparql:
                if len(chunks) == 2 and not getattr(store, "healed", False):
                    raise StoreUnavailableError("query_failed", detail="connection reset (test)")
                chunks.append(sparql)
            real_update(sparql)

        monkeypatch.setattr(store, "send_update", counting_update)
        monkeypatch.setattr(store, "send_triples", real_triples)
        with pytest.raises(StoreUnavailableError) as cut:
            store.load([data], graph)
        assert "2 of 5" in str(cut.value) and "again" in str(cut.value) and cut.value.exit_code == 3
        assert graph not in store.graph_iris() and store.count(graph) == 0

        store.healed = True  # type: ignore[attr-defined]
        report = store.load([data], graph)
        assert report.resumed == 2 and len(chunks) == 2 + 3  # the three chunks left: two plain, the blank one
        assert report.triples == store.count(graph) == 3_502
        assert store.query(f"SELECT (COUNT(?b) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?b <urn:r> \"blank\" }} }}").rows \
            == [(ox.Literal("1", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")),)]
        assert next(i for i in store.graphs() if i.iri == graph).sources == ("data.nt",)
        leftovers = store._select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", dataset=False)
        assert not [g for (g,) in leftovers if "/staging/" in str(g)]  # staging and progress graphs dropped
        again = store.load([data], graph)  # a new run of a finished load starts afresh
        assert again.resumed == 0 and again.triples == 3_502


def test_load_writes_through_a_running_server_with_an_admin_token(run_cli, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """With updates enabled and an admin token, `evalgraph load` writes through the server that holds the store (its
    Graph Store Protocol writes, /store), provenance recorded; without a token, or with a reviewer's, or to a reserved
    graph, nothing is written and the message says why."""
    import httpx

    from tests import serving

    data = tmp_path / "data"
    data.mkdir()
    admin, reviewer = "a" * 40, "r" * 40
    (tmp_path / "tokens.txt").write_text(f"alice admin {admin}\nrita reviewer {reviewer}\n", encoding="utf-8")
    (tmp_path / "mine.ttl").write_text("<https://example.org/a> <https://example.org/b> 1 , 2 .\n", encoding="utf-8")
    (tmp_path / "more.nt").write_text('<https://example.org/a> <https://example.org/b> "3" .\n', encoding="utf-8")
    graph = "https://w3id.org/evalgraph/graph/import/mine"
    server = serving.start(data, "--allow-update", "--token-file", str(tmp_path / "tokens.txt"))
    try:
        refused = run_cli("load", str(tmp_path / "mine.ttl"))  # no token: the message names the setting
        assert refused.exit_code == 2 and "EVALGRAPH_ENDPOINT_TOKEN" in refused.stderr
        monkeypatch.setenv("EVALGRAPH_ENDPOINT_TOKEN", reviewer)
        assert run_cli("load", str(tmp_path / "mine.ttl")).exit_code != 0  # a reviewer may not write
        monkeypatch.setenv("EVALGRAPH_ENDPOINT_TOKEN", admin)
        loaded = run_cli("load", str(tmp_path / "mine.ttl"))
        assert loaded.exit_code == 0 and "reads through" in loaded.stderr, loaded.stderr
        assert run_cli("load", str(tmp_path / "more.nt"), "--graph", graph, "--append").exit_code == 0
        stats = json.loads(run_cli("stats", "--format", "json").stdout)
        mine = next(g for g in stats["graphs"] if g["graph"] == graph)
        assert mine["triples"] == 3 and any("more.nt" in s and "alice" in s for s in mine["sources"]), mine
        assert run_cli("load", str(tmp_path / "mine.ttl"), "--graph", "egg:kb").exit_code != 0  # reserved
        assert run_cli("query", "SELECT (COUNT(*) AS ?n) WHERE { GRAPH egg:kb { ?s <https://example.org/b> ?o } }",
                       "--format", "csv").stdout.split()[-1] == "0"
        put = f"{server.base}/store"
        headers = {"Authorization": f"Bearer {admin}", "Content-Type": "text/turtle"}
        for body, content_type, status in ((b"<https://example.org/a> <https://example.org/b> .", "text/turtle", 400),
                                           (b"<a> <b> <c> .", "text/turtle", 400),  # a relative IRI
                                           (b"{}", "application/ld+json", 415)):
            answer = httpx.put(put, params={"graph": graph}, content=body,
                               headers={**headers, "Content-Type": content_type})
            assert answer.status_code == status, answer.text
        assert httpx.put(put, params={"graph": graph}, content=b"").status_code == 401  # no token
        for reserved in ("https://w3id.org/evalgraph/graph/kb", "https://w3id.org/evalgraph/graph/meta",
                         "https://w3id.org/evalgraph/graph/inferred"):
            answer = httpx.put(put, params={"graph": reserved}, headers=headers,
                               content=b"<https://example.org/a> <https://example.org/b> <https://example.org/c> .")
            assert answer.status_code == 403, (reserved, answer.text)
        stats = json.loads(run_cli("stats", "--format", "json").stdout)
        assert next(g for g in stats["graphs"] if g["graph"] == graph)["triples"] == 3  # refused writes changed nothing
    finally:
        server.stop()


@pytest.mark.parametrize("graph_store", [False, True], ids=["insert-data", "graph-store-protocol"])
def test_a_load_cut_at_its_blank_nodes_or_its_commit_still_lands_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                      graph_store: bool) -> None:
    """Cut right after the blank-node triples were sent (before their record), then right after the commit reached
    the engine (its answer lost): each time the same load again gives every triple once and one blank node."""
    from contextlib import ExitStack
    from dataclasses import replace

    from evalgraph.errors import StoreUnavailableError
    from evalgraph.store import remote as remote_module

    monkeypatch.setattr(remote_module, "_CHUNK", {True: 1_000, False: 1_000})
    data = tmp_path / "data.nt"
    data.write_text("".join(f"<urn:s{i}> <urn:p> \"{i}\" .\n" for i in range(1_500))
                    + "<urn:s0> <urn:q> _:b .\n_:b <urn:r> \"blank\" .\n", encoding="utf-8")
    graph = "https://example.org/graph/cut"
    count_blank = f"SELECT (COUNT(?b) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?b <urn:r> \"blank\" }} }}"
    with engines.oxigraph_serve(tmp_path) as endpoint, ExitStack() as stack:
        store = RemoteStore(endpoint if graph_store else replace(endpoint, store=None))
        stack.callback(store.close)
        real_update = store._update
        cut = {"at": "blank"}

        def failing(sparql: str) -> None:
            blank_record = "stagedChunk> 2 }" in sparql  # the third chunk: the blank nodes
            if cut["at"] == "blank" and blank_record and graph_store:
                cut["at"] = ""
                raise StoreUnavailableError("query_failed", detail="cut after the blank nodes (test)")
            real_update(sparql)
            if cut["at"] == "commit" and "MOVE SILENT" in sparql:
                cut["at"] = ""
                raise StoreUnavailableError("query_failed", detail="answer lost after the commit (test)")

        monkeypatch.setattr(store, "_update", failing)
        if graph_store:
            with pytest.raises(StoreUnavailableError):
                store.load([data], graph)
        assert store.load([data], graph).triples == 1_502
        assert int(store.query(count_blank).rows[0][0].value) == 1  # type: ignore[union-attr]
        cut["at"] = "commit"
        with pytest.raises(StoreUnavailableError):
            store.load([data], graph)
        report = store.load([data], graph)
        assert report.triples == store.count(graph) == 1_502 and report.resumed == 0
        assert int(store.query(count_blank).rows[0][0].value) == 1  # type: ignore[union-attr]
