"""The production shape for the write-path benchmark: Redis, ``changeledger serve`` and a
Celery worker as separate processes over one PostgreSQL database, and the records a
proposal needs, made directly through the application.

The processes are started as the README starts them (and as
tests/e2e/test_production_shape.py does), each in its own process group so that nothing of
them outlives the run.
"""

from __future__ import annotations

import os
import resource
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import httpx

from infra.bootstrap import Container

# The e2e tests' own process helpers: the environment without the caller's settings, and a
# warm shutdown, then SIGKILL to whatever is left of the process group.
from tests.e2e.test_worker import started

BIN = Path(sys.executable).parent
STARTUP_SECONDS = 60.0


@dataclass(frozen=True)
class Target:
    """What every request of the load names: the programme, the proposing organisation and
    the bearer token of one of its members."""

    programme_id: str
    organisation_id: str
    token: str

    @property
    def path(self) -> str:
        return f"/programmes/{self.programme_id}/decisions"

    def body(self) -> str:
        # One Proposed event per request: no Idempotency-Key (that adds a record).
        return (
            '{"title":"Discharge to assess","rationale":"Beds are blocked by delayed'
            f' discharges","organisation_id":"{self.organisation_id}"}}'
        )


def seed(container: Container) -> Target:
    """An ICB leading a programme in which a trust participates, a member of the trust, and
    that member's API token."""
    app = container.app
    tag = uuid.uuid4().hex[:8]
    icb = app.register_organisation(by=None, name=f"ICB {tag}", kind="commissioner")
    trust = app.register_organisation(by=None, name=f"Trust {tag}", kind="provider")
    person = app.register_person(by=None, name="Load Tester", email=f"load-{tag}@example.org")
    app.join_organisation(by=None, person_id=person.id, organisation_id=trust.id)
    programme = app.create_programme(
        by=None, title=f"Flow {tag}", description="", lead_commissioner_id=icb.id
    )
    app.add_participant(
        by=None, programme_id=programme.id, organisation_id=trust.id, role="provider"
    )
    secret, _ = app.issue_token(by=None, person_id=person.id, label="bench.write_path")
    return Target(str(programme.id), str(trust.id), secret)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve_supports_workers() -> bool:
    helped = subprocess.run(
        [str(BIN / "changeledger"), "serve", "--help"], capture_output=True, text=True
    )
    return "--workers" in helped.stdout


@dataclass
class Shape:
    base_url: str
    api: subprocess.Popen[bytes]
    worker: subprocess.Popen[bytes]
    logs: Path

    def memory(self) -> dict[str, dict[str, int]]:
        """Peak (VmHWM) and current (VmRSS) resident memory in KiB, summed over the API
        process and its children (uvicorn workers), and over the Celery worker and its pool."""
        return {"api": tree_memory(self.api.pid), "worker": tree_memory(self.worker.pid)}

    def cpu(self, postmaster: int | None) -> dict[str, float]:
        """CPU seconds used so far by the API, the worker and (if known) PostgreSQL, each
        with its child processes, and the finished children of this process (the client)."""
        used = {"api": tree_cpu(self.api.pid), "worker": tree_cpu(self.worker.pid)}
        if postmaster:
            used["postgres"] = tree_cpu(postmaster)
        mine = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
        used["client"] = sum(usage.ru_utime + usage.ru_stime for usage in mine)
        return used


@contextmanager
def production_shape(
    url: str, redis_url: str, logs: Path, *, pool_size: int, api_workers: int, concurrency: int
) -> Iterator[Shape]:
    """The API and one Celery worker (prefork pool of ``concurrency``) over ``url``."""
    env = {
        "CHANGELEDGER_DATABASE_URL": url,
        "CHANGELEDGER_REDIS_URL": redis_url,
        "CHANGELEDGER_DATA_DIR": str(logs / "data"),
        "CHANGELEDGER_DB_POOL_SIZE": str(pool_size),
    }
    port = free_port()
    serve = [str(BIN / "changeledger"), "serve", "--host", "127.0.0.1", "--port", str(port)]
    if api_workers > 1:
        serve += ["--workers", str(api_workers)]
    worker = [str(BIN / "celery"), "-A", "infra.celery_app", "worker", "--pool=prefork"]
    worker += [f"--concurrency={concurrency}", "--loglevel=WARNING", "--without-mingle"]
    worker += ["-n", f"writebench-{uuid.uuid4().hex[:6]}@%h"]
    with ExitStack() as stack:
        celery = stack.enter_context(started(worker, env, logs / "worker.log"))
        api = stack.enter_context(started(serve, env, logs / "api.log"))
        base_url = f"http://127.0.0.1:{port}"
        _wait_for_health(base_url, api, logs / "api.log")
        yield Shape(base_url, api, celery, logs)


def _wait_for_health(base_url: str, api: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while True:
        if api.poll() is not None:
            raise SystemExit(f"the API exited:\n{log.read_text(errors='replace')[-3000:]}")
        if time.monotonic() > deadline:
            raise SystemExit(f"the API did not start:\n{log.read_text(errors='replace')[-3000:]}")
        with suppress(httpx.HTTPError):
            if httpx.get(f"{base_url}/health", timeout=1).is_success:
                return
        time.sleep(0.1)


def descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (from /proc, parent ids read once)."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with suppress(OSError, IndexError, ValueError):
            # The command name may hold spaces or brackets: the parent id follows the last ")".
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            parents.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        children = parents.get(todo.pop(), [])
        found += children
        todo += children
    return found


def tree_cpu(pid: int) -> float:
    """CPU seconds of ``pid`` and its live descendants, plus their waited-for children."""
    ticks = 0
    for member in [pid, *descendants(pid)]:
        with suppress(OSError, IndexError, ValueError):
            fields = Path(f"/proc/{member}/stat").read_text().rsplit(")", 1)[1].split()
            # utime, stime, cutime, cstime: fields 14-17 of stat, after "pid (comm)".
            ticks += sum(int(value) for value in fields[11:15])
    return ticks / os.sysconf("SC_CLK_TCK")


def tree_memory(pid: int) -> dict[str, int]:
    """VmHWM and VmRSS (KiB) of ``pid`` and its descendants, summed, and how many processes."""
    total = {"peak_kib": 0, "current_kib": 0, "processes": 0}
    for member in [pid, *descendants(pid)]:
        with suppress(OSError):
            fields = dict(
                line.split(":", 1)
                for line in Path(f"/proc/{member}/status").read_text().splitlines()
            )
            total["peak_kib"] += int(fields["VmHWM"].split()[0])
            total["current_kib"] += int(fields["VmRSS"].split()[0])
            total["processes"] += 1
    return total
