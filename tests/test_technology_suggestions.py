"""A technology name that names none gets the nearest known names (labels and alternative names, compared without
case or accents), in English and French, exit 2 — from the one place names are resolved, so qualify, compare and
query --param technology= all say it."""

from __future__ import annotations

from pathlib import Path

import pytest

from evalgraph.errors import UsageError
from evalgraph.qualification.engine import resolve_technology
from evalgraph.qualification.suggest import fold, nearest
from evalgraph.store.oxigraph import OxigraphStore

BONEVIEW = "https://w3id.org/evalgraph/id/tech-boneview"


def test_names_are_compared_without_case_or_accents(builtin_store: OxigraphStore) -> None:
    assert fold("  Échographie   IA ") == "echographie ia"
    assert nearest(builtin_store, "BÖNEVIEW")[0] == ("BoneView", BONEVIEW)
    assert nearest(builtin_store, "zzzzqqqq") == []


def test_resolution_suggests_the_nearest_names(builtin_store: OxigraphStore) -> None:
    with pytest.raises(UsageError) as refused:
        resolve_technology(builtin_store, "boneviw")
    error = refused.value
    assert error.key == "technology_unknown_suggest" and error.exit_code == 2
    assert error.render("en").startswith("no technology named 'boneviw' in the store; did you mean BoneView (egr:tech-boneview)")
    assert "vouliez-vous dire BoneView (egr:tech-boneview)" in error.render("fr")
    with pytest.raises(UsageError) as nothing:
        resolve_technology(builtin_store, "zzzzqqqq")
    assert nothing.value.key == "technology_unknown"


@pytest.mark.parametrize("args", [
    ("qualify", "boneviw"),
    ("query", "technology-profile", "--param", "technology=boneviw"),
    ("compare", "boneviw", "Rayvolve", "-o", "{tmp}/comparison.html"),
])
def test_every_command_suggests(run_cli, tmp_path: Path, args: tuple[str, ...]) -> None:
    result = run_cli(*(a.replace("{tmp}", str(tmp_path)) for a in args))
    assert result.exit_code == 2
    assert "did you mean BoneView (egr:tech-boneview)" in result.stderr
    french = run_cli("--lang", "fr", *(a.replace("{tmp}", str(tmp_path)) for a in args))
    assert french.exit_code == 2 and "vouliez-vous dire BoneView" in french.stderr
