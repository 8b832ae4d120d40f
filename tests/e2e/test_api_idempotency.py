"""Idempotency-Key: a retried POST records once and answers with the same record."""

from __future__ import annotations

from litestar.testing import TestClient


def events_in_log(client: TestClient) -> int:  # type: ignore[type-arg]
    return int(client.get("/health").json()["events"])


def test_a_retried_registration_with_the_same_key_records_once(client: TestClient) -> None:  # type: ignore[type-arg]
    body = {"name": "Leeds Teaching Hospitals", "kind": "provider", "ods_code": "RR8"}
    headers = {"Idempotency-Key": "4b1c-retry-1"}

    first = client.post("/organisations", json=body, headers=headers)
    after_first = events_in_log(client)
    second = client.post("/organisations", json=body, headers=headers)

    assert first.status_code == second.status_code == 201
    assert second.json()["id"] == first.json()["id"]
    assert second.headers["idempotent-replayed"] == "true"
    assert events_in_log(client) == after_first


def test_a_retried_command_on_a_record_is_applied_once(client: TestClient) -> None:  # type: ignore[type-arg]
    org = client.post("/organisations", json={"name": "A", "kind": "provider"}).json()
    headers = {"Idempotency-Key": "rename-once"}

    client.post(f"/organisations/{org['id']}/rename", json={"name": "B"}, headers=headers)
    again = client.post(f"/organisations/{org['id']}/rename", json={"name": "B"}, headers=headers)

    assert again.status_code == 200
    assert again.json()["version"] == 2
    history = client.get(f"/organisations/{org['id']}/history").json()
    assert [item["type"] for item in history["items"]] == ["Registered", "Renamed"]


def test_reusing_a_key_for_a_different_request_is_refused_naming_the_header(
    client: TestClient,  # type: ignore[type-arg]
) -> None:
    headers = {"Idempotency-Key": "k-1"}
    client.post("/organisations", json={"name": "A", "kind": "provider"}, headers=headers)
    before = events_in_log(client)

    response = client.post(
        "/organisations", json={"name": "Different", "kind": "provider"}, headers=headers
    )

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "Idempotency-Key"
    assert events_in_log(client) == before


def test_a_refused_request_does_not_use_up_its_key(client: TestClient) -> None:  # type: ignore[type-arg]
    headers = {"Idempotency-Key": "k-2"}
    refused = client.post("/organisations", json={"name": " ", "kind": "provider"}, headers=headers)

    retried = client.post("/organisations", json={"name": " ", "kind": "provider"}, headers=headers)

    assert refused.status_code == retried.status_code == 422
    assert "idempotent-replayed" not in retried.headers


def test_keys_belong_to_the_person_who_sent_them(
    client: TestClient,  # type: ignore[type-arg]
    anonymous: TestClient,  # type: ignore[type-arg]
) -> None:
    from infra.bootstrap import Container

    container: Container = anonymous.app.state.container
    bob = container.app.register_person(by=None, name="Bob", email="bob@example.org")
    container.app.grant_administrator(by=None, person_id=bob.id)
    bob_token, _ = container.app.issue_token(by=None, person_id=bob.id, label="t")
    body = {"name": "Same body", "kind": "partner"}
    client.post("/organisations", json=body, headers={"Idempotency-Key": "shared"})

    response = anonymous.post(
        "/organisations",
        json=body,
        headers={"Idempotency-Key": "shared", "Authorization": f"Bearer {bob_token}"},
    )

    assert response.status_code == 201
    assert "idempotent-replayed" not in response.headers
