"""The market importers (evalgraph.market): each registry format read into its named graph with provenance, bad
rows located and the valid ones kept, re-import idempotent, a newer snapshot's changes counted, entity resolution
joining records to one technology per product (and leaving look-alikes to review), and what qualification makes of
imported products. Fixtures: tests/data/market (a few rows per format)."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from evalgraph.market import import_file
from evalgraph.market.names import decide, manufacturer, product_name
from evalgraph.qualification import engine
from evalgraph.store import kb
from evalgraph.store.oxigraph import OxigraphStore, open_store
from evalgraph.vocab import EG, EGR, EGV

DATA = Path(__file__).parent / "data" / "market"
MARKET = "https://w3id.org/evalgraph/graph/market/"


@pytest.fixture(scope="module")
def base() -> OxigraphStore:
    store = open_store(None)
    kb.ensure_loaded(store)
    return store


@pytest.fixture
def store(base: OxigraphStore) -> OxigraphStore:
    """A fresh in-memory copy of the built-in graphs (the base store is loaded once per module)."""
    copy = open_store(None)
    copy.native.extend(base.native.quads_for_pattern(None, None, None, None))
    return copy


def ask(store: OxigraphStore, pattern: str) -> bool:
    result = store.query(f"PREFIX eg: <{EG}> PREFIX egr: <{EGR}> PREFIX egv: <{EGV}> ASK {{ {pattern} }}")
    return bool(result.boolean)


def record_of(store: OxigraphStore, source: str, key: str) -> str:
    rows = store.query(
        f'PREFIX eg: <{EG}> SELECT ?t WHERE {{ GRAPH <{MARKET}{source}> {{ ?r eg:recordKey "{key}" ; eg:recordOf ?t }} }}'
    ).rows
    assert len(rows) == 1, (source, key, rows)
    return str(rows[0][0].value)  # type: ignore[union-attr]


def test_fda_import_keeps_valid_rows_and_locates_bad_ones(store: OxigraphStore) -> None:
    report = import_file(store, "fda", DATA / "fda-2025-12-30.csv")
    assert report.records == 8 and report.snapshot_date == "2025-12-30"
    assert [str(p) for p in report.problems] == [
        "fda-2025-12-30.csv:9:Date of Final Decision: '13/45/2025' — a date",
        "fda-2025-12-30.csv:10:Submission Number: 'X123' — an FDA submission number (K…, DEN…, P…)",
    ]
    # one technology per product: both BoneView clearances join the catalogue's BoneView, by submission number
    assert record_of(store, "fda", "K212365") == record_of(store, "fda", "K222176") == EGR + "tech-boneview"
    # MammoScreen: one clearance by its number, the first by name and manufacturer (the version is not a new product)
    assert record_of(store, "fda", "K192854") == record_of(store, "fda", "K243679") == EGR + "tech-mammoscreen"
    assert report.methods == {"submission": 3, "name-and-manufacturer": 1, "new": 4}
    # values with no mapping are listed, never guessed
    assert report.unmapped["productCode"] == {"MYN": 1, "PJA": 1}
    assert report.unmapped["panel"] == {"Neurology": 1}
    heartflow = record_of(store, "fda", "K203329")
    assert ask(store, f"<{heartflow}> eg:clinicalDomain egv:domain-cardiology ; eg:isAISystem true")
    assert not ask(store, f"<{heartflow}> eg:intendedPurpose ?p")
    assert ask(
        store,
        'egr:fda-k253091 eg:fdaPathway egv:fda-510k ; eg:statusDate "2025-12-23"^^<http://www.w3.org/2001/XMLSchema#date>',
    )


def test_snapshot_provenance_is_prov_o(store: OxigraphStore) -> None:
    report = import_file(store, "fda", DATA / "fda-2025-12-30.csv")
    graph = f"<{MARKET}fda>"
    assert ask(
        store,
        f"""GRAPH {graph} {{
        ?snapshot a eg:RegistrySnapshot ; <http://www.w3.org/ns/prov#wasDerivedFrom> egr:dataset-fda-ai-devices ;
            eg:fileName "fda-2025-12-30.csv" ; eg:sha256 "{report.sha256}" ;
            eg:snapshotDate "2025-12-30"^^<http://www.w3.org/2001/XMLSchema#date> ;
            <http://purl.org/dc/terms/license> <https://www.usa.gov/government-works> .
        egr:record-fda-k203329 <http://www.w3.org/ns/prov#wasDerivedFrom> ?snapshot ;
            eg:sourceRow 7 ; eg:recordKey "K203329" . }}""",
    )


def test_reimport_is_idempotent_and_a_newer_snapshot_reports_its_changes(store: OxigraphStore) -> None:
    first = import_file(store, "fda", DATA / "fda-2025-12-30.csv")
    triples = store.count(MARKET + "fda")
    again = import_file(store, "fda", DATA / "fda-2025-12-30.csv")
    assert again.unchanged and store.count(MARKET + "fda") == triples == first.triples
    newer = import_file(store, "fda", DATA / "fda-2026-03-30.csv")
    assert (newer.added, newer.removed, newer.modified) == (1, 1, 1)  # K254207 in, K240001 out, K241620 recoded
    assert not ask(store, f'GRAPH <{MARKET}fda> {{ ?r eg:recordKey "K240001" }}')
    # the products keep their IRIs from one snapshot to the next
    assert record_of(store, "fda", "K203329").startswith(EGR + "product-heartflow-heartflow-analysis")


def test_hair_import_joins_the_catalogue_and_states_ce_markings(store: OxigraphStore) -> None:
    import_file(store, "fda", DATA / "fda-2025-12-30.csv")
    report = import_file(store, "hair", DATA / "hair-2026-06-17.csv")
    assert report.records == 5
    assert [str(p) for p in report.problems] == ["hair-2026-06-17.csv:7:slug: '' — a value is required"]
    assert record_of(store, "hair", "gleamer-ai-boneview-trauma") == EGR + "tech-boneview"
    assert record_of(store, "hair", "therapixel-mammoscreen") == EGR + "tech-mammoscreen"
    ki67 = record_of(store, "hair", "visiopharm-ki-67-app-breast-cancer")
    assert ask(
        store,
        f"""<{ki67}> eg:inputDataKind egv:data-specimen ; eg:hasRegulatoryStatus ?m .
        ?m a eg:CEMarking ; eg:deviceClass egv:ivd-class-C ; eg:underRegulation egr:law-ivdr""",
    )
    assert report.unmapped["ce_class"] == {"Class unknown": 1}
    # ChestView (HAIR) and ChestView US (FDA), one vendor: a look-alike for the review list, not a merge
    chestview = record_of(store, "hair", "gleamer-ai-chestview")
    assert chestview != record_of(store, "fda", "K241620") and report.reviews == 1
    assert ask(store, f"?review a eg:MatchReview ; eg:candidateTechnology <{record_of(store, 'fda', 'K241620')}>")
    model = engine.DecisionModel(store)
    facts = engine.read_all_facts(store)
    conclusion = engine.qualify(model, facts[ki67]).conclusion(EG + "regulatoryQualification")
    assert conclusion is not None and conclusion.value == EGV + "qualification-mdsw-ivdr"


def test_dlinrt_crosswalk_and_adverse_events(store: OxigraphStore) -> None:
    import_file(store, "fda", DATA / "fda-2025-12-30.csv")
    dlinrt = import_file(store, "dlinrt", DATA / "dlinrt.json")
    assert dlinrt.records == 3 and dlinrt.snapshot_date == "2025-11-14"
    assert [str(p) for p in dlinrt.problems] == ["dlinrt.json:4:company: '' — a value is required"]
    # ART-Plan: its DLinRT record names its FDA clearance, so it joins the FDA's ART-Plan+ product
    assert record_of(store, "dlinrt", "therapanacea-art-plan") == record_of(store, "fda", "K253091")
    monitor = record_of(store, "dlinrt", "someone-monitor")
    assert not ask(store, f"<{monitor}> eg:hasRegulatoryStatus ?m")  # CE "Under review": no marking
    assert dlinrt.unmapped["category"] == {"Performance Monitor": 1}
    crosswalk = import_file(store, "eudamed-crosswalk", DATA / "crosswalk.csv")
    assert crosswalk.records == 2 and crosswalk.methods == {"submission": 2} and len(crosswalk.problems) == 2
    assert ask(store, "egr:tech-mammoscreen eg:hasRegulatoryStatus ?e . ?e a eg:EUDAMEDRegistration")
    events = import_file(store, "fda-adverse-events", DATA / "adverse-events.csv", reports=DATA / "mdr-reports.csv")
    assert events.records == 3 and [p.column for p in events.problems] == ["adverse_events"]
    assert ask(store, "egr:fda-k203329 eg:adverseEventReports 3 ; eg:malfunctionReports 2 ; eg:injuryReports 1")
    assert ask(store, "egr:fda-k212365 eg:adverseEventReports 0")


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (("MammoScreen® (4)", "Therapixel"), ("MammoScreen", "THERAPIXEL"), "same"),
        (("ART-Plan+ (v3.1.0)", "Therapanacea Sas"), ("ART-Plan+", "Therapanacea"), "same"),
        (("BoneView", "Gleamer"), ("BoneView", "GLEAMER SAS"), "same"),
        (("ChestView US", "Gleamer SAS"), ("ChestView", "GLEAMER"), "review"),
        (("BoneView", "Gleamer"), ("BoneCT", "Gleamer"), "different"),
        (("Auto Segmentation", "Company A"), ("Auto Segmentation", "Other Vendor"), "review"),
    ],
)
def test_pair_decisions(a: tuple[str, str], b: tuple[str, str], expected: str) -> None:
    assert decide(a[0], a[1], b[0], b[1]) == expected


def test_normalisation() -> None:
    assert product_name("AI-Rad Companion (Pulmonary)") == "rad companion pulmonary"
    assert product_name("SubtleSYNTH (1.x)") == product_name("SubtleSynth") == "subtlesynth"
    assert product_name("Rapid LVO 1.5.2") == "rapid lvo"
    assert manufacturer("Ge Medical Systems, LLC") == "ge medical systems"


def test_unknown_source_is_a_usage_error(store: OxigraphStore) -> None:
    from evalgraph.errors import UsageError

    with pytest.raises(UsageError):
        import_file(store, "nosuch", DATA / "crosswalk.csv")


def test_triples_are_well_formed(store: OxigraphStore) -> None:
    import_file(store, "hair", DATA / "hair-2026-06-17.csv")
    for quad in store.native.quads_for_pattern(None, None, None, ox.NamedNode(MARKET + "hair")):
        assert not quad.predicate.value.startswith(EG) or quad.predicate.value != EG


def test_labelled_sample_precision_and_recall() -> None:
    """The labelled sample (tests/data/market/pairs.csv, docs/market.md): half true pairs (joined by an FDA
    submission number or a confirmed EUDAMED match), half look-alikes (other products of the same vendor), decided on
    names alone. No look-alike is merged; the true pairs the names miss go mostly to the review list."""
    import csv

    with (DATA / "pairs.csv").open(encoding="utf-8") as handle:
        pairs = list(csv.DictReader(handle))
    assert len(pairs) >= 60 and sum(p["label"] == "same" for p in pairs) == len(pairs) // 2
    decided = [(p["label"], decide(p["name_a"], p["maker_a"], p["name_b"], p["maker_b"])) for p in pairs]
    merged = [label for label, decision in decided if decision == "same"]
    true_pairs = [decision for label, decision in decided if label == "same"]
    precision = merged.count("same") / len(merged)
    recall = true_pairs.count("same") / len(true_pairs)
    flagged = (true_pairs.count("same") + true_pairs.count("review")) / len(true_pairs)
    assert precision == 1.0
    assert recall >= 0.55 and flagged >= 0.85, (recall, flagged)


def test_cartography_market_section(store: OxigraphStore, tmp_path: Path) -> None:
    """The report's market section: the market queries' tables, the UpSet-style figures, counted on real products."""
    from evalgraph.cartography import report

    import_file(store, "fda", DATA / "fda-2025-12-30.csv")
    import_file(store, "hair", DATA / "hair-2026-06-17.csv")
    import_file(store, "fda-adverse-events", DATA / "adverse-events.csv", reports=DATA / "mdr-reports.csv")
    built = report.build(store, "en")
    by_source = {
        (r["fda"], r["hair"], r["catalogue"]): r["products"]
        for r in built.tables["market-products-by-source"].records()
    }
    assert by_source[(True, True, True)] == 2  # BoneView and MammoScreen: FDA, HAIR and the catalogue, one node each
    events = built.tables["market-adverse-events"].records()
    assert [(e["label"], e["reports"], e["malfunctions"], e["injuries"]) for e in events] == [
        ("HeartFlow Analysis", 3, 2, 1)
    ]
    output = tmp_path / "report.html"
    report.write_html(built, output, "test")
    page = output.read_text(encoding="utf-8")
    assert 'id="market"' in page and 'id="figure-market-fda"' in page and 'class="chart upset"' in page
    assert 'data-query="market-fda-without-eu-status"' in page


# The commands docs/market.md shows, run on the fixtures (the file names of the docs mapped to them).
DOC_FILES = {
    "hair_products_2026-06-17.csv": DATA / "hair-2026-06-17.csv",
    "dlinrt_products.json": DATA / "dlinrt.json",
    "babic2025_823.csv": DATA / "adverse-events.csv",
    "babic2025_943_mdr_reports.csv": DATA / "mdr-reports.csv",
}


def test_the_commands_of_docs_market_run(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import shlex

    text = (Path(__file__).parent.parent / "docs" / "market.md").read_text(encoding="utf-8")
    block = text.split("```sh\n", 1)[1].split("```", 1)[0]
    commands = [shlex.split(line.split("#", 1)[0]) for line in block.splitlines() if line.strip()]
    assert [c[:2] for c in commands][:3] == [["evalgraph", "import"]] * 3
    for command in commands:
        args = [str(DOC_FILES.get(a, a)) for a in command[1:]]
        if args[0] == "cartography":
            args[2] = str(tmp_path / args[2])
        result = run_cli(*args)
        # an import whose fixture holds a bad row on purpose exits 1, having imported the valid rows
        assert result.exit_code in ((0, 1) if args[0] == "import" else (0,)), (command, result.stderr)
    stats = run_cli("stats")
    assert "Registry snapshots" in stats.stdout and "market/hair" in stats.stdout and "market/fda" in stats.stdout
    assert (tmp_path / "report.html").read_text(encoding="utf-8").count('id="market"') == 1


def test_the_shipped_list_is_matched_again_when_the_catalogue_changes(
    store: OxigraphStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The shipped FDA snapshot records the catalogue version it was matched against; when the catalogue changes (a
    product of the list joins it), the list is matched again, once, the other products keeping their IRIs; a snapshot
    the user imported stays as it is."""
    from evalgraph.market import shipped
    from evalgraph.market.importing import previous_identities
    from evalgraph.store.oxigraph import CATALOGUE_GRAPH

    monkeypatch.setattr(shipped, "SHIPPED_FDA", DATA / "fda-2025-12-30.csv")  # a small list in the shipped list's place
    assert shipped.ensure_market(store) is not None
    assert shipped.matched_catalogue(store, MARKET + "fda") == store.recorded_hash(CATALOGUE_GRAPH)
    assert shipped.ensure_market(store) is None  # same catalogue: nothing to do
    assert record_of(store, "fda", "K203329").startswith(EGR + "product-heartflow-heartflow-analysis")

    joined = tmp_path / "heartflow.ttl"
    joined.write_text(
        f"""@prefix eg: <{EG}> . @prefix egr: <{EGR}> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        egr:tech-heartflow-test a eg:DigitalTechnology ; rdfs:label "HeartFlow FFRct"@en ;
            eg:hasRegulatoryStatus egr:status-heartflow-test .
        egr:status-heartflow-test eg:submissionNumber "K203329" .""",
        encoding="utf-8",
    )
    catalogue = [*kb.DATASETS[2].files(None), joined]
    store.load(catalogue, CATALOGUE_GRAPH, allow_reserved=True)
    before = previous_identities(store, MARKET + "fda")
    again = shipped.ensure_market(store)
    assert again is not None and again.methods.get("submission", 0) >= 1
    assert record_of(store, "fda", "K203329") == EGR + "tech-heartflow-test"
    after = previous_identities(store, MARKET + "fda")  # every other record keeps its technology
    assert {r: t for r, t in after.items() if t != EGR + "tech-heartflow-test"} == {
        r: t for r, t in before.items() if not r.endswith("-k203329")}
    assert shipped.matched_catalogue(store, MARKET + "fda") == store.recorded_hash(CATALOGUE_GRAPH)
    assert shipped.ensure_market(store) is None

    import_file(store, "fda", DATA / "fda-2026-03-30.csv")  # the user's own release
    store.load(kb.DATASETS[2].files(None), CATALOGUE_GRAPH, allow_reserved=True)  # the catalogue changes again
    assert shipped.ensure_market(store) is None
    assert ask(store, f'GRAPH <{MARKET}fda> {{ ?s eg:fileName "fda-2026-03-30.csv" }}')
