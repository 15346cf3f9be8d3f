"""Starting and stopping a real ``evalgraph serve`` process on 127.0.0.1 for end-to-end tests."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Server:
    """A running server: its base URL, process and log file."""

    base: str
    process: subprocess.Popen[str]
    log: Path

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)

    def kill9(self) -> None:
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)


def start(data_dir: Path, *options: str, env: dict[str, str] | None = None, timeout: float = 90) -> Server:
    """Start ``evalgraph --data-dir DATA_DIR serve --port PORT OPTIONS…`` and wait until /health answers."""
    port = free_port()
    log = data_dir / f"server-{port}.log"
    handle = log.open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "evalgraph", "--data-dir", str(data_dir), "serve", "--port", str(port), *options],
        stdout=handle, stderr=subprocess.STDOUT, text=True, env={**os.environ, **(env or {})},
    )
    handle.close()
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while True:
        try:
            if httpx.get(base + "/health", timeout=5).status_code == 200:
                return Server(base, process, log)
        except httpx.TransportError:
            pass
        if process.poll() is not None:
            raise AssertionError(f"server exited with {process.returncode}:\n{log.read_text()}")
        if time.monotonic() > deadline:
            process.kill()
            raise AssertionError(f"server did not start in {timeout} s:\n{log.read_text()}")
        time.sleep(0.2)


def stop_all(servers: Sequence[Server]) -> None:
    for server in servers:
        server.stop()
