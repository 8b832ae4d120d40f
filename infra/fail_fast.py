"""While PostgreSQL is unreachable, fail at once (503) instead of waiting out every retry.

The library retries each recorder call ten times on ``OperationalError``, and each attempt
waits the pool's timeout for a connection that cannot be made: with PostgreSQL down, one
request hung for ten connect timeouts before its 503 (tests/faults/test_postgres_restart.py
saw more than 15 s). Once an attempt finds the database unreachable (the pool gave no
connection, and a direct connection fails too), the attempts of the next ``cooldown``
seconds fail at once with the same error, which the API answers with 503 and Retry-After.
The first attempt after the cooldown tries for real, so a process recovers by itself.

A pool that is merely busy (the direct connection works) trips nothing: that is load, not
an outage.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager
from typing import Any

import psycopg
from eventsourcing.persistence import InterfaceError, OperationalError
from eventsourcing.postgres import PostgresDatastore

from infra.settings import DatabaseSettings

log = logging.getLogger("changeledger.database")

PROBE_SECONDS = 1


class DatabaseUnreachable(OperationalError):
    """The database did not answer a connection: every other call would wait it out too."""


class FailFast:
    def __init__(self, datastore: PostgresDatastore, url: str, cooldown: float) -> None:
        self._connect: Callable[[], AbstractContextManager[Any]] = datastore.get_connection
        self._url = url
        self.cooldown = cooldown
        self._unreachable_until = 0.0

    @contextmanager
    def get_connection(self) -> Iterator[Any]:
        if time.monotonic() < self._unreachable_until:
            raise DatabaseUnreachable("the database was unreachable moments ago; retry shortly")
        with ExitStack() as stack:
            try:
                connection = stack.enter_context(self._connect())
            except (OperationalError, InterfaceError) as exc:
                if self._reachable():
                    raise
                log.warning("database unreachable; failing fast for %.0fs", self.cooldown)
                self._unreachable_until = time.monotonic() + self.cooldown
                raise DatabaseUnreachable(str(exc)) from exc
            # Errors in the caller's work (a lock timeout, a conflict) pass through untouched.
            yield connection

    def _reachable(self) -> bool:
        try:
            psycopg.connect(self._url, connect_timeout=PROBE_SECONDS).close()
        except psycopg.Error:
            return False
        return True


def fail_fast_while_unreachable(datastore: PostgresDatastore, settings: DatabaseSettings) -> None:
    """Route the datastore's connections (events and views alike) through ``FailFast``.

    The cooldown outlasts the library's retries of one call (about 2 s), so a request meets
    at most one real attempt per call while the database is down.
    """
    cooldown = max(3.0, float(settings.connect_timeout))
    guard = FailFast(datastore, settings.url, cooldown)
    # The datastore's transaction() and cursor() go through get_connection().
    datastore.get_connection = guard.get_connection  # type: ignore[method-assign]
