"""Wake-up hints from the API to the Celery workers, sent off the request path.

A write pokes the waker; a background thread sends at most one catch-up message per
``COALESCE_SECONDS``, however many writes poked it meanwhile. A message that can't be sent
(Redis down) is dropped with a warning: messages are only hints, the workers read the log
from their own positions, and beat's periodic catch-up covers any hint that never came.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from infra.settings import Settings

log = logging.getLogger("changeledger.wakeups")

COALESCE_SECONDS = 0.02
#: A hint nobody picked up within this long is superseded by later ones.
EXPIRES_SECONDS = 60.0


class CeleryWaker:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._poked = threading.Event()
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name="changeledger-wakeups", daemon=True)
        self._celery: Any = None
        self._failing = False

    def start(self) -> CeleryWaker:
        self._thread.start()
        return self

    def poke(self) -> None:
        self._poked.set()

    def stop(self) -> None:
        self._stopped.set()
        self._poked.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        while not self._stopped.is_set():
            self._poked.wait()
            if self._stopped.is_set():
                return
            self._poked.clear()
            self._send()
            time.sleep(COALESCE_SECONDS)

    def _send(self) -> None:
        from infra.celery_app import CATCH_UP_TASK, create_celery

        try:
            if self._celery is None:
                self._celery = create_celery(self.settings)
            self._celery.send_task(CATCH_UP_TASK, expires=EXPIRES_SECONDS, retry=False)
        except Exception as exc:
            if not self._failing:
                log.warning("can't wake the workers (%s); beat's periodic catch-up covers it", exc)
            self._failing = True
        else:
            if self._failing:
                log.info("wake-ups reach the workers again")
            self._failing = False
