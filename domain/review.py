"""Component reviews: a programme rates the components of its framework, with evidence.

A review is held on a date by named reviewers. It rates each component it covers from 1 to 5,
with evidence notes and actions (each with an owner and a due date). A rating with neither
evidence nor actions is recorded but counts as unevidenced: a box ticked, not a review done.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from uuid import UUID

from eventsourcing.domain import event

from domain.base import LedgerAggregate
from domain.errors import DomainError, InvalidValue, NotFound, RuleViolation
from domain.framework import ChangeFramework
from domain.programme import Programme
from domain.timing import utc_now
from domain.values import TEXT_MAX, check_text

RATING_MIN = 1
RATING_MAX = 5
REVIEWERS_MAX = 50
EVIDENCE_MAX = 50
ACTIONS_MAX = 50
NOTE_MAX = 2000
# A date is "today" somewhere on Earth until 14 hours after UTC midnight (UTC+14).
_LATEST_ZONE = timedelta(hours=14)


def latest_today() -> date:
    """The latest date that is today anywhere: later dates lie in the future everywhere."""
    return (utc_now() + _LATEST_ZONE).date()


def check_past_date(field: str, value: date | None) -> date:
    """A date on which something happened: defaults to today (UTC), never in the future."""
    if value is None:
        return utc_now().date()
    if isinstance(value, datetime) or not isinstance(value, date):
        raise InvalidValue(field, "must be a date like 2026-11-23")
    if value > latest_today():
        raise InvalidValue(field, "must not lie in the future")
    return value


class ActionNotFound(NotFound):
    """A review has no action with that index (maps to 404)."""

    def __init__(self, review_id: UUID, index: int, count: int) -> None:
        DomainError.__init__(
            self,
            f"review {review_id} has no action {index}; its {count} action(s) are numbered from 0",
        )
        self.kind = "action"
        self.record_id = index


@dataclass(frozen=True)
class ActionEntry:
    """An action as a request states it."""

    description: str
    owner_id: UUID
    due_on: date


@dataclass(frozen=True)
class RatingEntry:
    """A component's rating as a request states it."""

    component: str
    rating: int
    evidence: Sequence[str] = ()
    actions: Sequence[ActionEntry] = ()


@dataclass(frozen=True)
class Action:
    index: int
    component: str
    description: str
    owner_id: UUID
    due_on: date
    completed_on: date | None = None
    completion_note: str = ""
    owner_left_organisation_id: UUID | None = None

    @property
    def completed(self) -> bool:
        return self.completed_on is not None


@dataclass(frozen=True)
class Rating:
    component: str
    rating: int
    evidence: tuple[str, ...]
    action_indexes: tuple[int, ...] = field(default=())

    @property
    def evidenced(self) -> bool:
        """Evidence or actions: without either, a rating is a box ticked, not a review."""
        return bool(self.evidence) or bool(self.action_indexes)


