"""Programme framework settings, component reviews and their actions through the HTTP API."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID

import pytest

from domain.values import CHANGE_MODEL_KEYS
from infra.bootstrap import Container
from tests.e2e.reviews_support import Board, action, board, rating, record, review_body
from tests.e2e.support import (
    UNKNOWN_ID,
    Client,
    assert_problem,
    assert_utc_iso,
    event_count,
    history,
    post_ok,
)


@pytest.fixture
def at(client: Client, container: Container, ada_id: UUID) -> Board:
    return board(client, container, ada_id)


def future() -> str:
    return (datetime.now(UTC) + timedelta(days=2)).date().isoformat()


# Programme framework settings


def test_a_programme_reads_the_2018_model_with_framework_labels_until_it_sets_its_own(
    client: Client, at: Board
) -> None:
    response = client.get(f"{at.path}/framework")

    assert response.status_code == 200
    assert response.headers["etag"] == '"0"'
    body = response.json()
    assert (body["framework_key"], body["review_interval_days"], body["labels"]) == (
        "nhs-change-model-2018",
        90,
        {},
    )
    assert len(body["components"]) == 8
    assert body["components"][1] == {
        "key": "leadership",
        "side": "soft",
        "framework_label": "Leadership by all",
        "label": "Leadership by all",
        "overridden": False,
    }
    assert (body["version"], body["created_at"]) == (0, None)


def test_setting_display_labels_and_interval_shows_them_beside_the_framework_labels(
    client: Client, at: Board
) -> None:
    response = client.put(
        f"{at.path}/framework",
        json={"labels": {"measurement": "Data we trust"}, "review_interval_days": 30},
        headers={"If-Match": '"0"'},
    )

    assert response.status_code == 200
    assert response.headers["etag"] == '"1"'
    body = response.json()
    measurement = next(c for c in body["components"] if c["key"] == "measurement")
    assert (measurement["label"], measurement["framework_label"], measurement["overridden"]) == (
        "Data we trust",
        "Measurement",
        True,
    )
    assert (body["labels"], body["review_interval_days"]) == ({"measurement": "Data we trust"}, 30)
    assert_utc_iso(body["updated_at"])
    assert client.get(f"{at.path}/framework").json() == body


def test_choosing_the_2012_model_shows_its_labels(client: Client, at: Board) -> None:
    body = client.put(
        f"{at.path}/framework", json={"framework_key": "nhs-change-model-2012"}
    ).json()

    assert body["framework_title"] == "NHS Change Model (2012)"
    assert body["components"][5]["label"] == "Rigorous delivery"


def test_a_label_for_an_unknown_component_is_422_naming_it(client: Client, at: Board) -> None:
    response = client.put(f"{at.path}/framework", json={"labels": {"finance": "Money"}})

    assert_problem(response, 422, field="labels.finance")


@pytest.mark.parametrize("days", [0, 731])
def test_a_review_interval_outside_1_to_730_is_422_naming_it(
    client: Client, at: Board, days: int
) -> None:
    response = client.put(f"{at.path}/framework", json={"review_interval_days": days})

    assert_problem(response, 422, field="review_interval_days")


def test_choosing_an_unregistered_framework_is_422_naming_framework_key(
    client: Client, at: Board
) -> None:
    response = client.put(f"{at.path}/framework", json={"framework_key": "made-up-model"})

    assert_problem(response, 422, field="framework_key")


def test_changing_settings_on_a_stale_if_match_is_409(client: Client, at: Board) -> None:
    client.put(f"{at.path}/framework", json={"review_interval_days": 30})

    response = client.put(
        f"{at.path}/framework", json={"review_interval_days": 60}, headers={"If-Match": '"0"'}
    )

    body = assert_problem(response, 409)
    assert body["current_version"] == 1


def test_someone_outside_the_programme_cannot_change_its_settings(
    client: Client, container: Container, ada_id: UUID
) -> None:
    at = board(client, container, ada_id)
    post_ok(client, f"/people/{ada_id}/leave", {"organisation_id": at.icb_id})

    response = client.put(f"{at.path}/framework", json={"review_interval_days": 30})

    assert_problem(response, 403, detail="not a member")


def test_settings_of_an_unknown_or_malformed_programme_are_404(client: Client) -> None:
    assert_problem(client.get(f"/programmes/{UNKNOWN_ID}/framework"), 404)
    assert_problem(client.get("/programmes/not-an-id/framework"), 404, detail="UUID")


def test_settings_read_as_they_were_at_a_version_and_before_they_were_set(
    client: Client, at: Board
) -> None:
    client.put(f"{at.path}/framework", json={"review_interval_days": 30})
    client.put(f"{at.path}/framework", json={"review_interval_days": 60})

    at_v1 = client.get(f"{at.path}/framework", params={"version": 1})
    before = client.get(f"{at.path}/framework", params={"as_of": "2001-01-01T00:00:00Z"})

    assert (at_v1.headers["etag"], at_v1.json()["review_interval_days"]) == ('"1"', 30)
    assert (before.headers["etag"], before.json()["review_interval_days"]) == ('"0"', 90)


def test_the_settings_history_lists_each_change(client: Client, at: Board, ada_id: UUID) -> None:
    assert history(client, f"{at.path}/framework") == []
    client.put(f"{at.path}/framework", json={"review_interval_days": 30})
    client.put(f"{at.path}/framework", json={"labels": {"spread": "Scaling up"}})

    items = history(client, f"{at.path}/framework")

    assert [(item["type"], item["actor_id"]) for item in items] == [
        ("Configured", str(ada_id)),
        ("LabelsChanged", str(ada_id)),
    ]


# Recording a review


def test_recording_a_review_answers_201_with_ratings_evidence_and_numbered_actions(
    client: Client, at: Board
) -> None:
    response = client.post(
        f"{at.path}/reviews",
        json=review_body(
            at,
            rating("leadership", 4),
            rating("measurement", 2, evidence=["No baseline"], actions=[action(at.grace)]),
            reviewer_ids=[at.ada, at.grace],
        ),
    )

    assert response.status_code == 201
    assert response.headers["etag"] == '"1"'
    body = response.json()
    assert (body["programme_id"], body["framework_key"], body["held_on"]) == (
        at.programme_id,
        "nhs-change-model-2018",
        "2026-01-10",
    )
    assert body["reviewer_ids"] == [at.ada, at.grace]
    leadership, measurement = body["ratings"]
    assert (leadership["framework_label"], leadership["side"], leadership["evidenced"]) == (
        "Leadership by all",
        "soft",
        False,
    )
    assert measurement["evidence"] == ["No baseline"]
    assert measurement["actions"] == [
        {
            "index": 0,
            "description": "Agree KPIs",
            "owner_id": at.grace,
            "due_on": "2026-03-01",
            "completed": False,
            "completed_on": None,
            "completion_note": "",
            "owner_left_organisation_id": None,
        }
    ]
    assert body["unevidenced_components"] == ["leadership"]
    assert_utc_iso(body["recorded_at"])


def test_a_review_without_held_on_is_held_today(client: Client, at: Board) -> None:
    body = post_ok(
        client,
        f"{at.path}/reviews",
        {"reviewer_ids": [at.ada], "ratings": [rating(evidence=["Seen"])]},
        status=201,
    )

    assert body["held_on"] == datetime.now(UTC).date().isoformat()


def test_a_rating_outside_1_to_5_is_422_naming_its_position(client: Client, at: Board) -> None:
    body = review_body(at, rating("leadership"), rating("spread"), rating("measurement", 6))

    response = client.post(f"{at.path}/reviews", json=body)

    assert_problem(response, 422, field="ratings[2].rating")


def test_a_fractional_rating_is_422_naming_it(client: Client, at: Board) -> None:
    response = client.post(f"{at.path}/reviews", json=review_body(at, rating(value=2.5)))

    assert_problem(response, 422, field="ratings[0].rating")


def test_a_component_rated_twice_is_422_naming_the_second(client: Client, at: Board) -> None:
    response = client.post(
        f"{at.path}/reviews", json=review_body(at, rating("spread"), rating("spread"))
    )

    assert_problem(response, 422, field="ratings[1].component", detail="more than once")


def test_a_component_outside_the_programmes_framework_is_422_naming_it(
    client: Client, at: Board
) -> None:
    response = client.post(f"{at.path}/reviews", json=review_body(at, rating("finance")))

    assert_problem(response, 422, field="ratings[0].component")


def test_a_review_held_in_the_future_is_422_naming_held_on(client: Client, at: Board) -> None:
    response = client.post(f"{at.path}/reviews", json=review_body(at, held_on=future()))

    assert_problem(response, 422, field="held_on", detail="future")


@pytest.mark.parametrize("held_on", ["10/01/2026", "2026-13-01", "2026-01-10T10:00:00Z"])
def test_a_malformed_held_on_is_422_naming_it(client: Client, at: Board, held_on: str) -> None:
    response = client.post(f"{at.path}/reviews", json=review_body(at, held_on=held_on))

    assert_problem(response, 422, field="held_on")


def test_a_malformed_action_due_date_is_422_naming_it(client: Client, at: Board) -> None:
    body = review_body(at, rating(actions=[action(at.ada, due_on="soon")]))

    response = client.post(f"{at.path}/reviews", json=body)

    assert_problem(response, 422, field="ratings[0].actions[0].due_on")


def test_an_unknown_action_owner_is_422_naming_it(client: Client, at: Board) -> None:
    body = review_body(at, rating(actions=[action(UNKNOWN_ID)]))

    response = client.post(f"{at.path}/reviews", json=body)

    assert_problem(response, 422, field="ratings[0].actions[0].owner_id")


def test_an_unknown_reviewer_is_422_naming_them(client: Client, at: Board) -> None:
    response = client.post(
        f"{at.path}/reviews", json=review_body(at, reviewer_ids=[at.ada, UNKNOWN_ID])
    )

    assert_problem(response, 422, field="reviewer_ids[1]")


def test_a_review_without_reviewers_is_422_naming_reviewer_ids(client: Client, at: Board) -> None:
    response = client.post(f"{at.path}/reviews", json=review_body(at, reviewer_ids=[]))

    assert_problem(response, 422, field="reviewer_ids")


def test_a_review_with_an_unknown_field_is_422_naming_it(client: Client, at: Board) -> None:
    response = client.post(f"{at.path}/reviews", json=review_body(at, score=3))

    assert_problem(response, 422, field="score")


def test_someone_outside_the_programme_cannot_record_a_review(
    client: Client, container: Container, ada_id: UUID
) -> None:
    at = board(client, container, ada_id)
    post_ok(client, f"/people/{ada_id}/leave", {"organisation_id": at.icb_id})
    before = event_count(client)

    response = client.post(f"{at.path}/reviews", json=review_body(at))

    assert_problem(response, 403, detail="not a member")
    assert event_count(client) == before


def test_a_review_of_an_unknown_programme_is_404(client: Client, at: Board) -> None:
    response = client.post(f"/programmes/{UNKNOWN_ID}/reviews", json=review_body(at))

    assert_problem(response, 404)


def test_recording_with_an_idempotency_key_twice_records_one_review(
    client: Client, at: Board
) -> None:
    headers = {"Idempotency-Key": "review-1"}
    first = client.post(f"{at.path}/reviews", json=review_body(at), headers=headers)

    again = client.post(f"{at.path}/reviews", json=review_body(at), headers=headers)

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json()["id"] == first.json()["id"]
    assert client.get(f"{at.path}/reviews").json()["total"] == 1


# Reading reviews


def test_reviews_list_newest_first_by_the_date_held_with_paging(client: Client, at: Board) -> None:
    january = record(client, at, held_on="2026-01-10")
    march = record(client, at, held_on="2026-03-10")
    february = record(client, at, rating("spread", 2), held_on="2026-02-10")

    first = client.get(f"{at.path}/reviews", params={"limit": 2}).json()
    rest = client.get(f"{at.path}/reviews", params={"limit": 2, "offset": 2}).json()

    assert [r["id"] for r in first["items"] + rest["items"]] == [
        march["id"],
        february["id"],
        january["id"],
    ]
    assert (first["total"], first["limit"], first["offset"]) == (3, 2, 0)
    assert first["items"][1]["ratings"] == [
        {"component": "spread", "rating": 2, "evidenced": False}
    ]
    assert first["items"][1]["unevidenced_count"] == 1


def test_reviews_of_an_unknown_programme_are_404(client: Client) -> None:
    assert_problem(client.get(f"/programmes/{UNKNOWN_ID}/reviews"), 404)


def test_reading_a_review_gives_it_with_its_version_as_etag(client: Client, at: Board) -> None:
    created = record(client, at)

    response = client.get(f"/reviews/{created['id']}")

    assert response.status_code == 200
    assert response.headers["etag"] == '"1"'
    assert response.json() == created


def test_reading_an_unknown_or_malformed_review_is_404(client: Client) -> None:
    assert_problem(client.get(f"/reviews/{UNKNOWN_ID}"), 404)
    assert_problem(client.get("/reviews/not-an-id"), 404, detail="UUID")


def test_a_review_reads_as_it_was_before_its_action_was_completed(
    client: Client, at: Board
) -> None:
    created = record(client, at, rating(actions=[action(at.ada)]))
    path = f"/reviews/{created['id']}"
    post_ok(client, f"{path}/actions/0/complete", {"completed_on": "2026-02-01"})

    at_v1 = client.get(path, params={"version": 1})
    as_of = client.get(path, params={"as_of": created["recorded_at"]})
    now = client.get(path)

    assert at_v1.json()["ratings"][0]["actions"][0]["completed"] is False
    assert as_of.json()["version"] == 1
    assert now.json()["ratings"][0]["actions"][0]["completed_on"] == "2026-02-01"


def test_a_review_history_lists_its_recording_and_completions(
    client: Client, at: Board, ada_id: UUID
) -> None:
    created = record(client, at, rating(actions=[action(at.ada)]))
    post_ok(client, f"/reviews/{created['id']}/actions/0/complete", {"note": "Done"})

    items = history(client, f"/reviews/{created['id']}")

    assert [(item["type"], item["actor_id"]) for item in items] == [
        ("Recorded", str(ada_id)),
        ("ActionCompleted", str(ada_id)),
    ]
    assert items[0]["data"]["held_on"] == "2026-01-10"


def test_components_show_each_latest_rating_with_the_programmes_labels(
    client: Client, at: Board
) -> None:
    client.put(
        f"{at.path}/framework",
        json={"labels": {"measurement": "Data we trust"}, "review_interval_days": 30},
    )
    recent = datetime.now(UTC).date() - timedelta(days=1)
    latest = record(client, at, rating("measurement", 4, evidence=["KPIs"]), held_on=str(recent))
    record(client, at, rating("measurement", 1), rating("spread", 2), held_on="2026-01-10")

    body = client.get(f"{at.path}/components").json()

    assert (body["framework_key"], body["review_interval_days"]) == ("nhs-change-model-2018", 30)
    items = {item["component"]: item for item in body["items"]}
    assert tuple(items) == CHANGE_MODEL_KEYS
    measurement = items["measurement"]
    assert (
        measurement["label"],
        measurement["framework_label"],
        measurement["rating"],
        measurement["held_on"],
        measurement["evidenced"],
        measurement["review_id"],
        measurement["review_count"],
        measurement["stale"],
    ) == ("Data we trust", "Measurement", 4, str(recent), True, latest["id"], 2, False)
    assert (items["spread"]["rating"], items["spread"]["evidenced"], items["spread"]["stale"]) == (
        2,
        False,
        True,
    )
    assert items["spread"]["review_due_on"] == "2026-02-09"
    assert (items["leadership"]["rating"], items["leadership"]["review_count"]) == (None, 0)


def test_components_of_an_unknown_programme_are_404(client: Client) -> None:
    assert_problem(client.get(f"/programmes/{UNKNOWN_ID}/components"), 404)


# Completing actions


def test_completing_an_action_answers_the_review_with_the_action_done(
    client: Client, at: Board
) -> None:
    created = record(client, at, rating(actions=[action(at.ada), action(at.grace)]))

    response = client.post(
        f"/reviews/{created['id']}/actions/1/complete",
        json={"completed_on": "2026-02-01", "note": "Published"},
        headers={"If-Match": '"1"'},
    )

    assert response.status_code == 200
    assert response.headers["etag"] == '"2"'
    done = response.json()["ratings"][0]["actions"][1]
    assert (done["completed"], done["completed_on"], done["completion_note"]) == (
        True,
        "2026-02-01",
        "Published",
    )
    listed = client.get(f"{at.path}/reviews").json()["items"][0]
    assert (listed["action_count"], listed["open_action_count"]) == (2, 1)


def test_completing_an_action_without_a_body_completes_it_today(client: Client, at: Board) -> None:
    created = record(client, at, rating(actions=[action(at.ada)]))

    body = post_ok(client, f"/reviews/{created['id']}/actions/0/complete")

    today = datetime.now(UTC).date().isoformat()
    assert body["ratings"][0]["actions"][0]["completed_on"] == today


def test_completing_an_action_twice_is_409_saying_when_it_was_done(
    client: Client, at: Board
) -> None:
    created = record(client, at, rating(actions=[action(at.ada)]))
    path = f"/reviews/{created['id']}/actions/0/complete"
    post_ok(client, path, {"completed_on": "2026-02-01"})

    assert_problem(client.post(path, json={}), 409, detail="already completed on 2026-02-01")


def test_completing_an_action_the_review_does_not_have_is_404(client: Client, at: Board) -> None:
    created = record(client, at, rating(actions=[action(at.ada)]))

    response = client.post(f"/reviews/{created['id']}/actions/3/complete", json={})

    assert_problem(response, 404, detail="numbered from 0")


def test_completing_an_action_of_an_unknown_review_is_404(client: Client) -> None:
    assert_problem(client.post(f"/reviews/{UNKNOWN_ID}/actions/0/complete", json={}), 404)


def test_completing_an_action_before_the_review_was_held_is_422_naming_completed_on(
    client: Client, at: Board
) -> None:
    created = record(client, at, rating(actions=[action(at.ada)]))

    response = client.post(
        f"/reviews/{created['id']}/actions/0/complete", json={"completed_on": "2025-12-31"}
    )

    assert_problem(response, 422, field="completed_on")


def test_completing_an_action_on_a_stale_if_match_is_409(client: Client, at: Board) -> None:
    created = record(client, at, rating(actions=[action(at.ada), action(at.ada)]))
    post_ok(client, f"/reviews/{created['id']}/actions/0/complete", {})

    response = client.post(
        f"/reviews/{created['id']}/actions/1/complete", json={}, headers={"If-Match": '"1"'}
    )

    assert assert_problem(response, 409)["current_version"] == 2


def test_completing_with_an_idempotency_key_twice_replays_instead_of_refusing(
    client: Client, at: Board
) -> None:
    created = record(client, at, rating(actions=[action(at.ada)]))
    path = f"/reviews/{created['id']}/actions/0/complete"
    headers = {"Idempotency-Key": "complete-1"}
    client.post(path, json={}, headers=headers)

    again = client.post(path, json={}, headers=headers)

    assert again.status_code == 200
    assert again.headers["idempotent-replayed"] == "true"


def test_an_action_owner_leaving_shows_on_their_open_actions(
    client: Client, container: Container, at: Board
) -> None:
    trust = post_ok(
        client, "/organisations", {"name": "Leeds Trust", "kind": "provider"}, status=201
    )
    post_ok(client, f"/people/{at.grace}/join", {"organisation_id": trust["id"]})
    created = record(client, at, rating(actions=[action(at.grace)]))

    post_ok(client, f"/people/{at.grace}/leave", {"organisation_id": trust["id"]})

    flagged = client.get(f"/reviews/{created['id']}").json()["ratings"][0]["actions"][0]
    assert flagged["owner_left_organisation_id"] == trust["id"]
