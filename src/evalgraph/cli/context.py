"""What every command shares: the per-invocation :class:`Context` (settings, consoles, the store opened on first
use), exit codes, and the helpers for output files and progress bars."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import cast

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from evalgraph import resources
from evalgraph.errors import StoreUnavailableError, UsageError
from evalgraph.i18n import message
from evalgraph.market import shipped
from evalgraph.settings import Settings
from evalgraph.store import kb, running
from evalgraph.store.oxigraph import OxigraphStore, QueryResult, open_store

EXIT_CHECK_FAILED = 1
EXIT_INTERNAL = 4

state: dict[str, str] = {}
"""Language chosen by the group callback, for messages of errors raised inside commands."""


class Context:
    """Per-invocation state: settings, consoles, and the store opened (and filled) on first use."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.out = Console(soft_wrap=True)
        self.err = Console(stderr=True)
        self._store: OxigraphStore | None = None

    @property
    def lang(self) -> str:
        return "fr" if self.settings.lang.lower().startswith("fr") else "en"

    def msg(self, key: str, **params: object) -> str:
        return message(key, self.lang, **params)

    def store(self) -> OxigraphStore:
        if self._store is None:
            self._store = self._open()
            if getattr(self._store, "read_only", False):  # an engine without update URL: its data as it is
                return self._store
            with self.err.status("evalgraph…") as status:

                def progress(dataset: kb.Dataset, files: int) -> None:
                    title = dataset.title_fr if self.lang == "fr" else dataset.title_en
                    status.update(self.msg("loading_builtin", name=title, files=files))

                shipped.ensure_loaded(
                    self._store,
                    self.settings.resources_dir,
                    progress=progress,
                    on_market=lambda: status.update(self.msg("loading_market")),
                )
        return self._store

    def _open(self) -> OxigraphStore:
        """The configured store; when ``evalgraph serve`` holds the embedded one, its SPARQL endpoint (reads only)."""
        try:
            return open_configured(self.settings)
        except StoreUnavailableError:
            url = None if self.settings.endpoint else running.find(self.settings.data_dir)
            if url is None:
                raise
        from evalgraph.store.remote import Endpoint, RemoteStore

        self.err.print(self.msg("through_server", url=url))
        endpoint = Endpoint(
            url, timeout=self.settings.endpoint_timeout, server=True, token=self.settings.endpoint_token
        )
        return cast(OxigraphStore, RemoteStore(endpoint))

    def run_named(self, name: str) -> QueryResult:
        """Run the named query ``name`` (queries/NAME.rq) as it is, without parameters."""
        return self.store().query(resources.read_text("queries", name, override=self.settings.resources_dir))

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None


pass_context = click.make_pass_decorator(Context)


def open_configured(settings: Settings) -> OxigraphStore:
    """The embedded store, or the engine of ``settings.endpoint`` (a :class:`RemoteStore` answers every method
    the commands call on a store — the contract tests check it — hence the cast)."""
    if not settings.endpoint:
        return open_store(settings.store_path)
    from evalgraph.store.remote import Endpoint, RemoteStore

    endpoint = Endpoint(
        settings.endpoint,
        settings.endpoint_update,
        settings.endpoint_store,
        settings.endpoint_user,
        settings.endpoint_password,
        settings.endpoint_timeout,
    )
    return cast(OxigraphStore, RemoteStore(endpoint))


@contextmanager
def writing(path: Path) -> Iterator[None]:
    """Turn a failure to write an output file (missing folder, permissions) into a clear error, exit 2."""
    try:
        yield
    except OSError as exc:
        raise UsageError("output_unwritable", file=str(path), reason=exc.strerror or str(exc)) from exc


def check_outputs(outputs: Sequence[Path], formats: Sequence[str], format_key: str) -> None:
    """Every ``-o`` output has one of ``formats`` (else ``format_key``'s error) and names its own file: two naming
    one file, however spelt, would leave only the last written."""
    seen: dict[Path, Path] = {}
    for output in outputs:
        if output.suffix.lower() not in formats:
            raise UsageError(format_key, file=str(output))
        same = seen.setdefault(output.resolve(), output)
        if same is not output:
            raise UsageError("output_named_twice", file=str(output), first=str(same))


@contextmanager
def progress_bar(context: Context, enabled: bool) -> Iterator[Progress | None]:
    """A progress bar on standard error for long work (several files on a terminal), else nothing."""
    if not enabled:
        yield None
        return
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=context.err,
        transient=True,
    ) as progress:
        yield progress