def _check_rating(field_name: str, value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidValue(field_name, f"must be a whole number from {RATING_MIN} to {RATING_MAX}")
    if not RATING_MIN <= value <= RATING_MAX:
        raise InvalidValue(field_name, f"must be from {RATING_MIN} to {RATING_MAX}")
    return value


def _check_reviewers(reviewer_ids: Sequence[UUID]) -> list[UUID]:
    if not reviewer_ids:
        raise InvalidValue("reviewer_ids", "a review needs at least one named reviewer")
    if len(reviewer_ids) > REVIEWERS_MAX:
        raise InvalidValue("reviewer_ids", f"must name at most {REVIEWERS_MAX} reviewers")
    checked: list[UUID] = []
    for index, reviewer_id in enumerate(reviewer_ids):
        if not isinstance(reviewer_id, UUID):
            raise InvalidValue(f"reviewer_ids[{index}]", "must be a person's id")
        if reviewer_id in checked:
            raise InvalidValue(f"reviewer_ids[{index}]", "names a reviewer already listed")
        checked.append(reviewer_id)
    return checked


def _check_ratings(
    ratings: Sequence[RatingEntry], framework: ChangeFramework, held_on: date
) -> list[dict[str, object]]:
    if not ratings:
        raise InvalidValue("ratings", "a review must rate at least one component")
    checked: list[dict[str, object]] = []
    seen: set[str] = set()
    for i, entry in enumerate(ratings):
        at = f"ratings[{i}]"
        component = framework.check_component(f"{at}.component", entry.component)
        if component in seen:
            raise InvalidValue(
                f"{at}.component", f"'{component}' is rated more than once in this review"
            )
        seen.add(component)
        rating = _check_rating(f"{at}.rating", entry.rating)
        if len(entry.evidence) > EVIDENCE_MAX:
            raise InvalidValue(f"{at}.evidence", f"must hold at most {EVIDENCE_MAX} notes")
        evidence = [
            check_text(f"{at}.evidence[{j}]", note, max_length=TEXT_MAX)
            for j, note in enumerate(entry.evidence)
        ]
        if len(entry.actions) > ACTIONS_MAX:
            raise InvalidValue(f"{at}.actions", f"must hold at most {ACTIONS_MAX} actions")
        actions: list[dict[str, object]] = []
        for j, action in enumerate(entry.actions):
            action_at = f"{at}.actions[{j}]"
            description = check_text(
                f"{action_at}.description", action.description, max_length=TEXT_MAX
            )
            if not isinstance(action.owner_id, UUID):
                raise InvalidValue(f"{action_at}.owner_id", "must be a person's id")
            due_on = action.due_on
            if isinstance(due_on, datetime) or not isinstance(due_on, date):
                raise InvalidValue(f"{action_at}.due_on", "must be a date like 2026-12-31")
            if due_on < held_on:
                raise InvalidValue(
                    f"{action_at}.due_on",
                    f"must not be before the review was held ({held_on.isoformat()})",
                )
            actions.append(
                {
                    "description": description,
                    "owner_id": action.owner_id,
                    "due_on": due_on.isoformat(),
                }
            )
        checked.append(
            {"component": component, "rating": rating, "evidence": evidence, "actions": actions}
        )
    return checked


class Review(LedgerAggregate):
    """One component review of a programme against its framework version."""

    RECORD_KIND = "review"

    @classmethod
    def record(
        cls,
        programme: Programme,
        framework: ChangeFramework,
        reviewer_ids: Sequence[UUID],
        ratings: Sequence[RatingEntry],
        held_on: date | None = None,
    ) -> Review:
        """A review of ``programme`` against ``framework``, the programme's framework version."""
        when = check_past_date("held_on", held_on)
        reviewers = _check_reviewers(reviewer_ids)
        checked = _check_ratings(ratings, framework, when)
        return cls(
            programme_id=programme.id,
            framework_key=framework.key,
            held_on=when.isoformat(),
            reviewer_ids=reviewers,
            ratings=checked,
        )

    @event("Recorded")
    def __init__(
        self,
        programme_id: UUID,
        framework_key: str,
        held_on: str,
        reviewer_ids: list[UUID],
        ratings: list[dict[str, object]],
    ) -> None:
        self.programme_id = programme_id
        self.framework_key = framework_key
        self.held_on = date.fromisoformat(held_on)
        self.reviewer_ids = list(reviewer_ids)
        self.ratings: list[Rating] = []
        self.actions: list[Action] = []
        for entry in ratings:
            component = str(entry["component"])
            indexes: list[int] = []
            raw_actions = entry["actions"]
            assert isinstance(raw_actions, list)
            for raw in raw_actions:
                indexes.append(len(self.actions))
                self.actions.append(
                    Action(
                        index=len(self.actions),
                        component=component,
                        description=raw["description"],
                        owner_id=raw["owner_id"],
                        due_on=date.fromisoformat(raw["due_on"]),
                    )
                )
            raw_evidence = entry["evidence"]
            assert isinstance(raw_evidence, list)
            raw_rating = entry["rating"]
            assert isinstance(raw_rating, int)
            self.ratings.append(
                Rating(
                    component=component,
                    rating=raw_rating,
                    evidence=tuple(str(note) for note in raw_evidence),
                    action_indexes=tuple(indexes),
                )
            )

    @property
    def unevidenced_components(self) -> list[str]:
        return [rating.component for rating in self.ratings if not rating.evidenced]

    def action(self, index: int) -> Action:
        if not 0 <= index < len(self.actions):
            raise ActionNotFound(self.id, index, len(self.actions))
        return self.actions[index]

    def complete_action(
        self, index: int, completed_on: date | None = None, note: str = ""
    ) -> Action:
        action = self.action(index)
        if action.completed_on is not None:
            raise RuleViolation(
                f"action {index} ('{action.description}') was already completed on"
                f" {action.completed_on.isoformat()}"
            )
        when = check_past_date("completed_on", completed_on)
        if when < self.held_on:
            raise InvalidValue(
                "completed_on",
                f"must not be before the review was held ({self.held_on.isoformat()})",
            )
        cleaned = check_text("note", note, max_length=NOTE_MAX, required=False)
        self._action_completed(index=index, completed_on=when.isoformat(), note=cleaned)
        return self.actions[index]

    @event("ActionCompleted")
    def _action_completed(self, index: int, completed_on: str, note: str) -> None:
        self.actions[index] = replace(
            self.actions[index],
            completed_on=date.fromisoformat(completed_on),
            completion_note=note,
        )

    def open_actions_of(self, person_id: UUID) -> list[Action]:
        return [a for a in self.actions if a.owner_id == person_id and not a.completed]

    def flag_owner_left(self, person_id: UUID, organisation_id: UUID) -> list[int]:
        """The owner of open actions left their organisation: say so, reassign nothing.

        Returns the indexes of the actions flagged (none: nothing is recorded).
        """
        indexes = [a.index for a in self.open_actions_of(person_id)]
        if indexes:
            self._action_owner_left(
                person_id=person_id, organisation_id=organisation_id, action_indexes=indexes
            )
        return indexes

    @event("ActionOwnerLeft")
    def _action_owner_left(
        self, person_id: UUID, organisation_id: UUID, action_indexes: list[int]
    ) -> None:
        for index in action_indexes:
            self.actions[index] = replace(
                self.actions[index], owner_left_organisation_id=organisation_id
            )
