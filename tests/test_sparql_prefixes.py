"""Predeclared prefixes (queries/prefixes.ttl) and readable syntax errors: a query may use eg:, egr:, egg:, rdfs:…
undeclared, on the endpoint and in ``evalgraph query``; they go through the guard's one parse and open no hole (a
redefined prefix, a predeclared one inside SERVICE, FROM, LOAD or a write to a built-in graph are refused as
before; a generated query gets the same verdict with or without the declarations it can drop); a malformed query
gets the line and column in the user's text and a hint, in English and French."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
import rdflib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evalgraph import vocab
from evalgraph.errors import EvalgraphError, QuerySyntaxError, ReservedGraphError, UnsafeQueryError
from evalgraph.store import guard as sparql_guard
from evalgraph.store import prefixes
from evalgraph.store.oxigraph import RESERVED_GRAPHS
from tests import serving
from tests.attacks import BUILT_IN, PROLOGUE, built_in_writes, from_queries, service_queries

if TYPE_CHECKING:
    from starlette.testclient import TestClient

KNOWN = frozenset({"https://w3id.org/evalgraph/graph/kb", BUILT_IN, "urn:x:g"})
URL = "http://127.0.0.1:9/"


def _verdict(check: object) -> tuple[str, str]:
    """("accepted", canonical text) or (error class, message key)."""
    try:
        result = check()  # type: ignore[operator]
    except EvalgraphError as exc:
        return type(exc).__name__, exc.key
    return "accepted", result.text if hasattr(result, "text") else str(result)


# ------------------------------------------------------------------------------------------------- the list itself
def test_the_list_is_data_and_covers_evalgraphs_namespaces() -> None:
    declared = prefixes.predeclared()
    for name, namespace in vocab.PREFIXES.items():
        assert declared[name] == namespace, name
    for name in ("eg", "egv", "egr", "egg", "egsh", "egf", "rdf", "rdfs", "owl", "xsd", "skos", "dct", "prov", "foaf"):
        assert name in declared
    assert {p.name for p in prefixes.declarations() if dict(p.comment).get("en")} >= {"eg", "egv", "egr", "egg"}


def test_predeclared_prefixes_expand_and_a_query_keeps_its_own() -> None:
    text = sparql_guard.check_query("SELECT ?t WHERE { ?t a eg:DigitalTechnology ; rdfs:label ?l }", KNOWN).text
    assert "<https://w3id.org/evalgraph/ontology/DigitalTechnology>" in text
    own = sparql_guard.check_query("PREFIX eg: <http://example.org/>\nSELECT * WHERE { ?t a eg:X }", KNOWN).text
    assert "<http://example.org/X>" in own and "w3id.org" not in own


# ---------------------------------------------------------------------------------------------------- no new hole
@pytest.mark.parametrize(("query", "key"), [
    (f"PREFIX eg: <{URL}>\nSELECT * WHERE {{ SERVICE eg:sparql {{ ?s ?p ?o }} }}", "unsafe_service"),
    ("PREFIX eg: <http://example.org/>\nSELECT * WHERE { SERVICE eg: { ?s ?p ?o } }", "unsafe_service"),
    ("SELECT * WHERE { SERVICE egr:endpoint { ?s ?p ?o } }", "unsafe_service"),
    ("SELECT * WHERE { ?s rdfs:label ?l . OPTIONAL { SERVICE SILENT eg: { ?s ?p ?o } } }", "unsafe_service"),
    ("PREFIX eg: <file:///etc/>\nSELECT * FROM eg:passwd WHERE { ?s ?p ?o }", "unknown_from_graph"),
    ("PREFIX egg: <http://127.0.0.1:9/graph/>\nSELECT * FROM NAMED egg:ontology WHERE { ?s ?p ?o }",
     "unknown_from_graph"),
    ("SELECT * FROM egr:tech-boneview WHERE { ?s ?p ?o }", "unknown_from_graph"),
])
def test_predeclared_or_redefined_prefixes_open_no_hole(query: str, key: str) -> None:
    with pytest.raises(UnsafeQueryError) as refused:
        sparql_guard.check_query(query, KNOWN)
    assert refused.value.key == key


@pytest.mark.parametrize(("update", "error", "key"), [
    ("DROP GRAPH egg:ontology", ReservedGraphError, "update_reserved_graph"),
    ("CLEAR GRAPH egg:kb", ReservedGraphError, "update_reserved_graph"),
    ("WITH egg:ontology DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", ReservedGraphError, "update_reserved_graph"),
    ("INSERT DATA { GRAPH egg:ontology { eg:a eg:b eg:c } }", ReservedGraphError, "update_reserved_graph"),
    ("LOAD egr:data", UnsafeQueryError, "unsafe_load"),
    ("PREFIX eg: <file:///etc/>\nLOAD eg:passwd INTO GRAPH <urn:x:g>", UnsafeQueryError, "unsafe_load"),
    (f"PREFIX eg: <{URL}>\nINSERT {{ GRAPH <urn:x:g> {{ ?s ?p ?o }} }} WHERE {{ SERVICE eg: {{ ?s ?p ?o }} }}",
     UnsafeQueryError, "unsafe_service"),
])
def test_updates_with_predeclared_prefixes_are_refused_as_before(update: str, error: type[EvalgraphError],
                                                                 key: str) -> None:
    with pytest.raises(error) as refused:
        sparql_guard.check_update(update, KNOWN, RESERVED_GRAPHS | {BUILT_IN})
    assert refused.value.key == key


def _undeclared(text: str) -> str:
    """``text`` without the declarations of prefixes evalgraph predeclares with the same namespace."""
    declared = prefixes.predeclared()
    lines = text.split("\n")
    kept = [line for line in lines
            if not any(line.strip() == f"PREFIX {p}: <{ns}>" for p, ns in declared.items())]
    return "\n".join(kept)


GENERATED = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))


@GENERATED
@given(data=st.data())
def test_generated_queries_get_the_same_verdict_with_or_without_their_prefixes(data: st.DataObject) -> None:
    query = data.draw(st.one_of(service_queries(URL), from_queries(URL),
                                st.sampled_from(["SELECT * WHERE { ?s rdfs:label ?l }",
                                                 "ASK { ?s ?p \"1\"^^xsd:integer }"]).map(lambda q: PROLOGUE + q)))
    bare = _undeclared(query)
    assert bare != query
    assert _verdict(lambda: sparql_guard.check_query(bare, KNOWN)) == _verdict(
        lambda: sparql_guard.check_query(query, KNOWN))


@GENERATED
@given(data=st.data())
def test_generated_writes_get_the_same_verdict_through_egg(data: st.DataObject) -> None:
    update = data.draw(built_in_writes())
    declaration = "PREFIX g: <https://w3id.org/evalgraph/graph/>\n"
    if declaration not in update:
        update = update.replace(f"<{BUILT_IN}>", "g:ontology")
        update = declaration + update if "g:ontology" in update else update
    bare = update.replace(declaration, "").replace("g:ontology", "egg:ontology")
    reserved = RESERVED_GRAPHS | {BUILT_IN}
    assert _verdict(lambda: sparql_guard.check_update(bare, KNOWN, reserved)) == _verdict(
        lambda: sparql_guard.check_update(update, KNOWN, reserved))


# ------------------------------------------------------------------------------------------ readable syntax errors
@pytest.mark.parametrize(("query", "key", "params", "en", "fr"), [
    ("SELEC * WHERE { ?s ?p ?o }", "syntax_unexpected", {"line": 1, "column": 1},
     "did you mean SELECT?", "vouliez-vous dire SELECT ?"),
    ("SELECT *\nWHERE { ?s ?p ?o }\n  LIMT 3", "syntax_unexpected", {"line": 3, "column": 3},
     "did you mean LIMIT?", "vouliez-vous dire LIMIT ?"),
    ("SELECT * WHERE {\n  ?s foo:bar ?o }", "syntax_unknown_prefix", {"line": 2, "column": 6},
     "declare it with PREFIX foo: <…>", "déclarez-le avec PREFIX foo: <…>"),
    ("SELECT * WHERE { ?s egrr:x ?o }", "syntax_unknown_prefix", {"line": 1, "column": 21},
     "did you mean egr:?", "vouliez-vous dire egr: ?"),
    ("# a comment\nSELECT * WHERE {\n  ?s ?p ?o .\n", "syntax_unexpected_end", {"line": 3},
     "the '{' at line 2, column 16 is never closed", "le « { » de la ligne 2, colonne 16 n'est jamais fermé"),
])
def test_syntax_errors_name_the_users_line_and_column_with_a_hint(query: str, key: str, params: dict[str, int],
                                                                  en: str, fr: str) -> None:
    with pytest.raises(QuerySyntaxError) as refused:
        sparql_guard.check_query(query, KNOWN)
    error = refused.value
    assert error.key == key and error.code == "malformed_query"
    assert {name: error.params[name] for name in params} == params
    assert en in error.render("en") and fr in error.render("fr")
    for shown in (error.render("en"), error.render("fr")):
        assert "Expected" not in shown and "\\u" not in shown and "char " not in shown and len(shown) < 300


def test_a_cli_query_uses_predeclared_prefixes_and_a_bad_one_exits_2(run_cli) -> None:
    found = run_cli("query", "SELECT ?p WHERE { ?p a eg:EvaluationPathway }", "--format", "csv")
    assert found.exit_code == 0, found.stderr
    assert "pathway-pecan" in found.stdout
    bad = run_cli("query", "SELECT ?p WHERE {\n ?p a eg:EvaluationPathway }\nORDR BY ?p")
    assert bad.exit_code == 2
    assert "line 3, column 1" in bad.stderr and "did you mean ORDER?" in bad.stderr and "Expected" not in bad.stderr
    french = run_cli("--lang", "fr", "query", "SELECT ?p WHERE { ?p a xx:Thing }")
    assert french.exit_code == 2 and "préfixe inconnu « xx: »" in french.stderr


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    with serving.in_process(tmp_path_factory.mktemp("prefixes")) as running:
        yield running


def test_the_endpoint_predeclares_prefixes_and_says_so(client: TestClient) -> None:
    answer = client.get("/sparql", params={"query": "ASK { egr:pathway-pecan a eg:EvaluationPathway }"})
    assert answer.status_code == 200 and answer.json()["boolean"] is True
    description = client.get("/sparql", headers={"accept": "text/turtle"})
    graph = rdflib.Graph().parse(data=description.text, format="turtle")
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    declared = {str(graph.value(node, sh.prefix)): str(graph.value(node, sh.namespace))
                for node in graph.objects(rdflib.URIRef(serving.BASE + "/sparql"), sh.declare)}
    assert declared == prefixes.predeclared()
    assert any("without declaring them" in str(c) for c in graph.objects(None, rdflib.RDFS.comment))


def test_the_endpoint_answers_a_malformed_query_with_400_and_a_short_message(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": "SELECT * WHERE {\n  ?s ?p ?o }\nLIMT 3"})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "malformed_query"
    assert error["message"] == "SPARQL syntax error at line 3, column 1: unexpected 'LIMT' — did you mean LIMIT?"


@pytest.mark.parametrize(("query", "line", "en", "fr"), [
    ("SELECT ?x (COUNT(*) AS ?n)\nWHERE { ?x ?p ?o }\nGROUP BY ?p", 3, "neither grouped (GROUP BY) nor aggregated",
     "ni groupée (GROUP BY) ni agrégée"),
    ("SELECT (1 AS ?x) (2 AS ?x) WHERE {}", 1, "a variable is selected twice", "sélectionnée deux fois"),
    ("SELECT *\nWHERE { ?s ?p ?o }\nGROUP BY ?s", 3, "SELECT * cannot be used with GROUP BY", "SELECT * ne peut pas"),
])
def test_what_only_oxigraph_refuses_is_explained_too(query: str, line: int, en: str, fr: str) -> None:
    """rdflib accepts these; Oxigraph, which runs the query, does not: its refusal comes from the guard, in the
    user's lines, without Oxigraph's grammar dump (lists of Unicode ranges)."""
    with pytest.raises(QuerySyntaxError) as refused:
        sparql_guard.check_query(query, KNOWN)
    error = refused.value
    assert error.key == "syntax_engine" and error.params["line"] == line
    assert en in error.render("en") and fr in error.render("fr")
    assert "\\u{" not in error.render("en") and "expected" not in error.render("en")
