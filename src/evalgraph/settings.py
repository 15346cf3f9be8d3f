"""One settings object; the only module that reads the environment (prefix ``EVALGRAPH_``)."""

from __future__ import annotations

from pathlib import Path

import platformdirs
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def _default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir("evalgraph", appauthor=False))


class Settings(BaseSettings):
    """evalgraph settings. Each field can be set with an ``EVALGRAPH_<NAME>`` environment variable."""

    model_config = SettingsConfigDict(env_prefix="EVALGRAPH_", extra="ignore")

    data_dir: Path = Field(default_factory=_default_data_dir)
    """Directory of the embedded store (``store/`` inside it). Default: the platform's user data directory
    (``~/.local/share/evalgraph`` on Linux). Overridden by ``--data-dir``."""

    lang: str = "en"
    """Language of messages and labels: ``en`` or ``fr``. Overridden by ``--lang``."""

    resources_dir: Path | None = None
    """Folder holding ``ontology/``, ``kb/``, ``catalogue/``, ``shapes/`` and ``queries/`` to use instead of the
    packaged copies (for developing the data)."""

    @property
    def store_path(self) -> Path:
        """Directory of the on-disk Oxigraph store."""
        return self.data_dir / "store"


def get_settings(**overrides: object) -> Settings:
    """Settings from the environment, with explicit ``overrides`` (ignored when ``None``) taking precedence."""
    return Settings.model_validate({k: v for k, v in overrides.items() if v is not None})
