"""Group commit: concurrent saves in one process share one transaction (ADR 15).

Every writer takes the events table's EXCLUSIVE lock, so that notification ids are committed in
the order they are issued and the event chain (ADR 9) has one head. Held one transaction at a
time, that lock (and the commit's WAL flush inside it) caps a database at a few hundred saves a
second whatever the number of clients. Here the saves that arrive while a transaction is in
flight wait in a queue; the next leader takes the whole queue and writes it in ONE transaction
under ONE lock: one round of statements and one flush for the group.

Each save still gets its own outcome. A save whose (record, version) pairs an earlier save of
the same group has is refused before the insert; under the lock, the group's one INSERT skips
pairs the table already has (``ON CONFLICT DO NOTHING``), and a save that got only part of its
rows has them deleted again before the commit. Either way the save fails alone with the
library's ``IntegrityError``, exactly as the unique index would have failed it, and the rest
commit. A failure of the transaction itself (database gone, lock timeout) fails every save in
it, and none of them is recorded.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from eventsourcing.persistence import IntegrityError, StoredEvent
from psycopg.sql import SQL, Identifier

from infra.event_chain import (
    CHAIN_TABLE,
    GENESIS,
    ChainedPostgresApplicationRecorder,
    ChainLink,
    chain_links,
    link_params,
    new_events,
)

#: Most events one group transaction inserts; a bigger queue is written by the next leader.
MAX_GROUP_EVENTS = 1000


@dataclass
class _Save:
    """One caller's events, waiting for a leader to write them."""

    events: Sequence[StoredEvent]
    #: Set once: when the save is done, or when it is handed the leader's turn.
    wake: threading.Event = field(default_factory=threading.Event)
    done: bool = False
    notification_ids: list[int] = field(default_factory=list)
    error: BaseException | None = None

    def pairs(self) -> list[tuple[UUID | str, int]]:
        return [(e.originator_id, e.originator_version) for e in self.events]


_INSERT_LINKS = (
    f"INSERT INTO {CHAIN_TABLE} (notification_id, originator_id, originator_version,"
    " topic, prev_hash, hash) SELECT * FROM unnest(%s::bigint[], %s::text[], %s::bigint[],"
    " %s::text[], %s::text[], %s::text[])"
)


def _link_columns(links: Sequence[ChainLink]) -> list[list[Any]]:
    """The links as one array per column (the insert takes them through ``unnest``)."""
    return [list(column) for column in zip(*link_params(links), strict=True)]


def conflict() -> IntegrityError:
    return IntegrityError("the record's version was already taken by another write")


