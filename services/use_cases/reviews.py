"""Use cases: component reviews against a versioned change framework, and programme labels.

Framework versions are data: registered from a definition (the shipped ones live as JSON in
infra/frameworks/), never branched on in code. A programme reviews against the version it
chose (nhs-change-model-2018 until it chooses), with its own display labels.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.domain import Aggregate

from domain.actor import acting_as
from domain.errors import Forbidden, InvalidValue, NotFound, StaleVersion
from domain.framework import (
    DEFAULT_FRAMEWORK_KEY,
    DEFAULT_REVIEW_INTERVAL_DAYS,
    ChangeFramework,
    Component,
    ProgrammeFramework,
    framework_id,
    programme_framework_id,
)
from domain.person import Person
from domain.programme import Programme
from domain.review import RatingEntry, Review
from infra.frameworks import builtin_framework, builtin_frameworks
from projections.reviews_queries import REVIEWS_WITH_OPEN_ACTIONS_OF
from services.use_cases.base import ConcurrentWrite, LedgerBase


@dataclass(frozen=True)
class ProgrammeFrameworkSettings:
    """A programme's framework settings as read: the defaults until it sets its own."""

    programme_id: UUID
    framework: ChangeFramework
    labels: dict[str, str]
    review_interval_days: int
    #: The settings record's version; 0 while the programme has never set any.
    version: int
    created_at: datetime | None
    updated_at: datetime | None

    def display_label(self, component: Component) -> str:
        return self.labels.get(component.key, component.label)


