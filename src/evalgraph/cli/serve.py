"""``evalgraph serve`` (the web service, or one GET answered in-process) and ``evalgraph token``."""

from __future__ import annotations

import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from evalgraph.cli.context import EXIT_CHECK_FAILED, Context, pass_context
from evalgraph.errors import EvalgraphError, UsageError
from evalgraph.i18n import message
from evalgraph.settings import get_settings

if TYPE_CHECKING:
    from fastapi import FastAPI


@click.command()
@click.option("--host", default=None, help="Address to listen on [EVALGRAPH_HOST; 127.0.0.1].")
@click.option("--port", default=None, type=click.IntRange(0, 65535), help="Port to listen on [EVALGRAPH_PORT; 8000].")
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Directory of the store and of submitted dossiers (same as the global --data-dir).",
)
@click.option("--public-url", default=None, help="URL clients reach the server at [EVALGRAPH_PUBLIC_URL].")
@click.option("--read-only", is_flag=True, default=None, help="Refuse every write (403) [EVALGRAPH_READ_ONLY].")
@click.option(
    "--allow-update",
    is_flag=True,
    default=None,
    help="Accept SPARQL Update from admin tokens [EVALGRAPH_ALLOW_UPDATE].",
)
@click.option(
    "--token-file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Bearer tokens and roles, one 'NAME ROLE TOKEN-or-sha256:DIGEST' per line [EVALGRAPH_TOKEN_FILE].",
)
@click.option(
    "--query-timeout",
    type=click.FloatRange(min=0.1),
    default=None,
    help="Seconds a SPARQL query may be checked and run before it is stopped (503) [EVALGRAPH_QUERY_TIMEOUT; 30].",
)
@click.option(
    "--workers",
    type=click.IntRange(min=0),
    default=None,
    help="Query worker processes; 0 answers in the server process [EVALGRAPH_WORKERS; 2].",
)
@click.option(
    "--max-waiting",
    type=click.IntRange(min=0),
    default=None,
    help="Requests that may wait for a busy worker; more get 503 [EVALGRAPH_MAX_WAITING; 16].",
)
@click.option(
    "--max-body", type=click.IntRange(min=1), default=None, help="Largest request body, bytes [EVALGRAPH_MAX_BODY]."
)
@click.option(
    "--max-result", type=click.IntRange(min=1), default=None, help="Largest result, bytes [EVALGRAPH_MAX_RESULT]."
)
@click.option(
    "--get",
    "get_path",
    metavar="PATH",
    help="Answer one GET request for PATH (e.g. '/sparql?query=…') in-process, print it, and exit.",
)
@click.option("--accept", default="", help="Accept header for --get.")
@pass_context
def serve(context: Context, /, data_dir: Path | None, get_path: str | None, accept: str, **options: object) -> None:
    """Serve the SPARQL 1.1 Protocol endpoint (/sparql), the dossier API (/validate, /dossiers), named queries,
    the cartography, dereferenceable IRIs and the web UI (/ui/), with OpenAPI docs at /docs. Every option also
    reads its EVALGRAPH_… variable (docs/settings.md); see docs/server.md."""
    from evalgraph.store import running
    from evalgraph.web.app import create_app
    from evalgraph.web.service import ServerSettings

    if context.settings.endpoint:  # the service answers from the embedded store's files (docs/engines.md)
        raise UsageError("bad_setting", variable="EVALGRAPH_ENDPOINT", option="--endpoint",
                         value=context.settings.endpoint, detail="evalgraph serve runs on the embedded store only")  # fmt: skip
    context.settings = get_settings(
        **options,
        data_dir=data_dir or context.settings.data_dir,
        lang=context.settings.lang,
        resources_dir=context.settings.resources_dir,
    )
    settings = context.settings
    server = ServerSettings.from_settings(settings, lang=context.lang, in_process=get_path is not None)
    if get_path is not None:
        _answer_one(create_app(settings, server, store_factory=context.store), get_path, accept, settings.public_url)
        return
    import uvicorn

    app = create_app(settings, server)
    with context.err.status("evalgraph…"):
        app.state.service.store()  # open and fill the store now: a locked store is a clear error, not a traceback
    url = settings.public_url or f"http://{settings.host}:{settings.port}"
    context.err.print(message("serve_listening", context.lang, url=url))
    # uvicorn stops on SIGTERM, then raises the signal again under the handler it found: make that an exit that
    # unwinds (the server record is removed) rather than the default handler's abrupt end
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    with running.recorded(settings.data_dir, running.client_url(settings.host, settings.port)) as instance:
        app.state.instance = instance
        uvicorn.run(app, host=settings.host, port=settings.port, log_level="warning")


def _answer_one(app: FastAPI, path: str, accept: str, public_url: str | None) -> None:
    """Answer one GET request for ``path`` in-process and print the body; exit 1 on an error status."""
    import asyncio

    import httpx

    async def fetch() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url=public_url or "http://localhost") as client:
            return await client.get(path, headers={"accept": accept} if accept else {})

    response = asyncio.run(fetch())
    click.echo(response.text, nl=not response.text.endswith("\n"))
    if response.status_code >= 400:
        raise SystemExit(EXIT_CHECK_FAILED)


@click.command()
@click.argument("name")
@click.argument("role", type=click.Choice(["submitter", "reviewer", "admin"]))
@click.option(
    "--append",
    "token_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Append the line (with the token's digest, not the token) to this token file.",
)
@pass_context
def token(context: Context, name: str, role: str, token_file: Path | None) -> None:
    """Make a bearer token for NAME with ROLE: prints the token once, and the token-file line holding its digest."""
    from evalgraph.web.auth import new_token

    secret, digest = new_token()
    line = f"{name} {role} {digest}"
    if token_file is not None:
        _append_token_line(token_file, line)
        context.err.print(context.msg("token_appended", file=str(token_file)))
    else:
        context.err.print(context.msg("token_line"))
        context.out.print(line, highlight=False)
    context.err.print(context.msg("token_secret"))
    context.out.print(secret, highlight=False)


def _append_token_line(token_file: Path, line: str) -> None:
    """Append ``line`` to ``token_file`` through a staged copy that must read back as a valid token file."""
    from evalgraph.web.auth import TokenRegistry

    existing = token_file.read_text(encoding="utf-8") if token_file.exists() else ""
    candidate = existing + ("" if not existing or existing.endswith("\n") else "\n") + line + "\n"
    staged = token_file.with_name(token_file.name + ".new")
    staged.write_text(candidate, encoding="utf-8")
    try:
        TokenRegistry.from_file(staged)  # a duplicate name or a broken file is refused before anything changes
    except EvalgraphError:
        staged.unlink()
        raise
    staged.replace(token_file)
