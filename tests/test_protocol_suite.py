"""The W3C SPARQL 1.1 Protocol test suite, driven from its published manifest, against real ``evalgraph serve``.

The suite is ``tests/data/w3c-sparql11/protocol/`` (w3c/rdf-tests ``sparql/sparql11/protocol``, see its README:
``manifest.ttl`` and ``data1.nt`` … ``data3.nt``). Every entry of the manifest's ``mf:entries`` is read with rdflib
and run; no request is written here. Each request is sent as the manifest gives it, to our server instead of its
``ht:connectionAuthority``: its method, its ``ht:absolutePath`` verbatim (the server answers on ``/sparql/`` as on
``/sparql``; the percent-encoding is kept byte for byte), its headers only (no ``Accept`` is added), its body in its
``cnt:characterEncoding``. The answer is checked against the ``ht:resp``: ``mf:expectedStatus`` (status class),
``mf:expectedFormat`` (a media type for boolean, tabular or RDF results, and the body parses) and
``mf:expectedBoolean``. A manifest term this file does not implement (another test type, request or response
property) fails that test; a manifest entry missing from :data:`STATUS` fails too.

Two servers, started once per module, each on a copy of a data directory filled beforehand with
``evalgraph --data-dir D load dataN.nt --graph IRI`` for every ``ut:graphData`` of the manifest (data1..3.nt under
``http://kasei.us/2009/09/sparql/data/data1.rdf`` … ``data3.rdf``; the suite's ``data0.rdf`` is in no
``ut:graphData``, so it is not loaded and is an empty graph, as the protocol says of a graph the service does not
hold):

* **read-only** — ``serve --read-only``. A test whose update request the manifest expects to succeed passes when
  the server refuses it with a 4xx (the requests after it, which look at what the update wrote, are not sent).
* **update-enabled** — ``serve --allow-update --token-file FILE --workers 1``; update requests carry the admin's
  bearer token. ``CLEAR ALL`` / ``DROP ALL`` (and ``NAMED``) are refused by policy with 403 ``reserved_graph``: they would wipe
  the built-in graphs (docs/server.md). A test whose update uses them passes "by policy" when: that 403 comes back
  for the request as written, the same request with ``CLEAR|DROP ALL|NAMED`` replaced by
  ``DROP SILENT GRAPH <its result graph>`` (the graph its ``INSERT`` writes; a scratch graph when there is none)
  meets the manifest's expectation, and its next requests pass as written.

:data:`STATUS` says which way each of the 34 tests passes on each server, and
:func:`test_w3c_protocol_suite_counts` asserts the totals: read-only 34 of 34 (27 as written, 7 update requests
refused with 4xx); update-enabled 34 of 34 (28 as written, 6 by the CLEAR/DROP ALL policy).

Companions, outside the 34: the suite's query requests through SPARQLWrapper and with each offered media type asked
for; every update request of the manifest without a token (4xx, nothing written); the update_dataset_* datasets
written as USING / USING NAMED; another revision of query_multiple_dataset whose URL percent-encodes its ``&``
(one named graph of a bogus name: empty, not an error); two server bugs found while encoding the suite.
"""

from __future__ import annotations

import json
import re
import secrets
import shutil
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import parse_qs, quote, urlencode, urlsplit

import httpx
import pytest
import rdflib
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS
from SPARQLWrapper import CSV, GET, JSON, POST, POSTDIRECTLY, TSV, URLENCODED, XML, SPARQLWrapper

from tests import serving

SUITE = Path(__file__).parent / "data" / "w3c-sparql11" / "protocol"
MANIFEST = SUITE / "manifest.ttl"
BUILTIN_KB = "https://w3id.org/evalgraph/graph/kb"
SCRATCH = "http://example.org/protocol-scratch/"

MF = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = rdflib.Namespace("http://www.w3.org/2011/http#")
HTS = "http://www.w3.org/2011/http-statusCodes#StatusCode"
CNT = rdflib.Namespace("http://www.w3.org/2011/content#")
UT = rdflib.Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
DAWGT = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-dawg#")

BOOLEAN_TYPES = ("application/sparql-results+json", "application/sparql-results+xml")
TABULAR_TYPES = (*BOOLEAN_TYPES, "text/csv", "text/tab-separated-values")
RDF_TYPES = {"text/turtle": "turtle", "application/n-triples": "nt", "application/rdf+xml": "xml",
             "application/ld+json": "json-ld"}
