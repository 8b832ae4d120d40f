"""The embedded mode's background work: an in-process loop instead of Celery and Redis.

SQLite can't be followed by ``ApplicationSubscription``, so the loop polls the
notification log from each view's tracked position.
"""

from __future__ import annotations

import logging
import threading

from infra.bootstrap import Container

log = logging.getLogger("changeledger.background")


class EmbeddedBackground:
    def __init__(self, container: Container) -> None:
        self.container = container
        self.interval = container.settings.background.catch_up_interval
        self._stop = threading.Event()
        self._poked = threading.Event()
        self._thread = threading.Thread(target=self._run, name="changeledger-catch-up", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def poke(self) -> None:
        """Catch up now rather than at the next interval (a write just landed)."""
        self._poked.set()

    def stop(self) -> None:
        self._stop.set()
        self._poked.set()
        self._thread.join(timeout=10)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                applied = self.container.catch_up()
                if applied:
                    log.info("views caught up by %d events", applied)
            except Exception:
                # Keep looping: the next pass retries from each view's tracked position.
                log.exception("catch-up failed; retrying in %.0fs", self.interval)
            self._poked.wait(self.interval)
            self._poked.clear()
