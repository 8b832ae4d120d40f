"""Component reviews: ratings, evidence, actions and their completion, in memory."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest

from domain.errors import InvalidValue, NotFound, RuleViolation
from domain.framework import ChangeFramework
from domain.programme import Programme
from domain.review import ActionEntry, RatingEntry, Review, latest_today
from domain.timing import utc_now
from infra.frameworks import builtin_framework
from tests.unit.support import organisation, pending, recorded

ADA = uuid4()
BOB = uuid4()
HELD = date(2026, 1, 10)


def nhs_2018() -> ChangeFramework:
    definition = builtin_framework("nhs-change-model-2018")
    assert definition is not None
    made = ChangeFramework.define(definition["key"], definition["title"], definition["components"])
    made.collect_events()
    return made


def programme() -> Programme:
    made = Programme.create("Urgent Care", "", organisation("commissioner", "ICB"))
    made.collect_events()
    return made


def action(owner: UUID = ADA, due_on: date = date(2026, 3, 1), text: str = "Agree KPIs") -> Any:
    return ActionEntry(description=text, owner_id=owner, due_on=due_on)


def rating(component: str = "measurement", value: int = 3, **extra: Any) -> RatingEntry:
    return RatingEntry(component=component, rating=value, **extra)


def review(*ratings: RatingEntry, held_on: date | None = HELD, **extra: Any) -> Review:
    made = Review.record(
        programme(),
        nhs_2018(),
        extra.pop("reviewer_ids", [ADA]),
        list(ratings) or [rating(evidence=["Dashboard live"])],
        held_on,
    )
    return made


def field_refused(**kwargs: Any) -> str:
    with pytest.raises(InvalidValue) as refused:
        review(*kwargs.pop("ratings", []), **kwargs)
    return refused.value.field


# Recording


def test_recording_a_review_records_one_event_with_its_ratings_as_plain_data() -> None:
    prog = programme()

    made = Review.record(
        prog,
        nhs_2018(),
        [ADA, BOB],
        [rating("measurement", 2, evidence=[" No baseline "], actions=[action()])],
        HELD,
    )

    events = pending(made)
    assert [type(e).__name__ for e in events] == ["Recorded"]
    assert (events[0].programme_id, events[0].framework_key, events[0].held_on) == (
        prog.id,
        "nhs-change-model-2018",
        "2026-01-10",
    )
    assert events[0].reviewer_ids == [ADA, BOB]
    assert events[0].ratings == [
        {
            "component": "measurement",
            "rating": 2,
            "evidence": ["No baseline"],
            "actions": [{"description": "Agree KPIs", "owner_id": ADA, "due_on": "2026-03-01"}],
        }
    ]


def test_a_review_keeps_ratings_in_order_and_numbers_actions_across_them() -> None:
    made = review(
        rating("leadership", 4, actions=[action(text="Name a lead")]),
        rating("measurement", 2, actions=[action(text="Baseline"), action(BOB, text="KPIs")]),
    )

    assert [r.component for r in made.ratings] == ["leadership", "measurement"]
    assert [(a.index, a.component, a.description) for a in made.actions] == [
        (0, "leadership", "Name a lead"),
        (1, "measurement", "Baseline"),
        (2, "measurement", "KPIs"),
    ]
    assert made.ratings[1].action_indexes == (1, 2)


def test_a_rating_without_evidence_or_actions_is_recorded_but_unevidenced() -> None:
    made = review(
        rating("leadership", 5),
        rating("measurement", 2, evidence=["Dashboard"]),
        rating("spread", 3, actions=[action()]),
    )

    assert [(r.component, r.evidenced) for r in made.ratings] == [
        ("leadership", False),
        ("measurement", True),
        ("spread", True),
    ]
    assert made.unevidenced_components == ["leadership"]


def test_the_held_on_date_defaults_to_today() -> None:
    made = review(held_on=None)

    assert made.held_on == utc_now().date()


def test_a_review_held_in_the_future_is_refused_naming_held_on() -> None:
    assert field_refused(held_on=latest_today() + timedelta(days=1)) == "held_on"


def test_a_review_held_today_anywhere_on_earth_is_accepted() -> None:
    assert review(held_on=latest_today()).held_on == latest_today()


def test_a_held_on_time_rather_than_a_date_is_refused_naming_held_on() -> None:
    assert field_refused(held_on=datetime(2026, 1, 10, tzinfo=None)) == "held_on"  # noqa: DTZ001


def test_a_review_without_reviewers_is_refused_naming_reviewer_ids() -> None:
    assert field_refused(reviewer_ids=[]) == "reviewer_ids"


def test_a_reviewer_named_twice_is_refused_naming_the_second() -> None:
    assert field_refused(reviewer_ids=[ADA, BOB, ADA]) == "reviewer_ids[2]"


def test_a_review_rating_nothing_is_refused_naming_ratings() -> None:
    with pytest.raises(InvalidValue) as refused:
        Review.record(programme(), nhs_2018(), [ADA], [], HELD)

    assert refused.value.field == "ratings"


@pytest.mark.parametrize("value", [0, 6, -1, True])
def test_a_rating_outside_1_to_5_is_refused_naming_its_position(value: int) -> None:
    ratings = [rating("leadership", 3), rating("spread", 3), rating("measurement", value)]

    assert field_refused(ratings=ratings) == "ratings[2].rating"


@pytest.mark.parametrize("value", [1, 5])
def test_ratings_of_1_and_5_are_accepted(value: int) -> None:
    assert review(rating(value=value)).ratings[0].rating == value


def test_a_component_rated_twice_in_one_review_is_refused_naming_the_second() -> None:
    ratings = [rating("measurement", 3), rating("spread", 2), rating("measurement", 4)]

    assert field_refused(ratings=ratings) == "ratings[2].component"


def test_a_component_outside_the_programmes_framework_is_refused_naming_it() -> None:
    assert field_refused(ratings=[rating("co_production", 3)]) == "ratings[0].component"


def test_an_empty_evidence_note_is_refused_naming_it() -> None:
    refused = field_refused(ratings=[rating(evidence=["Dashboard", " "])])

    assert refused == "ratings[0].evidence[1]"


def test_an_action_without_a_description_is_refused_naming_it() -> None:
    refused = field_refused(ratings=[rating(actions=[action(), action(text="")])])

    assert refused == "ratings[0].actions[1].description"


def test_an_action_due_before_the_review_was_held_is_refused_naming_due_on() -> None:
    refused = field_refused(ratings=[rating(actions=[action(due_on=HELD - timedelta(days=1))])])

    assert refused == "ratings[0].actions[0].due_on"


def test_an_action_due_on_the_day_of_the_review_is_accepted() -> None:
    made = review(rating(actions=[action(due_on=HELD)]))

    assert made.actions[0].due_on == HELD


# Completing actions


def reviewed_with_actions() -> Review:
    made = review(rating(actions=[action(), action(BOB, text="Publish")]))
    made.collect_events()
    return made


def test_completing_an_action_records_when_it_was_done() -> None:
    made = reviewed_with_actions()

    made.complete_action(1, date(2026, 2, 1), " Published on the intranet ")

    events = pending(made)
    assert [type(e).__name__ for e in events] == ["ActionCompleted"]
    assert (events[0].index, events[0].completed_on, events[0].note) == (
        1,
        "2026-02-01",
        "Published on the intranet",
    )
    assert made.actions[1].completed
    assert not made.actions[0].completed


def test_completing_an_action_defaults_to_today() -> None:
    made = reviewed_with_actions()

    made.complete_action(0)

    assert made.actions[0].completed_on == utc_now().date()


def test_completing_an_action_twice_is_a_rule_violation_saying_when() -> None:
    made = reviewed_with_actions()
    made.complete_action(0, date(2026, 2, 1))

    with pytest.raises(RuleViolation) as refused:
        made.complete_action(0)

    assert "already completed on 2026-02-01" in refused.value.message


def test_completing_an_action_the_review_does_not_have_is_not_found() -> None:
    made = reviewed_with_actions()

    with pytest.raises(NotFound) as refused:
        made.complete_action(2)

    assert "numbered from 0" in refused.value.message


def test_completing_an_action_before_the_review_was_held_is_refused_naming_completed_on() -> None:
    made = reviewed_with_actions()

    with pytest.raises(InvalidValue) as refused:
        made.complete_action(0, HELD - timedelta(days=1))

    assert refused.value.field == "completed_on"


def test_completing_an_action_in_the_future_is_refused_naming_completed_on() -> None:
    made = reviewed_with_actions()

    with pytest.raises(InvalidValue) as refused:
        made.complete_action(0, latest_today() + timedelta(days=1))

    assert refused.value.field == "completed_on"


# An owner leaving


def test_an_owner_leaving_flags_their_open_actions_only() -> None:
    made = review(rating(actions=[action(), action(BOB), action(text="Third")]))
    made.complete_action(2, HELD)
    made.collect_events()
    old_org = uuid4()

    flagged = made.flag_owner_left(ADA, old_org)

    assert flagged == [0]
    assert recorded(made) == ["ActionOwnerLeft"]
    assert [a.owner_left_organisation_id for a in made.actions] == [old_org, None, None]


def test_an_owner_without_open_actions_leaving_records_nothing() -> None:
    made = reviewed_with_actions()

    assert made.flag_owner_left(uuid4(), uuid4()) == []
    assert recorded(made) == []
