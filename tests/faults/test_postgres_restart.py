"""PostgreSQL stopped and started again under load, on the same data directory and port.

A few clients register organisations, each with its own Idempotency-Key, and retry a 503
with the same key (as the Retry-After tells them to) until it is acknowledged. Meanwhile
PostgreSQL is stopped (``fast``: open transactions rolled back; ``immediate``: a crash) for
a couple of seconds and started again. The API process is never restarted.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from services.use_cases.idempotency import idempotent_request_id
from tests.faults.budget import scaled
from tests.faults.support import REQUEST_BOUND, Served, is_unavailable, serving
from tests.support.postgres import create_database, running_postgres

pytestmark = [pytest.mark.postgres, pytest.mark.faults]

CLIENTS = 3
OUTAGE_SECONDS = 5.0
#: Load before the first outage and after each restart.
STEADY_SECONDS = 1.5
#: How long a client keeps retrying one command (the outage is much shorter).
RETRY_SECONDS = 30.0
#: Clients retry sooner than Retry-After says, to keep the test short.
RETRY_PAUSE = 0.2
MAX_COMMANDS = 2000


@dataclass
class Command:
    key: str
    name: str
    #: (status code, seconds taken, response) of each attempt; status 0: no answer.
    attempts: list[tuple[int, float, httpx.Response | None]] = field(default_factory=list)

    @property
    def acknowledged(self) -> httpx.Response | None:
        last = self.attempts[-1][2] if self.attempts else None
        return last if last is not None and last.is_success else None


@dataclass
class Load:
    stop: threading.Event = field(default_factory=threading.Event)
    commands: list[Command] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def attempts(self) -> list[tuple[int, float, httpx.Response | None]]:
        with self.lock:
            return [a for c in self.commands for a in c.attempts]


def _send(client: httpx.Client, command: Command) -> None:
    """Send until acknowledged, as long as the answer is a 503 to retry; bounded."""
    deadline = time.monotonic() + RETRY_SECONDS
    while time.monotonic() < deadline:
        started = time.monotonic()
        try:
            response: httpx.Response | None = client.post(
                "/organisations",
                json={"name": command.name, "kind": "provider"},
                headers={"Idempotency-Key": command.key},
            )
        except httpx.HTTPError:
            response = None  # no answer (hung or dropped): the test fails on it below
        elapsed = time.monotonic() - started
        command.attempts.append((response.status_code if response else 0, elapsed, response))
        if response is None or not is_unavailable(response):
            return
        time.sleep(RETRY_PAUSE)


def _client(served: Served, index: int, load: Load) -> None:
    with served.client() as client:
        for n in range(MAX_COMMANDS):
            if load.stop.is_set():
                return
            command = Command(str(uuid.uuid4()), f"Trust {index}-{n} {uuid.uuid4().hex[:6]}")
            with load.lock:
                load.commands.append(command)
            _send(client, command)


def test_the_api_answers_503_while_postgres_is_down_and_recovers_losing_no_acknowledged_write(
    tmp_path: Path,
) -> None:
    # Commits reach the WAL on disk before they are acknowledged, as in production: with
    # asynchronous commit, a crash (immediate stop) loses the last acknowledged writes.
    with running_postgres(durable_commits=True) as postgres:
        url = create_database(postgres.dsn, "faults_restart")
        with serving(url, tmp_path / "logs") as served:
            start = served.head()
            load = Load()
            clients = [
                threading.Thread(target=_client, args=(served, i, load), daemon=True)
                for i in range(CLIENTS)
            ]
            for thread in clients:
                thread.start()
            time.sleep(STEADY_SECONDS)
            unavailable_during_outage = 0
            for restart in range(scaled(1, 12)):
                before = len(load.attempts())
                # A crash first (the harder case), then a clean fast stop, alternately.
                postgres.stop("fast" if restart % 2 else "immediate")
                time.sleep(OUTAGE_SECONDS)
                postgres.start()
                time.sleep(STEADY_SECONDS)
                # The answers to the requests that met the outage (some end after it).
                unavailable_during_outage += sum(1 for a in load.attempts()[before:] if a[0] == 503)
            load.stop.set()
            for thread in clients:
                thread.join(RETRY_SECONDS + REQUEST_BOUND)
            assert not any(t.is_alive() for t in clients), "clients still running"

            attempts = load.attempts()
            assert unavailable_during_outage, "no request met the outage"
            # Never a 500 or another error, never without Retry-After, never an answer late.
            odd = [
                (status, response.text if response else "no answer")
                for status, _, response in attempts
                if not (response is not None and (response.is_success or is_unavailable(response)))
            ]
            assert not odd, f"{odd[:5]}\n{served.output()}"
            slowest = max(seconds for _, seconds, _ in attempts)
            assert slowest < REQUEST_BOUND, f"a request took {slowest:.1f}s"

            # Recovered without a restart: every command was acknowledged in the end, and a
            # new one now is at once.
            assert all(c.acknowledged is not None for c in load.commands), [
                [a[0] for a in c.attempts] for c in load.commands if c.acknowledged is None
            ]
            with served.client() as client:
                fresh = client.post("/organisations", json={"name": "After", "kind": "partner"})
                assert fresh.status_code == 201, fresh.text

            served.reconnect()
            # The log: every acknowledged record and every key exactly once, nothing else.
            events = served.events_after(start)
            by_record = Counter((originator, version) for _, originator, version, _ in events)
            assert all(count == 1 for count in by_record.values())
            created = set()
            for command in load.commands:
                assert command.acknowledged is not None
                record_id = command.acknowledged.json()["id"]
                created.add(record_id)
                assert by_record[(record_id, 1)] == 1
                key_id = str(idempotent_request_id(served.person_id, command.key))
                assert by_record[(key_id, 1)] == 1
            assert len(created) == len(load.commands), "a retry recorded a second record"
            assert len(events) == 2 * len(load.commands) + 1

            served.verify_chain()
            # The API's own loop caught the views up once PostgreSQL was back.
            served.wait_for_views(served.head(), seconds=30.0)
            served.views_equal_a_clean_rebuild()
