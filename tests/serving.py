"""Starting and stopping a real ``evalgraph serve`` process on 127.0.0.1 for end-to-end tests.

A server's first start on an empty data directory loads the built-in data, computes the inferred graph and settles
the store (seconds of work, done once per test process here: :func:`prepared_store`); each server then starts on a
copy of that store unless the test asks for a ``fresh`` start (tests/test_server.py keeps one, so the first-start
path stays covered end to end)."""

from __future__ import annotations

import atexit
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import httpx

if TYPE_CHECKING:
    from starlette.testclient import TestClient


BASE = "http://127.0.0.1"
"""The base URL of the in-process service (:func:`in_process`)."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Server:
    """A running server: its base URL, process and log file."""

    base: str
    process: subprocess.Popen[str]
    log: Path

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)

    def kill9(self) -> None:
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)


_template: Path | None = None
_template_lock = threading.Lock()
SHARED = "EVALGRAPH_TEST_SHARED"
"""The environment variable naming a folder shared by every process of a test session (the pytest-xdist workers
and the commands they run), set by tests/conftest.py: what is built there once serves them all."""


def built_once(name: str, build: Callable[[Path], None]) -> Path:
    """The folder ``name``, made by ``build(folder)`` once per test session — under the session's shared folder, one
    process building while the others wait on a lock — or once per process when there is no shared folder."""
    import fcntl

    root = os.environ.get(SHARED)
    if not root:
        folder = Path(tempfile.mkdtemp(prefix=f"evalgraph-test-{name}-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        build(folder)
        return folder
    folder = Path(root) / name
    with (Path(root) / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (folder / ".built").exists():
            shutil.rmtree(folder, ignore_errors=True)  # a build that died half-way
            folder.mkdir()
            build(folder)
            (folder / ".built").touch()
    return folder


def _build_template(folder: Path) -> None:
    """A data directory whose store holds what a server's first start puts there: built by the service itself
    (:meth:`evalgraph.web.service.Service.store`, no query workers), then closed."""
    from evalgraph.settings import Settings
    from evalgraph.web.service import ServerSettings, Service

    service = Service(Settings(data_dir=folder), ServerSettings(query_workers=0), None)
    service.store().close()


def prepared_store(destination: Path) -> Path:
    """``destination`` (a store path that does not exist yet): a copy of the prepared store — built-in data
    loaded, inferred graph current, settled — as a server's first start would leave it. Returns ``destination``."""
    global _template
    with _template_lock:
        if _template is None:
            _template = built_once("prepared", _build_template) / "store"
    shutil.copytree(_template, destination)
    return destination


def start(data_dir: Path, *options: str, env: dict[str, str] | None = None, timeout: float = 90,
          fresh: bool = False) -> Server:
    """Start ``evalgraph --data-dir DATA_DIR serve --port PORT OPTIONS…`` and wait until /health answers. A data
    directory without a store gets a copy of the prepared one (:func:`prepared_store`) unless ``fresh``."""
    if not fresh and not (data_dir / "store").exists():
        prepared_store(data_dir / "store")
    port = free_port()
    log = data_dir / f"server-{port}.log"
    handle = log.open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "evalgraph", "--data-dir", str(data_dir), "serve", "--port", str(port), *options],
        stdout=handle, stderr=subprocess.STDOUT, text=True, env={**os.environ, **(env or {})},
    )
    handle.close()
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while True:
        try:
            if httpx.get(base + "/health", timeout=5).status_code == 200:
                return Server(base, process, log)
        except httpx.TransportError:
            pass
        if process.poll() is not None:
            raise AssertionError(f"server exited with {process.returncode}:\n{log.read_text()}")
        if time.monotonic() > deadline:
            process.kill()
            raise AssertionError(f"server did not start in {timeout} s:\n{log.read_text()}")
        time.sleep(0.05)


def stop_all(servers: Sequence[Server]) -> None:
    for server in servers:
        server.stop()


@contextmanager
def in_process(data_dir: Path, **settings: object) -> Iterator[TestClient]:
    """The web service in this process — ``create_app`` under FastAPI's TestClient, lifespan included — for tests
    of statuses, headers and bodies that need no real server (no timeout, no worker to kill, no browser). It runs on
    a copy of the prepared store (when ``data_dir`` has none) with ``settings`` (:class:`evalgraph.settings.Settings`
    fields, e.g. ``read_only=True``, ``token_file=…``); SPARQL is answered in this process and dossiers are
    validated in its threads (no worker processes: ``workers`` and ``validation_workers`` are 0), as ``evalgraph
    serve --get`` does."""
    import warnings

    from evalgraph.settings import Settings
    from evalgraph.web.app import create_app
    from evalgraph.web.service import ServerSettings

    with warnings.catch_warnings():  # Starlette now asks for httpx2 (not installed) rather than httpx: same client
        warnings.filterwarnings("ignore", "Using `httpx` with `starlette.testclient` is deprecated")
        from starlette.testclient import TestClient

    if not (data_dir / "store").exists():
        prepared_store(data_dir / "store")
    chosen = Settings(data_dir=data_dir, **{"validation_workers": 0, **settings})  # type: ignore[arg-type]
    app = create_app(chosen, ServerSettings.from_settings(chosen, lang="en", in_process=True))
    with TestClient(app, base_url=BASE) as client:
        yield client
