"""Framework versions through the HTTP API, on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from infra.bootstrap import Container
from tests.e2e.support import Client, assert_problem, assert_utc_iso, event_count, history

COMPONENTS = [
    {"key": "shared_purpose", "label": "Why we are here", "side": "centre"},
    {"key": "co_production", "label": "Co-production", "side": "soft"},
]


def local_model(**changes: Any) -> dict[str, Any]:
    return {"key": "local-model-2026", "title": "Our local model", "components": COMPONENTS} | (
        changes
    )


def test_listing_frameworks_gives_the_shipped_versions_with_their_components(
    client: Client, container: Container
) -> None:
    container.app.ensure_builtin_frameworks()

    body = client.get("/frameworks").json()

    assert [item["key"] for item in body["items"]] == [
        "nhs-change-model-2012",
        "nhs-change-model-2018",
    ]
    assert body["total"] == 2
    assert body["items"][1]["components"][5] == {
        "key": "delivery",
        "label": "Project and performance management",
        "side": "hard",
    }


def test_listing_frameworks_pages_with_limit_and_offset(
    client: Client, container: Container
) -> None:
    container.app.ensure_builtin_frameworks()

    body = client.get("/frameworks", params={"limit": 1, "offset": 1}).json()

    assert [item["key"] for item in body["items"]] == ["nhs-change-model-2018"]
    assert (body["total"], body["limit"], body["offset"]) == (2, 1, 1)


def test_reading_a_framework_by_key_gives_its_components_and_version_as_etag(
    client: Client, container: Container
) -> None:
    container.app.ensure_builtin_frameworks()

    response = client.get("/frameworks/nhs-change-model-2012")

    assert response.status_code == 200
    assert response.headers["etag"] == '"1"'
    body = response.json()
    assert body["title"] == "NHS Change Model (2012)"
    assert [c["label"] for c in body["components"]][:3] == [
        "Our shared purpose",
        "Leadership for change",
        "Engagement to mobilise",
    ]
    assert_utc_iso(body["created_at"])


def test_reading_an_unknown_framework_is_404_naming_the_key(client: Client) -> None:
    response = client.get("/frameworks/nhs-change-model-2030")

    assert_problem(response, 404, detail="nhs-change-model-2030")


def test_registering_a_framework_version_answers_201_with_it(client: Client) -> None:
    response = client.post("/frameworks", json=local_model())

    assert response.status_code == 201
    assert response.headers["etag"] == '"1"'
    body = response.json()
    assert (body["key"], body["title"], body["components"], body["version"]) == (
        "local-model-2026",
        "Our local model",
        COMPONENTS,
        1,
    )
    assert client.get("/frameworks/local-model-2026").json() == body


def test_registering_the_identical_definition_again_answers_200_and_records_nothing(
    client: Client,
) -> None:
    first = client.post("/frameworks", json=local_model()).json()
    before = event_count(client)

    response = client.post("/frameworks", json=local_model())

    assert response.status_code == 200
    assert response.json() == first
    assert event_count(client) == before


def test_registering_a_different_definition_under_a_registered_key_is_409_saying_why(
    client: Client,
) -> None:
    client.post("/frameworks", json=local_model())

    response = client.post("/frameworks", json=local_model(title="Renamed"))

    assert_problem(response, 409, detail="new key")


def test_registering_a_component_with_an_unknown_side_is_422_naming_it(client: Client) -> None:
    components = [COMPONENTS[0], {**COMPONENTS[1], "side": "middle"}]

    response = client.post("/frameworks", json=local_model(components=components))

    assert_problem(response, 422, field="components[1].side")


def test_registering_a_component_twice_is_422_naming_the_second(client: Client) -> None:
    response = client.post("/frameworks", json=local_model(components=COMPONENTS * 2))

    assert_problem(response, 422, field="components[2].key")


def test_registering_a_malformed_key_is_422_naming_key(client: Client) -> None:
    response = client.post("/frameworks", json=local_model(key="Our Model"))

    assert_problem(response, 422, field="key")


def test_registering_with_an_unknown_field_is_422_naming_it(client: Client) -> None:
    response = client.post("/frameworks", json=local_model(year=2026))

    assert_problem(response, 422, field="year")


def test_registering_with_an_idempotency_key_twice_answers_the_same_and_replays(
    client: Client,
) -> None:
    headers = {"Idempotency-Key": "framework-1"}
    first = client.post("/frameworks", json=local_model(), headers=headers)

    again = client.post("/frameworks", json=local_model(), headers=headers)

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json() == first.json()


def test_a_framework_history_says_who_registered_it(client: Client, ada_id: UUID) -> None:
    client.post("/frameworks", json=local_model())

    items = history(client, "/frameworks/local-model-2026")

    assert [(item["version"], item["type"], item["actor_id"]) for item in items] == [
        (1, "Registered", str(ada_id))
    ]
    assert items[0]["data"]["components"] == COMPONENTS


def test_the_history_of_an_unknown_framework_is_404(client: Client) -> None:
    assert_problem(client.get("/frameworks/nothing-here/history"), 404, detail="nothing-here")


def test_a_framework_reads_at_version_1_and_is_not_found_as_of_before_it_existed(
    client: Client,
) -> None:
    client.post("/frameworks", json=local_model())

    at_version = client.get("/frameworks/local-model-2026", params={"version": 1})
    before = client.get("/frameworks/local-model-2026", params={"as_of": "2001-01-01T00:00:00Z"})

    assert at_version.status_code == 200
    assert_problem(before, 404)


def test_a_framework_read_as_of_a_time_without_timezone_is_422_naming_as_of(
    client: Client,
) -> None:
    client.post("/frameworks", json=local_model())

    response = client.get("/frameworks/local-model-2026", params={"as_of": "2026-01-01T00:00:00"})

    assert_problem(response, 422, field="as_of")
