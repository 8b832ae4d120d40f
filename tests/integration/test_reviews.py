"""Programme framework settings and component reviews against real stores."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

import pytest

from domain.errors import Forbidden, InvalidValue, NotFound, ReferenceNotFound, StaleVersion
from domain.framework import (
    ChangeFramework,
    ProgrammeFramework,
    framework_id,
    programme_framework_id,
)
from domain.review import Review
from infra.bootstrap import Container
from projections.reviews import (
    ACTIONS,
    PROGRAMME_LABELS,
    PROGRAMME_SETTINGS,
    RATINGS,
    REVIEWERS,
    REVIEWS,
)
from projections.reviews_queries import ReviewQueries
from tests.integration.reviews_support import action, board, rating, record, rows, view_rows
from tests.integration.support import head, names_after, provider

# Programme framework settings


def test_a_programme_never_configured_reads_the_2018_model_with_90_days(
    container: Container,
) -> None:
    at = board(container)

    settings = container.app.programme_framework(at.programme_id)

    assert (settings.framework.key, settings.labels, settings.review_interval_days) == (
        "nhs-change-model-2018",
        {},
        90,
    )
    assert settings.version == 0


def test_the_defaults_read_even_before_the_frameworks_are_registered(
    container: Container,
) -> None:
    at = board(container, frameworks=False)
    before = head(container)

    settings = container.app.programme_framework(at.programme_id)

    assert settings.framework.component_keys[0] == "shared_purpose"
    assert head(container) == before


def test_setting_labels_and_interval_records_configured_and_the_view_keeps_them(
    container: Container,
) -> None:
    at = board(container)
    before = head(container)

    settings = container.app.set_programme_framework(
        by=at.ada,
        programme_id=at.programme_id,
        labels={"measurement": "Data we trust"},
        review_interval_days=30,
        expected_version=0,
    )

    assert names_after(container, before) == ["ProgrammeFramework.Configured"]
    assert settings.version == 1
    assert [
        (r["programme_id"], r["framework_key"], r["review_interval_days"], r["version"])
        for r in rows(container, PROGRAMME_SETTINGS, "programme_id")
    ] == [(str(at.programme_id), "nhs-change-model-2018", 30, 1)]
    assert [
        (r["component"], r["label"]) for r in rows(container, PROGRAMME_LABELS, "component")
    ] == [("measurement", "Data we trust")]


def test_changing_the_framework_and_labels_records_each_change_and_updates_the_view(
    container: Container,
) -> None:
    at = board(container)
    app = container.app
    app.set_programme_framework(by=at.ada, programme_id=at.programme_id, labels={"spread": "Scale"})
    before = head(container)

    app.set_programme_framework(
        by=at.ada,
        programme_id=at.programme_id,
        framework_key="nhs-change-model-2012",
        labels={"leadership": "Clinical leadership"},
        expected_version=1,
    )

    assert names_after(container, before) == [
        "ProgrammeFramework.FrameworkChosen",
        "ProgrammeFramework.LabelsChanged",
    ]
    container.catch_up()
    settings = ReviewQueries(container.views).programme_settings(str(at.programme_id))
    assert settings is not None
    assert (settings["framework_key"], settings["labels"], settings["version"]) == (
        "nhs-change-model-2012",
        {"leadership": "Clinical leadership"},
        3,
    )


def test_settings_based_on_a_stale_version_are_refused_and_record_nothing(
    container: Container,
) -> None:
    at = board(container)
    container.app.set_programme_framework(
        by=at.ada, programme_id=at.programme_id, review_interval_days=30
    )
    before = head(container)

    with pytest.raises(StaleVersion):
        container.app.set_programme_framework(
            by=at.ada, programme_id=at.programme_id, review_interval_days=60, expected_version=0
        )

    assert head(container) == before


def test_first_settings_based_on_a_version_other_than_0_are_stale(container: Container) -> None:
    at = board(container)

    with pytest.raises(StaleVersion):
        container.app.set_programme_framework(
            by=at.ada, programme_id=at.programme_id, review_interval_days=60, expected_version=1
        )


def test_choosing_an_unregistered_framework_is_refused_naming_framework_key(
    container: Container,
) -> None:
    at = board(container)

    with pytest.raises(InvalidValue) as refused:
        container.app.set_programme_framework(
            by=at.ada, programme_id=at.programme_id, framework_key="nhs-change-model-2030"
        )

    assert refused.value.field == "framework_key"


def test_someone_outside_the_participating_organisations_cannot_change_settings(
    container: Container,
) -> None:
    at = board(container)
    before = head(container)

    with pytest.raises(Forbidden) as refused:
        container.app.set_programme_framework(
            by=at.bob, programme_id=at.programme_id, review_interval_days=30
        )

    assert "Bob" in refused.value.message
    assert head(container) == before


def test_settings_read_as_of_a_version_or_a_time_before_they_were_set(
    container: Container,
) -> None:
    at = board(container)
    app = container.app
    app.set_programme_framework(by=at.ada, programme_id=at.programme_id, review_interval_days=30)
    app.set_programme_framework(by=at.ada, programme_id=at.programme_id, review_interval_days=60)
    created_at = app.programme_framework(at.programme_id).created_at
    assert created_at is not None

    at_v1 = app.programme_framework(at.programme_id, version=1)
    before_any = app.programme_framework(at.programme_id, at=created_at.replace(year=2000))

    assert (at_v1.review_interval_days, at_v1.version) == (30, 1)
    assert (before_any.review_interval_days, before_any.version) == (90, 0)
    assert app.programme_framework(at.programme_id).review_interval_days == 60
    assert app.as_of(ProgrammeFramework, programme_framework_id(at.programme_id)).version == 2


def test_reading_settings_of_an_unknown_programme_is_not_found(container: Container) -> None:
    with pytest.raises(NotFound):
        container.app.programme_framework(uuid4())


# Recording reviews


def test_recording_a_review_records_one_event_and_fills_every_review_table(
    container: Container,
) -> None:
    at = board(container)
    before = head(container)

    review = container.app.record_review(
        by=at.ada,
        programme_id=at.programme_id,
        reviewer_ids=[at.ada, at.bob],
        ratings=[
            rating("leadership", 4),
            rating("measurement", 2, evidence=["No baseline"], actions=[action(at.bob)]),
        ],
        held_on=date(2026, 1, 10),
    )

    assert names_after(container, before) == ["Review.Recorded"]
    assert container.app.history(Review, review.id)[0].actor_id == at.ada
    [row] = rows(container, REVIEWS, "id")
    assert (
        row["programme_id"],
        row["held_on"],
        row["rating_count"],
        row["unevidenced_count"],
        row["action_count"],
        row["open_action_count"],
    ) == (str(at.programme_id), "2026-01-10", 2, 1, 1, 1)
    assert [
        (r["component"], r["rating"], bool(r["evidenced"]), r["held_on"])
        for r in rows(container, RATINGS, "position")
    ] == [("leadership", 4, False, "2026-01-10"), ("measurement", 2, True, "2026-01-10")]
    assert [
        (r["action_index"], r["component"], r["owner_id"], r["due_on"], bool(r["completed"]))
        for r in rows(container, ACTIONS, "action_index")
    ] == [(0, "measurement", str(at.bob), "2026-03-01", False)]
    assert [r["person_id"] for r in rows(container, REVIEWERS, "position")] == [
        str(at.ada),
        str(at.bob),
    ]


def test_the_first_review_registers_the_shipped_framework_it_uses_if_missing(
    container: Container,
) -> None:
    at = board(container, frameworks=False)
    before = head(container)

    record(container, at, by=at.ada)

    assert names_after(container, before) == ["Review.Recorded", "ChangeFramework.Registered"]
    history = container.app.history(ChangeFramework, framework_id("nhs-change-model-2018"))
    assert history[0].actor_id is None


def test_someone_in_no_participating_organisation_cannot_record_a_review(
    container: Container,
) -> None:
    at = board(container)
    trust = provider(container)
    container.app.join_organisation(by=None, person_id=at.bob, organisation_id=trust.id)
    before = head(container)

    with pytest.raises(Forbidden):
        record(container, at, by=at.bob)

    assert head(container) == before


def test_the_platform_may_record_a_review(container: Container) -> None:
    at = board(container)

    review = record(container, at, by=None)

    assert container.app.history(Review, review.id)[0].actor_id is None


def test_an_unknown_reviewer_is_refused_naming_their_position(container: Container) -> None:
    at = board(container)
    before = head(container)

    with pytest.raises(ReferenceNotFound) as refused:
        container.app.record_review(
            by=at.ada,
            programme_id=at.programme_id,
            reviewer_ids=[at.ada, uuid4()],
            ratings=[rating()],
        )

    assert refused.value.field == "reviewer_ids[1]"
    assert head(container) == before


def test_an_unknown_action_owner_is_refused_naming_the_action(container: Container) -> None:
    at = board(container)

    with pytest.raises(ReferenceNotFound) as refused:
        record(container, at, rating("measurement", 2, actions=[action(uuid4())]), by=at.ada)

    assert refused.value.field == "ratings[0].actions[0].owner_id"


def test_a_review_of_an_unknown_programme_is_not_found(container: Container) -> None:
    at = board(container)

    with pytest.raises(NotFound):
        container.app.record_review(
            by=None, programme_id=uuid4(), reviewer_ids=[at.ada], ratings=[rating()]
        )


def test_components_are_checked_against_the_framework_the_programme_chose(
    container: Container,
) -> None:
    at = board(container)
    app = container.app
    app.register_framework(
        by=None,
        key="local-model-2026",
        title="Local",
        components=[{"key": "co_production", "label": "Co-production", "side": "soft"}],
    )
    app.set_programme_framework(
        by=at.ada, programme_id=at.programme_id, framework_key="local-model-2026"
    )

    review = record(container, at, rating("co_production", 4, evidence=["Panel met"]))
    with pytest.raises(InvalidValue) as refused:
        record(container, at, rating("measurement", 4))

    assert review.framework_key == "local-model-2026"
    assert refused.value.field == "ratings[0].component"


# Reading reviews from the view


def test_reviews_are_listed_newest_first_by_the_date_held_not_the_date_recorded(
    container: Container,
) -> None:
    at = board(container)
    january = record(container, at, held_on=date(2026, 1, 10))
    march = record(container, at, held_on=date(2026, 3, 10))
    february = record(container, at, held_on=date(2026, 2, 10))
    container.catch_up()
    queries = ReviewQueries(container.views)

    page = queries.list_reviews(programme_id=str(at.programme_id), limit=2, offset=0)
    rest = queries.list_reviews(programme_id=str(at.programme_id), limit=2, offset=2)

    assert [r["id"] for r in page.items + rest.items] == [
        str(march.id),
        str(february.id),
        str(january.id),
    ]
    assert page.total == 3
    assert page.items[0]["reviewer_ids"] == [str(at.ada)]
    assert page.items[0]["ratings"] == [
        {"component": "measurement", "rating": 3, "evidenced": True}
    ]


def test_the_latest_rating_of_a_component_is_the_one_held_last_even_if_entered_earlier(
    container: Container,
) -> None:
    at = board(container)
    march = record(
        container, at, rating("measurement", 4, evidence=["KPIs agreed"]), held_on=date(2026, 3, 1)
    )
    # Minutes of an older meeting, typed in afterwards: they do not displace March.
    record(container, at, rating("measurement", 1), rating("spread", 2), held_on=date(2026, 1, 1))
    container.catch_up()

    latest = ReviewQueries(container.views).latest_ratings(str(at.programme_id))

    assert sorted(latest) == ["measurement", "spread"]
    assert (
        latest["measurement"]["rating"],
        latest["measurement"]["held_on"],
        latest["measurement"]["evidenced"],
        latest["measurement"]["review_id"],
        latest["measurement"]["review_count"],
    ) == (4, "2026-03-01", True, str(march.id), 2)
    assert (latest["spread"]["rating"], latest["spread"]["evidenced"]) == (2, False)


# Completing actions


def test_completing_an_action_records_it_and_the_view_counts_fewer_open_actions(
    container: Container,
) -> None:
    at = board(container)
    review = record(
        container, at, rating("measurement", 2, actions=[action(at.ada), action(at.bob)])
    )
    before = head(container)

    container.app.complete_review_action(
        by=at.ada, review_id=review.id, index=1, completed_on=date(2026, 2, 1), expected_version=1
    )

    assert names_after(container, before) == ["Review.ActionCompleted"]
    [row] = rows(container, REVIEWS, "id")
    assert (row["open_action_count"], row["version"]) == (1, 2)
    assert [
        (bool(r["completed"]), r["completed_on"]) for r in rows(container, ACTIONS, "action_index")
    ] == [(False, None), (True, "2026-02-01")]


def test_completing_an_action_on_a_stale_version_is_refused(container: Container) -> None:
    at = board(container)
    review = record(container, at, rating("measurement", 2, actions=[action(at.ada)]))

    with pytest.raises(StaleVersion):
        container.app.complete_review_action(
            by=at.ada, review_id=review.id, index=0, expected_version=2
        )


def test_someone_outside_the_programme_cannot_complete_an_action(container: Container) -> None:
    at = board(container)
    review = record(container, at, rating("measurement", 2, actions=[action(at.ada)]))

    with pytest.raises(Forbidden):
        container.app.complete_review_action(by=at.bob, review_id=review.id, index=0)


# An owner leaving


def test_an_action_owner_leaving_flags_their_open_actions_in_the_same_change(
    container: Container,
) -> None:
    at = board(container)
    app = container.app
    first = record(container, at, rating("measurement", 2, actions=[action(at.ada)]))
    second = record(container, at, rating("spread", 2, actions=[action(at.bob), action(at.ada)]))
    done = record(container, at, rating("delivery", 2, actions=[action(at.ada)]))
    app.complete_review_action(by=None, review_id=done.id, index=0)
    before = head(container)

    app.leave_organisation(by=None, person_id=at.ada, organisation_id=at.icb_id)

    assert names_after(container, before) == [
        "Person.LeftOrganisation",
        "Review.ActionOwnerLeft",
        "Review.ActionOwnerLeft",
    ]
    flagged = {
        (r["review_id"], r["action_index"])
        for r in rows(container, ACTIONS, "review_id")
        if r["owner_left_organisation_id"] == str(at.icb_id)
    }
    assert flagged == {(str(first.id), 0), (str(second.id), 1)}


# The view


def test_rebuilding_the_reviews_view_gives_the_same_rows(container: Container) -> None:
    at = board(container)
    app = container.app
    app.set_programme_framework(by=at.ada, programme_id=at.programme_id, labels={"spread": "Scale"})
    app.set_programme_framework(by=at.ada, programme_id=at.programme_id, review_interval_days=45)
    review = record(container, at, rating("measurement", 2, actions=[action(at.ada)]))
    app.complete_review_action(by=at.ada, review_id=review.id, index=0)
    record(container, at, rating("spread", 5, actions=[action(at.ada)]))
    app.leave_organisation(by=None, person_id=at.ada, organisation_id=at.icb_id)
    before = view_rows(container)

    container.processors["reviews"].rebuild()

    assert view_rows(container) == before
