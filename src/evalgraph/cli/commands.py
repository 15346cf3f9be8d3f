"""The ``evalgraph`` command line: the root group, its command groups, and :func:`main`. Commands are thin: each
module (``data``, ``query``, ``dossiers``, ``qualify``, ``cartography``, ``establishments``, ``serve``) parses
options and calls the library; the modules of :mod:`evalgraph.cli.presenters` render what comes back.

Exit codes: 0 success; 1 a check found problems (inconsistent ontology, violation rows); 2 bad input (file,
query, option); 3 environment (store in use, no Java); 4 internal error.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click
from rich.console import Console

from evalgraph.cli import cartography, compare, data, dossiers, establishments, export, graphs, qualify, query, serve
from evalgraph.cli.context import EXIT_INTERNAL, Context, state
from evalgraph.cli.ontology import ontology_doc
from evalgraph.errors import EvalgraphError
from evalgraph.settings import get_settings


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="EVALGRAPH_DATA_DIR",
    help="Directory of the embedded store (default: the platform's user data directory).",
)
@click.option("--lang", type=click.Choice(["en", "fr"]), envvar="EVALGRAPH_LANG", help="Language of messages.")
@click.option(
    "--endpoint",
    envvar="EVALGRAPH_ENDPOINT",
    help="Query URL of a SPARQL 1.1 engine to use as the store (docs/engines.md; update URL and credentials: "
    "EVALGRAPH_ENDPOINT_*).",
)
@click.version_option(package_name="evalgraph")
@click.pass_context
def cli(ctx: click.Context, data_dir: Path | None, lang: str | None, endpoint: str | None) -> None:
    """evalgraph — knowledge graph of how digital health technologies are regulated and evaluated."""
    context = Context(get_settings(data_dir=data_dir, lang=lang, endpoint=endpoint))
    state["lang"] = context.lang
    ctx.obj = context
    ctx.call_on_close(context.close)


for _command in (
    data.init,
    data.stats,
    data.load,
    data.check,
    data.reason,
    ontology_doc,
    export.export,
    query.query,
    dossiers.validate,
    qualify.qualify,
    qualify.decision_graph,
    cartography.cartography,
    compare.compare,
    establishments.template,
    establishments.import_group,
    establishments.readiness,
    establishments.economics,
    graphs.remove,
    serve.serve,
    serve.token,
):
    cli.add_command(_command)


def main(argv: Sequence[str] | None = None) -> Any:
    """Entry point: run the CLI, turning evalgraph errors into messages and exit codes."""
    state["lang"] = "fr" if os.environ.get("EVALGRAPH_LANG", "en").lower().startswith("fr") else "en"
    try:
        get_settings()  # a bad EVALGRAPH_… value is a clear error before any command runs
        return cli.main(args=list(argv) if argv is not None else None, prog_name="evalgraph", standalone_mode=False)
    except EvalgraphError as exc:
        Console(stderr=True, soft_wrap=True).print(
            f"[red]evalgraph:[/red] {exc.render(state['lang'])}", highlight=False
        )
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(2 if exc.exit_code not in (0, 1) else exc.exit_code)
    except SystemExit:
        raise
    except Exception:  # noqa: BLE001 - last resort: report, never hide
        Console(stderr=True).print_exception()
        sys.exit(EXIT_INTERNAL)
