"""Issue 17, point 5: the cartography's scope. The national reference data by default — establishment imports do
not leak into it (their products created for review are not technologies of the market) — an establishment or an
imported graph when asked; a command removes an establishment or an imported graph; ``init --reload`` says what it
keeps."""

from __future__ import annotations

from pathlib import Path

import pytest

from evalgraph.cartography import report
from evalgraph.establishments import inventory
from evalgraph.store import kb
from evalgraph.store.oxigraph import INFERRED_GRAPH, META_GRAPH, OxigraphStore, open_store
from evalgraph.store.scope import scope

ROOT = Path(__file__).resolve().parent.parent
INVENTORY = ROOT / "examples" / "establishment" / "inventaire-chu-exemple.xlsx"
EGG = "https://w3id.org/evalgraph/graph/"


def tables(built: report.Cartography) -> dict[str, list[list[object]]]:
    return {name: sorted(map(repr, table.rows)) for name, table in built.tables.items()}  # type: ignore[misc]


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> tuple[OxigraphStore, report.Cartography]:
    """A store with the reference data, its national cartography, then two establishments imported (each with
    products created for review)."""
    store = open_store(tmp_path_factory.mktemp("scope") / "store")
    kb.ensure_loaded(store)
    before = report.build(store, "en")
    for name in ("CHU Alpha", "CHU Beta"):
        done = inventory.import_inventory(store, INVENTORY, name, lang="en")
        assert done.created, "the example inventory creates products for review: the leak this test is about"
    report.refresh_inferred(store)
    yield store, before
    store.close()


def test_imports_do_not_leak_into_the_national_cartography(imported: tuple[OxigraphStore, report.Cartography]) -> None:
    store, before = imported
    after = report.build(store, "en", refresh=False)
    assert after.scope.national and after.qualified == before.qualified
    assert tables(after) == tables(before)
    assert {EGG + "establishment/chu-alpha", EGG + "establishment/chu-beta"} <= set(after.scope.left_out)
    assert report.scope_text(after.scope, "fr").startswith("Périmètre : les données de référence nationales")


def test_an_establishment_in_scope_adds_its_products_and_only_its_own(
    imported: tuple[OxigraphStore, report.Cartography],
) -> None:
    store, before = imported
    alpha = EGG + "establishment/chu-alpha"
    one = report.build(store, "en", refresh=False, added=(alpha,))
    both = report.build(store, "en", refresh=False, added=(alpha, EGG + "establishment/chu-beta"))
    assert one.scope.added == (alpha,) and EGG + "establishment/chu-beta" in one.scope.left_out
    assert before.qualified < one.qualified < both.qualified  # each establishment created its own products
    assert "establishment/chu-alpha" in report.scope_text(one.scope, "en")


def test_scope_reads_reference_graphs_and_never_the_whole_store_when_empty() -> None:
    present = {EGG + "kb", EGG + "market/fda", INFERRED_GRAPH, META_GRAPH, EGG + "import/mine",
               EGG + "establishment/x", EGG + "staging/abc"}
    national = scope(present)
    assert set(national.graphs) == {EGG + "kb", EGG + "market/fda", INFERRED_GRAPH, META_GRAPH}
    assert set(national.left_out) == {EGG + "import/mine", EGG + "establishment/x"}
    asked = scope(present, [EGG + "import/mine", "https://elsewhere.example/g"])
    assert asked.added == (EGG + "import/mine",), "a graph the store does not hold is never added"
    assert national.dataset == national.graphs  # something is left out: the query names its graphs
    assert scope({EGG + "kb", INFERRED_GRAPH}).dataset is None  # nothing left out: the union, faster


def test_a_query_over_an_empty_scope_reads_nothing(builtin_store: OxigraphStore) -> None:
    assert builtin_store.query("SELECT * { ?s ?p ?o } LIMIT 1").rows
    assert builtin_store.query("SELECT * { ?s ?p ?o } LIMIT 1", graphs=[]).rows == []
    assert builtin_store.query("SELECT * { GRAPH ?g { ?s ?p ?o } } LIMIT 1", graphs=[]).rows == []


# --------------------------------------------------------------------------------------------- the commands


def test_cartography_remove_and_reload_from_the_command_line(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert run_cli("import", "inventory", str(INVENTORY), "--establishment", "CHU Alpha").exit_code in (0, 1)
    (tmp_path / "mine.ttl").write_text("<https://example.org/a> <https://example.org/b> 1 .\n", encoding="utf-8")
    assert run_cli("load", str(tmp_path / "mine.ttl")).exit_code == 0

    national = run_cli("cartography", "-o", str(tmp_path / "national.html"))
    assert national.exit_code == 0, national.stderr
    assert "national reference data" in national.stderr and "egg:establishment/chu-alpha" in national.stderr
    assert "egg:import/mine" in national.stderr  # the graphs left out are named, with how to add one
    page = (tmp_path / "national.html").read_text(encoding="utf-8")
    assert 'id="scope"' in page and "no establishment or imported graph" in page

    scoped = run_cli("--lang", "fr", "cartography", "--establishment", "chu alpha", "--graph", "mine",
                     "-o", str(tmp_path / "alpha.html"))
    assert scoped.exit_code == 0, scoped.stderr
    assert "egg:establishment/chu-alpha" in (tmp_path / "alpha.html").read_text(encoding="utf-8")

    unknown = run_cli("cartography", "--establishment", "CHU Omega", "-o", str(tmp_path / "x.html"))
    assert unknown.exit_code == 2 and "CHU Omega" in unknown.stderr and "chu-alpha" in unknown.stderr
    assert run_cli("remove", "graph", "egg:kb").exit_code == 2  # built-in: reloaded by init, never removed

    removed = run_cli("remove", "establishment", "CHU Alpha")
    assert removed.exit_code == 0 and "egg:establishment/chu-alpha" in removed.stdout
    assert run_cli("remove", "graph", "mine").exit_code == 0
    graphs = run_cli("stats", "--format", "json").stdout
    assert "establishment/chu-alpha" not in graphs and "import/mine" not in graphs
    assert run_cli("remove", "establishment", "CHU Alpha").exit_code == 2  # gone: the error lists what is imported

    assert run_cli("import", "inventory", str(INVENTORY), "--establishment", "CHU Beta").exit_code in (0, 1)
    reloaded = run_cli("init", "--reload")
    assert reloaded.exit_code == 0
    assert "Reloaded: egg:catalogue, egg:kb, egg:ontology." in reloaded.stderr
    assert "Kept as they were:" in reloaded.stderr and "egg:establishment/chu-beta" in reloaded.stderr
    assert "egg:market/fda" in reloaded.stderr
