"""The guard decides on parsed structure: the attacks that talked the old token guard past SERVICE, LOAD and CLEAR
ALL, a generated corpus of hidden ones (with Oxigraph, run unguarded, as the oracle that each attack is real), the
canonical text, and no false refusal of harmless text."""

from __future__ import annotations

from collections.abc import Iterator

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evalgraph.errors import EvalgraphError, QueryError, QuerySyntaxError, ReservedGraphError, UnsafeQueryError
from evalgraph.store import guard as sparql_guard
from evalgraph.store.canonical import canonical
from evalgraph.store.oxigraph import RESERVED_GRAPHS, OxigraphStore
from tests.attacks import BUILT_IN, ORACLE_DATA, Listener, built_in_writes, from_queries, load_updates, service_queries

KNOWN = frozenset({"https://w3id.org/evalgraph/graph/kb", BUILT_IN, "urn:x:g", "urn:x:empty"})
BASE = "http://localhost/sparql"
ORACLE: dict[str, list[bool]] = {"service": [], "load": [], "built-in": []}
"""For each generated attack: did it really connect / change a built-in graph when run unguarded?"""


@pytest.fixture(scope="module")
def listener() -> Iterator[Listener]:
    listening = Listener()
    yield listening
    listening.close()


# ---------------------------------------------------------------------------------------- hand-picked attacks
@pytest.mark.parametrize("query", [
    "SELECT * WHERE { #x\rSERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\nSELECT * { ?s rdfs:label?o.SERVICE<http://127.0.0.1:9/>{?a ?b ?c} }",
    "SELECT * { ?s ?p true.SERVICE SILENT <http://127.0.0.1:9/> { ?a ?b ?c } }",
    "SELECT * { ?s ?p 'x'@en.SERVICE <http://127.0.0.1:9/> { ?a ?b ?c } }",
    "SELECT * { ?s ?p 1e1.SERVICE <http://127.0.0.1:9/> { ?a ?b ?c } }",
    "SELECT * { ?s ?p ?o FILTER EXISTS { \\u0053ERVICE <http://127.0.0.1:9/> { ?a ?b ?c } } }",
    "SELECT * { { SELECT * { OPTIONAL { SERVICE <http://127.0.0.1:9/> { ?a ?b ?c } } } } }",
    "BASE <http://127.0.0.1:9/>\nSELECT * { SERVICE <sparql> { ?a ?b ?c } }",
    "SELECT * WHERE { ?s ?p \"\\u0022 . SERVICE <http://127.0.0.1:9/> { ?a ?b ?c } }",
])
def test_the_reported_service_bypasses_are_refused(query: str) -> None:
    with pytest.raises(UnsafeQueryError) as refused:
        sparql_guard.check_query(query, KNOWN, base_iri=BASE)
    assert refused.value.key == "unsafe_service"


@pytest.mark.parametrize(("query", "line"), [
    ("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", 1),
    ("SELECT *\nWHERE {\n  service silent <http://example.org/sparql> { ?s ?p ?o } }", 3),
    ("SELECT *\r#x\rWHERE {\r  SERVICE <http://example.org/sparql> { ?s ?p ?o } }", 4),
])
def test_refusals_name_the_line(query: str, line: int) -> None:
    with pytest.raises(UnsafeQueryError) as refused:
        sparql_guard.check_query(query, KNOWN)
    assert refused.value.params["line"] == line


