"""Programmes through the HTTP API, on SQLite and PostgreSQL."""

from __future__ import annotations

from tests.e2e.support import (
    UNKNOWN_ID,
    Client,
    assert_problem,
    assert_utc_iso,
    commissioner,
    create_programme,
    history,
    post_ok,
    register_organisation,
)

# Creating


def test_creating_a_programme_makes_its_lead_commissioner_the_first_participant(
    client: Client,
) -> None:
    icb = commissioner(client)

    response = client.post(
        "/programmes",
        json={
            "title": "Urgent care redesign",
            "description": "One front door for urgent care",
            "lead_commissioner_id": icb["id"],
        },
    )

    assert response.status_code == 201
    assert response.headers["etag"] == '"1"'
    body = response.json()
    assert body["title"] == "Urgent care redesign"
    assert body["description"] == "One front door for urgent care"
    assert body["lead_commissioner_id"] == icb["id"]
    assert [(p["organisation_id"], p["role"]) for p in body["participants"]] == [
        (icb["id"], "lead_commissioner")
    ]
    assert body["workstreams"] == []


def test_creating_a_programme_without_a_description_leaves_it_empty(client: Client) -> None:
    body = create_programme(client, commissioner(client)["id"])

    assert body["description"] == ""


def test_creating_a_programme_led_by_a_provider_is_refused_with_422(client: Client) -> None:
    provider = register_organisation(client, name="Leeds Teaching Hospitals", kind="provider")

    response = client.post(
        "/programmes", json={"title": "Urgent care", "lead_commissioner_id": provider["id"]}
    )

    assert_problem(response, 422, field="lead_commissioner_id", detail="commissioner")


def test_creating_a_programme_led_by_a_dissolved_commissioner_is_refused_with_409(
    client: Client,
) -> None:
    icb = commissioner(client)
    post_ok(client, f"/organisations/{icb['id']}/dissolve")

    response = client.post(
        "/programmes", json={"title": "Urgent care", "lead_commissioner_id": icb["id"]}
    )

    assert_problem(response, 409, detail="dissolved")


def test_creating_a_programme_led_by_an_unknown_organisation_is_refused_with_422(
    client: Client,
) -> None:
    response = client.post(
        "/programmes", json={"title": "Urgent care", "lead_commissioner_id": UNKNOWN_ID}
    )

    assert_problem(response, 422, field="lead_commissioner_id")


def test_creating_a_programme_with_a_malformed_lead_commissioner_id_is_refused_with_422(
    client: Client,
) -> None:
    response = client.post(
        "/programmes", json={"title": "Urgent care", "lead_commissioner_id": "not-a-uuid"}
    )

    assert_problem(response, 422, field="lead_commissioner_id")


def test_creating_a_programme_with_a_whitespace_only_title_is_refused_with_422(
    client: Client,
) -> None:
    icb = commissioner(client)

    response = client.post("/programmes", json={"title": "  ", "lead_commissioner_id": icb["id"]})

    assert_problem(response, 422, field="title")


def test_creating_a_programme_with_a_title_over_200_characters_is_refused_with_422(
    client: Client,
) -> None:
    icb = commissioner(client)

    response = client.post(
        "/programmes", json={"title": "t" * 201, "lead_commissioner_id": icb["id"]}
    )

    assert_problem(response, 422, field="title")


def test_creating_a_programme_with_a_null_description_is_refused_with_422(
    client: Client,
) -> None:
    icb = commissioner(client)

    response = client.post(
        "/programmes",
        json={"title": "Urgent care", "lead_commissioner_id": icb["id"], "description": None},
    )

    assert_problem(response, 422, field="description")


def test_creating_a_programme_with_a_description_over_5000_characters_is_refused_with_422(
    client: Client,
) -> None:
    icb = commissioner(client)

    response = client.post(
        "/programmes",
        json={"title": "Urgent care", "lead_commissioner_id": icb["id"], "description": "d" * 5001},
    )

    assert_problem(response, 422, field="description")


