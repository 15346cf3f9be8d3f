"""Dossier validation results, on the terminal or in an output file: readable text, JSON, the SHACL report in
Turtle, or an HTML page (the renderers are :mod:`evalgraph.dossiers.report`'s)."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console

from evalgraph.cli.context import writing
from evalgraph.dossiers.report import Outcome, render_html, render_json, render_text, render_turtle
from evalgraph.i18n import message


def write_outcomes(
    outcomes: list[Outcome], fmt: str, output: Path | None, out: Console, err: Console, lang: str
) -> None:
    """``outcomes`` as ``fmt`` (text, json, ttl, html) on ``out``, or in ``output`` when given."""
    if fmt == "text":
        if output is None:
            render_text(outcomes, out, lang)
        else:
            with writing(output), output.open("w", encoding="utf-8") as handle:
                render_text(outcomes, Console(file=handle, width=120, no_color=True, soft_wrap=True), lang)
    else:
        text = {
            "json": lambda: render_json(outcomes, lang),
            "ttl": lambda: render_turtle(outcomes),
            "html": lambda: render_html(outcomes, lang),
        }[fmt]()
        if output is None:
            click.echo(text, nl=False)
        else:
            with writing(output):
                output.write_text(text, encoding="utf-8")
    if output is not None:
        err.print(message("validate_written", lang, file=str(output)))