@pytest.mark.parametrize(("update", "error", "key"), [
    ("#x\rLOAD <http://127.0.0.1:9/data.ttl>", UnsafeQueryError, "unsafe_load"),
    ("CLEAR #x\rALL", ReservedGraphError, "update_all_graphs"),
    ("DROP\r\nNAMED", ReservedGraphError, "update_all_graphs"),
    ("PREFIX g: <https://w3id.org/evalgraph/graph/>\nDROP GRAPH g:ontology", ReservedGraphError, "update_reserved_graph"),
    ("BASE <https://w3id.org/evalgraph/graph/>\nCLEAR GRAPH <ontology>", ReservedGraphError, "update_reserved_graph"),
    ("PREFIX e: <https://w3id.org/evalgraph/>\nCLEAR GRAPH e:graph\\/ontology", ReservedGraphError,
     "update_reserved_graph"),
    ("DELETE { GRAPH ?g { ?s ?p ?o } } WHERE { BIND(IRI(\"https://w3id.org/evalgraph/graph/ontology\") AS ?g) "
     "GRAPH ?g { ?s ?p ?o } }", ReservedGraphError, "update_variable_graph"),
    ("WITH <https://w3id.org/evalgraph/graph/ontology> INSERT { <urn:a> <urn:b> ?o } WHERE { ?s ?p ?o }",
     ReservedGraphError, "update_reserved_graph"),
    ("MOVE <https://w3id.org/evalgraph/graph/ontology> TO <urn:x:g>", ReservedGraphError, "update_reserved_graph"),
    ("INSERT { GRAPH <urn:x:g> { ?s ?p ?o } } WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
     UnsafeQueryError, "unsafe_service"),
    ("INSERT { GRAPH <urn:x:g> { ?s ?p ?o } } USING <http://127.0.0.1:9/g> WHERE { ?s ?p ?o }",
     UnsafeQueryError, "unknown_from_graph"),
])
def test_the_reported_update_bypasses_are_refused(update: str, error: type[EvalgraphError], key: str) -> None:
    with pytest.raises(error) as refused:
        sparql_guard.check_update(update, KNOWN, RESERVED_GRAPHS, base_iri=BASE)
    assert refused.value.key == key


def test_protocol_using_graphs_become_clauses_never_pasted_text() -> None:
    injected = "urn:x:g> { } ; INSERT DATA { GRAPH <https://w3id.org/evalgraph/graph/ontology> { <urn:a> <urn:b> 1 }"
    update = "DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }"
    with pytest.raises(UnsafeQueryError) as refused:
        sparql_guard.check_update(update, KNOWN, RESERVED_GRAPHS, using=[injected])
    assert refused.value.key == "bad_protocol_graph"
    text = sparql_guard.check_update("INSERT { GRAPH <urn:x:g> { ?s ?p 1 } } WHERE { ?s ?p ?o } ; "
                                     "DELETE WHERE { GRAPH <urn:x:g> { ?s ?p 2 } }", KNOWN, RESERVED_GRAPHS,
                                     using=["urn:x:empty"], using_named=["urn:x:g"])
    assert text.count("USING <urn:x:empty> USING NAMED <urn:x:g> WHERE") == 1
    with pytest.raises(UnsafeQueryError, match="using-graph-uri"):
        sparql_guard.check_update("WITH <urn:x:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", KNOWN, RESERVED_GRAPHS,
                                  using=["urn:x:empty"])


@pytest.mark.parametrize("query", [
    'SELECT * WHERE { ?s ?p "SERVICE" }',
    "SELECT * WHERE { ?s ?p '''LOAD\nSERVICE''' }",
    "SELECT ?service WHERE { ?service ?p ?o }",
    "PREFIX ex: <http://example.org/>\nSELECT * WHERE { ?s ex:service ?o }",
    "# SERVICE <http://example.org/> in a comment\nSELECT * WHERE { ?s ?p ?o }",
    "SELECT * WHERE { ?s <http://example.org/SERVICE> ?o }",
    "SELECT * FROM <https://w3id.org/evalgraph/graph/kb> WHERE { ?s ?p ?o }",
    "PREFIX g: <https://w3id.org/evalgraph/graph/>\nSELECT * FROM g:kb WHERE { ?s ?p ?o }",
    "SELECT * FROM NAMED <https://w3id.org/evalgraph/graph/kb> WHERE { GRAPH ?g { ?s ?p ?o } }",
    "SELECT * WHERE { ?s <urn:p> * ?o . ?s ( <urn:p> | <urn:q> ) + ?o . ?s a ? ?o }",  # path modifiers, spaced
    "SELECT (COALESCE(?x, 1) AS ?y) (CONCAT(\"a\", 'b') AS ?z) WHERE { ?x ?p ?o FILTER(?o < 3&&?o>=1) }",
])
def test_harmless_queries_pass_and_run(query: str) -> None:
    checked = sparql_guard.check_query(query, KNOWN)
    _drain(ox.Store().query(checked.text))  # Oxigraph accepts the canonical text


