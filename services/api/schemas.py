"""Request and response bodies. Unknown fields are refused, so typos fail loudly."""

from __future__ import annotations

from typing import Annotated, Any, TypeVar
from uuid import UUID

import msgspec
from msgspec import Meta

from domain.values import EMAIL_MAX, NAME_MAX, TEXT_MAX

# The domain checks lengths after trimming and NFC normalisation, so the limits here are
# documentation only: enforcing them on the raw text would refuse "  <200 characters>  " or a
# name written with combining accents, both of which the domain accepts. Litestar copies
# ``extra_json_schema["extra"]`` into the OpenAPI schema; msgspec does not enforce it.


def _documented_max(length: int) -> dict[str, Any]:
    return {"extra": {"maxLength": length}}


Name = Annotated[
    str,
    Meta(
        min_length=1,
        extra_json_schema=_documented_max(NAME_MAX),
        examples=["Leeds Teaching Hospitals"],
    ),
]
Email = Annotated[
    str,
    Meta(min_length=3, extra_json_schema=_documented_max(EMAIL_MAX), examples=["ada@example.org"]),
]
Text = Annotated[str, Meta(extra_json_schema=_documented_max(TEXT_MAX))]
OdsCode = Annotated[str, Meta(extra_json_schema=_documented_max(10), examples=["RR8"])]
# Date-times arrive as text and are parsed by ``common.parse_datetime``. Litestar converts
# bodies leniently, so a ``datetime`` field would take a bare number as seconds since 1970.
DateTimeText = Annotated[
    str,
    Meta(extra_json_schema={"extra": {"format": "date-time"}}, examples=["2026-11-23T10:00:00Z"]),
]


class Input(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """Base for request bodies."""


class OrganisationCreate(Input):
    name: Name
    kind: Annotated[str, Meta(examples=["commissioner", "provider", "partner"])]
    ods_code: OdsCode | None = None


class OrganisationRename(Input):
    name: Name


class OrganisationMerge(Input):
    successor_id: UUID


class PersonCreate(Input):
    name: Name
    email: Email
    #: What the person writes about themselves: personal data, erased with them.
    about: Text | None = None


class PersonAbout(Input):
    #: Null or empty clears it.
    about: Text | None


class PersonErasure(Input):
    #: Why, e.g. a request reference. Kept in the log: it must not name the person.
    reason: Annotated[
        str,
        Meta(
            min_length=1,
            extra_json_schema=_documented_max(TEXT_MAX),
            examples=["erasure request ER-2026-014"],
        ),
    ]


class MembershipChange(Input):
    organisation_id: UUID
    #: When it happened in the world; defaults to now and may not lie in the future.
    occurred_at: DateTimeText | None = None


class ProgrammeCreate(Input):
    title: Name
    lead_commissioner_id: UUID
    description: Text = ""


class ProgrammeUpdate(Input):
    title: Name | None = None
    description: Text | None = None


class ParticipantAdd(Input):
    organisation_id: UUID
    role: Annotated[str, Meta(examples=["provider", "commissioner", "partner"])]


class WorkstreamCreate(Input):
    name: Name


class Organisation(msgspec.Struct, kw_only=True):
    id: UUID
    name: str
    kind: str
    ods_code: str | None
    status: str
    successor_id: UUID | None
    version: int
    created_at: str
    updated_at: str


class Membership(msgspec.Struct, kw_only=True):
    organisation_id: UUID
    joined_at: str
    left_at: str | None


class Person(msgspec.Struct, kw_only=True):
    id: UUID
    #: "erased person #N" once erased.
    name: str
    #: Null once erased.
    email: str | None
    about: str | None
    erased: bool
    organisation_id: UUID | None
    memberships: list[Membership]
    version: int
    created_at: str
    updated_at: str


class Participant(msgspec.Struct, kw_only=True):
    organisation_id: UUID
    role: str
    joined_at: str


class Workstream(msgspec.Struct, kw_only=True):
    id: UUID
    name: str
    created_at: str


class Auditor(msgspec.Struct, kw_only=True):
    person_id: UUID
    appointed_at: str


class Programme(msgspec.Struct, kw_only=True):
    id: UUID
    title: str
    description: str
    lead_commissioner_id: UUID
    participants: list[Participant]
    workstreams: list[Workstream]
    #: People appointed to audit the programme: they read all of it and write nothing.
    auditors: list[Auditor]
    version: int
    created_at: str
    updated_at: str


class HistoryEvent(msgspec.Struct, kw_only=True):
    version: int
    type: str
    recorded_at: str
    actor_id: UUID | None
    data: dict[str, Any]


class Page(msgspec.Struct, kw_only=True):
    total: int
    limit: int
    offset: int


class OrganisationPage(Page):
    items: list[Organisation]


class PersonPage(Page):
    items: list[Person]


class ProgrammePage(Page):
    items: list[Programme]


class HistoryPage(Page):
    items: list[HistoryEvent]


T = TypeVar("T")


def from_row(cls: type[T], row: dict[str, Any]) -> T:
    return msgspec.convert(row, cls)
