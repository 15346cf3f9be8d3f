"""Sources an analyst can cite (docs/sources.md): every legal text cites its official publication, every guidance
document its publisher, every source address is well-formed https on a named host; the Code de la sécurité sociale
articles the knowledge base cites are in force in Légifrance's data (kb/legifrance/, scripts/legifrance_css.py)."""

from __future__ import annotations

import csv
import importlib.util
import json
import re
import shlex
import tarfile
from pathlib import Path

import pytest
import rdflib

from evalgraph import resources
from evalgraph.store.oxigraph import OxigraphStore

ROOT = Path(__file__).resolve().parent.parent
EG = rdflib.Namespace("https://w3id.org/evalgraph/ontology/")
ELI = rdflib.Namespace("http://data.europa.eu/eli/ontology#")
DCT = rdflib.namespace.DCTERMS
CHECKS = ["legal-text-official-source-missing-violation", "guidance-publisher-source-missing-violation",
          "source-url-malformed-violation", "official-source-not-found-reason-missing-violation",
          "defined-term-official-source-missing-violation", "legal-basis-official-source-missing-violation"]


def table(name: str) -> list[dict[str, str]]:
    lines = (ROOT / "kb" / "legifrance" / name).read_text(encoding="utf-8").splitlines()
    return list(csv.DictReader((line for line in lines if not line.startswith("#")), delimiter="\t"))


@pytest.fixture(scope="module")
def graph() -> rdflib.Graph:
    g = rdflib.Graph()
    for kind in ("kb", "catalogue"):
        for path in resources.files(kind, ".ttl"):
            g.parse(path, format="turtle")
    return g


def rows(store: OxigraphStore, name: str) -> list[tuple[str, ...]]:
    result = store.query(resources.read_text("queries", name))
    return [tuple(t.value if t is not None else "" for t in row) for row in result.rows]  # type: ignore[union-attr]


@pytest.mark.parametrize("check", CHECKS)
def test_source_checks_of_evalgraph_check_pass(builtin_store: OxigraphStore, check: str) -> None:
    assert rows(builtin_store, check) == []


BAD = """@prefix eg: <https://w3id.org/evalgraph/ontology/> . @prefix dct: <http://purl.org/dc/terms/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> . @prefix egv: <https://w3id.org/evalgraph/vocab/> .
<https://w3id.org/evalgraph/id/site-legifrance> eg:hostName "legifrance.gouv.fr" ; eg:sourceTier egv:tier-official .
<https://w3id.org/evalgraph/id/site-has> eg:hostName "has-sante.fr" ; eg:sourceTier egv:tier-publisher .
<https://w3id.org/evalgraph/id/law-blog> a eg:LegalProvision ; dct:source <https://blog.example.com/a> ;
    rdfs:seeAlso <https://fanyv88.com:443/https/www.scribd.com/document/1> .
<https://w3id.org/evalgraph/id/law-ok> a eg:LegalProvision ; dct:source <https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000048703007> .
<https://w3id.org/evalgraph/id/law-has> a eg:LegalInstrument ; dct:source <https://www.has-sante.fr/jcms/x> .
<https://w3id.org/evalgraph/id/doc-blog> a eg:GuidanceDocument ; dct:source <https://blog.example.com/b> .
<https://w3id.org/evalgraph/id/doc-has> a eg:GuidanceDocument ; dct:source <https://has-sante.fr/jcms/p_1> .
<https://w3id.org/evalgraph/id/doc-none> a eg:GuidanceDocument ; dct:source <https://blog.example.com/c> ;
    eg:officialSourceScope egv:official-scope-not-found .
<https://w3id.org/evalgraph/id/x> dct:source <http://34.71.242.217/a> , <https://has-sante.fr./jcms/b> ,
    <https://ppshp.fi:443/c> , <http://www.rtr.at/d> .
"""


