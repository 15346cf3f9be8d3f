"""Data folders are found from a built wheel as well as from this (editable) checkout."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

from evalgraph import resources

REPO = Path(__file__).resolve().parent.parent


def test_editable_layout_finds_repository_folders() -> None:
    root = resources.root()
    assert (root / "ontology" / "evalgraph.ttl").is_file()
    assert resources.names("queries")


def test_wheel_carries_data_and_runs(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(wheels), str(REPO)],
        check=True,
    )
    [wheel] = list(wheels.glob("evalgraph-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    for kind in ("ontology", "kb", "catalogue", "queries", "shapes", "forms"):
        assert any(n.startswith(f"evalgraph/_data/{kind}/") for n in names), kind
    assert "evalgraph/_data/ontology/context.jsonld" in names
    assert "evalgraph/_data/shapes/support.rq" in names
    assert "evalgraph/templates/validation-report.html" in names
    assert {"evalgraph/locale/en/LC_MESSAGES/evalgraph.po", "evalgraph/locale/fr/LC_MESSAGES/evalgraph.po",
            "evalgraph/templates/_page.html", "evalgraph/templates/_charts.html"} <= set(names)
    assert "evalgraph/_data/forms/inventory.ttl" in names
    # the FDA list shipped as the default market (US public domain), and its mappings
    assert {"evalgraph/market/data/ai-ml-enabled-devices_2025-12-30.csv", "evalgraph/_data/forms/market.ttl"} <= set(names)
    assert "evalgraph/_data/shapes/establishment/readiness.ttl" in names
    assert {"evalgraph/web/static/index.html", "evalgraph/web/static/app.js", "evalgraph/web/static/common.js",
            "evalgraph/web/static/api.html"} <= set(names)
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)], check=True)
    env = {**os.environ, "PYTHONPATH": str(target), "EVALGRAPH_DATA_DIR": str(tmp_path / "data"), "COLUMNS": "200"}
    where = subprocess.run(
        [sys.executable, "-c", "import evalgraph.resources as r; print(r.root())"],
        env=env, capture_output=True, text=True, check=True, cwd=tmp_path,
    ).stdout.strip()
    assert where == str(target / "evalgraph" / "_data")
    stats = subprocess.run(
        [sys.executable, "-m", "evalgraph", "stats", "--format", "json"],
        env=env, capture_output=True, text=True, cwd=tmp_path,
    )
    assert stats.returncode == 0, stats.stderr
    assert '"technologies"' in stats.stdout
    validated = subprocess.run(
        [sys.executable, "-m", "evalgraph", "validate", str(REPO / "tests" / "data" / "dossiers" / "minimal.jsonld"),
         "--format", "json"],
        env=env, capture_output=True, text=True, cwd=tmp_path,
    )
    assert validated.returncode == 0, validated.stderr
    assert '"conforms": true' in validated.stdout
