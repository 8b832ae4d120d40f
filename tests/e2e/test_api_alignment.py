"""The alignment dashboard over HTTP: figures, as-of reads, 404 and 422."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from infra.bootstrap import Container
from tests.e2e.reviews_support import Board, board
from tests.e2e.support import (
    UNKNOWN_ID,
    Client,
    assert_problem,
    post_ok,
    register_organisation,
)


def held(days_ago: int) -> str:
    return (datetime.now(UTC).date() - timedelta(days=days_ago)).isoformat()


def review(client: Client, at: Board, days_ago: int, **ratings: int) -> None:
    body = {
        "reviewer_ids": [at.ada],
        "held_on": held(days_ago),
        "ratings": [
            {"component": key, "rating": value, "evidence": ["Board minutes"]}
            for key, value in ratings.items()
        ],
    }
    post_ok(client, f"{at.path}/reviews", body, status=201)


def decide(client: Client, at: Board, *components: str) -> None:
    body = {
        "title": "Decision",
        "rationale": "Because",
        "organisation_id": at.icb_id,
        "components": list(components),
    }
    post_ok(client, f"{at.path}/decisions", body, status=201)


def dashboard(client: Client, at: Board, as_of: str | None = None) -> dict[str, Any]:
    params = {"as_of": as_of} if as_of else {}
    response = client.get(f"{at.path}/alignment", params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_the_dashboard_answers_with_the_programmes_figures(
    client: Client, container: Container, ada_id: UUID
) -> None:
    at = board(client, container, ada_id)
    trust = register_organisation(client)
    post_ok(
        client,
        f"{at.path}/participants",
        {"organisation_id": trust["id"], "role": "provider"},
        status=201,
    )
    labelled = client.put(
        f"{at.path}/framework", json={"labels": {"leadership": "Clinical leadership"}}
    )
    assert labelled.status_code == 200, labelled.text
    review(client, at, 200, measurement=4)
    review(client, at, 5, leadership=3, engagement=4, measurement=2)
    for components in (["leadership"], ["leadership", "engagement"], ["engagement"]):
        decide(client, at, *components)
    post_ok(client, f"{at.path}/shared-purpose", {"text": "Care closer to home"}, status=201)
    post_ok(
        client,
        f"{at.path}/shared-purpose/endorsements",
        {"organisation_id": at.icb_id, "version": 1},
        status=201,
    )
    container.app.dispute_shared_purpose(
        by=None,
        programme_id=UUID(at.programme_id),
        organisation_id=UUID(trust["id"]),
        version=1,
        reason="No beds",
    )

    body = dashboard(client, at)
    components = {c["key"]: c for c in body["components"]}

    assert body["programme_id"] == at.programme_id
    assert body["as_of"] is None
    assert body["today"] == datetime.now(UTC).date().isoformat()
    assert body["framework_key"] == "nhs-change-model-2018"
    assert components["leadership"]["label"] == "Clinical leadership"
    assert components["measurement"] == {
        "key": "measurement",
        "label": "Measurement",
        "side": "hard",
        "latest_rating": 2,
        "previous_rating": 4,
        "trend": "declining",
        "last_reviewed_on": held(5),
        "evidenced": True,
        "open_actions": 0,
        "reviewed": True,
        "stale": False,
        "weak": True,
        "decision_count": 0,
    }
    assert body["never_reviewed"] == [
        "shared_purpose",
        "spread",
        "improvement",
        "delivery",
        "system_drivers",
    ]
    assert body["stale"] == []
    assert body["weak"] == ["measurement"]
    assert body["balance"]["neglected_side"] == "hard"
    assert body["balance"]["soft"]["mean_latest_rating"] == 3.5
    assert body["tunnel_vision"]["flag"] is True
    assert body["tunnel_vision"]["concentrated_on"] == ["leadership", "engagement"]
    purpose = body["shared_purpose"]
    assert (purpose["version"], purpose["participants"], purpose["endorsing"]) == (1, 2, 1)
    assert purpose["endorsement_share"] == 0.5
    assert purpose["disputes"] == [
        {"organisation_id": trust["id"], "name": "Leeds Teaching Hospitals", "reason": "No beds"}
    ]
    assert purpose["not_responded"] == []
    assert body["summary"] == (
        "5 of 8 components never reviewed, 1 weak, hard side neglected (1 of 5 reviewed in the"
        " last 90 days); 1 of 2 organisations endorse the shared purpose (1 disputes);"
        " decisions concentrate on Clinical leadership and Motivate and mobilise"
    )


def test_as_of_a_past_time_shows_what_was_recorded_then(
    client: Client, container: Container, ada_id: UUID
) -> None:
    at = board(client, container, ada_id)
    review(client, at, 3, delivery=4)
    between = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    review(client, at, 1, delivery=5)

    then = dashboard(client, at, between)
    now = dashboard(client, at)
    delivery_then = next(c for c in then["components"] if c["key"] == "delivery")
    delivery_now = next(c for c in now["components"] if c["key"] == "delivery")

    assert then["as_of"] == between
    assert (delivery_then["latest_rating"], delivery_then["trend"]) == (4, "first")
    assert (delivery_now["latest_rating"], delivery_now["trend"]) == (5, "improving")
    assert then["shared_purpose"]["statement_id"] is None


def test_an_unknown_programme_is_not_found(client: Client) -> None:
    assert_problem(client.get(f"/programmes/{UNKNOWN_ID}/alignment"), 404)
    assert_problem(client.get("/programmes/not-a-uuid/alignment"), 404)


def test_a_programme_read_as_of_before_it_existed_is_not_found(
    client: Client, container: Container, ada_id: UUID
) -> None:
    at = board(client, container, ada_id)

    response = client.get(f"{at.path}/alignment", params={"as_of": "2020-01-01T00:00:00Z"})

    assert_problem(response, 404)


def test_a_malformed_or_naive_as_of_is_invalid_input(
    client: Client, container: Container, ada_id: UUID
) -> None:
    at = board(client, container, ada_id)

    for value in ("yesterday", "2026-11-23T10:00:00"):
        response = client.get(f"{at.path}/alignment", params={"as_of": value})
        assert_problem(response, 422, field="as_of")
