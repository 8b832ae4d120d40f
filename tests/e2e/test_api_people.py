"""People through the HTTP API, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID

from tests.e2e.support import (
    UNKNOWN_ID,
    Client,
    assert_problem,
    assert_utc_iso,
    history,
    post_ok,
    register_organisation,
    register_person,
)

# Registering


def test_registering_a_person_returns_them_with_no_memberships(client: Client) -> None:
    response = client.post("/people", json={"name": "Grace Hopper", "email": "grace@example.org"})

    assert response.status_code == 201
    assert response.headers["etag"] == '"1"'
    body = response.json()
    assert body["name"] == "Grace Hopper"
    assert body["email"] == "grace@example.org"
    assert body["organisation_id"] is None
    assert body["memberships"] == []


def test_registering_a_person_lower_cases_their_email(client: Client) -> None:
    body = register_person(client, email="Grace.Hopper@Example.ORG")

    assert body["email"] == "grace.hopper@example.org"


def test_registering_a_person_with_an_invalid_email_is_refused_with_422(client: Client) -> None:
    response = client.post("/people", json={"name": "Grace", "email": "grace-at-example.org"})

    assert_problem(response, 422, field="email")


def test_registering_a_person_with_an_email_without_a_domain_dot_is_refused_with_422(
    client: Client,
) -> None:
    response = client.post("/people", json={"name": "Grace", "email": "grace@localhost"})

    assert_problem(response, 422, field="email")


def test_registering_a_person_with_an_email_containing_spaces_is_refused_with_422(
    client: Client,
) -> None:
    response = client.post("/people", json={"name": "Grace", "email": "grace hopper@example.org"})

    assert_problem(response, 422, field="email")


def test_registering_a_person_with_an_email_over_254_characters_is_refused_with_422(
    client: Client,
) -> None:
    response = client.post("/people", json={"name": "Grace", "email": "g" * 250 + "@example.org"})

    assert_problem(response, 422, field="email")


def test_registering_a_person_with_an_empty_name_is_refused_with_422(client: Client) -> None:
    response = client.post("/people", json={"name": "", "email": "grace@example.org"})

    assert_problem(response, 422, field="name")


def test_registering_a_person_with_a_whitespace_only_name_is_refused_with_422(
    client: Client,
) -> None:
    response = client.post("/people", json={"name": "\n  ", "email": "grace@example.org"})

    assert_problem(response, 422, field="name")


def test_registering_a_person_with_a_name_over_200_characters_is_refused_with_422(
    client: Client,
) -> None:
    response = client.post("/people", json={"name": "g" * 201, "email": "grace@example.org"})

    assert_problem(response, 422, field="name")


def test_registering_a_person_with_an_email_that_is_not_a_string_is_refused_with_422(
    client: Client,
) -> None:
    response = client.post("/people", json={"name": "Grace", "email": {"at": "example.org"}})

    assert_problem(response, 422, field="email")


def test_registering_a_person_with_an_unknown_field_is_refused_naming_it(client: Client) -> None:
    response = client.post(
        "/people", json={"name": "Grace", "email": "grace@example.org", "phone": "0113"}
    )

    assert_problem(response, 422, field="phone")


def test_a_duplicate_email_is_refused_with_409_naming_the_existing_person(
    client: Client,
) -> None:
    first = register_person(client, email="grace@example.org")

    response = client.post("/people", json={"name": "Other Grace", "email": "grace@example.org"})

    body = assert_problem(response, 409, field="email")
    assert body["existing_id"] == first["id"]


def test_a_duplicate_email_in_another_case_is_refused_with_409(client: Client) -> None:
    register_person(client, email="grace@example.org")

    response = client.post("/people", json={"name": "Other Grace", "email": "GRACE@Example.org"})

    assert_problem(response, 409, field="email")


# Listing


def test_listing_people_orders_them_by_name(client: Client) -> None:
    register_person(client, name="Grace Hopper", email="grace@example.org")
    register_person(client, name="Barbara Liskov", email="barbara@example.org")

    body = client.get("/people").json()

    assert [item["name"] for item in body["items"]] == [
        "Ada Admin",
        "Barbara Liskov",
        "Grace Hopper",
    ]
    assert body["total"] == 3


def test_listing_people_pages_with_limit_and_offset(client: Client) -> None:
    register_person(client, name="Grace Hopper", email="grace@example.org")
    register_person(client, name="Barbara Liskov", email="barbara@example.org")

    body = client.get("/people", params={"limit": 1, "offset": 1}).json()

    assert [item["name"] for item in body["items"]] == ["Barbara Liskov"]
    assert (body["total"], body["limit"], body["offset"]) == (3, 1, 1)


def test_listing_people_filtered_by_organisation_gives_only_its_current_members(
    client: Client,
) -> None:
    leeds = register_organisation(client, name="Leeds")
    york = register_organisation(client, name="York")
    grace = register_person(client, name="Grace Hopper", email="grace@example.org")
    barbara = register_person(client, name="Barbara Liskov", email="barbara@example.org")
    former = register_person(client, name="Frances Allen", email="frances@example.org")
    post_ok(client, f"/people/{grace['id']}/join", {"organisation_id": leeds["id"]})
    post_ok(client, f"/people/{barbara['id']}/join", {"organisation_id": york["id"]})
    post_ok(client, f"/people/{former['id']}/join", {"organisation_id": leeds["id"]})
    post_ok(client, f"/people/{former['id']}/leave", {"organisation_id": leeds["id"]})

    body = client.get("/people", params={"organisation_id": leeds["id"]}).json()

    assert [item["id"] for item in body["items"]] == [grace["id"]]
    assert body["total"] == 1


def test_listing_people_filtered_by_a_malformed_organisation_id_is_refused_with_422(
    client: Client,
) -> None:
    response = client.get("/people", params={"organisation_id": "leeds"})

    assert_problem(response, 422, field="organisation_id")


# Me, reading, history


def test_me_is_the_person_the_token_belongs_to(client: Client, ada_id: UUID) -> None:
    response = client.get("/people/me")

    assert response.status_code == 200
    assert response.headers["etag"] == '"1"'
    body = response.json()
    assert body["id"] == str(ada_id)
    assert body["email"] == "ada@example.org"


def test_reading_a_person_returns_them_with_their_version_as_etag(client: Client) -> None:
    created = register_person(client)

    response = client.get(f"/people/{created['id']}")

    assert response.status_code == 200
    assert response.headers["etag"] == '"1"'
    assert response.json() == created


def test_reading_an_unknown_person_is_404(client: Client) -> None:
    assert_problem(client.get(f"/people/{UNKNOWN_ID}"), 404, detail=UNKNOWN_ID)


def test_reading_an_organisation_as_a_person_is_404(client: Client) -> None:
    leeds = register_organisation(client, name="Leeds")

    assert_problem(client.get(f"/people/{leeds['id']}"), 404)


def test_a_persons_history_lists_registering_joining_and_leaving(client: Client) -> None:
    leeds = register_organisation(client, name="Leeds")
    grace = register_person(client)
    post_ok(client, f"/people/{grace['id']}/join", {"organisation_id": leeds["id"]})
    post_ok(client, f"/people/{grace['id']}/leave", {"organisation_id": leeds["id"]})

    items = history(client, f"/people/{grace['id']}")

    assert [item["type"] for item in items] == [
        "Registered",
        "JoinedOrganisation",
        "LeftOrganisation",
    ]
    assert items[1]["data"]["organisation_id"] == leeds["id"]
    assert_utc_iso(items[1]["data"]["occurred_at"])


def test_the_history_of_an_unknown_person_is_404(client: Client) -> None:
    assert_problem(client.get(f"/people/{UNKNOWN_ID}/history"), 404)


def test_the_history_of_an_organisation_is_not_found_as_a_persons(client: Client) -> None:
    leeds = register_organisation(client, name="Leeds")

    assert_problem(client.get(f"/people/{leeds['id']}/history"), 404)


# Joining and leaving


def test_joining_an_organisation_makes_it_the_persons_current_organisation(
    client: Client,
) -> None:
    leeds = register_organisation(client, name="Leeds")
    grace = register_person(client)

    response = client.post(f"/people/{grace['id']}/join", json={"organisation_id": leeds["id"]})

    assert response.status_code == 200
    assert response.headers["etag"] == '"2"'
    body = response.json()
    assert body["organisation_id"] == leeds["id"]
    assert [m["organisation_id"] for m in body["memberships"]] == [leeds["id"]]
    assert body["memberships"][0]["left_at"] is None
    assert_utc_iso(body["memberships"][0]["joined_at"])


def test_joining_records_when_it_happened_in_the_world_as_utc(client: Client) -> None:
    leeds = register_organisation(client, name="Leeds")
    grace = register_person(client)

    body = post_ok(
        client,
        f"/people/{grace['id']}/join",
        {"organisation_id": leeds["id"], "occurred_at": "2024-04-01T09:30:00+01:00"},
    )

    assert body["memberships"][0]["joined_at"] == "2024-04-01T08:30:00.000000Z"


def test_joining_with_an_occurred_at_without_a_timezone_is_refused_with_422(
    client: Client,
) -> None:
    leeds = register_organisation(client, name="Leeds")
    grace = register_person(client)

    response = client.post(
        f"/people/{grace['id']}/join",
        json={"organisation_id": leeds["id"], "occurred_at": "2024-04-01T09:30:00"},
    )

    assert_problem(response, 422, field="occurred_at")


def test_joining_with_an_occurred_at_in_the_future_is_refused_with_422(client: Client) -> None:
    leeds = register_organisation(client, name="Leeds")
    grace = register_person(client)
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).isoformat()

    response = client.post(
        f"/people/{grace['id']}/join",
        json={"organisation_id": leeds["id"], "occurred_at": tomorrow},
    )

    assert_problem(response, 422, field="occurred_at")


def test_joining_with_an_occurred_at_that_is_not_a_date_is_refused_with_422(
    client: Client,
) -> None:
    leeds = register_organisation(client, name="Leeds")
    grace = register_person(client)

    response = client.post(
        f"/people/{grace['id']}/join",
        json={"organisation_id": leeds["id"], "occurred_at": "last tuesday"},
    )

    assert_problem(response, 422, field="occurred_at")


def test_joining_with_an_occurred_at_that_is_a_number_is_refused_with_422(
    client: Client,
) -> None:
    leeds = register_organisation(client, name="Leeds")
    grace = register_person(client)

    response = client.post(
        f"/people/{grace['id']}/join",
        json={"organisation_id": leeds["id"], "occurred_at": 1_700_000_000},
    )

    assert_problem(response, 422, field="occurred_at")


def test_joining_a_dissolved_organisation_is_refused_with_409(client: Client) -> None:
    leeds = register_organisation(client, name="Leeds")
    post_ok(client, f"/organisations/{leeds['id']}/dissolve")
    grace = register_person(client)

    response = client.post(f"/people/{grace['id']}/join", json={"organisation_id": leeds["id"]})

    assert_problem(response, 409, detail="dissolved")
    assert client.get(f"/people/{grace['id']}").json()["memberships"] == []


def test_joining_a_merged_organisation_is_refused_with_409(client: Client) -> None:
    leeds = register_organisation(client, name="Leeds")
    york = register_organisation(client, name="York")
    post_ok(client, f"/organisations/{leeds['id']}/merge", {"successor_id": york["id"]})
    grace = register_person(client)

    response = client.post(f"/people/{grace['id']}/join", json={"organisation_id": leeds["id"]})

    assert_problem(response, 409, detail="merged")


def test_joining_a_second_organisation_without_leaving_the_first_is_refused_with_409(
    client: Client,
) -> None:
    leeds = register_organisation(client, name="Leeds")
    york = register_organisation(client, name="York")
    grace = register_person(client)
    post_ok(client, f"/people/{grace['id']}/join", {"organisation_id": leeds["id"]})

    response = client.post(f"/people/{grace['id']}/join", json={"organisation_id": york["id"]})

    assert_problem(response, 409, detail="leaving")


def test_joining_the_same_organisation_twice_is_refused_with_409(client: Client) -> None:
    leeds = register_organisation(client, name="Leeds")
    grace = register_person(client)
    post_ok(client, f"/people/{grace['id']}/join", {"organisation_id": leeds["id"]})

    response = client.post(f"/people/{grace['id']}/join", json={"organisation_id": leeds["id"]})

    assert_problem(response, 409, detail="already a member")


def test_joining_an_unknown_organisation_is_refused_with_422_naming_the_field(
    client: Client,
) -> None:
    grace = register_person(client)

    response = client.post(f"/people/{grace['id']}/join", json={"organisation_id": UNKNOWN_ID})

    assert_problem(response, 422, field="organisation_id")


def test_joining_with_a_malformed_organisation_id_is_refused_with_422_naming_the_field(
    client: Client,
) -> None:
    grace = register_person(client)

    response = client.post(f"/people/{grace['id']}/join", json={"organisation_id": "leeds"})

    assert_problem(response, 422, field="organisation_id")


def test_joining_with_an_organisation_id_that_is_a_number_is_refused_with_422(
    client: Client,
) -> None:
    grace = register_person(client)

    response = client.post(f"/people/{grace['id']}/join", json={"organisation_id": 42})

    assert_problem(response, 422, field="organisation_id")


def test_joining_without_an_organisation_id_is_refused_with_422_naming_the_field(
    client: Client,
) -> None:
    grace = register_person(client)

    response = client.post(f"/people/{grace['id']}/join", json={})

    assert_problem(response, 422, field="organisation_id")


def test_joining_for_an_unknown_person_is_404(client: Client) -> None:
    leeds = register_organisation(client, name="Leeds")

    response = client.post(f"/people/{UNKNOWN_ID}/join", json={"organisation_id": leeds["id"]})

    assert_problem(response, 404)


def test_joining_with_a_stale_if_match_is_refused_with_409(client: Client) -> None:
    leeds = register_organisation(client, name="Leeds")
    grace = register_person(client)
    post_ok(client, f"/people/{grace['id']}/join", {"organisation_id": leeds["id"]})
    post_ok(client, f"/people/{grace['id']}/leave", {"organisation_id": leeds["id"]})

    response = client.post(
        f"/people/{grace['id']}/join",
        json={"organisation_id": leeds["id"]},
        headers={"If-Match": '"1"'},
    )

    assert assert_problem(response, 409)["current_version"] == 3


def test_leaving_an_organisation_closes_the_membership_and_keeps_it(client: Client) -> None:
    leeds = register_organisation(client, name="Leeds")
    grace = register_person(client)
    post_ok(client, f"/people/{grace['id']}/join", {"organisation_id": leeds["id"]})

    response = client.post(f"/people/{grace['id']}/leave", json={"organisation_id": leeds["id"]})

    assert response.status_code == 200
    body = response.json()
    assert body["organisation_id"] is None
    assert len(body["memberships"]) == 1
    assert_utc_iso(body["memberships"][0]["left_at"])


def test_a_person_can_join_another_organisation_after_leaving(client: Client) -> None:
    leeds = register_organisation(client, name="Leeds")
    york = register_organisation(client, name="York")
    grace = register_person(client)
    post_ok(client, f"/people/{grace['id']}/join", {"organisation_id": leeds["id"]})
    post_ok(client, f"/people/{grace['id']}/leave", {"organisation_id": leeds["id"]})

    body = post_ok(client, f"/people/{grace['id']}/join", {"organisation_id": york["id"]})

    assert body["organisation_id"] == york["id"]
    assert [m["organisation_id"] for m in body["memberships"]] == [leeds["id"], york["id"]]


def test_a_person_can_move_organisations_at_the_same_instant(client: Client) -> None:
    leeds = register_organisation(client, name="Leeds")
    york = register_organisation(client, name="York")
    grace = register_person(client)
    moment = "2024-04-01T09:00:00Z"
    for action, organisation in (("join", leeds), ("leave", leeds), ("join", york)):
        post_ok(
            client,
            f"/people/{grace['id']}/{action}",
            {"organisation_id": organisation["id"], "occurred_at": moment},
        )

    body = client.get(f"/people/{grace['id']}").json()

    assert body["organisation_id"] == york["id"]
    assert [(m["organisation_id"], m["left_at"]) for m in body["memberships"]] == [
        (leeds["id"], "2024-04-01T09:00:00.000000Z"),
        (york["id"], None),
    ]


def test_leaving_an_organisation_the_person_is_not_a_member_of_is_refused_with_409(
    client: Client,
) -> None:
    leeds = register_organisation(client, name="Leeds")
    grace = register_person(client)

    response = client.post(f"/people/{grace['id']}/leave", json={"organisation_id": leeds["id"]})

    assert_problem(response, 409, detail="not a member")


def test_leaving_dated_before_joining_is_refused_with_409(client: Client) -> None:
    leeds = register_organisation(client, name="Leeds")
    grace = register_person(client)
    post_ok(
        client,
        f"/people/{grace['id']}/join",
        {"organisation_id": leeds["id"], "occurred_at": "2024-04-01T09:00:00Z"},
    )

    response = client.post(
        f"/people/{grace['id']}/leave",
        json={"organisation_id": leeds["id"], "occurred_at": "2024-03-01T09:00:00Z"},
    )

    assert_problem(response, 409, detail="before joining")


def test_leaving_for_an_unknown_person_is_404(client: Client) -> None:
    leeds = register_organisation(client, name="Leeds")

    response = client.post(f"/people/{UNKNOWN_ID}/leave", json={"organisation_id": leeds["id"]})

    assert_problem(response, 404)


def test_a_persons_timestamps_are_utc_iso_8601_ending_in_z(client: Client) -> None:
    grace = register_person(client)

    assert_utc_iso(grace["created_at"])
    assert_utc_iso(grace["updated_at"])
