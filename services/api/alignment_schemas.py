"""Response bodies of the alignment dashboard (rules in docs/reports/alignment.md)."""

from __future__ import annotations

from typing import Annotated, Literal
from uuid import UUID

import msgspec
from msgspec import Meta

Trend = Literal["improving", "declining", "steady", "first"]
Side = Literal["soft", "hard"]
Share = Annotated[
    float,
    Meta(ge=0, le=1, description="A fraction from 0 to 1, rounded to two places.", examples=[0.67]),
]
DateText = Annotated[
    str, Meta(extra_json_schema={"extra": {"format": "date"}}, examples=["2026-11-23"])
]


class AlignmentComponent(msgspec.Struct):
    """One component of the programme's framework, as its reviews and decisions leave it."""

    key: str
    #: The programme's own label when it set one, else the framework's.
    label: str
    side: Annotated[str, Meta(examples=["hard"], description="centre, soft or hard")]
    latest_rating: int | None
    previous_rating: int | None
    trend: Annotated[
        Trend | None,
        Meta(description="Latest against the previous rating by review date; null if none."),
    ]
    last_reviewed_on: Annotated[
        DateText | None, Meta(description="The latest review's date (when it was held).")
    ]
    evidenced: Annotated[bool, Meta(description="The latest rating came with evidence or actions.")]
    open_actions: Annotated[
        int, Meta(description="Actions from the programme's reviews not yet completed.")
    ]
    reviewed: bool
    stale: Annotated[bool, Meta(description="Last reviewed longer ago than the interval.")]
    weak: Annotated[bool, Meta(description="Latest rating unevidenced, or 2 or lower.")]
    decision_count: Annotated[
        int, Meta(description="Decisions touching it, other than withdrawn or revoked ones.")
    ]


class SideBalance(msgspec.Struct):
    components: int
    reviewed: int
    reviewed_within_interval: int
    mean_latest_rating: float | None
    #: Counted decisions touching at least one component of this side.
    decisions: int


class Balance(msgspec.Struct):
    soft: SideBalance
    hard: SideBalance
    neglected_side: Annotated[
        Side | None,
        Meta(
            description=(
                "The side with under half its components reviewed within the interval,"
                " when the other side has more; null when neither."
            )
        ),
    ]


class TunnelVision(msgspec.Struct):
    flag: Annotated[
        bool,
        Meta(
            description=(
                "At least 3 decisions touch components and at least 60% of them touch"
                " nothing outside the same two components."
            )
        ),
    ]
    decisions: int
    share: Share | None
    concentrated_on: list[str]
    without_decisions: list[str]


class OrganisationRef(msgspec.Struct):
    organisation_id: UUID
    name: str


class Dispute(msgspec.Struct):
    organisation_id: UUID
    name: str
    reason: str | None


class SharedPurposeAlignment(msgspec.Struct):
    """Participating organisations' positions on the current text (all null if none)."""

    statement_id: UUID | None
    version: int | None
    text: str | None
    participants: int
    endorsing: int
    endorsement_share: Share | None
    disputes: list[Dispute]
    not_responded: list[OrganisationRef]


class AlignmentDashboard(msgspec.Struct):
    programme_id: UUID
    title: str
    as_of: Annotated[str | None, Meta(description="The recorded time read as of; null: read now.")]
    today: Annotated[DateText, Meta(description="The date stale is judged on.")]
    framework_key: str
    review_interval_days: int
    components: list[AlignmentComponent]
    never_reviewed: list[str]
    stale: list[str]
    weak: list[str]
    balance: Balance
    tunnel_vision: TunnelVision
    shared_purpose: SharedPurposeAlignment
    summary: Annotated[str, Meta(description="One line for the board chair.")]
