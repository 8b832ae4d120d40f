"""HTTP-level refusals: malformed ids, bodies that are not JSON or too big, unknown routes."""

from __future__ import annotations

import json

import pytest

from tests.e2e.support import Client, assert_problem, event_count

MALFORMED = "not-a-uuid"


@pytest.mark.parametrize(
    ("method", "path", "kind"),
    [
        ("GET", "/organisations/{id}", "organisation"),
        ("GET", "/organisations/{id}/history", "organisation"),
        ("POST", "/organisations/{id}/rename", "organisation"),
        ("POST", "/organisations/{id}/dissolve", "organisation"),
        ("GET", "/people/{id}", "person"),
        ("GET", "/people/{id}/history", "person"),
        ("GET", "/programmes/{id}", "programme"),
        ("GET", "/programmes/{id}/history", "programme"),
        ("POST", "/programmes/{id}/workstreams", "programme"),
    ],
)
def test_a_malformed_id_in_a_path_is_404_saying_ids_are_uuids(
    client: Client, method: str, path: str, kind: str
) -> None:
    body = {"name": "Anything"} if method == "POST" else None

    response = client.request(method, path.format(id=MALFORMED), json=body)

    problem = assert_problem(response, 404, detail="ids are UUIDs")
    assert f"no {kind}" in problem["detail"]
    assert MALFORMED in problem["detail"]


def test_a_malformed_organisation_id_in_a_participant_path_is_404_saying_ids_are_uuids(
    client: Client,
) -> None:
    icb = client.post("/organisations", json={"name": "ICB", "kind": "commissioner"}).json()
    programme = client.post(
        "/programmes", json={"title": "Urgent care", "lead_commissioner_id": icb["id"]}
    ).json()

    response = client.delete(f"/programmes/{programme['id']}/participants/{MALFORMED}")

    assert_problem(response, 404, detail="ids are UUIDs")


def test_malformed_json_is_refused_with_a_400_problem(client: Client) -> None:
    response = client.post(
        "/organisations",
        content=b'{"name": "Leeds", "kind": ',
        headers={"Content-Type": "application/json"},
    )

    assert_problem(response, 400, detail="JSON")


def test_a_body_that_is_not_utf8_is_refused_with_a_400_problem(client: Client) -> None:
    response = client.post(
        "/organisations", content=b"\xff\xfe\x00", headers={"Content-Type": "application/json"}
    )

    assert_problem(response, 400)


def test_a_missing_body_is_refused_with_422(client: Client) -> None:
    response = client.post("/organisations")

    assert_problem(response, 422, field="body", detail="body is required")


def test_a_json_null_body_is_refused_with_422(client: Client) -> None:
    response = client.post(
        "/organisations", content=b"null", headers={"Content-Type": "application/json"}
    )

    assert_problem(response, 422, field="body")


def test_an_oversized_body_is_refused_with_413(client: Client) -> None:
    payload = json.dumps({"name": "x" * 70_000, "kind": "provider"}).encode()

    response = client.post(
        "/organisations", content=payload, headers={"Content-Type": "application/json"}
    )

    assert_problem(response, 413)


def test_an_oversized_body_records_nothing(client: Client) -> None:
    before = event_count(client)
    payload = json.dumps({"name": "x" * 70_000, "kind": "provider"}).encode()

    client.post("/organisations", content=payload, headers={"Content-Type": "application/json"})

    assert event_count(client) == before


def test_a_body_just_under_the_limit_is_read(client: Client) -> None:
    # 64 KiB is the default limit; this body is valid JSON of about 60 KiB whose name is too
    # long, so the refusal comes from validation (422), not from the size limit (413).
    payload = json.dumps({"name": "x" * 60_000, "kind": "provider"}).encode()

    response = client.post(
        "/organisations", content=payload, headers={"Content-Type": "application/json"}
    )

    assert_problem(response, 422, field="name")


def test_extra_unknown_fields_name_the_first_unknown_field(client: Client) -> None:
    response = client.post(
        "/people", json={"name": "Grace", "email": "grace@example.org", "nickname": "Amazing"}
    )

    body = assert_problem(response, 422, field="nickname")
    assert "unknown field" in body["errors"][0]["message"]


def test_an_unknown_route_is_a_404_problem(client: Client) -> None:
    assert_problem(client.get("/organizations"), 404)


def test_an_unsupported_method_is_a_405_problem(client: Client) -> None:
    assert_problem(client.put("/organisations", json={}), 405)
