"""A comparison as plain data: candidates, themes, rows and cells, each value with its origin and sources."""

from __future__ import annotations

from dataclasses import dataclass, field

ORIGINS = ("source", "dossier", "derived")
"""Stated by a source (the catalogue, the knowledge base, an import), by the candidate's dossier, or derived by
evalgraph's qualification engine."""


@dataclass(frozen=True)
class Value:
    text: str
    origin: str
    sources: tuple[str, ...] = ()
    status: str = ""
    """A source's reservation (e.g. "partly confirmed"), empty otherwise."""


@dataclass
class Cell:
    values: list[Value] = field(default_factory=list)
    flag: str = ""
    """``needed-not-stated`` when a rule requires what the candidate does not document."""

    @property
    def documented(self) -> bool:
        return bool(self.values)

    def key(self) -> frozenset[str]:
        return frozenset(v.text for v in self.values)


@dataclass(frozen=True)
class Rule:
    """Why a difference matters: the reason and the document behind it, with its sources."""

    text: str
    basis: str = ""
    basis_label: str = ""
    sources: tuple[str, ...] = ()


@dataclass
class Row:
    item: str
    label: str
    cells: dict[str, Cell]
    rule: Rule | None = None
    derived: bool = False

    @property
    def differs(self) -> bool:
        return len({c.key() for c in self.cells.values()}) > 1

    @property
    def highlighted(self) -> bool:
        """A difference that matters: the candidates differ on an item with a rule, or a candidate lacks what a
        rule requires of it."""
        return self.rule is not None and (self.differs or any(c.flag for c in self.cells.values()))


@dataclass
class Theme:
    iri: str
    label: str
    comment: str = ""
    status: str = ""
    source: str = ""
    rows: list[Row] = field(default_factory=list)


@dataclass(frozen=True)
class Candidate:
    key: str
    iri: str
    label: str
    kind: str
    """``store`` (catalogue, knowledge base or an import) or ``dossier``."""
    file: str = ""


@dataclass
class Comparison:
    lang: str
    candidates: list[Candidate]
    identity: list[Row]
    themes: list[Theme]
    generated: str
    evidence: dict[str, dict[str, int]] = field(default_factory=dict)
    """Per candidate: counts of studies, performance measures and externally validated studies documented."""

    @property
    def unfilled_themes(self) -> list[Theme]:
        return [t for t in self.themes if not t.rows]


@dataclass(frozen=True)
class ChoiceTrace:
    """A saved choice record as the readiness report cites it: who compared which candidates and when, the
    decision and its reasons, and the establishment's deployments of the chosen technology it counts for."""

    record: str
    compared_at: str
    compared_by: str = ""
    candidates: tuple[str, ...] = ()
    decision: str = ""
    reasons: tuple[str, ...] = ()
    deployments: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, object]:
        return {
            "record": self.record,
            "compared_at": self.compared_at,
            "compared_by": self.compared_by,
            "candidates": list(self.candidates),
            "decision": self.decision,
            "reasons": list(self.reasons),
            "deployments": list(self.deployments),
        }


def to_dict(comparison: Comparison) -> dict[str, object]:
    """The comparison as plain data (the JSON output)."""

    def row(r: Row) -> dict[str, object]:
        return {
            "item": r.item,
            "label": r.label,
            "derived": r.derived,
            "differs": r.differs,
            "highlighted": r.highlighted,
            "rule": r.rule and {"text": r.rule.text, "basis": r.rule.basis, "basis_label": r.rule.basis_label,
                                "sources": list(r.rule.sources)},
            "cells": {
                key: {
                    "documented": cell.documented,
                    "flag": cell.flag,
                    "values": [{"text": v.text, "origin": v.origin, "sources": list(v.sources), "status": v.status}
                               for v in cell.values],
                }
                for key, cell in r.cells.items()
            },
        }  # fmt: skip

    return {
        "lang": comparison.lang,
        "generated": comparison.generated,
        "candidates": [{"key": c.key, "iri": c.iri, "label": c.label, "kind": c.kind, "file": c.file}
                       for c in comparison.candidates],
        "identity": [row(r) for r in comparison.identity],
        "themes": [
            {"iri": t.iri, "label": t.label, "comment": t.comment, "status": t.status, "source": t.source,
             "documented": bool(t.rows), "rows": [row(r) for r in t.rows]}
            for t in comparison.themes
        ],
        "evidence": comparison.evidence,
    }  # fmt: skip
