"""Issue 17, the researcher's points: named queries enforce their required parameters, a technology parameter
takes the names `qualify` takes, table output does not tag every literal with @en, and IRI pages keep stated and
derived statements apart, each once, with the fact status and a link to the ontology reference."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from evalgraph.errors import UsageError
from evalgraph.store import queries

from .conftest import HtmlPage


def test_a_required_parameter_is_declared_and_enforced() -> None:
    named = queries.parse("probe", "#+ parameters: technology (IRI) required; lang (string) = en\nSELECT * {}")
    assert named.parameters[0].required and not named.parameters[1].required
    assert named.parameters[0].describe() == "technology (IRI) required"
    with pytest.raises(UsageError) as caught:
        queries.bind(named, {})
    assert "parameter technology is required" in caught.value.render()
    assert "le paramètre technology est obligatoire" in caught.value.render("fr")
    assert set(queries.bind(named, {"technology": "egr:tech-boneview"})) == {"technology", "lang"}
    for name in ("technology-profile", "technology-facts", "resource-label", "scheme-concepts",
                 "establishment-deployments", "deployment-economics"):
        assert any(p.required for p in queries.load(name).parameters), name


def test_cli_named_query_needs_its_parameter_and_takes_a_technology_name(run_cli) -> None:  # type: ignore[no-untyped-def]
    missing = run_cli("query", "technology-profile")
    assert missing.exit_code == 2 and "parameter technology is required" in missing.stderr and not missing.stdout
    by_name = run_cli("query", "technology-profile", "--param", "technology=BoneView", "--format", "csv")
    by_iri = run_cli("query", "technology-profile", "--param", "technology=egr:tech-boneview", "--format", "csv")
    assert by_name.exit_code == 0 and by_name.stdout == by_iri.stdout and by_name.stdout.count("\n") > 5
    unknown = run_cli("query", "technology-profile", "--param", "technology=NoSuchProduct")
    assert unknown.exit_code == 2 and "NoSuchProduct" in unknown.stderr


def test_table_output_tags_no_literal_of_a_one_language_column(run_cli) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("query", "technology-profile", "--param", "technology=BoneView")
    assert result.exit_code == 0 and "BoneView" in result.stdout and "@en" not in result.stdout
    mixed = run_cli("query", "SELECT ?l WHERE { <https://w3id.org/evalgraph/id/pathway-pecan> "
                    "<http://www.w3.org/2000/01/rdf-schema#label> ?l }")
    assert "@fr" in mixed.stdout and "@en" in mixed.stdout  # a column that mixes languages keeps its tags


def test_server_named_query_parameters(tmp_path: Path) -> None:
    from .serving import in_process

    with in_process(tmp_path / "data") as client:
        missing = client.get("/queries/technology-profile")
        assert missing.status_code == 400 and "technology is required" in missing.json()["error"]["message"]
        named = client.get("/queries/technology-profile", params={"technology": "BoneView", "format": "csv"})
        assert named.status_code == 200 and "tech-boneview" in named.text

        page = client.get("/id/tech-boneview", headers={"accept": "text/html"})
        assert page.status_code == 200
        html = HtmlPage(page.text)
        sections = {a.get("id") for t, a in html.tags if t == "section"}
        assert sections == {"stated", "derived"}
        stated = page.text[page.text.index('id="stated"'):page.text.index('id="derived"')]
        derived = page.text[page.text.index('id="derived"'):]
        assert "eg:eligibleFor" in derived and "eg:eligibleFor" not in stated
        assert "egg:inferred" in derived and "egg:catalogue" in stated
        rows = re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td>", page.text, re.DOTALL)
        assert len(rows) == len(set(rows))  # each statement once
        assert any(a.get("href") == "/ontology" for t, a in html.tags if t == "a")
        assert any((a.get("href") or "").startswith("/ontology#eg:") for t, a in html.tags if t == "a")

        partly = client.get("/id/pathway-cnam-ai-pilot", headers={"accept": "text/html"})
        assert partly.status_code == 200 and 'id="fact-status"' in partly.text
        assert "partly confirmed" in partly.text
