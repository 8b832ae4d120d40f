"""Read-your-writes headers: where a write landed, and reads that wait for it."""

from __future__ import annotations

from infra.bootstrap import Container
from tests.e2e.support import Client, register_organisation

POSITION = "Changeledger-Position"
MIN_POSITION = "Changeledger-Min-Position"


def test_a_write_answers_with_the_log_position_of_its_last_event(
    client: Client, container: Container
) -> None:
    response = client.post("/organisations", json={"name": "Leeds CC", "kind": "partner"})

    assert response.status_code == 201
    assert int(response.headers[POSITION]) == container.app.recorder.max_notification_id()


def test_a_read_records_nothing_and_answers_with_no_position(client: Client) -> None:
    register_organisation(client)

    response = client.get("/organisations")

    assert response.status_code == 200
    assert POSITION not in response.headers


def test_a_read_sent_with_a_written_position_sees_that_write(client: Client) -> None:
    written = client.post("/organisations", json={"name": "Leeds CC", "kind": "partner"})

    response = client.get("/organisations", headers={MIN_POSITION: written.headers[POSITION]})

    assert response.status_code == 200
    assert written.json()["id"] in {item["id"] for item in response.json()["items"]}


def test_a_position_that_is_not_a_number_is_invalid_input(client: Client) -> None:
    response = client.get("/organisations", headers={MIN_POSITION: "soon"})

    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["errors"][0]["field"] == MIN_POSITION


def test_a_position_beyond_the_end_of_the_log_is_invalid_input(
    client: Client, container: Container
) -> None:
    register_organisation(client)
    beyond = (container.app.recorder.max_notification_id() or 0) + 1

    response = client.get("/organisations", headers={MIN_POSITION: str(beyond)})

    assert response.status_code == 422
    assert "no position" in response.json()["detail"]


MINIMAL = {"Prefer": "return=minimal"}


def test_a_write_that_prefers_a_minimal_answer_gets_the_records_id_version_and_position(
    client: Client, container: Container
) -> None:
    response = client.post(
        "/organisations", json={"name": "Leeds CC", "kind": "partner"}, headers=MINIMAL
    )

    assert response.status_code == 201
    assert response.json() == {"id": response.json()["id"], "version": 1}
    assert response.headers["ETag"] == '"1"'
    assert response.headers["Preference-Applied"] == "return=minimal"
    assert int(response.headers[POSITION]) == container.app.recorder.max_notification_id()
    read = client.get(
        f"/organisations/{response.json()['id']}",
        headers={MIN_POSITION: response.headers[POSITION]},
    )
    assert read.json()["name"] == "Leeds CC"


def test_a_minimal_answer_to_a_change_carries_the_version_a_read_then_shows(
    client: Client,
) -> None:
    created = client.post("/organisations", json={"name": "Leeds CC", "kind": "partner"}).json()

    renamed = client.post(
        f"/organisations/{created['id']}/rename",
        json={"name": "Leeds City Council"},
        headers={**MINIMAL, "If-Match": '"1"'},
    )

    assert renamed.status_code == 200
    assert renamed.json() == {"id": created["id"], "version": 2}
    read = client.get(
        f"/organisations/{created['id']}", headers={MIN_POSITION: renamed.headers[POSITION]}
    )
    assert read.headers["ETag"] == renamed.headers["ETag"] == '"2"'
    assert read.json()["name"] == "Leeds City Council"


def test_a_replayed_idempotent_write_answers_with_the_whole_record_even_if_minimal_is_preferred(
    client: Client,
) -> None:
    headers = {**MINIMAL, "Idempotency-Key": "import-row-17"}
    body = {"name": "Leeds CC", "kind": "partner"}
    first = client.post("/organisations", json=body, headers=headers)

    again = client.post("/organisations", json=body, headers=headers)

    assert first.json()["version"] == 1
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["name"] == "Leeds CC"
