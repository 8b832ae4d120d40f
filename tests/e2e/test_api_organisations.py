"""Organisations through the HTTP API, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from tests.e2e.support import (
    UNKNOWN_ID,
    Client,
    assert_problem,
    assert_utc_iso,
    commissioner,
    history,
    post_ok,
    register_organisation,
)

# Registering


def test_registering_an_organisation_returns_it_with_its_version_as_etag(
    client: Client,
) -> None:
    response = client.post(
        "/organisations", json={"name": "Leeds Teaching Hospitals", "kind": "provider"}
    )

    assert response.status_code == 201
    assert response.headers["etag"] == '"1"'
    body = response.json()
    assert body["status"] == "active"
    assert body["name"] == "Leeds Teaching Hospitals"
    assert body["kind"] == "provider"
    assert body["ods_code"] is None
    assert body["successor_id"] is None
    assert body["version"] == 1


def test_registering_an_organisation_trims_its_name_and_upper_cases_its_ods_code(
    client: Client,
) -> None:
    body = register_organisation(client, name="  Airedale NHS Trust  ", ods_code="rcf")

    assert body["name"] == "Airedale NHS Trust"
    assert body["ods_code"] == "RCF"


def test_unknown_fields_are_refused_naming_the_field(client: Client) -> None:
    response = client.post(
        "/organisations", json={"name": "A", "kind": "provider", "colour": "blue"}
    )

    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["errors"][0]["field"] == "colour"


def test_registering_an_organisation_with_an_empty_name_is_refused_with_422(
    client: Client,
) -> None:
    response = client.post("/organisations", json={"name": "", "kind": "provider"})

    assert_problem(response, 422, field="name")


def test_registering_an_organisation_with_a_whitespace_only_name_is_refused_with_422(
    client: Client,
) -> None:
    response = client.post("/organisations", json={"name": " \t  ", "kind": "provider"})

    assert_problem(response, 422, field="name", detail="whitespace")


def test_registering_an_organisation_with_a_name_over_200_characters_is_refused_with_422(
    client: Client,
) -> None:
    response = client.post("/organisations", json={"name": "x" * 201, "kind": "provider"})

    assert_problem(response, 422, field="name", detail="200")


def test_a_name_of_exactly_200_characters_is_accepted(client: Client) -> None:
    body = register_organisation(client, name="x" * 200)

    assert len(body["name"]) == 200


def test_a_name_counts_its_length_after_trimming_surrounding_whitespace(client: Client) -> None:
    body = register_organisation(client, name="  " + "x" * 200 + "  ")

    assert body["name"] == "x" * 200


def test_a_name_counts_its_length_in_composed_characters(client: Client) -> None:
    # "e" followed by a combining acute accent is one character, "\u00e9", once normalised.
    body = register_organisation(client, name="e\u0301" * 150)

    assert body["name"] == "\u00e9" * 150


def test_registering_an_organisation_of_an_unknown_kind_is_refused_with_422(
    client: Client,
) -> None:
    response = client.post("/organisations", json={"name": "A", "kind": "hospital"})

    body = assert_problem(response, 422, field="kind")
    assert "commissioner, provider, partner" in body["errors"][0]["message"]


def test_a_malformed_ods_code_is_refused_with_422(client: Client) -> None:
    response = client.post(
        "/organisations", json={"name": "A", "kind": "provider", "ods_code": "R-8"}
    )

    assert_problem(response, 422, field="ods_code")


def test_an_ods_code_over_10_characters_is_refused_with_422(client: Client) -> None:
    response = client.post(
        "/organisations", json={"name": "A", "kind": "provider", "ods_code": "RR8RR8RR8RR8"}
    )

    assert_problem(response, 422, field="ods_code")


def test_a_name_that_is_not_a_string_is_refused_with_422_naming_the_field(
    client: Client,
) -> None:
    response = client.post("/organisations", json={"name": 42, "kind": "provider"})

    assert_problem(response, 422, field="name")


def test_an_ods_code_that_is_not_a_string_is_refused_with_422_naming_the_field(
    client: Client,
) -> None:
    response = client.post(
        "/organisations", json={"name": "A", "kind": "provider", "ods_code": ["RR8"]}
    )

    assert_problem(response, 422, field="ods_code")


def test_a_missing_required_field_is_refused_with_422_naming_the_field(client: Client) -> None:
    response = client.post("/organisations", json={"name": "A"})

    assert_problem(response, 422, field="kind")


def test_a_body_that_is_not_an_object_is_refused_with_422(client: Client) -> None:
    response = client.post("/organisations", json=["A", "provider"])

    assert_problem(response, 422, field="body")


def test_a_duplicate_ods_code_is_refused_with_409_naming_the_existing_organisation(
    client: Client,
) -> None:
    first = register_organisation(client, name="Leeds", ods_code="RR8")

    response = client.post(
        "/organisations", json={"name": "Leeds again", "kind": "provider", "ods_code": "RR8"}
    )

    body = assert_problem(response, 409, field="ods_code")
    assert body["existing_id"] == first["id"]


def test_a_duplicate_ods_code_in_another_case_is_refused_with_409(client: Client) -> None:
    register_organisation(client, name="Leeds", ods_code="RR8")

    response = client.post(
        "/organisations", json={"name": "Leeds again", "kind": "provider", "ods_code": "rr8"}
    )

    assert_problem(response, 409, field="ods_code")


def test_organisations_without_ods_codes_do_not_conflict(client: Client) -> None:
    register_organisation(client, name="Voluntary Action Leeds", kind="partner")

    register_organisation(client, name="Leeds Mind", kind="partner")


# Listing


def test_listing_organisations_orders_them_by_name(client: Client) -> None:
    for name in ("Calderdale", "Airedale", "Bradford"):
        register_organisation(client, name=name)

    body = client.get("/organisations").json()

    assert [item["name"] for item in body["items"]] == ["Airedale", "Bradford", "Calderdale"]
    assert body["total"] == 3
    assert (body["limit"], body["offset"]) == (50, 0)


def test_listing_organisations_filters_by_kind(client: Client) -> None:
    register_organisation(client, name="Airedale", kind="provider")
    register_organisation(client, name="Bradford ICB", kind="commissioner")

    body = client.get("/organisations", params={"kind": "commissioner"}).json()

    assert [item["name"] for item in body["items"]] == ["Bradford ICB"]
    assert body["total"] == 1


def test_listing_organisations_filters_by_status(client: Client) -> None:
    register_organisation(client, name="Airedale")
    gone = register_organisation(client, name="Bradford")
    post_ok(client, f"/organisations/{gone['id']}/dissolve")

    dissolved = client.get("/organisations", params={"status": "dissolved"}).json()
    active = client.get("/organisations", params={"status": "active"}).json()

    assert [item["name"] for item in dissolved["items"]] == ["Bradford"]
    assert [item["name"] for item in active["items"]] == ["Airedale"]


def test_listing_organisations_filters_by_kind_and_status_together(client: Client) -> None:
    provider = register_organisation(client, name="Airedale", kind="provider")
    register_organisation(client, name="Bradford", kind="provider")
    icb = commissioner(client, name="Calderdale ICB")
    post_ok(client, f"/organisations/{provider['id']}/dissolve")
    post_ok(client, f"/organisations/{icb['id']}/dissolve")

    body = client.get("/organisations", params={"kind": "provider", "status": "dissolved"}).json()

    assert [item["id"] for item in body["items"]] == [provider["id"]]


def test_listing_organisations_pages_with_limit_and_offset(client: Client) -> None:
    for name in ("A", "B", "C", "D", "E"):
        register_organisation(client, name=name)

    body = client.get("/organisations", params={"limit": 2, "offset": 2}).json()

    assert [item["name"] for item in body["items"]] == ["C", "D"]
    assert body["total"] == 5
    assert (body["limit"], body["offset"]) == (2, 2)


def test_listing_organisations_past_the_end_gives_an_empty_page(client: Client) -> None:
    register_organisation(client, name="A")

    body = client.get("/organisations", params={"offset": 10}).json()

    assert body["items"] == []
    assert body["total"] == 1


def test_listing_organisations_with_an_unknown_kind_is_refused_with_422(client: Client) -> None:
    response = client.get("/organisations", params={"kind": "hospital"})

    assert_problem(response, 422, field="kind")


def test_listing_organisations_with_an_unknown_status_is_refused_with_422(
    client: Client,
) -> None:
    response = client.get("/organisations", params={"status": "closed"})

    assert_problem(response, 422, field="status")


@pytest.mark.parametrize("limit", ["0", "201", "-1", "ten"])
def test_listing_organisations_with_a_limit_outside_1_to_200_is_refused_with_422(
    client: Client, limit: str
) -> None:
    response = client.get("/organisations", params={"limit": limit})

    assert_problem(response, 422, field="limit")


def test_listing_organisations_with_a_negative_offset_is_refused_with_422(
    client: Client,
) -> None:
    response = client.get("/organisations", params={"offset": -1})

    assert_problem(response, 422, field="offset")


def test_listing_organisations_with_an_offset_too_large_to_count_is_refused_with_422(
    client: Client,
) -> None:
    response = client.get("/organisations", params={"offset": 10**20})

    assert_problem(response, 422, field="offset")


# Reading


def test_reading_an_organisation_returns_it_with_its_version_as_etag(client: Client) -> None:
    created = register_organisation(client, name="Airedale", ods_code="RCF")

    response = client.get(f"/organisations/{created['id']}")

    assert response.status_code == 200
    assert response.headers["etag"] == '"1"'
    assert response.json() == created


def test_reading_an_unknown_organisation_is_404(client: Client) -> None:
    response = client.get(f"/organisations/{UNKNOWN_ID}")

    assert_problem(response, 404, detail=UNKNOWN_ID)


def test_reading_a_person_as_an_organisation_is_404(client: Client) -> None:
    me = client.get("/people/me").json()

    response = client.get(f"/organisations/{me['id']}")

    assert_problem(response, 404)


# History


def test_an_organisations_history_lists_every_event_oldest_first(client: Client) -> None:
    created = register_organisation(client, name="Airedale")
    post_ok(client, f"/organisations/{created['id']}/rename", {"name": "Airedale NHS FT"})
    post_ok(client, f"/organisations/{created['id']}/dissolve")

    items = history(client, f"/organisations/{created['id']}")

    assert [(item["version"], item["type"]) for item in items] == [
        (1, "Registered"),
        (2, "Renamed"),
        (3, "Dissolved"),
    ]
    assert items[0]["data"] == {"name": "Airedale", "kind": "provider", "ods_code": None}
    assert items[1]["data"] == {"name": "Airedale NHS FT"}


def test_an_organisations_history_pages_with_limit_and_offset(client: Client) -> None:
    created = register_organisation(client, name="A")
    for name in ("B", "C", "D"):
        post_ok(client, f"/organisations/{created['id']}/rename", {"name": name})

    body = client.get(
        f"/organisations/{created['id']}/history", params={"limit": 2, "offset": 1}
    ).json()

    assert [item["version"] for item in body["items"]] == [2, 3]
    assert body["total"] == 4


def test_the_history_of_an_unknown_organisation_is_404(client: Client) -> None:
    response = client.get(f"/organisations/{UNKNOWN_ID}/history")

    assert_problem(response, 404)


# Renaming


def test_renaming_an_organisation_changes_its_name_and_version(client: Client) -> None:
    created = register_organisation(client, name="Airedale")

    response = client.post(f"/organisations/{created['id']}/rename", json={"name": "Airedale FT"})

    assert response.status_code == 200
    assert response.headers["etag"] == '"2"'
    assert response.json()["name"] == "Airedale FT"
    assert client.get(f"/organisations/{created['id']}").json()["name"] == "Airedale FT"


def test_renaming_an_organisation_to_its_current_name_records_nothing(client: Client) -> None:
    created = register_organisation(client, name="Airedale")

    body = post_ok(client, f"/organisations/{created['id']}/rename", {"name": " Airedale "})

    assert body["version"] == 1
    assert len(history(client, f"/organisations/{created['id']}")) == 1


def test_renaming_an_organisation_to_a_whitespace_only_name_is_refused_with_422(
    client: Client,
) -> None:
    created = register_organisation(client, name="Airedale")

    response = client.post(f"/organisations/{created['id']}/rename", json={"name": "   "})

    assert_problem(response, 422, field="name")


def test_renaming_an_organisation_to_a_name_over_200_characters_is_refused_with_422(
    client: Client,
) -> None:
    created = register_organisation(client, name="Airedale")

    response = client.post(f"/organisations/{created['id']}/rename", json={"name": "y" * 201})

    assert_problem(response, 422, field="name")


def test_renaming_an_unknown_organisation_is_404(client: Client) -> None:
    response = client.post(f"/organisations/{UNKNOWN_ID}/rename", json={"name": "X"})

    assert_problem(response, 404)


def test_renaming_with_a_stale_if_match_is_refused_with_409_and_the_current_version(
    client: Client,
) -> None:
    created = register_organisation(client, name="Airedale")
    post_ok(client, f"/organisations/{created['id']}/rename", {"name": "Airedale FT"})

    response = client.post(
        f"/organisations/{created['id']}/rename",
        json={"name": "Airedale NHS FT"},
        headers={"If-Match": '"1"'},
    )

    body = assert_problem(response, 409, detail="version 2")
    assert body["current_version"] == 2
    assert client.get(f"/organisations/{created['id']}").json()["name"] == "Airedale FT"


def test_renaming_with_the_etag_just_read_as_if_match_succeeds(client: Client) -> None:
    created = register_organisation(client, name="Airedale")
    post_ok(client, f"/organisations/{created['id']}/rename", {"name": "Airedale FT"})
    etag = client.get(f"/organisations/{created['id']}").headers["etag"]

    response = client.post(
        f"/organisations/{created['id']}/rename",
        json={"name": "Airedale NHS FT"},
        headers={"If-Match": etag},
    )

    assert response.status_code == 200
    assert response.headers["etag"] == '"3"'


def test_a_weak_etag_is_accepted_as_if_match(client: Client) -> None:
    created = register_organisation(client, name="Airedale")

    response = client.post(
        f"/organisations/{created['id']}/rename",
        json={"name": "Airedale FT"},
        headers={"If-Match": 'W/"1"'},
    )

    assert response.status_code == 200


def test_an_if_match_of_star_matches_any_version(client: Client) -> None:
    created = register_organisation(client, name="Airedale")
    post_ok(client, f"/organisations/{created['id']}/rename", {"name": "Airedale FT"})

    response = client.post(
        f"/organisations/{created['id']}/rename",
        json={"name": "Airedale NHS FT"},
        headers={"If-Match": "*"},
    )

    assert response.status_code == 200


def test_an_if_match_that_is_not_an_etag_is_refused_with_422(client: Client) -> None:
    created = register_organisation(client, name="Airedale")

    response = client.post(
        f"/organisations/{created['id']}/rename",
        json={"name": "Airedale FT"},
        headers={"If-Match": "yesterday"},
    )

    assert_problem(response, 422, field="If-Match")


def test_renaming_a_dissolved_organisation_is_refused_with_409(client: Client) -> None:
    created = register_organisation(client, name="Airedale")
    post_ok(client, f"/organisations/{created['id']}/dissolve")

    response = client.post(f"/organisations/{created['id']}/rename", json={"name": "New"})

    assert_problem(response, 409, detail="dissolved")


# Merging


def test_merging_an_organisation_marks_it_merged_into_its_successor(client: Client) -> None:
    old = register_organisation(client, name="Airedale")
    successor = register_organisation(client, name="Bradford")

    response = client.post(
        f"/organisations/{old['id']}/merge", json={"successor_id": successor["id"]}
    )

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "merged"
    assert body["successor_id"] == successor["id"]
    assert body["version"] == 2
    assert history(client, f"/organisations/{old['id']}")[-1]["data"] == {
        "successor_id": successor["id"]
    }


def test_merging_an_organisation_into_itself_is_refused_with_422(client: Client) -> None:
    created = register_organisation(client, name="Airedale")

    response = client.post(
        f"/organisations/{created['id']}/merge", json={"successor_id": created["id"]}
    )

    assert_problem(response, 422, field="successor_id")


def test_merging_into_a_dissolved_organisation_is_refused_with_409(client: Client) -> None:
    old = register_organisation(client, name="Airedale")
    gone = register_organisation(client, name="Bradford")
    post_ok(client, f"/organisations/{gone['id']}/dissolve")

    response = client.post(f"/organisations/{old['id']}/merge", json={"successor_id": gone["id"]})

    assert_problem(response, 409, detail="dissolved")
    assert client.get(f"/organisations/{old['id']}").json()["status"] == "active"


def test_merging_into_a_merged_organisation_is_refused_with_409(client: Client) -> None:
    first = register_organisation(client, name="Airedale")
    second = register_organisation(client, name="Bradford")
    third = register_organisation(client, name="Calderdale")
    post_ok(client, f"/organisations/{second['id']}/merge", {"successor_id": third["id"]})

    response = client.post(
        f"/organisations/{first['id']}/merge", json={"successor_id": second["id"]}
    )

    assert_problem(response, 409, detail="merged")


def test_merging_an_already_merged_organisation_is_refused_with_409(client: Client) -> None:
    old = register_organisation(client, name="Airedale")
    first = register_organisation(client, name="Bradford")
    second = register_organisation(client, name="Calderdale")
    post_ok(client, f"/organisations/{old['id']}/merge", {"successor_id": first["id"]})

    response = client.post(f"/organisations/{old['id']}/merge", json={"successor_id": second["id"]})

    assert_problem(response, 409)


def test_merging_into_an_unknown_organisation_is_refused_with_422_naming_the_field(
    client: Client,
) -> None:
    old = register_organisation(client, name="Airedale")

    response = client.post(f"/organisations/{old['id']}/merge", json={"successor_id": UNKNOWN_ID})

    assert_problem(response, 422, field="successor_id")


def test_merging_into_a_malformed_successor_id_is_refused_with_422_naming_the_field(
    client: Client,
) -> None:
    old = register_organisation(client, name="Airedale")

    response = client.post(f"/organisations/{old['id']}/merge", json={"successor_id": "bradford"})

    assert_problem(response, 422, field="successor_id")


def test_merging_an_unknown_organisation_is_404(client: Client) -> None:
    successor = register_organisation(client, name="Bradford")

    response = client.post(
        f"/organisations/{UNKNOWN_ID}/merge", json={"successor_id": successor["id"]}
    )

    assert_problem(response, 404)


# Dissolving


def test_dissolving_an_organisation_marks_it_dissolved(client: Client) -> None:
    created = register_organisation(client, name="Airedale")

    response = client.post(f"/organisations/{created['id']}/dissolve")

    assert response.status_code == 200
    assert response.headers["etag"] == '"2"'
    assert response.json()["status"] == "dissolved"


def test_dissolving_an_organisation_twice_is_refused_with_409(client: Client) -> None:
    created = register_organisation(client, name="Airedale")
    post_ok(client, f"/organisations/{created['id']}/dissolve")

    response = client.post(f"/organisations/{created['id']}/dissolve")

    assert_problem(response, 409, detail="dissolved")


def test_dissolving_with_a_stale_if_match_is_refused_with_409(client: Client) -> None:
    created = register_organisation(client, name="Airedale")
    post_ok(client, f"/organisations/{created['id']}/rename", {"name": "Airedale FT"})

    response = client.post(f"/organisations/{created['id']}/dissolve", headers={"If-Match": '"1"'})

    assert assert_problem(response, 409)["current_version"] == 2


def test_dissolving_an_unknown_organisation_is_404(client: Client) -> None:
    response = client.post(f"/organisations/{UNKNOWN_ID}/dissolve")

    assert_problem(response, 404)


def test_an_organisations_timestamps_are_utc_iso_8601_ending_in_z(client: Client) -> None:
    created = register_organisation(client, name="Airedale")
    renamed = post_ok(client, f"/organisations/{created['id']}/rename", {"name": "Airedale FT"})

    assert_utc_iso(renamed["created_at"])
    assert_utc_iso(renamed["updated_at"])
    assert renamed["updated_at"] > renamed["created_at"]
