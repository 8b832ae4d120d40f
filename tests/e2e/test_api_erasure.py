"""What a person writes about themselves, and erasing a person, through the HTTP API."""

from __future__ import annotations

from tests.e2e.support import (
    UNKNOWN_ID,
    Client,
    assert_problem,
    event_count,
    history,
    post_ok,
    register_organisation,
)

GRACE = {
    "name": "Grace Hopper",
    "email": "grace@example.org",
    "about": "I found a moth in the relay",
}


def registered(client: Client) -> dict[str, object]:
    response = client.post("/people", json=GRACE)
    assert response.status_code == 201, response.text
    body: dict[str, object] = response.json()
    return body


def test_a_person_registers_with_about_and_changes_it(client: Client) -> None:
    grace = registered(client)

    response = client.put(
        f"/people/{grace['id']}/about", json={"about": "Compilers"}, headers={"If-Match": '"1"'}
    )

    assert grace["about"] == GRACE["about"]
    assert grace["erased"] is False
    assert response.status_code == 200, response.text
    assert (response.json()["about"], response.headers["etag"]) == ("Compilers", '"2"')


def test_changing_about_from_a_stale_version_is_a_conflict(client: Client) -> None:
    grace = registered(client)
    client.put(f"/people/{grace['id']}/about", json={"about": "Compilers"})

    response = client.put(
        f"/people/{grace['id']}/about", json={"about": "Moths"}, headers={"If-Match": '"1"'}
    )

    assert_problem(response, 409)


def test_erasing_a_person_answers_with_them_shown_as_erased(client: Client) -> None:
    grace = registered(client)
    trust = register_organisation(client)
    post_ok(client, f"/people/{grace['id']}/join", {"organisation_id": trust["id"]})

    erased = post_ok(client, f"/people/{grace['id']}/erasure", {"reason": "ER-2026-014"})

    assert erased["name"].startswith("erased person #")
    assert (erased["email"], erased["about"], erased["erased"]) == (None, None, True)
    assert erased["organisation_id"] == trust["id"]
    assert len(erased["memberships"]) == 1
    assert client.get(f"/people/{grace['id']}").json() == erased
    listed = client.get("/people", params={"organisation_id": trust["id"]}).json()
    assert [p["name"] for p in listed["items"]] == [erased["name"]]


def test_an_erased_persons_history_keeps_its_events_without_personal_data(
    client: Client,
) -> None:
    grace = registered(client)
    client.put(f"/people/{grace['id']}/about", json={"about": "Compilers"})

    post_ok(client, f"/people/{grace['id']}/erasure", {"reason": "ER-2026-014"})

    events = history(client, f"/people/{grace['id']}")
    assert [e["type"] for e in events] == ["Registered", "AboutChanged", "Erased"]
    text = repr(events)
    assert all(value not in text for value in (*GRACE.values(), "Compilers"))


def test_erasing_a_person_again_answers_the_same_and_records_nothing(client: Client) -> None:
    grace = registered(client)
    first = post_ok(client, f"/people/{grace['id']}/erasure", {"reason": "ER-1"})
    events = event_count(client)

    again = post_ok(client, f"/people/{grace['id']}/erasure", {"reason": "ER-1"})

    assert again == first
    assert event_count(client) == events


def test_erasing_an_unknown_person_is_not_found(client: Client) -> None:
    response = client.post(f"/people/{UNKNOWN_ID}/erasure", json={"reason": "ER-1"})

    assert_problem(response, 404)


def test_an_erasure_without_a_reason_is_refused_with_422(client: Client) -> None:
    grace = registered(client)

    response = client.post(f"/people/{grace['id']}/erasure", json={"reason": "   "})

    assert_problem(response, 422, field="reason")


def test_an_erased_person_cannot_write_about_themselves_again(client: Client) -> None:
    grace = registered(client)
    post_ok(client, f"/people/{grace['id']}/erasure", {"reason": "ER-1"})

    response = client.put(f"/people/{grace['id']}/about", json={"about": "Back"})

    assert_problem(response, 409)