SRX = "{http://www.w3.org/2005/sparql-results#}"

AS_WRITTEN = "as written"
REFUSED_UPDATE = "update refused (4xx)"
POLICY = "CLEAR/DROP ALL policy (403)"

# How each manifest test passes: (read-only server, update-enabled server). A manifest entry missing here fails.
_WRITTEN = (AS_WRITTEN, AS_WRITTEN)
_WIPES = (REFUSED_UPDATE, POLICY)
STATUS: dict[str, tuple[str, str]] = {
    "query_post_form": _WRITTEN,
    "query_dataset_default_graphs_get": _WRITTEN,
    "query_dataset_default_graphs_post": _WRITTEN,
    "query_dataset_named_graphs_post": _WRITTEN,
    "query_dataset_named_graphs_get": _WRITTEN,
    "query_dataset_full": _WRITTEN,
    "query_multiple_dataset": _WRITTEN,
    "query_get": _WRITTEN,
    "query_content_type_select": _WRITTEN,
    "query_content_type_ask": _WRITTEN,
    "query_content_type_describe": _WRITTEN,
    "query_content_type_construct": _WRITTEN,
    "update_dataset_default_graph": _WIPES,  # CLEAR ALL ; INSERT DATA … ; INSERT … WHERE, then ASK
    "update_dataset_default_graphs": _WIPES,  # DROP ALL ; …
    "update_dataset_named_graphs": _WIPES,  # DROP ALL ; …
    "update_dataset_full": _WIPES,  # DROP ALL ; …
    "update_post_form": _WIPES,  # update=CLEAR+ALL
    "update_post_direct": _WIPES,  # CLEAR ALL
    "update_base_uri": (REFUSED_UPDATE, AS_WRITTEN),  # CLEAR SILENT GRAPH <…> ; INSERT DATA …, then ASK
    "query_post_direct": _WRITTEN,
    "bad_query_method": _WRITTEN,
    "bad_multiple_queries": _WRITTEN,
    "bad_query_wrong_media_type": _WRITTEN,
    "bad_query_missing_form_type": _WRITTEN,
    "bad_query_missing_direct_type": _WRITTEN,
    "bad_query_non_utf8": _WRITTEN,
    "bad_query_syntax": _WRITTEN,
    "bad_update_get": _WRITTEN,  # the bad_update_* expect a 4xx: both servers give it as written
    "bad_multiple_updates": _WRITTEN,
    "bad_update_wrong_media_type": _WRITTEN,
    "bad_update_missing_form_type": _WRITTEN,
    "bad_update_non_utf8": _WRITTEN,
    "bad_update_syntax": _WRITTEN,
    "bad_update_dataset_conflict": _WRITTEN,
}
SERVERS = ("read-only", "update-enabled")


# ------------------------------------------------------------------------------------------------ the manifest
@dataclass(frozen=True)
class W3CRequest:
    """One ``ht:Request`` and its ``ht:resp``."""

    method: str
    path: str
    headers: tuple[tuple[str, str], ...]
    body: bytes | None
    """``chars`` in the body's ``cnt:characterEncoding``."""
    chars: str | None
    statuses: frozenset[str]
    """Status classes the response may have: ``2xx``, ``3xx``, ``4xx``…"""
    expected_format: str | None = None
    expected_boolean: bool | None = None

    @property
    def content_type(self) -> str:
        found = [value for name, value in self.headers if name.lower() == "content-type"]
        return found[0].split(";")[0].strip().lower() if found else ""

    def form(self) -> dict[str, list[str]]:
        """The body's fields when it is a form, else ``{}``."""
        if self.content_type != "application/x-www-form-urlencoded" or self.chars is None:
            return {}
        return parse_qs(self.chars, keep_blank_values=True)

    @property
    def url_parameters(self) -> dict[str, list[str]]:
        return parse_qs(urlsplit(self.path).query, keep_blank_values=True)

    @property
    def is_update(self) -> bool:
        """An update operation: a direct update body, an ``update`` field, or update dataset parameters."""
        names = set(self.url_parameters) | set(self.form())
        return (self.content_type == "application/sparql-update" or "update" in names
                or bool({"using-graph-uri", "using-named-graph-uri"} & names))

    @property
    def update_text(self) -> str | None:
        if self.content_type == "application/sparql-update":
            return self.chars
        updates = self.form().get("update", [])
        return updates[0] if len(updates) == 1 else None

    def with_update(self, text: str) -> W3CRequest:
        """The same request with another update text, in the same form (direct or URL-encoded)."""
        if self.content_type == "application/sparql-update":
            return replace(self, body=text.encode("utf-8"), chars=text)
        fields = self.form()
        fields["update"] = [text]
        form = urlencode(fields, doseq=True)
        return replace(self, body=form.encode("utf-8"), chars=form)


