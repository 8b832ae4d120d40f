"""Programme roles through the HTTP API, on SQLite and PostgreSQL."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from uuid import UUID

import pytest

from tests.e2e.role_support import Board
from tests.e2e.support import (
    UNKNOWN_ID,
    Client,
    assert_problem,
    assert_utc_iso,
    event_count,
    history,
    post_ok,
)


@pytest.fixture
def board(client: Client, ada_id: UUID) -> Board:
    return Board(client, ada_id)


# Defining


def test_defining_a_role_returns_it_vacant_with_its_default_title_and_version_etag(
    client: Client, board: Board
) -> None:
    response = client.post(board.roles_path, json={"kind": "sro", "critical": True})

    assert response.status_code == 201
    assert response.headers["etag"] == '"1"'
    body = response.json()
    assert (body["programme_id"], body["kind"], body["title"]) == (
        board.programme,
        "sro",
        "Senior responsible owner",
    )
    assert (body["critical"], body["vacant"], body["flagged"]) == (True, True, False)
    assert (body["holder_id"], body["deputy_id"], body["handovers"], body["flags"]) == (
        None,
        None,
        [],
        [],
    )
    assert_utc_iso(body["created_at"])


def test_defining_a_named_lead_of_a_participating_organisation(board: Board) -> None:
    body = board.role("organisation_lead", organisation_id=board.trust)

    assert (body["organisation_id"], body["title"]) == (
        board.trust,
        "Named lead for Leeds Teaching Hospitals",
    )


def test_defining_a_custom_role_with_a_title(board: Board) -> None:
    body = board.role("custom", title="Patient voice lead")

    assert (body["kind"], body["title"]) == ("custom", "Patient voice lead")


def test_a_custom_role_without_a_title_is_refused_with_422_naming_title(
    client: Client, board: Board
) -> None:
    response = client.post(board.roles_path, json={"kind": "custom"})

    assert_problem(response, 422, field="title")


def test_an_unknown_kind_is_refused_with_422_naming_kind(client: Client, board: Board) -> None:
    response = client.post(board.roles_path, json={"kind": "wizard"})

    assert_problem(response, 422, field="kind", detail="organisation_lead")


def test_a_named_lead_without_an_organisation_is_refused_with_422(
    client: Client, board: Board
) -> None:
    response = client.post(board.roles_path, json={"kind": "organisation_lead"})

    assert_problem(response, 422, field="organisation_id")


def test_a_named_lead_of_an_unknown_organisation_is_refused_with_422(
    client: Client, board: Board
) -> None:
    response = client.post(
        board.roles_path, json={"kind": "organisation_lead", "organisation_id": UNKNOWN_ID}
    )

    assert_problem(response, 422, field="organisation_id")


def test_a_named_lead_of_an_organisation_not_taking_part_is_refused_with_409_saying_so(
    client: Client, board: Board
) -> None:
    response = client.post(
        board.roles_path, json={"kind": "organisation_lead", "organisation_id": board.outsider}
    )

    assert_problem(response, 409, detail="does not participate")


def test_a_second_sro_is_refused_with_409_naming_the_existing_role(
    client: Client, board: Board
) -> None:
    first = board.role("sro")

    response = client.post(board.roles_path, json={"kind": "sro"})

    body = assert_problem(response, 409, field="kind", detail="already has")
    assert body["existing_id"] == first["id"]


def test_defining_with_an_unknown_field_is_refused_naming_it(client: Client, board: Board) -> None:
    response = client.post(board.roles_path, json={"kind": "sro", "holder": "Ada"})

    assert_problem(response, 422, field="holder")


def test_defining_in_an_unknown_programme_is_404(client: Client, board: Board) -> None:
    response = client.post(f"/programmes/{UNKNOWN_ID}/roles", json={"kind": "sro"})

    assert_problem(response, 404)


def test_defining_in_a_malformed_programme_id_is_404_saying_ids_are_uuids(
    client: Client, board: Board
) -> None:
    response = client.post("/programmes/not-an-id/roles", json={"kind": "sro"})

    assert_problem(response, 404, detail="UUID")


def test_someone_not_in_a_participating_organisation_may_not_define_roles(
    client: Client, board: Board
) -> None:
    post_ok(client, f"/people/{board.ada}/leave", {"organisation_id": board.icb})
    post_ok(client, f"/people/{board.ada}/join", {"organisation_id": board.outsider})

    response = client.post(board.roles_path, json={"kind": "sro"})

    assert_problem(response, 403, detail="not a member of an organisation taking part")


def test_a_retried_definition_with_the_same_idempotency_key_records_once(
    client: Client, board: Board
) -> None:
    headers = {"Idempotency-Key": "define-sro-1"}
    first = client.post(board.roles_path, json={"kind": "sro"}, headers=headers)
    events = event_count(client)

    again = client.post(board.roles_path, json={"kind": "sro"}, headers=headers)

    assert first.status_code == again.status_code == 201
    assert again.json()["id"] == first.json()["id"]
    assert again.headers["idempotent-replayed"] == "true"
    assert event_count(client) == events


# Reading


def test_reading_an_unknown_role_is_404(client: Client, board: Board) -> None:
    assert_problem(client.get(f"/roles/{UNKNOWN_ID}"), 404, detail="no role")


def test_reading_a_malformed_role_id_is_404_saying_ids_are_uuids(client: Client) -> None:
    assert_problem(client.get("/roles/nope"), 404, detail="UUID")


def test_reading_an_organisation_id_as_a_role_is_404(client: Client, board: Board) -> None:
    assert_problem(client.get(f"/roles/{board.trust}"), 404)


def test_a_role_reads_as_it_was_at_an_earlier_version(client: Client, board: Board) -> None:
    role_id, holder, _ = board.held()
    board.handover(role_id, board.member(board.icb))

    response = client.get(f"/roles/{role_id}", params={"version": 2})

    assert response.status_code == 200
    assert response.headers["etag"] == '"2"'
    body = response.json()
    assert (body["version"], body["holder_id"], body["handovers"]) == (2, holder, [])


def test_a_role_reads_as_it_was_recorded_at_a_past_moment(client: Client, board: Board) -> None:
    role_id, holder, _ = board.held()
    moment = datetime.now(UTC)
    time.sleep(0.01)
    board.handover(role_id, board.member(board.icb))

    at = moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    body = client.get(f"/roles/{role_id}", params={"as_of": at}).json()

    assert (body["version"], body["holder_id"]) == (2, holder)
    assert client.get(f"/roles/{role_id}").json()["version"] == 3


def test_a_role_as_of_before_it_was_defined_is_404(client: Client, board: Board) -> None:
    role = board.role()

    response = client.get(f"/roles/{role['id']}", params={"as_of": "2020-01-01T00:00:00Z"})

    assert_problem(response, 404)


def test_a_version_the_role_has_not_reached_is_404(client: Client, board: Board) -> None:
    role = board.role()

    assert_problem(client.get(f"/roles/{role['id']}", params={"version": 9}), 404, detail="9")


@pytest.mark.parametrize("as_of", ["yesterday", "2026-01-01T00:00:00"])
def test_an_as_of_that_is_not_a_utc_time_is_refused_with_422(
    client: Client, board: Board, as_of: str
) -> None:
    role = board.role()

    response = client.get(f"/roles/{role['id']}", params={"as_of": as_of})

    assert_problem(response, 422, field="as_of")


def test_a_version_below_one_is_refused_with_422(client: Client, board: Board) -> None:
    role = board.role()

    assert client.get(f"/roles/{role['id']}", params={"version": 0}).status_code == 422


def test_a_roles_history_lists_every_event_with_who_and_when(client: Client, board: Board) -> None:
    role_id, _, _ = board.held()
    post_ok(client, f"/roles/{role_id}/critical", {"critical": True})
    post_ok(client, f"/roles/{role_id}/vacate", {"reason": "restructure"})

    items = history(client, f"/roles/{role_id}")

    assert [i["type"] for i in items] == ["Defined", "Assigned", "MarkedCritical", "Vacated"]
    assert {i["actor_id"] for i in items} == {board.ada}
    assert items[3]["data"]["reason"] == "restructure"
    assert_utc_iso(items[0]["recorded_at"])


def test_the_history_of_an_unknown_role_is_404(client: Client) -> None:
    assert_problem(client.get(f"/roles/{UNKNOWN_ID}/history"), 404)


# Listing


def test_a_programmes_roles_are_listed_with_filters_and_pages(client: Client, board: Board) -> None:
    sro, _, _ = board.held("sro", critical=True)
    facilitator = board.role("programme_facilitator", critical=True)["id"]
    board.role("measurement_lead")

    def ids(**params: object) -> list[str]:
        response = client.get(board.roles_path, params=params)
        assert response.status_code == 200, response.text
        return [item["id"] for item in response.json()["items"]]

    assert ids(critical="true") == [sro, facilitator]
    assert ids(critical="true", vacant="true") == [facilitator]
    assert ids(vacant="false") == [sro]
    assert ids(kind="programme_facilitator") == [facilitator]
    assert ids(flagged="true") == []
    page = client.get(board.roles_path, params={"limit": 1, "offset": 1}).json()
    assert ([i["id"] for i in page["items"]], page["total"]) == ([facilitator], 3)


def test_listing_the_roles_of_an_unknown_programme_is_404(client: Client) -> None:
    assert_problem(client.get(f"/programmes/{UNKNOWN_ID}/roles"), 404)


def test_listing_roles_of_an_unknown_kind_is_refused_with_422(client: Client, board: Board) -> None:
    assert client.get(board.roles_path, params={"kind": "wizard"}).status_code == 422


def test_a_persons_roles_say_whether_they_hold_or_deputise(client: Client, board: Board) -> None:
    sro, holder, deputy = board.held("sro", critical=True)
    lead, _, _ = board.held("clinical_lead")
    post_ok(client, f"/roles/{lead}/assignment", {"holder_id": deputy})

    body = client.get(f"/people/{deputy}/roles").json()

    assert [(i["id"], i["position"]) for i in body["items"]] == [(sro, "deputy"), (lead, "holder")]
    assert body["total"] == 2
    critical = client.get(f"/people/{deputy}/roles", params={"critical": "true"}).json()
    assert [i["id"] for i in critical["items"]] == [sro]
    assert client.get(f"/people/{holder}/roles").json()["total"] == 1


def test_the_roles_of_an_unknown_person_are_404(client: Client) -> None:
    assert_problem(client.get(f"/people/{UNKNOWN_ID}/roles"), 404)


# Assigning


def test_assigning_a_holder_and_deputy_returns_the_role_with_both(
    client: Client, board: Board
) -> None:
    role = board.role()
    holder, deputy = board.member(board.icb), board.member(board.trust)

    response = client.post(
        f"/roles/{role['id']}/assignment",
        json={"holder_id": holder, "deputy_id": deputy},
        headers={"If-Match": '"1"'},
    )

    assert response.status_code == 200
    assert response.headers["etag"] == '"2"'
    body = response.json()
    assert (body["holder_id"], body["holder_organisation_id"]) == (holder, board.icb)
    assert (body["deputy_id"], body["deputy_organisation_id"]) == (deputy, board.trust)
    assert body["vacant"] is False


def test_assigning_the_same_person_as_holder_and_deputy_is_refused_with_422(
    client: Client, board: Board
) -> None:
    role = board.role()
    person = board.member(board.icb)

    response = client.post(
        f"/roles/{role['id']}/assignment", json={"holder_id": person, "deputy_id": person}
    )

    assert_problem(response, 422, field="deputy_id")


def test_assigning_someone_outside_the_participating_organisations_is_refused_with_409(
    client: Client, board: Board
) -> None:
    role = board.role()

    response = client.post(
        f"/roles/{role['id']}/assignment", json={"holder_id": board.member(board.outsider)}
    )

    assert_problem(response, 409, detail="does not participate")


def test_a_named_leads_holder_from_another_organisation_is_refused_with_409(
    client: Client, board: Board
) -> None:
    role = board.role("organisation_lead", organisation_id=board.trust)

    response = client.post(
        f"/roles/{role['id']}/assignment", json={"holder_id": board.member(board.icb)}
    )

    assert_problem(response, 409, detail="must be one of its members")


def test_assigning_an_unknown_person_is_refused_with_422_naming_holder_id(
    client: Client, board: Board
) -> None:
    role = board.role()

    response = client.post(f"/roles/{role['id']}/assignment", json={"holder_id": UNKNOWN_ID})

    assert_problem(response, 422, field="holder_id")


def test_assigning_based_on_a_stale_version_is_refused_with_409_and_the_current_version(
    client: Client, board: Board
) -> None:
    role_id, _, _ = board.held()

    response = client.post(
        f"/roles/{role_id}/assignment",
        json={"holder_id": board.member(board.icb)},
        headers={"If-Match": '"1"'},
    )

    body = assert_problem(response, 409)
    assert body["current_version"] == 2


def test_assigning_a_role_of_an_unknown_id_is_404(client: Client, board: Board) -> None:
    response = client.post(f"/roles/{UNKNOWN_ID}/assignment", json={"holder_id": board.ada})

    assert_problem(response, 404)


def test_someone_not_in_a_participating_organisation_may_not_assign_roles(
    client: Client, board: Board
) -> None:
    role = board.role()
    post_ok(client, f"/people/{board.ada}/leave", {"organisation_id": board.icb})

    response = client.post(f"/roles/{role['id']}/assignment", json={"holder_id": board.ada})

    assert_problem(response, 403)


# Vacating and criticality


def test_vacating_without_a_body_leaves_the_role_vacant(client: Client, board: Board) -> None:
    role_id, _, _ = board.held()

    body = post_ok(client, f"/roles/{role_id}/vacate")

    assert (body["vacant"], body["holder_id"], body["deputy_id"]) == (True, None, None)


def test_vacating_a_vacant_role_is_refused_with_409_saying_it_is_vacant(
    client: Client, board: Board
) -> None:
    role = board.role()

    assert_problem(client.post(f"/roles/{role['id']}/vacate"), 409, detail="already vacant")


def test_marking_a_role_critical_and_unmarking_it(client: Client, board: Board) -> None:
    role = board.role()

    marked = post_ok(client, f"/roles/{role['id']}/critical", {"critical": True})
    unmarked = post_ok(client, f"/roles/{role['id']}/critical", {"critical": False})

    assert (marked["critical"], marked["version"]) == (True, 2)
    assert (unmarked["critical"], unmarked["version"]) == (False, 3)


def test_marking_a_critical_role_critical_again_changes_nothing(
    client: Client, board: Board
) -> None:
    role = board.role(critical=True)

    body = post_ok(client, f"/roles/{role['id']}/critical", {"critical": True})

    assert body["version"] == 1


def test_criticality_must_be_a_boolean(client: Client, board: Board) -> None:
    role = board.role()

    response = client.post(f"/roles/{role['id']}/critical", json={"critical": "very"})

    assert_problem(response, 422, field="critical")


# Handing over


def test_a_handover_records_the_knowledge_transferred_and_moves_the_role(
    client: Client, board: Board
) -> None:
    role_id, holder, deputy = board.held()
    newcomer = board.member(board.trust, "Newcomer")
    when = (datetime.now(UTC) - timedelta(days=2)).strftime("%Y-%m-%dT%H:%M:%SZ")

    response = client.post(
        f"/roles/{role_id}/handovers",
        json={
            "to_person_id": newcomer,
            "knowledge_items": ["stakeholder map", "CQUIN negotiation history"],
            "outgoing_reachable": False,
            "occurred_at": when,
        },
        headers={"If-Match": '"2"'},
    )

    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["holder_id"], body["deputy_id"], body["handover_count"]) == (newcomer, deputy, 1)
    [handover] = body["handovers"]
    assert (handover["from_person_id"], handover["to_person_id"]) == (holder, newcomer)
    assert handover["knowledge_items"] == ["stakeholder map", "CQUIN negotiation history"]
    assert handover["outgoing_reachable"] is False
    assert handover["occurred_at"].startswith(when[:19])
    assert handover["recorded_at"] > handover["occurred_at"]
    assert handover["version"] == 3


def test_handing_over_to_the_current_holder_is_refused_with_409_saying_why(
    board: Board,
) -> None:
    role_id, holder, _ = board.held()

    assert_problem(board.handover(role_id, holder), 409, detail="already holds")


def test_handing_over_a_vacant_role_is_refused_with_409_saying_it_is_vacant(
    board: Board,
) -> None:
    role = board.role()

    assert_problem(board.handover(role["id"], board.member(board.icb)), 409, detail="vacant")


def test_handing_over_to_the_deputy_promotes_them(board: Board) -> None:
    role_id, _, deputy = board.held()

    body = board.handover(role_id, deputy).json()

    assert (body["holder_id"], body["deputy_id"]) == (deputy, None)


def test_a_handover_dated_in_the_future_is_refused_with_422_naming_occurred_at(
    board: Board,
) -> None:
    role_id, _, _ = board.held()
    future = (datetime.now(UTC) + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")

    response = board.handover(role_id, board.member(board.icb), occurred_at=future)

    assert_problem(response, 422, field="occurred_at")


def test_a_handover_without_saying_whether_the_outgoing_holder_is_reachable_is_refused(
    client: Client, board: Board
) -> None:
    role_id, _, _ = board.held()

    response = client.post(
        f"/roles/{role_id}/handovers",
        json={"to_person_id": board.member(board.icb), "knowledge_items": []},
    )

    assert_problem(response, 422, field="outgoing_reachable")


def test_a_handover_with_a_blank_knowledge_item_is_refused_naming_the_item(
    board: Board,
) -> None:
    role_id, _, _ = board.held()

    response = board.handover(role_id, board.member(board.icb), knowledge_items=["map", "  "])

    assert_problem(response, 422, field="knowledge_items[1]")


def test_a_retried_handover_with_the_same_idempotency_key_is_recorded_once(
    client: Client, board: Board
) -> None:
    role_id, _, _ = board.held()
    body = {
        "to_person_id": board.member(board.icb),
        "knowledge_items": ["stakeholder map"],
        "outgoing_reachable": True,
    }
    headers = {"Idempotency-Key": "handover-1"}
    client.post(f"/roles/{role_id}/handovers", json=body, headers=headers)

    again = client.post(f"/roles/{role_id}/handovers", json=body, headers=headers)

    assert again.status_code == 200
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json()["handover_count"] == 1


# Consequences of directory changes


def test_a_holder_leaving_their_organisation_flags_the_role_for_handover(
    client: Client, board: Board
) -> None:
    role_id, holder, _ = board.held()

    post_ok(client, f"/people/{holder}/leave", {"organisation_id": board.icb})

    body = client.get(f"/roles/{role_id}").json()
    assert (body["flagged"], body["holder_id"]) == (True, holder)
    assert [(f["person_id"], f["position"]) for f in body["flags"]] == [(holder, "holder")]
    assert "left organisation" in body["flags"][0]["reason"]
    assert_utc_iso(body["flags"][0]["left_at"])
    flagged = client.get(board.roles_path, params={"flagged": "true"}).json()
    assert [i["id"] for i in flagged["items"]] == [role_id]
    # The handover that follows clears the flag.
    cleared = board.handover(role_id, board.member(board.icb), outgoing_reachable=False).json()
    assert (cleared["flagged"], cleared["flags"]) == (False, [])


def test_merging_a_named_leads_organisation_passes_the_role_to_the_successor(
    client: Client, board: Board
) -> None:
    role = board.role("organisation_lead", organisation_id=board.trust)
    successor = post_ok(client, "/organisations", {"name": "New Trust", "kind": "provider"}, 201)

    post_ok(client, f"/organisations/{board.trust}/merge", {"successor_id": successor["id"]})

    body = client.get(f"/roles/{role['id']}").json()
    assert (body["organisation_id"], body["title"]) == (successor["id"], "Named lead for New Trust")
    assert history(client, f"/roles/{role['id']}")[-1]["type"] == "PassedToSuccessor"
