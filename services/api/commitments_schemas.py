"""Request and response bodies for commitments. Unknown request fields are refused."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

import msgspec
from msgspec import Meta

from domain.commitment import CONTRACT_LEVERS
from services.api.schemas import DateTimeText, Input, Page, Text

# Dates arrive as text and are parsed by ``parse_date``, so a bad one is a 422 naming its field.
DateText = Annotated[
    str, Meta(extra_json_schema={"extra": {"format": "date"}}, examples=["2026-12-31"])
]
ContractLever = Annotated[
    str,
    Meta(
        description=(
            "The contract lever the commitment is tied to. An open vocabulary: "
            + ", ".join(CONTRACT_LEVERS)
            + " are stored in that spelling whatever the letter case; any other short text"
            " (up to 200 characters) is kept as given."
        ),
        examples=["CQUIN", "KPI"],
        extra_json_schema={"extra": {"maxLength": 200}},
    ),
]
Percent = Annotated[
    int,
    Meta(
        description="How complete, from 0 to 100 (anything else is refused with 422).",
        extra_json_schema={"extra": {"minimum": 0, "maximum": 100}},
        examples=[40],
    ),
]

Confidential = Annotated[
    bool,
    Meta(
        description=(
            "true: the note, reason or evidence is for the provider and the commissioner only;"
            " anyone else reading the commitment sees that it exists and its status, without"
            " this text."
        )
    ),
]
#: Where text may be withheld from a reader who is neither side (``confidential`` is true).
WithheldText = Annotated[
    str | None,
    Meta(description="Null when it is confidential and the reader is neither side."),
]


class CommitmentCreate(Input):
    provider_id: UUID
    commissioner_id: UUID
    #: What the provider commits to deliver.
    what: Annotated[Text, Meta(examples=["Ambulance handovers within 30 minutes"])]
    #: How delivery will be measured.
    measure: Annotated[Text, Meta(examples=["95% of handovers under 30 minutes, monthly"])]
    due_date: DateText
    contract_lever: ContractLever | None = None
    programme_id: UUID | None = None
    decision_id: UUID | None = None
    #: When the commitment was made; defaults to now and may not lie in the future.
    occurred_at: DateTimeText | None = None


class CommitmentProgress(Input):
    percent: Percent
    note: Text
    confidential: Confidential = False


class CommitmentReason(Input):
    reason: Text
    confidential: Confidential = False


class CommitmentDelivery(Input):
    evidence: Text
    #: When it was delivered; defaults to now and may not lie in the future.
    occurred_at: DateTimeText | None = None
    confidential: Confidential = False


class CommitmentRenegotiation(Input):
    new_due_date: DateText
    reason: Text
    confidential: Confidential = False


class DueDateEntry(msgspec.Struct, kw_only=True):
    due_date: str
    previous_due_date: str | None
    reason: WithheldText
    #: The reason is for the provider and the commissioner only.
    confidential: bool
    version: int
    recorded_at: str
    actor_id: UUID | None


class ProgressEntry(msgspec.Struct, kw_only=True):
    percent: int
    note: WithheldText
    #: The note is for the provider and the commissioner only.
    confidential: bool
    version: int
    recorded_at: str
    actor_id: UUID | None


class StatusEntry(msgspec.Struct, kw_only=True):
    status: str
    #: The side that made the change; null when the platform itself flagged a risk.
    party: str | None
    #: The reason, or the evidence of delivery.
    note: WithheldText
    #: The note is for the provider and the commissioner only.
    confidential: bool
    #: When it happened in the world (making and delivering), as the client said.
    occurred_at: str | None
    version: int
    recorded_at: str
    actor_id: UUID | None


class CarryOverEntry(msgspec.Struct, kw_only=True):
    role: str
    from_organisation_id: UUID
    to_organisation_id: UUID
    version: int
    recorded_at: str
    actor_id: UUID | None


class CommitmentSummary(msgspec.Struct, kw_only=True):
    """A commitment as the tracker lists it."""

    id: UUID
    provider_id: UUID
    commissioner_id: UUID
    programme_id: UUID | None
    decision_id: UUID | None
    what: str
    measure: str
    contract_lever: str | None
    status: str
    #: Why it has its status: the reason, or the evidence of delivery.
    status_note: WithheldText
    #: The status note is for the provider and the commissioner only.
    status_note_confidential: bool
    open: bool
    #: Open and due before today (derived at read time, never stored).
    overdue: bool
    days_overdue: int | None
    due_date: str
    original_due_date: str
    renegotiation_count: int
    percent_complete: int | None
    made_at: str
    accepted_at: str | None
    delivered_on: str | None
    #: Delivered on or before the due date in force (null until delivered).
    delivered_on_time: bool | None
    #: When it was recorded as delivered, missed or withdrawn.
    closed_at: str | None
    version: int
    created_at: str
    updated_at: str


class Commitment(CommitmentSummary, kw_only=True):
    """One commitment with its full history of due dates, progress and statuses."""

    #: The date ``overdue`` was worked out for: today, or the date of ``as_of``.
    overdue_on: str
    due_dates: list[DueDateEntry]
    progress: list[ProgressEntry]
    statuses: list[StatusEntry]
    carried_over: list[CarryOverEntry]


class CommitmentPage(Page):
    items: list[CommitmentSummary]
