"""The web service's shared state: the operator's choices (:class:`ServerSettings`) and :class:`Service` — the
reference store (opened lazily), the query workers, authentication of writers. The routes (:mod:`evalgraph.web.app`,
:mod:`evalgraph.web.dossiers`) share one Service."""

from __future__ import annotations

import asyncio
import hashlib
import math
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

import pyoxigraph as ox
from fastapi import Request

from evalgraph.cartography import report as cartography
from evalgraph.errors import ApiError, Overloaded
from evalgraph.i18n import message
from evalgraph.market import shipped
from evalgraph.settings import Settings
from evalgraph.store.oxigraph import OxigraphStore, open_store
from evalgraph.web.auth import Principal, TokenRegistry, bearer
from evalgraph.web.protocol import Job, Reply, execute
from evalgraph.web.query_workers import QueryPool


def _digest(store: OxigraphStore) -> str:
    """SHA-256 of every statement of the store, as N-Quads in the store's own order (the same statements give the
    same dump)."""
    dumped = store.native.dump(format=ox.RdfFormat.N_QUADS)
    return hashlib.sha256(dumped or b"").hexdigest()


@dataclass
class ServerSettings:
    """What the operator chose (``evalgraph serve`` options; see docs/server.md)."""

    max_body_bytes: int = 1_000_000
    max_result_bytes: int = 50_000_000
    lang: str = "en"
    public_url: str | None = None
    query_timeout: float = 30.0
    """Seconds a SPARQL query may run before its worker is killed (503 query_timeout)."""
    query_workers: int = 2
    """Worker processes answering /sparql; 0 answers in the server process (no hard timeout: --get, tests)."""
    max_waiting: int = 16
    """Requests that may wait for a busy worker; more are refused at once with 503 and Retry-After."""
    read_only: bool = False
    """Refuse every write (dossier submissions, updates) with 403."""
    allow_update: bool = False
    """Accept SPARQL Update on /sparql from admin tokens."""
    tokens: TokenRegistry = field(default_factory=TokenRegistry.empty)

    @classmethod
    def from_settings(cls, settings: Settings, *, lang: str, in_process: bool = False) -> ServerSettings:
        """The web service's options from the one settings object (``in_process``: no query workers)."""
        tokens = TokenRegistry.from_file(settings.token_file) if settings.token_file else TokenRegistry.empty()
        return cls(
            max_body_bytes=settings.max_body,
            max_result_bytes=settings.max_result,
            lang=lang,
            public_url=settings.public_url,
            query_timeout=settings.query_timeout,
            query_workers=0 if in_process else settings.workers,
            max_waiting=settings.max_waiting,
            read_only=settings.read_only,
            allow_update=settings.allow_update,
            tokens=tokens,
        )


