"""Dossier validation for the web service, in worker processes, a few at a time.

pySHACL is CPU-bound Python: run in the server process's threads it holds the interpreter lock the event loop
needs (80 concurrent ``/validate`` calls once made a trivial ``ASK {}`` on ``/sparql`` wait 6.8 s), and a slow
validation cannot be stopped. So the web service reads, validates and qualifies each dossier in a worker process
(:func:`check`; :func:`render_report` for the reports of stored versions):

* ``size`` workers, started on first use with the ``spawn`` method and a lower scheduling priority (``nice``), so
  that the server process and the SPARQL query workers keep the processor when both are busy;
* at most ``size`` jobs run at once and at most ``max_waiting`` wait for a worker: :meth:`ValidationPool.admitted`
  refuses the next one at once (:class:`Overloaded`: 503 with ``Retry-After``), before its body is even read;
  a waiting job that gets no worker within ``timeout`` seconds is refused the same way;
* a job with no answer after ``timeout`` seconds has its worker killed (:class:`Timeout`: 503
  ``validation_timeout``); the dossier limits (:class:`evalgraph.dossiers.reading.Limits`) keep real dossiers far below it.

With ``size`` 0 jobs run in the calling thread, one at a time, without a hard timeout (in-process use and tests).
A job's own refusals (a dossier that cannot be read or is over a limit) come back as a :class:`Refusal`, in the
language asked for; anything else a job raises comes back as :class:`WorkerFailed`, never as a traceback.
"""

from __future__ import annotations

import json
import logging
import math
import multiprocessing
import multiprocessing.connection
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar, cast

import pyoxigraph as ox

from evalgraph import processes
from evalgraph.dossiers.reading import Limits
from evalgraph.errors import Overloaded
from evalgraph.processes import Worker

log = logging.getLogger("evalgraph.web.app")
_CONTEXT = multiprocessing.get_context("spawn")  # a fresh interpreter: no inherited store handles or threads
_START_TIMEOUT = 120.0  # seconds a new worker may take to import evalgraph and load the shapes
T = TypeVar("T")


# --------------------------------------------------------------------------------------------------------- jobs


@dataclass(frozen=True)
class Refusal:
    """A dossier the job refused: the HTTP status, error code and message of the answer."""

    status: int
    code: str
    message: str


@dataclass
class Checked:
    """A dossier read, validated and qualified: what the routes answer and store."""

    name: str
    triples: list[ox.Triple]
    payload: bytes
    """The answer of ``/validate``: ``{"report": …, "qualification": […]}`` in JSON."""
    conforms: bool
    violations: int
    warnings: int
    technologies: list[str] = field(default_factory=list)


def check(
    name: str, body: bytes, suffix: str, lang: str, limits: Limits, resources_dir: Path | None
) -> Checked | Refusal:
    """Read the dossier ``body`` (syntax given by ``suffix``) within ``limits``, validate and qualify it."""
    from evalgraph.dossiers import reading as dossier
    from evalgraph.dossiers import validation
    from evalgraph.errors import EvalgraphError
    from evalgraph.qualification import engine as q

    try:
        triples = dossier.read_data(name, body, suffix, limits)
        report = validation.engine(resources_dir).validate(triples, file=name, lang=lang)
        model, results = q.qualify_dossier(triples, resources_dir, source=name)
        qualifications = [q.to_dict(model, result, lang) for result in results]
    except EvalgraphError as exc:
        return Refusal(exc.http_status, exc.code, exc.render(lang))
    payload = json.dumps(
        {"report": report.to_dict(), "qualification": qualifications},
        ensure_ascii=False,
        allow_nan=False,
        separators=(",", ":"),
    ).encode("utf-8")
    counts = report.counts
    return Checked(
        name,
        triples,
        payload,
        report.conforms,
        counts["Violation"],
        counts["Warning"],
        [iri for iri, _label in report.subjects],
    )


def read_candidate(name: str, body: bytes, suffix: str, lang: str, limits: Limits) -> list[ox.Triple] | Refusal:
    """Read a dossier received as a candidate of a comparison (``POST /compare``) within ``limits``, as
    :func:`check` reads one (that it describes one technology is checked where candidates are loaded)."""
    from evalgraph.dossiers import reading as dossier
    from evalgraph.errors import EvalgraphError

    try:
        return dossier.read_data(name, body, suffix, limits)
    except EvalgraphError as exc:
        return Refusal(exc.http_status, exc.code, exc.render(lang))


def render_report(triples: list[ox.Triple], label: str, fmt: str, lang: str, resources_dir: Path | None) -> bytes:
    """The validation report of stored ``triples`` as ``fmt`` (``json``, ``html`` or ``ttl``)."""
    from evalgraph.dossiers import report as validation_report
    from evalgraph.dossiers import validation

    report = validation.engine(resources_dir).validate(triples, file=label, lang=lang)
    outcomes = [validation_report.Outcome(label, report)]
    if fmt == "html":
        return validation_report.render_html(outcomes, lang).encode("utf-8")
    if fmt == "ttl":
        return validation_report.render_turtle(outcomes).encode("utf-8")
    return validation_report.render_json(outcomes, lang).encode("utf-8")


def warm_up(resources_dir: Path | None) -> None:
    """Load the shapes and the support graph (done by a worker as it starts, before its first job)."""
    from evalgraph.dossiers import validation  # noqa: F401 — imported now rather than in the first job

    validation.engine(resources_dir)


# ------------------------------------------------------------------------------------------------------ workers


