"""Every data file parses; every query parses and carries its header; every evalgraph term used is declared."""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

from evalgraph import resources
from evalgraph.store.oxigraph import ONTOLOGY_GRAPH, OxigraphStore

TURTLE_FILES = [f for kind in ("ontology", "kb", "catalogue", "shapes") for f in resources.files(kind, ".ttl")]
QUERY_FILES = resources.files("queries", ".rq")
EG = "https://w3id.org/evalgraph/ontology/"
EGV = "https://w3id.org/evalgraph/vocab/"


def test_data_folders_are_found() -> None:
    for kind in ("ontology", "kb", "catalogue"):
        assert resources.files(kind, ".ttl"), f"no Turtle files found for {kind}"
    assert resources.names("queries")


@pytest.mark.parametrize("path", TURTLE_FILES, ids=lambda p: str(p.relative_to(resources.root())))
def test_turtle_parses_with_both_parsers(path: Path) -> None:
    assert list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
    assert len(rdflib.Graph().parse(path, format="turtle")) > 0


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda p: p.name)
def test_query_parses_and_has_header(path: Path, memory_store: OxigraphStore) -> None:
    text = path.read_text(encoding="utf-8")
    for key in ("title_fr", "title_en", "description"):
        assert re.search(rf"^#\+ {key}: \S", text, re.M), f"{path.name} lacks '#+ {key}:'"
    memory_store.query(text)  # parses and evaluates on an empty store


def _declared_terms(store: OxigraphStore) -> set[str]:
    result = store.query(
        f"SELECT DISTINCT ?term WHERE {{ GRAPH <{ONTOLOGY_GRAPH}> {{ ?term a ?type }} }}"
    )
    return {row[0].value for row in result.rows}  # type: ignore[union-attr]


def _terms_in_text(text: str) -> set[str]:
    prefixes = dict(re.findall(r"(?im)^\s*@?prefix\s+(\w*):\s*<([^>]+)>", text))
    found = set(re.findall(r"<(https://w3id\.org/evalgraph/(?:ontology|vocab)/[^>]+)>", text))
    for prefix, namespace in prefixes.items():
        if namespace in (EG, EGV):
            found |= {namespace + local for local in re.findall(rf"(?<![\w:]){prefix}:([A-Za-z][\w\-]*)", text)}
    return found


def test_every_evalgraph_term_used_anywhere_is_declared(builtin_store: OxigraphStore) -> None:
    declared = _declared_terms(builtin_store)
    files = TURTLE_FILES + QUERY_FILES
    undeclared = {
        f"{path.name}: {term}"
        for path in files
        for term in _terms_in_text(path.read_text(encoding="utf-8"))
        if term not in declared and not term.startswith(EG + "0.")
    }
    assert not undeclared, sorted(undeclared)


def test_term_extraction_sees_prefixed_and_full_iris() -> None:
    text = "PREFIX eg: <https://w3id.org/evalgraph/ontology/>\nSELECT * { ?s eg:foo <https://w3id.org/evalgraph/vocab/bar> }"
    assert _terms_in_text(text) == {EG + "foo", EGV + "bar"}
