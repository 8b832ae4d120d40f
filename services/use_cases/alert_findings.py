"""What each scheduled job looks for, as plain functions of view rows and dates.

Each ``*_findings`` function turns the current state into the alerts that should be open
today (``Finding``); each ``*_resolution`` says, for an open alert that is no longer found,
what resolved it (the ``Cleared`` event's reason). The use cases (alerts.py) read the rows
and record the differences.

The key of a finding names one *episode* of its condition, so it stays the same from run to
run while the condition lasts, and a new episode (a new due date, a newer review, a later
vacancy) is a new alert:

- ``commitment_overdue:{commitment_id}:{due_date}``
- ``component_stale:{programme_id}:{component}:{last_review_id or 'never'}``
- ``critical_role_vacant:{role_id}:{version of the event that left it vacant}``
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from domain.alert import AlertKind
from domain.commitment import OPEN_STATUSES
from projections.store import Row

#: How much of a commitment's "what" a summary quotes.
QUOTE_MAX = 120


@dataclass(frozen=True)
class Finding:
    kind: AlertKind
    key: str
    programme_id: str | None
    subject_id: str
    summary: str
    details: dict[str, Any] = field(default_factory=dict)


def _quote(text: str) -> str:
    return text if len(text) <= QUOTE_MAX else text[: QUOTE_MAX - 1] + "…"


# Overdue commitments


def overdue_commitment_findings(rows: Iterable[Row]) -> list[Finding]:
    """One per open commitment due before today (rows: the commitments view's overdue rows)."""
    return [
        Finding(
            kind=AlertKind.COMMITMENT_OVERDUE,
            key=f"{AlertKind.COMMITMENT_OVERDUE.value}:{row['id']}:{row['due_date']}",
            programme_id=row["programme_id"],
            subject_id=row["id"],
            summary=(
                f"Commitment '{_quote(row['what'])}' was due on {row['due_date']}"
                f" and is still {row['status']}"
            ),
            details={
                "due_date": row["due_date"],
                "status": row["status"],
                "provider_id": row["provider_id"],
                "commissioner_id": row["commissioner_id"],
            },
        )
        for row in rows
    ]


def commitment_resolution(alert: Row, commitment: Row | None) -> str:
    if commitment is None:
        return "the commitment is no longer in the commitments view"
    if commitment["status"] not in OPEN_STATUSES:
        return f"the commitment was {commitment['status']}"
    if commitment["due_date"] != alert["details"].get("due_date"):
        return f"its due date was renegotiated to {commitment['due_date']}"
    return "it is no longer overdue"


# Stale components


@dataclass(frozen=True)
class ComponentReview:
    """Where one component of a programme stands against the programme's review interval."""

    programme_id: str
    component: str
    label: str
    framework_key: str
    review_interval_days: int
    #: The latest review that rated it (by the date held), or None if never rated.
    last_review_id: str | None
    last_reviewed_on: date | None
    #: The day the programme was created, the basis for a component never reviewed.
    programme_created_on: date

    @property
    def review_due_on(self) -> date:
        basis = self.last_reviewed_on or self.programme_created_on
        return basis + timedelta(days=self.review_interval_days)

    def is_stale(self, today: date) -> bool:
        """More than the interval has passed since it was reviewed (or the programme began)."""
        return today > self.review_due_on

    @property
    def key(self) -> str:
        episode = self.last_review_id or "never"
        return f"{AlertKind.COMPONENT_STALE.value}:{self.programme_id}:{self.component}:{episode}"


def stale_component_findings(reviews: Iterable[ComponentReview], today: date) -> list[Finding]:
    findings = []
    for review in reviews:
        if not review.is_stale(today):
            continue
        if review.last_reviewed_on is None:
            summary = (
                f"'{review.label}' has never been reviewed, and the programme began more than"
                f" {review.review_interval_days} days ago (review due by {review.review_due_on})"
            )
        else:
            summary = (
                f"'{review.label}' was last reviewed on {review.last_reviewed_on}, more than"
                f" {review.review_interval_days} days ago (review due by {review.review_due_on})"
            )
        findings.append(
            Finding(
                kind=AlertKind.COMPONENT_STALE,
                key=review.key,
                programme_id=review.programme_id,
                subject_id=review.component,
                summary=summary,
                details={
                    "component": review.component,
                    "label": review.label,
                    "framework_key": review.framework_key,
                    "review_interval_days": review.review_interval_days,
                    "last_review_id": review.last_review_id,
                    "last_reviewed_on": _date_text(review.last_reviewed_on),
                    "review_due_on": review.review_due_on.isoformat(),
                },
            )
        )
    return findings


def component_resolution(alert: Row, now: ComponentReview | None) -> str:
    details = alert["details"]
    if now is None:
        return f"the programme's framework no longer has the component '{details.get('component')}'"
    if now.last_review_id != details.get("last_review_id"):
        return f"reviewed since: last reviewed on {now.last_reviewed_on}"
    return (
        f"the review interval is now {now.review_interval_days} days, so a review is due by"
        f" {now.review_due_on}"
    )


def _date_text(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


# Vacant critical roles

NO_HOLDER = "no_holder"
HOLDER_LEFT = "holder_left"


@dataclass(frozen=True)
class Vacancy:
    """Since when a role has been without a holder who is still around."""

    #: The version of the event that left it vacant (Defined, Vacated, or the holder's flag).
    since_version: int
    since: datetime
    reason: str


def vacancy_of(events: Iterable[Any]) -> Vacancy | None:
    """The role's current vacancy, from its events; None while someone holds it.

    A role is vacant from its definition until assigned, and from being vacated until
    assigned again. A holder who left their organisation (flagged for handover) leaves it
    vacant in effect until it is assigned or handed over, though the record still names them.
    """
    vacancy: Vacancy | None = None
    for event in events:
        name = type(event).__name__
        if name in ("Defined", "Vacated"):
            vacancy = Vacancy(event.originator_version, event.timestamp, NO_HOLDER)
        elif name in ("Assigned", "HandedOver"):
            vacancy = None
        elif name == "HandoverFlagged" and event.position == "holder" and vacancy is None:
            vacancy = Vacancy(event.originator_version, event.timestamp, HOLDER_LEFT)
    return vacancy


def vacant_role_finding(role: Row, vacancy: Vacancy) -> Finding:
    """The alert for a critical role (a roles-view row) in its current vacancy."""
    since = vacancy.since.date().isoformat()
    if vacancy.reason == HOLDER_LEFT:
        summary = (
            f"Critical role '{role['title']}': its holder left their organisation on {since}"
            " and nobody has taken the role over"
        )
    else:
        summary = f"Critical role '{role['title']}' has had no holder since {since}"
    return Finding(
        kind=AlertKind.CRITICAL_ROLE_VACANT,
        key=f"{AlertKind.CRITICAL_ROLE_VACANT.value}:{role['id']}:{vacancy.since_version}",
        programme_id=role["programme_id"],
        subject_id=role["id"],
        summary=summary,
        details={
            "role_title": role["title"],
            "role_kind": role["kind"],
            "reason": vacancy.reason,
            "vacant_since": since,
            "vacant_since_version": vacancy.since_version,
        },
    )


def role_resolution(alert: Row, role: Row | None, vacancy: Vacancy | None) -> str:
    if role is None:
        return "the role is no longer in the roles view"
    if not role["critical"]:
        return "the role is no longer marked critical"
    if vacancy is None:
        return "the role is held again"
    return (
        f"the role changed hands since; its current vacancy (since {vacancy.since.date()})"
        " has its own alert"
    )
