"""Concurrent writers through the real HTTP server on PostgreSQL: nothing lost, nothing doubled.

The API runs under uvicorn in a background thread on a loopback port, over its own fresh
database; clients are plain httpx clients in threads released together by a barrier. Every
wait is bounded, and the server is always shut down.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest
import uvicorn

from domain.programme import Programme
from infra.bootstrap import Container, bootstrap, init_db
from infra.settings import Settings
from services.api.app import create_app
from tests.support.postgres import create_database

pytestmark = pytest.mark.postgres

PROBLEM_JSON = "application/problem+json"
STARTUP_SECONDS = 20.0
SHUTDOWN_SECONDS = 20.0
REQUEST_SECONDS = 20.0
TEST_SECONDS = 120.0


@dataclass(frozen=True)
class Live:
    base_url: str
    container: Container
    secret: str
    person_id: UUID
    lead_id: UUID

    def client(self) -> httpx.Client:
        return httpx.Client(
            base_url=self.base_url,
            headers={"Authorization": f"Bearer {self.secret}"},
            timeout=REQUEST_SECONDS,
        )

    def new_programme(self, title: str = "Urgent Care") -> UUID:
        programme = self.container.app.create_programme(
            by=self.person_id, title=title, description="", lead_commissioner_id=self.lead_id
        )
        return programme.id

    def head(self) -> int:
        return self.container.app.recorder.max_notification_id() or 0

    def events_after(self, position: int) -> list[Any]:
        app = self.container.app
        notifications = app.recorder.select_notifications(start=position + 1, limit=100_000)
        return [app.mapper.to_domain_event(n) for n in notifications]


def _serve(container: Container) -> tuple[uvicorn.Server, threading.Thread, str]:
    """Start the real app under uvicorn on a free loopback port; return once it accepts."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        create_app(container), log_level="warning", access_log=False, lifespan="on"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name="uvicorn", daemon=True
    )
    thread.start()
    deadline = time.monotonic() + STARTUP_SECONDS
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            thread.join(SHUTDOWN_SECONDS)
            sock.close()
            raise RuntimeError("the API server did not start")
        time.sleep(0.02)
    return server, thread, f"http://127.0.0.1:{port}"


def _shut_down(server: uvicorn.Server, thread: threading.Thread) -> None:
    server.should_exit = True
    thread.join(SHUTDOWN_SECONDS)
    if thread.is_alive():
        server.force_exit = True
        thread.join(SHUTDOWN_SECONDS)
    assert not thread.is_alive(), "the API server did not shut down"


@pytest.fixture
def live(postgres_dsn: str, tmp_path: Path) -> Iterator[Live]:
    url = create_database(postgres_dsn, f"concurrency_{uuid4().hex[:12]}")
    settings = Settings.from_env(
        {
            "CHANGELEDGER_DATABASE_URL": url,
            "CHANGELEDGER_DATA_DIR": str(tmp_path / "data"),
            "CHANGELEDGER_DB_POOL_SIZE": "10",
        }
    )
    init_db(settings)
    container = bootstrap(settings)
    try:
        ada = container.app.register_person(by=None, name="Ada Admin", email="ada@example.org")
        container.app.grant_administrator(by=None, person_id=ada.id)
        secret, _ = container.app.issue_token(by=None, person_id=ada.id, label="concurrency")
        lead = container.app.register_organisation(
            by=ada.id, name="NHS West Yorkshire ICB", kind="commissioner"
        )
        server, thread, base_url = _serve(container)
        try:
            yield Live(base_url, container, secret, ada.id, lead.id)
        finally:
            _shut_down(server, thread)
    finally:
        container.close()


def _run_together(workers: list[Callable[[threading.Barrier], None]]) -> None:
    """Run each worker in its own thread, released at once; bounded; re-raise any failure."""
    barrier = threading.Barrier(len(workers), timeout=REQUEST_SECONDS)
    errors: list[BaseException] = []

    def guarded(work: Callable[[threading.Barrier], None]) -> None:
        try:
            work(barrier)
        except BaseException as exc:
            errors.append(exc)
            barrier.abort()

    threads = [threading.Thread(target=guarded, args=(w,), daemon=True) for w in workers]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + TEST_SECONDS
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    assert not any(t.is_alive() for t in threads), f"clients still running after {TEST_SECONDS}s"
    if errors:
        raise errors[0]


def _is_problem(response: httpx.Response, status: int) -> bool:
    return (
        response.status_code == status
        and response.headers.get("content-type", "").startswith(PROBLEM_JSON)
        and response.json().get("status") == status
    )


# Two updates based on the same version