def test_creating_a_programme_with_an_unknown_field_is_refused_naming_it(client: Client) -> None:
    icb = commissioner(client)

    response = client.post(
        "/programmes",
        json={"title": "Urgent care", "lead_commissioner_id": icb["id"], "budget": 10},
    )

    assert_problem(response, 422, field="budget")


def test_creating_a_programme_without_a_lead_commissioner_is_refused_naming_the_field(
    client: Client,
) -> None:
    response = client.post("/programmes", json={"title": "Urgent care"})

    assert_problem(response, 422, field="lead_commissioner_id")


# Listing, reading, history


def test_listing_programmes_orders_them_by_title(client: Client) -> None:
    icb = commissioner(client)
    create_programme(client, icb["id"], title="Mental health")
    create_programme(client, icb["id"], title="Community care")

    body = client.get("/programmes").json()

    assert [item["title"] for item in body["items"]] == ["Community care", "Mental health"]
    assert body["total"] == 2
    assert body["items"][0]["participants"][0]["role"] == "lead_commissioner"


def test_listing_programmes_pages_with_limit_and_offset(client: Client) -> None:
    icb = commissioner(client)
    for title in ("A", "B", "C"):
        create_programme(client, icb["id"], title=title)

    body = client.get("/programmes", params={"limit": 1, "offset": 2}).json()

    assert [item["title"] for item in body["items"]] == ["C"]
    assert (body["total"], body["limit"], body["offset"]) == (3, 1, 2)


def test_listing_programmes_filtered_by_organisation_gives_those_it_takes_part_in(
    client: Client,
) -> None:
    icb = commissioner(client)
    other_icb = commissioner(client, name="Humber ICB")
    provider = register_organisation(client, name="Leeds Teaching Hospitals")
    joined = create_programme(client, icb["id"], title="Urgent care")
    create_programme(client, icb["id"], title="Mental health")
    led = create_programme(client, other_icb["id"], title="Community care")
    post_ok(
        client,
        f"/programmes/{joined['id']}/participants",
        {"organisation_id": provider["id"], "role": "provider"},
        status=201,
    )
    post_ok(
        client,
        f"/programmes/{led['id']}/participants",
        {"organisation_id": provider["id"], "role": "partner"},
        status=201,
    )

    body = client.get("/programmes", params={"organisation_id": provider["id"]}).json()

    assert [item["title"] for item in body["items"]] == ["Community care", "Urgent care"]
    assert body["total"] == 2


def test_listing_programmes_filtered_by_a_former_participant_leaves_the_programme_out(
    client: Client,
) -> None:
    icb = commissioner(client)
    provider = register_organisation(client, name="Leeds Teaching Hospitals")
    programme = create_programme(client, icb["id"])
    post_ok(
        client,
        f"/programmes/{programme['id']}/participants",
        {"organisation_id": provider["id"], "role": "provider"},
        status=201,
    )
    client.delete(f"/programmes/{programme['id']}/participants/{provider['id']}")

    body = client.get("/programmes", params={"organisation_id": provider["id"]}).json()

    assert body["items"] == []
    assert body["total"] == 0


def test_listing_programmes_filtered_by_a_malformed_organisation_id_is_refused_with_422(
    client: Client,
) -> None:
    response = client.get("/programmes", params={"organisation_id": "icb"})

    assert_problem(response, 422, field="organisation_id")


def test_reading_a_programme_returns_it_with_its_version_as_etag(client: Client) -> None:
    created = create_programme(client, commissioner(client)["id"])

    response = client.get(f"/programmes/{created['id']}")

    assert response.status_code == 200
    assert response.headers["etag"] == '"1"'
    assert response.json() == created


def test_reading_an_unknown_programme_is_404(client: Client) -> None:
    assert_problem(client.get(f"/programmes/{UNKNOWN_ID}"), 404, detail=UNKNOWN_ID)


