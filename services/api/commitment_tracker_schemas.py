"""Response bodies of the commitment tracker (docs/reports/commitment-tracker.md)."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

import msgspec
from msgspec import Meta

from services.api.schemas import Page

TrackerStatusText = Annotated[
    str,
    Meta(
        description=(
            "due, at_risk, overdue, renegotiated (open); delivered, missed, withdrawn (closed)."
            " Overdue wins over every open status: open and due before today."
        ),
        examples=["overdue"],
    ),
]
Rate = Annotated[
    float | None,
    Meta(description="A fraction from 0 to 1 (4 decimals); null with nothing delivered or missed."),
]


class TrackedCommitment(msgspec.Struct, kw_only=True):
    """One commitment as the tracker shows it at the moment read."""

    id: UUID
    what: str
    programme_id: UUID | None
    provider_id: UUID
    provider_name: str | None
    commissioner_id: UUID
    commissioner_name: str | None
    contract_lever: str | None
    #: The recorded status (proposed, accepted, at_risk, renegotiated, delivered, ...).
    status: str
    tracker_status: TrackerStatusText
    open: bool
    due_date: str
    original_due_date: str
    renegotiation_count: int
    percent_complete: int | None
    #: Days past the due date, for an overdue one.
    days_overdue: int | None
    #: Days left until the due date (0: due today), for an open one not overdue.
    days_until_due: int | None
    made_at: str
    delivered_on: str | None
    #: Delivered on or before the due date in force then (a renegotiated one counts).
    delivered_on_time: bool | None
    #: When it was recorded as delivered, missed or withdrawn.
    closed_at: str | None


class StatusTotals(msgspec.Struct, kw_only=True):
    due: int
    at_risk: int
    overdue: int
    renegotiated: int
    delivered: int
    missed: int
    withdrawn: int
    open: int
    closed: int
    total: int


class Delivery(msgspec.Struct, kw_only=True):
    """On-time delivery over the commitments closed as delivered or missed."""

    delivered: int
    missed: int
    #: Delivered by the due date in force when delivered (renegotiated dates count).
    delivered_on_time: int
    on_time_rate: Rate
    #: Delivered by the date first committed to, whatever was renegotiated since.
    delivered_by_original_date: int
    on_time_rate_by_original_date: Rate


class Renegotiations(msgspec.Struct, kw_only=True):
    #: Due-date changes agreed, summed over the commitments.
    total: int
    #: Commitments renegotiated at least once.
    commitments: int


class DueSoon(msgspec.Struct, kw_only=True):
    """Open commitments due from today up to 30 days ahead, both days included."""

    from_date: str
    to_date: str
    count: int


class Counterpart(msgspec.Struct, kw_only=True):
    """An organisation on the other side, and how its commitments with this one stand."""

    organisation_id: UUID
    name: str | None
    totals: StatusTotals
    delivery: Delivery
    renegotiations: Renegotiations
    due_next_30_days: int


class CommitmentTracker(Page):
    """The tracker for one organisation on one side; ``items`` is the requested page."""

    organisation_id: UUID
    organisation_name: str | None
    #: commissioner: commitments made to it, by provider; provider: those it made.
    side: str
    programme_id: UUID | None
    #: The recorded time read as of, or null for now.
    as_of: str | None
    #: The date overdue and due-soon are judged on.
    today: str
    totals: StatusTotals
    delivery: Delivery
    renegotiations: Renegotiations
    due_next_30_days: DueSoon
    #: Per provider (for a commissioner) or per commissioner (for a provider), by name.
    counterparts: list[Counterpart]
    items: list[TrackedCommitment]
