"""The store: the embedded on-disk Oxigraph store (a SPARQL engine's is evalgraph.store.remote, same interface).

Named graphs keep sources apart: the ontology, the reference knowledge base, the demo catalogue, each imported
file, and ``META_GRAPH`` which records, for every loaded graph, where it came from (file names, SHA-256 of their
content, triple count, time). Loads are atomic: files are parsed whole first, written and recorded in single
transactions; a parse error or a crash leaves the target graph as it was.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal, Protocol

import pyoxigraph as ox

from evalgraph.errors import QueryError, StoreUnavailableError, UsageError
from evalgraph.store import bulk
from evalgraph.store import guard as sparql_guard
from evalgraph.store.parsing import LOADABLE_SUFFIXES as LOADABLE_SUFFIXES  # re-exported: this module was their home
from evalgraph.store.parsing import parse_data as parse_data
from evalgraph.store.parsing import parse_file
from evalgraph.store.parsing import rdf_format as rdf_format
from evalgraph.store.parsing import read_bytes as read_bytes
from evalgraph.vocab import EGG as GRAPH_BASE
from evalgraph.vocab import PREFIXES

ONTOLOGY_GRAPH = GRAPH_BASE + "ontology"
KB_GRAPH = GRAPH_BASE + "kb"
CATALOGUE_GRAPH = GRAPH_BASE + "catalogue"
META_GRAPH = GRAPH_BASE + "meta"
INFERRED_GRAPH = GRAPH_BASE + "inferred"
IMPORT_GRAPH_BASE = GRAPH_BASE + "import/"
STAGING_GRAPH_BASE = GRAPH_BASE + "staging/"
BUILTIN_GRAPHS = (ONTOLOGY_GRAPH, KB_GRAPH, CATALOGUE_GRAPH)
RESERVED_GRAPHS = frozenset((*BUILTIN_GRAPHS, META_GRAPH, INFERRED_GRAPH))

_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|^`\\]*$")


@dataclass
class QueryResult:
    """The result of a SPARQL query: solutions (``select``), a boolean (``ask``) or triples (``graph``)."""

    kind: Literal["select", "ask", "graph"]
    variables: list[str] = field(default_factory=list)
    rows: list[tuple[ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None, ...]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[ox.Triple] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.rows) if self.kind == "select" else len(self.triples)


@dataclass(frozen=True)
class GraphInfo:
    """A named graph, its triple count and its provenance record (empty for graphs loaded by other means)."""

    iri: str
    triples: int
    sources: tuple[str, ...] = ()
    sha256: str | None = None
    loaded_at: str | None = None


@dataclass(frozen=True)
class LoadReport:
    graph: str
    files: int
    triples: int
    sha256: str
    resumed: int = 0  # chunks an interrupted earlier run had sent to an engine (evalgraph.store.remote_upload)


class Store(Protocol):
    """What evalgraph needs from a triple store; the embedded Oxigraph store implements it."""

    def query(
        self,
        sparql: str,
        bindings: dict[str, ox.NamedNode | ox.Literal] | None = None,
        *,
        graphs: Sequence[str] | None = None,
    ) -> QueryResult: ...
    def drop_graphs(self, graphs: Sequence[str]) -> None: ...
    def update(self, sparql: str) -> None: ...
    def load(self, files: Sequence[Path], graph: str, *, replace: bool = True) -> LoadReport: ...
    def write_graph(self, triples: Iterable[ox.Triple], graph: str, *, source: str) -> int: ...
    def graphs(self) -> list[GraphInfo]: ...
    def count(self, graph: str | None = None) -> int: ...
    def close(self) -> None: ...


def scope_dataset(graphs: Sequence[str] | None) -> list[str]:
    """The protocol dataset for ``graphs``: none (the union of all graphs) when not given; an empty scope is a
    dataset of one graph nobody writes (fail closed: never the whole store)."""
    if graphs is None:
        return []
    return list(graphs) or [STAGING_GRAPH_BASE + "empty-scope"]


def drop_update(graphs: Sequence[str]) -> str:
    """The one SPARQL Update that removes ``graphs`` and their provenance records (never a reserved graph)."""
    if reserved := [g for g in graphs if g in RESERVED_GRAPHS]:
        raise UsageError("reserved_graph", graph=reserved[0])
    return " ; ".join(
        f"DROP SILENT GRAPH <{check_graph_iri(g)}> ; DELETE WHERE {{ GRAPH <{META_GRAPH}> {{ <{g}> ?p ?o }} }}"
        for g in graphs
    )


def check_graph_iri(graph: str) -> str:  # a prefixed name of evalgraph's (egg:kb) is not an IRI of that scheme
    if not _IRI.fullmatch(graph) or graph.partition(":")[0] in PREFIXES:
        raise UsageError("bad_graph_iri", graph=graph)
    return graph


def content_hash(files: Sequence[Path], root: Path | None = None) -> str:
    """SHA-256 over the names (relative to ``root``) and bytes of ``files``, in order."""
    digest = hashlib.sha256()
    for file in files:
        name = str(file.relative_to(root)) if root else file.name
        digest.update(name.encode("utf-8") + b"\0")
        digest.update(file.read_bytes() + b"\0")
    return digest.hexdigest()


def _literal(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


class OxigraphStore:
    """The embedded store: an on-disk Oxigraph database (``path``), or an in-memory one when ``path`` is None."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        try:
            if path is None:
                self._store = ox.Store()
            else:
                path.mkdir(parents=True, exist_ok=True)
                self._store = ox.Store(str(path))
        except OSError as exc:
            raise StoreUnavailableError("store_locked", path=str(path), detail=str(exc)) from exc
        self.writes = 0
        """Writes made through this handle (loads, graph replacements, updates) since it was opened."""
        self._drop_staging_graphs()

    # -- reading ----------------------------------------------------------------------------------------------
    @property
    def native(self) -> ox.Store:
        """The pyoxigraph store itself (for serialising protocol results straight from it)."""
        return self._store

    def graph_iris(self) -> set[str]:
        return {g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode)}

    def query(
        self,
        sparql: str,
        bindings: dict[str, ox.NamedNode | ox.Literal] | None = None,
        *,
        graphs: Sequence[str] | None = None,
    ) -> QueryResult:
        """Run a read-only SPARQL query over the union of all named graphs (or the FROM graphs it names), or over
        ``graphs`` only (their union the default graph, each a named graph: a report's scope).

        ``bindings`` bind variables to values before evaluation (never pasted into the query text)."""
        dataset = scope_dataset(graphs)
        result = self.raw_query(sparql, dataset, dataset, bindings=bindings)
        try:  # pyoxigraph evaluates lazily: errors can come while iterating
            if isinstance(result, ox.QueryBoolean):
                return QueryResult("ask", boolean=bool(result))
            if isinstance(result, ox.QuerySolutions):
                variables = [v.value for v in result.variables]
                rows = [tuple(solution[v] for v in variables) for solution in result]
                return QueryResult("select", variables=variables, rows=rows)
            return QueryResult("graph", triples=list(result))
        except (OSError, RuntimeError) as exc:
            raise QueryError("query_failed", detail=str(exc)) from exc
        finally:
            # pyoxigraph's results may only be dropped by the thread that made them: drop them here, never later
            # from a cycle collected on another thread (which leaks them and keeps the store locked).
            del result

    def raw_query(
        self,
        sparql: str,
        default_graphs: Sequence[str] = (),
        named_graphs: Sequence[str] = (),
        bindings: dict[str, ox.NamedNode | ox.Literal] | None = None,
    ) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        """A read-only query answered as pyoxigraph results (for serialising them as they are), checked by the
        guard, over the union of the named graphs (or the FROM graphs it names), or over the dataset
        ``default_graphs`` / ``named_graphs`` (SPARQL protocol)."""
        checked = sparql_guard.check_query(sparql, self.graph_iris())
        options = query_options(checked.names_dataset, default_graphs, named_graphs, bindings)
        try:
            return self._store.query(checked.text, **options)  # type: ignore[arg-type]
        except SyntaxError as exc:
            raise QueryError("query_syntax", detail=str(exc)) from exc
        except (OSError, RuntimeError) as exc:
            raise QueryError("query_failed", detail=str(exc)) from exc

    def count(self, graph: str | None = None) -> int:
        if graph is None:
            return len(self._store)
        solutions = self._store.query(f"SELECT (COUNT(*) AS ?n) {{ GRAPH {ox.NamedNode(graph)} {{ ?s ?p ?o }} }}")
        try:  # counted by Oxigraph (a Python loop over the quads is 10x slower)
            value = next(iter(solutions))[0] if isinstance(solutions, ox.QuerySolutions) else None
        finally:
            del solutions  # dropped by the thread that made it (see query)
        return int(value.value) if isinstance(value, ox.Literal) else 0

    def graphs(self) -> list[GraphInfo]:
        """Every named graph (and every graph with a provenance record), with its count and provenance."""
        sources: dict[str, list[str]] = {}
        hashes: dict[str, str] = {}
        loaded: dict[str, str] = {}
        for quad in self._store.quads_for_pattern(None, None, None, ox.NamedNode(META_GRAPH)):
            if not isinstance(quad.subject, ox.NamedNode) or not isinstance(quad.object, ox.Literal):
                continue
            graph, predicate, value = quad.subject.value, quad.predicate.value, quad.object.value
            if predicate == "http://purl.org/dc/terms/source":
                sources.setdefault(graph, []).append(value)
            elif predicate == "http://purl.org/dc/terms/identifier":
                hashes[graph] = value.removeprefix("sha256:")
            elif predicate == "http://purl.org/dc/terms/modified":
                loaded[graph] = value
        return [
            GraphInfo(iri, self.count(iri), tuple(sorted(sources.get(iri, []))), hashes.get(iri), loaded.get(iri))
            for iri in sorted(self.graph_iris() | set(hashes))
        ]

    def recorded_hash(self, graph: str) -> str | None:
        for info in self.graphs():
            if info.iri == graph:
                return info.sha256
        return None

    def export(self, graphs: Iterable[str]) -> list[ox.Triple]:
        """All triples of ``graphs`` (duplicates across graphs kept once)."""
        seen: set[ox.Triple] = set()
        for graph in graphs:
            for quad in self._store.quads_for_pattern(None, None, None, ox.NamedNode(graph)):
                seen.add(ox.Triple(quad.subject, quad.predicate, quad.object))
        return list(seen)

    # -- writing ----------------------------------------------------------------------------------------------
    def update(self, sparql: str, *, base_iri: str | None = None, allow_reserved: bool = False) -> None:
        """Run a SPARQL Update (checked by the guard); relative IRIs resolve against ``base_iri``. Like
        :meth:`load`, it may not change the built-in graphs unless ``allow_reserved``."""
        checked = sparql_guard.check_update(
            sparql, self.graph_iris(), set() if allow_reserved else RESERVED_GRAPHS, base_iri=base_iri
        )
        self.writes += 1
        try:
            self._store.update(checked)
        except SyntaxError as exc:
            raise QueryError("query_syntax", detail=str(exc)) from exc
        except (OSError, RuntimeError) as exc:  # e.g. CLEAR GRAPH of a graph that does not exist
            raise QueryError("query_failed", detail=str(exc)) from exc

    def load(
        self,
        files: Sequence[Path],
        graph: str,
        *,
        replace: bool = True,
        allow_reserved: bool = False,
        source_root: Path | None = None,
    ) -> LoadReport:
        """Load ``files`` into ``graph`` atomically, replacing its content unless ``replace`` is False.

        Every file is parsed before anything is written; the first error raises :class:`DataFileError` and
        leaves the store untouched.
        """
        check_graph_iri(graph)
        if graph in RESERVED_GRAPHS and not allow_reserved:
            raise UsageError("reserved_graph", graph=graph)
        files = [Path(f) for f in files]
        names = [str(f.relative_to(source_root)) if source_root else f.name for f in files]
        if bulk.applies(self._store, files, graph):  # a graph without triples: at bulk speed (evalgraph.store.bulk)
            bulk.load_into_empty(self._store, files, graph)
            sha, triples = content_hash(files, source_root), self.count(graph)
            update = commit_update(None, graph, replace=True, sources=names, sha=sha, triples=triples)
            self._store.update(f"{update} ; DROP SILENT GRAPH <{bulk.LOADING_GRAPH}>")
            self._store.flush()
            self.writes += 1
            return LoadReport(graph=graph, files=len(files), triples=triples, sha256=sha)
        staging = STAGING_GRAPH_BASE + uuid.uuid4().hex
        quads = [quad for file in files for quad in parse_file(file, staging)]
        sha = content_hash(files, source_root)
        self._store.extend(quads)
        triples = self._commit(staging, graph, replace=replace, sources=names, sha=sha)
        return LoadReport(graph=graph, files=len(files), triples=triples, sha256=sha)

    def write_graph(self, triples: Iterable[ox.Triple], graph: str, *, source: str) -> int:
        """Replace the content of ``graph`` with ``triples`` atomically, recording ``source`` as its provenance. A
        graph the store does not hold yet is written in place, by one transaction (it appears whole or not at all):
        moving a staging graph copies every quad again, which on disk costs several times the write itself."""
        check_graph_iri(graph)
        staging = graph if graph not in self.graph_iris() else STAGING_GRAPH_BASE + uuid.uuid4().hex
        target = ox.NamedNode(staging)
        quads = [ox.Quad(t.subject, t.predicate, t.object, target) for t in triples]
        digest = hashlib.sha256("\n".join(sorted(str(q) for q in quads)).replace(staging, graph).encode("utf-8"))
        self._store.extend(quads)
        return self._commit(staging, graph, replace=True, sources=[source], sha=digest.hexdigest())

    def _commit(self, staging: str, graph: str, *, replace: bool, sources: Sequence[str], sha: str) -> int:
        """Move the staging graph into ``graph`` and record its provenance in the meta graph, in one update."""
        target = f"<{graph}>"
        self._store.update(commit_update(staging, graph, replace=replace, sources=sources, sha=sha))
        triples = self.count(graph)
        self._store.update(
            "PREFIX void: <http://rdfs.org/ns/void#> "
            f"INSERT DATA {{ GRAPH <{META_GRAPH}> {{ {target} void:triples {triples} }} }}"
        )
        self._store.flush()
        self.writes += 1
        return triples

    def drop_graphs(self, graphs: Sequence[str]) -> None:
        """Remove ``graphs`` and their provenance records, in one update (all or none; never a reserved graph)."""
        update = drop_update(graphs)
        if graphs:
            self._store.update(update)
            self._store.flush()
            self.writes += 1

    def settle(self) -> None:
        """Flush and compact the on-disk store, so no background write runs while other processes read it."""
        if self.path is not None:
            self._store.flush()
            self._store.optimize()

    def _drop_staging_graphs(self) -> None:
        bulk.recover(self._store)
        for iri in self.graph_iris():
            if iri.startswith(STAGING_GRAPH_BASE):
                self._store.remove_graph(ox.NamedNode(iri))

    def close(self) -> None:
        self._store.flush()
        del self._store


