"""Concurrent writers on PostgreSQL still leave one unbroken chain.

Two bootstrapped applications (as two processes would be, each with its own connection
pool) write from several threads at once, released together by a barrier. Some writes
collide on the same record and are refused, which leaves gaps in the notification ids:
the chain must skip them, and verify must still find it intact.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from uuid import uuid4

import pytest

from domain.errors import DomainError
from infra.bootstrap import bootstrap
from infra.settings import Settings
from tests.integration.chain_support import RawLog, verify

WRITERS_PER_APP = 4
WRITES_PER_WRITER = 6


@pytest.mark.parametrize("settings", ["postgres"], indirect=True)
def test_concurrent_writers_on_postgres_leave_a_chain_that_verifies(settings: Settings) -> None:
    first, second = bootstrap(settings), bootstrap(settings)
    try:
        shared = first.app.register_organisation(by=None, name="Shared", kind="provider")
        barrier = threading.Barrier(2 * WRITERS_PER_APP, timeout=30)

        def write(app_index: int) -> tuple[int, int]:
            app = (first, second)[app_index % 2].app
            barrier.wait()
            saved = refused = 0
            for i in range(WRITES_PER_WRITER):
                try:
                    if i % 2:
                        # Every writer renames the same organisation: some lose the race
                        # in the database, using up notification ids.
                        app.rename_organisation(
                            by=None,
                            organisation_id=shared.id,
                            name=f"Shared {uuid4().hex[:6]}",
                            expected_version=None,
                        )
                    else:
                        app.register_person(
                            by=None, name="Writer", email=f"w{uuid4().hex[:12]}@example.org"
                        )
                    saved += 1
                except DomainError:
                    refused += 1
            return saved, refused

        with ThreadPoolExecutor(max_workers=2 * WRITERS_PER_APP) as pool:
            results = list(pool.map(write, range(2 * WRITERS_PER_APP), timeout=120))

        verdict = verify(first, batch_size=7)
        positions = RawLog(settings).positions()
    finally:
        first.close()
        second.close()

    assert sum(saved for saved, _ in results) >= WRITERS_PER_APP * WRITES_PER_WRITER
    assert verdict.intact, verdict.finding
    assert verdict.events == len(positions)
    assert verdict.head is not None
    assert verdict.head.notification_id == positions[-1]