@pytest.mark.parametrize("attempt", range(5))
def test_of_two_updates_based_on_the_same_version_exactly_one_is_recorded(
    live: Live, attempt: int
) -> None:
    programme_id = live.new_programme(f"Programme {attempt}")
    titles = ["Title from the first client", "Title from the second client"]
    responses: list[httpx.Response | None] = [None, None]

    def update(index: int) -> Callable[[threading.Barrier], None]:
        def work(barrier: threading.Barrier) -> None:
            with live.client() as client:
                assert client.get("/health").status_code == 200  # connected before the race
                barrier.wait()
                responses[index] = client.patch(
                    f"/programmes/{programme_id}",
                    json={"title": titles[index]},
                    headers={"If-Match": '"1"'},
                )

        return work

    _run_together([update(0), update(1)])

    first, second = responses
    assert first is not None
    assert second is not None
    assert sorted([first.status_code, second.status_code]) == [200, 409], [first.text, second.text]
    winner = 0 if first.status_code == 200 else 1
    won, lost = (first, second) if winner == 0 else (second, first)
    assert _is_problem(lost, 409), lost.text
    assert won.headers["etag"] == '"2"'
    assert won.json()["title"] == titles[winner]

    history = live.container.app.history(Programme, programme_id)
    assert [(e.version, e.type) for e in history] == [(1, "Created"), (2, "DetailsUpdated")]
    assert history[1].data["title"] == titles[winner]
    assert history[1].actor_id == live.person_id
    read = live.client().get(f"/programmes/{programme_id}")
    assert (read.status_code, read.headers["etag"], read.json()["title"]) == (
        200,
        '"2"',
        titles[winner],
    )


# Many writers at once, without If-Match


THREADS = 8
REQUESTS_PER_THREAD = 25


@dataclass(frozen=True)
class Outcome:
    programme_id: UUID
    name: str
    response: httpx.Response


@pytest.mark.parametrize("target", ["one-programme", "separate-programmes"])
def test_every_acknowledged_workstream_is_recorded_once_and_every_refusal_leaves_no_trace(
    live: Live, target: str
) -> None:
    shared = target == "one-programme"
    programmes = (
        [live.new_programme("Shared")]
        if shared
        else [live.new_programme(f"Programme {i}") for i in range(THREADS)]
    )
    start = live.head()
    outcomes: list[Outcome] = []
    outcomes_lock = threading.Lock()
    deadline = time.monotonic() + TEST_SECONDS

    def hammer(index: int) -> Callable[[threading.Barrier], None]:
        programme_id = programmes[0 if shared else index]

        def work(barrier: threading.Barrier) -> None:
            with live.client() as client:
                assert client.get("/health").status_code == 200
                barrier.wait()
                for n in range(REQUESTS_PER_THREAD):
                    if time.monotonic() > deadline:
                        return
                    name = f"Workstream {index}-{n}"
                    response = client.post(
                        f"/programmes/{programme_id}/workstreams", json={"name": name}
                    )
                    with outcomes_lock:
                        outcomes.append(Outcome(programme_id, name, response))

        return work

    _run_together([hammer(i) for i in range(THREADS)])

    assert len(outcomes) == THREADS * REQUESTS_PER_THREAD, "ran out of time"
    acknowledged = [o for o in outcomes if o.response.is_success]
    refused = [o for o in outcomes if not o.response.is_success]
    assert all(_is_problem(o.response, 409) for o in refused), [
        (o.response.status_code, o.response.text) for o in refused if o.response.status_code != 409
    ]
    assert acknowledged, "at least some writes must succeed"
    if not shared:
        assert refused == [], "writers on separate programmes never conflict"

    # Read-your-writes: each acknowledgement already shows its own workstream.
    for o in acknowledged:
        assert o.response.status_code == 201
        assert o.name in {w["name"] for w in o.response.json()["workstreams"]}

    # The log: exactly the acknowledged commands, one event each, nothing else.
    new_events = live.events_after(start)
    assert len(new_events) == len(acknowledged)
    assert {type(e).__qualname__ for e in new_events} == {"Programme.WorkstreamAdded"}
    recorded = sorted((e.originator_id, e.name) for e in new_events)
    assert recorded == sorted((o.programme_id, o.name) for o in acknowledged)
    assert not {o.name for o in refused} & {name for _, name in recorded}

    # Each programme's history and view agree with what was acknowledged for it.
    live.container.catch_up()
    for programme_id in programmes:
        expected = sorted(o.name for o in acknowledged if o.programme_id == programme_id)
        history = live.container.app.history(Programme, programme_id)
        assert [e.version for e in history] == list(range(1, len(expected) + 2))
        assert sorted(e.data["name"] for e in history if e.type == "WorkstreamAdded") == expected
        assert {e.actor_id for e in history} == {live.person_id}
        row = live.container.directory.programme(str(programme_id))
        assert row is not None
        assert row["version"] == len(expected) + 1
        assert sorted(w["name"] for w in row["workstreams"]) == expected
