"""The Celery worker as a separate process, on a real PostgreSQL and a real Redis.

The module runs ``changeledger init-db`` on a fresh database, starts one
``celery -A infra.celery_app worker`` with the production settings (prefork pool, acks late)
and shares it between the tests, as a long-lived worker would be in production: each test
writes its own records through the application in the test process, sends catch-up tasks
through Redis, and asserts on what changed. Worker and beat output go to ``worker.log`` and
``beat.log`` in the module's temporary directory, and into any failure message.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pytest
import yaml

from domain.alert import alert_id
from infra.bootstrap import Container, bootstrap
from infra.celery_app import CATCH_UP_TASK, create_celery
from infra.settings import Settings
from projections.directory import DirectoryProjection
from services.tasks import RUN_SCHEDULED_JOBS_TASK
from tests.support.postgres import create_database
from tests.support.redis import redis_server

pytestmark = pytest.mark.postgres

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
TIMEOUT = 15.0

T = TypeVar("T")


# Processes


def _process_env(env: dict[str, str]) -> dict[str, str]:
    inherited = {k: v for k, v in os.environ.items() if not k.startswith("CHANGELEDGER_")}
    return {**inherited, **env}


@contextmanager
def started(
    command: list[str], env: dict[str, str], log: Path
) -> Iterator[subprocess.Popen[bytes]]:
    """Run ``command`` with its output in ``log``; always stop it (and its group) after."""
    with log.open("wb") as out:
        process = subprocess.Popen(
            command,
            env=_process_env(env),
            cwd=log.parent,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            # Its own process group, so its children (pool processes) can be killed with it.
            start_new_session=True,
        )
    try:
        yield process
    finally:
        _stop(process)


def _celery(
    args: list[str], env: dict[str, str], log: Path
) -> AbstractContextManager[subprocess.Popen[bytes]]:
    """Run ``celery -A infra.celery_app ARGS`` with its output in ``log``; always stop it."""
    return started([str(BIN / "celery"), "-A", "infra.celery_app", *args], env, log)


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)  # warm shutdown: finish the current task
        with suppress(subprocess.TimeoutExpired):
            process.wait(timeout=10)
    # Whatever is left of the group this test started (normally nothing).
    with suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    if process.poll() is None:
        process.wait(timeout=10)


@dataclass
class Worker:
    process: subprocess.Popen[bytes]
    log: Path
    nodename: str

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def check_alive(self, waiting_for: str, deadline: float) -> None:
        output = self.output()
        assert self.process.poll() is None, f"worker exited; worker log:\n{output}"
        assert time.monotonic() < deadline, f"gave up on {waiting_for}; worker log:\n{output}"

    def wait_until_ready(self) -> None:
        deadline = time.monotonic() + TIMEOUT
        while f"{self.nodename} ready." not in self.output():
            self.check_alive("the worker being ready", deadline)
            time.sleep(0.1)

    def task_result(self, task_id: str) -> int:
        """Wait for the worker to log that the task succeeded; return what it returned."""
        succeeded = re.compile(rf"\[{re.escape(task_id)}\] succeeded in [\d.]+s: (\d+)")
        deadline = time.monotonic() + TIMEOUT
        while not (match := succeeded.search(output := self.output())):
            assert f"[{task_id}] raised" not in output, f"task failed; worker log:\n{output}"
            self.check_alive(f"task {task_id}", deadline)
            time.sleep(0.1)
        return int(match.group(1))

    def poll(self, read: Callable[[], T], done: Callable[[T], bool]) -> T:
        deadline = time.monotonic() + TIMEOUT
        while not done(value := read()):
            self.check_alive(f"the view (last read {value!r})", deadline)
            time.sleep(0.1)
        return value


# Fixtures: one database, one Redis, one worker for the module


@pytest.fixture(scope="module")
def env(postgres_dsn: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """Production-shaped settings on a fresh database and a throwaway Redis."""
    data_dir = tmp_path_factory.mktemp("worker-data")
    with redis_server() as redis_url:
        yield {
            "CHANGELEDGER_DATABASE_URL": create_database(postgres_dsn, "worker_e2e"),
            "CHANGELEDGER_REDIS_URL": redis_url,
            "CHANGELEDGER_DATA_DIR": str(data_dir),
            "CHANGELEDGER_DB_POOL_SIZE": "2",
            # How long a runner waits for a projection that another runner holds.
            "CHANGELEDGER_DB_LOCK_TIMEOUT": "1",
        }


@pytest.fixture(scope="module")
def schema(env: dict[str, str]) -> None:
    result = subprocess.run(
        [str(BIN / "changeledger"), "init-db"],
        env=_process_env(env),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, f"init-db failed:\n{result.stdout}{result.stderr}"


@pytest.fixture(scope="module")
def writer(env: dict[str, str], schema: None) -> Iterator[Container]:
    """The application in the test process, as the API would use it. It never catches up."""
    container = bootstrap(Settings.from_env(env))
    yield container
    container.close()


@pytest.fixture(scope="module")
def worker(
    env: dict[str, str], schema: None, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Worker]:
    log = tmp_path_factory.mktemp("worker") / "worker.log"
    nodename = f"test-{uuid.uuid4().hex[:8]}@{socket.gethostname()}"
    args = ["worker", "--pool=prefork", "--concurrency=1", "--loglevel=INFO", "-n", nodename]
    # No other workers to sync or gossip with: start faster.
    args += ["--without-mingle", "--without-gossip"]
    with _celery(args, env, log) as process:
        yield Worker(process, log, nodename)


@pytest.fixture(scope="module")
def sender(env: dict[str, str]) -> Iterator[Any]:
    """A Celery client of the same Redis, as any other process would send hints."""
    app = create_celery(Settings.from_env(env))
    yield app
    app.close()


def _send(sender: Any) -> str:
    return str(sender.send_task(CATCH_UP_TASK).id)


# Records


@dataclass
class Written:
    trust_ids: list[str]
    renamed_to: str
    email: str


def _write_some_events(container: Container) -> Written:
    """Three trusts (the first renamed), a person who joins the second, and their token."""
    app, tag = container.app, uuid.uuid4().hex[:6].upper()
    trusts = [
        app.register_organisation(
            by=None, name=f"Trust {tag} {n}", kind="provider", ods_code=f"T{tag}{n}"
        )
        for n in range(3)
    ]
    renamed_to = f"Trust {tag} Zero"
    app.rename_organisation(
        by=None, organisation_id=trusts[0].id, name=renamed_to, expected_version=None
    )
    email = f"ada-{tag.lower()}@example.org"
    person = app.register_person(by=None, name="Ada Admin", email=email)
    app.join_organisation(by=None, person_id=person.id, organisation_id=trusts[1].id)
    app.issue_token(by=None, person_id=person.id, label="tests")
    return Written([str(trust.id) for trust in trusts], renamed_to, email)


def _listed(container: Container, ids: list[str]) -> bool:
    return all(container.directory.organisation(i) is not None for i in ids)


def _view_rows(container: Container) -> dict[str, list[tuple[Any, ...]]]:
    rows = {}
    for table in DirectoryProjection.tables:
        fetched = container.views.fetch_all(f"SELECT * FROM {table}")
        rows[table] = sorted(tuple(sorted(row.items())) for row in fetched)
    return rows


# Tests


def test_the_worker_brings_the_directory_view_up_to_date(
    writer: Container, worker: Worker, sender: Any
) -> None:
    written = _write_some_events(writer)
    head = writer.app.recorder.max_notification_id()
    assert not _listed(writer, written.trust_ids)  # nothing here catches up but the worker

    _send(sender)

    worker.poll(lambda: _listed(writer, written.trust_ids), bool)
    renamed = writer.directory.organisation(written.trust_ids[0])
    assert renamed is not None
    assert renamed["name"] == written.renamed_to
    person = writer.directory.person_by_email(written.email)
    assert person is not None
    assert person["organisation_id"] == written.trust_ids[1]
    assert [token["label"] for token in writer.directory.tokens_of(person["id"])] == ["tests"]
    assert writer.processors["directory"].position() == head


def test_the_compose_health_check_gets_a_pong_from_the_worker(
    env: dict[str, str], worker: Worker
) -> None:
    # Broadcasts are not queued: a ping sent before the worker listens is never answered.
    worker.wait_until_ready()
    # docker-compose.yml's worker health check, with this worker's name for its $HOSTNAME.
    ping = subprocess.run(
        [
            str(BIN / "celery"),
            "-A",
            "infra.celery_app",
            "inspect",
            "ping",
            "--timeout",
            "5",
            "--destination",
            worker.nodename,
        ],
        env=_process_env(env),
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert ping.returncode == 0, f"{ping.stdout}{ping.stderr}\nworker log:\n{worker.output()}"
    assert "pong" in ping.stdout


def test_a_projection_busy_in_another_runner_is_left_to_it(
    writer: Container, worker: Worker, sender: Any
) -> None:
    worker.task_result(_send(sender))  # start level with the log
    before = writer.processors["directory"].position()
    written = _write_some_events(writer)
    head = writer.app.recorder.max_notification_id()
    assert head is not None

    # The test process holds the directory's runner lock, as another worker would.
    with writer.views.write("directory"):
        busy = _send(sender)
        assert worker.task_result(busy) == 0
    assert re.search(rf"\[{busy}\]: a projection is busy in another runner", worker.output())
    assert writer.processors["directory"].position() == before
    # The other views were not held up by the busy one.
    assert all(p.position() == head for n, p in writer.processors.items() if n != "directory")

    assert worker.task_result(_send(sender)) == head - before
    assert _listed(writer, written.trust_ids)


def test_repeated_and_empty_catch_ups_change_nothing(
    writer: Container, worker: Worker, sender: Any
) -> None:
    worker.task_result(_send(sender))  # start level with the log
    level = _view_rows(writer)
    assert worker.task_result(_send(sender)) == 0  # nothing new
    assert _view_rows(writer) == level
    before = writer.processors["directory"].position()

    _write_some_events(writer)
    head = writer.app.recorder.max_notification_id()
    assert head is not None
    # The same hint twice: one applies everything new, the other finds nothing.
    first, second = _send(sender), _send(sender)
    # Every view reads every new event (those it does not show just move its position).
    every_view = len(writer.processors) * (head - before)
    assert sorted([worker.task_result(first), worker.task_result(second)]) == [0, every_view]
    caught_up = _view_rows(writer)
    assert worker.task_result(_send(sender)) == 0  # nothing new since
    assert _view_rows(writer) == caught_up
    assert writer.processors["directory"].position() == head

    # Exactly once: the rows equal a clean rebuild from the log.
    assert writer.processors["directory"].rebuild() == head
    assert _view_rows(writer) == caught_up
    assert writer.processors["directory"].position() == head


def test_beat_keeps_the_view_current_without_any_other_hint(
    env: dict[str, str], writer: Container, worker: Worker, sender: Any, tmp_path: Path
) -> None:
    written = _write_some_events(writer)
    beat_env = {**env, "CHANGELEDGER_CATCH_UP_INTERVAL": "0.5"}
    beat_log = tmp_path / "beat.log"
    beat = ["beat", "--loglevel=INFO", "--schedule", str(tmp_path / "beat-schedule")]
    with _celery(beat, beat_env, beat_log):
        worker.poll(lambda: _listed(writer, written.trust_ids), bool)
        # And what is written later, while beat runs.
        later = writer.app.register_organisation(by=None, name="Latecomer", kind="provider")
        worker.poll(lambda: _listed(writer, [str(later.id)]), bool)
    assert "Sending due task catch-up-projections" in beat_log.read_text()
    # Leave no tick queued for the next test: tasks run in order, so this one runs last.
    worker.task_result(_send(sender))


def test_the_worker_runs_the_scheduled_jobs_and_a_second_run_records_nothing(
    writer: Container, worker: Worker, sender: Any
) -> None:
    app, tag = writer.app, uuid.uuid4().hex[:6]
    icb = app.register_organisation(by=None, name=f"ICB {tag}", kind="commissioner")
    programme = app.create_programme(
        by=None, title=f"Urgent Care {tag}", description="", lead_commissioner_id=icb.id
    )
    role = app.define_role(by=None, programme_id=programme.id, kind="sro", critical=True)
    alert = alert_id(f"critical_role_vacant:{role.id}:1")

    for _ in range(2):
        task_id = str(sender.send_task(RUN_SCHEDULED_JOBS_TASK).id)
        worker.poll(lambda: f"[{task_id}] succeeded" in worker.output(), bool)  # noqa: B023

    assert [event.originator_version for event in app.repository.event_store.get(alert)] == [1]


def test_docker_compose_accepts_the_compose_file() -> None:
    binary = shutil.which("docker-compose")
    if binary is None:
        pytest.skip("docker-compose is not installed (CI installs Debian's docker-compose)")
    result = subprocess.run(
        [binary, "-f", "docker-compose.yml", "config"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    services = yaml.safe_load(result.stdout)["services"]
    assert set(services) == {"postgres", "redis", "migrate", "api", "worker", "beat"}
    # What docker-compose understood, not only what it accepted: versions without these
    # conditions would refuse them or drop them.
    assert services["api"]["depends_on"] == {
        "migrate": {"condition": "service_completed_successfully"},
        "redis": {"condition": "service_healthy"},
    }
    assert services["worker"]["depends_on"] == services["api"]["depends_on"]
    assert services["migrate"]["depends_on"] == {"postgres": {"condition": "service_healthy"}}
    for name in ("postgres", "redis", "api", "worker"):
        assert services[name]["healthcheck"]["test"], name
