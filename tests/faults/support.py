"""Shared by the fault tests: a live API over its own database, and checks on what it recorded.

The API is a real ``changeledger serve`` process on a loopback port, over PostgreSQL and
without Redis, so it keeps the views current with its in-process loop (the embedded
background, ADR 8). A separate process rather than a thread: the clients and the server
then run in parallel, as they would in production, and a server that recovers from a fault
does so on its own, with nothing shared with the test process. The test process checks what
was recorded with plain SQL on the events table and with the app's own history reads.
"""

from __future__ import annotations

import subprocess
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import psycopg

from infra.bootstrap import Container, bootstrap, init_db
from infra.settings import Settings
from services.use_cases.idempotency import idempotent_request_id
from tests.e2e.test_production_shape import _all_view_rows, _api, _free_port
from tests.e2e.test_worker import BIN, _process_env
from tests.support.views import seconds_until_views_reach

PROBLEM_JSON = "application/problem+json"
#: No request may take longer than this, whatever the fault.
REQUEST_BOUND = 15.0
#: How long a client keeps retrying one command that is answered 503.
RETRY_SECONDS = 30.0
#: Clients retry sooner than Retry-After says, to keep the tests short.
RETRY_PAUSE = 0.2
MAX_COMMANDS = 2000
#: The event log as the library's PostgreSQL recorder stores it (schema, not internals).
EVENTS_TABLE = "changeledger_events"


def is_problem(response: httpx.Response, status: int) -> bool:
    """An RFC 9457 problem with this status, in the header and in the body."""
    return (
        response.status_code == status
        and response.headers.get("content-type", "").startswith(PROBLEM_JSON)
        and response.json().get("status") == status
    )


def is_unavailable(response: httpx.Response) -> bool:
    """503 problem with a Retry-After header: what a client is told to retry."""
    return is_problem(response, 503) and response.headers.get("retry-after", "").isdigit()


