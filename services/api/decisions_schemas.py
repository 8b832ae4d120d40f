"""Request and response bodies for decisions. Unknown request fields are refused."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

import msgspec
from msgspec import Meta

from domain.values import CHANGE_MODEL_KEYS
from services.api.schemas import DateTimeText, HistoryEvent, Input, Name, Page, Text

Component = Annotated[str, Meta(examples=list(CHANGE_MODEL_KEYS))]
Stance = Annotated[str, Meta(examples=["support", "object"])]

# Requests


class DecisionPropose(Input):
    title: Name
    rationale: Text
    #: The proposing organisation; the actor must be one of its current members.
    organisation_id: UUID
    options: list[Text] = []
    #: Change Model component keys the decision touches.
    components: list[Component] = []
    workstream_id: UUID | None = None
    #: When it was proposed in the world (e.g. the meeting); defaults to now, not in the future.
    occurred_at: DateTimeText | None = None


class DecisionConsult(Input):
    organisation_id: UUID
    occurred_at: DateTimeText | None = None


class DecisionRespond(Input):
    organisation_id: UUID
    stance: Stance
    #: Required for an objection.
    reason: Text = ""
    occurred_at: DateTimeText | None = None


class DecisionTake(Input):
    #: On whose authority, e.g. "Programme board 2026-11-12".
    authority: Annotated[str, Meta(examples=["Programme board 2026-11-12"])]
    occurred_at: DateTimeText | None = None


class DecisionAmend(Input):
    reason: Text
    title: Name | None = None
    rationale: Text | None = None
    options: list[Text] | None = None
    components: list[Component] | None = None
    occurred_at: DateTimeText | None = None


class DecisionSupersede(Input):
    #: The later decision (same programme, already taken) that replaces this one.
    superseded_by: UUID


class DecisionRevoke(Input):
    reason: Text
    occurred_at: DateTimeText | None = None


# Responses


class DecisionStance(msgspec.Struct, kw_only=True):
    stance: str
    reason: str
    responded_by: UUID | None
    occurred_at: str


class DecisionConsultation(msgspec.Struct, kw_only=True):
    organisation_id: UUID
    consulted_by: UUID | None
    consulted_at: str
    #: The latest response's stance, or null while the organisation has not answered.
    stance: str | None
    reason: str | None
    responses: list[DecisionStance]
    #: The merged organisation this consultation was carried over from, if any.
    carried_from: UUID | None


class DecisionAmendment(msgspec.Struct, kw_only=True):
    reason: str
    amended_by: UUID | None
    occurred_at: str
    #: Only what changed; fields left as they were are null.
    title: str | None
    rationale: str | None
    options: list[str] | None
    components: list[str] | None


class LinkedDecision(msgspec.Struct, kw_only=True):
    id: UUID
    title: str
    status: str
    decided_at: str | None
    superseded_by: UUID | None
    supersedes: list[UUID]


class DecisionLineage(msgspec.Struct, kw_only=True):
    #: Everything this decision superseded, transitively, nearest first.
    supersedes: list[LinkedDecision]
    #: What superseded it, then what superseded that, and so on.
    superseded_by: list[LinkedDecision]


class Decision(msgspec.Struct, kw_only=True):
    id: UUID
    programme_id: UUID
    workstream_id: UUID | None
    title: str
    rationale: str
    options: list[str]
    components: list[str]
    status: str
    proposing_organisation_id: UUID
    proposed_by: UUID | None
    proposed_at: str
    authority: str | None
    decided_by: UUID | None
    decided_by_organisation_id: UUID | None
    decided_at: str | None
    #: Days from proposal to decision, by occurred times.
    latency_days: float | None
    consultations: list[DecisionConsultation]
    amendments: list[DecisionAmendment]
    superseded_by: UUID | None
    superseded_at: str | None
    supersedes: list[UUID]
    #: When and why it was revoked (or, for a proposal never taken, withdrawn).
    revoked_at: str | None
    revocation_reason: str | None
    lineage: DecisionLineage
    #: Every event of the decision up to the version shown, oldest first.
    timeline: list[HistoryEvent]
    version: int
    #: Recorded times (when it entered the log and when it last changed).
    created_at: str
    updated_at: str


class DecisionSummary(msgspec.Struct, kw_only=True):
    id: UUID
    programme_id: UUID
    workstream_id: UUID | None
    title: str
    status: str
    proposing_organisation_id: UUID
    proposed_by: UUID | None
    proposed_at: str
    authority: str | None
    decided_by: UUID | None
    decided_by_organisation_id: UUID | None
    decided_at: str | None
    latency_days: float | None
    superseded_by: UUID | None
    supersedes: list[UUID]
    consulted: int
    supporting: int
    objecting: int
    version: int
    created_at: str
    updated_at: str


class DecisionPage(Page):
    items: list[DecisionSummary]