def test_a_programmes_history_lists_every_change_oldest_first(client: Client) -> None:
    icb = commissioner(client)
    provider = register_organisation(client, name="Leeds Teaching Hospitals")
    programme = create_programme(client, icb["id"])
    path = f"/programmes/{programme['id']}"
    client.patch(path, json={"title": "Urgent and emergency care"})
    post_ok(
        client,
        f"{path}/participants",
        {"organisation_id": provider["id"], "role": "provider"},
        status=201,
    )
    post_ok(client, f"{path}/workstreams", {"name": "Hospital services"}, status=201)
    client.delete(f"{path}/participants/{provider['id']}")

    items = history(client, path)

    assert [(item["version"], item["type"]) for item in items] == [
        (1, "Created"),
        (2, "DetailsUpdated"),
        (3, "ParticipantAdded"),
        (4, "WorkstreamAdded"),
        (5, "ParticipantRemoved"),
    ]
    assert items[0]["data"]["lead_commissioner_id"] == icb["id"]
    assert items[2]["data"] == {"organisation_id": provider["id"], "role": "provider"}


def test_the_history_of_an_unknown_programme_is_404(client: Client) -> None:
    assert_problem(client.get(f"/programmes/{UNKNOWN_ID}/history"), 404)


# Updating


def test_updating_a_programmes_title_keeps_its_description(client: Client) -> None:
    programme = create_programme(client, commissioner(client)["id"], description="Why")

    response = client.patch(f"/programmes/{programme['id']}", json={"title": "New title"})

    assert response.status_code == 200
    assert response.headers["etag"] == '"2"'
    body = response.json()
    assert (body["title"], body["description"]) == ("New title", "Why")


def test_updating_a_programmes_description_keeps_its_title(client: Client) -> None:
    programme = create_programme(client, commissioner(client)["id"], title="Urgent care")

    body = client.patch(f"/programmes/{programme['id']}", json={"description": "Why"}).json()

    assert (body["title"], body["description"]) == ("Urgent care", "Why")


def test_updating_a_programme_with_nothing_new_records_nothing(client: Client) -> None:
    programme = create_programme(client, commissioner(client)["id"], title="Urgent care")

    response = client.patch(f"/programmes/{programme['id']}", json={"title": "Urgent care"})

    assert response.status_code == 200
    assert response.json()["version"] == 1
    assert len(history(client, f"/programmes/{programme['id']}")) == 1


def test_updating_a_programme_to_a_whitespace_only_title_is_refused_with_422(
    client: Client,
) -> None:
    programme = create_programme(client, commissioner(client)["id"])

    response = client.patch(f"/programmes/{programme['id']}", json={"title": "\t"})

    assert_problem(response, 422, field="title")


def test_updating_a_programme_with_a_title_that_is_not_a_string_is_refused_with_422(
    client: Client,
) -> None:
    programme = create_programme(client, commissioner(client)["id"])

    response = client.patch(f"/programmes/{programme['id']}", json={"title": True})

    assert_problem(response, 422, field="title")


def test_updating_a_programme_with_a_description_over_5000_characters_is_refused_with_422(
    client: Client,
) -> None:
    programme = create_programme(client, commissioner(client)["id"])

    response = client.patch(f"/programmes/{programme['id']}", json={"description": "d" * 5001})

    assert_problem(response, 422, field="description", detail="5000")


def test_updating_a_programme_with_a_stale_if_match_is_refused_with_409(client: Client) -> None:
    programme = create_programme(client, commissioner(client)["id"])
    client.patch(f"/programmes/{programme['id']}", json={"title": "Second"})

    response = client.patch(
        f"/programmes/{programme['id']}", json={"title": "Third"}, headers={"If-Match": '"1"'}
    )

    body = assert_problem(response, 409)
    assert body["current_version"] == 2
    assert client.get(f"/programmes/{programme['id']}").json()["title"] == "Second"


