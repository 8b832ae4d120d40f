"""Group commit on PostgreSQL: concurrent saves share a transaction, each with its own outcome.

The tests pause the recorder's writing while saves queue up, so the group they form is
known; then they let it go and check what each save got and what the log holds.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace
from typing import Any
from uuid import UUID, uuid4

import psycopg
import pytest
from eventsourcing.persistence import IntegrityError, OperationalError, StoredEvent

from infra.bootstrap import Container, bootstrap
from infra.group_commit import GroupCommitPostgresRecorder
from infra.settings import Settings
from tests.integration.chain_support import RawLog, register, verify

pytestmark = pytest.mark.parametrize("settings", ["postgres"], indirect=True)


@pytest.fixture
def product(settings: Settings) -> Iterator[Container]:
    # Lock timeout of 1 s, so the failing-transaction case is quick.
    built = bootstrap(replace(settings, database=replace(settings.database, lock_timeout=1)))
    yield built
    built.close()


def recorder_of(container: Container) -> GroupCommitPostgresRecorder:
    recorder = container.app.recorder
    assert isinstance(recorder, GroupCommitPostgresRecorder)
    return recorder


def new_event(template: StoredEvent, originator_id: UUID, version: int = 1) -> StoredEvent:
    """A stored event shaped like a real one of the app, for another record or version."""
    return StoredEvent(
        originator_id=originator_id,
        originator_version=version,
        topic=template.topic,
        state=template.state,
    )


def one_group(
    recorder: GroupCommitPostgresRecorder, saves: list[list[StoredEvent]]
) -> list[Future[Any]]:
    """Queue ``saves`` while writing is paused, then let it go: they form one group."""
    pool = ThreadPoolExecutor(max_workers=len(saves))
    with recorder.paused():
        futures = [pool.submit(recorder.insert_events, events) for events in saves]
        wait_until(lambda: len(recorder._queue) == len(saves))
    pool.shutdown(wait=True)
    return futures


def wait_until(condition: Callable[[], bool], seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.005)


def outcome(future: Future[Any]) -> Any:
    error = future.exception()
    return type(error) if error is not None else future.result()


def a_stored_event(container: Container) -> StoredEvent:
    (notification,) = container.app.recorder.select_notifications(start=1, limit=1)
    return StoredEvent(
        notification.originator_id,
        notification.originator_version,
        notification.topic,
        notification.state,
    )


def test_saves_queued_together_are_written_in_one_transaction_each_with_its_own_positions(
    product: Container, settings: Settings
) -> None:
    register(product, 1)
    recorder = recorder_of(product)
    template = a_stored_event(product)
    groups_before = recorder.groups_written

    futures = one_group(recorder, [[new_event(template, uuid4())] for _ in range(8)])

    ids = [future.result() for future in futures]
    assert recorder.groups_written == groups_before + 1
    assert all(len(saved) == 1 for saved in ids)
    positions = sorted(saved[0] for saved in ids)
    assert positions == list(range(positions[0], positions[0] + 8))
    assert RawLog(settings).positions()[-8:] == positions
    assert verify(product).intact


def test_a_save_whose_version_is_taken_fails_alone_and_the_rest_of_its_group_is_recorded(
    product: Container, settings: Settings
) -> None:
    (person_id,) = register(product, 1)
    recorder = recorder_of(product)
    template = a_stored_event(product)
    raw = RawLog(settings)
    before = len(raw.positions())
    twice, first, last = uuid4(), uuid4(), uuid4()

    futures = one_group(
        recorder,
        [
            [new_event(template, first)],
            [new_event(template, twice)],
            # The same record and version again in the same group: the second loses.
            [new_event(template, twice)],
            # Version 1 of a record already in the log.
            [new_event(template, person_id)],
            # Two events, the second of which is taken: the whole save fails.
            [new_event(template, uuid4()), new_event(template, person_id)],
            [new_event(template, last)],
        ],
    )

    outcomes = [outcome(future) for future in futures]
    assert [o is IntegrityError for o in outcomes] == [False, False, True, True, True, False]
    stored = raw.run(
        "SELECT originator_id FROM changeledger_events WHERE notification_id > %s"
        " ORDER BY notification_id",
        [raw.positions()[before - 1]],
    )
    assert [row[0] for row in stored] == [first, twice, last]
    assert verify(product).intact


def test_a_group_whose_transaction_fails_records_none_of_its_saves_and_the_next_one_works(
    product: Container, settings: Settings
) -> None:
    register(product, 1)
    recorder = recorder_of(product)
    template = a_stored_event(product)
    raw = RawLog(settings)
    before = raw.positions()
    held = threading.Event()
    release = threading.Event()

    def hold_the_table() -> None:
        # Another writer holding the events table's lock past our 1 s lock timeout.
        with psycopg.connect(settings.database.url) as conn, conn.transaction():
            conn.execute("LOCK TABLE changeledger_events IN EXCLUSIVE MODE")
            held.set()
            release.wait(10)

    holder = threading.Thread(target=hold_the_table)
    holder.start()
    try:
        assert held.wait(10)
        futures = one_group(recorder, [[new_event(template, uuid4())] for _ in range(3)])
    finally:
        release.set()
        holder.join()

    assert [outcome(future) for future in futures] == [OperationalError] * 3
    assert raw.positions() == before
    assert len(recorder.insert_events([new_event(template, uuid4())]) or []) == 1
    assert verify(product).intact
