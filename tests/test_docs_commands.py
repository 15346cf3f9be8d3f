"""Every command shown in README and docs is run by a test, so docs cannot drift (issue 17, point 14).

The shell blocks of README.md, docs/*.md, ontology/README.md and examples/*/README.md (tests/docs_commands.py reads
them) are run by tests/docs_runner.py: ``evalgraph`` commands in-process, ``evalgraph serve`` and ``curl`` against
a real server, set-up commands checked against pyproject.toml and .ci/run, benchmark commands parsed by the
benchmark's own parser. A block the harness does not run says why, in the comment before it:
``<!-- docs-test: not run — REASON -->``, or ``<!-- docs-test: run by tests/test_X.py::test_name -->`` when a test
of its own runs it (and checks what it writes). Transcripts (``$ command`` followed by its output) must print what
they show."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.docs_commands import ROOT, Block, block_commands, commands, inline_commands, shell_blocks, synopsis
from tests.docs_runner import Runner, benchmark_parser, check_setup, parse_benchmark, workdir

BLOCKS = shell_blocks()
RUN_BY = re.compile(r"^run by (tests/test_\w+\.py)::(test_\w+)$")
NOT_RUN = re.compile(r"^not run — \S.{10,}$")


def delegated(block: Block) -> bool:
    return block.marker is not None and RUN_BY.match(block.marker) is not None


def run(block: Block) -> bool:
    return block.marker is None


def test_the_documents_hold_shell_blocks() -> None:
    """The parser finds the blocks (a change of fence style would otherwise leave everything unchecked)."""
    documents = {block.document for block in BLOCKS}
    assert {"README.md", "docs/server.md", "docs/engines.md", "examples/establishment/README.md"} <= documents
    assert len(BLOCKS) >= 20


@pytest.mark.parametrize("block", [b for b in BLOCKS if b.marker is not None], ids=lambda b: b.name)
def test_a_block_not_run_here_says_why(block: Block) -> None:
    """A marked block is either run by a named test that reads its document, or says why it is not run."""
    assert block.marker is not None
    found = RUN_BY.match(block.marker)
    if found is None:
        assert NOT_RUN.match(block.marker), f"{block.name}: `{block.marker}` is neither 'run by …' nor 'not run — …'"
        return
    module, name = found.groups()
    source = (ROOT / module).read_text(encoding="utf-8")
    assert f"def {name}(" in source, f"{block.name}: {module} has no {name}"
    body = source.split(f"def {name}(", 1)[1].split("\ndef ", 1)[0]
    assert Path(block.document).name in body, f"{block.name}: {module}::{name} does not name {block.document}"


@pytest.mark.parametrize("block", [b for b in BLOCKS if run(b)], ids=lambda b: b.name)
def test_the_block_runs(block: Block, run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                        tmp_path_factory: pytest.TempPathFactory, shared_hermit) -> None:  # type: ignore[no-untyped-def]
    """The block's commands run in order and exit as documented (``evalgraph reason`` shares the session's HermiT
    runs on identical triples: tests/conftest.py, ``shared_hermit``)."""
    from tests.conftest import _cli_template

    cwd = workdir(tmp_path / "checkout")
    monkeypatch.chdir(cwd)
    runner = Runner(run_cli, cwd, tmp_path / "scratch", _cli_template(tmp_path_factory, monkeypatch), monkeypatch)
    found = block_commands(block)
    assert found, f"{block.name}: no command"
    if block.transcript:
        for command, after in zip(found, [*found[1:], None], strict=True):
            if after is not None and after.words == ["echo", "$?"]:
                command.expected = int(after.output[0])
    try:
        for command in found:
            runner.run(command, transcript=block.transcript)
    finally:
        runner.close()


def test_an_unknown_command_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No silent skipping: a command the harness does not know fails the block."""
    runner = Runner(lambda *a: None, tmp_path, tmp_path, tmp_path, monkeypatch)
    for text in ("rm -rf /", "evalgraph stats | head", "docker run evalgraph"):
        with pytest.raises(AssertionError):
            for command in commands(text):
                runner.run(command)


def test_commands_are_read_as_a_shell_reads_them() -> None:
    text = ("evalgraph query 'SELECT * WHERE {\n  ?s ?p ?o # not a comment\n}'   # → rows\n"
            "# 2. Import — exit code 1: rows left out\n"
            "evalgraph import inventory x.xlsx \\\n    --establishment \"CHU Exemple\"\n"
            "python3 -m venv .venv && .venv/bin/pip install -e '.[test]'\n"
            "evalgraph serve --token-file t.txt &\n")
    found = commands(text)
    assert [c.words[1] if len(c.words) > 1 else "" for c in found] == ["query", "import", "-m", "install", "serve"]
    assert found[0].words[2] == "SELECT * WHERE {\n  ?s ?p ?o # not a comment\n}" and found[0].expected == 0
    assert found[1].words[-2:] == ["--establishment", "CHU Exemple"] and found[1].expected == 1
    assert found[3].words[-1] == ".[test]" and found[4].background


