"""Uploads to a SPARQL engine in chunks, resumable after an interruption.

A load to an engine sends its triples to a staging graph, chunk by chunk, then one update moves them over the target
graph (:mod:`evalgraph.store.remote`). The staging graph is named after what it will hold — the target graph, the
SHA-256 of the content, replace or add, the chunk size — so that running the same load again finds the chunks an
interrupted run had sent: each chunk is recorded in a progress graph beside the staging graph (``…/progress``), in the
same request as the chunk when it goes by ``INSERT DATA``, right after it when it goes through the Graph Store
Protocol (a chunk sent twice is the same set of triples). Triples with blank nodes go last, in one request, since an
engine scopes blank node labels to one request; a second copy would add new nodes, so they go to a graph of their own
(``…/blank``) that is emptied before they are sent, and that is added to the staging graph before the move
(:meth:`Upload.join_blank`). Some engines (Virtuoso) refuse blank nodes in ``INSERT DATA``: with a Graph Store
Protocol URL they go through it. None of these graphs is one of evalgraph's: a run that never finishes changes
nothing evalgraph reads.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

import pyoxigraph as ox

from evalgraph.vocab import EG

CHUNK_SENT = EG + "stagedChunk"


class Engine(Protocol):
    """What an upload needs of :class:`evalgraph.store.remote.RemoteStore`."""

    def send_update(self, sparql: str) -> None: ...
    def send_triples(self, body: str, graph: str) -> None: ...
    def select_rows(self, sparql: str) -> list[tuple[object, ...]]: ...
    @property
    def graph_store(self) -> bool: ...


@dataclass(frozen=True)
class Upload:
    """Where an upload goes: the staging graph and its progress graph."""

    staging: str

    @classmethod
    def named(cls, base: str, graph: str, sha: str, replace: bool, chunk: int) -> Upload:
        return cls(base + hashlib.sha256(f"{graph}\n{sha}\n{replace}\n{chunk}".encode()).hexdigest()[:32])

    @property
    def progress(self) -> str:
        return self.staging + "/progress"

    @property
    def blank(self) -> str:
        return self.staging + "/blank"

    def join_blank(self) -> str:
        """The update that adds the blank-node triples to the staging graph, before the move (run twice, the same
        nodes are added again: nothing changes)."""
        return f"ADD SILENT GRAPH <{self.blank}> TO GRAPH <{self.staging}> ; DROP SILENT GRAPH <{self.blank}>"

    def sent(self, engine: Engine) -> set[int]:
        """The chunks an earlier run of the same upload sent."""
        rows = engine.select_rows(
            f"SELECT ?n WHERE {{ GRAPH <{self.progress}> {{ <{self.staging}> <{CHUNK_SENT}> ?n }} }}"
        )
        values = [getattr(n, "value", "") for (n,) in rows]
        return {int(v) for v in values if isinstance(v, str) and v.isdigit()}

    def send(self, engine: Engine, chunks: Sequence[str], blank: str, done: set[int]) -> int:
        """Send the chunks (N-Triples text) that no earlier run sent, then ``blank``; ``done`` gathers the chunks on
        the engine as they are sent (what an interruption leaves). Returns how many an earlier run had sent."""
        before = self.sent(engine)
        done.update(before)
        for number, body in enumerate(chunks):
            if number in before:
                continue
            if engine.graph_store:
                engine.send_triples(body, self.staging)
                engine.send_update(f"INSERT DATA {{ {self._record(number)} }}")
            else:
                engine.send_update(f"INSERT DATA {{ GRAPH <{self.staging}> {{ {body} }} {self._record(number)} }}")
            done.add(number)
        last = len(chunks)
        if blank and last not in before:
            if engine.graph_store:
                engine.send_update(f"DROP SILENT GRAPH <{self.blank}>")  # a copy an interrupted run sent
                engine.send_triples(blank, self.blank)
                engine.send_update(f"INSERT DATA {{ {self._record(last)} }}")
            else:
                engine.send_update(f"INSERT DATA {{ GRAPH <{self.blank}> {{ {blank} }} {self._record(last)} }}")
            done.add(last)
        return len(before)

    def _record(self, number: int) -> str:
        return f"GRAPH <{self.progress}> {{ <{self.staging}> <{CHUNK_SENT}> {number} }}"

    def staged(self, engine: Engine) -> int:
        """How many triples the staging graphs hold."""
        rows = engine.select_rows(f"SELECT (COUNT(*) AS ?n) WHERE {{ {{ GRAPH <{self.staging}> {{ ?s ?p ?o }} }} "
                                  f"UNION {{ GRAPH <{self.blank}> {{ ?s ?p ?o }} }} }}")  # fmt: skip
        value = getattr(rows[0][0], "value", "0") if rows else "0"
        return int(value) if isinstance(value, str) and value.isdigit() else -1

    def forget(self, engine: Engine) -> None:
        """Drop the staging graphs and the progress graph."""
        graphs = (self.staging, self.blank, self.progress)
        engine.send_update(" ; ".join(f"DROP SILENT GRAPH <{g}>" for g in graphs))


def chunked(triples: Iterable[ox.Triple], size: int) -> tuple[list[str], str, int]:
    """The triples without blank nodes as N-Triples chunks of ``size`` lines — distinct and sorted, so that the same
    triples in another order make the same chunks —, the triples with blank nodes apart, and how many triples the
    staging graphs hold once all is sent."""
    plain: set[str] = set()
    blank: list[str] = []
    for triple in triples:
        has_blank = isinstance(triple.subject, ox.BlankNode) or isinstance(triple.object, ox.BlankNode)
        if has_blank:
            blank.append(f"{triple} .\n")
        else:
            plain.add(f"{triple} .\n")
    lines = sorted(plain)
    chunks = ["".join(lines[start : start + size]) for start in range(0, len(lines), size)]
    return chunks, "".join(blank), len(lines) + len(set(blank))