@dataclass(frozen=True)
class W3CTest:
    name: str
    title: str
    requests: tuple[W3CRequest, ...]
    unsupported: tuple[str, ...] = ()
    """Manifest terms of this test this file does not implement: the test fails."""


TEST_TERMS = {RDF.type, MF.name, MF.action, UT.graphData, DAWGT.approval, DAWGT.approvedBy, RDFS.comment}
ACTION_TERMS = {RDF.type, HT.connectionAuthority, HT.requests}
REQUEST_TERMS = {RDF.type, HT.absolutePath, HT.body, HT.headers, HT.httpVersion, HT.methodName, HT.resp}
BODY_TERMS = {RDF.type, CNT.characterEncoding, CNT.chars}
HEADER_TERMS = {RDF.type, HT.fieldName, HT.fieldValue}
RESPONSE_TERMS = {RDF.type, MF.expectedStatus, MF.expectedFormat, MF.expectedBoolean}


def _unknown(graph: rdflib.Graph, node: rdflib.term.Node, known: set[rdflib.URIRef]) -> list[str]:
    return [str(p) for p in set(graph.predicates(node)) - known]


def _one(graph: rdflib.Graph, node: rdflib.term.Node, predicate: rdflib.URIRef) -> rdflib.term.Node | None:
    values = list(graph.objects(node, predicate))
    assert len(values) <= 1, f"{node} has {len(values)} {predicate}"
    return values[0] if values else None


def _request(graph: rdflib.Graph, node: rdflib.term.Node, unsupported: list[str]) -> W3CRequest:
    unsupported += _unknown(graph, node, REQUEST_TERMS)
    if str(_one(graph, node, HT.httpVersion) or "1.1") != "1.1":
        unsupported.append(f"HTTP/{_one(graph, node, HT.httpVersion)}")
    headers = []
    listed = _one(graph, node, HT.headers)
    for header in Collection(graph, listed) if listed is not None else []:
        unsupported += _unknown(graph, header, HEADER_TERMS)
        headers.append((str(_one(graph, header, HT.fieldName)), str(_one(graph, header, HT.fieldValue))))
    body, chars = None, None
    content = _one(graph, node, HT.body)
    if content is not None:
        unsupported += _unknown(graph, content, BODY_TERMS)
        encoding = str(_one(graph, content, CNT.characterEncoding) or "UTF-8")
        chars = str(_one(graph, content, CNT.chars))
        body = chars.encode(encoding)  # "UTF-16": with its byte-order mark
    response = _one(graph, node, HT.resp)
    assert response is not None, f"{node}: no ht:resp"
    unsupported += _unknown(graph, response, RESPONSE_TERMS)
    statuses = set()
    for status in graph.objects(response, MF.expectedStatus):
        if not str(status).startswith(HTS):
            unsupported.append(f"status {status}")
        statuses.add(str(status).removeprefix(HTS).lower())
    expected_format = _one(graph, response, MF.expectedFormat)
    if expected_format is not None and str(expected_format) not in ("boolean", "tabular", "RDF"):
        unsupported.append(f"format {expected_format}")
    expected_boolean = _one(graph, response, MF.expectedBoolean)
    return W3CRequest(
        method=str(_one(graph, node, HT.methodName)), path=str(_one(graph, node, HT.absolutePath)),
        headers=tuple(headers), body=body, chars=chars, statuses=frozenset(statuses),
        expected_format=None if expected_format is None else str(expected_format),
        expected_boolean=None if expected_boolean is None else str(expected_boolean) == "true")


