"""A real, throwaway PostgreSQL server for the test session, started and stopped by the tests.

PostgreSQL refuses to run as root, so when the tests run as root the server runs as the
``postgres`` system user (created by Debian's package) through ``runuser``.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class PostgresUnavailable(RuntimeError):
    pass


def _bindir() -> Path:
    configured = os.environ.get("CHANGELEDGER_TEST_PG_BINDIR")
    candidates = [configured] if configured else []
    if shutil.which("pg_config"):
        out = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True)
        candidates.append(out.stdout.strip())
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    for candidate in candidates:
        if candidate and (Path(candidate) / "initdb").exists():
            return Path(candidate)
    raise PostgresUnavailable(
        "PostgreSQL server binaries not found: install Debian's 'postgresql' package "
        "(bin/test does this when run as root)"
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PostgresServer:
    """A throwaway PostgreSQL cluster on a free loopback port that can be stopped and started
    again on the same data directory and port (to test what happens while it is down)."""

    def __init__(self, *, durable_commits: bool = False, durable: bool = False) -> None:
        # Asynchronous commit (the default here, for speed) loses the last commits when the
        # server crashes; a test that crashes it and counts acknowledged writes needs them.
        self.durable_commits = durable_commits or durable
        #: PostgreSQL's own defaults (fsync and full page writes too), for write benchmarks.
        self.durable = durable
        self.bindir = _bindir()
        self.root = Path(tempfile.mkdtemp(prefix="changeledger-pg-"))
        self.data = self.root / "data"
        self.run_as: list[str] = []
        if os.geteuid() == 0:
            pw = pwd.getpwnam("postgres")
            os.chown(self.root, pw.pw_uid, pw.pw_gid)
            self.run_as = ["runuser", "-u", "postgres", "--"]
        self.port = _free_port()
        self._run("initdb", "-D", str(self.data), "-U", "changeledger", "-A", "trust", "-E", "UTF8")

    @property
    def dsn(self) -> str:
        """A superuser's DSN for the ``postgres`` database."""
        return f"postgresql://changeledger@127.0.0.1:{self.port}/postgres"

    def _run(self, program: str, *args: str) -> None:
        command = [*self.run_as, str(self.bindir / program), *args]
        result = subprocess.run(command, capture_output=True, text=True)
        if result.returncode != 0:
            raise PostgresUnavailable(
                f"{program} {' '.join(args)} failed:\n{result.stdout}{result.stderr}"
            )

    def start(self) -> None:
        commit = "on" if self.durable_commits else "off"
        disk = "on" if self.durable else "off"
        options = (
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync={disk} "
            f"-c synchronous_commit={commit} -c full_page_writes={disk} -c max_connections=200"
        )
        log = str(self.root / "log")
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", log, "-w", "start")

    def stop(self, mode: str = "fast") -> None:
        """Stop the server: ``fast`` rolls back open transactions, ``immediate`` crashes it."""
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def close(self) -> None:
        pg_ctl = [*self.run_as, str(self.bindir / "pg_ctl"), "-D", str(self.data)]
        subprocess.run([*pg_ctl, "-m", "immediate", "-w", "stop"], capture_output=True)
        shutil.rmtree(self.root, ignore_errors=True)


@contextmanager
def running_postgres(
    *, durable_commits: bool = False, durable: bool = False
) -> Iterator[PostgresServer]:
    """Start a PostgreSQL server that a test may stop and start; remove it after."""
    server = PostgresServer(durable_commits=durable_commits, durable=durable)
    try:
        server.start()
        yield server
    finally:
        server.close()


@contextmanager
def postgres_server(*, durable: bool = False) -> Iterator[str]:
    """Start PostgreSQL on a free loopback port; yield a DSN for a superuser; stop it after.

    Tests run with fsync off; ``durable`` (benchmarks of the write path) keeps PostgreSQL's
    own defaults: fsync, synchronous commit and full page writes on.
    """
    with running_postgres(durable=durable) as server:
        yield server.dsn


def create_database(server_dsn: str, name: str, *, template: str | None = None) -> str:
    """Create a database, empty or as a copy of a template database; return its DSN."""
    import psycopg

    with psycopg.connect(server_dsn, autocommit=True) as conn:
        copy = f' TEMPLATE "{template}"' if template else ""
        conn.execute(f'CREATE DATABASE "{name}"{copy}')
    return server_dsn.rsplit("/", 1)[0] + f"/{name}"


def wait_until_accepting(dsn: str, timeout: float = 10.0) -> None:
    import psycopg

    deadline = time.monotonic() + timeout
    while True:
        try:
            psycopg.connect(dsn, connect_timeout=1).close()
            return
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)