def test_updating_a_programme_with_the_etag_just_read_as_if_match_succeeds(
    client: Client,
) -> None:
    programme = create_programme(client, commissioner(client)["id"])
    etag = client.get(f"/programmes/{programme['id']}").headers["etag"]

    response = client.patch(
        f"/programmes/{programme['id']}", json={"title": "Second"}, headers={"If-Match": etag}
    )

    assert response.status_code == 200
    assert response.json()["title"] == "Second"


def test_updating_an_unknown_programme_is_404(client: Client) -> None:
    assert_problem(client.patch(f"/programmes/{UNKNOWN_ID}", json={"title": "X"}), 404)


# Participants


def test_adding_a_participant_records_its_role(client: Client) -> None:
    icb = commissioner(client)
    provider = register_organisation(client, name="Leeds Teaching Hospitals")
    programme = create_programme(client, icb["id"])

    response = client.post(
        f"/programmes/{programme['id']}/participants",
        json={"organisation_id": provider["id"], "role": "provider"},
    )

    assert response.status_code == 201
    assert response.headers["etag"] == '"2"'
    participants = {p["organisation_id"]: p["role"] for p in response.json()["participants"]}
    assert participants == {icb["id"]: "lead_commissioner", provider["id"]: "provider"}


def test_adding_a_participant_twice_is_refused_with_409(client: Client) -> None:
    provider = register_organisation(client, name="Leeds Teaching Hospitals")
    programme = create_programme(client, commissioner(client)["id"])
    path = f"/programmes/{programme['id']}/participants"
    post_ok(client, path, {"organisation_id": provider["id"], "role": "provider"}, status=201)

    response = client.post(path, json={"organisation_id": provider["id"], "role": "partner"})

    assert_problem(response, 409, detail="already participates")


def test_adding_a_dissolved_organisation_as_a_participant_is_refused_with_409(
    client: Client,
) -> None:
    provider = register_organisation(client, name="Leeds Teaching Hospitals")
    post_ok(client, f"/organisations/{provider['id']}/dissolve")
    programme = create_programme(client, commissioner(client)["id"])

    response = client.post(
        f"/programmes/{programme['id']}/participants",
        json={"organisation_id": provider["id"], "role": "provider"},
    )

    assert_problem(response, 409, detail="dissolved")


def test_adding_a_participant_with_an_unknown_role_is_refused_with_422(client: Client) -> None:
    provider = register_organisation(client, name="Leeds Teaching Hospitals")
    programme = create_programme(client, commissioner(client)["id"])

    response = client.post(
        f"/programmes/{programme['id']}/participants",
        json={"organisation_id": provider["id"], "role": "sponsor"},
    )

    assert_problem(response, 422, field="role")


def test_adding_a_second_lead_commissioner_is_refused_with_422(client: Client) -> None:
    other = commissioner(client, name="Humber ICB")
    programme = create_programme(client, commissioner(client)["id"])

    response = client.post(
        f"/programmes/{programme['id']}/participants",
        json={"organisation_id": other["id"], "role": "lead_commissioner"},
    )

    assert_problem(response, 422, field="role")


def test_adding_an_unknown_organisation_as_a_participant_is_refused_with_422(
    client: Client,
) -> None:
    programme = create_programme(client, commissioner(client)["id"])

    response = client.post(
        f"/programmes/{programme['id']}/participants",
        json={"organisation_id": UNKNOWN_ID, "role": "provider"},
    )

    assert_problem(response, 422, field="organisation_id")


def test_adding_a_participant_to_an_unknown_programme_is_404(client: Client) -> None:
    provider = register_organisation(client, name="Leeds Teaching Hospitals")

    response = client.post(
        f"/programmes/{UNKNOWN_ID}/participants",
        json={"organisation_id": provider["id"], "role": "provider"},
    )

    assert_problem(response, 404)


def test_removing_a_participant_takes_it_off_the_programme(client: Client) -> None:
    icb = commissioner(client)
    provider = register_organisation(client, name="Leeds Teaching Hospitals")
    programme = create_programme(client, icb["id"])
    post_ok(
        client,
        f"/programmes/{programme['id']}/participants",
        {"organisation_id": provider["id"], "role": "provider"},
        status=201,
    )

    response = client.delete(f"/programmes/{programme['id']}/participants/{provider['id']}")

    assert response.status_code == 200
    assert response.headers["etag"] == '"3"'
    assert [p["organisation_id"] for p in response.json()["participants"]] == [icb["id"]]