def test_source_checks_find_the_faults_the_audit_found(memory_store: OxigraphStore, tmp_path: Path) -> None:
    data = tmp_path / "bad.ttl"
    data.write_text(BAD, encoding="utf-8")
    memory_store.load([data], "https://example.org/g")
    assert {r[0].rsplit("/", 1)[-1] for r in rows(memory_store, CHECKS[0])} == {"law-blog", "law-has"}
    assert {r[0].rsplit("/", 1)[-1] for r in rows(memory_store, CHECKS[1])} == {"doc-blog"}
    problems = {r[2]: r[3] for r in rows(memory_store, CHECKS[2])}
    assert problems == {
        "https://fanyv88.com:443/https/www.scribd.com/document/1": "proxy prefix",
        "http://34.71.242.217/a": "not https",
        "https://has-sante.fr./jcms/b": "host ends with a dot",
        "https://ppshp.fi:443/c": "port in address",
        "http://www.rtr.at/d": "not https",
    }


def css_numbers(citation: str) -> list[str]:
    match = re.match(r"^([LRD]\d+(?:-\d+)*)(?: to ([LRD]\d+(?:-\d+)*))? CSS$", citation)
    assert match, citation
    first, last = match.groups()
    if last is None:
        return [first]
    stem, start = first.rsplit("-", 1)
    return [f"{stem}-{n}" for n in range(int(start), int(last.rsplit("-", 1)[1]) + 1)]


def test_every_css_article_cited_is_in_force_in_legifrance_data_and_cited_by_its_identifier(graph: rdflib.Graph) -> None:
    articles = {row["number"]: row for row in table("css-articles.tsv")}
    cited = [(s, str(c)) for s, c in graph.subject_objects(EG.citation) if str(c).endswith(" CSS")]
    assert len(cited) >= 15
    for subject, citation in cited:
        sources = {str(o) for o in graph.objects(subject, DCT.source)}
        local_ids = {str(o) for o in graph.objects(subject, ELI.id_local)}
        for number in css_numbers(citation):
            row = articles.get(number)
            assert row is not None, f"{citation}: not in kb/legifrance/css-articles.tsv (run scripts/legifrance_css.py)"
            assert row["state"] == "VIGUEUR", f"{citation}: {row['state']} in Légifrance's data"
            assert row["url"] == f"https://www.legifrance.gouv.fr/codes/article_lc/{row['id']}"
            assert row["url"] in sources, f"{subject}: does not cite {row['url']}"
            assert row["id"] in local_ids
        assert (subject, ELI.in_force, ELI["InForce-inForce"]) in graph


def test_decrees_and_laws_cite_the_journal_officiel_text_legifrance_gives(graph: rdflib.Graph) -> None:
    texts = {row["number"]: row for row in table("jorf-texts.tsv") if not row["article"]}
    for subject, citation in graph.subject_objects(EG.citation):
        number = re.search(r"n° ?(\d{4}-\d+)", str(citation))
        if not number or number.group(1) not in texts or "art." in str(citation):
            continue
        row = texts[number.group(1)]
        assert row["text_url"] in {str(o) for o in graph.objects(subject, DCT.source)}, subject
    # the audit's mix-up: JORFTEXT000046849231 is décret 2022-1769, not 2022-1767
    assert texts["2022-1767"]["text_id"] == "JORFTEXT000046849110"
    assert texts["2022-1769"]["text_id"] == "JORFTEXT000046849231"


def test_eu_acts_carry_their_eli(graph: rdflib.Graph) -> None:
    mdr = rdflib.URIRef("https://w3id.org/evalgraph/id/law-mdr")
    assert (mdr, rdflib.OWL.sameAs, rdflib.URIRef("http://data.europa.eu/eli/reg/2017/745/oj")) in graph
    assert (mdr, rdflib.RDF.type, ELI.LegalResource) in graph
    assert rdflib.URIRef("https://eur-lex.europa.eu/eli/reg/2017/745/oj") in set(graph.objects(mdr, DCT.source))
    for provision in graph.subjects(rdflib.RDF.type, EG.LegalProvision):
        assert graph.value(provision, ELI.is_part_of) == graph.value(provision, EG.partOf), provision


