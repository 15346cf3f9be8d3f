"""Where evalgraph's data folders live, and access to them by name.

The folders ``ontology/``, ``kb/``, ``catalogue/``, ``shapes/``, ``queries/`` and ``forms/`` sit at the repository root.
A built wheel carries them inside the package as ``evalgraph/_data/<kind>``; an editable install does not
(hatchling's force-include only applies to wheels), so the repository root is the fallback. A ``resources_dir``
setting overrides both. This is the only module that knows these paths.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

KINDS = ("ontology", "kb", "catalogue", "shapes", "queries", "forms")

_PACKAGE_DIR = Path(__file__).resolve().parent


def root(override: Path | None = None) -> Path:
    """The folder that contains the data kinds."""
    if override is not None:
        return Path(override)
    packaged = _PACKAGE_DIR / "_data"
    if (packaged / "ontology").is_dir():
        return packaged
    repo = _PACKAGE_DIR.parent.parent
    if (repo / "ontology").is_dir():
        return repo
    raise FileNotFoundError(f"evalgraph data folders not found in {packaged} nor {repo}")


def path(kind: str, override: Path | None = None) -> Path:
    """The folder of one data kind (``ontology``, ``kb``, ``catalogue``, ``shapes``, ``queries``)."""
    if kind not in KINDS:
        raise ValueError(f"unknown data kind {kind!r}; expected one of {KINDS}")
    return root(override) / kind


def files(kind: str, suffix: str = ".ttl", override: Path | None = None) -> list[Path]:
    """All files of ``kind`` with ``suffix``, recursively, in a stable order."""
    folder = path(kind, override)
    return sorted(p for p in folder.rglob(f"*{suffix}") if p.is_file())


def names(kind: str, suffix: str = ".rq", override: Path | None = None) -> list[str]:
    """Public names (file stems) of the files of ``kind`` — e.g. the named queries."""
    return sorted(p.stem for p in files(kind, suffix, override))


def read_text(kind: str, name: str, suffix: str = ".rq", override: Path | None = None) -> str:
    """Text of the file ``name`` (without suffix) of ``kind``."""
    candidate = path(kind, override) / f"{name}{suffix}"
    if not candidate.is_file():
        raise FileNotFoundError(candidate)
    return candidate.read_text(encoding="utf-8")


CONTEXT_IRI = "https://w3id.org/evalgraph/context.jsonld"
"""The IRI of evalgraph's JSON-LD context; always resolved to ``ontology/context.jsonld``, never fetched."""


@lru_cache(maxsize=4)
def jsonld_context(override: Path | None = None) -> dict[str, Any]:
    """evalgraph's JSON-LD context (the value of its ``@context``), read once."""
    document = json.loads((path("ontology", override) / "context.jsonld").read_text(encoding="utf-8"))
    value: dict[str, Any] = document["@context"]
    return value
