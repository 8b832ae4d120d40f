"""The alerts API over HTTP: alerts the scheduled jobs raised, listed, read, as of a time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from infra.bootstrap import Container
from services.jobs import run_jobs
from tests.e2e.role_support import Board
from tests.e2e.support import (
    UNKNOWN_ID,
    Client,
    assert_problem,
    assert_utc_iso,
    post_ok,
)


def listed(client: Client, **params: Any) -> dict[str, Any]:
    response = client.get("/alerts", params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def vacant_critical_role(client: Client, container: Container, ada_id: UUID) -> tuple[Board, str]:
    """A programme whose SRO role is critical and vacant, alerted by the job."""
    board = Board(client, ada_id)
    role = board.role("sro", critical=True)
    run_jobs(container, ["flag_vacant_critical_roles"])
    return board, role["id"]


def test_an_alert_raised_by_a_job_is_listed_with_what_was_found(
    client: Client, container: Container, ada_id: UUID
) -> None:
    board, role_id = vacant_critical_role(client, container, ada_id)

    body = listed(client, programme_id=board.programme)

    assert (body["total"], body["limit"], body["offset"], body["as_of"]) == (1, 50, 0, None)
    assert body["today"] == datetime.now(UTC).date().isoformat()
    alert = body["items"][0]
    assert alert["kind"] == "critical_role_vacant"
    assert alert["subject_kind"] == "role"
    assert alert["subject_id"] == role_id
    assert alert["programme_id"] == board.programme
    assert alert["open"] is True
    assert alert["status"] == "open"
    assert alert["details"]["reason"] == "no_holder"
    assert "Senior responsible owner" in alert["summary"]
    assert_utc_iso(alert["raised_at"])
    assert alert["cleared_at"] is None


def test_a_filled_role_s_alert_is_cleared_and_stays_listed_with_the_reason(
    client: Client, container: Container, ada_id: UUID
) -> None:
    board, role_id = vacant_critical_role(client, container, ada_id)
    post_ok(client, f"/roles/{role_id}/assignment", {"holder_id": board.ada})
    run_jobs(container, ["flag_vacant_critical_roles"])

    open_ones = listed(client, open="true")
    cleared = listed(client, open="false", kind="critical_role_vacant")

    assert open_ones["total"] == 0
    assert cleared["total"] == 1
    alert = cleared["items"][0]
    assert alert["open"] is False
    assert alert["cleared_reason"] == "the role is held again"
    assert_utc_iso(alert["cleared_at"])


def test_an_alert_is_read_by_id_now_and_as_of_before_it_was_cleared(
    client: Client, container: Container, ada_id: UUID
) -> None:
    board, role_id = vacant_critical_role(client, container, ada_id)
    alert_id = listed(client)["items"][0]["id"]
    while_open = datetime.now(UTC).isoformat().replace("+00:00", "Z")
    post_ok(client, f"/roles/{role_id}/assignment", {"holder_id": board.ada})
    run_jobs(container, ["flag_vacant_critical_roles"])

    now = client.get(f"/alerts/{alert_id}")
    then = client.get(f"/alerts/{alert_id}", params={"as_of": while_open})
    listed_then = listed(client, as_of=while_open, open="true")

    assert now.status_code == 200, now.text
    assert (now.json()["open"], now.json()["as_of"]) == (False, None)
    assert then.status_code == 200, then.text
    assert then.json()["open"] is True
    assert then.json()["as_of"] is not None
    assert [item["id"] for item in listed_then["items"]] == [alert_id]


def test_an_alerts_history_shows_it_raised_and_cleared_by_the_platform(
    client: Client, container: Container, ada_id: UUID
) -> None:
    board, role_id = vacant_critical_role(client, container, ada_id)
    alert_id = listed(client)["items"][0]["id"]
    post_ok(client, f"/roles/{role_id}/assignment", {"holder_id": board.ada})
    run_jobs(container, ["flag_vacant_critical_roles"])

    response = client.get(f"/alerts/{alert_id}/history")

    assert response.status_code == 200, response.text
    items = response.json()["items"]
    assert [item["type"] for item in items] == ["Raised", "Cleared"]
    assert all(item["actor_id"] is None for item in items)


def test_alerts_are_paginated(client: Client, container: Container, ada_id: UUID) -> None:
    board = Board(client, ada_id)
    board.role("sro", critical=True)
    board.role("clinical_lead", critical=True)
    board.role("measurement_lead", critical=True)
    run_jobs(container, ["flag_vacant_critical_roles"])

    first = listed(client, limit=2)
    rest = listed(client, limit=2, offset=2)

    assert (first["total"], len(first["items"]), len(rest["items"])) == (3, 2, 1)
    ids = {item["id"] for item in first["items"] + rest["items"]}
    assert len(ids) == 3


def test_an_alert_before_it_was_raised_is_not_found(
    client: Client, container: Container, ada_id: UUID
) -> None:
    before = (datetime.now(UTC) - timedelta(minutes=5)).isoformat()
    vacant_critical_role(client, container, ada_id)
    alert_id = listed(client)["items"][0]["id"]

    response = client.get(f"/alerts/{alert_id}", params={"as_of": before})

    assert_problem(response, 404)


def test_unknown_and_malformed_alert_ids_are_not_found(client: Client) -> None:
    assert_problem(client.get(f"/alerts/{UNKNOWN_ID}"), 404)
    assert_problem(client.get("/alerts/not-a-uuid"), 404, detail="ids are UUIDs")
    assert_problem(client.get(f"/alerts/{UNKNOWN_ID}/history"), 404)


def test_alerts_of_an_unknown_programme_are_not_found(client: Client) -> None:
    assert_problem(client.get("/alerts", params={"programme_id": UNKNOWN_ID}), 404)


def test_bad_filters_are_refused_as_invalid_input(client: Client) -> None:
    assert_problem(client.get("/alerts", params={"as_of": "yesterday"}), 422, field="as_of")
    assert_problem(
        client.get("/alerts", params={"as_of": "2026-11-23T10:00:00"}), 422, field="as_of"
    )
    assert_problem(client.get("/alerts", params={"kind": "budget_overspent"}), 422)
    assert_problem(client.get("/alerts", params={"open": "maybe"}), 422)
    assert_problem(client.get("/alerts", params={"limit": 0}), 422)


def test_reading_alerts_needs_a_token(anonymous: Client) -> None:
    assert_problem(anonymous.get("/alerts"), 401)