@pytest.mark.parametrize(("query", "names_dataset"), [
    ("SELECT * FROM <https://w3id.org/evalgraph/graph/kb> { ?s ?p ?o }", True),
    ("SELECT * { ?s <http://example.org/from> ?o }", False),
])
def test_dataset_clauses_are_read_from_the_algebra(query: str, names_dataset: bool) -> None:
    assert sparql_guard.check_query(query, KNOWN).names_dataset is names_dataset


@pytest.mark.parametrize(("query", "error"), [
    ("SELECT * FROM <http://example.org/remote.ttl> WHERE { ?s ?p ?o }", UnsafeQueryError),
    ("SELECT * FROM NAMED <file:///etc/passwd> WHERE { ?s ?p ?o }", UnsafeQueryError),
    ("SELECT * WHERE { ?s ?p ?o", QuerySyntaxError),
    ("SELECT * WHERE { ?s ?p 'unterminated }", QuerySyntaxError),
    ("SELECT * WHERE { ?s ?p ?o } \f", QuerySyntaxError),
    ("SELECT * WHERE { ?s ex:p ?o }", QuerySyntaxError),
    ("SELECT * WHERE { ?s <relative> ?o }", QuerySyntaxError),
    ("SELECT * WHERE { ?s ?p ?o FILTER(?o<3&&?o>1) }", QuerySyntaxError),  # the spec reads <3&&?o> as an IRI
    ("SELECT * " + "{" * 300 + "}" * 300, QuerySyntaxError),
    ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", QueryError),
])
def test_what_cannot_be_checked_is_refused(query: str, error: type[EvalgraphError]) -> None:
    with pytest.raises(error):
        sparql_guard.check_query(query, KNOWN)


def test_canonical_text_has_no_comment_prefix_base_or_escape() -> None:
    text = canonical("BASE <http://a.example/b/>\nPREFIX e: <c/>\n# note\rSELECT * { ?s e:x\\.y '\\u00e9\\n' }").text
    assert text == 'SELECT * { ?s <http://a.example/b/c/x.y> "é\\n" }'
    assert canonical(text).text == text  # idempotent


# ------------------------------------------------------------------------------------------ generated corpus
def _oracle_store() -> ox.Store:
    store = ox.Store()
    for graph in (ox.DefaultGraph(), ox.NamedNode("urn:x:g")):
        store.load(ORACLE_DATA.encode(), ox.RdfFormat.TURTLE, to_graph=graph)
    return store


def _drain(result: object) -> object:
    return bool(result) if isinstance(result, ox.QueryBoolean) else list(result)  # type: ignore[call-overload]


def _connects(listener: Listener, run: object) -> bool:
    """Whether ``run()`` connected to the listener (counted exactly once it returns: :class:`Listener`)."""
    before = listener.connections
    try:
        run()  # type: ignore[operator]
    except (SyntaxError, OSError, RuntimeError, ValueError):
        pass
    return listener.connections > before


CORPUS = settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))


