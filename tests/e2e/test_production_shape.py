"""The production shape, as the README starts it: PostgreSQL, Redis, API, worker and beat.

Every process is real and separate: ``changeledger serve`` (with Redis configured, so it leaves
the views to the workers), ``celery worker`` and ``celery beat``, over a fresh PostgreSQL
database and a throwaway Redis that a test stops and starts again. The test process writes
through the HTTP API and reads the views' tracked positions straight from the database.
"""

from __future__ import annotations

import os
import random
import signal
import socket
import subprocess
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from infra.bootstrap import Container, bootstrap
from infra.celery_app import CATCH_UP_TASK, create_celery
from infra.settings import Settings
from tests.e2e.test_worker import BIN, _celery, _process_env, started
from tests.faults.budget import scaled
from tests.support.postgres import create_database
from tests.support.redis import RedisServer, running_redis
from tests.support.views import seconds_until_views_reach

pytestmark = pytest.mark.postgres

POSITION = "Changeledger-Position"
MIN_POSITION = "Changeledger-Min-Position"
STARTUP_SECONDS = 30.0


@dataclass
class Shape:
    env: dict[str, str]
    redis: RedisServer
    base_url: str
    container: Container
    secret: str
    logs: Path
    worker: subprocess.Popen[bytes]

    def client(self) -> httpx.Client:
        return httpx.Client(
            base_url=self.base_url, headers={"Authorization": f"Bearer {self.secret}"}, timeout=20
        )

    def output(self) -> str:
        return "\n".join(
            f"--- {log.name}\n{log.read_text(errors='replace')[-4000:]}"
            for log in sorted(self.logs.glob("*.log"))
        )

    def head(self) -> int:
        return self.container.app.recorder.max_notification_id() or 0

    def wait_for_views(self, position: int, seconds: float) -> float:
        """Seconds until every view reached ``position``; fails after ``seconds``."""
        return seconds_until_views_reach(self.container, position, seconds, self.output)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def _api(env: dict[str, str], port: int, log: Path) -> Iterator[subprocess.Popen[bytes]]:
    # Two serving processes, as deployed on a machine with two cores.
    serve = [str(BIN / "changeledger"), "serve", "--workers", "2"]
    with started([*serve, "--host", "127.0.0.1", "--port", str(port)], env, log) as process:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            assert process.poll() is None, f"the API exited:\n{log.read_text()}"
            assert time.monotonic() < deadline, f"the API did not start:\n{log.read_text()}"
            with suppress(httpx.HTTPError):
                if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).is_success:
                    break
            time.sleep(0.1)
        yield process


