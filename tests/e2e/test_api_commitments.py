"""Commitments through the HTTP API: making, reading as it was, history and lists."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID

import pytest

from infra.bootstrap import Container
from tests.e2e.commitment_support import (
    World,
    accepted,
    back_dated,
    body,
    days,
    make,
    ok,
    today,
    world,
)
from tests.e2e.support import (
    UNKNOWN_ID,
    Client,
    assert_problem,
    assert_utc_iso,
    create_programme,
    history,
    post_ok,
)


@pytest.fixture
def w(container: Container, ada_id: UUID) -> World:
    return world(container, ada_id)


# Making


def test_a_provider_member_makes_a_commitment_that_starts_proposed(
    client: Client, w: World, ada_id: UUID
) -> None:
    response = client.post(
        "/commitments",
        json=body(w, due_date=days(30), contract_lever="cquin"),
    )

    assert response.status_code == 201, response.text
    assert response.headers["etag"] == '"1"'
    made = response.json()
    assert (made["provider_id"], made["commissioner_id"]) == (w.provider_id, w.commissioner_id)
    assert (made["status"], made["open"], made["overdue"], made["days_overdue"]) == (
        "proposed",
        True,
        False,
        None,
    )
    assert (made["due_date"], made["original_due_date"], made["renegotiation_count"]) == (
        days(30),
        days(30),
        0,
    )
    assert made["contract_lever"] == "CQUIN"
    assert made["measure"] == "95% of handovers under 30 minutes, monthly"
    assert made["due_dates"][0]["due_date"] == days(30)
    assert made["statuses"][0]["status"] == "proposed"
    assert made["statuses"][0]["actor_id"] == str(ada_id)
    assert made["overdue_on"] == today().isoformat()
    for field in ("made_at", "created_at", "updated_at"):
        assert_utc_iso(made[field])


def test_making_a_commitment_with_a_back_dated_time_keeps_it(client: Client, w: World) -> None:
    made = make(client, w, occurred_at=back_dated(3), due_date=days(10))

    assert made["made_at"].startswith((today() - timedelta(days=3)).isoformat())
    assert made["statuses"][0]["occurred_at"] == made["made_at"]


def test_a_commitment_made_for_a_provider_one_is_not_a_member_of_is_refused_with_403(
    client: Client, w: World
) -> None:
    response = client.post("/commitments", json=body(w), headers=w.bea)

    assert_problem(response, 403, detail="Bea Buyer is not a member")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("provider_id", UNKNOWN_ID),
        ("commissioner_id", UNKNOWN_ID),
        ("programme_id", UNKNOWN_ID),
        ("decision_id", UNKNOWN_ID),
        ("provider_id", "not-a-uuid"),
    ],
)
def test_a_commitment_naming_an_unknown_record_is_refused_with_422_naming_it(
    client: Client, w: World, field: str, value: str
) -> None:
    response = client.post("/commitments", json=body(w, **{field: value}))

    assert_problem(response, 422, field=field)


def test_a_commitment_to_an_organisation_that_is_not_a_commissioner_is_refused_with_422(
    client: Client, w: World
) -> None:
    response = client.post("/commitments", json=body(w, commissioner_id=w.provider_id))

    assert_problem(response, 422, field="commissioner_id", detail="must be a commissioner")


@pytest.mark.parametrize("due_date", ["31/12/2030", "2030-13-01", "tomorrow", "2030-01-01T00:00Z"])
def test_a_due_date_that_is_not_a_calendar_date_is_refused_with_422(
    client: Client, w: World, due_date: str
) -> None:
    response = client.post("/commitments", json=body(w, due_date=due_date))

    assert_problem(response, 422, field="due_date", detail="calendar date")


def test_a_due_date_before_the_day_it_was_made_is_refused_with_422(
    client: Client, w: World
) -> None:
    response = client.post("/commitments", json=body(w, due_date=days(-1)))

    assert_problem(response, 422, field="due_date", detail="before the day")


@pytest.mark.parametrize("missing", ["what", "measure", "due_date", "provider_id"])
def test_a_commitment_without_a_required_field_is_refused_with_422_naming_it(
    client: Client, w: World, missing: str
) -> None:
    sent = body(w)
    del sent[missing]

    response = client.post("/commitments", json=sent)

    assert_problem(response, 422, field=missing)


def test_a_commitment_with_an_unknown_field_is_refused_with_422(client: Client, w: World) -> None:
    response = client.post("/commitments", json=body(w, owner="Ada"))

    assert_problem(response, 422, field="owner")


def test_a_blank_measure_is_refused_with_422(client: Client, w: World) -> None:
    response = client.post("/commitments", json=body(w, measure="   "))

    assert_problem(response, 422, field="measure")


def test_a_commitment_in_a_programme_the_provider_is_not_in_is_refused_with_409(
    client: Client, w: World
) -> None:
    programme = create_programme(client, w.commissioner_id, title="UEC")

    response = client.post("/commitments", json=body(w, programme_id=programme["id"]))

    assert_problem(response, 409, detail="does not take part in programme 'UEC'")


def test_a_commitment_in_a_programme_both_sides_are_in_is_linked_to_it(
    client: Client, w: World
) -> None:
    programme = create_programme(client, w.commissioner_id, title="UEC")
    post_ok(
        client,
        f"/programmes/{programme['id']}/participants",
        {"organisation_id": w.provider_id, "role": "provider"},
        status=201,
    )

    made = make(client, w, programme_id=programme["id"])

    assert made["programme_id"] == programme["id"]


def test_making_a_commitment_twice_with_one_idempotency_key_records_it_once(
    client: Client, w: World
) -> None:
    headers = {"Idempotency-Key": "make-1"}
    first = client.post("/commitments", json=body(w), headers=headers)
    second = client.post("/commitments", json=body(w), headers=headers)

    assert (first.status_code, second.status_code) == (201, 201)
    assert second.json()["id"] == first.json()["id"]
    assert second.headers["idempotent-replayed"] == "true"
    assert client.get("/commitments").json()["total"] == 1


# Reading one, as it was


def test_reading_a_commitment_returns_it_with_its_version_as_etag(client: Client, w: World) -> None:
    made = accepted(client, w)

    response = client.get(f"/commitments/{made['id']}")

    assert response.status_code == 200
    assert response.headers["etag"] == '"2"'
    assert response.json() == made


def test_reading_an_unknown_commitment_is_404(client: Client, w: World) -> None:
    assert_problem(client.get(f"/commitments/{UNKNOWN_ID}"), 404)


def test_reading_a_commitment_by_a_malformed_id_is_404_saying_ids_are_uuids(
    client: Client, w: World
) -> None:
    assert_problem(client.get("/commitments/42"), 404, detail="ids are UUIDs")


def test_reading_another_kind_of_record_as_a_commitment_is_404(client: Client, w: World) -> None:
    assert_problem(client.get(f"/commitments/{w.provider_id}"), 404, detail="no commitment")


def test_a_commitment_reads_as_it_was_at_an_earlier_version(client: Client, w: World) -> None:
    made = accepted(client, w)
    ok(client, f"/commitments/{made['id']}/progress", {"percent": 30, "note": "Started"})

    response = client.get(f"/commitments/{made['id']}", params={"version": 2})

    assert response.headers["etag"] == '"2"'
    then = response.json()
    assert (then["version"], then["status"], then["progress"]) == (2, "accepted", [])
    assert then["accepted_at"] == then["updated_at"]


def test_a_commitment_reads_as_recorded_up_to_a_time(client: Client, w: World) -> None:
    made = make(client, w)
    ok(client, f"/commitments/{made['id']}/accept", headers=w.bea)

    then = client.get(f"/commitments/{made['id']}", params={"as_of": made["created_at"]}).json()

    assert (then["version"], then["status"]) == (1, "proposed")
    assert then["overdue_on"] == made["created_at"][:10]


def test_reading_a_commitment_as_of_before_it_was_made_is_404(client: Client, w: World) -> None:
    made = make(client, w)

    response = client.get(f"/commitments/{made['id']}", params={"as_of": "2000-01-01T00:00:00Z"})

    assert_problem(response, 404)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"as_of": "yesterday"}, "as_of"),
        ({"as_of": "2026-01-01T10:00:00"}, "as_of"),
        ({"version": "0"}, "version"),
    ],
)
def test_reading_a_commitment_with_a_bad_version_or_time_is_refused_with_422(
    client: Client, w: World, params: dict[str, str], field: str
) -> None:
    made = make(client, w)

    response = client.get(f"/commitments/{made['id']}", params=params)

    assert_problem(response, 422, field=field)


def test_a_commitments_history_lists_every_event_with_who_and_when(
    client: Client, w: World, ada_id: UUID
) -> None:
    made = accepted(client, w)
    ok(
        client,
        f"/commitments/{made['id']}/renegotiate",
        {"new_due_date": days(60), "reason": "Winter"},
        headers=w.bea,
    )

    items = history(client, f"/commitments/{made['id']}")

    assert [(i["type"], i["actor_id"]) for i in items] == [
        ("Made", str(ada_id)),
        ("Accepted", w.bea_id),
        ("Renegotiated", w.bea_id),
    ]
    assert items[2]["data"] == {
        "new_due_date": days(60),
        "previous_due_date": days(30),
        "reason": "Winter",
        "confidential": False,
    }


def test_the_history_of_an_unknown_commitment_is_404(client: Client, w: World) -> None:
    assert_problem(client.get(f"/commitments/{UNKNOWN_ID}/history"), 404)


# Lists


def tracker(client: Client, w: World) -> None:
    """Late (at risk), Soon, Later (proposed), and Done late (delivered)."""
    late = accepted(client, w, what="Late", occurred_at=back_dated(), due_date=days(-3))
    accepted(client, w, what="Soon", due_date=days(7))
    make(client, w, what="Later", due_date=days(90))
    done = accepted(client, w, what="Done late", occurred_at=back_dated(), due_date=days(-5))
    ok(client, f"/commitments/{done['id']}/deliver", {"evidence": "Audit"})
    ok(client, f"/commitments/{late['id']}/at-risk", {"reason": "Behind"}, headers=w.bea)


def whats(client: Client, **params: object) -> list[str]:
    response = client.get("/commitments", params=params)
    assert response.status_code == 200, response.text
    return [item["what"] for item in response.json()["items"]]


def test_listing_commitments_orders_them_by_due_date_with_what_a_tracker_needs(
    client: Client, w: World
) -> None:
    tracker(client, w)

    items = client.get("/commitments").json()["items"]

    assert [i["what"] for i in items] == ["Done late", "Late", "Soon", "Later"]
    done, late = items[0], items[1]
    assert (done["status"], done["delivered_on_time"], done["overdue"]) == (
        "delivered",
        False,
        False,
    )
    assert (late["status"], late["status_note"], late["overdue"], late["days_overdue"]) == (
        "at_risk",
        "Behind",
        True,
        3,
    )
    assert late["original_due_date"] == days(-3)
    assert "statuses" not in late


def test_listing_overdue_commitments_shows_only_open_ones_past_their_due_date(
    client: Client, w: World
) -> None:
    tracker(client, w)

    assert whats(client, overdue="true") == ["Late"]
    assert whats(client, overdue="false") == ["Done late", "Soon", "Later"]


def test_listing_commitments_due_within_days_shows_open_ones_due_in_that_window(
    client: Client, w: World
) -> None:
    tracker(client, w)

    assert whats(client, due_within_days=30) == ["Soon"]
    assert whats(client, due_within_days=0) == []


@pytest.mark.parametrize(
    ("status", "expected"),
    [("at_risk", ["Late"]), ("accepted", ["Soon"]), ("proposed", ["Later"]), ("missed", [])],
)
def test_listing_commitments_filters_by_status(
    client: Client, w: World, status: str, expected: list[str]
) -> None:
    tracker(client, w)

    assert whats(client, status=status) == expected


def test_listing_commitments_filters_by_provider_commissioner_and_programme(
    client: Client, w: World
) -> None:
    tracker(client, w)
    programme = create_programme(client, w.commissioner_id, title="UEC")
    post_ok(
        client,
        f"/programmes/{programme['id']}/participants",
        {"organisation_id": w.provider_id, "role": "provider"},
        status=201,
    )
    make(client, w, what="In UEC", programme_id=programme["id"], due_date=days(100))

    assert whats(client, programme_id=programme["id"]) == ["In UEC"]
    assert len(whats(client, provider_id=w.provider_id)) == 5
    assert len(whats(client, commissioner_id=w.commissioner_id)) == 5
    assert whats(client, commissioner_id=w.provider_id) == []


def test_listing_commitments_pages_with_limit_and_offset(client: Client, w: World) -> None:
    tracker(client, w)

    page = client.get("/commitments", params={"limit": 2, "offset": 1}).json()

    assert [i["what"] for i in page["items"]] == ["Late", "Soon"]
    assert (page["total"], page["limit"], page["offset"]) == (4, 2, 1)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"status": "late"}, "status"),
        ({"due_within_days": "-1"}, "due_within_days"),
        ({"overdue": "maybe"}, "overdue"),
        ({"provider_id": "not-a-uuid"}, "provider_id"),
    ],
)
def test_listing_commitments_with_a_bad_filter_is_refused_with_422(
    client: Client, w: World, params: dict[str, str], field: str
) -> None:
    assert_problem(client.get("/commitments", params=params), 422, field=field)


# Organisations merging


def test_merging_the_provider_carries_its_open_commitments_to_the_successor(
    client: Client, w: World
) -> None:
    still_open = accepted(client, w, what="Open")
    closed = make(client, w, what="Closed")
    ok(client, f"/commitments/{closed['id']}/withdraw", {"reason": "Unfunded"})
    successor = post_ok(
        client, "/organisations", {"name": "New Trust", "kind": "provider"}, status=201
    )

    post_ok(client, f"/organisations/{w.provider_id}/merge", {"successor_id": successor["id"]})

    carried = client.get(f"/commitments/{still_open['id']}").json()
    assert carried["provider_id"] == successor["id"]
    assert [(c["role"], c["from_organisation_id"]) for c in carried["carried_over"]] == [
        ("provider", w.provider_id)
    ]
    assert history(client, f"/commitments/{still_open['id']}")[-1]["type"] == "CarriedOver"
    assert client.get(f"/commitments/{closed['id']}").json()["provider_id"] == w.provider_id
    assert whats(client, provider_id=successor["id"]) == ["Open"]


# The schema


def test_the_schema_documents_every_commitment_operation(client: Client) -> None:
    document = client.get("/schema/openapi.json").json()
    ids = {
        operation["operationId"]
        for path, item in document["paths"].items()
        if path.startswith("/commitments")
        for operation in item.values()
    }

    assert ids == {
        "makeCommitment",
        "listCommitments",
        "getCommitment",
        "commitmentHistory",
        "acceptCommitment",
        "recordCommitmentProgress",
        "flagCommitmentAtRisk",
        "deliverCommitment",
        "recordCommitmentMissed",
        "renegotiateCommitment",
        "withdrawCommitment",
    }


def test_the_schema_documents_the_contract_lever_vocabulary(client: Client) -> None:
    schemas = client.get("/schema/openapi.json").json()["components"]["schemas"]

    lever = schemas["CommitmentCreate"]["properties"]["contract_lever"]
    assert "CQUIN" in str(lever)
    assert "KPI" in str(lever)


def test_as_of_and_version_are_documented_on_reading_a_commitment(client: Client) -> None:
    document = client.get("/schema/openapi.json").json()
    read = document["paths"]["/commitments/{commitment_id}"]["get"]

    assert {p["name"] for p in read["parameters"] if p["in"] == "query"} == {"version", "as_of"}


def test_overdue_is_worked_out_for_todays_utc_date(client: Client, w: World) -> None:
    made = make(client, w)

    assert made["overdue_on"] == datetime.now(UTC).date().isoformat()
