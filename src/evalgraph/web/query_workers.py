"""Query workers: SPARQL protocol queries run in child processes, so a timeout really stops them.

pyoxigraph cannot cancel a running query, so a query that must be stopped runs in a process that can be killed.
The pool keeps ``size`` worker processes; each opens the on-disk store **read-only** once and answers jobs
(:class:`evalgraph.web.protocol.Job`) sent over a pipe. A job that has no answer after ``timeout`` seconds gets
its worker killed (``SIGKILL``) and replaced; the client gets 503 ``query_timeout`` and the server keeps serving.
Clients wait for a free worker at most ``timeout`` seconds, and at most ``max_waiting`` may wait at once: beyond
that a request is refused at once with 503 ``overloaded`` and ``Retry-After``, rather than piling up.

The web service asks from its event loop (:meth:`QueryPool.answer`): the wait for a free worker is a future that a
released worker is handed to, and the wait for the reply a reader on the worker's pipe, so an answered query costs
no thread hand-over; only what blocks (starting, killing and replacing a worker) runs in a thread.

RocksDB (under Oxigraph) leaves it undefined to read a store read-only while another process writes it, so the
server process writes the reference store only while no worker has it open: at start, before the first worker opens
it, and for an enabled SPARQL Update (:meth:`QueryPool.exclusive`: every worker closes the store and says so before
the write, and opens it again after, so it reads what was written). The dossier store is a separate database that
workers never open.

Each worker first leaves the network (:func:`evalgraph.processes.isolate_network`): on Linux it gets a network namespace of its own,
so even a query that the guard wrongly let through could not connect anywhere. The guard itself runs in the worker
too, under the same timeout, so no SPARQL text is ever parsed on the server's event loop.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import logging
import math
import multiprocessing
import multiprocessing.connection
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from evalgraph import processes
from evalgraph.errors import Overloaded
from evalgraph.i18n import message
from evalgraph.processes import Worker
from evalgraph.web.protocol import Job, Reply

if TYPE_CHECKING:
    import pyoxigraph as ox

log = logging.getLogger("evalgraph.web.app")
_CONTEXT = multiprocessing.get_context("spawn")  # a fresh interpreter: no inherited RocksDB handles or threads


HANDLER = "evalgraph.web.protocol:execute"
"""What a worker runs for each job (``module:function``); tests name another to prove the network isolation."""

CLOSE, OPEN = "close the store", "open the store"
"""What the pool tells its workers around a write (:meth:`QueryPool.exclusive`); a worker answers each with the
same word once done."""


def _open(store_path: str) -> tuple[ox.Store | None, str]:
    """The store opened read-only, or None and why not."""
    import pyoxigraph as ox

    try:
        return ox.Store.read_only(store_path), ""
    except OSError as exc:
        return None, str(exc)


def _worker_main(
    connection: multiprocessing.connection.Connection, store_path: str, isolate: bool = True, handler: str = HANDLER
) -> None:
    """A worker process: leave the network, open the store read-only, then answer jobs until told to stop; close
    the store when told to (and collect, so that no result left over keeps it open) and open it again."""
    isolation = processes.isolate_network() if isolate else "disabled"
    connection.send(isolation)
    import gc
    import importlib

    module, _, name = handler.partition(":")
    execute = getattr(importlib.import_module(module), name)

    store, failure = _open(store_path)
    for job in processes.jobs(connection):
        if job == CLOSE:
            store, failure = None, "the store is being written"
            gc.collect()
            connection.send(CLOSE)
        elif job == OPEN:
            store, failure = _open(store_path)
            connection.send(OPEN)
        elif store is None:
            connection.send(Reply(503, code="store_unavailable", message=failure))
        else:
            connection.send(execute(store, job))


class QueryPool:
    """``size`` worker processes over the store at ``store_path``, with a per-query ``timeout`` in seconds."""

    def __init__(
        self,
        store_path: Path,
        *,
        size: int = 2,
        timeout: float = 30.0,
        max_waiting: int = 8,
        isolate: bool = True,
        handler: str = HANDLER,
    ) -> None:
        self.store_path = store_path
        self.isolate = isolate
        self.handler = handler
        self.isolation = "not started"
        """How the last worker started: ``netns`` (no network), ``unavailable: …`` or ``disabled``."""
        self.size = max(1, size)
        self.timeout = timeout
        self.max_waiting = max(0, max_waiting)
        self._lock = threading.Lock()
        self._slots = threading.Semaphore(self.size)
        self._idle: list[Worker] = []
        self._waiting = 0
        self._handed: collections.deque[tuple[asyncio.AbstractEventLoop, asyncio.Future[None]]] = collections.deque()
        """Event-loop requests waiting for a worker, first come first served (:meth:`_release` hands them one)."""
        self._exclusive = 0
        """Writes waiting to hold every worker: while one does, released workers go to it, not to waiting queries."""
        self._writing = threading.Lock()
        """One write at a time: two would share the workers between them and neither would hold them all."""
        self._closed = False
        self._started = False
        self.timeouts = 0
        self.refused = 0

    # -- life cycle ---------------------------------------------------------------------------------------
    def start(self) -> None:
        with self._lock:
            self._closed = False
            if not self._started:
                self._idle = self._spawn_many(self.size)
                self._started = True

    def _spawn(self) -> Worker:
        return self._spawn_many(1)[0]

    def _spawn_many(self, count: int) -> list[Worker]:
        """``count`` fresh workers, started side by side (each takes a new interpreter's start-up time)."""
        started = []
        for _ in range(count):
            parent, child = _CONTEXT.Pipe()
            process = _CONTEXT.Process(
                target=_worker_main,
                args=(child, str(self.store_path), self.isolate, self.handler),
                name="evalgraph-query-worker",
                daemon=True,
            )
            process.start()
            child.close()
            started.append(Worker(process, parent))
        for worker in started:
            self._note_isolation(worker)
        return started

    def _note_isolation(self, worker: Worker) -> None:
        """Wait for a new worker's first word, how it left the network, and log it when it changes."""
        parent = worker.connection
        isolation = parent.recv() if parent.poll(60) else "unavailable: the worker did not start"
        if isolation != self.isolation:
            (log.info if isolation in ("netns", "disabled") else log.warning)("query workers' network: %s", isolation)
        self.isolation = isolation

    def close(self) -> None:
        """Stop every worker: requests waiting for one are refused (:class:`Overloaded`), running queries are
        waited for (at most ``timeout``), and the pool answers no more until it is started again."""
        with self._lock:
            self._closed = True
            handed, self._handed = list(self._handed), collections.deque()
        for loop, waiting in handed:
            with contextlib.suppress(RuntimeError):  # a loop that is closed has no waiter left
                loop.call_soon_threadsafe(_refuse, waiting)
        taken = self._take_all_slots()
        with self._lock:
            workers, self._idle, self._started = self._idle, [], False
        for worker in workers:
            processes.stop(worker, kill=False)
        for _ in range(taken):
            self._release()

    def _take_all_slots(self) -> int:
        deadline = time.monotonic() + self.timeout + 5
        taken = 0
        with self._lock:
            self._exclusive += 1
        try:
            for _ in range(self.size):
                if self._slots.acquire(timeout=max(0.0, deadline - time.monotonic())):
                    taken += 1
        finally:
            with self._lock:
                self._exclusive -= 1
        return taken

    def _release(self) -> None:
        """Give a slot back: to the first request waiting on an event loop, unless a write waits for every slot."""
        with self._lock:
            if self._handed and not self._exclusive:
                loop, waiting = self._handed.popleft()
                loop.call_soon_threadsafe(self._grant, waiting)
                return
            self._slots.release()

    def _grant(self, waiting: asyncio.Future[None]) -> None:
        """On the waiter's loop: the slot is its own, or passed on when it stopped waiting meanwhile."""
        if waiting.done():
            self._release()
        else:
            waiting.set_result(None)

    @contextmanager
    def exclusive(self, after: Callable[[], None] | None = None) -> Iterator[None]:
        """Hold every worker for the duration of a write to the store: each closes the store before it (a worker
        that does not say so in time is killed) and opens it again after, so that its next query reads what was
        written; a worker lost on the way is replaced by a fresh one. Writes go one at a time; one that cannot hold
        every worker within ``timeout`` + 5 s is refused (:class:`Overloaded`) rather than run beside a query."""
        with self._writing:
            taken = self._take_all_slots()
            if taken < self.size:
                for _ in range(taken):
                    self._release()
                raise Overloaded(max(1, math.ceil(self.timeout)))
            with self._lock:
                workers, self._idle = self._idle, []
            closed = self._tell(workers, CLOSE)
            try:
                yield
                if after:
                    after()
            finally:
                opened = self._tell(closed, OPEN)
                if self._started:  # spawned outside the lock, which the event loop takes
                    opened += self._spawn_many(self.size - len(opened))
                    with self._lock:
                        self._idle.extend(opened)
                else:
                    for worker in opened:
                        processes.stop(worker, kill=False)
                for _ in range(taken):
                    self._release()

    def _tell(self, workers: list[Worker], command: str) -> list[Worker]:
        """Send ``command`` to idle ``workers`` at once, then wait for each one's answer (at most ``timeout``
        seconds in all); the workers that answered. The others are killed, and gone when this returns."""
        sent = []
        for worker in workers:
            try:
                worker.connection.send(command)
                sent.append(worker)
            except OSError:
                processes.stop(worker, kill=True)
        deadline = time.monotonic() + self.timeout + 5
        answered = []
        for worker in sent:
            try:
                ready = worker.connection.poll(max(0.0, deadline - time.monotonic()))
                if ready and worker.connection.recv() == command:
                    answered.append(worker)
                    continue
            except (EOFError, OSError):
                pass
            log.error("query worker %s did not %s", worker.process.pid, command)
            processes.stop(worker, kill=True)
        return answered

    # -- answering ----------------------------------------------------------------------------------------
    def run(self, job: Job) -> Reply:
        """Answer ``job`` in a worker, from a thread with no event loop of its own running (blocking).
        Raises :class:`Overloaded`."""
        return asyncio.run(self.answer(job))

    async def answer(self, job: Job) -> Reply:
        """Answer ``job`` in a worker, from the event loop: no thread waits (see the module's docstring); a query is
        read-only, so one that lost its worker (out of memory, killed by the operator…) is sent once to a fresh one.
        Raises :class:`Overloaded`."""
        if self._closed:
            raise Overloaded
        if not self._started:
            await asyncio.to_thread(self.start)
        await self._acquire()
        with self._lock:
            worker = self._idle.pop() if self._idle else None
        if worker is None:  # the pool was closed meanwhile
            self._release()
            raise Overloaded
        settled = False
        try:
            reply, worker = await self._exchange(job, worker)
            settled = True
            return reply
        finally:
            if settled:
                with self._lock:
                    self._idle.append(worker)
                self._release()
            else:  # cancelled while the worker still works on the job: its reply must not go to the next one
                processes.discard(worker)
                threading.Thread(target=self._replace, daemon=True).start()

    def _replace(self) -> None:
        """Start a worker for one that was discarded, then give its slot back."""
        try:
            fresh = self._spawn()
            with self._lock:
                self._idle.append(fresh)
        finally:
            self._release()

    async def _acquire(self) -> None:
        """Take a slot: at once when one is free, else wait (at most ``timeout``, at most ``max_waiting`` waiting)
        for :meth:`_release` to hand one over."""
        loop = asyncio.get_running_loop()
        with self._lock:  # no overtaking: not past waiting requests, nor past a write waiting for every worker
            if not self._exclusive and not self._handed and self._slots.acquire(blocking=False):
                return
            if self._waiting >= self.max_waiting:
                self.refused += 1
                raise Overloaded
            self._waiting += 1
            waiting: asyncio.Future[None] = loop.create_future()
            self._handed.append((loop, waiting))
        try:
            await asyncio.wait_for(waiting, self.timeout)  # on time-out, cancelled: a slot granted later moves on
        except BaseException as exc:
            if waiting.done() and not waiting.cancelled() and waiting.exception() is None:
                self._release()  # granted as the wait ended (time-out or cancellation, Python ≥ 3.12): pass it on
            if not isinstance(exc, TimeoutError):
                raise
            with self._lock:
                self.refused += 1
            raise Overloaded from None
        finally:
            with self._lock:
                self._waiting -= 1
                if (loop, waiting) in self._handed:
                    self._handed.remove((loop, waiting))

    async def _exchange(self, job: Job, worker: Worker) -> tuple[Reply, Worker]:
        """Send ``job`` to ``worker`` and wait for its reply on the loop; a worker that dies is replaced and the job
        sent once more, one that times out is killed and replaced. The reply, and the worker to keep."""
        for attempt in (1, 2):
            try:
                worker.connection.send(job)
                if not await processes.readable(worker.connection, self.timeout):
                    self.timeouts += 1
                    log.warning("query stopped after %.1f s (worker %s killed)", self.timeout, worker.process.pid)
                    processes.discard(worker)
                    return _timed_out(self.timeout, job.lang), await asyncio.to_thread(self._spawn)
                reply: Reply = worker.connection.recv()
                return reply, worker
            except (EOFError, OSError) as exc:
                log.error("query worker %s died (attempt %d): %s", worker.process.pid, attempt, exc)
                processes.discard(worker)
                worker = await asyncio.to_thread(self._spawn)
        return Reply(500, code="worker_died", message=message("server_worker_died", job.lang)), worker


def _refuse(waiting: asyncio.Future[None]) -> None:
    """On the waiter's loop: the pool closed while it waited."""
    if not waiting.done():
        waiting.set_exception(Overloaded())


def _timed_out(timeout: float, lang: str) -> Reply:
    """The 503 of a query stopped after ``timeout`` seconds."""
    return Reply(
        503,
        code="query_timeout",
        message=message("server_query_timeout", lang, seconds=f"{timeout:g}"),
        headers={"Retry-After": str(max(1, math.ceil(timeout)))},
    )
