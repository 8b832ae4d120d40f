"""PostgreSQL stopped and started again under load, on the same data directory and port.

A few clients register organisations, each with its own Idempotency-Key, and retry a 503
with the same key (as the Retry-After tells them to) until it is acknowledged. Meanwhile
PostgreSQL is stopped (``fast``: open transactions rolled back; ``immediate``: a crash) for
a few seconds and started again. The API process is never restarted.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.faults.budget import scaled
from tests.faults.support import Registrations, serving
from tests.support.postgres import create_database, running_postgres

pytestmark = [pytest.mark.postgres, pytest.mark.faults]

OUTAGE_SECONDS = 5.0
#: Load before the first outage and after each restart.
STEADY_SECONDS = 1.5


def test_the_api_answers_503_while_postgres_is_down_and_recovers_losing_no_acknowledged_write(
    tmp_path: Path,
) -> None:
    # Commits reach the WAL on disk before they are acknowledged, as in production: with
    # asynchronous commit, a crash (immediate stop) loses the last acknowledged writes.
    with running_postgres(durable_commits=True) as postgres:
        url = create_database(postgres.dsn, "faults_restart")
        with serving(url, tmp_path / "logs") as served:
            start = served.head()
            load = Registrations(served)
            load.start()
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
            load.finish()
            assert unavailable_during_outage, "no request met the outage"

            # Recovered without a restart: every command was acknowledged in the end (checked
            # below), and a new one now is at once.
            with served.client() as client:
                fresh = client.post("/organisations", json={"name": "After", "kind": "partner"})
                assert fresh.status_code == 201, fresh.text

            served.reconnect()
            # Never a 500, never late; every acknowledged record and key once, nothing else.
            load.check(start)
            assert len(served.events_after(start)) == 2 * len(load.commands) + 1

            served.verify_chain()
            # The API's own loop caught the views up once PostgreSQL was back.
            served.wait_for_views(served.head(), seconds=30.0)
            served.views_equal_a_clean_rebuild()