class ReviewUseCases(LedgerBase):
    # Frameworks

    def register_framework(
        self,
        *,
        by: UUID | None,
        key: str,
        title: str,
        components: Sequence[Mapping[str, Any]],
    ) -> tuple[ChangeFramework, bool]:
        """Register a framework version. Returns it, and whether this call registered it.

        The identical definition again changes nothing; a different one under a registered
        key is refused (409): a framework version never changes, a new one gets a new key.
        """
        with acting_as(by):
            framework = ChangeFramework.define(key=key, title=title, components=components)
        existing = self._registered_framework(framework.key)
        if existing is not None:
            existing.check_same_definition(framework)
            return existing, False
        try:
            self._save(framework)
        except ConcurrentWrite:
            # Registered by someone else at the same moment: fine if it is the same one.
            existing = self._registered_framework(framework.key)
            if existing is None:
                raise
            existing.check_same_definition(framework)
            return existing, False
        return framework, True

    def ensure_builtin_frameworks(self, *, by: UUID | None = None) -> list[ChangeFramework]:
        """Register each shipped framework version (infra/frameworks/*.json) that is missing.

        Safe to run any number of times: returns the versions this call registered.
        """
        registered: list[ChangeFramework] = []
        for definition in builtin_frameworks():
            if self._registered_framework(str(definition.get("key", ""))) is not None:
                continue
            framework, created = self.register_framework(
                by=by,
                key=definition["key"],
                title=definition["title"],
                components=definition["components"],
            )
            if created:
                registered.append(framework)
        return registered

    def framework(self, key: str) -> ChangeFramework:
        """A registered framework version by key (404 if none)."""
        framework = self._registered_framework(key)
        if framework is None:
            raise NotFound(ChangeFramework.RECORD_KIND, key)
        return framework

    def framework_for_reading(self, key: str) -> ChangeFramework:
        """A framework version to label reads with: registered, or shipped and not yet."""
        framework, _ = self._usable_framework(key)
        return framework

    def _registered_framework(self, key: str) -> ChangeFramework | None:
        found: Any
        try:
            found = self.repository.get(framework_id(key))
        except AggregateNotFoundError:
            return None
        return found if isinstance(found, ChangeFramework) else None

    def _usable_framework(
        self, key: str, field: str | None = None
    ) -> tuple[ChangeFramework, list[Aggregate]]:
        """A framework to review against, and what must be saved with the change.

        A shipped version not yet registered (init-db not run since it shipped) is
        registered in the same transaction, by the platform, so nothing refers to a
        framework the log does not hold.
        """
        framework = self._registered_framework(key)
        if framework is not None:
            return framework, []
        definition = builtin_framework(key)
        if definition is None:
            message = f"no change framework with key {key}"
            if field is not None:
                raise InvalidValue(field, message)
            raise NotFound(ChangeFramework.RECORD_KIND, key)
        with acting_as(None):
            framework = ChangeFramework.define(
                key=definition["key"],
                title=definition["title"],
                components=definition["components"],
            )
        return framework, [framework]

    # Programme settings

    def programme_framework(
        self, programme_id: UUID, *, version: int | None = None, at: datetime | None = None
    ) -> ProgrammeFrameworkSettings:
        """The programme's settings now, at a version, or as recorded up to a time."""
        self._load(Programme, programme_id)
        settings_id = programme_framework_id(programme_id)
        settings: ProgrammeFramework | None
        try:
            settings = self.as_of(ProgrammeFramework, settings_id, version=version, at=at)
        except NotFound:
            if version is not None:
                raise NotFound(
                    ProgrammeFramework.RECORD_KIND,
                    f"of programme {programme_id} at version {version} (never set)",
                ) from None
            settings = None
        if settings is None:
            framework, _ = self._usable_framework(DEFAULT_FRAMEWORK_KEY)
            return ProgrammeFrameworkSettings(
                programme_id=programme_id,
                framework=framework,
                labels={},
                review_interval_days=DEFAULT_REVIEW_INTERVAL_DAYS,
                version=0,
                created_at=None,
                updated_at=None,
            )
        framework, _ = self._usable_framework(settings.framework_key)
        return self._settings_read(settings, framework)

    @staticmethod
    def _settings_read(
        settings: ProgrammeFramework, framework: ChangeFramework
    ) -> ProgrammeFrameworkSettings:
        return ProgrammeFrameworkSettings(
            programme_id=settings.programme_id,
            framework=framework,
            labels=dict(settings.labels),
            review_interval_days=settings.review_interval_days,
            version=settings.version,
            created_at=settings.created_on,
            updated_at=settings.modified_on,
        )

    def set_programme_framework(
        self,
        *,
        by: UUID | None,
        programme_id: UUID,
        framework_key: str | None = None,
        labels: Mapping[str, str] | None = None,
        review_interval_days: int | None = None,
        expected_version: int | None = None,
    ) -> ProgrammeFrameworkSettings:
        """Choose the framework version, display labels (all of them) and review interval.

        What is not given is kept (the defaults, the first time). Only a member of a
        participating organisation may change them.
        """
        programme = self._load(Programme, programme_id)
        self._check_takes_part(by, programme, "change its framework settings")
        settings = self._existing_settings(programme_id)
        if settings is None:
            if expected_version not in (None, 0):
                raise StaleVersion(expected_version, 0)
        else:
            self._check_version(settings, expected_version)
        current_key = settings.framework_key if settings is not None else DEFAULT_FRAMEWORK_KEY
        framework, also_save = self._usable_framework(
            current_key if framework_key is None else framework_key, field="framework_key"
        )
        with acting_as(by):
            if settings is None:
                settings = ProgrammeFramework.configure(
                    programme, framework, labels, review_interval_days
                )
            else:
                settings.change(framework, labels, review_interval_days)
        self._save(settings, *also_save)
        return self._settings_read(settings, framework)

    def _existing_settings(self, programme_id: UUID) -> ProgrammeFramework | None:
        found: Any
        try:
            found = self.repository.get(programme_framework_id(programme_id))
        except AggregateNotFoundError:
            return None
        return found if isinstance(found, ProgrammeFramework) else None

    def _check_takes_part(self, by: UUID | None, programme: Programme, action: str) -> None:
        """Only a current member of a participating organisation acts on a programme (403)."""
        if by is None:
            return
        person = self._load(Person, by)
        organisation_id = person.current_organisation_id
        if organisation_id is None or organisation_id not in programme.participants:
            raise Forbidden(
                f"{person.name} is not a member of an organisation taking part in programme"
                f" '{programme.title}', so cannot {action}"
            )

    # Reviews

    def record_review(
        self,
        *,
        by: UUID | None,
        programme_id: UUID,
        reviewer_ids: Sequence[UUID],
        ratings: Sequence[RatingEntry],
        held_on: date | None = None,
    ) -> Review:
        """Record a component review against the programme's framework version."""
        programme = self._load(Programme, programme_id)
        self._check_takes_part(by, programme, "record its reviews")
        for index, reviewer_id in enumerate(reviewer_ids):
            self._load(Person, reviewer_id, field=f"reviewer_ids[{index}]")
        for i, rating in enumerate(ratings):
            for j, action in enumerate(rating.actions):
                self._load(Person, action.owner_id, field=f"ratings[{i}].actions[{j}].owner_id")
        settings = self._existing_settings(programme_id)
        key = settings.framework_key if settings is not None else DEFAULT_FRAMEWORK_KEY
        framework, also_save = self._usable_framework(key)
        with acting_as(by):
            review = Review.record(programme, framework, reviewer_ids, ratings, held_on)
        self._save(review, *also_save)
        return review

    def complete_review_action(
        self,
        *,
        by: UUID | None,
        review_id: UUID,
        index: int,
        completed_on: date | None = None,
        note: str = "",
        expected_version: int | None = None,
    ) -> Review:
        """Mark one of a review's actions done, on the date it was done."""
        review = self._load(Review, review_id)
        self._check_version(review, expected_version)
        programme = self._load(Programme, review.programme_id)
        self._check_takes_part(by, programme, "complete its review actions")
        with acting_as(by):
            review.complete_action(index, completed_on, note)
        self._save(review)
        return review

    # Consequences

    def _on_person_leaving(self, person: Any, organisation_id: UUID) -> list[Aggregate]:
        """Open review actions the person owns are flagged: their owner has left."""
        flagged = super()._on_person_leaving(person, organisation_id)
        for row in self._query(REVIEWS_WITH_OPEN_ACTIONS_OF, {"o": str(person.id)}):
            review = self._load(Review, UUID(row["review_id"]))
            if review.flag_owner_left(person.id, organisation_id):
                flagged.append(review)
        return flagged
