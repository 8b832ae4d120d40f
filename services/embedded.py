"""The embedded mode's background work: an in-process loop instead of Celery and Redis.

SQLite can't be followed by ``ApplicationSubscription``, so the loop polls the
notification log from each view's tracked position; a write pokes it to run at once. It also
runs the scheduled jobs (services/jobs.py) at start and then every ``JOBS_INTERVAL`` seconds,
as Celery beat does in production.
"""

from __future__ import annotations

import logging
import threading
import time

from infra.bootstrap import Container

log = logging.getLogger("changeledger.background")

#: Seconds between runs of the scheduled jobs (beat's schedule in production).
JOBS_INTERVAL = 3600.0


class EmbeddedBackground:
    def __init__(self, container: Container, *, jobs_interval: float = JOBS_INTERVAL) -> None:
        self.container = container
        self.interval = container.settings.background.catch_up_interval
        self.jobs_interval = jobs_interval
        self._next_jobs = 0.0
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
            if time.monotonic() >= self._next_jobs:
                self._run_jobs()
            self._poked.wait(self.interval)
            self._poked.clear()

    def _run_jobs(self) -> None:
        from services.jobs import run_jobs

        try:
            results = run_jobs(self.container)
        except Exception:
            log.exception("scheduled jobs failed; retrying in %.0fs", self.interval)
            return
        self._next_jobs = time.monotonic() + self.jobs_interval
        for name, result in results.items():
            log.info("job %s: %s", name, result)
        if any(result.recorded for result in results.values()):
            self._poked.set()  # show the alerts just recorded without waiting an interval
