"""Which ``evalgraph serve`` holds a data directory's store, so that other commands can read through it.

Oxigraph lets one process open an on-disk store. While ``evalgraph serve`` runs, it writes ``server.json`` in the data
directory (its process id, its base URL on this machine and a random secret; readable by its user only) and removes it
when it stops; ``/health`` answers the secret's SHA-256. A command that finds the store locked reads that file and
uses the server — reads through its SPARQL endpoint, and an admin token for ``load`` (``evalgraph.cli.context``) — only
when the file is its user's, the process is alive, the URL is on the loopback interface and the server there proves the
secret: a stale file whose port another program took since is no server, and no token is ever sent to it.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
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


def proof(secret: str) -> str:
    """What ``/health`` shows of the server's secret."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


@contextmanager
def recorded(data_dir: Path, url: str) -> Iterator[str]:
    """While the block runs, ``server.json`` in ``data_dir`` says that this process serves the store at ``url``;
    yields the proof ``/health`` must show."""
    path = data_dir / FILE
    temporary = path.with_suffix(".tmp")
    secret = secrets.token_hex(16)
    handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        json.dump({"pid": os.getpid(), "url": url, "secret": secret}, out)
    os.replace(temporary, path)
    try:
        yield proof(secret)
    finally:
        with suppress(OSError, ValueError):
            if json.loads(path.read_text(encoding="utf-8")).get("pid") == os.getpid():
                path.unlink()


def find(data_dir: Path) -> str | None:
    """The SPARQL endpoint of the live ``evalgraph serve`` that holds ``data_dir``'s store, or None."""
    path = data_dir / FILE
    try:
        if path.stat().st_uid != os.getuid():
            return None
        record = json.loads(path.read_text(encoding="utf-8"))
        pid, url, secret = int(record["pid"]), str(record["url"]), str(record["secret"])
    except (OSError, ValueError, TypeError, KeyError):
        return None
    parts = urlsplit(url)
    if pid <= 1 or parts.scheme != "http" or parts.hostname not in LOOPBACK or parts.path not in ("", "/"):
        return None
    try:
        os.kill(pid, 0)  # signal 0: does the process exist?
    except ProcessLookupError:
        return None
    except PermissionError:
        return None  # another user's process: not the server this user started
    return url.rstrip("/") + "/sparql" if _proves(url.rstrip("/"), proof(secret)) else None


def _proves(base: str, expected: str) -> bool:
    """Whether the server at ``base`` shows the proof of the secret (no redirect followed, no proxy, 5 s)."""
    import httpx

    try:
        answer = httpx.get(base + "/health", timeout=5, follow_redirects=False, trust_env=False)
        return answer.status_code == 200 and answer.json().get("instance") == expected
    except (httpx.HTTPError, ValueError, AttributeError):
        return False
