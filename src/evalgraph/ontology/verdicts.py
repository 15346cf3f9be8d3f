"""HermiT's verdicts kept on disk, keyed by exactly what it reasoned on.

A HermiT run on the shipped graphs takes tens of seconds and is deterministic: the same triples, the same HermiT and
the same Java give the same verdict. So each verdict is kept in the folder of the ``reasoner_cache`` setting (by
default ``<data_dir>/reasoner-cache``) under the SHA-256 of

* the triples as HermiT receives them, blank nodes canonicalised (pyoxigraph's canonicalisation; its version is part
  of the key, since its labels are only stable within one version), sorted;
* HermiT's version (owlready2 ships it) and the ``java`` executable it ran on (path, size and modification time);
* evalgraph's version and the SHA-256 of the code that prepares HermiT's input and reads its answer
  (``evalgraph/ontology/reasoning.py``), so that an upgrade never answers from an older run;
* the format of the record below.

Two processes asking for the same verdict at once do not both reason: the second waits for the first's record
(:func:`computing`). A later run on the same triples answers from the record and says so (``evalgraph reason --no-cache`` runs HermiT
again). A record that cannot be read is ignored and replaced: the cache never decides anything the reasoner would not.
Blank nodes are canonicalised only up to :data:`MAX_BLANK_NODES` (canonicalisation is exponential in the worst case);
beyond, their labels are hashed as the store exports them (stable within one store and its copies: another store's
labels simply miss). The cache never stops a run: a folder it cannot read or write means reasoning without it.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pyoxigraph as ox

FORMAT = "evalgraph-hermit-verdict-1"
MAX_BLANK_NODES = 300


def key(triples: Sequence[ox.Triple], java: str) -> str | None:
    """The record's name for a run of HermiT on ``triples`` with ``java``, or None when the graph is not cached."""
    blank = {term for t in triples for term in (t.subject, t.object) if isinstance(term, ox.BlankNode)}
    dataset = ox.Dataset(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    if blank and len(blank) <= MAX_BLANK_NODES:
        dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    digest = hashlib.sha256()
    executable = Path(java).resolve()
    stat = executable.stat()
    code = hashlib.sha256(Path(__file__).with_name("reasoning.py").read_bytes()).hexdigest()
    for part in (FORMAT, version("owlready2"), version("pyoxigraph"), version("evalgraph"), code, str(executable),
                 str(stat.st_size), str(stat.st_mtime_ns)):  # fmt: skip
        digest.update(part.encode("utf-8") + b"\n")
    for line in sorted(str(quad.triple) for quad in dataset):
        digest.update(line.encode("utf-8") + b"\n")
    return digest.hexdigest()


@contextmanager
def computing(folder: Path, name: str) -> Iterator[None]:
    """Held while HermiT reasons towards the record ``name``: a second process asking for the same verdict waits,
    then reads the first one's record instead of reasoning again."""
    import fcntl

    folder.mkdir(parents=True, exist_ok=True)
    with (folder / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def read(folder: Path, name: str) -> dict[str, Any] | None:
    """The verdict recorded under ``name``, or None (none yet, or a record that cannot be read)."""
    try:
        record = json.loads((folder / f"{name}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(record, dict) or record.get("format") != FORMAT or not isinstance(record.get("report"), dict):
        return None
    return record


def write(folder: Path, name: str, report: dict[str, Any]) -> None:
    """Record ``report`` under ``name`` (written to a temporary file, then renamed: a reader never sees half of it)."""
    folder.mkdir(parents=True, exist_ok=True)
    record = {"format": FORMAT, "checked": datetime.now(UTC).isoformat(timespec="seconds"), "report": report}
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{name}-", suffix=".json")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        json.dump(record, out)
    os.replace(temporary, folder / f"{name}.json")
