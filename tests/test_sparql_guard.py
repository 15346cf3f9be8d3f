"""The guard refuses SERVICE, LOAD and FROM unknown graphs by token, not by substring."""

from __future__ import annotations

import pytest

from evalgraph import sparql_guard
from evalgraph.errors import QueryError, UnsafeQueryError
from evalgraph.store import OxigraphStore

KNOWN = {"https://w3id.org/evalgraph/graph/kb"}


@pytest.mark.parametrize(
    "query, line",
    [
        ("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", 1),
        ("SELECT *\nWHERE {\n  service silent <http://example.org/sparql> { ?s ?p ?o } }", 3),
        ("PREFIX ex: <http://example.org/>\nSELECT * WHERE { SeRvIcE ex:endpoint { ?s ?p ?o } }", 2),
    ],
)
def test_service_refused_with_line(query: str, line: int) -> None:
    with pytest.raises(UnsafeQueryError) as caught:
        sparql_guard.check(query, KNOWN)
    assert caught.value.key == "unsafe_service" and caught.value.params["line"] == line


def test_load_refused() -> None:
    with pytest.raises(UnsafeQueryError, match="LOAD is refused"):
        sparql_guard.check("LOAD <file:///etc/passwd> INTO GRAPH <http://x/>", KNOWN)


@pytest.mark.parametrize(
    "query",
    [
        'SELECT * WHERE { ?s ?p "SERVICE" }',
        "SELECT * WHERE { ?s ?p '''LOAD\nSERVICE''' }",
        "SELECT ?service WHERE { ?service ?p ?o }",
        "PREFIX ex: <http://example.org/>\nSELECT * WHERE { ?s ex:service ?o }",
        "# SERVICE <http://example.org/> in a comment\nSELECT * WHERE { ?s ?p ?o }",
        "SELECT * WHERE { ?s <http://example.org/SERVICE> ?o }",
        "SELECT * FROM <https://w3id.org/evalgraph/graph/kb> WHERE { ?s ?p ?o }",
        "SELECT * FROM NAMED <https://w3id.org/evalgraph/graph/kb> WHERE { GRAPH ?g { ?s ?p ?o } }",
    ],
)
def test_harmless_queries_pass(query: str) -> None:
    sparql_guard.check(query, KNOWN)


def test_from_unknown_graph_refused() -> None:
    with pytest.raises(UnsafeQueryError, match="not in the store"):
        sparql_guard.check("SELECT * FROM <http://example.org/remote.ttl> WHERE { ?s ?p ?o }", KNOWN)


def test_from_named_unknown_graph_refused() -> None:
    with pytest.raises(UnsafeQueryError, match="not in the store"):
        sparql_guard.check("SELECT * FROM NAMED <file:///etc/passwd> WHERE { ?s ?p ?o }", KNOWN)


def test_from_prefixed_name_refused() -> None:
    with pytest.raises(UnsafeQueryError, match="full IRI"):
        sparql_guard.check("PREFIX g: <https://w3id.org/evalgraph/graph/>\nSELECT * FROM g:kb WHERE { ?s ?p ?o }", KNOWN)


@pytest.mark.parametrize(
    "text, kind",
    [
        ("PREFIX ex: <http://e/> SELECT * WHERE { ?s ?p ?o }", "query"),
        ("ASK { ?s ?p ?o }", "query"),
        ("PREFIX ex: <http://e/> INSERT DATA { ex:a ex:b ex:c }", "update"),
        ("DROP ALL", "update"),
        ("", "unknown"),
    ],
)
def test_operation_kind(text: str, kind: str) -> None:
    assert sparql_guard.operation_kind(text) == kind


def test_store_refuses_service_before_any_network_call(memory_store: OxigraphStore) -> None:
    # 192.0.2.0/24 is reserved for documentation: a real call would hang or fail with a network error.
    with pytest.raises(UnsafeQueryError):
        memory_store.query("SELECT * WHERE { SERVICE <http://192.0.2.1/sparql> { ?s ?p ?o } }")


def test_store_query_refuses_updates(memory_store: OxigraphStore) -> None:
    with pytest.raises(QueryError, match="SPARQL Update"):
        memory_store.query("INSERT DATA { <http://e/a> <http://e/b> <http://e/c> }")
    assert memory_store.count() == 0


def test_using_clauses_go_before_the_where_of_modify_operations_only() -> None:
    update = ('INSERT { GRAPH <urn:r> { ?s <urn:p> "WHERE" } } WHERE { ?s ?p ?o } ; '
              'DELETE WHERE { ?s <urn:x> ?o } ; INSERT DATA { <urn:a> <urn:b> <urn:c> }')
    rewritten = sparql_guard.with_using(update, ["urn:g1"], ["urn:g2"])
    assert rewritten == ('INSERT { GRAPH <urn:r> { ?s <urn:p> "WHERE" } } USING <urn:g1> USING NAMED <urn:g2> WHERE '
                         '{ ?s ?p ?o } ; DELETE WHERE { ?s <urn:x> ?o } ; INSERT DATA { <urn:a> <urn:b> <urn:c> }')
    with pytest.raises(UnsafeQueryError) as conflict:
        sparql_guard.with_using("WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", ["urn:g1"], [])
    assert conflict.value.key == "using_conflict"
