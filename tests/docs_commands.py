"""The shell commands the documentation shows, read from the markdown (for tests/test_docs_commands.py).

A *block* is a fenced code block of a shell language (``sh``, ``bash``, ``shell``, ``console``, ``zsh``) or a
transcript (a ``text`` block whose lines start with ``$ `` give commands, the lines after them their output). The
HTML comment right before a block, ``<!-- docs-test: … -->``, says why the harness does not run it. A block's text
is cut into commands as a shell reads it: ``\\`` continuations joined, quoted arguments spanning lines kept whole
(shlex), a comment from an unquoted ``#`` at the start of a word, commands chained by ``&&`` or ``;`` split, a
trailing ``&`` marking a command started in the background. The exit code a command is expected to give is the one
its comment states (``exit 1``, ``exit code 1``), else the one the last whole-line comment before it states, else 0;
a comment ``# → A, B and the others`` says what it prints: each capitalised item is in its output.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHELL = {"sh", "bash", "shell", "console", "zsh"}
MARKER = re.compile(r"<!--\s*docs-test:\s*(.*?)\s*-->", re.DOTALL)
FENCE = re.compile(r"^(\s*)(```+)\s*([\w+-]*)\s*$")
EXIT = re.compile(r"\bexit(?:s| code)?(?: with code)?:? (\d)\b")


def documents() -> list[Path]:
    """The markdown files whose commands are run: README.md, docs/*.md, ontology/README.md, examples/*/README.md."""
    found = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")), ROOT / "ontology" / "README.md",
             *sorted((ROOT / "examples").glob("*/README.md"))]
    return [path for path in found if path.is_file()]


@dataclass
class Block:
    """A fenced block: the file (relative to the repository), the line of its opening fence, its language, its
    text, and the ``docs-test`` comment right before it (or None)."""

    document: str
    line: int
    lang: str
    text: str
    marker: str | None

    @property
    def name(self) -> str:
        return f"{self.document}:{self.line}"

    @property
    def transcript(self) -> bool:
        return self.lang not in SHELL and self.text.startswith("$ ")


def fenced_blocks(path: Path) -> list[Block]:
    """Every fenced block of ``path``, whatever its language."""
    lines = path.read_text(encoding="utf-8").splitlines()
    blocks: list[Block] = []
    index = 0
    while index < len(lines):
        opening = FENCE.match(lines[index])
        if not opening:
            index += 1
            continue
        end = next((i for i in range(index + 1, len(lines)) if lines[i].strip() == opening.group(2)), len(lines))
        indent = len(opening.group(1))
        text = "\n".join(line[indent:] for line in lines[index + 1:end])
        before = next((lines[i] for i in range(index - 1, -1, -1) if lines[i].strip()), "")
        marker = MARKER.search(before)
        blocks.append(Block(str(path.relative_to(ROOT)), index + 1, opening.group(3).lower(), text,
                            marker.group(1) if marker else None))
        index = end + 1
    return blocks


def shell_blocks() -> list[Block]:
    """The shell blocks and transcripts of every document."""
    return [block for path in documents() for block in fenced_blocks(path)
            if block.lang in SHELL or block.transcript]


@dataclass
class Command:
    """One command: its words (as the shell passes them, before variables are expanded), the comment that goes
    with it, the exit code the documentation expects, and whether it runs in the background (``&``)."""

    words: list[str]
    comment: str = ""
    expected: int = 0
    background: bool = False
    chain: str = ""
    """The whole line it came from (with the commands it is chained to by ``&&``), without its comment."""
    output: list[str] = field(default_factory=list)
    """In a transcript: the lines shown after the command."""

    @property
    def program(self) -> str:
        word = self.words[0] if self.words else ""
        return "evalgraph" if word in ("evalgraph", ".venv/bin/evalgraph") else word

    @property
    def text(self) -> str:
        return shlex.join(self.words)


def split_comment(line: str) -> tuple[str, str, str | None]:
    """``line`` cut into its code and its comment, as a POSIX shell reads it: ``#`` starts a comment at the start
    of a word, outside quotes. The third value is the quote still open at the end (None when all are closed)."""
    quote: str | None = None
    escaped = False
    for index, char in enumerate(line):
        if escaped:
            escaped = False
        elif char == "\\" and quote != "'":
            escaped = True
        elif quote:
            quote = None if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == "#" and (index == 0 or line[index - 1].isspace()):
            return line[:index], line[index + 1:].strip(), None
    return line, "", quote


def _expected(comment: str, section: int) -> int:
    found = EXIT.search(comment)
    return int(found.group(1)) if found else section


def _split_chain(code: str, comment: str, expected: int) -> list[Command]:
    lexer = shlex.shlex(code, posix=True, punctuation_chars=";&|<>()")
    lexer.whitespace_split = True
    lexer.commenters = ""
    tokens = list(lexer)
    commands: list[Command] = []
    words: list[str] = []
    for word in [*tokens, ";"]:
        if word in ("&&", ";", "&"):
            if words:
                commands.append(Command(words, comment, expected, word == "&", code.strip()))
            words = []
        else:
            words.append(word)  # a pipe or a redirection stays a word: the harness refuses what it does not know
    return commands


def commands(text: str) -> list[Command]:
    """The commands of a shell block, in order."""
    found: list[Command] = []
    section = 0
    pending = ""
    for line in text.splitlines():
        pending = f"{pending}\n{line}" if pending else line
        code, comment, quote = split_comment(pending)
        if quote is not None:
            continue
        if code.rstrip().endswith("\\") and not comment:
            pending = code.rstrip()[:-1] + " "
            continue
        pending = ""
        if not code.strip():
            section = _expected(comment, 0) if comment else section
            continue
        found.extend(_split_chain(code, comment, _expected(comment, section)))
    assert not pending, f"unterminated command: {pending!r}"
    return found


def transcript(text: str) -> list[Command]:
    """The commands of a transcript, each with the output lines shown after it."""
    found: list[Command] = []
    for line in text.splitlines():
        if line.startswith("$ "):
            found.extend(commands(line[2:]))
        elif found:
            found[-1].output.append(line)
    return found


def block_commands(block: Block) -> list[Command]:
    return transcript(block.text) if block.transcript else commands(block.text)


def output_files(words: list[str]) -> list[str]:
    """The files a command names as its outputs: the values of ``-o``, ``--output``, ``--graphml``, ``--append``."""
    return [words[i + 1] for i, word in enumerate(words[:-1]) if word in ("-o", "--output", "--graphml", "--append")]


def option(words: list[str], name: str) -> str | None:
    """The value of option ``name`` in ``words`` (``--name VALUE`` or ``--name=VALUE``), or None."""
    for index, word in enumerate(words):
        if word == name and index + 1 < len(words):
            return words[index + 1]
        if word.startswith(name + "="):
            return word.split("=", 1)[1]
    return None


def without_options(words: list[str], names: tuple[str, ...]) -> list[str]:
    """``words`` without the options ``names`` and their values."""
    kept: list[str] = []
    skip = False
    for word in words:
        if skip:
            skip = False
        elif word in names:
            skip = True
        elif not any(word.startswith(name + "=") for name in names):
            kept.append(word)
    return kept


def inline_commands() -> list[tuple[str, str]]:
    """The ``evalgraph …`` code spans of the prose (outside fenced blocks): (document, span), whitespace folded and
    the table's ``\\|`` unescaped."""
    found = []
    for path in documents():
        prose, fence = [], ""
        for line in path.read_text(encoding="utf-8").splitlines():
            opening = FENCE.match(line)
            if fence:
                fence = "" if line.strip() == fence else fence
            elif opening:
                fence = opening.group(2)
            else:
                prose.append(line)
        for span in re.findall(r"`(evalgraph [^`]+)`", "\n".join(prose)):
            found.append((str(path.relative_to(ROOT)), " ".join(span.replace("\\|", "|").split())))
    return found


def synopsis(span: str) -> tuple[list[str], list[str]]:
    """An inline command or synopsis (``evalgraph import hair|dlinrt FILE [--reports FILE]``) read as the command
    paths it names (``["import hair", "import dlinrt"]``) and the options it names (``["--reports"]``), for the
    command line's own definition to check. Global options come first in the options."""
    words = [word.strip("[]…,") for word in span.split()[1:]]
    options: list[str] = []
    while words and words[0].startswith("-"):
        options.append(words.pop(0))
        if options[-1] in ("--data-dir", "--lang", "--endpoint") and words:
            words.pop(0)
    paths = [""]
    from evalgraph.cli.commands import cli

    group: object = cli
    while words and hasattr(group, "commands") and not words[0].startswith("-"):
        names = words.pop(0).split("|")
        paths = [f"{path} {name}".strip() for path in paths for name in names]
        group = group.commands.get(names[0])  # type: ignore[attr-defined]
    options += [word.split("=", 1)[0] for word in words if word.startswith("-") and word != "-"]
    return paths, options
