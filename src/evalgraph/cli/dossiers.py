"""``evalgraph validate``: technology dossiers checked against the SHACL shapes."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from evalgraph.cli.context import EXIT_CHECK_FAILED, Context, pass_context, progress_bar
from evalgraph.errors import UsageError
from evalgraph.i18n import message

if TYPE_CHECKING:
    from evalgraph.dossiers.report import Outcome


@click.command()
@click.argument("dossiers", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--lang", type=click.Choice(["en", "fr"]), default=None, help="Language of findings (default: the global --lang)."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "ttl", "html"]),
    default="text",
    show_default=True,
    help="text: readable findings; json; ttl: the SHACL validation report; html: a page.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the report to this file instead of the terminal.",
)
@pass_context
def validate(context: Context, dossiers: Sequence[Path], lang: str | None, fmt: str, output: Path | None) -> None:
    """Check technology dossiers (Turtle, JSON-LD, YAML; files or folders) against the SHACL shapes.

    Exit 0 when every dossier conforms (warnings and infos allowed), 1 when violations are found,
    2 when a file cannot be read, is not a valid dossier or is over a dossier limit (EVALGRAPH_DOSSIER_MAX_…,
    see docs/dossiers.md); every file is reported either way.
    """
    from evalgraph.cli.presenters.validation import write_outcomes
    from evalgraph.dossiers import reading as dossier

    language = lang or context.lang
    files = list(dossier.iter_dossier_files(list(dossiers)))
    if not files:
        raise UsageError("validate_no_files", path=", ".join(map(str, dossiers)))
    outcomes = _validate_files(context, files, language)
    write_outcomes(outcomes, fmt, output, context.out, context.err, language)
    if any(o.report is None for o in outcomes):
        raise SystemExit(2)
    if any(not o.report.conforms for o in outcomes if o.report is not None):
        raise SystemExit(EXIT_CHECK_FAILED)


def _validate_files(context: Context, files: list[Path], language: str) -> list[Outcome]:
    """Each file read and validated in turn (with a progress bar for several), an unreadable one as its error."""
    from evalgraph.dossiers import reading as dossier
    from evalgraph.dossiers import validation
    from evalgraph.dossiers.report import Outcome
    from evalgraph.errors import DataFileError

    engine = validation.engine(context.settings.resources_dir)
    limits = dossier.Limits.from_settings(context.settings)
    outcomes: list[Outcome] = []
    with progress_bar(context, len(files) > 1) as progress:
        task = progress.add_task("", total=len(files)) if progress else None
        for file in files:
            if progress is not None and task is not None:
                progress.update(task, description=message("validate_progress", language, file=file.name))
            try:
                report = engine.validate(dossier.read(file, limits), file=str(file), lang=language)
                outcomes.append(Outcome(str(file), report=report))
            except DataFileError as exc:
                outcomes.append(Outcome(str(file), error=exc.render(language)))
            if progress is not None and task is not None:
                progress.advance(task)
    return outcomes
