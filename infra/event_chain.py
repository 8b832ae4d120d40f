"""The tamper-evident chain over the event log (ADR 9).

Every stored event gets a row in ``changeledger_event_chain`` holding
``hash_n = SHA-256(hash_{n-1}, notification id, originator id, version, topic, state)``,
written by the application recorders below in the same transaction as the event itself.
The state is hashed as stored (bytes), so anything that changes the stored row breaks the
chain, and anything that leaves it alone (destroying a person's key) does not.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteCursor
from psycopg import Cursor
from psycopg.rows import DictRow
from psycopg.sql import SQL

CHAIN_TABLE = "changeledger_event_chain"
#: The "previous hash" of the first event: a fixed, published constant.
GENESIS = hashlib.sha256(b"changeledger event chain v1").hexdigest()
_BACKFILL_BATCH = 1000


def _part(value: object) -> bytes:
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value)
    return str(value).encode()


def link_hash(
    prev_hash: str,
    notification_id: int,
    originator_id: str,
    originator_version: int,
    topic: str,
    state: bytes,
) -> str:
    """The hash of one link. Each field is length-prefixed, so no two inputs run together."""
    digest = hashlib.sha256()
    for value in (prev_hash, notification_id, originator_id, originator_version, topic, state):
        part = _part(value)
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


@dataclass(frozen=True)
class ChainLink:
    """One chain row: which event was chained at a position, and the hashes that bind it."""

    notification_id: int
    originator_id: str
    originator_version: int
    topic: str
    prev_hash: str
    hash: str


@dataclass(frozen=True)
class LoggedEvent:
    """One event row as stored, with its originator id in canonical text form."""

    notification_id: int
    originator_id: str
    originator_version: int
    topic: str
    state: bytes

    def link(self, prev_hash: str) -> ChainLink:
        return ChainLink(
            self.notification_id,
            self.originator_id,
            self.originator_version,
            self.topic,
            prev_hash,
            link_hash(
                prev_hash,
                self.notification_id,
                self.originator_id,
                self.originator_version,
                self.topic,
                self.state,
            ),
        )


def chain_links(prev_hash: str, events: Iterable[LoggedEvent]) -> list[ChainLink]:
    links = []
    for event in events:
        links.append(event.link(prev_hash))
        prev_hash = links[-1].hash
    return links


def _text_id(originator_id: UUID | str) -> str:
    return str(originator_id)


class ChainReader:
    """Reads the events and the chain inside one read transaction (one consistent snapshot).

    SQL is written with ``%s`` placeholders; ``placeholder`` adapts it for SQLite.
    """

    def __init__(self, cursor: Any, events_sql: str, placeholder: str) -> None:
        self._cursor = cursor
        self._events_sql = events_sql
        self._placeholder = placeholder

    def _rows(self, sql: str, params: Sequence[Any]) -> list[Any]:
        self._cursor.execute(sql.replace("%s", self._placeholder), list(params))
        return list(self._cursor.fetchall())

    def events(self, gt: int, limit: int) -> list[LoggedEvent]:
        rows = self._rows(
            f"{self._events_sql} WHERE notification_id > %s ORDER BY notification_id LIMIT %s",
            [gt, limit],
        )
        return [self._event(row) for row in rows]

    def links(self, gt: int, lte: int | None) -> list[ChainLink]:
        sql, params = f"SELECT * FROM {CHAIN_TABLE} WHERE notification_id > %s", [gt]
        if lte is not None:
            sql, params = sql + " AND notification_id <= %s", [gt, lte]
        return [_link(row) for row in self._rows(sql + " ORDER BY notification_id", params)]

    def head(self) -> ChainLink | None:
        rows = self._rows(
            f"SELECT * FROM {CHAIN_TABLE} ORDER BY notification_id DESC LIMIT %s", [1]
        )
        return _link(rows[0]) if rows else None

    def event_position(self, originator_id: str, originator_version: int) -> int | None:
        """Where the event of this record and version is stored now, if anywhere."""
        stored_id = self._stored_id(originator_id)
        if stored_id is None:
            return None
        rows = self._rows(
            f"{self._events_sql} WHERE originator_id = %s AND originator_version = %s",
            [stored_id, originator_version],
        )
        return int(rows[0]["notification_id"]) if rows else None

    def link_position(self, originator_id: str, originator_version: int) -> int | None:
        """Where the event of this record and version was chained, if anywhere."""
        rows = self._rows(
            f"SELECT notification_id FROM {CHAIN_TABLE}"
            " WHERE originator_id = %s AND originator_version = %s",
            [originator_id, originator_version],
        )
        return int(rows[0]["notification_id"]) if rows else None

    def _event(self, row: Any) -> LoggedEvent:
        return LoggedEvent(
            notification_id=int(row["notification_id"]),
            originator_id=self._canonical_id(row["originator_id"]),
            originator_version=row["originator_version"],
            topic=row["topic"],
            # psycopg gives bytea as a memoryview: hash the same bytes the recorder was given.
            state=bytes(state) if isinstance(state := row["state"], memoryview) else state,
        )

    def _canonical_id(self, stored: Any) -> str:
        return str(stored)

    def _stored_id(self, canonical: str) -> Any:
        """The originator id as the events table holds it; None if no event could have it."""
        try:
            return UUID(canonical)
        except ValueError:
            return None


class _SQLiteChainReader(ChainReader):
    def _canonical_id(self, stored: Any) -> str:
        # Stored as 32 hex digits; anything else (an edit) is kept as found, so it mismatches.
        try:
            parsed = UUID(stored)
        except (TypeError, ValueError):
            return str(stored)
        return str(parsed) if parsed.hex == stored else str(stored)

    def _stored_id(self, canonical: str) -> Any:
        stored = super()._stored_id(canonical)
        return None if stored is None else stored.hex


def _link(row: Any) -> ChainLink:
    return ChainLink(
        notification_id=int(row["notification_id"]),
        originator_id=row["originator_id"],
        originator_version=row["originator_version"],
        topic=row["topic"],
        prev_hash=row["prev_hash"],
        hash=row["hash"],
    )


_CREATE_CHAIN = (
    f"CREATE TABLE IF NOT EXISTS {CHAIN_TABLE} ("
    "notification_id BIGINT PRIMARY KEY, "
    "originator_id TEXT NOT NULL, "
    "originator_version BIGINT NOT NULL, "
    "topic TEXT NOT NULL, "
    "prev_hash TEXT NOT NULL, "
    "hash TEXT NOT NULL)"
)
_INSERT_LINK = (
    f"INSERT INTO {CHAIN_TABLE} (notification_id, originator_id, originator_version,"
    " topic, prev_hash, hash) VALUES (%s, %s, %s, %s, %s, %s)"
)
# The link before the new events: the chain row just below the first of them.
_SELECT_PREV = (
    f"SELECT hash FROM {CHAIN_TABLE} WHERE notification_id < %s"
    " ORDER BY notification_id DESC LIMIT 1"
)


def link_params(links: Iterable[ChainLink]) -> list[tuple[Any, ...]]:
    return [
        (
            link.notification_id,
            link.originator_id,
            link.originator_version,
            link.topic,
            link.prev_hash,
            link.hash,
        )
        for link in links
    ]


def new_events(ids: Sequence[int], stored_events: Sequence[StoredEvent]) -> list[LoggedEvent]:
    return [
        LoggedEvent(n, _text_id(s.originator_id), s.originator_version, s.topic, s.state)
        for n, s in zip(ids, stored_events, strict=True)
    ]


def _backfill(reader: ChainReader, cursor: Any, insert_sql: str) -> int:
    """Chain events stored before the chain existed. Only when the chain is empty."""
    if reader.head() is not None:
        return 0
    prev, after, count = GENESIS, 0, 0
    while events := reader.events(after, _BACKFILL_BATCH):
        links = chain_links(prev, events)
        cursor.executemany(insert_sql, link_params(links))
        prev, after, count = links[-1].hash, links[-1].notification_id, count + len(links)
    return count


class ChainedSQLiteApplicationRecorder(SQLiteApplicationRecorder):
    """Writes each event's chain row in the event's own transaction."""

    def construct_create_table_statements(self) -> list[str]:
        return [*super().construct_create_table_statements(), _CREATE_CHAIN]

    def _insert_events(
        self, c: SQLiteCursor, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        # The events' INSERT took SQLite's write lock, so the head read next is the latest.
        ids = super()._insert_events(c, stored_events, **kwargs)
        assert ids is not None
        if ids:
            c.execute(_SELECT_PREV.replace("%s", "?"), [ids[0]])
            row = c.fetchone()
            prev = row["hash"] if row else GENESIS
            links = chain_links(prev, new_events(ids, stored_events))
            c.executemany(_INSERT_LINK.replace("%s", "?"), link_params(links))
        return ids

    def _events_sql(self) -> str:
        return (
            "SELECT rowid AS notification_id, originator_id, originator_version, topic, state"
            f" FROM {self.events_table_name}"
        )

    @contextmanager
    def chain_reader(self) -> Iterator[ChainReader]:
        with self.datastore.transaction(commit=False) as cursor:
            yield _SQLiteChainReader(cursor, self._events_sql(), "?")

    def backfill_chain(self) -> int:
        with self.datastore.transaction(commit=True) as cursor:
            # Take the write lock first, so no event is written while the chain is made.
            cursor.execute(f"DELETE FROM {CHAIN_TABLE} WHERE 0")
            reader = _SQLiteChainReader(cursor, self._events_sql(), "?")
            return _backfill(reader, cursor, _INSERT_LINK.replace("%s", "?"))


class ChainedPostgresApplicationRecorder(PostgresApplicationRecorder):
    """Writes each event's chain row in the event's own transaction, under its table lock."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.datastore.enable_db_functions:
            # That insert path runs in a database function and would skip the chain.
            raise ValueError("the event chain needs POSTGRES_ENABLE_DB_FUNCTIONS off")
        self.sql_create_statements.append(SQL(_CREATE_CHAIN))  # type: ignore[arg-type]

    def _fetch_ids_after_insert_events(
        self, curs: Cursor[DictRow], stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        # Called after the events' INSERT, which ran after LOCK TABLE ... EXCLUSIVE: no other
        # writer can move the head until this transaction commits.
        ids = super()._fetch_ids_after_insert_events(curs, stored_events, **kwargs)
        if ids:
            with curs.connection.pipeline():
                curs.execute(_SELECT_PREV, [ids[0]])
                row = curs.fetchone()
                prev = row["hash"] if row else GENESIS
                links = chain_links(prev, new_events(ids, stored_events))
                curs.executemany(_INSERT_LINK, link_params(links))
        return ids

    def _events_sql(self) -> str:
        return (
            "SELECT notification_id, originator_id, originator_version, topic, state"
            f' FROM "{self.datastore.schema}"."{self.events_table_name}"'
        )

    @contextmanager
    def chain_reader(self) -> Iterator[ChainReader]:
        with self.datastore.transaction(commit=False) as cursor:
            # One snapshot for the whole walk, so writes during it are not seen half-done.
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            yield ChainReader(cursor, self._events_sql(), "%s")

    def backfill_chain(self) -> int:
        with self.datastore.transaction(commit=True) as cursor:
            self._lock_table(cursor)
            reader = ChainReader(cursor, self._events_sql(), "%s")
            return _backfill(reader, cursor, _INSERT_LINK)


ChainedRecorder = ChainedSQLiteApplicationRecorder | ChainedPostgresApplicationRecorder
