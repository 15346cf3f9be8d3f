"""``evalgraph ontology-doc``: the ontology's reference in Markdown (docs/ontology-reference.md)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from evalgraph.cli.context import Context, pass_context, writing
from evalgraph.ontology import reference


@click.command("ontology-doc")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Markdown file to write (default: standard output), e.g. docs/ontology-reference.md.")  # fmt: skip
@pass_context
def ontology_doc(context: Context, output: Path | None) -> None:
    """Write the ontology's reference: prefixes, class hierarchy, classes and properties (labels and definitions in
    French and English, domain → range) and an example query per main class."""
    text = reference.markdown(context.store(), context.settings.resources_dir)
    if output is None:
        sys.stdout.write(text)
        return
    with writing(output):
        output.write_text(text, encoding="utf-8")
    context.err.print(context.msg("ontology_doc_written", file=str(output)))
