"""``evalgraph cartography``: the cartography of evaluation types as HTML, XLSX or CSV, and its network as GraphML."""

from __future__ import annotations

from pathlib import Path

import click

from evalgraph.cli.context import Context, check_outputs, pass_context, progress_bar, writing
from evalgraph.cli.graphs import added_graphs
from evalgraph.errors import UsageError
from evalgraph.i18n import message
from evalgraph.vocab import compact


@click.command()
@click.option(
    "-o",
    "--output",
    "outputs",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="report.html (offline page with charts), report.xlsx (one sheet per table), report.csv "
    "(the pathway table; the other tables beside it as report-<table>.csv) or report.zip (every table as CSV). "
    "Repeatable: -o report.html -o report.xlsx writes both from one reading of the store.",
)
@click.option(
    "--csv-dialect",
    type=click.Choice(["plain", "excel"]),
    default="plain",
    show_default=True,
    help="CSV and ZIP: plain (UTF-8, comma, variable names as headers, for programs) or excel (UTF-8 with a "
    "byte-order mark, column labels as headers, ';' as separator in French, ',' in English: opens directly in "
    "Excel or LibreOffice).",
)
@click.option(
    "--graphml",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the network of technologies, pathways and evaluators (Gephi, Cytoscape).",
)
@click.option(
    "--establishment",
    "establishments",
    multiple=True,
    help="Also read this imported establishment's inventory (repeatable). By default the report reads the national "
    "reference data only: ontology, knowledge base, catalogue, market registries.",
)
@click.option(
    "--graph",
    "graphs",
    multiple=True,
    help="Also read this graph, by IRI or name, e.g. one `evalgraph load` wrote (import/NAME); repeatable.",
)
@click.option("--lang", type=click.Choice(["en", "fr"]), default=None, help="Language (default: the global --lang).")
@pass_context
def cartography(
    context: Context,
    outputs: tuple[Path, ...],
    csv_dialect: str,
    graphml: Path | None,
    establishments: tuple[str, ...],
    graphs: tuple[str, ...],
    lang: str | None,
) -> None:
    """The cartography of evaluation types: pathways, category × pathway matrix, evaluation gap, evidence profile,
    comparators and timeline, as HTML, XLSX, CSV or a ZIP of CSV files (the qualification of every technology is
    refreshed first, unless it was refreshed after the last change to the store). Its scope is the national reference data, plus the establishments and graphs named."""
    from importlib.metadata import version

    from evalgraph.cartography import files
    from evalgraph.cartography import report as carto

    language = lang or context.lang
    if not outputs and graphml is None:
        raise UsageError("cartography_output")
    check_outputs(outputs, (".html", ".xlsx", ".csv", ".zip"), "cartography_format")
    store = context.store()
    added = added_graphs(store, establishments, graphs)
    with progress_bar(context, True) as progress:
        task = progress.add_task(message("qualify_progress", language), total=None) if progress else None

        def advance(done: int, total: int) -> None:
            if progress is not None and task is not None:
                progress.update(task, completed=done, total=total)

        # current (written after every other graph), or read through a server that keeps it: no need to qualify again
        current = getattr(store, "read_only", False) or carto.inferred_is_current(store)
        report = carto.build(store, language, context.settings.resources_dir, advance, refresh=not current, added=added)
    context.err.print(carto.scope_text(report.scope, language))
    if report.scope.left_out:
        left_out = ", ".join(compact(g) for g in report.scope.left_out)
        context.err.print(message("cartography_left_out", language, count=len(report.scope.left_out), graphs=left_out))
    for output in outputs:
        suffix = output.suffix.lower()
        with writing(output):
            if suffix == ".html":
                carto.write_html(report, output, version("evalgraph"))
            elif suffix == ".xlsx":
                files.write_xlsx(report, output)
            elif suffix == ".zip":
                files.write_zip(report, output, csv_dialect)
            else:
                for path in files.write_csv(report, output, csv_dialect)[1:]:
                    context.err.print(message("validate_written", language, file=str(path)))
        context.err.print(message("validate_written", language, file=str(output)))
    if graphml is not None:
        with writing(graphml):
            carto.write_graphml(store, language, graphml, added)
        context.err.print(message("validate_written", language, file=str(graphml)))
