"""Running the documentation's commands (tests/test_docs_commands.py): each block from a scratch working directory
that holds copies of what the commands read by relative path (examples/, queries/, tests/data/), so that nothing
is written into the checkout.

``evalgraph`` commands run in-process through ``run_cli``; ``evalgraph serve`` starts the real server
(tests/serving.py) — in the background when the block says ``&``, else it is started, found answering, and stopped;
``curl`` runs against the server, the documented address (``127.0.0.1:8000``) replaced by the test server's; the
address of the engine of docs/engines.md (``127.0.0.1:7878``) is that of an ``oxigraph serve`` started by
tests/engines.py. Set-up commands are checked, not run; benchmark commands are parsed by the benchmark's own
argument parser. Any other command fails the test: the harness must be taught it."""

from __future__ import annotations

import glob
import importlib.util
import re
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from tests import engines, serving
from tests.docs_commands import ROOT, Command, option, output_files, without_options

COPIED = ("examples", "queries", "tests/data")
"""What the documented commands read by relative path, copied into each block's working directory."""
INPUTS = {
    "my-data.ttl": ROOT / "tests" / "data" / "small.ttl",
    "dossier.jsonld": ROOT / "examples" / "dossiers" / "boneview.jsonld",
    "my-dossier.jsonld": ROOT / "examples" / "dossiers" / "boneview.jsonld",
}
"""Files the documentation names as the user's own, and what stands for them."""
TOKEN_FILE = "docs-admin admin secret-of-the-documentation-test\n"  # noqa: S105 - a test token
"""The ``FILE`` of docs/server.md's ``--token-file FILE``."""
SERVER = "127.0.0.1:8000"
ENGINE = "127.0.0.1:7878"
GLOBAL_OPTIONS = ("--data-dir", "--lang", "--endpoint")


def workdir(folder: Path) -> Path:
    """A scratch working directory with copies of what the commands read, and the user's own files."""
    for name in COPIED:
        shutil.copytree(ROOT / name, folder / name, symlinks=True)
    for name, source in INPUTS.items():
        shutil.copy(source, folder / name)
    (folder / "FILE").write_text(TOKEN_FILE, encoding="utf-8")
    return folder


def subcommand(words: list[str]) -> list[str]:
    """The words of an ``evalgraph`` command from its subcommand on (global options skipped)."""
    index = 1
    while index < len(words) and words[index] in GLOBAL_OPTIONS:
        index += 2
    return words[index:]


def benchmark_parser(script: str) -> Any:
    """The argument parser of ``benchmarks/bench_*.py`` (its ``parser()`` function)."""
    path = ROOT / script
    spec = importlib.util.spec_from_file_location(f"docs_{path.stem}", path)
    assert spec and spec.loader, script
    module: ModuleType | None = sys.modules.get(spec.name)
    if module is None:
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module  # its dataclasses look their module up there
        sys.path.insert(0, str(path.parent))  # its imports of its sibling modules
        try:
            spec.loader.exec_module(module)
        finally:
            sys.path.remove(str(path.parent))
    assert hasattr(module, "parser"), f"{script} has no parser() function to check its documented options with"
    parser = module.parser()
    parser.allow_abbrev = False  # a shortened option is a misspelt one in the documentation
    return parser


def parse_benchmark(words: list[str]) -> None:
    """``.venv/bin/python benchmarks/bench_X.py ARGS``: ARGS parse (argparse exits 2 on a misspelt option)."""
    assert words[0] == ".venv/bin/python" and words[1].startswith("benchmarks/bench_"), words
    try:
        benchmark_parser(words[1]).parse_args(words[2:])
    except SystemExit as exc:
        raise AssertionError(f"{shlex_join(words)}: its parser refuses the documented arguments") from exc


def shlex_join(words: list[str]) -> str:
    import shlex

    return shlex.join(words)


