"""Response bodies for alerts (the alerts API takes no request bodies)."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

import msgspec
from msgspec import Meta

from services.api.schemas import Page


class Alert(msgspec.Struct, kw_only=True):
    id: UUID
    #: commitment_overdue, component_stale or critical_role_vacant.
    kind: Annotated[str, Meta(examples=["commitment_overdue"])]
    #: The episode the alert is about; its id derives from it.
    key: Annotated[
        str, Meta(examples=["commitment_overdue:6f1c0e0a-3f7e-4bb2-9a57-1e0b2f0c9d11:2026-10-31"])
    ]
    #: The programme it concerns; null for a commitment linked to no programme.
    programme_id: UUID | None
    #: commitment, component or role.
    subject_kind: Annotated[str, Meta(examples=["commitment"])]
    #: The commitment's or role's id, or the component's key (e.g. measurement).
    subject_id: str
    summary: str
    #: Facts the job judged on, by kind: due_date and status; last_reviewed_on,
    #: review_interval_days and review_due_on; role_title, reason and vacant_since.
    details: dict[str, Any]
    #: The UTC date the job last found the condition to hold (raised or reopened).
    detected_on: Annotated[str, Meta(examples=["2026-11-23"])]
    open: bool
    #: open or cleared.
    status: Annotated[str, Meta(examples=["open"])]
    #: When it was first raised (recorded time).
    raised_at: str
    cleared_at: str | None
    #: What resolved it, e.g. "the commitment was delivered".
    cleared_reason: str | None
    reopened_count: int
    version: int


class AlertRead(Alert, kw_only=True):
    #: The recorded time the alert was read as of (null: now).
    as_of: str | None
    #: The date the view was judged on.
    today: str


class AlertPage(Page, kw_only=True):
    items: list[Alert]
    #: The recorded time the list was read as of (null: now).
    as_of: str | None
    #: The date the view was judged on.
    today: str
