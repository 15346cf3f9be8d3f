"""The named query library: headers, listing, typed parameters bound (never pasted), clear errors."""

from __future__ import annotations

import re

import pyoxigraph as ox
import pytest

from evalgraph import resources
from evalgraph.errors import UsageError
from evalgraph.store import queries
from evalgraph.store.oxigraph import OxigraphStore


def test_every_named_query_has_a_complete_header() -> None:
    for named in queries.catalogue():
        assert named.title_fr and named.title_en and named.title_fr != named.name, named.name
        assert named.description, named.name
        assert named.columns, named.name
        for parameter in named.parameters:
            assert f"?{parameter.name}" in named.text or f"${parameter.name}" in named.text, (named.name, parameter)


def test_header_parsing() -> None:
    text = "#+ title_fr: T\n#+ title_en: T\n#+ parameters: technology (IRI); since (date) = 2024-01-01\nSELECT * {}"
    named = queries.parse("x", text)
    assert named.parameters == (queries.Parameter("technology", "IRI"), queries.Parameter("since", "date", "2024-01-01"))
    with pytest.raises(ValueError, match=re.escape("malformed parameter 'n (colour)'")):
        queries.parse("bad", "#+ parameters: n (colour)\nSELECT * {}")


@pytest.mark.parametrize(
    ("kind", "value", "expected"),
    [
        ("IRI", "egr:tech-boneview", ox.NamedNode("https://w3id.org/evalgraph/id/tech-boneview")),
        ("IRI", "https://example.org/x", ox.NamedNode("https://example.org/x")),
        ("string", 'a "quoted" } value', ox.Literal('a "quoted" } value')),
        ("integer", "42", ox.Literal("42", datatype=ox.NamedNode(queries.XSD + "integer"))),
        ("decimal", "0.5", ox.Literal("0.5", datatype=ox.NamedNode(queries.XSD + "decimal"))),
        ("date", "2024-02-29", ox.Literal("2024-02-29", datatype=ox.NamedNode(queries.XSD + "date"))),
        ("boolean", "TRUE", ox.Literal("true", datatype=ox.NamedNode(queries.XSD + "boolean"))),
    ],
)
def test_values_become_typed_terms(kind: str, value: str, expected: ox.NamedNode | ox.Literal) -> None:
    assert queries.term(queries.Parameter("p", kind), value) == expected


@pytest.mark.parametrize(
    ("kind", "value"),
    [("IRI", "not an iri"), ("IRI", "egr:"), ("integer", "4.2"), ("decimal", "NaN"), ("date", "2023-02-29"),
     ("boolean", "yes")],
)
def test_wrong_values_are_refused(kind: str, value: str) -> None:
    with pytest.raises(UsageError) as caught:
        queries.term(queries.Parameter("p", kind), value, "q")
    assert caught.value.key == "bad_parameter" and f"takes {kind} values" in caught.value.render()


def test_unknown_parameter_lists_the_expected_ones() -> None:
    named = queries.load("technology-facts")
    with pytest.raises(UsageError) as caught:
        queries.bind(named, {"tech": "egr:x"})
    assert "its parameters: technology (IRI)" in caught.value.render()
    assert "ses paramètres : technology (IRI)" in caught.value.render("fr")


def test_a_string_parameter_cannot_change_the_query(builtin_store: OxigraphStore) -> None:
    named = queries.parse("probe", '#+ parameters: name (string)\nSELECT ?t ?name WHERE { ?t <http://www.w3.org/2000/'
                                   '01/rdf-schema#label> ?name }')
    hostile = '"} UNION { ?t ?p ?o } #'
    result = builtin_store.query(named.text, queries.bind(named, {"name": hostile}))
    assert result.rows == []
    boneview = builtin_store.query(named.text, queries.bind(named, {"name": "BoneView"}))
    assert boneview.rows == []  # labels are language-tagged: a plain string matches nothing, as in SPARQL
    assert queries.bind(named, {"name": hostile})["name"] == ox.Literal(hostile)


def test_cli_list_and_params(run_cli) -> None:
    listing = run_cli("query", "--list")
    assert listing.exit_code == 0
    for name in resources.names("queries"):
        assert name in listing.stdout
    facts = run_cli("query", "technology-facts", "--param", "technology=egr:tech-nabla", "--format", "csv")
    assert facts.exit_code == 0
    assert all(line.startswith("https://w3id.org/evalgraph/id/tech-nabla,") for line in facts.stdout.splitlines()[1:])
    wrong = run_cli("query", "technology-facts", "--param", "tech=egr:x")
    assert wrong.exit_code == 2 and "its parameters: technology (IRI)" in wrong.stderr
    assert run_cli("query", "technology-facts", "--param", "novalue").exit_code == 2
    assert run_cli("query", "SELECT * WHERE { ?s ?p ?o } LIMIT 1", "--param", "a=b").exit_code == 2
    assert run_cli("query").exit_code == 2
