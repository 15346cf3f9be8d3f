"""Worker processes that a timeout can kill: what the query workers (:mod:`evalgraph.web.query_workers`) and the
validation workers (:mod:`evalgraph.dossiers.workers`) share — a process and the pipe to it, how to stop one, and
how a worker leaves the network (neither kind has any reason to connect anywhere)."""

from __future__ import annotations

import asyncio
import ctypes
import multiprocessing.connection
import os
import sys
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


_CLONE_NEWUSER = 0x10000000
_CLONE_NEWNET = 0x40000000


def isolate_network() -> str:
    """Move this process into a network namespace of its own, with no interface but a loopback that is down, so
    that nothing it runs can open a connection (defence in depth behind the guard). Linux only: root may create
    it directly; other users through a user namespace where the kernel allows them. Answers how it went:
    ``netns``, or ``unavailable: <reason>`` (other platforms, or namespaces disabled)."""
    if not sys.platform.startswith("linux"):
        return f"unavailable: {sys.platform} has no network namespaces"
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError as exc:
        return f"unavailable: {exc}"
    for flags in (_CLONE_NEWNET, _CLONE_NEWUSER | _CLONE_NEWNET):
        if libc.unshare(flags) == 0:
            return "netns"
    return f"unavailable: unshare: {os.strerror(ctypes.get_errno())}"


async def readable(connection: multiprocessing.connection.Connection, timeout: float) -> bool:
    """Whether ``connection`` has something to read (a reply, or the end of a dead worker's pipe) within
    ``timeout`` seconds, waited for by the event loop."""
    loop = asyncio.get_running_loop()
    ready: asyncio.Future[None] = loop.create_future()
    descriptor = connection.fileno()

    def wake() -> None:
        if not ready.done():
            ready.set_result(None)

    loop.add_reader(descriptor, wake)
    try:
        await asyncio.wait_for(ready, timeout)
        return True
    except TimeoutError:
        return False
    finally:
        loop.remove_reader(descriptor)
        os.set_blocking(descriptor, True)  # uvloop's reader made it non-blocking: recv() must wait for a whole reply
