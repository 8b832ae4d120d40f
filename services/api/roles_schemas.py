"""Request and response bodies for programme roles. Unknown request fields are refused."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

import msgspec
from msgspec import Meta

from domain.role import KNOWLEDGE_ITEMS_MAX
from services.api.schemas import DateTimeText, Input, Name, Page, Text

KnowledgeItem = Annotated[
    str, Meta(examples=["stakeholder map", "CQUIN negotiation history"], min_length=1)
]


class RoleDefine(Input):
    kind: Annotated[
        str,
        Meta(
            description=(
                "sro, clinical_lead, programme_facilitator, measurement_lead,"
                " organisation_lead (needs organisation_id) or custom (needs title)"
            ),
            examples=["sro", "organisation_lead", "custom"],
        ),
    ]
    #: Required for a custom role; the others default to a title from their kind.
    title: Name | None = None
    #: The participating organisation whose named lead this is (organisation_lead only).
    organisation_id: UUID | None = None
    critical: bool = False


class RoleAssignment(Input):
    holder_id: UUID
    #: Omit (or null) for no deputy: an assignment sets both.
    deputy_id: UUID | None = None


class RoleVacate(Input):
    reason: Text | None = None


class RoleHandover(Input):
    to_person_id: UUID
    knowledge_items: Annotated[list[KnowledgeItem], Meta(max_length=KNOWLEDGE_ITEMS_MAX)]
    outgoing_reachable: bool
    #: When the handover happened in the world; defaults to now and may not lie ahead.
    occurred_at: DateTimeText | None = None


class RoleCritical(Input):
    critical: bool


class HandoverFlag(msgspec.Struct, kw_only=True):
    person_id: UUID
    position: str
    organisation_id: UUID
    reason: str
    left_at: str | None
    flagged_version: int


class Handover(msgspec.Struct, kw_only=True):
    version: int
    from_person_id: UUID
    to_person_id: UUID
    knowledge_items: list[str]
    outgoing_reachable: bool
    occurred_at: str
    recorded_at: str


class RoleSummary(msgspec.Struct, kw_only=True):
    id: UUID
    programme_id: UUID
    kind: str
    title: str
    organisation_id: UUID | None
    critical: bool
    holder_id: UUID | None
    holder_organisation_id: UUID | None
    deputy_id: UUID | None
    deputy_organisation_id: UUID | None
    vacant: bool
    flagged: bool
    handover_count: int
    version: int
    created_at: str
    updated_at: str


class Role(RoleSummary, kw_only=True):
    flags: list[HandoverFlag]
    handovers: list[Handover]


class PersonRole(RoleSummary, kw_only=True):
    #: holder or deputy
    position: str


class RolePage(Page):
    items: list[RoleSummary]


class PersonRolePage(Page):
    items: list[PersonRole]
