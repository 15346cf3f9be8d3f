"""``evalgraph export``: the store as one TriG or N-Quads file, with its VoID description, for any SPARQL engine."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import click

from evalgraph.cli.context import Context, pass_context, writing
from evalgraph.store import dump


@click.command("export")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="File to write: .trig (TriG) or .nq (N-Quads).")  # fmt: skip
@click.option("--graph", "graphs", multiple=True, help="Graph to export (repeatable; default: every graph).")
@pass_context
def export(context: Context, output: Path, graphs: Sequence[str]) -> None:
    """Write the store's graphs as TriG or N-Quads, each in its named graph, with the VoID description of the
    dataset in the default graph: any SPARQL engine loads it (docs/engines.md)."""
    store = context.store()
    with writing(output):
        count = dump.write(store, output, graphs, context.settings.resources_dir)
    context.out.print(context.msg("exported", quads=count, file=str(output)))