def commit_update(
    staging: str | None, graph: str, *, replace: bool, sources: Sequence[str], sha: str, triples: int | None = None
) -> str:
    """The one SPARQL Update that moves (or adds) the staging graph (if any) into ``graph`` and records its
    provenance (with its triple count, when given)."""
    now = datetime.now(UTC).isoformat(timespec="seconds")
    source_triples = " ".join(f"dct:source {_literal(n)} ;" for n in sources)
    source_triples += f" void:triples {int(triples)} ;" if triples is not None else ""
    target = f"<{graph}>"
    transfer = (
        ""
        if staging is None
        else f"MOVE SILENT GRAPH <{staging}> TO GRAPH {target} ;"
        if replace
        else (f"ADD SILENT GRAPH <{staging}> TO GRAPH {target} ; DROP SILENT GRAPH <{staging}> ;")
    )
    return (
        "PREFIX dct: <http://purl.org/dc/terms/> PREFIX void: <http://rdfs.org/ns/void#> "
        "PREFIX xsd: <http://www.w3.org/2001/XMLSchema#> PREFIX prov: <http://www.w3.org/ns/prov#> "
        f"{transfer} "
        f"DELETE WHERE {{ GRAPH <{META_GRAPH}> {{ {target} ?p ?o }} }} ; "
        f"INSERT DATA {{ GRAPH <{META_GRAPH}> {{ {target} a void:Dataset, prov:Entity ; {source_triples} "
        f'dct:identifier "sha256:{sha}" ; dct:modified "{now}"^^xsd:dateTime }} }}'
    )


def query_options(
    names_dataset: bool,
    default_graphs: Sequence[str] = (),
    named_graphs: Sequence[str] = (),
    bindings: Mapping[str, ox.NamedNode | ox.Literal] | None = None,
) -> dict[str, object]:
    """pyoxigraph's keyword arguments for the dataset: the protocol's graphs when given (a graph the store does
    not hold is simply empty), else the FROM graphs the query names, else the union of all named graphs as the
    default graph."""
    options: dict[str, object] = {"substitutions": {ox.Variable(k): v for k, v in (bindings or {}).items()}}
    if default_graphs or named_graphs:  # the protocol's dataset is the whole dataset (SPARQL 1.1 Protocol 2.1.4)
        options["default_graph"] = [ox.NamedNode(g) for g in default_graphs]
        options["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
    else:
        options["use_default_graph_as_union"] = not names_dataset
    return options


def open_store(path: Path | None) -> OxigraphStore:
    """Open (creating if needed) the embedded store at ``path``; ``None`` gives an in-memory store."""
    return OxigraphStore(path)
