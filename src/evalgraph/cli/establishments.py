"""Commands over an establishment's data: ``template inventory``, ``import inventory``, ``readiness`` and
``economics``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from evalgraph.cli import market
from evalgraph.cli.context import EXIT_CHECK_FAILED, Context, pass_context, writing
from evalgraph.cli.presenters import establishments as present
from evalgraph.errors import UsageError
from evalgraph.i18n import message
from evalgraph.store.oxigraph import OxigraphStore

if TYPE_CHECKING:
    from evalgraph.establishments.economics import Sheet as EconomicSheet
    from evalgraph.establishments.readiness import Readiness


@click.group()
def template() -> None:
    """Write an empty template to fill in."""


@template.command("inventory")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="File to write: .xlsx (drop-down lists, example row, economics sheet) or .csv.",
)
@click.option("--format", "fmt", type=click.Choice(["xlsx", "csv"]), help="Format (default: from the suffix).")
@pass_context
def template_inventory(context: Context, output: Path, fmt: str | None) -> None:
    """The establishment inventory template: bilingual headers, drop-down lists of controlled values, an example
    row, and a companion sheet for the economic assumptions."""
    from evalgraph.establishments import inventory

    with writing(output):
        written = inventory.write_template(context.store(), output, fmt, context.settings.resources_dir)
    context.err.print(context.msg("validate_written", file=str(written)))


@click.group("import")
def import_group() -> None:
    """Import an establishment's data into the graph."""


market.register(import_group)  # import fda|hair|dlinrt|eudamed-crosswalk|fda-adverse-events FILE


@import_group.command("inventory")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--establishment", required=True, help="The establishment's name (its graph is replaced).")
@pass_context
def import_inventory(context: Context, file: Path, establishment: str) -> None:
    """Import a filled inventory (XLSX or CSV): one deployment per valid row, linked to a known technology when
    its name and manufacturer match one (else created and flagged for review). Bad cells are reported by row and
    column; the other rows are imported. Exit 1 when some rows were left out."""
    from evalgraph.cartography import report as carto
    from evalgraph.establishments import inventory

    store = context.store()
    report = inventory.import_inventory(
        store, file, establishment, lang=context.lang, override=context.settings.resources_dir
    )
    with context.err.status(context.msg("qualify_progress")):
        carto.refresh_inferred(store)
    present.print_import(context.out, context.err, report, f"{establishment} — {file.name}", file.name, context.lang)
    if report.problems:
        raise SystemExit(EXIT_CHECK_FAILED)


@click.command()
@click.argument("establishment")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the report: .html (with a summary chart), .xlsx or .json. Without it, a summary table.",
)
@click.option(
    "--years",
    default=5,
    show_default=True,
    type=click.IntRange(1, 30),
    help="Horizon of the economic sheet included in the HTML report.",
)
@click.option("--lang", type=click.Choice(["fr", "en"]), help="Language of the report (default: --lang).")
@pass_context
def readiness(context: Context, establishment: str, output: Path | None, years: int, lang: str | None) -> None:
    """Certification readiness of an imported establishment: per criterion and deployment, each evaluation
    element met, to check, missing or not applicable, and the legal obligations of each deployment, with sources.
    Exit 1 when something is missing."""
    from evalgraph.establishments import readiness as rd

    language = lang or context.lang
    store = context.store()
    result = rd.assess(store, establishment, language, context.settings.resources_dir)
    if output is not None:
        _write_readiness(context, store, result, output, language, years)
    summary = result.summary()
    present.print_readiness(context.out, result, summary, language)
    obligations_missing = sum(o.status == "missing" for d in result.deployments for o in d.obligations)
    present.print_obligations_missing(context.out, obligations_missing, language)
    elements_missing = any(item.status == "missing" for item in result.elements)
    if obligations_missing or elements_missing or any(counts["missing"] for counts in summary.values()):
        raise SystemExit(EXIT_CHECK_FAILED)


def _write_readiness(
    context: Context, store: OxigraphStore, result: Readiness, output: Path, language: str, years: int
) -> None:
    """The readiness report as .html (with the economic sheet, when there is one), .xlsx or .json."""
    import json

    from evalgraph.establishments import readiness as rd

    suffix = output.suffix.lower()
    if suffix not in (".html", ".xlsx", ".json"):
        raise UsageError("readiness_format", file=str(output))
    with writing(output):
        if suffix == ".html":
            rd.write_html(result, output, _economics_sheet(context, store, result.establishment, language, years))
        elif suffix == ".xlsx":
            rd.write_xlsx(result, output)
        else:
            output.write_text(json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    context.err.print(message("validate_written", language, file=str(output)))


@click.command()
@click.argument("establishment")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="Write the sheet: .xlsx (live formulas over the assumptions) or .html (tables and a chart).",
)
@click.option("--years", default=5, show_default=True, type=click.IntRange(1, 30), help="Horizon, in years.")
@click.option(
    "--discount-rate",
    type=click.FloatRange(min=0, max=1),
    default=None,
    help="Yearly discount rate (e.g. 0.04); none by default.",
)
@click.option("--lang", type=click.Choice(["fr", "en"]), help="Language of the sheet (default: --lang).")
@pass_context
def economics(
    context: Context, establishment: str, output: Path, years: int, discount_rate: float | None, lang: str | None
) -> None:
    """The economic sheet of an imported establishment: budget impact over N years of the costs and expected
    effects its inventory states per deployment, every assumption shown — a calculator, not a verdict."""
    from decimal import Decimal

    from evalgraph.establishments import economics as eco
    from evalgraph.establishments import readiness as rd

    language = lang or context.lang
    store = context.store()
    iri, _graph = rd.resolve(store, establishment)
    sheet = eco.compute(
        eco.read(store, iri, language, context.settings.resources_dir),
        years,
        Decimal(str(discount_rate)) if discount_rate is not None else None,
    )
    suffix = output.suffix.lower()
    if suffix not in (".html", ".xlsx"):
        raise UsageError("economics_format", file=str(output))
    with writing(output):
        if suffix == ".xlsx":
            eco.write_xlsx(sheet, output, language)
        else:
            output.write_text(eco.render_html(sheet, language, establishment), encoding="utf-8")
    context.err.print(message("validate_written", language, file=str(output)))


def _economics_sheet(
    context: Context, store: OxigraphStore, establishment: str, lang: str, years: int
) -> EconomicSheet | None:
    from evalgraph.establishments import economics as eco

    inputs = eco.read(store, establishment, lang, context.settings.resources_dir)
    return eco.compute(inputs, years) if inputs else None
