"""A commitment's lifecycle through the HTTP API: who may act, and which moves are refused."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import pytest

from infra.bootstrap import Container
from tests.e2e.commitment_support import (
    World,
    accepted,
    back_dated,
    days,
    make,
    ok,
    today,
    world,
)
from tests.e2e.support import UNKNOWN_ID, Client, assert_problem, event_count


@pytest.fixture
def w(container: Container, ada_id: UUID) -> World:
    return world(container, ada_id)


def path(made: dict[str, Any], action: str) -> str:
    return f"/commitments/{made['id']}/{action}"


# Accepting


def test_a_commissioner_member_accepts_a_proposed_commitment(client: Client, w: World) -> None:
    made = make(client, w)

    response = client.post(path(made, "accept"), headers=w.bea)

    assert response.status_code == 200, response.text
    assert response.headers["etag"] == '"2"'
    body = response.json()
    assert body["status"] == "accepted"
    assert body["accepted_at"] == body["updated_at"]
    assert (body["statuses"][-1]["party"], body["statuses"][-1]["actor_id"]) == (
        "commissioner",
        w.bea_id,
    )


def test_the_provider_accepting_its_own_commitment_is_refused_with_403(
    client: Client, w: World
) -> None:
    made = make(client, w)

    assert_problem(client.post(path(made, "accept")), 403, detail="only the commissioner can")


def test_someone_on_neither_side_of_a_commitment_in_no_programme_cannot_see_it_to_accept(
    client: Client, w: World
) -> None:
    made = make(client, w)

    response = client.post(path(made, "accept"), headers=w.olly)

    assert_problem(response, 404, detail=f"no commitment with id {made['id']}")


def test_accepting_twice_is_refused_with_409_saying_it_is_already_accepted(
    client: Client, w: World
) -> None:
    made = accepted(client, w)

    response = client.post(path(made, "accept"), headers=w.bea)

    assert_problem(response, 409, detail="already accepted")


def test_accepting_an_unknown_commitment_is_404(client: Client, w: World) -> None:
    response = client.post(f"/commitments/{UNKNOWN_ID}/accept", headers=w.bea)

    assert_problem(response, 404)


def test_accepting_with_a_stale_if_match_is_refused_with_409(client: Client, w: World) -> None:
    made = make(client, w)
    ok(client, path(made, "progress"), {"percent": 5, "note": "Planning"})

    response = client.post(path(made, "accept"), headers={**w.bea, "If-Match": '"1"'})

    body = assert_problem(response, 409, detail="version 2")
    assert body["current_version"] == 2


def test_accepting_with_the_current_if_match_succeeds(client: Client, w: World) -> None:
    made = make(client, w)

    response = client.post(path(made, "accept"), headers={**w.bea, "If-Match": '"1"'})

    assert response.status_code == 200, response.text


# Progress


def test_a_provider_member_records_progress_with_a_note(client: Client, w: World) -> None:
    made = accepted(client, w)

    body = ok(client, path(made, "progress"), {"percent": 40, "note": "Pilot running"})

    assert body["percent_complete"] == 40
    assert [(p["percent"], p["note"]) for p in body["progress"]] == [(40, "Pilot running")]
    assert body["status"] == "accepted"


@pytest.mark.parametrize("percent", [-1, 101, 250])
def test_progress_outside_0_to_100_is_refused_with_422_naming_percent(
    client: Client, w: World, percent: int
) -> None:
    made = accepted(client, w)

    response = client.post(path(made, "progress"), json={"percent": percent, "note": "n"})

    assert_problem(response, 422, field="percent")


def test_progress_without_a_note_is_refused_with_422(client: Client, w: World) -> None:
    made = accepted(client, w)

    response = client.post(path(made, "progress"), json={"percent": 10})

    assert_problem(response, 422, field="note")


def test_progress_recorded_by_the_commissioner_is_refused_with_403(
    client: Client, w: World
) -> None:
    made = accepted(client, w)

    response = client.post(path(made, "progress"), json={"percent": 10, "note": "n"}, headers=w.bea)

    assert_problem(response, 403, detail="only the provider can record progress on")


def test_progress_on_a_delivered_commitment_is_refused_with_409_saying_why(
    client: Client, w: World
) -> None:
    made = accepted(client, w)
    ok(client, path(made, "deliver"), {"evidence": "Audit"})

    response = client.post(path(made, "progress"), json={"percent": 100, "note": "n"})

    assert_problem(response, 409, detail="it was delivered and is closed")


def test_replaying_progress_with_one_idempotency_key_records_it_once(
    client: Client, w: World
) -> None:
    made = accepted(client, w)
    headers = {"Idempotency-Key": "progress-1"}
    first = client.post(path(made, "progress"), json={"percent": 10, "note": "n"}, headers=headers)
    events = event_count(client)

    again = client.post(path(made, "progress"), json={"percent": 10, "note": "n"}, headers=headers)

    assert (first.status_code, again.status_code) == (200, 200)
    assert again.headers["idempotent-replayed"] == "true"
    assert event_count(client) == events
    assert len(again.json()["progress"]) == 1


# At risk


@pytest.mark.parametrize("side", ["provider", "commissioner"])
def test_either_side_flags_an_accepted_commitment_at_risk_with_a_reason(
    client: Client, w: World, side: str
) -> None:
    made = accepted(client, w)
    headers = w.bea if side == "commissioner" else None

    body = ok(client, path(made, "at-risk"), {"reason": "Staff shortages"}, headers=headers)

    assert (body["status"], body["status_note"]) == ("at_risk", "Staff shortages")
    assert body["statuses"][-1]["party"] == side
    assert body["open"] is True


def test_flagging_at_risk_by_someone_on_neither_side_is_not_found(client: Client, w: World) -> None:
    made = accepted(client, w)

    response = client.post(path(made, "at-risk"), json={"reason": "r"}, headers=w.olly)

    assert_problem(response, 404, detail=f"no commitment with id {made['id']}")


def test_flagging_a_proposed_commitment_at_risk_is_refused_with_409(
    client: Client, w: World
) -> None:
    made = make(client, w)

    response = client.post(path(made, "at-risk"), json={"reason": "Worried"})

    assert_problem(response, 409, detail="has not accepted it yet")


def test_flagging_at_risk_twice_is_refused_with_409(client: Client, w: World) -> None:
    made = accepted(client, w)
    ok(client, path(made, "at-risk"), {"reason": "Staff shortages"})

    response = client.post(path(made, "at-risk"), json={"reason": "Again"}, headers=w.bea)

    assert_problem(response, 409, detail="already flagged at risk")


def test_flagging_at_risk_without_a_reason_is_refused_with_422(client: Client, w: World) -> None:
    made = accepted(client, w)

    response = client.post(path(made, "at-risk"), json={"reason": " "})

    assert_problem(response, 422, field="reason")


# Delivering


def test_the_provider_delivers_with_evidence_on_time(client: Client, w: World) -> None:
    made = accepted(client, w)

    body = ok(client, path(made, "deliver"), {"evidence": "Audit report"})

    assert (body["status"], body["status_note"], body["open"]) == (
        "delivered",
        "Audit report",
        False,
    )
    assert (body["delivered_on"], body["delivered_on_time"]) == (today().isoformat(), True)
    assert body["closed_at"] == body["updated_at"]


def test_a_back_dated_delivery_after_the_due_date_is_shown_late(client: Client, w: World) -> None:
    made = accepted(client, w, occurred_at=back_dated(20), due_date=days(-10))

    body = ok(client, path(made, "deliver"), {"evidence": "Audit", "occurred_at": back_dated(5)})

    assert (body["delivered_on"], body["delivered_on_time"]) == (days(-5), False)
    assert body["statuses"][-1]["occurred_at"].startswith(days(-5))


def test_delivering_a_withdrawn_commitment_is_refused_with_409_saying_it_was_withdrawn(
    client: Client, w: World
) -> None:
    made = accepted(client, w)
    ok(client, path(made, "withdraw"), {"reason": "No longer funded"})

    response = client.post(path(made, "deliver"), json={"evidence": "Audit"})

    assert_problem(
        response, 409, detail="cannot deliver this commitment: it was withdrawn (No longer funded)"
    )


def test_delivering_a_proposed_commitment_is_refused_with_409(client: Client, w: World) -> None:
    made = make(client, w)

    response = client.post(path(made, "deliver"), json={"evidence": "Audit"})

    assert_problem(response, 409, detail="has not accepted it yet")


def test_delivering_by_the_commissioner_is_refused_with_403(client: Client, w: World) -> None:
    made = accepted(client, w)

    response = client.post(path(made, "deliver"), json={"evidence": "Audit"}, headers=w.bea)

    assert_problem(response, 403)


@pytest.mark.parametrize("occurred_at", ["2999-01-01T00:00:00Z", "last week"])
def test_a_delivery_time_in_the_future_or_malformed_is_refused_with_422(
    client: Client, w: World, occurred_at: str
) -> None:
    made = accepted(client, w)

    response = client.post(
        path(made, "deliver"), json={"evidence": "Audit", "occurred_at": occurred_at}
    )

    assert_problem(response, 422, field="occurred_at")


# Missed


def test_the_commissioner_records_a_miss_after_the_due_date(client: Client, w: World) -> None:
    made = accepted(client, w, occurred_at=back_dated(), due_date=days(-1))

    body = ok(client, path(made, "missed"), {"reason": "Not delivered"}, headers=w.bea)

    assert (body["status"], body["status_note"], body["overdue"]) == (
        "missed",
        "Not delivered",
        False,
    )


def test_recording_a_miss_before_the_due_date_is_refused_with_409(client: Client, w: World) -> None:
    made = accepted(client, w, due_date=days(3))

    response = client.post(path(made, "missed"), json={"reason": "r"}, headers=w.bea)

    assert_problem(response, 409, detail="has not passed yet")


def test_recording_a_miss_by_the_provider_is_refused_with_403(client: Client, w: World) -> None:
    made = accepted(client, w, occurred_at=back_dated(), due_date=days(-1))

    response = client.post(path(made, "missed"), json={"reason": "r"})

    assert_problem(response, 403, detail="only the commissioner can record a miss of")


# Renegotiating


def test_the_commissioner_renegotiates_the_due_date_keeping_the_old_one(
    client: Client, w: World
) -> None:
    made = accepted(client, w, due_date=days(30))

    body = ok(
        client,
        path(made, "renegotiate"),
        {"new_due_date": days(60), "reason": "Winter pressures"},
        headers=w.bea,
    )

    assert (body["status"], body["open"], body["renegotiation_count"]) == ("renegotiated", True, 1)
    assert (body["due_date"], body["original_due_date"]) == (days(60), days(30))
    assert [(d["due_date"], d["previous_due_date"], d["reason"]) for d in body["due_dates"]] == [
        (days(30), None, None),
        (days(60), days(30), "Winter pressures"),
    ]
    assert body["due_dates"][1]["actor_id"] == w.bea_id


def test_renegotiating_an_overdue_commitment_ends_it_being_overdue(
    client: Client, w: World
) -> None:
    made = accepted(client, w, occurred_at=back_dated(), due_date=days(-2))
    assert client.get(f"/commitments/{made['id']}").json()["days_overdue"] == 2

    body = ok(
        client, path(made, "renegotiate"), {"new_due_date": days(7), "reason": "r"}, headers=w.bea
    )

    assert (body["overdue"], body["days_overdue"]) == (False, None)


@pytest.mark.parametrize(
    ("new_due_date", "detail"),
    [(days(30), "already due on"), (days(-1), "lies in the past")],
    ids=["same date", "past date"],
)
def test_renegotiating_to_the_same_or_a_past_date_is_refused_with_409(
    client: Client, w: World, new_due_date: str, detail: str
) -> None:
    made = accepted(client, w, due_date=days(30))

    response = client.post(
        path(made, "renegotiate"), json={"new_due_date": new_due_date, "reason": "r"}, headers=w.bea
    )

    assert_problem(response, 409, detail=detail)


def test_renegotiating_by_the_provider_is_refused_with_403(client: Client, w: World) -> None:
    made = accepted(client, w)

    response = client.post(
        path(made, "renegotiate"), json={"new_due_date": days(60), "reason": "r"}
    )

    assert_problem(response, 403, detail="only the commissioner can renegotiate")


def test_renegotiating_to_a_malformed_date_is_refused_with_422(client: Client, w: World) -> None:
    made = accepted(client, w)

    response = client.post(
        path(made, "renegotiate"), json={"new_due_date": "soon", "reason": "r"}, headers=w.bea
    )

    assert_problem(response, 422, field="new_due_date")


# Withdrawing


def test_the_provider_withdraws_with_a_reason_and_it_stays_on_record(
    client: Client, w: World
) -> None:
    made = make(client, w)

    body = ok(client, path(made, "withdraw"), {"reason": "No longer funded"})

    assert (body["status"], body["status_note"], body["open"]) == (
        "withdrawn",
        "No longer funded",
        False,
    )
    assert client.get(f"/commitments/{made['id']}").status_code == 200


def test_withdrawing_twice_is_refused_with_409(client: Client, w: World) -> None:
    made = make(client, w)
    ok(client, path(made, "withdraw"), {"reason": "No longer funded"})

    response = client.post(path(made, "withdraw"), json={"reason": "Again"})

    assert_problem(response, 409, detail="it was withdrawn")


def test_withdrawing_by_the_commissioner_is_refused_with_403(client: Client, w: World) -> None:
    made = make(client, w)

    response = client.post(path(made, "withdraw"), json={"reason": "r"}, headers=w.bea)

    assert_problem(response, 403, detail="only the provider can withdraw")


def test_a_refused_write_records_nothing(client: Client, w: World) -> None:
    made = make(client, w)
    events = event_count(client)

    client.post(path(made, "deliver"), json={"evidence": "Audit"})
    client.post(path(made, "accept"))
    client.post(path(made, "progress"), json={"percent": 101, "note": "n"})

    assert event_count(client) == events
