"""A registry import on the terminal: the snapshot and its counts, what changed, the values no mapping reads and the
rows left out (or all of it as JSON)."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table

from evalgraph.vocab import compact

if TYPE_CHECKING:
    from evalgraph.market import ImportReport

SHOWN = 12
"""Unmapped values shown per field on the terminal (the JSON output lists them all)."""


def print_import(out: Console, report: ImportReport, lang: str, fmt: str) -> None:
    if fmt == "json":
        document = dataclasses.asdict(report)
        document["problems"] = [str(p) for p in report.problems]
        out.print_json(json.dumps(document, ensure_ascii=False))
        return
    fr = lang == "fr"
    title = f"{report.source} — {report.file} ({report.snapshot_date}) → {report.graph}"
    if report.unchanged:
        out.print(
            f"{title}: "
            + ("instantané déjà importé, rien n'a changé" if fr else "snapshot already imported, nothing changed")
            + f" ({report.records})"
        )
        return
    table = Table(title=title)
    heads = (("fiches", "records"), ("par n° de soumission", "by submission"), ("par EUDAMED", "by EUDAMED"),
             ("par nom et fabricant", "by name and maker"), ("nouvelles", "new"), ("à revoir", "to review"),
             ("ajoutées", "added"), ("retirées", "removed"), ("modifiées", "modified"), ("problèmes", "problems"))  # fmt: skip
    for head in heads:
        table.add_column(head[0] if fr else head[1], justify="right")
    m = report.methods
    table.add_row(*map(str, (report.records, m.get("submission", 0), m.get("eudamed", 0),
                             m.get("name-and-manufacturer", 0), report.created, report.reviews, report.added,
                             report.removed, report.modified, len(report.problems))))  # fmt: skip
    out.print(table)
    for name, values in sorted(report.unmapped.items()):
        ordered = sorted(values.items(), key=lambda kv: (-kv[1], kv[0]))
        shown = ", ".join(f"{v!r} ×{n}" for v, n in ordered[:SHOWN]) + (" …" if len(ordered) > SHOWN else "")
        label = "valeurs sans correspondance" if fr else "unmapped values"
        out.print(f"{label} — {name} ({len(ordered)}): {shown}", highlight=False)
    for problem in report.problems:
        out.print(str(problem), highlight=False)


def print_snapshots(out: Console, rows: Sequence[Sequence[object]], lang: str) -> None:
    """The registry snapshots of the store (``evalgraph stats``): file, date, records and what changed."""
    if not rows:
        return
    fr = lang == "fr"
    table = Table(title="Instantanés de registres" if fr else "Registry snapshots")
    heads = (("graphe", "graph"), ("fichier", "file"), ("date", "date"), ("fiches", "records"),
             ("ajoutées", "added"), ("retirées", "removed"), ("modifiées", "modified"))  # fmt: skip
    for index, head in enumerate(heads):
        table.add_column(head[0] if fr else head[1], justify="right" if index > 2 else "left")
    for graph, _dataset, *values in rows:
        table.add_row(compact(str(getattr(graph, "value", graph))), *(str(getattr(v, "value", v)) for v in values))
    out.print(table)
