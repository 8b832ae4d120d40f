"""Request and response bodies for frameworks, programme framework settings and reviews."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

import msgspec
from msgspec import Meta

from domain.framework import KEY_MAX, REVIEW_INTERVAL_MAX, REVIEW_INTERVAL_MIN
from domain.review import RATING_MAX, RATING_MIN
from domain.values import NAME_MAX, TEXT_MAX
from services.api.schemas import Input, Page

# Dates arrive as text and are parsed by the controller, naming the field when malformed.
DateText = Annotated[
    str, Meta(extra_json_schema={"extra": {"format": "date"}}, examples=["2026-11-23"])
]
FrameworkKey = Annotated[
    str,
    Meta(
        extra_json_schema={"extra": {"maxLength": KEY_MAX}},
        examples=["nhs-change-model-2018"],
    ),
]
ComponentKey = Annotated[
    str, Meta(extra_json_schema={"extra": {"maxLength": KEY_MAX}}, examples=["measurement"])
]
Label = Annotated[
    str, Meta(extra_json_schema={"extra": {"maxLength": NAME_MAX}}, examples=["Measurement"])
]
Note = Annotated[str, Meta(extra_json_schema={"extra": {"maxLength": TEXT_MAX}})]
# Ranges are checked by the domain, which names the field (e.g. ratings[2].rating); here
# they are documentation for the OpenAPI schema.
RatingValue = Annotated[
    int,
    Meta(
        extra_json_schema={"extra": {"minimum": RATING_MIN, "maximum": RATING_MAX}},
        examples=[3],
    ),
]
IntervalDays = Annotated[
    int,
    Meta(
        extra_json_schema={
            "extra": {"minimum": REVIEW_INTERVAL_MIN, "maximum": REVIEW_INTERVAL_MAX}
        },
        examples=[90],
    ),
]


# Requests


class ComponentDefinition(Input):
    key: ComponentKey
    label: Label
    side: Annotated[str, Meta(examples=["centre", "soft", "hard"])]


class FrameworkCreate(Input):
    """A framework version's definition: registering the identical one again changes nothing."""

    key: FrameworkKey
    title: Label
    components: list[ComponentDefinition]


class ProgrammeFrameworkUpdate(Input):
    """What is given changes; ``labels`` replaces every display label (omitted: framework's)."""

    framework_key: FrameworkKey | None = None
    labels: dict[str, Label] | None = None
    review_interval_days: IntervalDays | None = None


class ActionCreate(Input):
    description: Note
    owner_id: UUID
    due_on: DateText


class RatingCreate(Input):
    component: ComponentKey
    rating: RatingValue
    evidence: list[Note] = msgspec.field(default_factory=list)
    actions: list[ActionCreate] = msgspec.field(default_factory=list)


class ReviewCreate(Input):
    reviewer_ids: list[UUID]
    ratings: list[RatingCreate]
    #: When the review was held; defaults to today and may not lie in the future.
    held_on: DateText | None = None


class ActionCompletion(Input):
    #: When the action was done; defaults to today and may not lie in the future.
    completed_on: DateText | None = None
    note: Note = ""


# Responses


class FrameworkComponent(msgspec.Struct, kw_only=True):
    key: str
    label: str
    side: str


class Framework(msgspec.Struct, kw_only=True):
    id: UUID
    key: str
    title: str
    components: list[FrameworkComponent]
    version: int
    created_at: str
    updated_at: str


class FrameworkPage(Page):
    items: list[Framework]


class ProgrammeComponentLabel(msgspec.Struct, kw_only=True):
    key: str
    side: str
    framework_label: str
    #: The programme's display label: its own wording, or the framework's.
    label: str
    overridden: bool


class ProgrammeFramework(msgspec.Struct, kw_only=True):
    programme_id: UUID
    framework_key: str
    framework_title: str
    review_interval_days: int
    #: Only the programme's own wording, by component key.
    labels: dict[str, str]
    components: list[ProgrammeComponentLabel]
    #: 0 while the programme has never set its framework settings (the defaults apply).
    version: int
    created_at: str | None
    updated_at: str | None


class ReviewAction(msgspec.Struct, kw_only=True):
    #: The action's number within the review, for POST /reviews/{id}/actions/{index}/complete.
    index: int
    description: str
    owner_id: UUID
    due_on: str
    completed: bool
    completed_on: str | None
    completion_note: str
    #: Set when the owner left this organisation with the action still open.
    owner_left_organisation_id: UUID | None


class ReviewRating(msgspec.Struct, kw_only=True):
    component: str
    framework_label: str
    side: str
    rating: int
    evidence: list[str]
    actions: list[ReviewAction]
    #: False when the rating has neither evidence nor actions: a box ticked, not a review.
    evidenced: bool


class Review(msgspec.Struct, kw_only=True):
    id: UUID
    programme_id: UUID
    framework_key: str
    held_on: str
    reviewer_ids: list[UUID]
    ratings: list[ReviewRating]
    unevidenced_components: list[str]
    version: int
    #: When the review entered the ledger (compare with held_on to spot back-dated entries).
    recorded_at: str
    updated_at: str


class ReviewRatingSummary(msgspec.Struct, kw_only=True):
    component: str
    rating: int
    evidenced: bool


class ReviewSummary(msgspec.Struct, kw_only=True):
    id: UUID
    programme_id: UUID
    framework_key: str
    held_on: str
    reviewer_ids: list[UUID]
    ratings: list[ReviewRatingSummary]
    rating_count: int
    unevidenced_count: int
    action_count: int
    open_action_count: int
    version: int
    recorded_at: str
    updated_at: str


class ReviewPage(Page):
    items: list[ReviewSummary]


class ComponentStatus(msgspec.Struct, kw_only=True):
    component: str
    #: The programme's display label.
    label: str
    framework_label: str
    side: str
    #: The latest rating (by the date held), or null if the component was never reviewed.
    rating: int | None
    held_on: str | None
    evidenced: bool | None
    review_id: UUID | None
    review_count: int
    #: held_on plus the programme's review interval; null if never reviewed.
    review_due_on: str | None
    #: The latest review is older than the programme's review interval.
    stale: bool


class ProgrammeComponents(msgspec.Struct, kw_only=True):
    programme_id: UUID
    framework_key: str
    review_interval_days: int
    items: list[ComponentStatus]
