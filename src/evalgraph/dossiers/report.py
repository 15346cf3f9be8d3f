"""Rendering dossier validation results: readable text, JSON, the standard SHACL report in Turtle, and HTML.

All renderers take a list of :class:`Outcome` — one per dossier file, holding its :class:`~evalgraph.dossiers.validation.Report`
or, when the file could not be read, the error message — so one dossier and a batch render the same way.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version

import rdflib
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from evalgraph import pages
from evalgraph.dossiers.validation import SEVERITIES, Report
from evalgraph.i18n import message
from evalgraph.vocab import PREFIXES, compact

_STYLE = {"Violation": "bold red", "Warning": "yellow", "Info": "cyan"}


@dataclass
class Outcome:
    """The validation of one file: a report, or the message of the error that made the file unreadable."""

    file: str
    report: Report | None = None
    error: str | None = None

    @property
    def status(self) -> str:
        if self.report is None:
            return "unreadable"
        return "conforms" if self.report.conforms else "fails"


def summary(outcomes: list[Outcome]) -> dict[str, int]:
    return {
        "files": len(outcomes),
        "conforming": sum(o.status == "conforms" for o in outcomes),
        "failing": sum(o.status == "fails" for o in outcomes),
        "unreadable": sum(o.status == "unreadable" for o in outcomes),
        **{s: sum(o.report.counts[s] for o in outcomes if o.report) for s in SEVERITIES},
    }


def _title(outcome: Outcome) -> str:
    if outcome.report and outcome.report.subjects:
        return ", ".join(label or compact(iri) for iri, label in outcome.report.subjects)
    return ""


# ----------------------------------------------------------------------------------------------------------- text


def render_text(outcomes: list[Outcome], console: Console, lang: str) -> None:
    """Findings file by file, then a summary table when there are several files."""
    for outcome in outcomes:
        _text_one(outcome, console, lang)
    if len(outcomes) > 1:
        console.print(summary_table(outcomes, lang))
        console.print(message("validate_total", lang, **summary(outcomes)))


def _text_one(outcome: Outcome, console: Console, lang: str) -> None:
    name = escape(outcome.file)
    if outcome.report is None:
        console.print(f"[bold]{name}[/bold] — [red]{message('validate_unreadable', lang)}[/red]")
        console.print(f"  {escape(outcome.error or '')}", highlight=False)
        return
    report = outcome.report
    state = (
        f"[green]✓ {message('validate_conforms', lang)}[/green]"
        if report.conforms
        else f"[red]✗ {message('validate_fails', lang)}[/red]"
    )
    title = _title(outcome)
    console.print(
        f"[bold]{name}[/bold]" + (f" — {escape(title)}" if title else "") + f" — {state} "
        f"({message('validate_counts', lang, **report.counts)})",
        highlight=False,
    )
    if report.ignored:
        console.print(f"  [dim]{escape(message('validate_ignored', lang, count=report.ignored))}[/dim]")
    for f in report.findings:
        focus = f.focus_label or compact(f.focus)
        where = (
            escape(focus)
            + (f" · {escape(f.path)}" if f.path else "")
            + (f" = {escape(f.value)}" if f.value is not None else "")
        )
        severity = message(f"severity_{f.severity}", lang)
        console.print(
            f"  [{_STYLE[f.severity]}]{severity}[/{_STYLE[f.severity]}] {where} "
            f"[dim]({escape(compact(f.shape))})[/dim]",
            highlight=False,
        )
        console.print(f"      {escape(f.message)}", highlight=False)
        for source in f.sources:
            link = f" — {escape(source.url)}" if source.url else ""
            console.print(f"      [dim]↳ {escape(source.label(lang))}{link}[/dim]", highlight=False)
    console.print()


def summary_table(outcomes: list[Outcome], lang: str) -> Table:
    table = Table(title=message("validate_summary_title", lang))
    table.add_column(message("validate_column_file", lang))
    table.add_column(message("validate_column_technology", lang))
    for severity in SEVERITIES:
        table.add_column(message(f"severity_{severity}", lang), justify="right", style=_STYLE[severity])
    table.add_column(message("validate_column_status", lang))
    for outcome in outcomes:
        counts = outcome.report.counts if outcome.report else {}
        mark = {"conforms": "[green]✓[/green]", "fails": "[red]✗[/red]", "unreadable": "[red]![/red]"}[outcome.status]
        status = f"{mark} {message(f'validate_{outcome.status}', lang)}"
        table.add_row(
            escape(outcome.file), escape(_title(outcome)), *(str(counts.get(s, "")) for s in SEVERITIES), status
        )
    return table


# ----------------------------------------------------------------------------------------------------------- JSON


def render_json(outcomes: list[Outcome], lang: str) -> str:
    files: list[dict[str, object]] = []
    for outcome in outcomes:
        if outcome.report is not None:
            files.append({**outcome.report.to_dict(), "status": outcome.status})
        else:
            files.append({"file": outcome.file, "status": "unreadable", "error": outcome.error})
    return json.dumps({"lang": lang, "summary": summary(outcomes), "files": files}, ensure_ascii=False, indent=2) + "\n"


# --------------------------------------------------------------------------------------------------------- Turtle


def render_turtle(outcomes: list[Outcome]) -> str:
    """The standard SHACL validation report(s) (sh:ValidationReport), one per readable dossier, in one graph."""
    graph = rdflib.Graph()
    for prefix, namespace in {**PREFIXES, "sh": "http://www.w3.org/ns/shacl#"}.items():
        graph.bind(prefix, namespace, override=True)
    for outcome in outcomes:
        if outcome.report is not None:
            graph += outcome.report.graph
    return graph.serialize(format="turtle")


# ----------------------------------------------------------------------------------------------------------- HTML


def render_html(outcomes: list[Outcome], lang: str) -> str:
    """A standalone HTML page (styles inlined, no script, no external resource)."""
    try:
        tool_version = version("evalgraph")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree without metadata
        tool_version = "dev"
    totals = summary(outcomes)
    peak = max([1, *(o.report.counts[s] for o in outcomes if o.report for s in SEVERITIES)])
    return pages.render(
        "validation-report.html",
        lang=lang,
        outcomes=outcomes,
        summary=totals,
        severities=SEVERITIES,
        peak=peak,
        generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        version=tool_version,
        title=_title,
        compact=compact,
    )