@pytest.fixture(scope="module")
def shape(postgres_dsn: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Shape]:
    logs = tmp_path_factory.mktemp("production-shape")
    with running_redis() as redis:
        env = {
            "CHANGELEDGER_DATABASE_URL": create_database(postgres_dsn, "production_shape"),
            "CHANGELEDGER_REDIS_URL": redis.url,
            "CHANGELEDGER_DATA_DIR": str(logs / "data"),
            "CHANGELEDGER_DB_POOL_SIZE": "4",
            "CHANGELEDGER_DB_LOCK_TIMEOUT": "2",
            "CHANGELEDGER_CATCH_UP_INTERVAL": "2",
        }
        init = subprocess.run(
            [str(BIN / "changeledger"), "init-db"],
            env=_process_env(env),
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert init.returncode == 0, f"init-db failed:\n{init.stdout}{init.stderr}"
        worker_args = ["worker", "--pool=prefork", "--concurrency=2", "--loglevel=INFO"]
        worker_args += ["-n", f"shape-{uuid.uuid4().hex[:6]}@%h", "--without-mingle"]
        beat_args = ["beat", "--loglevel=INFO", "-s", str(logs / "beat-schedule")]
        port = _free_port()
        container = bootstrap(Settings.from_env(env))
        try:
            with (
                _celery(worker_args, env, logs / "worker.log") as worker,
                _celery(beat_args, env, logs / "beat.log"),
                _api(env, port, logs / "api.log"),
            ):
                person = container.app.register_person(
                    by=None, name="Bea Board", email=f"bea-{uuid.uuid4().hex[:6]}@example.org"
                )
                container.app.grant_administrator(by=None, person_id=person.id)
                secret, _ = container.app.issue_token(by=None, person_id=person.id, label="e2e")
                yield Shape(env, redis, f"http://127.0.0.1:{port}", container, secret, logs, worker)
        finally:
            container.close()


def _register(client: httpx.Client, **headers: str) -> tuple[str, int]:
    """Register an organisation through the API; its id and the write's log position."""
    response = client.post(
        "/organisations",
        json={"name": f"Trust {uuid.uuid4().hex[:8]}", "kind": "provider"},
        headers=headers,
    )
    assert response.status_code == 201, response.text
    return response.json()["id"], int(response.headers[POSITION])


def _listed(client: httpx.Client, organisation_id: str, **headers: str) -> bool:
    response = client.get("/organisations", params={"limit": 200}, headers=headers)
    assert response.status_code == 200, response.text
    ids = {item["id"] for item in response.json()["items"]}
    if response.json()["total"] > 200:
        pytest.fail("too many organisations for one page; the test must page")
    return organisation_id in ids


def test_a_write_through_the_api_reaches_every_view_within_a_second(shape: Shape) -> None:
    with shape.client() as client:
        delays = []
        for _ in range(5):
            organisation_id, position = _register(client)
            delays.append(shape.wait_for_views(position, seconds=5.0))
            # The API itself never caught up: the worker did, and the list now shows it.
            assert _listed(client, organisation_id)
    assert max(delays) < 1.0, f"seconds from the write's answer to every view: {delays}"


def test_a_client_that_sends_back_its_position_reads_its_own_write(shape: Shape) -> None:
    with shape.client() as client:
        for _ in range(3):
            organisation_id, position = _register(client)
            assert _listed(client, organisation_id, **{MIN_POSITION: str(position)})


# Part of the fault suite (bin/faults); its long form stops Redis more times.
@pytest.mark.faults
def test_writes_while_redis_is_down_are_accepted_and_reach_the_views_once_it_is_back(
    shape: Shape,
) -> None:
    for _ in range(scaled(1, 20)):
        with shape.client() as client:
            _, position = _register(client)
            shape.wait_for_views(position, seconds=5.0)
            shape.redis.stop()
            try:
                written = []
                for _ in range(3):
                    started = time.monotonic()
                    written.append(_register(client))
                    # The API waits briefly for the unreachable workers, then answers its
                    # write from views it caught up itself.
                    assert time.monotonic() - started < 5.0, "a write waited too long for Redis"
            finally:
                shape.redis.start()
            # While the workers were unreachable, the API caught the views up itself to
            # answer its writes. Worker and beat reconnect by themselves: an event written
            # now, by a process that wakes nobody, reaches the views through beat and the
            # worker alone.
            for organisation_id, _ in written:
                assert _listed(client, organisation_id)
        quiet = shape.container.app.register_organisation(
            by=None, name=f"Quiet {uuid.uuid4().hex[:6]}", kind="partner"
        )
        shape.wait_for_views(shape.head(), seconds=90.0)
        with shape.client() as client:
            assert _listed(client, str(quiet.id))


# Killing the runner mid-rebuild


def _all_view_rows(container: Container) -> dict[str, list[tuple[Any, ...]]]:
    rows: dict[str, list[tuple[Any, ...]]] = {}
    for processor in container.processors.values():
        for table in processor.projection.tables:
            fetched = container.views.fetch_all(f"SELECT * FROM {table}")
            rows[table] = sorted((tuple(sorted(row.items())) for row in fetched), key=repr)
    return rows


def _write_a_backlog(container: Container, rounds: int) -> None:
    """A few thousand events of many kinds, written straight through the application."""
    app = container.app
    tag = uuid.uuid4().hex[:6]
    icb = app.register_organisation(by=None, name=f"ICB {tag}", kind="commissioner")
    for n in range(rounds):
        trust = app.register_organisation(by=None, name=f"Trust {tag} {n}", kind="provider")
        person = app.register_person(by=None, name=f"Person {n}", email=f"p{n}-{tag}@example.org")
        app.join_organisation(by=None, person_id=person.id, organisation_id=trust.id)
        programme = app.create_programme(
            by=None, title=f"Programme {n}", description="", lead_commissioner_id=icb.id
        )
        app.add_participant(
            by=None, programme_id=programme.id, organisation_id=trust.id, role="provider"
        )
        app.add_workstream(by=None, programme_id=programme.id, name="Hospital")
        app.rename_organisation(
            by=None, organisation_id=trust.id, name=f"Trust {tag} {n}b", expected_version=None
        )


def _clean_rebuild_rows(container: Container) -> dict[str, list[tuple[Any, ...]]]:
    for processor in container.processors.values():
        processor.rebuild()
    return _all_view_rows(container)


def _sigkill(pids: list[int]) -> int:
    killed = 0
    for pid in pids:
        with suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
            killed += 1
    return killed


def _lowest_position(shape: Shape) -> int:
    return shape.container.views_position()


def test_a_rebuild_killed_at_random_points_then_resumed_equals_a_clean_rebuild(
    shape: Shape,
) -> None:
    _write_a_backlog(shape.container, rounds=150)
    head = shape.head()
    shape.wait_for_views(head, seconds=60.0)
    chance = random.Random(20261123)
    killed_mid_rebuild = 0
    for _ in range(4):
        process = subprocess.Popen(
            [str(BIN / "changeledger"), "projections", "rebuild"],
            env=_process_env(shape.env),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        # Wait for the rebuild to have emptied a view (past the interpreter's start-up),
        # then kill it at a random moment of its work.
        deadline = time.monotonic() + 30
        while _lowest_position(shape) >= head and process.poll() is None:
            assert time.monotonic() < deadline, "the rebuild never started"
            time.sleep(0.01)
        time.sleep(chance.uniform(0.0, 0.8))
        if process.poll() is None and _lowest_position(shape) < head:
            killed_mid_rebuild += _sigkill([process.pid])
        process.wait(timeout=30)
    assert killed_mid_rebuild >= 2, "the rebuilds finished before they could be killed"

    # The worker resumes every view from its own position (beat's catch-up wakes it).
    shape.wait_for_views(head, seconds=60.0)
    resumed = _all_view_rows(shape.container)

    assert resumed == _clean_rebuild_rows(shape.container)


def _pool_processes(worker: subprocess.Popen[bytes]) -> list[int]:
    listed = subprocess.run(
        ["ps", "-o", "pid=", "--ppid", str(worker.pid)], capture_output=True, text=True
    )
    return [int(pid) for pid in listed.stdout.split()]


# Part of the fault suite (bin/faults); its long form kills the workers many more times.
@pytest.mark.faults
def test_worker_processes_killed_mid_catch_up_leave_views_equal_to_a_clean_rebuild(
    shape: Shape,
) -> None:
    _write_a_backlog(shape.container, rounds=100)
    head = shape.head()
    chance = random.Random(7)
    killed_mid_catch_up = 0
    sender = create_celery(Settings.from_env(shape.env))
    try:
        for _ in range(scaled(3, 4)):
            for processor in shape.container.processors.values():
                processor.reset()
            sender.send_task(CATCH_UP_TASK)
            time.sleep(chance.uniform(0.3, 1.0))
            if _lowest_position(shape) < head:
                killed_mid_catch_up += min(1, _sigkill(_pool_processes(shape.worker)))
    finally:
        sender.close()
    assert killed_mid_catch_up >= 2, "the catch-ups finished before they could be killed"
    assert shape.worker.poll() is None, shape.output()

    # The main worker process replaces its killed children; the task that died with one is
    # redelivered (acks late), and beat covers anything else.
    shape.wait_for_views(head, seconds=90.0)
    resumed = _all_view_rows(shape.container)

    assert resumed == _clean_rebuild_rows(shape.container)