def test_benchmark_commands_parse() -> None:
    """The benchmark commands of docs/benchmarks.md, inline or in a block, parse with the benchmark's own parser
    (running them at full size takes minutes; .ci/run's smoke runs execute them), and a misspelt option fails."""
    text = (ROOT / "docs" / "benchmarks.md").read_text(encoding="utf-8")
    inline = [" ".join(span.split()) for span in re.findall(r"`(\.venv/bin/python benchmarks/[^`]+)`", text)]
    fenced = [c.text for b in BLOCKS if b.document == "docs/benchmarks.md" for c in block_commands(b)]
    documented = inline + fenced
    assert len({c.split()[1] for c in documented}) >= 7, documented
    for line in documented:
        for command in commands(line):
            parse_benchmark(command.words)
    for misspelt in ("--establishment", "--establishmentz"):
        with pytest.raises(AssertionError):
            parse_benchmark([".venv/bin/python", "benchmarks/bench_load.py", misspelt, "20"])
    setup = re.findall(r"`((?:python3 -m venv|\.venv/bin/pip) [^`]+)`", text)
    assert setup
    for line in setup:
        for command in commands(" ".join(line.split())):
            check_setup(command)


def test_inline_commands_name_real_commands_and_options() -> None:
    """The ``evalgraph …`` spans of the prose and the command reference (synopses such as ``evalgraph readiness NAME
    [-o FILE.html|.xlsx|.json]``) name commands and options the command line has: a renamed or misspelt one fails.
    (``evalgraph /queries`` in docs/benchmarks.md names the route of a benchmark table, not a command.)"""
    spans = [(document, span) for document, span in inline_commands() if not span.startswith("evalgraph /")]
    assert len(spans) > 50
    problems = [f"{document}: `{span}`: {problem}" for document, span in spans for problem in unknown_in(span)]
    assert not problems, "\n".join(problems)
    assert unknown_in("evalgraph readiness NAME [-o FILE.html] [--langs fr]") == ["readiness has no option --langs"]
    assert unknown_in("evalgraph import hair|dlinr FILE") == ["no command 'import dlinr'"]


def unknown_in(span: str) -> list[str]:
    """What ``span`` names that the command line does not have."""
    from evalgraph.cli.commands import cli

    paths, options = synopsis(span)
    known_global = {opt for param in cli.params for opt in param.opts} | {"--version", "-h", "--help"}
    problems = []
    for path in paths:
        command = cli
        for name in path.split():
            if name not in getattr(command, "commands", {}):
                return [f"no command {path!r}"]
            command = command.commands[name]
        known = known_global | {opt for param in command.params for opt in (*param.opts, *param.secondary_opts)}
        problems += [f"{path or 'evalgraph'} has no option {option}" for option in options if option not in known]
    return problems


def test_benchmark_defaults_are_the_parsers() -> None:
    """"(defaults: `--count 1000 …`)" after a benchmark command in docs/benchmarks.md gives that benchmark's
    defaults."""
    text = (ROOT / "docs" / "benchmarks.md").read_text(encoding="utf-8")
    script, checked = "", 0
    for found in re.finditer(r"benchmarks/(bench_\w+\.py)|defaults: `([^`]+)`", text):
        if found.group(1):
            script = found.group(1)
            continue
        parser = benchmark_parser(f"benchmarks/{script}")
        documented = vars(parser.parse_args(found.group(2).split()))
        defaults = vars(parser.parse_args([]))
        assert documented == defaults, f"docs/benchmarks.md: {script} defaults {found.group(2)!r} are not its own"
        checked += 1
    assert checked >= 4


def test_no_command_hides_in_another_fence() -> None:
    """A command written in a fence of another language (or none) would escape the harness: there is none. And the
    scripts and test files that inline ``python …`` spans name exist."""
    from tests.docs_commands import documents, fenced_blocks

    starts = ("evalgraph ", "$ ", ".venv/bin/", "curl ", "python3 ")
    hidden = [f"{block.name}: {line}" for path in documents() for block in fenced_blocks(path)
              if block not in BLOCKS for line in block.text.splitlines() if line.lstrip().startswith(starts)]
    assert not hidden, hidden
    for path in documents():
        for script in re.findall(r"`(?:\.venv/bin/)?python3? (?:-m pytest )?([\w/.-]+\.py)\b", path.read_text("utf-8")):
            assert (ROOT / script).is_file(), f"{path.relative_to(ROOT)} names {script}, which does not exist"


def test_what_a_comment_shows_is_printed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.conftest import CliResult

    runner = Runner(lambda *a: CliResult(0, "egr:pathway-pecan\n", ""), tmp_path, tmp_path, tmp_path, monkeypatch)
    runner.run(commands("evalgraph query x   # → PECAN and the others")[0])
    with pytest.raises(AssertionError, match="does not print LATM"):
        runner.run(commands("evalgraph query x   # → PECAN, LATM")[0])