@CORPUS
@given(data=st.data())
def test_generated_service_attacks_are_refused(listener: Listener, data: st.DataObject) -> None:
    query = data.draw(service_queries(listener.url))
    really = _connects(listener, lambda: _drain(_oracle_store().query(query, base_iri=BASE)))
    ORACLE["service"].append(really)
    try:
        checked = sparql_guard.check_query(query, KNOWN, base_iri=BASE)
    except (UnsafeQueryError, QuerySyntaxError):
        return
    assert not really, f"accepted an attack that connects: {query!r}"
    assert not _connects(listener, lambda: _drain(ox.Store().query(checked.text))), query


@CORPUS
@given(data=st.data())
def test_generated_from_attacks_are_refused(listener: Listener, data: st.DataObject) -> None:
    query = data.draw(from_queries(listener.url))
    with pytest.raises((UnsafeQueryError, QuerySyntaxError)):
        sparql_guard.check_query(query, KNOWN, base_iri=BASE)


def _scratch() -> ox.Store:
    store = ox.Store()
    for graph in (BUILT_IN, "urn:x:g"):
        store.add(ox.Quad(ox.NamedNode("urn:a"), ox.NamedNode("urn:b"), ox.Literal("1"), ox.NamedNode(graph)))
    return store


def _built_in(store: ox.Store) -> list[ox.Quad]:
    return sorted(store.quads_for_pattern(None, None, None, ox.NamedNode(BUILT_IN)), key=str)


@CORPUS
@given(data=st.data())
def test_generated_load_attacks_are_refused(listener: Listener, data: st.DataObject) -> None:
    update = data.draw(load_updates(listener.url))
    ORACLE["load"].append(_connects(listener, lambda: _scratch().update(update, base_iri=BASE)))
    with pytest.raises((UnsafeQueryError, QuerySyntaxError, ReservedGraphError)):
        sparql_guard.check_update(update, KNOWN, RESERVED_GRAPHS | {BUILT_IN}, base_iri=BASE)


@CORPUS
@given(data=st.data())
def test_generated_writes_to_built_in_graphs_are_refused(data: st.DataObject) -> None:
    update = data.draw(built_in_writes())
    oracle = _scratch()
    before = _built_in(oracle)
    try:
        oracle.update(update, base_iri=BASE)
    except (SyntaxError, OSError, RuntimeError, ValueError):
        pass
    ORACLE["built-in"].append(_built_in(oracle) != before)
    try:
        text = sparql_guard.check_update(update, KNOWN, RESERVED_GRAPHS | {BUILT_IN}, base_iri=BASE)
    except (ReservedGraphError, QuerySyntaxError, UnsafeQueryError):
        return
    store = _scratch()
    store.update(text)
    assert _built_in(store) == before, update


def test_the_generated_corpus_is_large_and_real() -> None:
    """Runs after the generated tests above (file order): at least 200 variants in all, and most of them are real
    attacks — Oxigraph, unguarded, connected to the listener or changed the built-in graph."""
    if not all(ORACLE.values()):
        pytest.fail("run the whole module: the generated tests above fill the oracle's record")
    print("generated attacks (real when run unguarded / generated):",
          {kind: f"{sum(outcomes)}/{len(outcomes)}" for kind, outcomes in ORACLE.items()})
    assert sum(len(v) for v in ORACLE.values()) >= 200
    for kind, outcomes in ORACLE.items():
        assert sum(outcomes) >= len(outcomes) // 3, f"{kind}: only {sum(outcomes)} of {len(outcomes)} are real"


def test_store_refuses_service_before_any_network_call(memory_store: OxigraphStore, listener: Listener) -> None:
    before = listener.connections
    with pytest.raises(UnsafeQueryError):
        memory_store.query(f"SELECT * WHERE {{ #x\rSERVICE <{listener.url}> {{ ?s ?p ?o }} }}")
    assert listener.connections == before


