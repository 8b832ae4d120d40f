"""A slow write transaction held open while later writers and the projections carry on.

The classic failure of event stores on PostgreSQL: a transaction takes a notification id,
stays open, and commits after later ids are visible; a reader that moved past the gap never
sees the late event. Two cases:

- **committed late**: a real write through the API is held open for a few seconds inside
  its own transaction (a trigger on the events table sleeps when it inserts that record's
  event, so the app's own recorder writes it, locks and chain included), then commits. The
  views must contain it (nothing skipped) and reach the head soon after (nothing stalled).
- **abandoned**: a raw connection takes the writers' table lock, inserts an event and then
  goes idle without committing; PostgreSQL's idle-in-transaction timeout ends it. Later
  writers and the views carry on past the hole, and the abandoned event is nowhere.

Writers meanwhile get 2xx or 503 with Retry-After (retried with the same Idempotency-Key),
never a 500, never an answer later than the request bound, and lose nothing acknowledged.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator

import httpx
import psycopg
import pytest

from tests.faults.budget import fault_seconds, scaled
from tests.faults.support import EVENTS_TABLE, REQUEST_BOUND, Registrations, Served

pytestmark = [pytest.mark.postgres, pytest.mark.faults]

HOLD_SECONDS = 2.5
#: How long after the slow commit every view must have reached the head.
CATCH_UP_BOUND = 10.0
ABANDONED_SECONDS = 2.0
ABANDONED_LONG_SECONDS = 16.0

_SLOW_WRITES = f"""
CREATE TABLE IF NOT EXISTS faults_slow_write (
    originator_id uuid, originator_version bigint, seconds float8,
    PRIMARY KEY (originator_id, originator_version));
CREATE OR REPLACE FUNCTION faults_slow_write() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE pause float8;
BEGIN
    SELECT seconds INTO pause FROM faults_slow_write
    WHERE originator_id = NEW.originator_id AND originator_version = NEW.originator_version;
    IF pause IS NOT NULL THEN PERFORM pg_sleep(pause); END IF;
    RETURN NULL;
END $$;
DROP TRIGGER IF EXISTS faults_slow_write ON {EVENTS_TABLE};
CREATE TRIGGER faults_slow_write AFTER INSERT ON {EVENTS_TABLE}
    FOR EACH ROW EXECUTE FUNCTION faults_slow_write();
"""
_NO_SLOW_WRITES = f"""
DROP TRIGGER IF EXISTS faults_slow_write ON {EVENTS_TABLE};
DROP FUNCTION IF EXISTS faults_slow_write();
DROP TABLE IF EXISTS faults_slow_write;
"""


@pytest.fixture
def slow_writes(served: Served) -> Iterator[None]:
    """Writes of the records listed in ``faults_slow_write`` sleep inside their transaction."""
    url = served.env["CHANGELEDGER_DATABASE_URL"]
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(_SLOW_WRITES)
    try:
        yield
    finally:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(_NO_SLOW_WRITES)


def _update_title(served: Served, programme_id: uuid.UUID, out: list[httpx.Response]) -> None:
    with served.client() as client:
        out.append(
            client.patch(
                f"/programmes/{programme_id}",
                json={"title": "Written slowly"},
                headers={"If-Match": '"1"'},
            )
        )


@pytest.mark.usefixtures("slow_writes")
def test_a_write_committed_late_is_neither_skipped_nor_stalls_the_views(served: Served) -> None:
    app = served.container.app
    lead = app.register_organisation(by=served.person_id, name="Slow ICB", kind="commissioner")
    for round_ in range(scaled(1, 10)):
        programme_id = app.create_programme(
            by=served.person_id,
            title=f"Slow {round_}",
            description="",
            lead_commissioner_id=lead.id,
        ).id
        served.sql("INSERT INTO faults_slow_write VALUES (%s, 2, %s)", (programme_id, HOLD_SECONDS))
        start = served.head()
        served.wait_for_views(start, seconds=CATCH_UP_BOUND)
        slow: list[httpx.Response] = []
        writer = threading.Thread(
            target=_update_title, args=(served, programme_id, slow), daemon=True
        )
        writer.start()
        time.sleep(0.3)  # the slow write now holds its transaction open
        writers = Registrations(served)
        writers.start()
        writer.join(REQUEST_BOUND)
        committed_at = time.monotonic()
        assert slow, "the slow write did not answer"
        assert slow[0].status_code == 200, slow[0].text
        time.sleep(0.5)
        writers.finish()
        writers.check(start)

        # Not stalled: every view reaches the head soon after the slow commit.
        served.wait_for_views(served.head(), seconds=CATCH_UP_BOUND)
        assert time.monotonic() - committed_at < CATCH_UP_BOUND + 1.0
        # Not skipped: the late event is in the views.
        row = served.container.directory.programme(str(programme_id))
        assert row is not None
        assert (row["title"], row["version"]) == ("Written slowly", 2)

    head = served.head()
    assert set(served.container.view_positions().values()) == {head}
    served.verify_chain()
    served.views_equal_a_clean_rebuild()


def test_an_abandoned_write_is_ended_and_later_writers_and_views_carry_on(
    served: Served,
) -> None:
    url = served.env["CHANGELEDGER_DATABASE_URL"]
    # An event of the app to copy, as a writer would store it.
    served.container.app.register_organisation(by=served.person_id, name="Copied", kind="partner")
    start = served.head()
    served.wait_for_views(start, seconds=CATCH_UP_BOUND)
    ghost = uuid.uuid4()
    # The session ends any transaction left idle this long (the product sets 30 s). The
    # long form waits past the writers' retries of their lock timeouts, so they answer 503.
    idle = ABANDONED_LONG_SECONDS if fault_seconds() else ABANDONED_SECONDS
    options = f"-c idle_in_transaction_session_timeout={int(idle * 1000)}"
    abandoned = psycopg.connect(url, options=options)
    try:
        abandoned.execute(f"LOCK TABLE {EVENTS_TABLE} IN EXCLUSIVE MODE")
        row = abandoned.execute(
            f"INSERT INTO {EVENTS_TABLE} (originator_id, originator_version, topic, state)"
            f" SELECT %s, 1, topic, state FROM {EVENTS_TABLE}"
            " WHERE topic LIKE %s ORDER BY notification_id DESC LIMIT 1"
            " RETURNING notification_id",
            (ghost, "%Organisation.Registered"),
        ).fetchone()
        assert row is not None, "no organisation event to copy"
        ghost_position = int(row[0])
        # Left idle inside its transaction: later writers queue behind its lock.
        writers = Registrations(served)
        writers.start()
        time.sleep(idle + 2.0)
        writers.finish()
        with pytest.raises(psycopg.errors.IdleInTransactionSessionTimeout):
            abandoned.execute("SELECT 1")  # PostgreSQL ended the session
    finally:
        abandoned.close()

    created = writers.check(start)
    assert created, "no writer was acknowledged after the abandoned transaction ended"
    events = served.events_after(start)
    assert str(ghost) not in {o for _, o, _, _ in events}
    assert ghost_position not in {n for n, *_ in events}
    assert max(n for n, *_ in events) > ghost_position, "no later write passed the hole"

    served.wait_for_views(served.head(), seconds=CATCH_UP_BOUND)
    assert served.container.directory.organisation(str(ghost)) is None
    served.verify_chain()
    served.views_equal_a_clean_rebuild()