def test_removing_an_organisation_that_is_not_a_participant_is_refused_with_409(
    client: Client,
) -> None:
    provider = register_organisation(client, name="Leeds Teaching Hospitals")
    programme = create_programme(client, commissioner(client)["id"])

    response = client.delete(f"/programmes/{programme['id']}/participants/{provider['id']}")

    assert_problem(response, 409, detail="does not participate")


def test_removing_the_lead_commissioner_is_refused_with_409(client: Client) -> None:
    icb = commissioner(client)
    programme = create_programme(client, icb["id"])

    response = client.delete(f"/programmes/{programme['id']}/participants/{icb['id']}")

    assert_problem(response, 409, detail="lead commissioner")


def test_removing_a_participant_from_an_unknown_programme_is_404(client: Client) -> None:
    icb = commissioner(client)

    response = client.delete(f"/programmes/{UNKNOWN_ID}/participants/{icb['id']}")

    assert_problem(response, 404)


def test_removing_a_participant_with_a_stale_if_match_is_refused_with_409(
    client: Client,
) -> None:
    provider = register_organisation(client, name="Leeds Teaching Hospitals")
    programme = create_programme(client, commissioner(client)["id"])
    post_ok(
        client,
        f"/programmes/{programme['id']}/participants",
        {"organisation_id": provider["id"], "role": "provider"},
        status=201,
    )

    response = client.delete(
        f"/programmes/{programme['id']}/participants/{provider['id']}",
        headers={"If-Match": '"1"'},
    )

    assert assert_problem(response, 409)["current_version"] == 2


# Workstreams


def test_adding_a_workstream_lists_it_on_the_programme(client: Client) -> None:
    programme = create_programme(client, commissioner(client)["id"])

    response = client.post(
        f"/programmes/{programme['id']}/workstreams", json={"name": "Community care"}
    )

    assert response.status_code == 201
    assert response.headers["etag"] == '"2"'
    workstreams = response.json()["workstreams"]
    assert [w["name"] for w in workstreams] == ["Community care"]
    assert_utc_iso(workstreams[0]["created_at"])


def test_adding_a_workstream_with_a_name_already_used_in_any_case_is_refused_with_409(
    client: Client,
) -> None:
    programme = create_programme(client, commissioner(client)["id"])
    path = f"/programmes/{programme['id']}/workstreams"
    post_ok(client, path, {"name": "Mental health"}, status=201)

    response = client.post(path, json={"name": "MENTAL HEALTH"})

    assert_problem(response, 409, field="name")


def test_adding_a_workstream_with_an_empty_name_is_refused_with_422(client: Client) -> None:
    programme = create_programme(client, commissioner(client)["id"])

    response = client.post(f"/programmes/{programme['id']}/workstreams", json={"name": ""})

    assert_problem(response, 422, field="name")


def test_adding_a_workstream_with_a_name_over_200_characters_is_refused_with_422(
    client: Client,
) -> None:
    programme = create_programme(client, commissioner(client)["id"])

    response = client.post(f"/programmes/{programme['id']}/workstreams", json={"name": "w" * 201})

    assert_problem(response, 422, field="name")


def test_adding_a_workstream_to_an_unknown_programme_is_404(client: Client) -> None:
    response = client.post(f"/programmes/{UNKNOWN_ID}/workstreams", json={"name": "Mental health"})

    assert_problem(response, 404)


def test_a_programmes_timestamps_are_utc_iso_8601_ending_in_z(client: Client) -> None:
    programme = create_programme(client, commissioner(client)["id"])

    assert_utc_iso(programme["created_at"])
    assert_utc_iso(programme["updated_at"])
    assert_utc_iso(programme["participants"][0]["joined_at"])
