"""Worker processes that a timeout can kill: what the query workers (:mod:`evalgraph.web.query_workers`) and the
validation workers (:mod:`evalgraph.dossiers.workers`) share — a process and the pipe to it, and how to stop one."""

from __future__ import annotations

import multiprocessing.connection
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from multiprocessing.process import BaseProcess


@dataclass
class Worker:
    """A worker process and the parent's end of the pipe to it."""

    process: BaseProcess
    connection: multiprocessing.connection.Connection


def stop(worker: Worker, *, kill: bool, grace: float = 10) -> None:
    """Stop ``worker``: ask it to finish (``None`` down the pipe) and wait ``grace`` seconds, or ``kill`` it at once
    (SIGKILL); a worker that does not go is killed. Its pipe is closed."""
    if kill:
        worker.process.kill()
    else:
        try:
            worker.connection.send(None)
        except OSError:
            worker.process.kill()
    worker.process.join(timeout=grace)
    if worker.process.is_alive():
        worker.process.kill()
        worker.process.join(timeout=5)
    worker.connection.close()


def discard(worker: Worker) -> None:
    """Kill a worker that timed out or broke, in the background: the caller does not wait for it to go."""
    threading.Thread(target=stop, args=(worker,), kwargs={"kill": True}, daemon=True).start()


def jobs(connection: multiprocessing.connection.Connection) -> Iterator[object]:
    """In a worker: the jobs the parent sends, until it sends ``None`` (stop) or closes the pipe."""
    while True:
        try:
            job = connection.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        yield job
