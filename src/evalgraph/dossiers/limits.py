"""The limits a dossier is held to before the costly work is done (:class:`Limits`), the error that names the
limit passed (:class:`DossierLimitError`), and the walk that holds a parsed JSON dossier to them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from evalgraph.errors import DataFileError

Pointer = tuple[str | int, ...]
"""Where a value is in a JSON or YAML dossier: the keys and indexes leading to it."""


@dataclass(frozen=True)
class Limits:
    """What a dossier may hold. The defaults are far above what real dossiers need (the largest example,
    examples/dossiers/boneview.jsonld: 14 kB, 230 values, 7 levels, 163 statements, 11 resources) and keep the
    validation of any dossier within a few seconds (see docs/dossiers.md, "Limits"). Each one is an
    ``EVALGRAPH_DOSSIER_MAX_…`` setting (:class:`evalgraph.settings.Settings`)."""

    max_bytes: int = 1_000_000
    """Size of the file (or request body), checked before anything is parsed."""
    max_depth: int = 64
    """Levels of objects and lists (JSON and YAML)."""
    max_text: int = 100_000
    """Characters of one text, key or value (JSON and YAML)."""
    max_nodes: int = 5_000
    """Values — objects, lists, texts, numbers, booleans, nulls; keys not counted — of a JSON or YAML dossier,
    counted before JSON-LD expansion."""
    max_statements: int = 3_000
    """RDF statements of the dossier, counted before validation."""
    max_resources: int = 200
    """Resources the dossier describes (distinct subjects of its statements), counted before validation: SHACL
    checks each one against every shape that targets it, so they weigh most on validation time."""

    @classmethod
    def from_settings(cls, settings: object) -> Limits:
        """The limits set by ``settings`` (its ``dossier_max_…`` fields; a missing field keeps the default)."""
        defaults = cls()
        return cls(
            **{name: getattr(settings, f"dossier_{name}", getattr(defaults, name)) for name in cls.__dataclass_fields__}
        )


DEFAULT_LIMITS = Limits()

_SETTING = {name: f"EVALGRAPH_DOSSIER_{name.upper()}" for name in Limits.__dataclass_fields__}


class DossierLimitError(DataFileError):
    """A dossier over one of its :class:`Limits`: HTTP 413 for its size, 422 for its shape; exit 2."""

    http_status = 422

    def __init__(self, key: str, *, file: str, limit_name: str, limit: int, **params: object) -> None:
        self.limit_name = limit_name
        self.limit = limit
        super().__init__(key, file=file, limit=limit, setting=_SETTING[limit_name], **params)  # type: ignore[arg-type]
        if limit_name == "max_bytes":
            self.http_status = 413


def where(name: str, line: int | None, column: int | None) -> str:
    return f"{name}:{line}:{column}" if line is not None else name


def pointer_text(pointer: Pointer, width: int | None = None) -> str:
    text = "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in pointer)
    if width is not None and len(text) > width:  # a path 64 levels deep, or through a very long key
        return text[: width // 2] + "…" + text[-(width // 2) :]
    return text


def measure_json(name: str, document: Any, limits: Limits) -> None:
    """Hold a parsed JSON dossier to ``limits`` (depth, text length, number of values) before anything else is
    done with it, walking it without recursion; a refusal names the place by its path ($.studies[2]…)."""

    def refuse(key: str, limit_name: str, pointer: Pointer, **params: object) -> DossierLimitError:
        return DossierLimitError(
            key,
            file=name,
            limit_name=limit_name,
            limit=getattr(limits, limit_name),
            where=f"{name} ({pointer_text(pointer, 80)})",
            **params,
        )

    count = 0
    stack: list[tuple[Any, Pointer]] = [(document, ())]
    while stack:
        value, pointer = stack.pop()
        count += 1
        if count > limits.max_nodes:
            raise refuse("dossier_too_many_nodes", "max_nodes", pointer)
        if isinstance(value, str):
            if len(value) > limits.max_text:
                raise refuse("dossier_text_too_long", "max_text", pointer, length=len(value))
        elif isinstance(value, dict | list):
            if len(pointer) >= limits.max_depth:
                raise refuse("dossier_too_deep", "max_depth", pointer)
            if isinstance(value, dict):
                for key in value:
                    if len(key) > limits.max_text:
                        raise refuse("dossier_text_too_long", "max_text", pointer, length=len(key))
                children = [(item, (*pointer, key)) for key, item in value.items()]
            else:
                children = [(item, (*pointer, index)) for index, item in enumerate(value)]
            stack.extend(reversed(children))  # document order, so that a refusal names the first place
