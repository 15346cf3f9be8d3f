"""``evalgraph compare``: candidate technologies side by side, theme by theme of the HAS choice-aid guide, as HTML,
XLSX or JSON — and, with ``--record``, the comparison saved as a choice record of an establishment."""

from __future__ import annotations

from pathlib import Path

import click

from evalgraph.cli.context import Context, check_outputs, pass_context, writing
from evalgraph.errors import UsageError
from evalgraph.i18n import message


@click.command()
@click.argument("candidates", nargs=-1, required=True)
@click.option(
    "-o",
    "--output",
    "outputs",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="compare.html (offline page), compare.xlsx (one column per candidate) or compare.json. Repeatable: "
    "-o compare.html -o compare.json writes both from one reading of the store.",
)
@click.option("--lang", type=click.Choice(["en", "fr"]), default=None, help="Language (default: the global --lang).")
@click.option("--record", "establishment", help="Save the comparison as a choice record of this establishment.")
@click.option("--by", "who", help="Who compared (with --record).")
@click.option("--decision", help="The candidate chosen (name, IRI or dossier file as given), with --record.")
@click.option("--reason", "reasons", multiple=True, help="A reason for the decision (repeatable), with --record.")
@click.option(
    "--answered",
    multiple=True,
    help="A theme of the guide the choice answered (IRI or label; repeatable); default: the themes the comparison "
    "documents for some candidate.",
)
@pass_context
def compare(
    context: Context,
    candidates: tuple[str, ...],
    outputs: tuple[Path, ...],
    lang: str | None,
    establishment: str | None,
    who: str | None,
    decision: str | None,
    reasons: tuple[str, ...],
    answered: tuple[str, ...],
) -> None:
    """Compare candidate technologies (names, IRIs or dossier files) side by side for each theme of the HAS
    choice-aid guide: documented facts with their sources, what evalgraph derives, "not documented", and the
    differences that matter with their rule. No score, no ranking."""
    from evalgraph.choice import compare as build
    from evalgraph.choice import output as out
    from evalgraph.choice import records

    language = lang or context.lang
    if len(candidates) < 2:
        raise UsageError("compare_too_few")
    if not outputs and establishment is None:
        raise UsageError("compare_output")
    check_outputs(outputs, out.FORMATS, "compare_format")
    store = context.store()
    comparison = build(store, list(candidates), language, context.settings.resources_dir)
    for output in outputs:
        with writing(output):
            out.write(comparison, output)
        context.err.print(message("validate_written", language, file=str(output)))
    if establishment is not None:
        chosen = records.chosen(comparison, list(candidates), decision)
        record = records.Record(establishment, who or "", chosen, list(reasons), list(answered))
        iri = records.save(store, comparison, record)
        context.out.print(message("choice_record_saved", language, record=iri, establishment=establishment))
