"""Use cases: the scheduled jobs' detections, recorded as alerts, and their clearing.

Each detection reads the current views (brought up to the head of the log first), works out
which alerts should be open today (alert_findings.py), then records only the differences:
``Raised`` for a new episode, ``Reopened`` for a cleared one that holds again, ``Cleared``
(with what resolved it) for an open one no longer found. Running a detection again, or in
two workers at once, records nothing more: an alert's id derives from its episode's key, so
the event store refuses a second ``Raised`` (or a second change at the same version) and the
loser counts nothing.

Alerts are the platform's records: every event is recorded with no acting person.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError

from domain.actor import acting_as
from domain.alert import Alert, AlertKind, alert_id
from domain.errors import InvalidValue
from domain.framework import DEFAULT_FRAMEWORK_KEY, DEFAULT_REVIEW_INTERVAL_DAYS
from infra.frameworks import builtin_framework
from projections.alerts_queries import (
    COMMITMENT_SQL,
    COMPONENTS_SQL,
    LABELS_SQL,
    OPEN_ALERTS_OF_KIND_SQL,
    OVERDUE_COMMITMENTS_SQL,
    PROGRAMMES_SQL,
    RATINGS_SQL,
    ROLE_SQL,
    SETTINGS_SQL,
    VACANT_CRITICAL_ROLES_SQL,
    alert_row,
)
from projections.store import Row
from services.use_cases.alert_findings import (
    ComponentReview,
    Finding,
    commitment_resolution,
    component_resolution,
    overdue_commitment_findings,
    role_resolution,
    stale_component_findings,
    vacancy_of,
    vacant_role_finding,
)
from services.use_cases.base import LedgerBase


@dataclass(frozen=True)
class JobResult:
    """What one run of a job recorded."""

    raised: int = 0
    reopened: int = 0
    cleared: int = 0

    @property
    def recorded(self) -> int:
        return self.raised + self.reopened + self.cleared


def _today(now: datetime | None) -> date:
    """The UTC date a job judges overdue and stale on."""
    if now is None:
        return datetime.now(UTC).date()
    if now.tzinfo is None or now.utcoffset() is None:
        raise InvalidValue("now", "must include a timezone, e.g. 2026-11-23T10:00:00Z")
    return now.astimezone(UTC).date()


class AlertUseCases(LedgerBase):
    # The three detections

    def detect_overdue_commitments(self, *, now: datetime | None = None) -> JobResult:
        """Alert on each open commitment past its due date; clear those delivered, missed,
        withdrawn or renegotiated since."""
        today = _today(now)
        rows = self._query(OVERDUE_COMMITMENTS_SQL, {"_today": today.isoformat()})

        def resolution(alert: Row) -> str:
            found = self._query(COMMITMENT_SQL, {"id": alert["subject_id"]})
            return commitment_resolution(alert, found[0] if found else None)

        findings = overdue_commitment_findings(rows)
        return self._reconcile(AlertKind.COMMITMENT_OVERDUE, findings, today, resolution)

    def flag_stale_components(self, *, now: datetime | None = None) -> JobResult:
        """Alert on each framework component of a programme not reviewed within the
        programme's review interval; clear those reviewed since."""
        today = _today(now)
        reviews = self._component_reviews()
        by_key = {(r.programme_id, r.component): r for r in reviews}

        def resolution(alert: Row) -> str:
            now_state = by_key.get((alert["programme_id"], alert["subject_id"]))
            return component_resolution(alert, now_state)

        findings = stale_component_findings(reviews, today)
        return self._reconcile(AlertKind.COMPONENT_STALE, findings, today, resolution)

    def flag_vacant_critical_roles(self, *, now: datetime | None = None) -> JobResult:
        """Alert on each critical role nobody holds (or whose holder left); clear those
        filled or no longer critical since."""
        today = _today(now)
        findings = []
        for role in self._query(VACANT_CRITICAL_ROLES_SQL, {}):
            vacancy = vacancy_of(self._events_of(UUID(role["id"])))
            if vacancy is not None:
                findings.append(vacant_role_finding(role, vacancy))

        def resolution(alert: Row) -> str:
            found = self._query(ROLE_SQL, {"id": alert["subject_id"]})
            vacancy = vacancy_of(self._events_of(UUID(alert["subject_id"])))
            return role_resolution(alert, found[0] if found else None, vacancy)

        return self._reconcile(AlertKind.CRITICAL_ROLE_VACANT, findings, today, resolution)

    # Reading

    def alert(self, alert_id: UUID) -> Alert:
        return self._load(Alert, alert_id)

    # Recording the differences

    def _reconcile(
        self,
        kind: AlertKind,
        findings: Iterable[Finding],
        today: date,
        resolution: Callable[[Row], str],
    ) -> JobResult:
        wanted = {alert_id(finding.key): finding for finding in findings}
        raised = reopened = cleared = 0
        with acting_as(None):
            for record_id, finding in wanted.items():
                existing = self._existing_alert(record_id)
                if existing is None:
                    raised += self._record_alert(_raise(finding, today))
                elif not existing.is_open:
                    existing.reopen(finding.summary, today, finding.details)
                    reopened += self._record_alert(existing)
            for row in self._query(OPEN_ALERTS_OF_KIND_SQL, {"kind": kind.value}):
                record_id = UUID(row["id"])
                if record_id in wanted:
                    continue
                alert = self._load(Alert, record_id)
                if not alert.is_open:
                    continue  # cleared by another run since the view was read
                alert.clear(resolution(alert_row(row)))
                cleared += self._record_alert(alert)
        return JobResult(raised=raised, reopened=reopened, cleared=cleared)

    def _record_alert(self, alert: Alert) -> int:
        """Save; 0 if a concurrent run recorded the same change first (nothing is doubled)."""
        try:
            self.save(alert)
        except IntegrityError:
            return 0
        return 1

    def _existing_alert(self, record_id: UUID) -> Alert | None:
        found: Any
        try:
            found = self.repository.get(record_id)
        except AggregateNotFoundError:
            return None
        return found if isinstance(found, Alert) else None

    # What the detections read

    def _events_of(self, record_id: UUID) -> list[Any]:
        return list(self.repository.event_store.get(record_id))

    def _component_reviews(self) -> list[ComponentReview]:
        """Every component of every programme's framework, with its latest review."""
        settings = {row["programme_id"]: row for row in self._query(SETTINGS_SQL, {})}
        labels = {
            (row["programme_id"], row["component"]): row["label"]
            for row in self._query(LABELS_SQL, {})
        }
        latest: dict[tuple[str, str], Row] = {}
        for row in self._query(RATINGS_SQL, {}):
            latest.setdefault((row["programme_id"], row["component"]), row)
        frameworks: dict[str, list[Row]] = {}
        reviews = []
        for programme in self._query(PROGRAMMES_SQL, {}):
            programme_id = programme["id"]
            chosen = settings.get(programme_id)
            key = chosen["framework_key"] if chosen else DEFAULT_FRAMEWORK_KEY
            interval = (
                int(chosen["review_interval_days"]) if chosen else DEFAULT_REVIEW_INTERVAL_DAYS
            )
            if key not in frameworks:
                frameworks[key] = self._framework_components(key)
            for component in frameworks[key]:
                last = latest.get((programme_id, component["key"]))
                reviews.append(
                    ComponentReview(
                        programme_id=programme_id,
                        component=component["key"],
                        label=str(labels.get((programme_id, component["key"]), component["label"])),
                        framework_key=key,
                        review_interval_days=interval,
                        last_review_id=last["review_id"] if last else None,
                        last_reviewed_on=date.fromisoformat(last["held_on"]) if last else None,
                        programme_created_on=date.fromisoformat(programme["created_at"][:10]),
                    )
                )
        return reviews

    def _framework_components(self, key: str) -> list[Row]:
        """A framework version's components in order: registered, or shipped and not yet."""
        registered = self._query(COMPONENTS_SQL, {"f": key})
        if registered:
            return registered
        definition = builtin_framework(key)
        components = definition["components"] if definition is not None else []
        return [{"key": c["key"], "label": c["label"]} for c in components]


def _raise(finding: Finding, today: date) -> Alert:
    return Alert.raise_for(
        kind=finding.kind.value,
        key=finding.key,
        programme_id=UUID(finding.programme_id) if finding.programme_id else None,
        subject_id=finding.subject_id,
        summary=finding.summary,
        detected_on=today,
        details=finding.details,
    )
