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
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import psycopg

from infra.bootstrap import Container, bootstrap, init_db
from infra.settings import Settings
from tests.e2e.test_production_shape import _all_view_rows, _api, _free_port
from tests.e2e.test_worker import BIN, _process_env

PROBLEM_JSON = "application/problem+json"
#: No request may take longer than this, whatever the fault.
REQUEST_BOUND = 15.0
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
        started = time.monotonic()
        while self.container.views_position() < position:
            elapsed = time.monotonic() - started
            assert elapsed < seconds, (
                f"views at {self.container.view_positions()}, wanted {position}\n{self.output()}"
            )
            time.sleep(0.02)
        return time.monotonic() - started

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
