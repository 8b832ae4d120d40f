"""Request and response bodies for shared-purpose statements."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

import msgspec
from msgspec import Meta

from services.api.schemas import DateTimeText, Input, Page, Text

#: A statement's version number, as read from it (the first version is 1).
VersionNumber = Annotated[int, Meta(ge=1, examples=[1])]
StatementText = Annotated[
    Text, Meta(min_length=1, examples=["One front door for urgent care, for everyone"])
]


class StatementDraft(Input):
    text: StatementText
    #: When it was drafted in the world; defaults to now and may not lie in the future.
    occurred_at: DateTimeText | None = None


class StatementRevision(Input):
    text: StatementText
    occurred_at: DateTimeText | None = None


class EndorsementCreate(Input):
    organisation_id: UUID
    #: The version being endorsed; if it is no longer current the endorsement is refused.
    version: VersionNumber
    occurred_at: DateTimeText | None = None


class DisputeCreate(Input):
    organisation_id: UUID
    version: VersionNumber
    reason: Annotated[Text, Meta(examples=["It leaves out mental health crisis care"])]
    occurred_at: DateTimeText | None = None


class AdoptionCreate(Input):
    version: VersionNumber
    #: Required when any participating organisation disputes the version.
    rationale: Annotated[
        Text, Meta(examples=["Adopted over the trust's dispute: the ICB must meet the deadline"])
    ] = ""
    occurred_at: DateTimeText | None = None


class StatementVersion(msgspec.Struct, kw_only=True):
    number: int
    text: str
    drafted_by: UUID | None
    occurred_at: str
    recorded_at: str
    #: When the next version was recorded; null for the current version.
    superseded_at: str | None
    current: bool
    adopted: bool


class PositionView(msgspec.Struct, kw_only=True):
    organisation_id: UUID
    #: The organisation's role in the programme; null if it no longer participates.
    role: str | None
    #: endorsed, disputed, or none.
    position: str
    reason: str | None
    person_id: UUID | None
    carried_from: UUID | None
    occurred_at: str | None
    recorded_at: str | None


class AdoptionView(msgspec.Struct, kw_only=True):
    version: int
    rationale: str
    over_disputes: bool
    endorsed_by: list[UUID]
    disputed_by: list[UUID]
    adopted_by: UUID | None
    occurred_at: str
    recorded_at: str


class SharedPurpose(msgspec.Struct, kw_only=True):
    id: UUID
    programme_id: UUID
    current_version: StatementVersion
    #: Every participating organisation's position on the current version.
    positions: list[PositionView]
    #: Participating organisations that do not endorse the current version.
    not_aligned: list[PositionView]
    aligned: bool
    version_count: int
    #: Every adoption, oldest first.
    adoptions: list[AdoptionView]
    version: int
    created_at: str
    updated_at: str


class SharedPurposeVersion(msgspec.Struct, kw_only=True):
    id: UUID
    programme_id: UUID
    statement_version: StatementVersion
    #: Each organisation's latest position on this version.
    positions: list[PositionView]
    #: Every position taken on this version, oldest first: changes of mind are kept.
    position_history: list[PositionView]
    adoption: AdoptionView | None
    version: int


class SharedPurposeSummary(msgspec.Struct, kw_only=True):
    id: UUID
    programme_id: UUID
    programme_title: str
    current_version: int
    participants: int
    endorsed: int
    disputed: int
    none: int
    aligned: bool
    #: Whether the current version has been adopted.
    adopted: bool
    adopted_version: int | None
    version: int
    created_at: str
    updated_at: str


class SharedPurposePage(Page):
    items: list[SharedPurposeSummary]
