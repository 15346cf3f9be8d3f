"""An establishment's data on the terminal: what an inventory import did, and the certification readiness summary."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table

from evalgraph import vocab
from evalgraph.i18n import message

if TYPE_CHECKING:
    from evalgraph.establishments.inventory import ImportReport
    from evalgraph.establishments.readiness import Readiness

READINESS_COLUMNS = ("deployments", "to-determine", "met", "to-check", "missing")


def print_import(out: Console, err: Console, report: ImportReport, title: str, file_name: str, lang: str) -> None:
    """The counts of an inventory import, then its notes and the problems of the rows left out."""
    from evalgraph.establishments import inventory

    fr = lang == "fr"
    table = Table(title=title)
    table.add_column("lignes lues" if fr else "rows read", justify="right")
    table.add_column("déploiements" if fr else "deployments", justify="right")
    table.add_column("reconnues (nom et fabricant / nom seul)" if fr else "recognised (name and maker / name only)")
    table.add_column("créées, à revoir" if fr else "created, to review", justify="right")
    table.add_column("lignes économiques" if fr else "economics rows", justify="right")
    table.add_column("problèmes" if fr else "problems", justify="right")
    ev = vocab.EGV
    table.add_row(
        str(report.rows),
        str(report.deployments),
        f"{report.matches.get(ev + 'match-name-and-manufacturer', 0)} / "
        f"{report.matches.get(ev + 'match-name-only', 0)}",
        str(len(report.created)),
        str(report.economics_rows),
        str(len(report.problems)),
    )
    out.print(table)
    for problem in report.notes:
        err.print(problem.render(file_name, lang), highlight=False)
    for problem in inventory.iter_problems(report):
        err.print(f"[red]{problem.render(file_name, lang)}[/red]", highlight=False)
    err.print(message("inventory_imported", lang, graph=report.graph, triples=report.triples))


def print_readiness(out: Console, result: Readiness, summary: dict[str, dict[str, int]], lang: str) -> None:
    """The readiness per criterion: deployments, and evaluation elements to determine, met, to check, missing."""
    from evalgraph.establishments import readiness as rd

    fr = lang == "fr"
    table = Table(title=result.label)
    table.add_column("critère" if fr else "criterion")
    for column in READINESS_COLUMNS:
        table.add_column(
            rd.word(column, lang) if column != "deployments" else ("déploiements" if fr else "deployments"),
            justify="right",
        )
    for criterion in result.criteria:
        counts = summary[criterion.iri]
        table.add_row(criterion.label, *(str(counts[c]) for c in READINESS_COLUMNS))
    out.print(table)
    for item in result.elements:
        status = rd.word(item.status, lang)
        out.print(message("readiness_establishment_element", lang, element=item.label, status=status), highlight=False)
        for line in item.messages:
            out.print(f"  {line}", highlight=False)
        for trace in item.records:
            out.print(f"  {rd.trace_text(trace, lang)}", highlight=False)
    for row in result.rejected:
        shown = message(
            "readiness_rejected_row", lang, row=row.row, column=row.column, value=row.value, reason=row.reason
        )
        out.print(f"  [red]{shown}[/red]", highlight=False)


def print_obligations_missing(out: Console, count: int, lang: str) -> None:
    out.print(message("readiness_obligations_missing", lang, count=count), highlight=False)
