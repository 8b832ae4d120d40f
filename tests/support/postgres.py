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


@contextmanager
def postgres_server(*, durable: bool = False) -> Iterator[str]:
    """Start PostgreSQL on a free loopback port; yield a DSN for a superuser; stop it after.

    Tests run with fsync off; ``durable`` (benchmarks of the write path) keeps PostgreSQL's
    own defaults: fsync, synchronous commit and full page writes on.
    """
    bindir = _bindir()
    root = Path(tempfile.mkdtemp(prefix="changeledger-pg-"))
    data = root / "data"
    run_as: list[str] = []
    if os.geteuid() == 0:
        pw = pwd.getpwnam("postgres")
        os.chown(root, pw.pw_uid, pw.pw_gid)
        run_as = ["runuser", "-u", "postgres", "--"]
    port = _free_port()

    def run(*args: str) -> None:
        result = subprocess.run([*run_as, *args], capture_output=True, text=True)
        if result.returncode != 0:
            raise PostgresUnavailable(f"{' '.join(args)} failed:\n{result.stdout}{result.stderr}")

    run(str(bindir / "initdb"), "-D", str(data), "-U", "changeledger", "-A", "trust", "-E", "UTF8")
    durability = "on" if durable else "off"
    options = (
        f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync={durability} "
        f"-c synchronous_commit={durability} -c full_page_writes={durability} "
        "-c max_connections=200"
    )
    run(
        str(bindir / "pg_ctl"),
        "-D",
        str(data),
        "-o",
        options,
        "-l",
        str(root / "log"),
        "-w",
        "start",
    )
    try:
        yield f"postgresql://changeledger@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            [*run_as, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
            capture_output=True,
        )
        shutil.rmtree(root, ignore_errors=True)


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
