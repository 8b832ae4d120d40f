"""Check a pooled PostgreSQL connection before use only if it has been idle a while.

Checking every connection before every use (the library's POSTGRES_PRE_PING) costs one round
trip per checkout, and a request checks out several: it cut the write path's throughput by
about a third here (docs/performance.md, "Write path"). A connection that was in use a moment
ago is alive unless the server went away in that moment, and then the request fails and is
retried like any other failure in flight; one that sat idle (after a quiet spell or a database
restart) is checked first, so a restart does not fail the first requests after it.
"""

from __future__ import annotations

import threading
import time
import weakref
from typing import Any

from psycopg_pool import ConnectionPool

#: A connection idle for longer than this is checked before it is handed out.
IDLE_SECONDS = 1.0


class CheckAfterIdle:
    """The pool's ``check`` and ``reset`` callbacks, noting when each connection came back."""

    def __init__(self, pool: ConnectionPool[Any], idle_seconds: float = IDLE_SECONDS) -> None:
        self.pool = pool
        self.idle_seconds = idle_seconds
        self.checks = 0
        self._returned: weakref.WeakKeyDictionary[Any, float] = weakref.WeakKeyDictionary()
        self._sweeping = threading.Lock()

    def check(self, conn: Any) -> None:
        returned = self._returned.get(conn)
        if returned is not None and time.monotonic() - returned <= self.idle_seconds:
            return
        self.checks += 1
        try:
            ConnectionPool.check_connection(conn)
        except Exception:
            # Its idle neighbours are likely dead too (a restart ends them all): replace them
            # now, rather than one per second as the pool's retry back-off would.
            threading.Thread(target=self._sweep, daemon=True).start()
            raise

    def _sweep(self) -> None:
        if self._sweeping.acquire(blocking=False):
            try:
                self.pool.check()
            except Exception:  # noqa: S110 - the pool keeps replacing on its own
                pass
            finally:
                self._sweeping.release()

    def reset(self, conn: Any) -> None:
        self._returned[conn] = time.monotonic()


def check_after_idle(
    pool: ConnectionPool[Any], idle_seconds: float = IDLE_SECONDS
) -> CheckAfterIdle:
    """Install the callbacks on an open pool (the library builds the pool, so this is after)."""
    checker = CheckAfterIdle(pool, idle_seconds)
    if pool._reset is not None:  # never set by eventsourcing 9.5; refuse to drop one silently
        raise RuntimeError("the pool already has a reset callback")
    pool._check = checker.check
    pool._reset = checker.reset
    return checker