def check_setup(command: Command) -> None:
    """Set-up commands are not run: ``python3 -m venv .venv`` as written, ``pip install -e`` of the checkout with
    extras that pyproject.toml defines, and the test command exactly the one .ci/run runs."""
    words = command.words
    if words[0] == "python3":
        assert words == ["python3", "-m", "venv", ".venv"], words
    elif words[0] == ".venv/bin/pip":
        assert words[:3] == [".venv/bin/pip", "install", "-e"] and len(words) == 4, words
        extras = pyproject_extras()
        spec = words[3]
        assert spec == "." or spec.startswith(".["), spec
        for extra in spec[2:-1].split(",") if spec != "." else []:
            assert extra in extras, f"{spec}: pyproject.toml defines no extra {extra!r} (it has {sorted(extras)})"
    else:
        # the suite on every core without the tests marked serial, then those alone (tests/conftest.py)
        assert words in ([".venv/bin/python", "-m", "pytest", "-n", "auto", "--dist", "loadfile", "-m", "not serial"],
                         [".venv/bin/python", "-m", "pytest", "-m", "serial"]), words
        ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
        assert command.chain in [line.strip() for line in ci], \
            f".ci/run does not run the documented test command {command.chain!r}"


def pyproject_extras() -> set[str]:
    with (ROOT / "pyproject.toml").open("rb") as handle:
        return set(tomllib.load(handle)["project"]["optional-dependencies"])


