"""Celery tasks. Thin: each one asks this process's Container to do the work.

Every task here is safe to run any number of times, at any time, in any order: messages are
wake-up hints, and the processors read the log from their own tracked positions.
"""

from __future__ import annotations

from celery.utils.log import get_task_logger
from eventsourcing.persistence import OperationalError
from psycopg.errors import LockNotAvailable

from infra.celery_app import CATCH_UP_TASK, celery_app, current_container
from services.jobs import run_jobs

log = get_task_logger(__name__)


def _catch_up_projections() -> int:
    """Bring every view up to the head of the log. Returns how many events were applied."""
    try:
        applied = current_container().catch_up()
    except OperationalError as exc:
        if isinstance(exc.__cause__, LockNotAvailable):
            # Another runner held a projection's lock for longer than the lock timeout: it is
            # catching up now, and the next tick covers anything written after it finishes.
            log.info("a projection is busy in another runner; leaving it to that runner")
            return 0
        raise
    if applied:
        log.info("views caught up by %d events", applied)
    else:
        log.debug("views already at the head of the log")
    return applied


# Registered by call rather than with the (untyped) decorator. Send it by name, CATCH_UP_TASK,
# from processes that shouldn't import this module, or with catch_up_projections.delay().
catch_up_projections = celery_app.task(name=CATCH_UP_TASK)(_catch_up_projections)

#: The scheduled jobs' task name on the wire (beat sends it; see services/jobs.py).
RUN_SCHEDULED_JOBS_TASK = "changeledger.run_scheduled_jobs"


def _run_scheduled_jobs(names: list[str] | None = None) -> dict[str, dict[str, int]]:
    """Run the scheduled jobs (all, or the named ones). Returns what each recorded.

    Safe to repeat and to run in several workers at once: each alert is recorded once.
    """
    try:
        results = run_jobs(current_container(), names)
    except OperationalError as exc:
        if isinstance(exc.__cause__, LockNotAvailable):
            # A view the jobs read was busy in another runner; the next tick runs them again.
            log.info("a projection is busy in another runner; the jobs run again next tick")
            return {}
        raise
    return {
        name: {"raised": r.raised, "reopened": r.reopened, "cleared": r.cleared}
        for name, r in results.items()
    }


run_scheduled_jobs = celery_app.task(name=RUN_SCHEDULED_JOBS_TASK)(_run_scheduled_jobs)