def _worker_main(connection: multiprocessing.connection.Connection, resources_dir: str | None, nice: int) -> None:
    """A worker process: leave the network, lower its priority, warm up, then run jobs ``(function, args)`` until
    told to stop. (Dossiers never make evalgraph fetch anything — remote contexts and DOCTYPEs are refused — and
    without a network a mistake there could not either.)"""
    processes.isolate_network()
    if nice:
        try:
            os.nice(nice)
        except (AttributeError, OSError):  # not on this system, or not allowed: run at the normal priority
            pass
    try:
        warm_up(Path(resources_dir) if resources_dir else None)
    except Exception:  # noqa: BLE001, S110 — the first job reports it
        pass
    try:
        connection.send(("ready", None))  # the job timeout starts after the warm-up
    except (OSError, ValueError):
        return
    for job in processes.jobs(connection):
        function, args = cast(tuple[Callable[..., Any], tuple[Any, ...]], job)
        try:
            answer: tuple[str, Any] = ("ok", function(*args))
        except Exception as exc:  # noqa: BLE001 — reported to the server, which logs it and answers 500
            answer = ("failed", f"{type(exc).__name__}: {exc}")
        try:
            connection.send(answer)
        except (OSError, ValueError):
            return


class Timeout(Exception):
    """The job ran past the pool's timeout; its worker was killed."""


class WorkerFailed(Exception):
    """The job raised an unexpected exception, or its worker died."""


class ValidationPool:
    """``size`` worker processes (0: jobs run in the calling thread), ``max_waiting`` jobs waiting at most, a
    ``timeout`` in seconds per job (and per wait for a worker)."""

    def __init__(
        self,
        *,
        size: int = 2,
        timeout: float = 10.0,
        max_waiting: int = 4,
        resources_dir: Path | None = None,
        nice: int = 10,
    ) -> None:
        self.size = max(0, size)
        self.timeout = timeout
        self.max_waiting = max(0, max_waiting)
        self.resources_dir = resources_dir
        self.nice = nice
        self._lock = threading.Lock()
        self._slots = threading.Semaphore(max(1, self.size))
        self._idle: list[Worker] = []
        self._admitted = 0
        self._closed = False
        self.refused = 0
        self.timeouts = 0

    @property
    def retry_after(self) -> int:
        """Seconds a refused client is told to wait (``Retry-After``)."""
        return max(1, math.ceil(self.timeout))

    @property
    def saturated(self) -> bool:
        """Every worker is busy and ``max_waiting`` jobs wait: the next one would be refused."""
        return self._admitted >= max(1, self.size) + self.max_waiting

    @contextmanager
    def admitted(self) -> Iterator[None]:
        """Hold a place for one job (running or waiting), or raise :class:`Overloaded` at once when every worker
        is busy and ``max_waiting`` jobs already wait. Never blocks: use it on the event loop."""
        with self._lock:
            if self.saturated:
                self.refused += 1
                raise Overloaded
            self._admitted += 1
        try:
            yield
        finally:
            with self._lock:
                self._admitted -= 1

    def run(self, function: Callable[..., T], *args: Any) -> T:
        """Run ``function(*args)`` in a worker and return its result (blocking: call it from a thread, inside
        :meth:`admitted`). ``function`` must be a module-level function, its arguments and result picklable."""
        if not self._slots.acquire(timeout=self.timeout):
            with self._lock:
                self.refused += 1
            raise Overloaded
        try:
            if self.size == 0:
                try:
                    return function(*args)
                except Exception as exc:
                    log.exception("validation job failed")
                    raise WorkerFailed(f"{type(exc).__name__}: {exc}") from exc
            return self._in_worker(function, args)
        finally:
            self._slots.release()

    def _in_worker(self, function: Callable[..., T], args: tuple[Any, ...]) -> T:
        with self._lock:
            if self._closed:
                raise Overloaded
            worker = self._idle.pop() if self._idle else None
        if worker is None or not worker.process.is_alive():
            if worker is not None:
                processes.discard(worker)
            worker = self._spawn()
        try:
            worker.connection.send((function, args))
            answered = worker.connection.poll(self.timeout)
            status, value = worker.connection.recv() if answered else ("timeout", None)
        except (EOFError, OSError) as exc:  # the worker died (out of memory, killed by the operator…)
            log.error("validation worker %s died: %s", worker.process.pid, exc)
            processes.discard(worker)
            raise WorkerFailed(f"the worker died: {exc}") from exc
        if status == "timeout":
            with self._lock:
                self.timeouts += 1
            log.warning("validation stopped after %.1f s (worker %s killed)", self.timeout, worker.process.pid)
            processes.discard(worker)
            raise Timeout
        with self._lock:
            if self._closed:
                processes.stop(worker, kill=False, grace=5)
            else:
                self._idle.append(worker)
        if status == "failed":
            log.error("validation job failed in worker %s: %s", worker.process.pid, value)
            raise WorkerFailed(value)
        return value  # type: ignore[return-value]

    def _spawn(self) -> Worker:
        """A new worker, once it has loaded the shapes (so that its first job has the whole timeout)."""
        parent, child = _CONTEXT.Pipe()
        resources = str(self.resources_dir) if self.resources_dir is not None else None
        process = _CONTEXT.Process(
            target=_worker_main, args=(child, resources, self.nice), name="evalgraph-validation-worker", daemon=True
        )
        process.start()
        child.close()
        worker = Worker(process, parent)
        try:
            ready = parent.poll(_START_TIMEOUT) and parent.recv() == ("ready", None)
        except (EOFError, OSError):
            ready = False
        if not ready:
            log.error("validation worker %s did not start", process.pid)
            processes.discard(worker)
            raise WorkerFailed("the worker did not start")
        return worker

    def close(self) -> None:
        """Stop the idle workers (busy ones stop as their job ends); the pool refuses jobs from now on."""
        with self._lock:
            self._closed = True
            workers, self._idle = self._idle, []
        for worker in workers:
            processes.stop(worker, kill=False, grace=5)
