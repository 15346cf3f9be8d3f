"""The public Python API: ``evalgraph.__all__`` is sorted and exactly what docs/api.md lists, and every Python
block of docs/api.md runs, in order, from the repository's root (so the page cannot drift from the code)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import evalgraph

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "api.md"


def test_all_is_sorted_and_importable() -> None:
    assert evalgraph.__all__ == sorted(evalgraph.__all__)
    for name in evalgraph.__all__:
        assert hasattr(evalgraph, name), name


def test_docs_list_the_four_functions() -> None:
    text = DOC.read_text(encoding="utf-8")
    functions = {n for n in evalgraph.__all__ if callable(getattr(evalgraph, n)) and n[0].islower()}
    assert functions == {"open_store", "query", "validate", "qualify"}
    for name in functions:
        assert f"`{name}(" in text, name


def test_the_documented_session_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVALGRAPH_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.chdir(ROOT)
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), re.DOTALL)
    assert len(blocks) >= 5
    namespace: dict[str, object] = {}
    for block in blocks:
        exec(compile(block, str(DOC), "exec"), namespace)  # noqa: S102 - the documentation's own examples
