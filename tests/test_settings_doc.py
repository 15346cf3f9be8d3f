"""One settings object, every setting documented: each field of ``Settings`` is in docs/settings.md with its
environment variable, default and description; the web service's options come from it."""

from __future__ import annotations

from pathlib import Path

import pytest

from evalgraph.settings import Settings, get_settings
from evalgraph.web.service import ServerSettings

DOC = Path(__file__).resolve().parent.parent / "docs" / "settings.md"


@pytest.mark.parametrize("name", list(Settings.model_fields))
def test_every_setting_is_documented(name: str) -> None:
    field = Settings.model_fields[name]
    line = next((line for line in DOC.read_text(encoding="utf-8").splitlines()
                 if line.startswith(f"| `EVALGRAPH_{name.upper()}` |")), None)
    assert line is not None, f"EVALGRAPH_{name.upper()} is not in docs/settings.md"
    assert field.description, f"{name} has no docstring"
    assert field.description.split(".")[0].replace("``", "`").replace("\n", " ")[:40] in line
    if field.default_factory is None and field.default is not None:
        assert f"`{field.default}`" in line, f"docs/settings.md gives another default for {name}"


def test_server_options_come_from_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("EVALGRAPH_QUERY_TIMEOUT", "7.5")
    monkeypatch.setenv("EVALGRAPH_READ_ONLY", "true")
    monkeypatch.setenv("EVALGRAPH_MAX_BODY", "1234")
    settings = get_settings(data_dir=tmp_path, workers=3)  # an explicit option wins over the environment
    server = ServerSettings.from_settings(settings, lang="fr")
    assert (server.query_timeout, server.read_only, server.max_body_bytes, server.query_workers) == (7.5, True, 1234, 3)
    assert ServerSettings.from_settings(settings, lang="en", in_process=True).query_workers == 0


def test_a_bad_setting_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, run_cli) -> None:
    monkeypatch.setenv("EVALGRAPH_PORT", "99999")
    result = run_cli("stats")
    assert result.exit_code == 2 and "EVALGRAPH_PORT (or --port) = '99999' is not valid" in result.stderr
