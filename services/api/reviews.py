"""HTTP API: component reviews against a versioned change framework, and programme labels.

A review, a framework version and a programme's framework settings are read now from the
reviews view, and each write answers from it too; ``?version=`` or ``?as_of=`` replay that
record's own events to show it as it was (ADR 6).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any
from uuid import UUID

import msgspec
from litestar import Controller, Request, Response, get, post, put
from litestar.params import JSONBody, PathParameter

from domain.errors import InvalidValue, NotFound
from domain.framework import (
    DEFAULT_FRAMEWORK_KEY,
    DEFAULT_REVIEW_INTERVAL_DAYS,
    ChangeFramework,
    framework_id,
    programme_framework_id,
)
from domain.framework import ProgrammeFramework as ProgrammeFrameworkAggregate
from domain.review import ActionEntry, RatingEntry
from domain.review import Review as ReviewAggregate
from infra.bootstrap import Container
from infra.frameworks import builtin_framework
from projections.reviews_queries import ReviewQueries
from projections.timefmt import iso
from services.api import reviews_schemas as schemas
from services.api.common import (
    AsOf,
    ContainerDep,
    IfMatch,
    Limit,
    Offset,
    ProgrammeId,
    Version,
    actor,
    etag,
    expected_version,
    fresh,
    parse_datetime,
    parse_id,
)
from services.api.idempotency import IdempotencyKey, once
from services.api.rendering import history_page, one
from services.api.schemas import HistoryPage
from services.use_cases.reviews import ProgrammeFrameworkSettings

REVIEW = "review"
PROGRAMME = "programme"
FRAMEWORK = ChangeFramework.RECORD_KIND

FrameworkKeyPath = Annotated[
    str, PathParameter(description="The framework version's key, e.g. nhs-change-model-2018.")
]
ReviewId = Annotated[str, PathParameter(description="The review's id, a UUID.")]
ActionIndex = Annotated[
    int, PathParameter(ge=0, description="The action's index within the review (from 0).")
]

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_date(field: str, value: str | None) -> date | None:
    """A calendar date (YYYY-MM-DD) from a request body, or invalid input naming the field."""
    if value is None:
        return None
    try:
        if not _DATE.match(value):
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidValue(field, "must be a date like 2026-11-23") from None


def parse_required_date(field: str, value: str) -> date:
    parsed = parse_date(field, value)
    assert parsed is not None
    return parsed


def parse_as_of(value: str | None) -> datetime | None:
    return parse_datetime("as_of", value)


def _reviews(container: Container) -> ReviewQueries:
    return ReviewQueries(fresh(container).views)


# Rendering


def render_framework(framework: ChangeFramework) -> schemas.Framework:
    return schemas.Framework(
        id=framework.id,
        key=framework.key,
        title=framework.title,
        components=[
            schemas.FrameworkComponent(key=c.key, label=c.label, side=c.side.value)
            for c in framework.components
        ],
        version=framework.version,
        created_at=iso(framework.created_on) or "",
        updated_at=iso(framework.modified_on) or "",
    )


def render_settings(settings: ProgrammeFrameworkSettings) -> schemas.ProgrammeFramework:
    framework = settings.framework
    return schemas.ProgrammeFramework(
        programme_id=settings.programme_id,
        framework_key=framework.key,
        framework_title=framework.title,
        review_interval_days=settings.review_interval_days,
        labels=dict(settings.labels),
        components=[
            schemas.ProgrammeComponentLabel(
                key=c.key,
                side=c.side.value,
                framework_label=c.label,
                label=settings.display_label(c),
                overridden=c.key in settings.labels,
            )
            for c in framework.components
        ],
        version=settings.version,
        created_at=iso(settings.created_at),
        updated_at=iso(settings.updated_at),
    )


def _settings_from_view(container: Container, programme_id: UUID) -> schemas.ProgrammeFramework:
    """The programme's framework settings now, from the views (the defaults until it sets
    its own); the framework is the registered version, or the shipped one not yet registered."""
    current = fresh(container)
    if current.directory.programme(str(programme_id)) is None:
        raise NotFound(PROGRAMME, programme_id)
    reviews = ReviewQueries(current.views)
    row = reviews.programme_settings(str(programme_id))
    key = row["framework_key"] if row else DEFAULT_FRAMEWORK_KEY
    framework = reviews.framework(key) or builtin_framework(key)
    if framework is None:
        raise NotFound(FRAMEWORK, key)
    labels: dict[str, str] = row["labels"] if row else {}
    return schemas.ProgrammeFramework(
        programme_id=programme_id,
        framework_key=framework["key"],
        framework_title=framework["title"],
        review_interval_days=row["review_interval_days"] if row else DEFAULT_REVIEW_INTERVAL_DAYS,
        labels=labels,
        components=[
            schemas.ProgrammeComponentLabel(
                key=c["key"],
                side=c["side"],
                framework_label=c["label"],
                label=labels.get(c["key"], c["label"]),
                overridden=c["key"] in labels,
            )
            for c in framework["components"]
        ],
        version=row["version"] if row else 0,
        created_at=row["created_at"] if row else None,
        updated_at=row["updated_at"] if row else None,
    )


def _framework_from_view(
    container: Container, key: str, status_code: int = 200
) -> Response[schemas.Framework]:
    row = _reviews(container).framework(key)
    return one(schemas.Framework, row, FRAMEWORK, key, status_code=status_code)


def render_review(review: ReviewAggregate, framework: ChangeFramework) -> schemas.Review:
    ratings = []
    for rating in review.ratings:
        component = framework.component(rating.component)
        actions = [review.actions[index] for index in rating.action_indexes]
        ratings.append(
            schemas.ReviewRating(
                component=rating.component,
                framework_label=component.label if component else rating.component,
                side=component.side.value if component else "",
                rating=rating.rating,
                evidence=list(rating.evidence),
                actions=[
                    schemas.ReviewAction(
                        index=action.index,
                        description=action.description,
                        owner_id=action.owner_id,
                        due_on=action.due_on.isoformat(),
                        completed=action.completed,
                        completed_on=action.completed_on.isoformat()
                        if action.completed_on
                        else None,
                        completion_note=action.completion_note,
                        owner_left_organisation_id=action.owner_left_organisation_id,
                    )
                    for action in actions
                ],
                evidenced=rating.evidenced,
            )
        )
    return schemas.Review(
        id=review.id,
        programme_id=review.programme_id,
        framework_key=review.framework_key,
        held_on=review.held_on.isoformat(),
        reviewer_ids=list(review.reviewer_ids),
        ratings=ratings,
        unevidenced_components=review.unevidenced_components,
        version=review.version,
        recorded_at=iso(review.created_on) or "",
        updated_at=iso(review.modified_on) or "",
    )


def _review_response(
    container: Container,
    review_id: UUID,
    *,
    version: int | None = None,
    at: datetime | None = None,
    status_code: int = 200,
) -> Response[schemas.Review]:
    """The review now, from the views; as it was (``version``/``at``), from its events."""
    if version is None and at is None:
        row = _reviews(container).review(str(review_id))
        return one(schemas.Review, row, REVIEW, str(review_id), status_code=status_code)
    review = container.app.as_of(ReviewAggregate, review_id, version=version, at=at)
    framework = container.app.framework_for_reading(review.framework_key)
    body = render_review(review, framework)
    return Response(body, status_code=status_code, headers=etag(review.version))


def _rating_entries(data: schemas.ReviewCreate) -> list[RatingEntry]:
    entries = []
    for i, rating in enumerate(data.ratings):
        actions = [
            ActionEntry(
                description=action.description,
                owner_id=action.owner_id,
                due_on=parse_required_date(f"ratings[{i}].actions[{j}].due_on", action.due_on),
            )
            for j, action in enumerate(rating.actions)
        ]
        entries.append(
            RatingEntry(
                component=rating.component,
                rating=rating.rating,
                evidence=list(rating.evidence),
                actions=actions,
            )
        )
    return entries


# Controllers


class FrameworkController(Controller):
    path = "/frameworks"
    tags = ["Change frameworks"]

    @post(
        "",
        operation_id="registerFramework",
        summary="Register a framework version",
        sync_to_thread=True,
    )
    def register(
        self,
        request: Request[Any, Any, Any],
        container: ContainerDep,
        data: JSONBody[schemas.FrameworkCreate],
        idempotency_key: IdempotencyKey = None,
    ) -> Response[schemas.Framework]:
        """Register a framework version from its definition: key, title, components.

        Each component has a key, a label and a side (centre, soft or hard). A framework
        version never changes: registering the identical definition again answers 200 and
        records nothing; a different definition under a registered key is refused with 409.
        """
        status = {"code": 201}

        def command() -> UUID:
            framework, created = container.app.register_framework(
                by=actor(request),
                key=data.key,
                title=data.title,
                components=[
                    {"key": c.key, "label": c.label, "side": c.side} for c in data.components
                ],
            )
            status["code"] = 201 if created else 200
            return framework.id

        return once(
            container,
            request,
            idempotency_key,
            data,
            command,
            lambda record_id: self._current(container, record_id, status_code=status["code"]),
        )

    @get("", operation_id="listFrameworks", summary="List framework versions", sync_to_thread=True)
    def browse(
        self, container: ContainerDep, limit: Limit = 50, offset: Offset = 0
    ) -> schemas.FrameworkPage:
        """List the registered framework versions by key, with their components."""
        page = _reviews(container).list_frameworks(limit=limit, offset=offset)
        items = []
        for row in page.items:
            row["key"] = row.pop("framework_key")
            items.append(msgspec.convert(row, schemas.Framework))
        return schemas.FrameworkPage(items=items, total=page.total, limit=limit, offset=offset)

    @get(
        "/{key:str}",
        operation_id="getFramework",
        summary="Read a framework version",
        sync_to_thread=True,
    )
    def read(
        self,
        container: ContainerDep,
        key: FrameworkKeyPath,
        version: Version = None,
        as_of: AsOf = None,
    ) -> Response[schemas.Framework]:
        """Read one framework version by key, optionally as it was at a version or time."""
        if version is None and as_of is None:
            return _framework_from_view(container, key)
        try:
            framework = container.app.as_of(
                ChangeFramework, framework_id(key), version=version, at=parse_as_of(as_of)
            )
        except NotFound:
            raise NotFound(FRAMEWORK, key) from None
        return Response(render_framework(framework), headers=etag(framework.version))

    @get(
        "/{key:str}/history",
        operation_id="frameworkHistory",
        summary="Framework version history",
        sync_to_thread=True,
    )
    def history(
        self, container: ContainerDep, key: FrameworkKeyPath, limit: Limit = 50, offset: Offset = 0
    ) -> HistoryPage:
        """Every event of the framework version, oldest first, with who did it and when."""
        try:
            entries = container.app.history(ChangeFramework, framework_id(key))
        except NotFound:
            raise NotFound(FRAMEWORK, key) from None
        return history_page(entries, limit, offset)

    @staticmethod
    def _current(
        container: Container, framework_uuid: UUID, status_code: int = 200
    ) -> Response[schemas.Framework]:
        key = _reviews(container).framework_key(str(framework_uuid))
        if key is None:
            raise NotFound(FRAMEWORK, framework_uuid)
        return _framework_from_view(container, key, status_code)


class ProgrammeReviewController(Controller):
    path = "/programmes"
    tags = ["Component reviews"]

    # Framework settings

    @get(
        "/{programme_id:str}/framework",
        operation_id="getProgrammeFramework",
        summary="Read a programme's framework settings",
        sync_to_thread=True,
    )
    def read_framework(
        self,
        container: ContainerDep,
        programme_id: ProgrammeId,
        version: Version = None,
        as_of: AsOf = None,
    ) -> Response[schemas.ProgrammeFramework]:
        """The programme's framework version, each component with its framework label, side
        and the programme's display label, and the review interval.

        Until the programme sets its own, the defaults apply (nhs-change-model-2018, the
        framework's labels, 90 days) and the version is 0. The ETag is the version.
        """
        programme_uuid = parse_id(programme_id, PROGRAMME)
        at = parse_as_of(as_of)
        if version is None and at is None:
            body = _settings_from_view(container, programme_uuid)
            return Response(body, headers=etag(body.version))
        settings = container.app.programme_framework(programme_uuid, version=version, at=at)
        return Response(render_settings(settings), headers=etag(settings.version))

    @put(
        "/{programme_id:str}/framework",
        operation_id="setProgrammeFramework",
        summary="Change a programme's framework settings",
        sync_to_thread=True,
    )
    def set_framework(
        self,
        request: Request[Any, Any, Any],
        container: ContainerDep,
        programme_id: ProgrammeId,
        data: JSONBody[schemas.ProgrammeFrameworkUpdate],
        if_match: IfMatch = None,
    ) -> Response[schemas.ProgrammeFramework]:
        """Choose the framework version, the display labels and the review interval (1 to 730
        days). Fields left out keep their value; ``labels`` replaces every display label, so a
        component left out of it shows the framework's label. Only members of participating
        organisations may change these. Send If-Match (0 before the first change).
        """
        programme_uuid = parse_id(programme_id, PROGRAMME)
        container.app.set_programme_framework(
            by=actor(request),
            programme_id=programme_uuid,
            framework_key=data.framework_key,
            labels=data.labels,
            review_interval_days=data.review_interval_days,
            expected_version=expected_version(if_match),
        )
        body = _settings_from_view(container, programme_uuid)
        return Response(body, headers=etag(body.version))

    @get(
        "/{programme_id:str}/framework/history",
        operation_id="programmeFrameworkHistory",
        summary="History of a programme's framework settings",
        sync_to_thread=True,
    )
    def framework_history(
        self,
        container: ContainerDep,
        programme_id: ProgrammeId,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> HistoryPage:
        """Every change to the programme's framework settings, oldest first (none: defaults)."""
        programme_uuid = parse_id(programme_id, PROGRAMME)
        if fresh(container).directory.programme(str(programme_uuid)) is None:
            raise NotFound(PROGRAMME, programme_uuid)
        try:
            entries = container.app.history(
                ProgrammeFrameworkAggregate, programme_framework_id(programme_uuid)
            )
        except NotFound:
            entries = []
        return history_page(entries, limit, offset)

    # Components

    @get(
        "/{programme_id:str}/components",
        operation_id="programmeComponents",
        summary="Latest rating of each component",
        sync_to_thread=True,
    )
    def components(
        self, container: ContainerDep, programme_id: ProgrammeId
    ) -> schemas.ProgrammeComponents:
        """Each component of the programme's framework with its display label and its latest
        rating (by the date held): that date, whether it was evidenced, and whether it is
        older than the programme's review interval. Never-reviewed components have no rating.
        """
        programme_uuid = parse_id(programme_id, PROGRAMME)
        settings = _settings_from_view(container, programme_uuid)
        latest = _reviews(container).latest_ratings(str(programme_uuid))
        today = datetime.now(UTC).date()
        interval = timedelta(days=settings.review_interval_days)
        items = []
        for component in settings.components:
            row = latest.get(component.key)
            held_on = date.fromisoformat(row["held_on"]) if row else None
            due_on = held_on + interval if held_on else None
            items.append(
                schemas.ComponentStatus(
                    component=component.key,
                    label=component.label,
                    framework_label=component.framework_label,
                    side=component.side,
                    rating=row["rating"] if row else None,
                    held_on=row["held_on"] if row else None,
                    evidenced=row["evidenced"] if row else None,
                    review_id=UUID(row["review_id"]) if row else None,
                    review_count=row["review_count"] if row else 0,
                    review_due_on=due_on.isoformat() if due_on else None,
                    stale=due_on is not None and due_on < today,
                )
            )
        return schemas.ProgrammeComponents(
            programme_id=programme_uuid,
            framework_key=settings.framework_key,
            review_interval_days=settings.review_interval_days,
            items=items,
        )

    # Reviews

    @post(
        "/{programme_id:str}/reviews",
        operation_id="recordReview",
        summary="Record a component review",
        sync_to_thread=True,
    )
    def record_review(
        self,
        request: Request[Any, Any, Any],
        container: ContainerDep,
        programme_id: ProgrammeId,
        data: JSONBody[schemas.ReviewCreate],
        idempotency_key: IdempotencyKey = None,
    ) -> Response[schemas.Review]:
        """Record a review held on a date (default today, never in the future) by named
        reviewers. Each component it covers (once, from the programme's framework) is rated 1
        to 5 with evidence notes and actions (owner, due date). A rating with neither is
        recorded but marked unevidenced. Only members of participating organisations record.
        """

        def command() -> UUID:
            review = container.app.record_review(
                by=actor(request),
                programme_id=parse_id(programme_id, PROGRAMME),
                reviewer_ids=data.reviewer_ids,
                ratings=_rating_entries(data),
                held_on=parse_date("held_on", data.held_on),
            )
            return review.id

        return once(
            container,
            request,
            idempotency_key,
            data,
            command,
            lambda record_id: _review_response(container, record_id, status_code=201),
        )

    @get(
        "/{programme_id:str}/reviews",
        operation_id="listReviews",
        summary="List a programme's reviews",
        sync_to_thread=True,
    )
    def list_reviews(
        self,
        container: ContainerDep,
        programme_id: ProgrammeId,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> schemas.ReviewPage:
        """The programme's reviews, newest first by the date held, with their ratings."""
        programme_uuid = parse_id(programme_id, PROGRAMME)
        if fresh(container).directory.programme(str(programme_uuid)) is None:
            raise NotFound(PROGRAMME, programme_uuid)
        page = _reviews(container).list_reviews(
            programme_id=str(programme_uuid), limit=limit, offset=offset
        )
        return schemas.ReviewPage(
            items=[msgspec.convert(row, schemas.ReviewSummary) for row in page.items],
            total=page.total,
            limit=limit,
            offset=offset,
        )


class ReviewController(Controller):
    path = "/reviews"
    tags = ["Component reviews"]

    @get("/{review_id:str}", operation_id="getReview", summary="Read a review", sync_to_thread=True)
    def read(
        self,
        container: ContainerDep,
        review_id: ReviewId,
        version: Version = None,
        as_of: AsOf = None,
    ) -> Response[schemas.Review]:
        """Read one review with its ratings, evidence and actions, optionally as it was at a
        version or time. The ETag is its version."""
        return _review_response(
            container, parse_id(review_id, REVIEW), version=version, at=parse_as_of(as_of)
        )

    @get(
        "/{review_id:str}/history",
        operation_id="reviewHistory",
        summary="Review history",
        sync_to_thread=True,
    )
    def history(
        self, container: ContainerDep, review_id: ReviewId, limit: Limit = 50, offset: Offset = 0
    ) -> HistoryPage:
        """Every event of the review, oldest first, with who did it and when."""
        entries = container.app.history(ReviewAggregate, parse_id(review_id, REVIEW))
        return history_page(entries, limit, offset)

    @post(
        "/{review_id:str}/actions/{index:int}/complete",
        operation_id="completeReviewAction",
        summary="Complete a review action",
        sync_to_thread=True,
        status_code=200,
    )
    def complete_action(
        self,
        request: Request[Any, Any, Any],
        container: ContainerDep,
        review_id: ReviewId,
        index: ActionIndex,
        data: JSONBody[schemas.ActionCompletion | None] = None,
        if_match: IfMatch = None,
        idempotency_key: IdempotencyKey = None,
    ) -> Response[schemas.Review]:
        """Mark an action done, on the date it was done (default today, never in the future,
        not before the review). Completing it again is refused with 409."""
        body = data or schemas.ActionCompletion()

        def command() -> UUID:
            review = container.app.complete_review_action(
                by=actor(request),
                review_id=parse_id(review_id, REVIEW),
                index=index,
                completed_on=parse_date("completed_on", body.completed_on),
                note=body.note,
                expected_version=expected_version(if_match),
            )
            return review.id

        return once(
            container,
            request,
            idempotency_key,
            data,
            command,
            lambda record_id: _review_response(container, record_id),
        )


#: The controllers this module serves; services.api.app registers them all.
CONTROLLERS: list[type[Controller]] = [
    FrameworkController,
    ProgrammeReviewController,
    ReviewController,
]
