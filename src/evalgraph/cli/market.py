"""``evalgraph import fda|hair|dlinrt|eudamed-crosswalk|fda-adverse-events FILE``: a public registry's snapshot into
its named graph (registered under the ``import`` group beside ``import inventory``)."""

from __future__ import annotations

from pathlib import Path

import click

from evalgraph.cli.context import EXIT_CHECK_FAILED, Context, pass_context
from evalgraph.cli.presenters import market as present

SOURCES = ("fda", "hair", "dlinrt", "eudamed-crosswalk", "fda-adverse-events")
HELP = {
    "fda": "The FDA list of AI-enabled medical devices (its CSV release, or the enriched JSON copy).",
    "hair": "A Health AI Register snapshot (CSV or JSON) — your own copy: it is not redistributed.",
    "dlinrt": "The DLinRT.eu product list (JSON) — your own copy: it is not redistributed.",
    "eudamed-crosswalk": "An EUDAMED ↔ FDA crosswalk of confirmed matches (CSV).",
    "fda-adverse-events": "FDA AI devices with their MAUDE report counts (Babic et al. 2025, CSV).",
}


def _command(key: str) -> click.Command:
    @click.command(
        key, help=HELP[key] + " The snapshot replaces the source's named graph; exit 1 when rows were left out."
    )
    @click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
    @click.option("--snapshot-date", help="Date of the snapshot, YYYY-MM-DD (default: a date in the file name, else "
                  "the latest date of its records).")  # fmt: skip
    @click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
    @pass_context
    def run(context: Context, file: Path, snapshot_date: str | None, fmt: str, reports: Path | None = None) -> None:
        from evalgraph.market import import_file

        report = import_file(
            context.store(), key, file, override=context.settings.resources_dir,
            snapshot=snapshot_date, reports=reports,
        )  # fmt: skip
        present.print_import(context.out, report, context.lang, fmt)
        if report.problems:
            raise SystemExit(EXIT_CHECK_FAILED)

    if key == "fda-adverse-events":
        run = click.option(
            "--reports",
            type=click.Path(dir_okay=False, path_type=Path),
            help="The MAUDE reports file (one row per report), for the counts by event type.",
        )(run)
    return run


def register(group: click.Group) -> None:
    """Add one ``import <source>`` command per registry to ``group``."""
    for key in SOURCES:
        group.add_command(_command(key))
