"""The scheduled jobs, by name: what Celery beat runs in production and the in-process loop
runs in the embedded mode (``run_jobs(container)``), and ``changeledger jobs run`` by hand.

Every job is safe to run any number of times, at any time, in any process: it records only
alerts that are not recorded yet (see services/use_cases/alerts.py), so a second run, or two
at once, records nothing more.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import UTC, datetime

from infra.bootstrap import Container
from services.use_cases.alerts import JobResult

__all__ = ["JOBS", "JobResult", "UnknownJob", "describe", "run_jobs"]

log = logging.getLogger("changeledger.jobs")

Job = Callable[[Container, datetime], JobResult]


def detect_overdue_commitments(container: Container, now: datetime) -> JobResult:
    """Alert on open commitments past their due date; clear those delivered, missed,
    withdrawn or renegotiated since."""
    return container.app.detect_overdue_commitments(now=now)


def flag_stale_components(container: Container, now: datetime) -> JobResult:
    """Alert on framework components a programme has not reviewed within its review interval
    (never-reviewed ones once the programme is older than the interval); clear those reviewed
    since."""
    return container.app.flag_stale_components(now=now)


def flag_vacant_critical_roles(container: Container, now: datetime) -> JobResult:
    """Alert on critical roles nobody holds, or whose holder left their organisation; clear
    those filled or no longer critical since."""
    return container.app.flag_vacant_critical_roles(now=now)


#: Every scheduled job, by the name the CLI and the Celery task take.
JOBS: dict[str, Job] = {
    "detect_overdue_commitments": detect_overdue_commitments,
    "flag_stale_components": flag_stale_components,
    "flag_vacant_critical_roles": flag_vacant_critical_roles,
}


class UnknownJob(ValueError):
    def __init__(self, name: str) -> None:
        super().__init__(f"no job named {name!r}; jobs are: {', '.join(JOBS)}")
        self.name = name


def describe(name: str) -> str:
    """What a job does, in one line (from its docstring)."""
    doc = JOBS[name].__doc__ or ""
    return " ".join(doc.split())


def run_jobs(
    container: Container, names: Iterable[str] | None = None, now: datetime | None = None
) -> dict[str, JobResult]:
    """Run the named jobs (all of them by default), judging on ``now`` (default: now, UTC).

    Each job runs even if another fails; the first failure is raised once all have had their
    turn (the next run retries it: nothing is half-recorded).
    """
    chosen = list(JOBS) if names is None else list(names)
    for name in chosen:
        if name not in JOBS:
            raise UnknownJob(name)
    at = now if now is not None else datetime.now(UTC)
    results: dict[str, JobResult] = {}
    failure: Exception | None = None
    for name in chosen:
        try:
            results[name] = JOBS[name](container, at)
        except Exception as exc:
            log.exception("job %s failed; the next run retries it", name)
            failure = failure or exc
            continue
        result = results[name]
        if result.recorded:
            log.info(
                "job %s: %d raised, %d reopened, %d cleared",
                name,
                result.raised,
                result.reopened,
                result.cleared,
            )
    if failure is not None:
        raise failure
    return results
