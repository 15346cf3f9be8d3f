"""The ontology's reference (docs/ontology-reference.md, `evalgraph ontology-doc`) is what the command writes today;
its example queries pass the guard with the predeclared prefixes and run; `evalgraph stats` and `/ontology` count
the ontology's terms with one query and agree; the reference is linked from the READMEs, the pages and IRI pages."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from evalgraph.i18n import message
from evalgraph.ontology import documentation, reference
from evalgraph.store import guard as sparql_guard
from evalgraph.store.oxigraph import OxigraphStore
from tests import serving

if TYPE_CHECKING:
    from starlette.testclient import TestClient

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "docs" / "ontology-reference.md"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    with serving.in_process(tmp_path_factory.mktemp("ontology-reference")) as running:
        yield running


def test_the_committed_reference_is_what_the_command_writes(run_cli, tmp_path: Path) -> None:
    written = tmp_path / "reference.md"
    result = run_cli("ontology-doc", "-o", str(written))
    assert result.exit_code == 0, result.stderr
    assert written.read_text(encoding="utf-8") == REFERENCE.read_text(encoding="utf-8"), (
        "docs/ontology-reference.md is out of date: run `evalgraph ontology-doc -o docs/ontology-reference.md`"
    )


def test_the_reference_lists_every_term_and_the_hierarchy(builtin_store: OxigraphStore) -> None:
    text = reference.markdown(builtin_store)
    groups = documentation.terms(builtin_store)
    for kind, rows in groups.items():
        for row in rows:
            assert f'<a id="{row["term"].replace(":", "-")}"></a>`{row["term"]}`' in text, (kind, row["term"])
    assert "  - [`eg:LegalProvision`](#eg-LegalProvision)" in text  # nested under eg:LegalText
    assert "| `egg:` | `https://w3id.org/evalgraph/graph/` |" in text


def test_every_example_query_passes_the_guard_and_runs(builtin_store: OxigraphStore) -> None:
    groups = documentation.terms(builtin_store)
    main = documentation.main_classes(groups)
    assert len(main) >= 10 and "eg:DigitalTechnology" in {row["term"] for row, _ in main}
    answered = 0
    for row, properties in main:
        query = documentation.example(row["term"], properties)
        assert "PREFIX" not in query
        sparql_guard.check_query(query, builtin_store.graph_iris())
        answered += bool(len(builtin_store.query(query)))
    assert answered >= 5


def test_stats_and_the_ontology_page_count_the_same_terms(run_cli, client: TestClient) -> None:
    stats = run_cli("stats", "--format", "json")
    assert stats.exit_code == 0, stats.stderr
    counts = json.loads(stats.stdout)["counts"]
    page = client.get("/ontology", params={"lang": "en"}, headers={"accept": "text/html"}).text
    for kind, measure in documentation.MEASURES.items():
        shown = re.search(re.escape(message(f"page_ontology_kind_{kind}", "en")) + r" \((\d+)\)", page)
        assert shown is not None, kind
        assert int(shown.group(1)) == counts[measure], (kind, measure)
    assert page.count('<tr id="eg:') == sum(counts[m] for m in documentation.MEASURES.values())


def test_pages_link_to_the_reference(client: TestClient) -> None:
    page = client.get("/ontology", headers={"accept": "text/html"}).text
    assert 'class="site-nav"' in page and 'href="/ontology"' in page
    assert "<details class=\"example\">" in page and "/sparql?query=" in page
    term = client.get("/ontology/EvaluationPathway", headers={"accept": "text/html"}).text
    assert 'id="ontology-reference" href="/ontology#eg:EvaluationPathway"' in term
    individual = client.get("/id/pathway-pecan", headers={"accept": "text/html"}).text
    assert 'id="ontology-reference" href="/ontology"' in individual
    assert 'href="/ontology#eg:EvaluationPathway"' in individual  # its class's entry (rdf:type)
    ui = client.get("/ui/").text
    assert 'href="../ontology"' in ui


def test_the_readmes_link_to_the_reference_and_ontology_readme_shows_terms() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ontology_readme = (ROOT / "ontology" / "README.md").read_text(encoding="utf-8")
    assert "docs/ontology-reference.md" in readme
    assert "../docs/ontology-reference.md" in ontology_readme
    for term in ("eg:DigitalTechnology", "eg:EvaluationPathway", "eg:hasRegulatoryStatus", "egg:"):
        assert term in ontology_readme
    assert "```sparql" in ontology_readme
