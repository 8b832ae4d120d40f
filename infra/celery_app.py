"""Celery wiring: the app factory, its configuration, and the worker's per-process Container.

``celery -A infra.celery_app worker`` and ``celery -A infra.celery_app beat`` load this module.
Loading it only reads settings: nothing connects to Redis or PostgreSQL at import time. Each
worker process builds its own Container after the fork (``worker_process_init``), because
database connection pools must never be shared across a fork.

Messages are only wake-up hints. The projection processor reads the log from its own tracked
position and records the new position in the same transaction as the view rows, so a message
that is lost, repeated, late or expired never loses or doubles data. Beat sends a catch-up
every ``CHANGELEDGER_CATCH_UP_INTERVAL`` seconds to cover any hint that never came.
"""

from __future__ import annotations

import logging
import os
import threading
from typing import Any

from celery import Celery
from celery.signals import beat_init, worker_init, worker_process_init, worker_process_shutdown

from infra.bootstrap import Container, bootstrap
from infra.settings import Settings

log = logging.getLogger("changeledger.celery")

#: The catch-up task's name on the wire; stable whatever module defines it.
CATCH_UP_TASK = "changeledger.catch_up_projections"
#: The queue the tasks go to and the worker consumes, so a shared Redis can't mix them up.
QUEUE = "changeledger"


def create_celery(settings: Settings | None = None) -> Celery:
    """A Celery app configured from settings (``os.environ`` when none are given).

    Reads settings only; connects to nothing.
    """
    settings = Settings.from_env() if settings is None else settings
    interval = settings.background.catch_up_interval
    app = Celery("changeledger", include=["services.tasks"])
    app.conf.update(
        # Empty means the embedded mode; worker and beat refuse to start (see below).
        broker_url=settings.background.redis_url or None,
        broker_connection_retry_on_startup=True,
        task_default_queue=QUEUE,
        task_serializer="json",
        accept_content=["json"],
        # Nobody waits for results: the views are the result.
        task_ignore_result=True,
        result_backend=None,
        # Ack after the task ran, and put the message back if the worker process dies while
        # running it: the task is idempotent, so running it again is always safe.
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        # Cancelling a task on a lost broker connection is safe for the same reason, and is
        # the default Celery 6 announces (setting it also silences Celery 5's warning).
        worker_cancel_long_running_tasks_on_connection_loss=True,
        # One message at a time per process: a catch-up can take long, leave the rest queued.
        worker_prefetch_multiplier=1,
        # Building a process's Container connects to PostgreSQL, which may take up to the
        # connect timeout; Celery's default (4 s) would kill and respawn the process instead.
        worker_proc_alive_timeout=float(2 * settings.database.connect_timeout + 10),
        beat_schedule={
            "catch-up-projections": {
                "task": CATCH_UP_TASK,
                "schedule": interval,
                # Ticks nobody ran in time are superseded by later ones: without an expiry a
                # stopped worker would come back to a pile of identical messages. Generous,
                # so clocks that differ between machines can't expire every tick.
                "options": {"expires": max(60.0, 10 * interval)},
            },
            # The scheduled jobs (services/jobs.py), hourly: overdue and stale are judged by
            # the day, so an hour's delay is harmless. A tick nobody ran within the hour is
            # superseded by the next. The name is services.tasks.RUN_SCHEDULED_JOBS_TASK.
            "run-scheduled-jobs": {
                "task": "changeledger.run_scheduled_jobs",
                "schedule": 3600.0,
                "options": {"expires": 3600.0},
            },
        },
    )
    return app


celery_app = create_celery()


def _check_settings(**_: Any) -> None:
    settings = Settings.from_env()
    if settings.background.embedded:
        # Raised as SystemExit because Celery logs and ignores ordinary exceptions raised by
        # signal handlers, and would then retry a default AMQP broker forever.
        raise SystemExit(
            "CHANGELEDGER_REDIS_URL is not set: Celery workers and beat need Redis. Without it, "
            "'changeledger serve' runs the background work in-process."
        )
    if not settings.database.is_postgres:
        log.warning(
            "the worker is running on SQLite: only one process may write the views; use "
            "PostgreSQL (CHANGELEDGER_DATABASE_URL) with Celery"
        )


# The Container of this process, and the process it was built in.
_container: Container | None = None
_container_pid: int | None = None
_container_lock = threading.Lock()
# Containers inherited across a fork: kept referenced, because collecting one would close
# its pool, and with it connections that belong to the parent process.
_inherited: list[Container] = []


def _build_container(**_: Any) -> None:
    """Build this worker process's Container, once, after the fork."""
    try:
        current_container()
    except Exception:
        # E.g. PostgreSQL is down. Keep the process: each task retries building it.
        log.exception("process %d: can't build the application yet; tasks will retry", os.getpid())


def _close_container(**_: Any) -> None:
    global _container, _container_pid
    with _container_lock:
        if _container is not None and _container_pid == os.getpid():
            _container.close()
        _container, _container_pid = None, None


def current_container() -> Container:
    """This process's Container.

    Built by ``worker_process_init`` in prefork workers. Pools that don't fork (``solo``,
    ``threads``) send no such signal, so it is built on first use instead; that is also the
    retry when building it failed at start-up (e.g. PostgreSQL was down). A Container
    inherited across a fork is never reused.
    """
    global _container, _container_pid
    with _container_lock:
        if _container is None or _container_pid != os.getpid():
            if _container is not None:
                _inherited.append(_container)
            _container = bootstrap(Settings.from_env())
            _container_pid = os.getpid()
            log.info("process %d: application and views ready", _container_pid)
        return _container


# Connected by call rather than as decorators: Celery's decorators are untyped.
worker_init.connect(_check_settings, dispatch_uid="changeledger.check_worker_settings")
beat_init.connect(_check_settings, dispatch_uid="changeledger.check_beat_settings")
worker_process_init.connect(_build_container, dispatch_uid="changeledger.build_container")
worker_process_shutdown.connect(_close_container, dispatch_uid="changeledger.close_container")
