"""Issue 17, point 7: the HAS functional level is a facet of the cartography that says what it does not know. Per
category: the technologies, how many have a level stated by a source, how many one derived by evalgraph, the count
per level (the stated one winning), how many are unknown, and how many derived levels disagree with the stated one
(queries/has-level-profile.rq) — on the page, in the workbook and the CSV files, in both languages."""

from __future__ import annotations

import zipfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
import rdflib
from openpyxl import load_workbook

from evalgraph import i18n
from evalgraph.cartography.report import _plain, refresh_inferred
from evalgraph.store import kb, queries
from evalgraph.store.oxigraph import INFERRED_GRAPH, OxigraphStore, open_store

from .conftest import HtmlPage

ROOT = Path(__file__).resolve().parent.parent
EG = rdflib.Namespace("https://w3id.org/evalgraph/ontology/")
EGV = "https://w3id.org/evalgraph/vocab/"
LEVELS = {f"{EGV}has-level-{x}": f"level{x}" for x in "ABCD"}
COUNTS = ("technologies", "levelStated", "levelDerived", "levelA", "levelB", "levelC", "levelD", "levelUnknown",
          "levelDisagreement")


def profile(store: OxigraphStore, lang: str = "en", graphs: tuple[str, ...] | None = None) -> dict[str, dict]:
    named = queries.load("has-level-profile")
    result = store.query(named.text, queries.bind(named, {"lang": lang}), graphs=graphs)
    records = [dict(zip(result.variables, map(_plain, row), strict=True)) for row in result.rows]
    return {str(r["category"]): r for r in records}


@pytest.fixture(scope="module")
def qualified() -> Iterator[OxigraphStore]:
    """The built-in data (ontology, knowledge base, catalogue) and the inferred graph evalgraph derives from it."""
    store = open_store(None)
    kb.ensure_loaded(store)
    refresh_inferred(store)
    yield store
    store.close()


def catalogue() -> rdflib.Graph:
    graph = rdflib.Graph()
    for path in sorted((ROOT / "catalogue").glob("*.ttl")):
        graph.parse(path, format="turtle")
    return graph


def test_stated_derived_and_per_level_counts_match_an_independent_count(qualified: OxigraphStore) -> None:
    """The counts, recomputed here from the catalogue's Turtle files (rdflib) and the inferred graph's triples."""
    graph = catalogue()
    purposes = {str(t): {str(p) for p in graph.objects(t, EG.intendedPurpose)}
                for t in graph.subjects(rdflib.RDF.type, EG.DigitalTechnology)}
    stated = {str(t): str(v) for t, v in graph.subject_objects(EG.functionalClassification)}
    derived = {str(t.subject.value): str(t.object.value) for t in qualified.export([INFERRED_GRAPH])
               if t.predicate.value == str(EG.functionalClassification)}
    assert stated and derived, "the catalogue states a level somewhere, and evalgraph derives some"
    expected: dict[str, Counter[str]] = {}
    for tech, categories in purposes.items():
        level = stated.get(tech) or derived.get(tech)
        for category in categories:
            counts = expected.setdefault(category, Counter())
            counts["technologies"] += 1
            counts["levelStated"] += tech in stated
            counts["levelDerived"] += tech in derived
            counts[LEVELS[level] if level else "levelUnknown"] += 1
            counts["levelDisagreement"] += tech in stated and tech in derived and stated[tech] != derived[tech]
    rows = profile(qualified)
    assert {c: {k: rows[c][k] for k in COUNTS} for c in rows} == {
        c: {k: expected[c][k] for k in COUNTS} for c in expected}
    assert sum(r["levelStated"] for r in rows.values()) == sum(len(purposes[t]) for t in stated)
    for row in rows.values():  # unknown + known = technologies
        assert sum(row[k] for k in ("levelA", "levelB", "levelC", "levelD", "levelUnknown")) == row["technologies"]
        assert row["levelStated"] + row["levelDerived"] >= row["technologies"] - row["levelUnknown"]


FIXTURE = """
@prefix eg: <https://w3id.org/evalgraph/ontology/> . @prefix egv: <https://w3id.org/evalgraph/vocab/> .
@prefix x: <https://example.org/x/> .
x:stated-a-derived-c a eg:DigitalTechnology ; eg:intendedPurpose egv:purpose-diagnosis-aid , egv:purpose-triage ;
    eg:functionalClassification egv:has-level-A .
x:stated-b-derived-b a eg:DigitalTechnology ; eg:intendedPurpose egv:purpose-diagnosis-aid ;
    eg:functionalClassification egv:has-level-B .
x:derived-d a eg:DigitalTechnology ; eg:intendedPurpose egv:purpose-diagnosis-aid .
x:neither a eg:DigitalTechnology ; eg:intendedPurpose egv:purpose-diagnosis-aid .
"""
INFERRED = """
@prefix eg: <https://w3id.org/evalgraph/ontology/> . @prefix egv: <https://w3id.org/evalgraph/vocab/> .
@prefix x: <https://example.org/x/> .
x:stated-a-derived-c eg:functionalClassification egv:has-level-C .
x:stated-b-derived-b eg:functionalClassification egv:has-level-B .
x:derived-d eg:functionalClassification egv:has-level-D .
"""


