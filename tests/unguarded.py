"""A query worker's job handler with the guard taken out, for one test only: it proves that the workers' network
isolation holds on its own (tests/test_sparql_attacks.py). Never used by evalgraph itself."""

from __future__ import annotations

import pyoxigraph as ox

from evalgraph.web.protocol import Job, Reply


def execute(store: ox.Store, job: Job) -> Reply:
    """Run ``job.query`` as it is, unchecked; report what happened."""
    try:
        result = store.query(job.query)
        rows = bool(result) if isinstance(result, ox.QueryBoolean) else len(list(result))  # type: ignore[arg-type]
    except (OSError, RuntimeError, SyntaxError, ValueError) as exc:
        return Reply(400, code="failed", message=str(exc))
    return Reply(200, media_type="text/plain", body=str(rows).encode())


def die_once(store: ox.Store, job: Job) -> Reply:
    """Exit abruptly the first time (``job.query`` names a marker file that does not exist yet), answer after."""
    import os
    from pathlib import Path

    marker = Path(job.query)
    if not marker.exists():
        marker.write_text("died once", encoding="utf-8")
        os._exit(1)
    return Reply(200, media_type="text/plain", body=b"answered")


def connect(port: int) -> str:
    """Try to open a TCP connection to 127.0.0.1:``port`` (run as a validation job, to prove the worker cannot)."""
    import socket

    try:
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
    except OSError as exc:
        return f"refused: {exc}"
    return "connected"


def echo_after(store: ox.Store, job: Job) -> Reply:
    """Wait ``job.query`` = "SECONDS SIZE" seconds, then answer SIZE bytes that name the job (tests of the pool's
    hand-over: tests/test_query_pool.py)."""
    import time

    seconds, size = job.query.split()
    time.sleep(float(seconds))
    head = job.query.encode()
    return Reply(200, media_type="text/plain", body=(head + b"." * int(size))[: max(len(head), int(size))])