def read_manifest(path: Path = MANIFEST) -> tuple[list[W3CTest], dict[str, Path]]:
    """The manifest's tests, in ``mf:entries`` order, and its data: graph name → file (``ut:graphData``)."""
    graph = rdflib.Graph().parse(path, format="turtle", publicID=path.as_uri())
    [manifest] = graph.subjects(RDF.type, MF.Manifest)
    tests, data = [], {}
    for entry in Collection(graph, _one(graph, manifest, MF.entries)):  # type: ignore[arg-type]
        name = str(entry).rsplit("#", 1)[1]
        unsupported = _unknown(graph, entry, TEST_TERMS)
        kinds = set(graph.objects(entry, RDF.type))
        if kinds != {MF.ProtocolTest}:
            unsupported += [f"type {k}" for k in kinds]
        for graph_data in graph.objects(entry, UT.graphData):
            file = Path(urlsplit(str(_one(graph, graph_data, UT.graph))).path)
            data[str(_one(graph, graph_data, RDFS.label))] = file
        action = _one(graph, entry, MF.action)
        assert action is not None, f"{name}: no mf:action"
        unsupported += _unknown(graph, action, ACTION_TERMS)
        requests = tuple(_request(graph, node, unsupported)
                         for node in Collection(graph, _one(graph, action, HT.requests)))  # type: ignore[arg-type]
        tests.append(W3CTest(name, str(_one(graph, entry, MF.name)), requests, tuple(unsupported)))
    return tests, data


TESTS, GRAPH_DATA = read_manifest()
TEST_NAMES = [test.name for test in TESTS]
RESULT_GRAPH = re.compile(r"INSERT\s*\{\s*GRAPH\s*<([^>]+)>")
WIPE = re.compile(r"\b(?:CLEAR|DROP)\s+(?:SILENT\s+)?(?:ALL|NAMED)\b", re.IGNORECASE)
WRITTEN_GRAPHS = sorted({g for t in TESTS for r in t.requests for g in RESULT_GRAPH.findall(r.update_text or "")}
                        | {"http://example.org/protocol-base-test/"})


# ------------------------------------------------------------------------------------------------------- servers
@dataclass
class Endpoint:
    """One running server: its base URL and the headers an update needs there."""

    name: str
    base: str
    auth: dict[str, str] = field(default_factory=dict)

    @property
    def sparql(self) -> str:
        return self.base + "/sparql"


