"""The audit trail: who did each thing, when, and that refused writes leave nothing behind."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

import pytest
from httpx import Response

from infra.bootstrap import Container
from tests.e2e.support import (
    Client,
    assert_utc_iso,
    commissioner,
    create_programme,
    event_count,
    history,
    post_ok,
    register_organisation,
    register_person,
)


def test_every_organisation_event_records_the_acting_person(client: Client, ada_id: UUID) -> None:
    old = register_organisation(client, name="Airedale")
    successor = register_organisation(client, name="Bradford")
    post_ok(client, f"/organisations/{old['id']}/rename", {"name": "Airedale FT"})
    post_ok(client, f"/organisations/{old['id']}/merge", {"successor_id": successor["id"]})

    items = history(client, f"/organisations/{old['id']}")

    assert len(items) == 3
    assert {item["actor_id"] for item in items} == {str(ada_id)}


def test_every_person_event_records_the_acting_person(client: Client, ada_id: UUID) -> None:
    leeds = register_organisation(client, name="Leeds")
    grace = register_person(client)
    post_ok(client, f"/people/{grace['id']}/join", {"organisation_id": leeds["id"]})
    post_ok(client, f"/people/{grace['id']}/leave", {"organisation_id": leeds["id"]})

    items = history(client, f"/people/{grace['id']}")

    assert len(items) == 3
    assert {item["actor_id"] for item in items} == {str(ada_id)}


def test_every_programme_event_records_the_acting_person(client: Client, ada_id: UUID) -> None:
    provider = register_organisation(client, name="Leeds Teaching Hospitals")
    programme = create_programme(client, commissioner(client)["id"])
    path = f"/programmes/{programme['id']}"
    client.patch(path, json={"description": "Why"})
    post_ok(
        client,
        f"{path}/participants",
        {"organisation_id": provider["id"], "role": "provider"},
        status=201,
    )
    post_ok(client, f"{path}/workstreams", {"name": "Hospital services"}, status=201)
    client.delete(f"{path}/participants/{provider['id']}")

    items = history(client, path)

    assert len(items) == 5
    assert {item["actor_id"] for item in items} == {str(ada_id)}


def test_the_actor_is_whoever_holds_the_token_used(anonymous: Client, container: Container) -> None:
    grace = container.app.register_person(by=None, name="Grace", email="grace@example.org")
    container.app.grant_administrator(by=None, person_id=grace.id)
    secret, _ = container.app.issue_token(by=None, person_id=grace.id, label="grace")
    anonymous.headers["Authorization"] = f"Bearer {secret}"

    created = register_organisation(anonymous, name="Leeds")

    assert history(anonymous, f"/organisations/{created['id']}")[0]["actor_id"] == str(grace.id)


def test_events_recorded_by_the_platform_have_no_actor(client: Client, ada_id: UUID) -> None:
    # The fixture registered Ada from the command line side, as nobody in particular.
    assert history(client, f"/people/{ada_id}")[0]["actor_id"] is None


def test_history_timestamps_are_utc_iso_8601_ending_in_z(client: Client) -> None:
    created = register_organisation(client, name="Airedale")
    post_ok(client, f"/organisations/{created['id']}/rename", {"name": "Airedale FT"})

    items = history(client, f"/organisations/{created['id']}")

    for item in items:
        assert_utc_iso(item["recorded_at"])
    assert items[0]["recorded_at"] < items[1]["recorded_at"]


def test_an_events_recorded_time_is_the_records_created_time(client: Client) -> None:
    created = register_organisation(client, name="Airedale")

    items = history(client, f"/organisations/{created['id']}")

    assert items[0]["recorded_at"] == created["created_at"]


# Each refused write, set up by the first function, attempted by the second.
Setup = Callable[[Client], dict[str, Any]]
Attempt = Callable[[Client, dict[str, Any]], Response]


def _two_organisations_one_dissolved(client: Client) -> dict[str, Any]:
    live = register_organisation(client, name="Leeds", ods_code="RR8")
    gone = register_organisation(client, name="York")
    post_ok(client, f"/organisations/{gone['id']}/dissolve")
    return {"live": live, "gone": gone, "person": register_person(client)}


def _a_programme(client: Client) -> dict[str, Any]:
    provider = register_organisation(client, name="Leeds Teaching Hospitals")
    return {
        "provider": provider,
        "programme": create_programme(client, commissioner(client)["id"]),
    }


REFUSED_WRITES: dict[str, tuple[Setup, Attempt, int]] = {
    "duplicate ODS code": (
        _two_organisations_one_dissolved,
        lambda c, s: c.post(
            "/organisations", json={"name": "Leeds 2", "kind": "provider", "ods_code": "rr8"}
        ),
        409,
    ),
    "duplicate email": (
        _two_organisations_one_dissolved,
        lambda c, s: c.post("/people", json={"name": "G", "email": "GRACE@example.org"}),
        409,
    ),
    "whitespace-only name": (
        _two_organisations_one_dissolved,
        lambda c, s: c.post("/organisations", json={"name": "  ", "kind": "provider"}),
        422,
    ),
    "stale If-Match": (
        _two_organisations_one_dissolved,
        lambda c, s: c.post(
            f"/organisations/{s['gone']['id']}/rename",
            json={"name": "York 2"},
            headers={"If-Match": '"1"'},
        ),
        409,
    ),
    "joining a dissolved organisation": (
        _two_organisations_one_dissolved,
        lambda c, s: c.post(
            f"/people/{s['person']['id']}/join", json={"organisation_id": s["gone"]["id"]}
        ),
        409,
    ),
    "merging into a dissolved organisation": (
        _two_organisations_one_dissolved,
        lambda c, s: c.post(
            f"/organisations/{s['live']['id']}/merge", json={"successor_id": s["gone"]["id"]}
        ),
        409,
    ),
    "merging into itself": (
        _two_organisations_one_dissolved,
        lambda c, s: c.post(
            f"/organisations/{s['live']['id']}/merge", json={"successor_id": s["live"]["id"]}
        ),
        422,
    ),
    "removing a non-participant": (
        _a_programme,
        lambda c, s: c.delete(
            f"/programmes/{s['programme']['id']}/participants/{s['provider']['id']}"
        ),
        409,
    ),
    "unknown role": (
        _a_programme,
        lambda c, s: c.post(
            f"/programmes/{s['programme']['id']}/participants",
            json={"organisation_id": s["provider"]["id"], "role": "sponsor"},
        ),
        422,
    ),
}


@pytest.mark.parametrize("case", list(REFUSED_WRITES))
def test_a_refused_write_leaves_no_event_behind(client: Client, case: str) -> None:
    setup, attempt, status = REFUSED_WRITES[case]
    state = setup(client)
    before = event_count(client)

    response = attempt(client, state)

    assert response.status_code == status, response.text
    assert event_count(client) == before


def test_a_refused_rename_leaves_the_organisations_history_unchanged(client: Client) -> None:
    created = register_organisation(client, name="Airedale")
    post_ok(client, f"/organisations/{created['id']}/dissolve")
    before = history(client, f"/organisations/{created['id']}")

    response = client.post(f"/organisations/{created['id']}/rename", json={"name": "New"})

    assert response.status_code == 409
    assert history(client, f"/organisations/{created['id']}") == before