def test_the_script_reads_a_package_and_writes_the_tables(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("legifrance_css", ROOT / "scripts" / "legifrance_css.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    article = {"type": "article", "data": {
        "num": "L162-1-23", "id": "LEGIARTI000048703007", "cid": "LEGIARTI000044577372", "etat": "VIGUEUR",
        "dateDebut": 1704067200000, "lienModifications": [{
            "textCid": "JORFTEXT000048668665", "textTitle": "LOI n°2023-1250 du 26 décembre 2023 - art. 49 (V)",
            "articleNum": "49", "articleId": "LEGIARTI000051287460", "datePubliTexte": "2023-12-27",
            "dateSignaTexte": "2023-12-26"}]}}
    code = {"data": {"dateModif": "2026-03-14"}, "type": "code", "children": [{"type": "section", "children": [article]}]}
    package = tmp_path / "legi-data.tgz"
    with tarfile.open(package, "w:gz") as archive:
        for name, content in (("package/data/LEGITEXT000006073189.json", code), ("package/package.json", {"version": "9.9.9"})):
            payload = tmp_path / Path(name).name
            payload.write_text(json.dumps(content), encoding="utf-8")
            archive.add(payload, arcname=name)
    kb = tmp_path / "kb"
    kb.mkdir()
    (kb / "t.ttl").write_text(
        '@prefix eg: <https://w3id.org/evalgraph/ontology/> .\n'
        '<https://w3id.org/evalgraph/id/a> eg:citation "L162-1-23 CSS" , "L165-1 CSS" , "Loi n° 2023-1250" .\n',
        encoding="utf-8")
    assert module.main([str(package), "--kb", str(kb), "--out", str(tmp_path / "out")]) == 0
    articles = (tmp_path / "out" / "css-articles.tsv").read_text(encoding="utf-8")
    assert "9.9.9" in articles.splitlines()[0]
    assert ("L162-1-23\tLEGIARTI000048703007\tLEGIARTI000044577372\tVIGUEUR\t2024-01-01\t"
            "https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000048703007") in articles
    assert "L165-1\t\t\tABSENT" in articles
    texts = (tmp_path / "out" / "jorf-texts.tsv").read_text(encoding="utf-8")
    assert "2023-1250\tJORFTEXT000048668665\t" in texts


