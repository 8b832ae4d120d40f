"""A real, throwaway Redis server, started and stopped by the tests.

No persistence (no RDB snapshots, no append-only file), a temporary working directory, and
loopback only.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class RedisUnavailable(RuntimeError):
    pass


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _answers_ping(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(16).startswith(b"+PONG")
    except OSError:
        return False


class RedisServer:
    """A throwaway ``redis-server`` on a loopback port that can be stopped and started again
    on the same port (to test what happens while Redis is down)."""

    def __init__(self, timeout: float = 10.0) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            raise RedisUnavailable(
                "redis-server not found: install Debian's 'redis-server' package "
                "(bin/test does this when run as root)"
            )
        self.binary = binary
        self.timeout = timeout
        self.root = Path(tempfile.mkdtemp(prefix="changeledger-redis-"))
        self.port = 0
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        """Start on a free port the first time, and on the same port after a stop."""
        # The free port may be taken between finding and binding it: try a few.
        for _attempt in range(3):
            port = self.port or _free_port()
            process = subprocess.Popen(
                [
                    self.binary,
                    *("--port", str(port), "--bind", "127.0.0.1"),
                    *("--save", "", "--appendonly", "no"),
                    *("--dir", str(self.root), "--logfile", str(self.root / "redis.log")),
                ],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            deadline = time.monotonic() + self.timeout
            while process.poll() is None and not _answers_ping(port):
                if time.monotonic() > deadline:
                    break
                time.sleep(0.05)
            if process.poll() is None and _answers_ping(port):
                self.port, self.process = port, process
                return
            _stop(process)
        log = self.root / "redis.log"
        detail = log.read_text() if log.exists() else ""
        raise RedisUnavailable(f"redis-server did not start:\n{detail}")

    def stop(self) -> None:
        if self.process is not None:
            _stop(self.process)
            self.process = None

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)


@contextmanager
def running_redis(timeout: float = 10.0) -> Iterator[RedisServer]:
    server = RedisServer(timeout)
    try:
        server.start()
        yield server
    finally:
        server.close()


@contextmanager
def redis_server(timeout: float = 10.0) -> Iterator[str]:
    """Start ``redis-server`` on a free loopback port; yield its URL; stop it after."""
    with running_redis(timeout) as server:
        yield server.url


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
