"""The store's named graphs and key figures, the data checks and the reasoner's verdict, on the terminal."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table

from evalgraph.i18n import catalogue, message
from evalgraph.store import formats
from evalgraph.store.oxigraph import GraphInfo, QueryResult

if TYPE_CHECKING:
    from evalgraph.ontology.reasoning import Explanation


def print_graphs(out: Console, store_path: Path, graphs: Sequence[GraphInfo], lang: str) -> None:
    """The named graphs: triples, files and load time of each."""
    fr = lang == "fr"
    table = Table(title=("Graphes nommés — " if fr else "Named graphs — ") + str(store_path))
    table.add_column("graphe" if fr else "graph")
    table.add_column("triplets" if fr else "triples", justify="right")
    table.add_column("fichiers" if fr else "files", justify="right")
    table.add_column("chargé le" if fr else "loaded at")
    for info in graphs:
        table.add_row(formats.compact(info.iri), str(info.triples), str(len(info.sources)), info.loaded_at or "")
    out.print(table)


def print_figures(out: Console, figures: Mapping[str, int], lang: str) -> None:
    """The key figures (counts of technologies, pathways, sources…)."""
    table = Table(title="Chiffres clés" if lang == "fr" else "Key figures")
    table.add_column("measure" if lang == "en" else "mesure")
    table.add_column("count" if lang == "en" else "nombre", justify="right")
    for name, value in figures.items():
        key = "stats_measure_" + "_".join(name.lower().split())
        table.add_row(message(key, lang) if key in catalogue("en") else name, str(value))
    out.print(table)


def print_stats_json(out: Console, store_path: Path, graphs: Sequence[GraphInfo], figures: Mapping[str, int]) -> None:
    """The graphs and key figures as one JSON document."""
    listed = [
        {"graph": g.iri, "triples": g.triples, "sources": list(g.sources), "sha256": g.sha256, "loaded_at": g.loaded_at}
        for g in graphs
    ]
    out.print_json(json.dumps({"store": str(store_path), "graphs": listed, "counts": dict(figures)}))


def print_check(out: Console, name: str, result: QueryResult, lang: str) -> None:
    """The outcome of one data check (a ``*-violation`` query): its first rows when it found some."""
    if len(result):
        out.print("[red]✗[/red] " + message("check_failed", lang, name=name, rows=len(result)))
        for row in result.rows[:20]:
            out.print("    " + "  ".join(formats.display(t) for t in row))
    else:
        out.print("[green]✓[/green] " + message("check_ok", lang, name=name))


def print_inconsistent(out: Console, names: str, lang: str) -> None:
    out.print("[red]" + message("inconsistent", lang, graphs=names) + "[/red]")


def print_explanation(out: Console, err: Console, explanation: Explanation, detail: str, lang: str) -> None:
    """Where the reasoner narrowed an inconsistency down to, and the end of its report."""
    graph = formats.compact(explanation.graph or "?")
    out.print(message("inconsistency_where", lang, graph=graph, runs=explanation.runs))
    for subject in explanation.subjects[:30]:
        out.print(f"  - {formats.compact(subject)}")
    err.print(detail[-3000:])


def print_unsatisfiable(out: Console, classes: Sequence[str], lang: str) -> None:
    out.print("[red]" + message("unsatisfiable", lang, classes=", ".join(map(formats.compact, classes))))


def print_consistent(
    out: Console, names: str, triples: int, seconds: float, classification: Mapping[str, Sequence[str]], lang: str
) -> None:
    """A consistent dataset, and the classification of its individuals into the defined classes."""
    out.print("[green]" + message("consistent", lang, graphs=names, triples=triples, seconds=seconds) + "[/green]")
    if not classification:
        return
    table = Table(title=message("classification_title", lang))
    table.add_column("classe" if lang == "fr" else "class")
    table.add_column("n", justify="right")
    table.add_column("individus" if lang == "fr" else "individuals")
    for iri, members in sorted(classification.items()):
        table.add_row(formats.compact(iri), str(len(members)), ", ".join(formats.compact(m) for m in members))
    out.print(table)