@dataclass
class Served:
    env: dict[str, str]
    base_url: str
    container: Container
    secret: str
    person_id: uuid.UUID
    logs: Path

    def client(self) -> httpx.Client:
        return httpx.Client(
            base_url=self.base_url,
            headers={"Authorization": f"Bearer {self.secret}"},
            timeout=REQUEST_BOUND,
        )

    def output(self) -> str:
        return (self.logs / "api.log").read_text(errors="replace")[-6000:]

    def sql(self, query: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        with psycopg.connect(self.env["CHANGELEDGER_DATABASE_URL"], connect_timeout=5) as conn:
            cursor = conn.execute(query, params)  # type: ignore[arg-type]
            return cursor.fetchall() if cursor.description else []

    def head(self) -> int:
        rows = self.sql(f"SELECT coalesce(max(notification_id), 0) FROM {EVENTS_TABLE}")
        return int(rows[0][0])

    def events_after(self, position: int) -> list[tuple[int, str, int, str]]:
        """(notification id, originator id, version, topic) of each event after ``position``."""
        rows = self.sql(
            "SELECT notification_id, originator_id::text, originator_version, topic"
            f" FROM {EVENTS_TABLE} WHERE notification_id > %s ORDER BY notification_id",
            (position,),
        )
        return [(int(n), str(o), int(v), str(t)) for n, o, v, t in rows]

    def verify_chain(self) -> None:
        """``changeledger audit verify``, as an operator runs it, must accept the log."""
        result = subprocess.run(
            [str(BIN / "changeledger"), "audit", "verify"],
            env=_process_env(self.env),
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, f"audit verify failed:\n{result.stdout}{result.stderr}"

    def wait_for_views(self, position: int, seconds: float) -> float:
        """Seconds until every view (kept by the API's own loop) reached ``position``."""
        return seconds_until_views_reach(self.container, position, seconds, self.output, poll=0.02)

    def reconnect(self) -> None:
        """A fresh container for the test's own checks (its pool may still be backing off
        from an outage: the API process is the one that must recover by itself)."""
        self.container.close()
        self.container = bootstrap(Settings.from_env(self.env))

    def views_equal_a_clean_rebuild(self) -> None:
        """Every view row as the running system left it equals a rebuild from the log."""
        kept = _all_view_rows(self.container)
        for processor in self.container.processors.values():
            processor.rebuild()
        assert _all_view_rows(self.container) == kept


@contextmanager
def serving(database_url: str, logs: Path, **extra_env: str) -> Iterator[Served]:
    """``changeledger serve`` on a fresh schema, with an administrator's API token."""
    logs.mkdir(parents=True, exist_ok=True)
    env = {
        "CHANGELEDGER_DATABASE_URL": database_url,
        "CHANGELEDGER_DATA_DIR": str(logs / "data"),
        "CHANGELEDGER_DB_POOL_SIZE": "8",
        # Small, so a request meets a fault fast and answers 503 well within REQUEST_BOUND.
        "CHANGELEDGER_DB_CONNECT_TIMEOUT": "2",
        "CHANGELEDGER_DB_LOCK_TIMEOUT": "2",
        "CHANGELEDGER_CATCH_UP_INTERVAL": "1",
        **extra_env,
    }
    settings = Settings.from_env(env)
    init_db(settings)
    container = bootstrap(settings)
    try:
        person = container.app.register_person(
            by=None, name="Fay Faults", email=f"fay-{uuid.uuid4().hex[:6]}@example.org"
        )
        container.app.grant_administrator(by=None, person_id=person.id)
        secret, _ = container.app.issue_token(by=None, person_id=person.id, label="faults")
        port = _free_port()
        with _api(env, port, logs / "api.log"):
            yield Served(env, f"http://127.0.0.1:{port}", container, secret, person.id, logs)
    finally:
        container.close()


@dataclass
class Command:
    """One registration, sent with its own Idempotency-Key until acknowledged."""

    key: str
    name: str
    #: (status code, seconds taken, response) of each attempt; status 0: no answer.
    attempts: list[tuple[int, float, httpx.Response | None]] = field(default_factory=list)
    #: Why an attempt got no answer (the client's error).
    failures: list[str] = field(default_factory=list)

    @property
    def acknowledged(self) -> httpx.Response | None:
        last = self.attempts[-1][2] if self.attempts else None
        return last if last is not None and last.is_success else None


@dataclass
class Registrations:
    """Clients registering organisations until stopped; each retries a 503 with the same key
    (sooner than Retry-After says, to keep the tests short), for at most RETRY_SECONDS."""

    served: Served
    clients: int = 3
    stop: threading.Event = field(default_factory=threading.Event)
    commands: list[Command] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    threads: list[threading.Thread] = field(default_factory=list)

    def start(self) -> None:
        self.threads = [
            threading.Thread(target=self._run, args=(i,), daemon=True) for i in range(self.clients)
        ]
        for thread in self.threads:
            thread.start()

    def finish(self) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(RETRY_SECONDS + REQUEST_BOUND)
        assert not any(t.is_alive() for t in self.threads), "clients still running"

    def attempts(self) -> list[tuple[int, float, httpx.Response | None]]:
        with self.lock:
            return [a for c in self.commands for a in c.attempts]

    def _run(self, index: int) -> None:
        with self.served.client() as client:
            for n in range(MAX_COMMANDS):
                if self.stop.is_set():
                    return
                command = Command(str(uuid.uuid4()), f"Trust {index}-{n} {uuid.uuid4().hex[:6]}")
                with self.lock:
                    self.commands.append(command)
                self._send(client, command)

    def _send(self, client: httpx.Client, command: Command) -> None:
        deadline = time.monotonic() + RETRY_SECONDS
        while time.monotonic() < deadline:
            started = time.monotonic()
            try:
                response: httpx.Response | None = client.post(
                    "/organisations",
                    json={"name": command.name, "kind": "provider"},
                    headers={"Idempotency-Key": command.key},
                )
            except httpx.HTTPError as exc:
                response = None  # no answer in time, or dropped: check() fails on it
                command.failures.append(f"{type(exc).__name__}: {exc}")
            elapsed = time.monotonic() - started
            with self.lock:
                command.attempts.append(
                    (response.status_code if response else 0, elapsed, response)
                )
            if response is None or not is_unavailable(response):
                return
            time.sleep(RETRY_PAUSE)

    def check(self, start: int) -> set[str]:
        """Every answer 2xx or 503 + Retry-After, in time; every command acknowledged in the
        end, its record and its key each in the log exactly once. The record ids."""
        attempts = self.attempts()
        odd = [
            (status, response.text if response is not None else "no answer")
            for status, _, response in attempts
            if response is None or not (response.is_success or is_unavailable(response))
        ]
        failures = [f for c in self.commands for f in c.failures]
        assert not odd, f"{odd[:5]} {failures[:5]}\n{self.served.output()}"
        slowest = max(seconds for _, seconds, _ in attempts)
        assert slowest < REQUEST_BOUND, f"a request took {slowest:.1f}s"
        unanswered = [[a[0] for a in c.attempts] for c in self.commands if not c.acknowledged]
        assert not unanswered, f"never acknowledged: {unanswered}"
        events = Counter((o, v) for _, o, v, _ in self.served.events_after(start))
        assert all(count == 1 for count in events.values())
        created = set()
        for command in self.commands:
            assert command.acknowledged is not None
            record_id = command.acknowledged.json()["id"]
            created.add(record_id)
            assert events[(record_id, 1)] == 1
            assert events[(str(idempotent_request_id(self.served.person_id, command.key)), 1)] == 1
        assert len(created) == len(self.commands), "a retry recorded a second record"
        return created