def test_docs_counts_are_those_of_the_data(run_cli) -> None:
    """The counts table of docs/sources.md is exactly what `evalgraph query source-coverage` prints on a store built
    as the CLI builds it (the shipped FDA market included), row for row."""
    result = run_cli("query", "source-coverage", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    printed = [tuple(row) for row in csv.reader(result.stdout.splitlines()[1:])]
    doc = (ROOT / "docs" / "sources.md").read_text(encoding="utf-8")
    table = doc.split("## Counts", 1)[1].split("| kind | measure | count |\n|---|---|---|\n", 1)[1].split("\n\n", 1)[0]
    documented = [tuple(cell.strip() for cell in line.strip("|").split("|")) for line in table.splitlines()]
    assert documented == printed


def test_docs_commands_run(run_cli) -> None:
    doc = (ROOT / "docs" / "sources.md").read_text(encoding="utf-8")
    commands = [line.split("  #")[0].split() for block in re.findall(r"```sh\n(.*?)```", doc, re.DOTALL)
                for line in block.splitlines() if line.startswith("evalgraph ")]
    assert len(commands) >= 3
    for command in commands:
        result = run_cli(*command[1:])
        assert result.exit_code == 0, (command, result.stdout, result.stderr)


def test_qualification_and_findings_show_the_official_source_first(builtin_store: OxigraphStore) -> None:
    from evalgraph.qualification.model import DecisionModel

    model = DecisionModel(builtin_store)
    references = model.graph.nodes["https://w3id.org/evalgraph/id/decision-qualification-medical-purpose"]["references"]
    urls = [url for reference in references for url in reference.urls]
    assert urls[0] == "https://eur-lex.europa.eu/eli/reg/2017/745/oj"  # before has-sante.fr, which sorts first
    result = builtin_store.query(resources.read_text("shapes", "citations", ".rq"))
    variables = result.variables
    sources = [dict(zip(variables, row, strict=True))["source"] for row in result.rows  # type: ignore[union-attr]
               if row[0].value == "https://w3id.org/evalgraph/id/law-mdr-art-2-1"]
    assert sources[0].value == "https://eur-lex.europa.eu/eli/reg/2017/745/oj"  # the finding's source is the first


def test_check_passes_after_the_documented_workflows(run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The commands of docs/establishments.md and docs/choice.md (an inventory imported, a choice recorded), then
    `evalgraph check`: what they write cites its source by IRI (the imported file, the establishment), not a literal,
    and the CE markings the import creates are labelled in French and English (issue 15)."""
    commands = []
    for name in ("establishments.md", "choice.md"):
        doc = (ROOT / "docs" / name).read_text(encoding="utf-8")
        for block in re.findall(r"```sh\n(.*?)```", doc, re.DOTALL):
            commands += [shlex.split(line.split("  #")[0]) for line in block.splitlines() if line.startswith("evalgraph ")]
    assert any(c[1:3] == ["import", "inventory"] for c in commands) and any("--record" in c for c in commands)
    monkeypatch.chdir(tmp_path)
    for command in commands:
        args = [str(ROOT / a) if "/" in a and (ROOT / a).exists() else a for a in command[1:]]
        run_cli(*args)
    graphs = run_cli("stats").stdout
    assert "establishment/chu-exemple" in graphs and "choice/chu-exemple" in graphs
    result = run_cli("check")
    assert result.exit_code == 0, result.stdout


def test_every_not_found_mark_says_why_and_the_docs_list_it(builtin_store: OxigraphStore) -> None:
    """Issue 15: each item marked egv:official-scope-not-found carries a note in French and English (what official
    publication is missing, why it is not cited), listed in docs/sources.md as `evalgraph query
    official-source-not-found` prints it; the FD&C Act cites the US Code by its address rule."""
    assert rows(builtin_store, "official-source-not-found-reason-missing-violation") == []
    doc = (ROOT / "docs" / "sources.md").read_text(encoding="utf-8")
    from evalgraph.store import queries

    named = queries.load("official-source-not-found")
    result = builtin_store.query(named.text, queries.bind(named, {}))
    listed = [tuple(t.value if t is not None else "" for t in row) for row in result.rows]  # type: ignore[union-attr]
    assert len(listed) == 13
    for item, kind, lang, note, _sources in listed:
        assert lang == "en" and note.startswith("Missing: ") and "Not cited: " in note, item
        assert f"- `egr:{item.rsplit('/', 1)[1]}` ({kind}): {note}" in doc, item
    result = builtin_store.query(
        "PREFIX eg: <https://w3id.org/evalgraph/ontology/> PREFIX dct: <http://purl.org/dc/terms/> "
        "SELECT ?scope ?source WHERE { <https://w3id.org/evalgraph/id/law-us-fdca> eg:officialSourceScope ?scope ; "
        "dct:source ?source }")
    found = {(r[0].value, r[1].value) for r in result.rows}  # type: ignore[union-attr]
    scope = "https://w3id.org/evalgraph/vocab/official-scope-address-rule"
    assert (scope, "https://uscode.house.gov/view.xhtml?req=granuleid:USC-prelim-title21-section360&num=0&edition=prelim") in found
    assert {s for _, s in found} == {
        f"https://uscode.house.gov/view.xhtml?req=granuleid:USC-prelim-title21-section{n}&num=0&edition=prelim"
        for n in ("360", "360c", "360e")}


def test_the_not_found_check_flags_a_mark_without_its_note(memory_store: OxigraphStore, tmp_path: Path) -> None:
    data = tmp_path / "bad.ttl"
    data.write_text(BAD + '<https://w3id.org/evalgraph/id/doc-none> <http://www.w3.org/2004/02/skos/core#editorialNote> '
                    '"Manque : …"@fr .\n', encoding="utf-8")
    memory_store.load([data], "https://example.org/g")
    assert rows(memory_store, "official-source-not-found-reason-missing-violation") == [
        ("https://w3id.org/evalgraph/id/doc-none", "skos:editorialNote@en")]


MDCG_2019_11 = ("https://health.ec.europa.eu/system/files/2020-09/"
                "md_mdcg_2019_11_guideline_qualification_classification_software_en_0.pdf")


def test_the_qualification_scheme_cites_the_commission_not_a_copy() -> None:
    """Issue 15: MDCG 2019-11's qualification cites the Commission's page of the guidance (the address the knowledge
    base uses for it) and the regulations; the scribd and rapath copies are rdfs:seeAlso only."""
    g = rdflib.Graph()
    for path in resources.files("ontology", ".ttl"):
        g.parse(path, format="turtle")
    for kb in resources.files("kb", ".ttl"):
        g.parse(kb, format="turtle")
    egv = rdflib.Namespace("https://w3id.org/evalgraph/vocab/")
    mdcg = rdflib.URIRef("https://w3id.org/evalgraph/id/doc-mdcg-2019-11")
    assert rdflib.URIRef(MDCG_2019_11) in set(g.objects(mdcg, DCT.source))
    expected = {"QualificationScheme": {MDCG_2019_11}, "qualification-not-a-device": {MDCG_2019_11},
                "qualification-mdsw-mdr": {MDCG_2019_11, "https://eur-lex.europa.eu/eli/reg/2017/745/oj"},
                "qualification-mdsw-ivdr": {MDCG_2019_11, "https://eur-lex.europa.eu/eli/reg/2017/746/oj"}}
    for term, sources in expected.items():
        assert {str(o) for o in g.objects(egv[term], DCT.source)} == sources, term
        assert not any("scribd" in str(o) or "rapath" in str(o) for o in g.objects(egv[term], DCT.source))
    assert any("scribd" in str(o) for o in g.objects(egv.QualificationScheme, rdflib.RDFS.seeAlso))


DEFINED = BAD + """@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<https://w3id.org/evalgraph/id/law-x> a eg:LegalInstrument ; dct:source <https://www.legifrance.gouv.fr/x> .
<https://w3id.org/evalgraph/vocab/S> a skos:ConceptScheme ; rdfs:isDefinedBy <https://w3id.org/evalgraph/id/law-x> ;
    dct:source <https://www.legifrance.gouv.fr/x> .
<https://w3id.org/evalgraph/vocab/c-blog> a skos:Concept ; skos:inScheme <https://w3id.org/evalgraph/vocab/S> ;
    dct:source <https://blog.example.com/c> .
<https://w3id.org/evalgraph/vocab/c-ok> a skos:Concept ; skos:inScheme <https://w3id.org/evalgraph/vocab/S> ;
    dct:source <https://www.legifrance.gouv.fr/x> ; rdfs:seeAlso <https://blog.example.com/c> .
<https://w3id.org/evalgraph/vocab/c-free> a skos:Concept ; dct:source <https://blog.example.com/d> .
<https://w3id.org/evalgraph/id/p-blog> eg:legalBasis <https://w3id.org/evalgraph/id/law-x> ; dct:source <https://blog.example.com/e> .
<https://w3id.org/evalgraph/id/p-ok> eg:legalBasis <https://w3id.org/evalgraph/id/law-x> ;
    dct:source <https://blog.example.com/e> , <https://www.legifrance.gouv.fr/x> .
<https://w3id.org/evalgraph/id/p-none> eg:basedOn <https://w3id.org/evalgraph/id/doc-none> ; dct:source <https://blog.example.com/f> .
"""


def test_the_checks_of_terms_and_facts_founded_on_a_text(memory_store: OxigraphStore, tmp_path: Path) -> None:
    """A concept of a scheme a legal text defines, and a fact naming its legal basis, must cite an official or
    publisher page; a concept of no such scheme, or a fact whose basis has no official publication, is not flagged."""
    data = tmp_path / "defined.ttl"
    data.write_text(DEFINED, encoding="utf-8")
    memory_store.load([data], "https://example.org/g")
    assert [r[0].rsplit("/", 1)[-1] for r in rows(memory_store, CHECKS[4])] == ["c-blog"]
    assert [r[0].rsplit("/", 1)[-1] for r in rows(memory_store, CHECKS[5])] == ["p-blog"]