class GroupCommitPostgresRecorder(ChainedPostgresApplicationRecorder):
    """The chained recorder, writing concurrent saves of this process in one transaction."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._queue: list[_Save] = []
        self._queue_lock = threading.Lock()
        #: Whether a thread is writing groups (the leader); only one at a time.
        self._leading = False
        #: Group transactions committed by this recorder (for tests and benchmarks).
        self.groups_written = 0
        table = SQL("{0}.{1}").format(
            Identifier(self.datastore.schema), Identifier(self.events_table_name)
        )
        # Taken pairs are skipped, not an error: the save that wanted one is refused alone.
        # The chain link below the new events comes back with them (ADR 9: the row just
        # below the first new position, as ChainedPostgresApplicationRecorder reads it).
        self._insert_statement = SQL(
            "WITH stored AS ("
            " INSERT INTO {table} (originator_id, originator_version, topic, state)"
            " SELECT * FROM unnest(%s::{id_type}[], %s::bigint[], %s::text[], %s::bytea[])"
            " ON CONFLICT DO NOTHING"
            " RETURNING originator_id, originator_version, notification_id)"
            " SELECT stored.*, (SELECT hash FROM {chain} WHERE notification_id <"
            " (SELECT min(notification_id) FROM stored)"
            " ORDER BY notification_id DESC LIMIT 1) AS prev_hash FROM stored"
        ).format(
            table=table,
            id_type=SQL(self.datastore.originator_id_type),
            chain=Identifier(CHAIN_TABLE),
        )
        self._delete_statement = SQL(
            "DELETE FROM {table} WHERE notification_id = ANY(%s::bigint[])"
        ).format(table=table)

    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        if not stored_events or kwargs.get("tracking") is not None:
            # A processing application's tracking record goes in its own transaction.
            ids: Sequence[int] | None = super().insert_events(stored_events, **kwargs)
            return ids
        mine = _Save(stored_events)
        with self._queue_lock:
            self._queue.append(mine)
            leads = not self._leading
            self._leading = True
        if not leads:
            # Woken once: written by a leader, or handed the turn to lead.
            mine.wake.wait()
        if not mine.done:
            self._lead(mine)
        if mine.error is not None:
            raise mine.error
        return mine.notification_ids

    def _lead(self, mine: _Save) -> None:
        """Write groups until this save is written, then pass the turn to the oldest waiter.

        Each waiter is woken once, by the leader that wrote it or to lead next, so a busy
        process does not wake every waiting thread after every transaction.
        """
        try:
            while not mine.done:
                self._write_group(self._take_group())
        finally:
            self._pass_turn()

    def _pass_turn(self) -> None:
        with self._queue_lock:
            if self._queue:
                self._queue[0].wake.set()
            else:
                self._leading = False

    @contextmanager
    def paused(self) -> Iterator[None]:
        """Hold back writing while saves queue up; they are written as one group after."""
        with self._queue_lock:
            if self._leading:
                raise RuntimeError("a group is being written")
            self._leading = True
        try:
            yield
        finally:
            self._pass_turn()

    def _take_group(self) -> list[_Save]:
        with self._queue_lock:
            count, size = 0, 0
            for save in self._queue:
                if count and size + len(save.events) > MAX_GROUP_EVENTS:
                    break
                count, size = count + 1, size + len(save.events)
            group, self._queue = self._queue[:count], self._queue[count:]
        return group

    def _write_group(self, group: list[_Save]) -> None:
        try:
            self._insert_group(group)
        except IntegrityError:
            # Not expected (taken pairs are skipped, not inserted); write each save alone so
            # each gets the outcome the unique index gives it.
            for save in group:
                self._write_alone(save)
        except BaseException as exc:
            for save in group:
                save.error = save.error or exc
        finally:
            for save in group:
                save.done = True
                save.wake.set()

    def _write_alone(self, save: _Save) -> None:
        try:
            save.notification_ids = list(super().insert_events(save.events) or [])
            save.error = None
        except BaseException as exc:
            save.error = exc

    def _insert_group(self, group: list[_Save]) -> None:
        """One transaction for the group, in two pipelined round trips (ADR 15):

        1. BEGIN, the lock timeout, the table lock, NOTIFY, and every event of the group in
           one INSERT that skips taken (record, version) pairs and returns the pairs it
           stored, their positions and the chain's link below them;
        2. delete what a partly refused save stored, insert the chain's links, COMMIT.
        """
        saves = self._unique_in_group(group)
        events = [event for save in saves for event in save.events]
        if not events:
            return
        with self.datastore.get_connection() as conn:
            try:
                with conn.pipeline() as pipeline, conn.cursor() as curs:
                    curs.execute("BEGIN")
                    self._lock_table(curs)
                    self._notify_channel(curs)
                    with conn.cursor() as inserting:
                        inserting.execute(self._insert_statement, self._columns(events))
                        pipeline.sync()
                        rows = inserting.fetchall()
                    stored = {
                        (row["originator_id"], row["originator_version"]): row["notification_id"]
                        for row in rows
                    }
                    accepted, dropped = self._outcomes(saves, stored)
                    links = self._links(accepted, stored, rows[0]["prev_hash"] if rows else None)
                    if dropped:
                        curs.execute(self._delete_statement, (dropped,))
                    if links:
                        curs.execute(_INSERT_LINKS, _link_columns(links))
                    curs.execute("COMMIT")
            except BaseException:
                with suppress(Exception):
                    conn.execute("ROLLBACK")
                raise
        self.groups_written += 1
        for save in accepted:
            save.notification_ids = [
                stored[(e.originator_id, e.originator_version)] for e in save.events
            ]

    @staticmethod
    def _links(
        accepted: list[_Save], stored: dict[tuple[UUID | str, int], int], prev_hash: str | None
    ) -> list[ChainLink]:
        kept = sorted(
            (
                (stored[(e.originator_id, e.originator_version)], e)
                for s in accepted
                for e in s.events
            ),
            key=lambda pair: pair[0],
        )
        return chain_links(
            prev_hash or GENESIS, new_events([n for n, _ in kept], [e for _, e in kept])
        )

    @staticmethod
    def _unique_in_group(group: list[_Save]) -> list[_Save]:
        """The saves whose pairs no earlier save of the group has; the others conflict."""
        seen: set[tuple[UUID | str, int]] = set()
        unique = []
        for save in group:
            pairs = save.pairs()
            if len(set(pairs)) < len(pairs) or seen.intersection(pairs):
                save.error = conflict()
                continue
            seen.update(pairs)
            unique.append(save)
        return unique

    @staticmethod
    def _outcomes(
        saves: list[_Save], stored: dict[tuple[UUID | str, int], int]
    ) -> tuple[list[_Save], list[int]]:
        """Saves stored whole, and the positions stored for saves refused in part."""
        accepted: list[_Save] = []
        dropped: list[int] = []
        for save in saves:
            mine = [stored.get(pair) for pair in save.pairs()]
            if all(position is not None for position in mine):
                accepted.append(save)
                continue
            # A version was already in the table: the save fails whole, as with the index.
            save.error = conflict()
            dropped.extend(position for position in mine if position is not None)
        return accepted, dropped

    @staticmethod
    def _columns(events: Sequence[StoredEvent]) -> tuple[list[Any], ...]:
        return (
            [e.originator_id for e in events],
            [e.originator_version for e in events],
            [e.topic for e in events],
            [e.state for e in events],
        )