class Service:
    """The state the routes share: the reference store (opened lazily), the query pool, the dossier store."""

    def __init__(
        self, settings: Settings, options: ServerSettings, store_factory: Callable[[], OxigraphStore] | None
    ) -> None:
        self.settings, self.options, self._factory = settings, options, store_factory
        self._lock = threading.Lock()
        self._store: OxigraphStore | None = None
        self.pool: QueryPool | None = None
        self._graphs: tuple[int, frozenset[str]] | None = None
        self._generation = 0
        """Writes this service has finished (:meth:`known_graphs` keeps its answer only between two)."""

    @property
    def lang(self) -> str:
        return self.options.lang

    def store(self) -> OxigraphStore:
        """The reference store, filled with the built-in data and its inferred graph, then settled (flushed and
        compacted) before any query worker opens it read-only."""
        with self._lock:
            if self._store is None:
                opened = self._factory() if self._factory else open_store(self.settings.store_path)
                shipped.ensure_loaded(opened, self.settings.resources_dir)  # what the command line's first open loads
                if not cartography.inferred_is_current(opened):
                    cartography.refresh_inferred(opened)
                if opened.writes:
                    opened.settle()
                if opened.path is not None and self.options.query_workers > 0:
                    self.pool = QueryPool(
                        opened.path,
                        size=self.options.query_workers,
                        timeout=self.options.query_timeout,
                        max_waiting=self.options.max_waiting,
                    )
                    self.pool.start()
                self._store = opened
            return self._store

    @property
    def opened(self) -> bool:
        """Whether the reference store is open (after that, :meth:`store` returns at once)."""
        return self._store is not None

    def known_graphs(self) -> frozenset[str]:
        """The named graphs of the store, which the guard checks a query's FROM / GRAPH against: read once per
        write rather than per request (every write of a running service goes through :meth:`_exclusively`)."""
        cached = self._graphs
        if cached is not None and cached[0] == self._generation:
            return cached[1]
        generation = self._generation
        graphs = frozenset(self.store().graph_iris())
        if generation == self._generation:  # no write finished meanwhile
            self._graphs = (generation, graphs)
        return graphs

    async def answer(self, job: Job) -> Reply:
        """Answer a protocol query in a worker (or in-process, in a thread, when there is no pool)."""
        if not self.opened:
            await asyncio.to_thread(self.store)
        if self.pool is None:
            return await asyncio.to_thread(execute, self.store().native, job)
        try:
            return await self.pool.answer(job)
        except Overloaded:
            seconds = max(1, math.ceil(self.options.query_timeout))
            return Reply(
                503,
                code="overloaded",
                message=message("server_overloaded", self.lang, seconds=seconds),
                headers={"Retry-After": str(seconds)},
            )

    def update(self, text: str) -> None:
        """Run a checked (canonical) SPARQL Update while the query workers hold the store closed; refresh the
        inferred graph when the update changed any statement (a no-op such as ``DROP SILENT`` of a missing graph
        leaves it as it is); settle the store. The store's own guard checks it once more, against the graphs it
        holds now."""
        store = self.store()

        def write() -> None:
            before = _digest(store)
            store.update(text)
            if _digest(store) != before:
                cartography.refresh_inferred(store)
            store.settle()

        self._exclusively(write)

    def write(self, triples: list[ox.Triple], graph: str, replace: bool, source: str) -> None:
        """Replace ``graph`` with ``triples`` (or add them to it), recording ``source``, while the query workers hold
        the store closed; refresh the inferred graph; settle the store (:mod:`evalgraph.web.graph_store`)."""
        store = self.store()

        def write() -> None:
            kept = [] if replace else store.export([graph])
            store.write_graph([*kept, *triples], graph, source=source)
            cartography.refresh_inferred(store)
            store.settle()

        self._exclusively(write)

    def _exclusively(self, work: Callable[[], None]) -> None:
        """Run ``work`` while no query worker has the store open (they close it and open it again after)."""
        try:
            if self.pool is None:
                work()
            else:
                with self.pool.exclusive():
                    work()
        finally:
            self._generation += 1
            self._graphs = None

    def principal(self, request: Request) -> Principal:
        """The token's owner, or 401 (no token, or a token the operator did not issue)."""
        token = bearer(request.headers.get("authorization"))
        if token is None:
            raise ApiError(
                401,
                "unauthenticated",
                message("server_unauthenticated", self.lang),
                {"WWW-Authenticate": 'Bearer realm="evalgraph"'},
            )
        found = self.options.tokens.check(token)
        if found is None:
            raise ApiError(
                401,
                "invalid_token",
                message("server_bad_token", self.lang),
                {"WWW-Authenticate": 'Bearer realm="evalgraph", error="invalid_token"'},
            )
        return found

    def writer(self, request: Request, action: str) -> Principal:
        """A principal allowed to write: ``action`` is ``submit`` or ``update``."""
        if self.options.read_only:
            raise ApiError(403, "read_only", message("server_service_read_only", self.lang))
        found = self.principal(request)
        allowed = found.submits if action == "submit" else found.role == "admin"
        if not allowed:
            raise ApiError(
                403,
                "forbidden_role",
                message(
                    "server_forbidden_role",
                    self.lang,
                    role=found.role,
                    action=message(f"server_action_{action}", self.lang),
                ),
            )
        return found

    def close(self) -> None:
        if self.pool is not None:
            self.pool.close()
