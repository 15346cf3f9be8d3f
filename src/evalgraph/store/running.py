"""Which ``evalgraph serve`` holds a data directory's store, so that other commands can read through it.

Oxigraph lets one process open an on-disk store. While ``evalgraph serve`` runs, it writes ``server.json`` in the
data directory (its process id and its base URL on this machine) and removes it when it stops; a command that finds
the store locked reads that file and, when the process is alive and the URL is on the loopback interface, reads
through the server's SPARQL endpoint instead (``evalgraph.cli.context``). The file is never trusted further: another
host, a dead process or an unreadable file mean no server.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from urllib.parse import urlsplit

FILE = "server.json"
LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})


def client_url(host: str, port: int) -> str:
    """The base URL a command on this machine uses to reach a server bound to ``host``:``port``."""
    if host in ("", "0.0.0.0", "::"):  # noqa: S104 - a server on every interface is reached on loopback
        host = "127.0.0.1"
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


@contextmanager
def recorded(data_dir: Path, url: str) -> Iterator[None]:
    """While the block runs, ``server.json`` in ``data_dir`` says that this process serves the store at ``url``."""
    path = data_dir / FILE
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps({"pid": os.getpid(), "url": url}), encoding="utf-8")
    os.replace(temporary, path)
    try:
        yield
    finally:
        with suppress(OSError, ValueError):
            if json.loads(path.read_text(encoding="utf-8")).get("pid") == os.getpid():
                path.unlink()


def find(data_dir: Path) -> str | None:
    """The SPARQL endpoint of the live ``evalgraph serve`` that holds ``data_dir``'s store, or None."""
    try:
        record = json.loads((data_dir / FILE).read_text(encoding="utf-8"))
        pid, url = int(record["pid"]), str(record["url"])
    except (OSError, ValueError, TypeError, KeyError):
        return None
    parts = urlsplit(url)
    if parts.scheme != "http" or parts.hostname not in LOOPBACK or parts.path not in ("", "/"):
        return None
    try:
        os.kill(pid, 0)  # signal 0: does the process exist?
    except ProcessLookupError:
        return None
    except PermissionError:
        pass  # it exists, under another user
    return url.rstrip("/") + "/sparql"
