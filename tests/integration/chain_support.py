"""Tampering with the stored log directly in SQL, as someone with database access could."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any
from uuid import UUID, uuid4

import psycopg

from infra.bootstrap import Container
from infra.chain_audit import Verdict, verify_chain
from infra.event_chain import CHAIN_TABLE, ChainedRecorder, link_hash
from infra.settings import Settings


def recorder_of(container: Container) -> ChainedRecorder:
    recorder = container.app.recorder
    assert isinstance(recorder, ChainedRecorder)
    return recorder


def verify(container: Container, **options: Any) -> Verdict:
    # Small batches, so that a break in a later batch is found across batch edges.
    options.setdefault("batch_size", 3)
    with recorder_of(container).chain_reader() as reader:
        return verify_chain(reader, **options)


def register(container: Container, count: int) -> list[UUID]:
    """Register ``count`` people: two events each (the person and their email's claim)."""
    emails = [f"p{uuid4().hex[:12]}@example.org" for _ in range(count)]
    return [
        container.app.register_person(by=None, name=f"Person {i}", email=email).id
        for i, email in enumerate(emails)
    ]


class RawLog:
    """Plain SQL on the events table and the chain table, outside the application."""

    def __init__(self, settings: Settings) -> None:
        self.postgres = settings.database.is_postgres
        self.url = settings.database.url
        self.path = settings.database.sqlite_path
        self.events = "changeledger_events" if self.postgres else "stored_events"
        self.id = "notification_id" if self.postgres else "rowid"

    def run(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        if self.postgres:
            with psycopg.connect(self.url, autocommit=True) as conn:
                cursor = conn.execute(sql.replace("?", "%s"), list(params))  # type: ignore[arg-type]
                return cursor.fetchall() if cursor.description else []
        with sqlite3.connect(self.path) as conn:
            return conn.execute(sql, list(params)).fetchall()

    def event(self, position: int) -> tuple[str, int, str, bytes]:
        """(originator id as text, version, topic, state) of the event at a position."""
        ((oid, version, topic, state),) = self.run(
            f"SELECT originator_id, originator_version, topic, state FROM {self.events}"
            f" WHERE {self.id} = ?",
            [position],
        )
        return str(UUID(str(oid))), version, topic, bytes(state)

    def positions(self) -> list[int]:
        return [row[0] for row in self.run(f"SELECT {self.id} FROM {self.events} ORDER BY 1")]

    def head_hash(self) -> str:
        ((value,),) = self.run(
            f"SELECT hash FROM {CHAIN_TABLE} ORDER BY notification_id DESC LIMIT 1"
        )
        return str(value)

    def edit_state(self, position: int) -> None:
        """Change an event's stored bytes in a way that no reader would notice: the state
        stays valid JSON with the same values, only one byte longer."""
        state = self.event(position)[3]
        self.run(
            f"UPDATE {self.events} SET state = ? WHERE {self.id} = ?", [state + b" ", position]
        )

    def delete_event(self, position: int) -> None:
        self.run(f"DELETE FROM {self.events} WHERE {self.id} = ?", [position])

    def delete_link(self, position: int) -> None:
        self.run(f"DELETE FROM {CHAIN_TABLE} WHERE notification_id = ?", [position])

    def swap(self, first: int, second: int) -> None:
        """Swap two events' positions in the log (each keeps its own content)."""
        for source, target in ((first, -1), (second, first), (-1, second)):
            self.run(
                f"UPDATE {self.events} SET {self.id} = ? WHERE {self.id} = ?", [target, source]
            )

    def forge_event(self, position: int, like: int) -> tuple[str, int, str, bytes]:
        """Store a new event at ``position``: a copy of another's content for a new record."""
        _, _, topic, state = self.event(like)
        oid = uuid4()
        stored = oid if self.postgres else oid.hex
        self.run(
            f"INSERT INTO {self.events} ({self.id}, originator_id, originator_version, topic,"
            " state) VALUES (?, ?, 1, ?, ?)",
            [position, str(stored), topic, state],
        )
        return str(oid), 1, topic, state

    def forge_link(
        self, position: int, event: tuple[str, int, str, bytes], prev_hash: str, hash_: str = ""
    ) -> str:
        """A chain row for a forged event; by default with its hash computed correctly."""
        oid, version, topic, state = event
        hash_ = hash_ or link_hash(prev_hash, position, oid, version, topic, state)
        self.run(
            f"INSERT INTO {CHAIN_TABLE} (notification_id, originator_id, originator_version,"
            " topic, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?)",
            [position, oid, version, topic, prev_hash, hash_],
        )
        return hash_

    def link(self, position: int) -> tuple[str, str]:
        """(prev_hash, hash) of the chain row at a position."""
        ((prev, hash_),) = self.run(
            f"SELECT prev_hash, hash FROM {CHAIN_TABLE} WHERE notification_id = ?", [position]
        )
        return str(prev), str(hash_)

    def rechain_from(self, position: int) -> None:
        """Recompute every chain row from a position on, as an informed forger would."""
        prev = self.link(position)[0]
        for at in [p for p in self.positions() if p >= position]:
            oid, version, topic, state = self.event(at)
            new = link_hash(prev, at, oid, version, topic, state)
            self.run(
                f"UPDATE {CHAIN_TABLE} SET prev_hash = ?, hash = ? WHERE notification_id = ?",
                [prev, new, at],
            )
            prev = new
