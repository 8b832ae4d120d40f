"""One poll of the views' positions for every request of a process that waits on them.

A write answered from the views waits until every view includes it (ADR 8). When each waiting
request polled the positions itself, every 10 ms, sixteen waiting requests made 1,600 queries
a second and kept PostgreSQL busier than the writes did (docs/performance.md, "Write path").
Here at most one thread polls at a time, at most once per interval, and every waiter reads
that result.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

#: Seconds between polls while anybody waits.
POLL_INTERVAL = 0.01


class ViewWatch:
    def __init__(self, read_position: Callable[[], int], interval: float = POLL_INTERVAL) -> None:
        self._read_position = read_position
        self._interval = interval
        self._changed = threading.Condition()
        self._position = -1
        self._polled_at = float("-inf")
        self._polling = False
        #: Polls made (for tests).
        self.polls = 0

    def wait(self, position: int, deadline: float) -> bool:
        """True once a poll finds every view at ``position`` or later; False at ``deadline``."""
        with self._changed:
            while self._position < position:
                now = time.monotonic()
                if now >= deadline:
                    return False
                if self._polling:
                    # Another thread is reading; it wakes everyone when it has the result.
                    self._changed.wait(deadline - now)
                elif now < self._polled_at + self._interval:
                    self._changed.wait(min(deadline, self._polled_at + self._interval) - now)
                else:
                    self._poll()
        return True

    def _poll(self) -> None:
        """Read the positions with the lock released, then tell every waiter. Lock held."""
        self._polling = True
        self._changed.release()
        try:
            found = self._read_position()
        finally:
            self._changed.acquire()
            self._polling = False
            self._polled_at = time.monotonic()
            self.polls += 1
            self._changed.notify_all()
        self._position = found