def test_the_stated_level_wins_and_a_disagreement_is_counted(tmp_path: Path) -> None:
    store = open_store(None)
    kb.ensure_loaded(store, datasets=("ontology",))
    (tmp_path / "fixture.ttl").write_text(FIXTURE, encoding="utf-8")
    (tmp_path / "inferred.ttl").write_text(INFERRED, encoding="utf-8")
    store.load([tmp_path / "fixture.ttl"], "https://example.org/graph/fixture")
    store.load([tmp_path / "inferred.ttl"], INFERRED_GRAPH, allow_reserved=True)
    rows = profile(store, "fr")
    diagnosis, triage = rows[EGV + "purpose-diagnosis-aid"], rows[EGV + "purpose-triage"]
    assert diagnosis["categoryLabel"] == "aide au diagnostic"
    assert [diagnosis[k] for k in COUNTS] == [4, 2, 3, 1, 1, 0, 1, 1, 1]
    assert [triage[k] for k in COUNTS] == [1, 1, 1, 1, 0, 0, 0, 0, 1]
    store.close()


# ------------------------------------------------------------------------------------------- the deliverables


def test_the_cartography_shows_the_facet_in_both_languages(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    for args in (["--lang", "fr", "cartography", "-o", str(tmp_path / "fr.html")],
                 ["cartography", "-o", str(tmp_path / "en.html")],
                 ["--lang", "fr", "cartography", "-o", str(tmp_path / "fr.xlsx")],
                 ["--lang", "fr", "cartography", "-o", str(tmp_path / "fr.zip"), "--csv-dialect", "excel"]):
        done = run_cli(*args)
        assert done.exit_code == 0, done.stderr
    labels = [f"column_{k}" for k in COUNTS[1:]]
    for lang in ("fr", "en"):
        source = (tmp_path / f"{lang}.html").read_text(encoding="utf-8")
        section = source[source.index('<section id="has-level">'):]
        section = section[:section.index("</section>")]
        page = HtmlPage(section)
        headers = [a.get("data-variable") for t, a in page.tags if t == "th"]
        assert headers == ["categoryLabel", *COUNTS]
        text = " ".join(page.text)
        for key in labels:
            assert i18n.text(key, lang) in text
        assert i18n.text("page_cartography_has_level_legend", lang)[:50] in text
        assert 'href="#has-level"' in source
        cells = [int(c) for c in HtmlPage(section).text if c.strip().isdigit()]
        assert sum(cells) > 0
    french = " ".join(HtmlPage((tmp_path / "fr.html").read_text(encoding="utf-8")).text)
    assert "niveau HAS déclaré par une source" in french and "niveau inconnu (ni déclaré ni déduit)" in french
    assert "HAS level stated by a source" not in french

    sheet = load_workbook(tmp_path / "fr.xlsx")["Classification HAS"]
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["catégorie", "technologies", "niveau HAS déclaré par une source"]
    rows = [dict(zip(header, r, strict=True)) for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert rows and all(r["niveau A"] + r["niveau B"] + r["niveau C"] + r["niveau D"]
                        + r["niveau inconnu (ni déclaré ni déduit)"] == r["technologies"] for r in rows)
    assert sum(r["niveau HAS déclaré par une source"] for r in rows) >= 1  # the catalogue states one (level A)
    with zipfile.ZipFile(tmp_path / "fr.zip") as archive:
        name = next(n for n in archive.namelist() if n.endswith("has-level-profile.csv"))
        text = archive.read(name).decode("utf-8-sig")
    assert ";catégorie;technologies;niveau HAS déclaré par une source;" in text.splitlines()[0]


def test_a_level_stated_in_an_imported_graph_counts_only_when_the_report_reads_that_graph(  # type: ignore[no-untyped-def]
    run_cli, tmp_path: Path
) -> None:
    """The cartography's scope applies: an imported graph stating BoneView's level is left out by default."""
    (tmp_path / "mine.ttl").write_text(
        "<https://w3id.org/evalgraph/id/tech-boneview> <https://w3id.org/evalgraph/ontology/functionalClassification>"
        " <https://w3id.org/evalgraph/vocab/has-level-B> .\n", encoding="utf-8")
    assert run_cli("load", str(tmp_path / "mine.ttl")).exit_code == 0
    stated = {}
    for name, extra in (("national", []), ("mine", ["--graph", "mine"])):
        done = run_cli("cartography", "-o", str(tmp_path / f"{name}.xlsx"), *extra)
        assert done.exit_code == 0, done.stderr
        sheet = load_workbook(tmp_path / f"{name}.xlsx")["HAS functional level"]
        header = [c.value for c in sheet[1]]
        stated[name] = sum(dict(zip(header, r, strict=True))["HAS level stated by a source"]
                           for r in sheet.iter_rows(min_row=2, values_only=True))
    boneview_purposes = len(set(catalogue().objects(
        rdflib.URIRef("https://w3id.org/evalgraph/id/tech-boneview"), EG.intendedPurpose)))
    assert boneview_purposes >= 1
    assert stated["mine"] == stated["national"] + boneview_purposes
