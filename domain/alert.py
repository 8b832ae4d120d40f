"""Alerts: what the scheduled jobs found needing attention, recorded as events.

A job (services/jobs.py) judges the current state against today: a commitment past its due
date, a component not reviewed within the programme's interval, a critical role nobody
holds. What it finds is recorded, not computed on every read, so the board can see when the
platform first saw a problem and when it went away, and every view stays rebuildable from
the log.

One alert per *episode* of a condition. Its id derives from a key that names the episode
(e.g. ``commitment_overdue:{commitment_id}:{due_date}``), so two runs of a job, or two
workers running it at once, find the same alert instead of raising a second one: the event
store refuses the second ``Raised`` atomically, whatever process tries.

- ``Raised``: the job saw the condition for the first time.
- ``Cleared``: the condition no longer holds (delivered, reviewed since, role filled ...).
- ``Reopened``: the same episode holds again after clearing (e.g. a role marked critical
  again while still vacant); the alert's history keeps both.

Alerts are the platform's own records: their events carry no acting person.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import event

from domain.base import LedgerAggregate
from domain.errors import InvalidValue, RuleViolation
from domain.values import NAME_MAX, TEXT_MAX, check_choice, check_text


class AlertKind(StrEnum):
    COMMITMENT_OVERDUE = "commitment_overdue"
    COMPONENT_STALE = "component_stale"
    CRITICAL_ROLE_VACANT = "critical_role_vacant"


class SubjectKind(StrEnum):
    """What an alert is about; ``subject_id`` is its id, or the component's key."""

    COMMITMENT = "commitment"
    COMPONENT = "component"
    ROLE = "role"


#: The kind of subject each kind of alert is about.
SUBJECT_OF: dict[AlertKind, SubjectKind] = {
    AlertKind.COMMITMENT_OVERDUE: SubjectKind.COMMITMENT,
    AlertKind.COMPONENT_STALE: SubjectKind.COMPONENT,
    AlertKind.CRITICAL_ROLE_VACANT: SubjectKind.ROLE,
}


def alert_id(key: str) -> UUID:
    """The id of the alert for one episode of a condition, the same in every process."""
    return uuid5(NAMESPACE_URL, f"changeledger:alert:{key}")


def check_key(kind: AlertKind, key: str) -> str:
    cleaned = check_text("key", key, max_length=NAME_MAX)
    if not cleaned.startswith(f"{kind.value}:"):
        raise InvalidValue("key", f"must start with the alert's kind, '{kind.value}:'")
    return cleaned


def check_detected_on(value: date) -> date:
    if not isinstance(value, date):
        raise InvalidValue("detected_on", "must be a calendar date")
    return value


class Alert(LedgerAggregate):
    RECORD_KIND = "alert"

    @staticmethod
    def create_id(key: str) -> UUID:
        return alert_id(key)

    @classmethod
    def raise_for(
        cls,
        *,
        kind: str,
        key: str,
        programme_id: UUID | None,
        subject_id: str,
        summary: str,
        detected_on: date,
        details: dict[str, Any] | None = None,
    ) -> Alert:
        """A new alert for one episode of a condition, seen by a job on ``detected_on``."""
        chosen = check_choice("kind", kind, AlertKind)
        return cls(
            key=check_key(chosen, key),
            kind=chosen.value,
            programme_id=programme_id,
            subject_kind=SUBJECT_OF[chosen].value,
            subject_id=check_text("subject_id", subject_id, max_length=NAME_MAX),
            summary=check_text("summary", summary, max_length=TEXT_MAX),
            detected_on=check_detected_on(detected_on).isoformat(),
            details=dict(details or {}),
        )

    @event("Raised")
    def __init__(
        self,
        key: str,
        kind: str,
        programme_id: UUID | None,
        subject_kind: str,
        subject_id: str,
        summary: str,
        detected_on: str,
        details: dict[str, Any],
    ) -> None:
        self.key = key
        self.kind = AlertKind(kind)
        self.programme_id = programme_id
        self.subject_kind = SubjectKind(subject_kind)
        self.subject_id = subject_id
        self.summary = summary
        self.detected_on = date.fromisoformat(detected_on)
        self.details = details
        self.is_open = True
        self.cleared_reason: str | None = None
        self.times_reopened = 0

    # Clearing

    def check_clear(self) -> None:
        if not self.is_open:
            raise RuleViolation(f"this alert was already cleared ({self.cleared_reason})")

    def clear(self, reason: str) -> None:
        """The condition no longer holds; ``reason`` says what resolved it."""
        reason = check_text("reason", reason, max_length=TEXT_MAX)
        self.check_clear()
        self._cleared(reason=reason)

    @event("Cleared")
    def _cleared(self, reason: str) -> None:
        self.is_open = False
        self.cleared_reason = reason

    # Reopening

    def check_reopen(self) -> None:
        if self.is_open:
            raise RuleViolation("this alert is open; only a cleared alert can be reopened")

    def reopen(
        self, summary: str, detected_on: date, details: dict[str, Any] | None = None
    ) -> None:
        """The same episode holds again: e.g. a vacant role was marked critical again."""
        summary = check_text("summary", summary, max_length=TEXT_MAX)
        detected = check_detected_on(detected_on)
        self.check_reopen()
        self._reopened(
            summary=summary, detected_on=detected.isoformat(), details=dict(details or {})
        )

    @event("Reopened")
    def _reopened(self, summary: str, detected_on: str, details: dict[str, Any]) -> None:
        self.is_open = True
        self.cleared_reason = None
        self.summary = summary
        self.detected_on = date.fromisoformat(detected_on)
        self.details = details
        self.times_reopened += 1