def test_a_refusal_is_remembered_not_recomputed(monkeypatch: pytest.MonkeyPatch) -> None:
    """A costly refused text repeated by an attacker is refused again without being scanned or parsed again."""
    scans: list[str] = []
    scan = sparql_guard._canonical
    monkeypatch.setattr(sparql_guard, "_canonical", lambda text, *args: scans.append(text) or scan(text, *args))
    text = "SELECT * WHERE { " + "a." * 5_000 + "}"
    for _ in range(3):
        with pytest.raises(QuerySyntaxError) as refused:
            sparql_guard.check_query(text, KNOWN)
        assert refused.value.code == "malformed_query" and refused.value.__traceback__ is not None
    assert len(scans) == 1


def _remove_dots_reference(path: str) -> str:
    """RFC 3986 §5.2.4 as the RFC writes it (copying the rest of the path at each step: quadratic, fine here)."""
    output: list[str] = []
    while path:
        if path.startswith("../"):
            path = path[3:]
        elif path.startswith("./") or path.startswith("/./"):
            path = path[2:]
        elif path == "/.":
            path = "/"
        elif path.startswith("/../") or path == "/..":
            path = "/" + path[4:] if path.startswith("/../") else "/"
            if output:
                output.pop()
        elif path in (".", ".."):
            path = ""
        else:
            end = path.find("/", 1 if path.startswith("/") else 0)
            end = len(path) if end < 0 else end
            output.append(path[:end])
            path = path[end:]
    return "".join(output)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["/", ".", "..", "a", "bc", "%2E", "./", "../", "/.", "/.."]), max_size=24))
def test_dot_segments_are_removed_as_rfc_3986_says(parts: list[str]) -> None:
    from evalgraph.store.canonical import _remove_dots

    path = "".join(parts)
    assert _remove_dots(path) == _remove_dots_reference(path)


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet="a.\\:_-%2E", max_size=40))
def test_prefixed_names_never_end_with_a_bare_dot(local: str) -> None:
    """Whatever follows a prefix, the scanner either refuses it or cuts a name that does not end with a bare dot,
    and the canonical text of what it accepts is read the same way a second time (a fixed point)."""
    try:
        text = canonical(f"PREFIX e: <urn:x:> SELECT * WHERE {{ ?s e:{local} ?o }}").text
    except Exception:  # noqa: BLE001 - refusing is always allowed
        return
    assert canonical(text).text == text


def test_long_paths_and_dotted_names_are_cut_in_one_pass() -> None:
    """The inputs that were quadratic (a path of 100,000 segments, a name followed by 200,000 dots) are handled."""
    iri = "http://x/" + "a/" * 100_000
    assert f"<{iri}>" in [t.text for t in canonical(f"SELECT * WHERE {{ <{iri}> ?p ?o }}").tokens]
    with pytest.raises(QuerySyntaxError):
        sparql_guard.check_query("PREFIX e: <urn:x:> SELECT * WHERE { ?s e:a" + "." * 200_000 + " ?o }", KNOWN)


SPARQLISH = st.text(alphabet=list("?$<>\"'#\\\r\n\t .;,:{}()[]^*+-/!|=@_aeSRVICELOADux0123456789%"), max_size=80)


@settings(max_examples=400, deadline=None)
@given(SPARQLISH)
def test_the_scanner_refuses_or_reaches_a_fixed_point(text: str) -> None:
    """On any text, the scanner either refuses it with its own error or gives a canonical form that reads back as
    itself — so the text the guard checked and the text the engine runs cannot drift apart."""
    from evalgraph.store.canonical import CanonicalError

    try:
        once = canonical(text, base_iri="http://base/")
    except CanonicalError:
        return
    assert canonical(once.text).text == once.text
    assert [t.text for t in canonical(once.text).tokens] == [t.text for t in once.tokens]


@settings(max_examples=300, deadline=None)
@given(SPARQLISH)
def test_the_guard_fails_closed_on_any_text(text: str) -> None:
    """Any text is either checked or refused with one of evalgraph's errors — never another exception."""
    try:
        sparql_guard.check_query(text, KNOWN, base_iri="http://base/")
    except EvalgraphError:
        pass
