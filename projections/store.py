"""View storage beside the event log, in the same database, with exactly-once tracking.

Each projection's rows and its tracking position are written in one transaction, using the
library's tracking recorders, so a processor killed at any point resumes without skipping or
doubling anything. SQL is written once with ``%(name)s`` placeholders and adapted for SQLite.
"""

from __future__ import annotations

import re
import threading
from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from eventsourcing.persistence import Tracking
from eventsourcing.postgres import PostgresDatastore, PostgresTrackingRecorder
from eventsourcing.sqlite import SQLiteDatastore, SQLiteTrackingRecorder

Row = dict[str, Any]
Params = Mapping[str, Any] | None

_NAMED = re.compile(r"%\((\w+)\)s")


class ViewTransaction:
    """One write transaction on the views, holding the runner lock for one projection."""

    def __init__(self, store: ViewStore, cursor: Any) -> None:
        self._store = store
        self._cursor = cursor

    def execute(self, sql: str, params: Params = None) -> None:
        self._cursor.execute(self._store.adapt(sql), params or {})

    def fetch_all(self, sql: str, params: Params = None) -> list[Row]:
        self.execute(sql, params)
        return [dict(row) for row in self._cursor.fetchall()]

    def position(self, view_name: str) -> int:
        return self._store.recorder._max_tracking_id(view_name, self._cursor) or 0

    def record_position(self, view_name: str, notification_id: int) -> None:
        # Refuses (IntegrityError) to move backwards or repeat: the exactly-once guard.
        self._store.recorder._insert_tracking(
            self._cursor, Tracking(application_name=view_name, notification_id=notification_id)
        )

    def reset_position(self, view_name: str) -> None:
        self.execute(self._store.delete_tracking_sql, {"name": view_name})


class ViewStore(ABC):
    recorder: SQLiteTrackingRecorder | PostgresTrackingRecorder
    delete_tracking_sql: str
    tracking_table: str

    @abstractmethod
    def adapt(self, sql: str) -> str: ...

    @abstractmethod
    @contextmanager
    def write(self, lock_name: str) -> Iterator[ViewTransaction]:
        """A transaction that only one runner of ``lock_name`` can hold at a time."""

    @abstractmethod
    def fetch_all(self, sql: str, params: Params = None) -> list[Row]: ...

    def fetch_one(self, sql: str, params: Params = None) -> Row | None:
        rows = self.fetch_all(sql, params)
        return rows[0] if rows else None

    def position(self, view_name: str) -> int:
        return self.recorder.max_tracking_id(view_name) or 0

    def positions(self, names: Sequence[str]) -> dict[str, int]:
        """Each named view's tracked position (0 before its first batch), in one query.

        One indexed MAX per view: the tracking table keeps a row for every batch ever
        applied, so grouping over all of it would grow with the log, and read-your-writes
        polls this.
        """
        lookups = [
            f"SELECT CAST(%(n{i})s AS TEXT) AS name, (SELECT MAX(notification_id)"
            f" FROM {self.tracking_table} WHERE application_name = %(n{i})s) AS position"
            for i in range(len(names))
        ]
        if not lookups:
            return {}
        rows = self.fetch_all(
            " UNION ALL ".join(lookups), {f"n{i}": name for i, name in enumerate(names)}
        )
        return {row["name"]: int(row["position"] or 0) for row in rows}


class SQLiteViewStore(ViewStore):
    def __init__(self, datastore: SQLiteDatastore) -> None:
        self.recorder = SQLiteTrackingRecorder(datastore)
        self.tracking_table = "tracking"
        self.delete_tracking_sql = "DELETE FROM tracking WHERE application_name = %(name)s"
        # The embedded mode is one process, so a thread lock is the runner lock.
        self._locks: dict[str, threading.Lock] = {}
        self._locks_guard = threading.Lock()

    def adapt(self, sql: str) -> str:
        return _NAMED.sub(r":\1", sql)

    @contextmanager
    def write(self, lock_name: str) -> Iterator[ViewTransaction]:
        with self._locks_guard:
            lock = self._locks.setdefault(lock_name, threading.Lock())
        with lock, self.recorder.datastore.transaction(commit=True) as cursor:
            # Take SQLite's write lock before reading the position, so a second process
            # (a CLI beside the server) waits its turn instead of failing on a stale snapshot.
            cursor.execute("UPDATE tracking SET notification_id = notification_id WHERE 0")
            yield ViewTransaction(self, cursor)

    def fetch_all(self, sql: str, params: Params = None) -> list[Row]:
        with self.recorder.datastore.transaction(commit=False) as cursor:
            cursor.execute(self.adapt(sql), params or {})
            return [dict(row) for row in cursor.fetchall()]


class PostgresViewStore(ViewStore):
    def __init__(
        self, datastore: PostgresDatastore, tracking_table: str, lock_timeout: int
    ) -> None:
        self.lock_timeout = lock_timeout
        self.recorder = PostgresTrackingRecorder(datastore, tracking_table_name=tracking_table)
        self.tracking_table = tracking_table
        self.delete_tracking_sql = f"DELETE FROM {tracking_table} WHERE application_name = %(name)s"

    def adapt(self, sql: str) -> str:
        return sql

    @contextmanager
    def write(self, lock_name: str) -> Iterator[ViewTransaction]:
        with self.recorder.datastore.transaction(commit=True) as cursor:
            # One runner per projection across every process: others wait here, not crash,
            # but only for lock_timeout seconds.
            cursor.execute(f"SET LOCAL lock_timeout = '{int(self.lock_timeout)}s'")
            cursor.execute(
                "SELECT pg_advisory_xact_lock(hashtext(%(name)s))",
                {"name": f"changeledger:{lock_name}"},
            )
            yield ViewTransaction(self, cursor)

    def fetch_all(self, sql: str, params: Params = None) -> list[Row]:
        with self.recorder.datastore.transaction(commit=False) as cursor:
            cursor.execute(sql, params or {})
            return [dict(row) for row in cursor.fetchall()]