@pytest.fixture(scope="module")
def suite_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data directory holding the suite's data: ``evalgraph --data-dir D load FILE --graph IRI`` for each
    ``ut:graphData`` of the manifest (the command run in-process, on a copy of the prepared store), then the
    inferred graph brought up to date as a server's start would (once here, instead of in each server). Each
    server starts on a copy."""
    from evalgraph.cli.commands import main
    from evalgraph.settings import Settings
    from evalgraph.web.service import ServerSettings, Service

    data_dir = tmp_path_factory.mktemp("protocol-data")
    serving.prepared_store(data_dir / "store")
    assert sorted(GRAPH_DATA) == [f"http://kasei.us/2009/09/sparql/data/data{n}.rdf" for n in (1, 2, 3)]
    for iri, file in sorted(GRAPH_DATA.items()):
        try:
            main(["--data-dir", str(data_dir), "load", str(SUITE / file.name), "--graph", iri])
        except SystemExit as exit_:
            assert exit_.code in (0, None), f"evalgraph load {file.name} exited with {exit_.code}"
    Service(Settings(data_dir=data_dir), ServerSettings(query_workers=0), None).store().close()
    return data_dir


def copy_of(suite_data_dir: Path, name: str) -> Path:
    data_dir = suite_data_dir.parent / name
    shutil.copytree(suite_data_dir, data_dir)
    return data_dir


@pytest.fixture(scope="module")
def read_only_server(suite_data_dir: Path) -> Iterator[Endpoint]:
    server = serving.start(copy_of(suite_data_dir, "read-only"), "--read-only")
    try:
        yield Endpoint("read-only", server.base)
    finally:
        server.stop()


@pytest.fixture(scope="module")
def update_server(suite_data_dir: Path) -> Iterator[Endpoint]:
    data_dir = copy_of(suite_data_dir, "update-enabled")
    token = secrets.token_urlsafe(32)
    token_file = data_dir / "tokens.txt"
    token_file.write_text(f"admin admin {token}\n")
    # One query worker: the suite's requests come one at a time (each update has the workers close and reopen the
    # store: web/query_workers.py, exclusive).
    server = serving.start(data_dir, "--allow-update", "--token-file", str(token_file), "--workers", "1")
    try:
        yield Endpoint("update-enabled", server.base, {"authorization": f"Bearer {token}"})
    finally:
        server.stop()


@pytest.fixture(params=SERVERS)
def server(request: pytest.FixtureRequest) -> Endpoint:
    """Companions that run on both servers."""
    endpoint: Endpoint = request.getfixturevalue("read_only_server" if request.param == "read-only"
                                                 else "update_server")
    return endpoint


# ---------------------------------------------------------------------------------------- sending and checking
def send(endpoint: Endpoint, request: W3CRequest, *, auth: bool = True,
         extra: dict[str, str] | None = None) -> httpx.Response:
    """The request as the manifest gives it: path verbatim, its headers only (httpx's default Accept removed),
    its body; the admin's token on update requests when ``auth``."""
    with httpx.Client(timeout=60, follow_redirects=True) as client:
        built = client.build_request(request.method, endpoint.base + request.path, content=request.body,
                                     headers=list(request.headers))
        del built.headers["accept"]
        assert built.url.raw_path.decode("ascii") == request.path  # no re-encoding
        for name, value in {**(endpoint.auth if auth and request.is_update else {}), **(extra or {})}.items():
            built.headers[name] = value
        return client.send(built)


def media_type(response: httpx.Response) -> str:
    return str(response.headers.get("content-type", "")).split(";")[0].strip().lower()


def error_code(response: httpx.Response) -> str:
    """evalgraph's error code of a 4xx/5xx answer (its one error shape), else ``""``."""
    if response.status_code < 400:
        return ""
    error = response.json()["error"]
    assert error["status"] == response.status_code and error["code"] and error["message"], response.text
    return str(error["code"])


def boolean_value(response: httpx.Response) -> bool:
    kind = media_type(response)
    assert kind in BOOLEAN_TYPES, f"not a boolean results type: {kind}"
    if kind == "application/sparql-results+json":
        value = json.loads(response.text)["boolean"]
    else:
        node = ET.fromstring(response.content).find(f"{SRX}boolean")  # noqa: S314 - our own server's answer
        assert node is not None and node.text is not None
        value = {"true": True, "false": False}[node.text.strip()]
    assert isinstance(value, bool)
    return value


def tabular_rows(response: httpx.Response) -> list[dict[str, str]]:
    kind = media_type(response)
    assert kind in TABULAR_TYPES, f"not a tabular results type: {kind}"
    if kind == "application/sparql-results+json":
        document = json.loads(response.text)
        return [{k: v["value"] for k, v in row.items()} for row in document["results"]["bindings"]]
    if kind == "application/sparql-results+xml":
        root = ET.fromstring(response.content)  # noqa: S314 - our own server's answer
        return [{b.attrib["name"]: "".join(b.itertext()).strip() for b in result.iter(f"{SRX}binding")}
                for result in root.iter(f"{SRX}result")]
    lines = response.text.splitlines()
    separator = "," if kind == "text/csv" else "\t"
    names = [n.lstrip("?") for n in lines[0].split(separator)]
    return [dict(zip(names, (c.strip('"') for c in line.split(separator)), strict=True)) for line in lines[1:]]


def rdf_graph(response: httpx.Response) -> rdflib.Graph:
    kind = media_type(response)
    assert kind in RDF_TYPES, f"not an RDF type: {kind}"
    return rdflib.Graph().parse(data=response.content, format=RDF_TYPES[kind])


def meets(request: W3CRequest, response: httpx.Response) -> str | None:
    """``None`` when the response meets the request's ``ht:resp``, else why not."""
    status_class = f"{response.status_code // 100}xx"
    if status_class not in request.statuses:
        return f"status {response.status_code}, expected {sorted(request.statuses)}: {response.text[:300]}"
    try:
        error_code(response)
        if request.expected_format == "boolean" or request.expected_boolean is not None:
            value = boolean_value(response)
            if request.expected_boolean is not None and value is not request.expected_boolean:
                return f"boolean {value}, expected {request.expected_boolean}"
        elif request.expected_format == "tabular":
            tabular_rows(response)
        elif request.expected_format == "RDF":
            rdf_graph(response)
    except (AssertionError, ValueError, KeyError, SyntaxError, ET.ParseError) as exc:
        return f"{type(exc).__name__}: {exc}"
    return None


def without_wipe(request: W3CRequest) -> W3CRequest:
    """The update with ``CLEAR|DROP ALL|NAMED`` replaced by dropping only the graph it writes (or a scratch
    graph). The W3C uses them only to start from a known state: here the data graphs already hold exactly the
    triples the updates' INSERT DATA add, and each test writes its own result graph."""
    text = request.update_text
    assert text is not None
    written = RESULT_GRAPH.findall(text)
    return request.with_update(WIPE.sub(f"DROP SILENT GRAPH <{written[0] if written else SCRATCH}>", text))


@dataclass
class Outcome:
    kind: str = AS_WRITTEN
    failure: str | None = None
    codes: list[str] = field(default_factory=list)
    """evalgraph's error codes of the answers, in order."""


def run_test(test: W3CTest, endpoint: Endpoint) -> Outcome:
    """Send a test's requests in order and check each answer; deviations allowed only as the docstring says."""
    outcome = Outcome()
    if test.unsupported:
        outcome.failure = f"manifest terms not implemented here: {sorted(set(test.unsupported))}"
        return outcome
    try:
        return _run_requests(test, endpoint, outcome)
    except (AssertionError, httpx.HTTPError, ValueError, KeyError) as exc:  # e.g. an error body of another shape
        outcome.failure = f"{type(exc).__name__}: {exc}"
        return outcome


def _run_requests(test: W3CTest, endpoint: Endpoint, outcome: Outcome) -> Outcome:
    for number, request in enumerate(test.requests, 1):
        response = send(endpoint, request)
        outcome.codes.append(error_code(response))
        why = meets(request, response)
        if why is None:
            continue
        expects_success = "2xx" in request.statuses
        if endpoint.name == "read-only" and request.is_update and expects_success \
                and 400 <= response.status_code < 500:
            outcome.kind = REFUSED_UPDATE  # what the update would have written is not there to look at
            return outcome
        if endpoint.name == "update-enabled" and expects_success and response.status_code == 403 \
                and outcome.codes[-1] == "reserved_graph" and WIPE.search(request.update_text or ""):
            outcome.kind = POLICY
            adapted = send(endpoint, without_wipe(request))
            outcome.codes.append(error_code(adapted))
            why = meets(request, adapted)
            if why is None:
                continue
        outcome.failure = f"request {number} ({request.method} {request.path[:80]}): {why}"
        return outcome
    return outcome


@pytest.fixture(scope="module")
def results(read_only_server: Endpoint, update_server: Endpoint) -> dict[str, dict[str, Outcome]]:
    """The whole suite, in manifest order, once on each server."""
    return {endpoint.name: {test.name: run_test(test, endpoint) for test in TESTS}
            for endpoint in (read_only_server, update_server)}


# ---------------------------------------------------------------------------------------------------- the suite
def test_manifest_entries_are_the_34_known_tests() -> None:
    """Every ``mf:entries`` item is run below; one this file has no status for fails here (and in its own run)."""
    assert len(TEST_NAMES) == len(set(TEST_NAMES)) == 34
    assert set(TEST_NAMES) == set(STATUS), f"new: {set(TEST_NAMES) - set(STATUS)}, gone: {set(STATUS) - set(TEST_NAMES)}"


@pytest.mark.parametrize("name", TEST_NAMES)
@pytest.mark.parametrize("server_name", SERVERS)
def test_w3c_protocol(results: dict[str, dict[str, Outcome]], server_name: str, name: str) -> None:
    """One W3C test on one server: it passes, in the way :data:`STATUS` gives."""
    outcome = results[server_name][name]
    assert outcome.failure is None, outcome.failure
    expected = STATUS[name][SERVERS.index(server_name)]
    assert outcome.kind == expected, f"passed {outcome.kind!r}, {expected!r} expected (codes {outcome.codes})"
    if outcome.kind == AS_WRITTEN:  # a 4xx the manifest expects is not the update policy or the read-only refusal
        assert "reserved_graph" not in outcome.codes
    if outcome.kind == REFUSED_UPDATE:
        assert outcome.codes[-1] == "read_only"


def test_w3c_protocol_suite_counts(results: dict[str, dict[str, Outcome]], read_only_server: Endpoint) -> None:
    """The totals: read-only 34 of 34 (27 as written, 7 update requests refused with a 4xx); update-enabled 34 of
    34 (28 as written, 6 by the CLEAR/DROP ALL policy). And the read-only server wrote nothing."""
    counts = {server_name: Counter(outcome.kind for name, outcome in results[server_name].items()
                                   if outcome.failure is None and outcome.kind == STATUS[name][index])
              for index, server_name in enumerate(SERVERS)}
    assert counts == {"read-only": {AS_WRITTEN: 27, REFUSED_UPDATE: 7},
                      "update-enabled": {AS_WRITTEN: 28, POLICY: 6}}
    assert [sum(c.values()) for c in counts.values()] == [len(TESTS), len(TESTS)] == [34, 34]
    assert data_intact(read_only_server)
    assert not any(graph_has_triples(read_only_server, g) for g in WRITTEN_GRAPHS)


# ------------------------------------------------------------------------------------------------- companions
def w3c_test(name: str) -> W3CTest:
    [found] = [t for t in TESTS if t.name == name]
    return found


def query(endpoint: Endpoint, text: str) -> httpx.Response:
    return httpx.post(endpoint.sparql, content=text.encode(), timeout=60,
                      headers={"content-type": "application/sparql-query", "accept": BOOLEAN_TYPES[0]})


def update(endpoint: Endpoint, text: str, *, auth: bool = True) -> httpx.Response:
    return httpx.post(endpoint.sparql, content=text.encode(), timeout=60,
                      headers={"content-type": "application/sparql-update", **(endpoint.auth if auth else {})})


def graph_has_triples(endpoint: Endpoint, graph: str) -> bool:
    return boolean_value(query(endpoint, f"ASK {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"))


def data_intact(endpoint: Endpoint) -> bool:
    """The suite's three graphs and the built-in knowledge base still hold their data."""
    patterns = " ".join(f"GRAPH <{g}> {{ <{g}> a <http://xmlns.com/foaf/0.1/Document> }}" for g in GRAPH_DATA)
    return boolean_value(query(endpoint, f"ASK {{ {patterns} GRAPH <{BUILTIN_KB}> {{ ?s ?p ?o }} }}"))


def wrapper(endpoint: Endpoint, text: str, method: str, return_format: str,
            request_method: str = URLENCODED) -> SPARQLWrapper:
    client = SPARQLWrapper(endpoint.sparql)
    client.setQuery(text)
    client.setMethod(method)
    client.setRequestMethod(request_method)
    client.setReturnFormat(return_format)
    return client


def test_sparqlwrapper_sends_the_suite_queries(server: Endpoint) -> None:
    """query_get, query_post_form, query_post_direct and query_content_type_select through SPARQLWrapper, with the
    suite's (empty) default graph data0.rdf."""
    data0 = w3c_test("query_get").requests[0].url_parameters["default-graph-uri"][0]
    for method, return_format, request_method in ((GET, XML, URLENCODED), (POST, JSON, URLENCODED),
                                                  (POST, JSON, POSTDIRECTLY)):
        client = wrapper(server, "ASK {}", method, return_format, request_method)
        client.addParameter("default-graph-uri", data0)
        converted = client.queryAndConvert()
        if return_format == XML:
            assert converted.getElementsByTagName("boolean")[0].firstChild.data == "true"  # type: ignore[union-attr]
        else:
            assert isinstance(converted, dict) and converted["boolean"] is True
    for return_format in (JSON, XML, CSV, TSV):
        client = wrapper(server, "SELECT (1 AS ?value) {}", POST, return_format, POSTDIRECTLY)
        client.addParameter("default-graph-uri", data0)
        answer = client.query()
        assert answer.response.status == 200 and answer.convert()


@pytest.mark.parametrize(("name", "offered"), [
    ("query_content_type_select", TABULAR_TYPES), ("query_content_type_ask", BOOLEAN_TYPES),
    ("query_content_type_describe", tuple(RDF_TYPES)), ("query_content_type_construct", tuple(RDF_TYPES))])
def test_each_offered_media_type(server: Endpoint, name: str, offered: tuple[str, ...]) -> None:
    """The query_content_type_* requests with an Accept header for each media type the test allows: that type."""
    [request] = w3c_test(name).requests
    for accept in offered:
        response = send(server, request, extra={"accept": accept})
        assert media_type(response) == accept and meets(request, response) is None, response.text[:300]


def test_relative_iris_resolve_against_the_endpoint(server: Endpoint) -> None:
    """query_content_type_construct's ``CONSTRUCT { <s> <p> 1 }``: one triple, its IRIs resolved against the
    endpoint's URL (the service's base IRI, as update_base_uri expects for updates)."""
    [request] = w3c_test("query_content_type_construct").requests
    [(subject, predicate, _)] = list(rdf_graph(send(server, request, extra={"accept": "application/n-triples"})))
    assert (str(subject), str(predicate)) == (server.base + "/s", server.base + "/p")


def test_multiple_dataset_with_encoded_ampersand(server: Endpoint) -> None:
    """Another revision of the manifest (e.g. w3c/rdf-tests 0198f458) writes query_multiple_dataset's URL
    with a percent-encoded ``&`` between its two named-graph-uri
    (``…data1.rdf%26named-graph-uri%3D…``): one named graph, of a name the store does not hold. That graph is empty
    (SPARQL 1.1 Protocol; Oxigraph's server does the same), not an error: 200 and false."""
    [request] = w3c_test("query_multiple_dataset").requests
    encoded = replace(request, path=request.path.replace("&named-graph-uri=", "%26named-graph-uri%3D"))
    assert encoded.url_parameters["named-graph-uri"] == [
        "http://kasei.us/2009/09/sparql/data/data1.rdf&named-graph-uri=http://kasei.us/2009/09/sparql/data/data2.rdf"]
    response = send(server, encoded)
    assert response.status_code == 200 and boolean_value(response) is False


UPDATE_REQUESTS = [(t.name, n, r) for t in TESTS for n, r in enumerate(t.requests) if r.is_update]


@pytest.mark.parametrize(("name", "number", "request_"), UPDATE_REQUESTS,
                         ids=[f"{name}-{number}" for name, number, _ in UPDATE_REQUESTS])
def test_update_without_token_is_refused(update_server: Endpoint, name: str, number: int,
                                         request_: W3CRequest) -> None:
    """Every update request of the suite, without the bearer token, on the update-enabled server: 4xx (401 for a
    well-formed one) and nothing written."""
    response = send(update_server, request_, auth=False)
    assert 400 <= response.status_code < 500 and error_code(response)
    assert data_intact(update_server)


def test_update_dataset_as_using_clauses(update_server: Endpoint) -> None:
    """The four update_dataset_* updates with their protocol dataset written as USING / USING NAMED in the update
    text instead (CLEAR/DROP ALL replaced as for the policy), sent as one request of four updates: each test's
    own ASK is true."""
    texts, asks = [], []
    for name in (n for n in TEST_NAMES if n.startswith("update_dataset_")):
        first, ask = w3c_test(name).requests
        parameters = first.url_parameters
        using = [f"USING <{g}>" for g in parameters.get("using-graph-uri", [])]
        using += [f"USING NAMED <{g}>" for g in parameters.get("using-named-graph-uri", [])]
        text = without_wipe(first).update_text or ""
        assert text.count("\nWHERE {") == 1
        texts.append(text.replace("\nWHERE {", "\n" + " ".join(using) + "\nWHERE {"))
        asks.append(ask)
    assert len(texts) == 4
    response = update(update_server, " ;\n".join(texts))
    assert response.status_code == 204, response.text
    for ask in asks:
        assert meets(ask, send(update_server, ask)) is None
    assert data_intact(update_server)


@pytest.mark.parametrize("operation", ["CLEAR", "DROP"])
def test_clear_of_missing_graph_is_a_client_error(update_server: Endpoint, operation: str) -> None:
    """``CLEAR GRAPH <g>`` / ``DROP GRAPH <g>`` of a missing graph fails (SPARQL 1.1 Update, unless SILENT) as a
    client error, never a 500 (a server bug found while encoding the suite, fixed)."""
    response = update(update_server, f"{operation} GRAPH <http://example.org/protocol-never-created/>")
    assert response.status_code == 204 or (400 <= response.status_code < 500 and error_code(response))


def test_protocol_default_graph_alone_leaves_no_named_graphs(server: Endpoint) -> None:
    """A protocol dataset of default-graph-uri only has no named graphs: ``GRAPH ?g`` matches nothing (a server
    bug found while encoding the suite, fixed)."""
    data1 = quote("http://kasei.us/2009/09/sparql/data/data1.rdf", safe="")
    response = httpx.post(f"{server.sparql}?default-graph-uri={data1}", content=b"ASK { GRAPH ?g { ?s ?p ?o } }",
                          headers={"content-type": "application/sparql-query"}, timeout=60)
    assert response.status_code == 200 and boolean_value(response) is False
