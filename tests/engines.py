"""SPARQL 1.1 engines for the contract tests, each started on a loopback port with its database in a temporary
folder, and stopped after: ``oxigraph serve`` (the ``oxigraph`` wheel of the test extra) and OpenLink Virtuoso open
source (Debian's ``virtuoso-opensource``, installed here when missing, as tests/conftest.py installs Chromium: with
apt, as root or with password-less sudo; otherwise the tests say plainly what is missing)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from evalgraph.store.remote import Endpoint
from tests.serving import free_port

VIRTUOSO = "virtuoso-t"
VIRTUOSO_ISQL = "isql-vt"
VIRTUOSO_INI = """[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
Striping = 0
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
Striping = 0
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
CaseMode = 2
DirsAllowed = .
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
MaxQueryMem = 500M
ThreadsPerQuery = 2
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}
ServerThreads = 4
MaxClientConnections = 4
Charset = UTF-8
EnabledGzipContent = 0
[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 60
MaxQueryCostEstimationTime = 400
"""
"""A test instance: loopback ports, the database in ``dir``, and no result truncation (Virtuoso's packaged
configuration cuts every result at 10,000 rows — docs/engines.md)."""


def _wait(url: str, process: subprocess.Popen[bytes], log: Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url}: the engine exited ({process.returncode}): {log.read_text()[-2000:]}")
        try:
            if httpx.post(url, data={"query": "ASK {}"}, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url}: the engine did not answer within {seconds} s: {log.read_text()[-2000:]}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@contextmanager
def oxigraph_serve(folder: Path) -> Iterator[Endpoint]:
    """``oxigraph serve`` on a free loopback port, its database in ``folder``."""
    binary = Path(sys.executable).parent / "oxigraph"
    if not binary.exists():
        raise RuntimeError(f"{binary} is missing: `pip install -e '.[test]'` installs the oxigraph server")
    port = free_port()
    log = folder / "oxigraph.log"
    with log.open("wb") as out:
        command = [str(binary), "serve", "--location", str(folder / "db"), "--bind", f"127.0.0.1:{port}"]
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait(f"{base}/query", process, log)
        yield Endpoint(f"{base}/query", f"{base}/update", f"{base}/store")
    finally:
        _stop(process)


def ensure_virtuoso() -> str | None:
    """Install Virtuoso open source when missing (Debian or Ubuntu, as root or with password-less sudo); the reason
    it cannot be, else None."""
    if shutil.which(VIRTUOSO) and shutil.which(VIRTUOSO_ISQL):
        return None
    apt = shutil.which("apt-get")
    sudo = [] if os.geteuid() == 0 else (["sudo", "-n"] if shutil.which("sudo") else None)
    if apt is None or sudo is None or not Path("/etc/debian_version").exists():
        return (f"{VIRTUOSO} is missing and cannot be installed here (needs Debian or Ubuntu, and root or sudo): "
                "install the virtuoso-opensource package")  # fmt: skip
    sys.stderr.write("\nevalgraph tests: installing Virtuoso open source for the engine contract tests…\n")
    environment = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in ([*sudo, apt, "update", "-qq"],
                    [*sudo, apt, "install", "-y", "-qq", "--no-install-recommends", "virtuoso-opensource"]):  # fmt: skip
        done = subprocess.run(command, env=environment, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            return f"`{' '.join(command)}` failed ({done.stderr.strip()[-300:]}): install virtuoso-opensource"
    return None


def isql(folder: Path, statements: str) -> str:
    """Run SQL ``statements`` with Virtuoso's ``isql`` on the instance whose database is in ``folder``."""
    lines = (folder / "virtuoso.ini").read_text().splitlines()
    port = next(line.split(":")[-1].strip() for line in lines if line.startswith("ServerPort"))  # [Parameters]: SQL
    done = subprocess.run([VIRTUOSO_ISQL, f"127.0.0.1:{port}", "dba", "dba", f"exec={statements}"], check=True,
                          capture_output=True, text=True, timeout=300)  # fmt: skip
    return done.stdout


@contextmanager
def virtuoso(folder: Path) -> Iterator[Endpoint]:
    """Virtuoso on free loopback ports, its database in ``folder``; the anonymous SPARQL user may update (a test
    instance: docs/engines.md says how to give evalgraph its own account instead)."""
    missing = ensure_virtuoso()
    if missing:
        raise RuntimeError(missing)
    sql_port, http_port = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(VIRTUOSO_INI.format(dir=folder, sql_port=sql_port, http_port=http_port))
    log = folder / "virtuoso.out"
    with log.open("wb") as out:
        process = subprocess.Popen([VIRTUOSO, "+foreground", "+configfile", str(ini)], stdout=out,
                                   stderr=subprocess.STDOUT, cwd=folder)  # fmt: skip
    base = f"http://127.0.0.1:{http_port}"
    try:
        _wait(f"{base}/sparql", process, folder / "virtuoso.log")
        isql(folder, 'GRANT SPARQL_UPDATE TO "SPARQL"; DB.DBA.RDF_DEFAULT_USER_PERMS_SET (\'nobody\', 7);')
        yield Endpoint(f"{base}/sparql", f"{base}/sparql", f"{base}/sparql-graph-crud")
    finally:
        _stop(process)