class Runner:
    """Runs one block's commands, in order, from ``cwd``; servers it starts are stopped by :meth:`close`."""

    def __init__(self, run_cli: Callable[..., Any], cwd: Path, scratch: Path, template: Path,
                 monkeypatch: pytest.MonkeyPatch) -> None:
        self.run_cli, self.cwd, self.scratch, self.template = run_cli, cwd, scratch, template
        self.monkeypatch = monkeypatch
        self.stack = ExitStack()
        self.addresses: dict[str, str] = {}
        self.variables: dict[str, str] = {}
        self.last_code = 0
        self.last_output = ""
        self.servers = 0

    def close(self) -> None:
        self.stack.close()

    # -------------------------------------------------------------------------------------------- substitution

    def address(self, documented: str) -> str:
        """The live address standing for a documented one, started on first use."""
        if documented not in self.addresses:
            if documented == ENGINE:
                endpoint = self.stack.enter_context(engines.oxigraph_serve(self.fresh("engine")))
                self.addresses[ENGINE] = endpoint.query.removeprefix("http://").removesuffix("/query")
            else:
                self.addresses[SERVER] = self.start_server([], background=True)
        return self.addresses[documented]

    def expand(self, word: str) -> list[str]:
        for name, value in self.variables.items():
            word = word.replace(f"${{{name}}}", value).replace(f"${name}", value)
        for documented in (SERVER, ENGINE):
            if documented in word:
                word = word.replace(documented, self.address(documented))
        if any(char in word for char in "*?[") and (matches := sorted(glob.glob(word, root_dir=self.cwd))):
            return matches
        return [word]

    def words(self, command: Command) -> list[str]:
        return [expanded for word in command.words for expanded in self.expand(word)]

    def fresh(self, name: str) -> Path:
        self.servers += 1
        folder = self.scratch / f"{name}-{self.servers}"
        folder.mkdir(parents=True)
        return folder

    # ------------------------------------------------------------------------------------------------ commands

    def run(self, command: Command, transcript: bool = False) -> None:
        """Run ``command`` and check it exits as documented (and, in a transcript, prints what is shown)."""
        program, name = command.program, command.text
        operators = [word for word in command.words if word and set(word) <= set("|<>()&;")]
        if operators:
            raise AssertionError(f"`{name}`: the harness runs no pipe, redirection or sub-shell ({operators})")
        if program == "evalgraph":
            self.evalgraph(command)
        elif program == "curl":
            self.curl(command)
        elif program == "export" and len(command.words) == 2 and "=" in command.words[1]:
            key, value = self.words(command)[1].split("=", 1)
            self.monkeypatch.setenv(key, value)
        elif program == "echo" and command.words[1:] == ["$?"]:
            self.last_output = f"{self.last_code}\n"
        elif program in ("python3", ".venv/bin/pip") or command.words[:3] == [".venv/bin/python", "-m", "pytest"]:
            check_setup(command)
            return
        elif program == ".venv/bin/python" and command.words[1].startswith("benchmarks/"):
            parse_benchmark(command.words)
            return
        elif program == "python" and command.words[1].startswith("examples/"):
            done = subprocess.run([sys.executable, *self.words(command)[1:]], cwd=self.cwd, capture_output=True,
                                  text=True, check=False)
            self.last_code, self.last_output = done.returncode, done.stdout
            assert done.returncode == command.expected, (name, done.stderr)
        else:
            raise AssertionError(f"the harness does not know how to run `{name}`: teach tests/docs_runner.py, or "
                                 "mark the block <!-- docs-test: not run — REASON -->")
        if transcript:
            shown = "\n".join(line.rstrip() for line in command.output).strip("\n").splitlines()
            printed = "\n".join(line.rstrip() for line in self.last_output.splitlines()).strip("\n").splitlines()
            assert printed == shown, f"`{name}` prints:\n" + "\n".join(printed)

    def evalgraph(self, command: Command) -> None:
        words = self.words(command)
        rest = subcommand(words)
        if rest[:1] == ["serve"] and "--get" not in rest:
            self.serve(words, rest, command.background)
            return
        data_dir = option(words[:len(words) - len(rest)], "--data-dir")
        if data_dir and not (self.cwd / data_dir / "store").exists():
            shutil.copytree(self.template, self.cwd / data_dir / "store")  # as a first command would leave it
        result = self.run_cli(*words[1:])
        self.last_code, self.last_output = result.exit_code, result.stdout
        assert result.exit_code == command.expected, \
            f"`{command.text}` exited {result.exit_code}, the documentation says {command.expected}:\n{result.stderr}"
        if command.comment.startswith("→"):  # "# → Viz LVO, IDx-DR and the other …": the names shown are printed
            for shown in re.split(r",\s*|\s+and\s+", command.comment[1:].strip()):
                assert not shown[:1].isupper() or shown.lower() in result.stdout.lower(), \
                    f"`{command.text}` does not print {shown}, which the documentation shows:\n{result.stdout}"
        for output in output_files(rest):
            assert (self.cwd / output).is_file() and (self.cwd / output).stat().st_size > 0, \
                f"`{command.text}` did not write {output}"
        if rest[:1] == ["token"]:
            self.variables["TOKEN"] = result.stdout.strip().splitlines()[-1]

    def serve(self, words: list[str], rest: list[str], background: bool) -> None:
        """``evalgraph serve …``: the real server, on the documented data directory (else a fresh one), with the
        documented options but the address (a free loopback port)."""
        data_dir = option(words[:len(words) - len(rest)], "--data-dir") or option(rest, "--data-dir")
        self.addresses[SERVER] = self.start_server(
            without_options(rest[1:], ("--host", "--port", "--data-dir")), background,
            self.cwd / data_dir if data_dir else None)

    def start_server(self, options: list[str], background: bool, data_dir: Path | None = None) -> str:
        server = serving.start(data_dir or self.fresh("server"), *options)
        answer = httpx.get(server.base + "/sparql", params={"query": "ASK {}"}, timeout=30)
        assert answer.status_code == 200, (options, answer.text)
        if background:
            self.stack.callback(server.stop)
        else:
            server.stop()  # a server in the foreground holds the terminal until it is stopped
        self.last_code = 0
        return server.base.removeprefix("http://")

    def curl(self, command: Command) -> None:
        """``curl …`` as documented, against the test server; it must get a 2xx answer."""
        body = self.scratch / "curl-body"
        words = self.words(command)
        done = subprocess.run([*words, "-sS", "-o", str(body), "-w", "%{http_code}"], cwd=self.cwd,
                              capture_output=True, text=True, check=False, timeout=120)
        answer = body.read_text(encoding="utf-8", errors="replace") if body.exists() else ""
        assert done.returncode == 0 and done.stdout.startswith("2"), (command.text, done.stdout, done.stderr, answer)
        self.last_code, self.last_output = 0, answer
