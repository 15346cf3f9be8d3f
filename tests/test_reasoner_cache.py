"""HermiT's verdicts kept on disk (evalgraph.ontology.verdicts): a run on exactly the same triples, HermiT and Java is
answered from the record and says so; any change of the triples or of the Java runs HermiT again; ``--no-cache``
always does; a damaged record is ignored. Small graphs here, so that each real HermiT run takes a second."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from evalgraph.ontology import reasoning, verdicts

from .conftest import DATA

GRAPH = "https://example.org/g/dated"
EX = "https://example.org/"


@pytest.fixture
def hermit_runs(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[int]:
    """The number of real HermiT runs, counted; the reasoner cache at its default place (the data directory)."""
    monkeypatch.delenv("EVALGRAPH_REASONER_CACHE", raising=False)
    runs: list[int] = []
    real = reasoning._hermit

    def counted(triples, java):  # type: ignore[no-untyped-def]
        runs.append(len(triples))
        return real(triples, java)

    monkeypatch.setattr(reasoning, "_hermit", counted)
    return runs


def triples(blank: str = "b1", value: str = "2024-08-01") -> list[ox.Triple]:
    node = ox.BlankNode(blank)
    return [ox.Triple(ox.NamedNode(EX + "event"), ox.NamedNode(EX + "at"), node),
            ox.Triple(node, ox.NamedNode(EX + "date"), ox.Literal(value))]


def test_the_key_ignores_blank_node_labels_and_sees_any_other_change(tmp_path: Path) -> None:
    java = reasoning.find_java()
    assert verdicts.key(triples("b1"), java) == verdicts.key(triples("zz"), java)
    assert verdicts.key(list(reversed(triples())), java) == verdicts.key(triples(), java)
    assert verdicts.key(triples(value="2024-08-02"), java) != verdicts.key(triples(), java)
    other = tmp_path / "java"
    shutil.copy(java, other)
    assert verdicts.key(triples(), str(other)) != verdicts.key(triples(), java)  # another Java, another verdict


def test_a_second_run_answers_from_the_record_and_no_cache_reasons_again(run_cli, hermit_runs: list[int],
                                                                        tmp_path: Path) -> None:
    assert run_cli("load", str(DATA / "dated.ttl"), "--graph", GRAPH).exit_code == 0
    first = run_cli("reason", "--graph", GRAPH)
    assert first.exit_code == 0 and "Consistent" in first.stdout and "--no-cache" not in first.stderr
    assert len(hermit_runs) == 1
    records = list((tmp_path / "data" / "reasoner-cache").glob("*.json"))
    assert len(records) == 1 and json.loads(records[0].read_text())["report"]["consistent"] is True

    second = run_cli("reason", "--graph", GRAPH)
    assert second.exit_code == 0 and "Consistent" in second.stdout
    assert "verdict of" in second.stderr and "--no-cache" in second.stderr
    assert len(hermit_runs) == 1  # answered from the record

    again = run_cli("reason", "--graph", GRAPH, "--no-cache")
    assert again.exit_code == 0 and "verdict of" not in again.stderr and len(hermit_runs) == 2

    assert run_cli("load", str(DATA / "small.ttl"), "--graph", GRAPH).exit_code == 0  # other triples
    changed = run_cli("reason", "--graph", GRAPH)
    assert changed.exit_code == 0 and "verdict of" not in changed.stderr and len(hermit_runs) == 3

    french = run_cli("--lang", "fr", "reason", "--graph", GRAPH)
    assert "Verdict de HermiT" in french.stderr and len(hermit_runs) == 3


def test_an_inconsistent_verdict_is_kept_too(run_cli, hermit_runs: list[int]) -> None:
    bad = "https://example.org/g/bad"
    run_cli("load", str(DATA / "inconsistent.ttl"), "--graph", bad)
    first = run_cli("reason", "--graph", bad)
    runs = len(hermit_runs)
    second = run_cli("reason", "--graph", bad)
    assert first.exit_code == second.exit_code == 1 and "Inconsistent" in second.stdout
    assert "verdict of" in second.stderr
    assert len(hermit_runs) < 2 * runs  # the first check came from the record (the narrowing runs HermiT again)


def test_a_damaged_record_is_ignored_and_replaced(run_cli, hermit_runs: list[int], tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "elsewhere"
    monkeypatch.setenv("EVALGRAPH_REASONER_CACHE", str(folder))  # the setting moves the records
    run_cli("load", str(DATA / "dated.ttl"), "--graph", GRAPH)
    assert run_cli("reason", "--graph", GRAPH).exit_code == 0
    [record] = folder.glob("*.json")
    for damage in ("{not json", json.dumps({"format": "other", "report": {}}),
                   json.dumps({"format": verdicts.FORMAT, "checked": "x", "report": {"unknown_field": 1}})):
        record.write_text(damage)
        result = run_cli("reason", "--graph", GRAPH)
        assert result.exit_code == 0 and "Consistent" in result.stdout and "verdict of" not in result.stderr
    assert len(hermit_runs) == 4
    assert json.loads(record.read_text())["format"] == verdicts.FORMAT  # replaced by a good record


def test_two_runs_at_once_on_the_same_triples_reason_once(hermit_runs: list[int], tmp_path: Path) -> None:
    """A second process (here a thread: the lock is per open file) asking for the same verdict waits for the first's
    record instead of reasoning again."""
    from concurrent.futures import ThreadPoolExecutor

    from evalgraph.store.oxigraph import open_store

    store = open_store(None)
    store.load([DATA / "dated.ttl"], GRAPH)
    data = store.export([GRAPH])
    with ThreadPoolExecutor(2) as pool:
        reports = list(pool.map(lambda _: reasoning.run_hermit(data, cache=tmp_path / "cache"), range(2)))
    assert len(hermit_runs) == 1
    assert [r.consistent for r in reports] == [True, True] and sorted(bool(r.cached) for r in reports) == [False, True]


def test_a_cache_folder_that_cannot_be_written_only_means_no_cache(hermit_runs: list[int], tmp_path: Path) -> None:
    from evalgraph.store.oxigraph import open_store

    blocked = tmp_path / "file"
    blocked.write_text("a file where the cache folder should be")
    store = open_store(None)
    store.load([DATA / "dated.ttl"], GRAPH)
    report = reasoning.run_hermit(store.export([GRAPH]), cache=blocked / "cache")
    assert report.consistent and not report.cached and len(hermit_runs) == 1


def test_the_key_follows_evalgraph_s_own_reasoning_code(monkeypatch: pytest.MonkeyPatch) -> None:
    """An upgrade of the code that prepares HermiT's input or reads its answer never answers from an older run."""
    java = reasoning.find_java()
    before = verdicts.key(triples(), java)
    real = verdicts.version
    monkeypatch.setattr(verdicts, "version", lambda name: "0.0.0-other" if name == "evalgraph" else real(name))
    assert verdicts.key(triples(), java) != before
