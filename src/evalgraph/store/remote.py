"""The store on any SPARQL 1.1 engine: the :class:`~evalgraph.store.oxigraph.Store` interface over the SPARQL 1.1
Protocol (queries, updates) and, when configured, the Graph Store HTTP Protocol (uploads).

Only the configured URLs are ever contacted: redirects are not followed, the environment's proxies and ``.netrc``
are not read, and every query and update passes the guard first (no ``SERVICE``, no ``LOAD``, ``FROM`` only of
graphs evalgraph holds), so neither evalgraph nor the engine is made to fetch a URL by a query. How evalgraph copes
with engines' differences (union default graph, named graphs, ``GROUP_CONCAT`` of unbound values, atomicity of
updates) is in docs/engines.md.

evalgraph's graphs on an engine are the graphs recorded in its meta graph (every load and graph replacement records
one), the meta graph itself, and the graphs in evalgraph's namespace; queries run over their union (each is also a
named graph), sent as the protocol's ``default-graph-uri`` / ``named-graph-uri``, so the engine's own and other
applications' graphs are never mixed in.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import httpx
import pyoxigraph as ox

from evalgraph.errors import QueryError, StoreUnavailableError, UsageError
from evalgraph.store import binding
from evalgraph.store import guard as sparql_guard
from evalgraph.store.canonical import canonical
from evalgraph.store.oxigraph import (
    META_GRAPH,
    RESERVED_GRAPHS,
    STAGING_GRAPH_BASE,
    GraphInfo,
    LoadReport,
    QueryResult,
    check_graph_iri,
    commit_update,
    content_hash,
    drop_update,
    scope_dataset,
)
from evalgraph.store.parsing import parse_file
from evalgraph.store.remote_upload import Upload, chunked
from evalgraph.vocab import EGG as GRAPH_BASE

_RESULTS = "application/sparql-results+json"
_TRIPLES = "application/n-triples"
_CHUNK = {True: 20_000, False: 1_000}
"""Triples sent per upload request: through the Graph Store Protocol, and through SPARQL Update (Virtuoso refuses an
``INSERT DATA`` much over a thousand triples)."""


_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"
_BOOLEANS = {
    "1": ox.Literal("true", datatype=ox.NamedNode(_BOOLEAN)),
    "0": ox.Literal("false", datatype=ox.NamedNode(_BOOLEAN)),
}


Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None


def _canonical_term(term: Term) -> Term:
    """A boolean in its canonical form (Virtuoso writes ``"1"^^xsd:boolean``); any other term as it is."""
    if isinstance(term, ox.Literal) and term.datatype.value == _BOOLEAN and term.value in _BOOLEANS:
        return _BOOLEANS[term.value]
    return term


@dataclass(frozen=True)
class Endpoint:
    """Where the engine is: its query URL, update URL (none: evalgraph only reads), Graph Store Protocol URL
    (optional: uploads then go through SPARQL Update ``INSERT DATA``), credentials (HTTP basic), timeout (s)."""

    query: str
    update: str | None = None
    store: str | None = None
    user: str | None = None
    password: str | None = None
    timeout: float = 60.0
    server: bool = False
    """A running ``evalgraph serve`` that holds this data directory's store: read through; loads go to its
    Graph Store Protocol writes (``/store``) with an admin ``token``, no other write."""
    token: str | None = None


class RemoteStore:
    """The store on a SPARQL 1.1 engine reached over HTTP (see the module's description)."""

    path: Path | None = None

    def __init__(self, endpoint: Endpoint) -> None:
        for url in (endpoint.query, endpoint.update, endpoint.store):
            if url is not None and not url.startswith(("http://", "https://")):
                raise UsageError("bad_setting", variable="EVALGRAPH_ENDPOINT", option="--endpoint", value=url,
                                 detail="an http:// or https:// URL")  # fmt: skip
        self.endpoint = endpoint
        auth = httpx.BasicAuth(endpoint.user, endpoint.password or "") if endpoint.user else None
        self._http = httpx.Client(auth=auth, timeout=endpoint.timeout, follow_redirects=False, trust_env=False)
        self._graphs: set[str] | None = None
        self.writes = 0
        """Writes made through this handle since it was opened."""

    # -- HTTP -----------------------------------------------------------------------------------------------
    def _post(self, url: str, data: Mapping[str, object] | None = None, **options: object) -> httpx.Response:
        try:
            response = self._http.post(url, data=data, **options)  # type: ignore[arg-type]
        except httpx.HTTPError as exc:
            raise StoreUnavailableError("query_failed", detail=f"SPARQL endpoint {url}: {exc}") from exc
        if response.status_code >= 300:
            detail = f"SPARQL endpoint {url} answered {response.status_code}: {response.text[:300]}"
            raise QueryError("query_failed", detail=detail)
        return response

    def _select(self, sparql: str, dataset: bool = True) -> list[tuple[object, ...]]:
        result = self._run(sparql, "SELECT", dataset)
        return result.rows  # type: ignore[return-value]

    def _run(self, text: str, form: str, dataset: bool, scope: Sequence[str] | None = None) -> QueryResult:
        if scope is not None:  # a report's scope: those graphs only (an empty one reads a graph nobody writes)
            graphs = scope_dataset(scope)
        else:
            graphs = sorted(self.graph_iris()) if dataset else []
        data = {"query": text, "default-graph-uri": graphs, "named-graph-uri": graphs}
        accept = _TRIPLES if form in ("CONSTRUCT", "DESCRIBE") else _RESULTS
        response = self._post(self.endpoint.query, data, headers={"Accept": accept})
        try:
            if accept == _TRIPLES:
                return QueryResult("graph", triples=list(ox.parse(response.content, ox.RdfFormat.N_TRIPLES)))
            parsed = ox.parse_query_results(response.content, ox.QueryResultsFormat.JSON)
        except SyntaxError as exc:
            raise QueryError("query_failed", detail=f"unreadable answer from the endpoint: {exc}") from exc
        if isinstance(parsed, ox.QueryBoolean):
            return QueryResult("ask", boolean=bool(parsed))
        variables = [v.value for v in parsed.variables]
        rows = [tuple(_canonical_term(solution[v]) for v in variables) for solution in parsed]
        return QueryResult("select", variables=variables, rows=rows)

    @property
    def read_only(self) -> bool:
        """No update URL is configured: evalgraph only reads (a running ``evalgraph serve``, a shared engine)."""
        return self.endpoint.update is None

    def _update(self, sparql: str) -> None:
        if self.endpoint.server:
            raise UsageError("store_held_by_server", url=self.endpoint.query.removesuffix("/sparql"))
        if self.endpoint.update is None:
            raise UsageError("bad_setting", variable="EVALGRAPH_ENDPOINT_UPDATE", option="--endpoint", value="",
                             detail="this command writes, and the engine has no update URL (read-only)")  # fmt: skip
        self._post(self.endpoint.update, {"update": sparql})
        self._graphs = None
        self.writes += 1

    # -- reading ----------------------------------------------------------------------------------------------
    def graph_iris(self) -> set[str]:
        """evalgraph's graphs on the engine that hold triples (see the module's description)."""
        if self._graphs is None:
            listed = self._select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", dataset=False)
            present = {str(row[0].value) for row in listed if isinstance(row[0], ox.NamedNode)}
            recorded = set(self._recorded(present)) if META_GRAPH in present else set()
            self._graphs = {
                g
                for g in present
                if (g in recorded or g == META_GRAPH or g.startswith(GRAPH_BASE))
                and not g.startswith(STAGING_GRAPH_BASE)
            }
        return set(self._graphs)

    def _recorded(self, present: set[str]) -> dict[str, dict[str, list[str]]]:
        query = f"SELECT ?g ?p ?o WHERE {{ GRAPH <{META_GRAPH}> {{ ?g ?p ?o }} }}"
        records: dict[str, dict[str, list[str]]] = {}
        for g, p, o in self._select(query, dataset=False):
            if isinstance(g, ox.NamedNode) and isinstance(o, ox.Literal) and isinstance(p, ox.NamedNode):
                records.setdefault(g.value, {}).setdefault(p.value, []).append(o.value)
        return records

    def query(
        self,
        sparql: str,
        bindings: dict[str, ox.NamedNode | ox.Literal] | None = None,
        *,
        graphs: Sequence[str] | None = None,
    ) -> QueryResult:
        """Run a read-only query over the union of evalgraph's graphs (or the FROM graphs it names, or ``graphs``
        only: a report's scope); ``bindings`` bind variables before evaluation (:mod:`evalgraph.store.binding`)."""
        known = self.graph_iris()
        checked = sparql_guard.check_query(sparql, known)
        text = checked.text
        if bindings:
            text = sparql_guard.check_query(binding.substitute(text, bindings), known).text
        first = next((t.text.upper() for t in canonical(text).tokens if t.kind == "keyword"), "")
        return self._run(text, first, dataset=not checked.names_dataset, scope=graphs)

    def count(self, graph: str | None = None) -> int:
        where = f"GRAPH <{check_graph_iri(graph)}> {{ ?s ?p ?o }}" if graph else "GRAPH ?g { ?s ?p ?o }"
        rows = self._select(f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}")
        value = rows[0][0] if rows else None
        return int(value.value) if isinstance(value, ox.Literal) else 0

    def graphs(self) -> list[GraphInfo]:
        """Every graph of evalgraph's on the engine, with its count and provenance."""
        present = self.graph_iris()
        records = self._recorded(present)
        dct = "http://purl.org/dc/terms/"
        return [
            GraphInfo(
                iri,
                self.count(iri) if iri in present else 0,
                tuple(sorted(records.get(iri, {}).get(dct + "source", []))),
                next(iter(records.get(iri, {}).get(dct + "identifier", [])), "").removeprefix("sha256:") or None,
                next(iter(records.get(iri, {}).get(dct + "modified", [])), None),
            )
            for iri in sorted(present | {g for g, r in records.items() if dct + "identifier" in r})
        ]

    def recorded_hash(self, graph: str) -> str | None:
        identifiers = self._recorded(set()).get(graph, {}).get("http://purl.org/dc/terms/identifier", [])
        return identifiers[0].removeprefix("sha256:") if identifiers else None

    def export(self, graphs: Iterable[str]) -> list[ox.Triple]:
        """All triples of ``graphs`` (duplicates across graphs kept once)."""
        seen: set[ox.Triple] = set()
        for graph in graphs:
            query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{check_graph_iri(graph)}> {{ ?s ?p ?o }} }}"
            seen.update(self._run(query, "CONSTRUCT", dataset=False).triples)
        return list(seen)

    # -- writing ----------------------------------------------------------------------------------------------
    def update(self, sparql: str, *, base_iri: str | None = None, allow_reserved: bool = False) -> None:
        """Run a SPARQL Update, checked by the guard as on the embedded store."""
        reserved = set() if allow_reserved else RESERVED_GRAPHS
        self._update(sparql_guard.check_update(sparql, self.graph_iris(), reserved, base_iri=base_iri))

    def load(
        self,
        files: Sequence[Path],
        graph: str,
        *,
        replace: bool = True,
        allow_reserved: bool = False,
        source_root: Path | None = None,
    ) -> LoadReport:
        """Load ``files`` into ``graph``: every file is parsed first, the triples are uploaded to a staging graph
        in chunks, then one update moves them over ``graph`` and records their provenance."""
        check_graph_iri(graph)
        if graph in RESERVED_GRAPHS and not allow_reserved:
            raise UsageError("reserved_graph", graph=graph)
        files = [Path(f) for f in files]
        quads = [quad for file in files for quad in parse_file(file, graph)]
        names = [str(f.relative_to(source_root)) if source_root else f.name for f in files]
        sha = content_hash(files, source_root)
        if self.endpoint.server:
            return self._load_through_server(quads, graph, replace, names, sha)
        triples, resumed = self._replace((q.triple for q in quads), graph, replace, names, sha)
        return LoadReport(graph=graph, files=len(files), triples=triples, sha256=sha, resumed=resumed)

    def _load_through_server(self, quads: list[ox.Quad], graph: str, replace: bool, names: list[str], sha: str
                             ) -> LoadReport:  # fmt: skip
        """Send the parsed triples to the running evalgraph server's ``/store`` (PUT replaces, POST adds)."""
        base = self.endpoint.query.removesuffix("/sparql")
        if not self.endpoint.token:
            raise UsageError("store_held_by_server", url=base)
        body = "".join(f"{q.triple} .\n" for q in quads).encode("utf-8")
        headers = {"Content-Type": _TRIPLES, "Authorization": f"Bearer {self.endpoint.token}"}
        request = self._http.put if replace else self._http.post
        try:
            response = request(f"{base}/store", params={"graph": graph, "source": names}, content=body, headers=headers)
        except httpx.HTTPError as exc:
            raise StoreUnavailableError("query_failed", detail=f"{base}/store: {exc}") from exc
        if response.status_code >= 300:
            raise QueryError(
                "query_failed", detail=f"{base}/store answered {response.status_code}: {response.text[:300]}"
            )
        self._graphs = None
        return LoadReport(graph=graph, files=len(names), triples=self.count(graph), sha256=sha)

    def write_graph(self, triples: Iterable[ox.Triple], graph: str, *, source: str) -> int:
        """Replace the content of ``graph`` with ``triples``, recording ``source`` as its provenance."""
        check_graph_iri(graph)
        listed = list(triples)
        target = ox.NamedNode(graph)
        quads = sorted(str(ox.Quad(t.subject, t.predicate, t.object, target)) for t in listed)
        digest = hashlib.sha256("\n".join(quads).encode("utf-8")).hexdigest()
        return self._replace(listed, graph, True, [source], digest)[0]

    def _replace(
        self, triples: Iterable[ox.Triple], graph: str, replace: bool, sources: list[str], sha: str
    ) -> tuple[int, int]:
        """Upload ``triples`` and move them over (or add them to) ``graph``: the graph's triple count, and how many
        chunks an earlier, interrupted run of the same upload had sent (:mod:`evalgraph.store.remote_upload`)."""
        size = _CHUNK[self.graph_store]
        upload = Upload.named(STAGING_GRAPH_BASE, graph, sha, replace, size)
        chunks, blank, expected = chunked(triples, size)
        total = len(chunks) + bool(blank)
        done: set[int] = set()
        try:
            before = upload.send(self, chunks, blank, done)
            if upload.staged(self) != expected:  # another run of the same load moved or changed it: start again
                upload.forget(self)
                done.clear()
                before = upload.send(self, chunks, blank, done)
                if upload.staged(self) != expected:
                    raise QueryError(
                        "query_failed", detail=f"the staging graph holds other than the {expected} triples sent"
                    )
            self._update(upload.join_blank())
            self._update(commit_update(upload.staging, graph, replace=replace, sources=sources, sha=sha)
                         + f" ; DROP SILENT GRAPH <{upload.progress}>")  # fmt: skip
        except KeyboardInterrupt:
            raise  # what was sent stays for the next run (exit 130)
        except StoreUnavailableError as exc:  # the engine went away: keep what it has
            raise StoreUnavailableError("load_interrupted", sent=len(done), total=total, detail=str(exc)) from exc
        except BaseException:
            try:
                upload.forget(self)
            except (QueryError, StoreUnavailableError):
                pass  # the staging graph is never part of evalgraph's graphs; docs/engines.md says how to drop it
            raise
        triples_count = self.count(graph)
        self._update(
            "PREFIX void: <http://rdfs.org/ns/void#> "
            f"INSERT DATA {{ GRAPH <{META_GRAPH}> {{ <{graph}> void:triples {triples_count} }} }}"
        )
        return triples_count, before

    # -- what an upload needs (evalgraph.store.remote_upload) -------------------------------------------------
    @property
    def graph_store(self) -> bool:
        return self.endpoint.store is not None

    def send_update(self, sparql: str) -> None:
        self._update(sparql)

    def send_triples(self, body: str, graph: str) -> None:
        url = cast(str, self.endpoint.store)
        self._post(url, params={"graph": graph}, content=body.encode(), headers={"Content-Type": _TRIPLES})

    def select_rows(self, sparql: str) -> list[tuple[object, ...]]:
        return self._select(sparql, dataset=False)

    def drop_graphs(self, graphs: Sequence[str]) -> None:
        """Remove ``graphs`` and their provenance records, in one update request (see OxigraphStore)."""
        update = drop_update(graphs)
        if graphs:
            self._update(update)

    def settle(self) -> None:
        """Nothing to settle: the engine manages its own storage."""

    def close(self) -> None:
        self._http.close()
