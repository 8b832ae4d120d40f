"""The decisions API: propose, list, read with lineage, consult, respond, take, amend,
supersede, revoke; refusals say why."""

from __future__ import annotations

from uuid import UUID

import pytest

from infra.bootstrap import Container
from tests.e2e.decisions_support import Board, board, days_ago
from tests.e2e.support import (
    UNKNOWN_ID,
    Client,
    assert_problem,
    assert_utc_iso,
    create_programme,
    event_count,
    history,
    post_ok,
)


@pytest.fixture
def b(client: Client, container: Container, ada_id: UUID) -> Board:
    return board(client, container, ada_id)


# Proposing


def test_proposing_answers_201_with_the_decision_and_its_version_as_etag(
    b: Board, ada_id: UUID
) -> None:
    response = b.client.post(
        b.decisions,
        json={
            "title": "Single point of access",
            "rationale": "Patients call four numbers today",
            "organisation_id": b.trust["id"],
            "options": ["Do nothing", "One number"],
            "components": ["delivery", "engagement"],
            "workstream_id": b.workstream["id"],
            "occurred_at": "2026-01-12T14:00:00Z",
        },
    )

    assert response.status_code == 201, response.text
    assert response.headers["etag"] == '"1"'
    body = response.json()
    assert (body["status"], body["proposed_by"], body["proposing_organisation_id"]) == (
        "proposed",
        str(ada_id),
        b.trust["id"],
    )
    assert (body["options"], body["components"], body["workstream_id"]) == (
        ["Do nothing", "One number"],
        ["delivery", "engagement"],
        b.workstream["id"],
    )
    assert body["proposed_at"] == "2026-01-12T14:00:00.000000Z"
    assert_utc_iso(body["created_at"])
    assert [e["type"] for e in body["timeline"]] == ["Proposed"]
    assert body["lineage"] == {"supersedes": [], "superseded_by": []}


def test_an_unknown_change_model_component_is_a_422_naming_components(b: Board) -> None:
    response = b.client.post(
        b.decisions,
        json={
            "title": "T",
            "rationale": "R",
            "organisation_id": b.trust["id"],
            "components": ["finance"],
        },
    )

    assert_problem(response, 422, field="components", detail="finance")


def test_proposing_for_an_organisation_the_caller_is_not_in_is_a_403(b: Board) -> None:
    response = b.client.post(
        b.decisions, json={"title": "T", "rationale": "R", "organisation_id": b.icb["id"]}
    )

    assert_problem(response, 403, detail="not a member")


def test_a_member_of_an_organisation_outside_the_programme_cannot_see_it_to_propose(
    b: Board,
) -> None:
    response = b.client.post(
        b.decisions,
        json={"title": "T", "rationale": "R", "organisation_id": b.outsider["id"]},
        headers=b.eve,
    )

    assert_problem(response, 404, detail="no programme with id")


def test_proposing_in_another_programmes_workstream_is_a_422_naming_workstream_id(
    b: Board,
) -> None:
    response = b.client.post(
        b.decisions,
        json={
            "title": "T",
            "rationale": "R",
            "organisation_id": b.trust["id"],
            "workstream_id": UNKNOWN_ID,
        },
    )

    assert_problem(response, 422, field="workstream_id")


@pytest.mark.parametrize("occurred_at", ["tomorrow", "next tuesday", "2026-01-12T10:00:00"])
def test_a_future_malformed_or_zoneless_proposal_time_is_a_422_naming_occurred_at(
    b: Board, occurred_at: str
) -> None:
    if occurred_at == "tomorrow":
        occurred_at = days_ago(-1)
    response = b.client.post(
        b.decisions,
        json={
            "title": "T",
            "rationale": "R",
            "organisation_id": b.trust["id"],
            "occurred_at": occurred_at,
        },
    )

    assert_problem(response, 422, field="occurred_at")


def test_an_unknown_field_in_a_proposal_is_a_422_naming_it(b: Board) -> None:
    response = b.client.post(
        b.decisions,
        json={"title": "T", "rationale": "R", "organisation_id": b.trust["id"], "owner": "me"},
    )

    assert_problem(response, 422, field="owner")


@pytest.mark.parametrize("programme_id", [UNKNOWN_ID, "not-a-uuid"])
def test_proposing_in_an_unknown_programme_is_a_404(b: Board, programme_id: str) -> None:
    response = b.client.post(
        f"/programmes/{programme_id}/decisions",
        json={"title": "T", "rationale": "R", "organisation_id": b.trust["id"]},
    )

    assert_problem(response, 404, detail="programme")


def test_a_retried_proposal_with_the_same_idempotency_key_records_once(b: Board) -> None:
    body = {"title": "T", "rationale": "R", "organisation_id": b.trust["id"]}
    headers = {"Idempotency-Key": "propose-once"}

    first = b.client.post(b.decisions, json=body, headers=headers)
    after_first = event_count(b.client)
    second = b.client.post(b.decisions, json=body, headers=headers)

    assert first.status_code == second.status_code == 201
    assert second.json()["id"] == first.json()["id"]
    assert second.headers["idempotent-replayed"] == "true"
    assert event_count(b.client) == after_first


# Listing


def test_the_list_shows_each_decision_with_its_latency_in_days_by_occurred_time(
    b: Board,
) -> None:
    proposed = b.propose("Taken", occurred_at="2026-01-01T09:00:00Z")
    post_ok(
        b.client,
        f"/decisions/{proposed['id']}/take",
        {"authority": "Board", "occurred_at": "2026-01-08T21:00:00Z"},
    )
    b.propose("Still open", occurred_at="2026-02-01T09:00:00Z")

    response = b.client.get(b.decisions)

    assert response.status_code == 200, response.text
    page = response.json()
    assert (page["total"], page["limit"], page["offset"]) == (2, 50, 0)
    assert [(i["title"], i["status"], i["latency_days"]) for i in page["items"]] == [
        ("Taken", "decided", 7.5),
        ("Still open", "proposed", None),
    ]
    assert page["items"][0]["decided_at"] == "2026-01-08T21:00:00.000000Z"


def test_the_list_filters_by_workstream_and_status(b: Board) -> None:
    b.propose("In the workstream", workstream_id=b.workstream["id"])
    b.propose("Programme-wide")
    b.decided("Taken in the workstream")

    by_workstream = b.client.get(b.decisions, params={"workstream_id": b.workstream["id"]})
    by_status = b.client.get(b.decisions, params={"status": "decided"})

    assert [i["title"] for i in by_workstream.json()["items"]] == ["In the workstream"]
    assert [i["title"] for i in by_status.json()["items"]] == ["Taken in the workstream"]


def test_the_list_is_paginated(b: Board) -> None:
    for n in range(3):
        b.propose(f"Decision {n}", occurred_at=days_ago(10 - n))

    page = b.client.get(b.decisions, params={"limit": 2, "offset": 1}).json()

    assert (page["total"], [i["title"] for i in page["items"]]) == (
        3,
        ["Decision 1", "Decision 2"],
    )


def test_an_unknown_status_filter_is_refused(b: Board) -> None:
    response = b.client.get(b.decisions, params={"status": "pending"})

    assert response.status_code in (400, 422)


def test_listing_an_unknown_programme_is_a_404(b: Board) -> None:
    assert_problem(b.client.get(f"/programmes/{UNKNOWN_ID}/decisions"), 404)


# Reading


@pytest.mark.parametrize("decision_id", [UNKNOWN_ID, "nope"])
def test_reading_an_unknown_decision_is_a_404(b: Board, decision_id: str) -> None:
    assert_problem(b.client.get(f"/decisions/{decision_id}"), 404, detail="decision")


def test_reading_a_programme_id_as_a_decision_is_a_404(b: Board) -> None:
    assert_problem(b.client.get(f"/decisions/{b.programme['id']}"), 404)


def test_reading_at_a_version_shows_the_decision_as_it_was_then(b: Board) -> None:
    decision = b.decided()

    response = b.client.get(f"/decisions/{decision['id']}", params={"version": 1})

    assert response.status_code == 200, response.text
    assert response.headers["etag"] == '"1"'
    assert (response.json()["status"], response.json()["decided_at"]) == ("proposed", None)
    assert [e["type"] for e in response.json()["timeline"]] == ["Proposed"]


def test_reading_as_of_a_recorded_time_shows_what_could_be_seen_then(b: Board) -> None:
    proposal = b.propose()
    seen = b.client.get(f"/decisions/{proposal['id']}").json()["updated_at"]
    post_ok(b.client, f"/decisions/{proposal['id']}/take", {"authority": "Board"})

    then = b.client.get(f"/decisions/{proposal['id']}", params={"as_of": seen})

    assert then.status_code == 200, then.text
    assert then.json()["status"] == "proposed"


def test_reading_as_of_before_the_decision_existed_is_a_404(b: Board) -> None:
    proposal = b.propose()

    response = b.client.get(
        f"/decisions/{proposal['id']}", params={"as_of": "2000-01-01T00:00:00Z"}
    )

    assert_problem(response, 404)


@pytest.mark.parametrize(
    ("params", "field"),
    [({"as_of": "2026-01-01T00:00:00"}, "as_of"), ({"as_of": "yesterday"}, "as_of")],
)
def test_an_as_of_without_timezone_or_malformed_is_a_422(
    b: Board, params: dict[str, str], field: str
) -> None:
    proposal = b.propose()

    assert_problem(b.client.get(f"/decisions/{proposal['id']}", params=params), 422, field=field)


def test_a_version_below_one_is_refused(b: Board) -> None:
    proposal = b.propose()

    response = b.client.get(f"/decisions/{proposal['id']}", params={"version": 0})

    assert response.status_code in (400, 422)


def test_history_lists_every_event_with_its_actor_and_recorded_time(b: Board, ada_id: UUID) -> None:
    decision = b.decided()

    items = history(b.client, f"/decisions/{decision['id']}")

    assert [i["type"] for i in items] == ["Proposed", "Taken"]
    assert {i["actor_id"] for i in items} == {str(ada_id)}
    assert items[1]["data"]["authority"] == "Programme board"
    assert_utc_iso(items[1]["data"]["occurred_at"])


def test_history_of_an_unknown_decision_is_a_404(b: Board) -> None:
    assert_problem(b.client.get(f"/decisions/{UNKNOWN_ID}/history"), 404)


# Consultation


def test_consulting_then_an_objection_with_its_reason_are_shown_on_the_decision(
    b: Board,
) -> None:
    proposal = b.propose()
    path = f"/decisions/{proposal['id']}"

    post_ok(b.client, f"{path}/consultations", {"organisation_id": b.icb["id"]})
    response = b.client.post(
        f"{path}/responses",
        json={"organisation_id": b.icb["id"], "stance": "object", "reason": "Unaffordable"},
        headers=b.grace,
    )

    assert response.status_code == 200, response.text
    [consultation] = response.json()["consultations"]
    assert (consultation["organisation_id"], consultation["stance"], consultation["reason"]) == (
        b.icb["id"],
        "object",
        "Unaffordable",
    )
    listed = b.client.get(b.decisions).json()["items"][0]
    assert (listed["consulted"], listed["objecting"]) == (1, 1)


def test_consulting_the_same_organisation_twice_is_a_409(b: Board) -> None:
    proposal = b.propose()
    path = f"/decisions/{proposal['id']}/consultations"
    post_ok(b.client, path, {"organisation_id": b.icb["id"]})

    response = b.client.post(path, json={"organisation_id": b.icb["id"]})

    assert_problem(response, 409, detail="already been consulted")


def test_consulting_an_organisation_outside_the_programme_is_a_409(b: Board) -> None:
    proposal = b.propose()

    response = b.client.post(
        f"/decisions/{proposal['id']}/consultations", json={"organisation_id": b.outsider["id"]}
    )

    assert_problem(response, 409, detail="does not participate")


def test_consulting_by_a_member_of_an_organisation_outside_the_programme_is_not_found(
    b: Board,
) -> None:
    proposal = b.propose()

    response = b.client.post(
        f"/decisions/{proposal['id']}/consultations",
        json={"organisation_id": b.icb["id"]},
        headers=b.eve,
    )

    assert_problem(response, 404, detail=f"no decision with id {proposal['id']}")


def test_a_response_from_an_organisation_not_consulted_is_a_409_saying_so(b: Board) -> None:
    proposal = b.propose()

    response = b.client.post(
        f"/decisions/{proposal['id']}/responses",
        json={"organisation_id": b.icb["id"], "stance": "support"},
        headers=b.grace,
    )

    assert_problem(response, 409, detail="was not consulted")


def test_an_objection_without_a_reason_is_a_422_naming_reason(b: Board) -> None:
    proposal = b.propose()
    post_ok(
        b.client, f"/decisions/{proposal['id']}/consultations", {"organisation_id": b.icb["id"]}
    )

    response = b.client.post(
        f"/decisions/{proposal['id']}/responses",
        json={"organisation_id": b.icb["id"], "stance": "object"},
        headers=b.grace,
    )

    assert_problem(response, 422, field="reason")


def test_responding_for_an_organisation_the_caller_is_not_in_is_a_403(b: Board) -> None:
    proposal = b.propose()
    post_ok(
        b.client, f"/decisions/{proposal['id']}/consultations", {"organisation_id": b.icb["id"]}
    )

    response = b.client.post(
        f"/decisions/{proposal['id']}/responses",
        json={"organisation_id": b.icb["id"], "stance": "support"},
    )

    assert_problem(response, 403)


def test_a_stance_other_than_support_or_object_is_a_422_naming_stance(b: Board) -> None:
    proposal = b.propose()
    post_ok(
        b.client, f"/decisions/{proposal['id']}/consultations", {"organisation_id": b.trust["id"]}
    )

    response = b.client.post(
        f"/decisions/{proposal['id']}/responses",
        json={"organisation_id": b.trust["id"], "stance": "abstain"},
    )

    assert_problem(response, 422, field="stance")


# Taking


def test_taking_records_the_caller_the_authority_and_the_meeting_date(
    b: Board, ada_id: UUID
) -> None:
    proposal = b.propose(occurred_at="2026-01-01T09:00:00Z")

    taken = post_ok(
        b.client,
        f"/decisions/{proposal['id']}/take",
        {"authority": "Programme board 2026-01-15", "occurred_at": "2026-01-15T10:00:00Z"},
    )

    assert (taken["status"], taken["decided_by"], taken["decided_by_organisation_id"]) == (
        "decided",
        str(ada_id),
        b.trust["id"],
    )
    assert (taken["authority"], taken["decided_at"], taken["latency_days"]) == (
        "Programme board 2026-01-15",
        "2026-01-15T10:00:00.000000Z",
        14.04,
    )


def test_taking_a_decision_twice_is_a_409_saying_it_was_already_taken(b: Board) -> None:
    decision = b.decided()

    response = b.client.post(f"/decisions/{decision['id']}/take", json={"authority": "Again"})

    assert_problem(response, 409, detail="already taken")


def test_taking_dated_before_the_proposal_is_a_422_naming_occurred_at(b: Board) -> None:
    proposal = b.propose(occurred_at=days_ago(3))

    response = b.client.post(
        f"/decisions/{proposal['id']}/take",
        json={"authority": "Board", "occurred_at": days_ago(4)},
    )

    assert_problem(response, 422, field="occurred_at", detail="before the proposal")


def test_taking_with_a_stale_if_match_is_a_409_with_the_current_version(b: Board) -> None:
    proposal = b.propose()
    post_ok(
        b.client, f"/decisions/{proposal['id']}/consultations", {"organisation_id": b.icb["id"]}
    )

    response = b.client.post(
        f"/decisions/{proposal['id']}/take",
        json={"authority": "Board"},
        headers={"If-Match": '"1"'},
    )

    body = assert_problem(response, 409)
    assert body["current_version"] == 2


def test_taking_with_the_current_if_match_succeeds(b: Board) -> None:
    proposal = b.propose()

    response = b.client.post(
        f"/decisions/{proposal['id']}/take",
        json={"authority": "Board"},
        headers={"If-Match": '"1"'},
    )

    assert response.status_code == 200, response.text
    assert response.headers["etag"] == '"2"'


def test_a_retried_take_with_the_same_idempotency_key_is_applied_once(b: Board) -> None:
    proposal = b.propose()
    headers = {"Idempotency-Key": "take-once"}
    path = f"/decisions/{proposal['id']}/take"

    first = b.client.post(path, json={"authority": "Board"}, headers=headers)
    second = b.client.post(path, json={"authority": "Board"}, headers=headers)

    assert first.status_code == second.status_code == 200
    assert second.headers["idempotent-replayed"] == "true"
    assert [i["type"] for i in history(b.client, f"/decisions/{proposal['id']}")] == [
        "Proposed",
        "Taken",
    ]


def test_taking_an_unknown_decision_is_a_404(b: Board) -> None:
    assert_problem(b.client.post(f"/decisions/{UNKNOWN_ID}/take", json={"authority": "B"}), 404)


# Amending


def test_amending_changes_the_wording_records_the_reason_and_stays_decided(b: Board) -> None:
    decision = b.decided()

    amended = post_ok(
        b.client,
        f"/decisions/{decision['id']}/amendments",
        {"rationale": "One number, clinically triaged", "reason": "Board asked for detail"},
    )

    assert (amended["status"], amended["rationale"], amended["version"]) == (
        "decided",
        "One number, clinically triaged",
        3,
    )
    assert amended["amendments"][0]["reason"] == "Board asked for detail"
    assert amended["amendments"][0]["title"] is None


def test_amending_without_a_reason_is_a_422_naming_reason(b: Board) -> None:
    decision = b.decided()

    response = b.client.post(f"/decisions/{decision['id']}/amendments", json={"title": "New"})

    assert_problem(response, 422, field="reason")


def test_amending_a_revoked_decision_is_a_409_saying_it_was_revoked(b: Board) -> None:
    decision = b.decided()
    post_ok(b.client, f"/decisions/{decision['id']}/revoke", {"reason": "Unaffordable"})

    response = b.client.post(
        f"/decisions/{decision['id']}/amendments", json={"title": "New", "reason": "Because"}
    )

    assert_problem(response, 409, detail="it was revoked")


# Superseding


def test_superseding_links_both_decisions_and_each_shows_the_other_in_its_lineage(
    b: Board,
) -> None:
    old, new = b.decided("Old", days=6), b.decided("New", days=2)

    response = b.client.post(f"/decisions/{old['id']}/supersede", json={"superseded_by": new["id"]})

    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["status"], body["superseded_by"]) == ("superseded", new["id"])
    assert [d["id"] for d in body["lineage"]["superseded_by"]] == [new["id"]]
    newer = b.client.get(f"/decisions/{new['id']}").json()
    assert newer["supersedes"] == [old["id"]]
    assert [(d["id"], d["status"]) for d in newer["lineage"]["supersedes"]] == [
        (old["id"], "superseded")
    ]


def test_the_lineage_follows_the_whole_chain_both_ways(b: Board) -> None:
    first, second, third = (b.decided(t, days=d) for t, d in (("1", 9), ("2", 6), ("3", 3)))
    post_ok(b.client, f"/decisions/{first['id']}/supersede", {"superseded_by": second["id"]})
    post_ok(b.client, f"/decisions/{second['id']}/supersede", {"superseded_by": third["id"]})

    of_first = b.client.get(f"/decisions/{first['id']}").json()["lineage"]
    of_third = b.client.get(f"/decisions/{third['id']}").json()["lineage"]

    assert [d["title"] for d in of_first["superseded_by"]] == ["2", "3"]
    assert [d["title"] for d in of_third["supersedes"]] == ["2", "1"]


def test_superseding_a_decision_with_itself_is_a_409(b: Board) -> None:
    decision = b.decided()

    response = b.client.post(
        f"/decisions/{decision['id']}/supersede", json={"superseded_by": decision["id"]}
    )

    assert_problem(response, 409, detail="cannot supersede itself")


def test_superseding_a_revoked_decision_is_a_409_saying_it_was_revoked(b: Board) -> None:
    old, new = b.decided("Old", days=6), b.decided("New", days=2)
    post_ok(b.client, f"/decisions/{old['id']}/revoke", {"reason": "Unaffordable"})

    response = b.client.post(f"/decisions/{old['id']}/supersede", json={"superseded_by": new["id"]})

    assert_problem(response, 409, detail="it was revoked")


def test_superseding_a_decision_already_superseded_is_a_409_naming_its_successor(
    b: Board,
) -> None:
    old, new, newer = b.decided("Old", days=6), b.decided("New", days=3), b.decided("X", days=1)
    post_ok(b.client, f"/decisions/{old['id']}/supersede", {"superseded_by": new["id"]})
    before = event_count(b.client)

    response = b.client.post(
        f"/decisions/{old['id']}/supersede", json={"superseded_by": newer["id"]}
    )

    assert_problem(response, 409, detail=f"superseded by decision {new['id']}")
    assert event_count(b.client) == before


def test_superseding_by_a_decision_of_another_programme_is_a_422_naming_superseded_by(
    b: Board,
) -> None:
    old = b.decided("Old", days=6)
    other = create_programme(b.client, b.icb["id"], title="Elective care")
    proposed = b.client.post(
        f"/programmes/{other['id']}/decisions",
        json={"title": "T", "rationale": "R", "organisation_id": b.icb["id"]},
        headers=b.grace,
    )
    assert proposed.status_code == 201, proposed.text
    elsewhere = proposed.json()
    taken = b.client.post(
        f"/decisions/{elsewhere['id']}/take", json={"authority": "Board"}, headers=b.grace
    )
    assert taken.status_code == 200, taken.text

    response = b.client.post(
        f"/decisions/{old['id']}/supersede", json={"superseded_by": elsewhere["id"]}
    )

    assert_problem(response, 422, field="superseded_by", detail="another programme")


def test_superseding_by_an_unknown_decision_is_a_422_naming_superseded_by(b: Board) -> None:
    old = b.decided()

    response = b.client.post(
        f"/decisions/{old['id']}/supersede", json={"superseded_by": UNKNOWN_ID}
    )

    assert_problem(response, 422, field="superseded_by")


def test_superseding_a_proposal_is_a_409_suggesting_withdrawal(b: Board) -> None:
    proposal, new = b.propose(), b.decided("New", days=1)

    response = b.client.post(
        f"/decisions/{proposal['id']}/supersede", json={"superseded_by": new["id"]}
    )

    assert_problem(response, 409, detail="withdraw it instead")


# Revoking


def test_revoking_a_decision_records_the_reason_and_the_date(b: Board) -> None:
    decision = b.decided(days=5)

    revoked = post_ok(
        b.client,
        f"/decisions/{decision['id']}/revoke",
        {"reason": "Unaffordable", "occurred_at": days_ago(1)},
    )

    assert (revoked["status"], revoked["revocation_reason"]) == ("revoked", "Unaffordable")
    assert_utc_iso(revoked["revoked_at"])


def test_revoking_a_proposal_never_taken_withdraws_it(b: Board) -> None:
    proposal = b.propose()

    withdrawn = post_ok(b.client, f"/decisions/{proposal['id']}/revoke", {"reason": "Overtaken"})

    assert withdrawn["status"] == "withdrawn"


def test_revoking_a_superseded_decision_is_a_409_saying_it_was_superseded(b: Board) -> None:
    old, new = b.decided("Old", days=6), b.decided("New", days=2)
    post_ok(b.client, f"/decisions/{old['id']}/supersede", {"superseded_by": new["id"]})

    response = b.client.post(f"/decisions/{old['id']}/revoke", json={"reason": "Because"})

    assert_problem(response, 409, detail="it was superseded by decision")


def test_revoking_twice_is_a_409(b: Board) -> None:
    decision = b.decided()
    post_ok(b.client, f"/decisions/{decision['id']}/revoke", {"reason": "Unaffordable"})

    response = b.client.post(f"/decisions/{decision['id']}/revoke", json={"reason": "Again"})

    assert_problem(response, 409, detail="it was revoked")


def test_revoking_without_a_reason_is_a_422(b: Board) -> None:
    decision = b.decided()

    response = b.client.post(f"/decisions/{decision['id']}/revoke", json={"reason": " "})

    assert_problem(response, 422, field="reason")


# The schema

DECISION_OPERATIONS = {
    ("post", "/programmes/{programme_id}/decisions"): "proposeDecision",
    ("get", "/programmes/{programme_id}/decisions"): "listDecisions",
    ("get", "/decisions/{decision_id}"): "getDecision",
    ("get", "/decisions/{decision_id}/history"): "decisionHistory",
    ("post", "/decisions/{decision_id}/consultations"): "consultOnDecision",
    ("post", "/decisions/{decision_id}/responses"): "respondToDecision",
    ("post", "/decisions/{decision_id}/take"): "takeDecision",
    ("post", "/decisions/{decision_id}/amendments"): "amendDecision",
    ("post", "/decisions/{decision_id}/supersede"): "supersedeDecision",
    ("post", "/decisions/{decision_id}/revoke"): "revokeDecision",
    # The lineage report (tests/e2e/test_api_lineage.py).
    ("get", "/decisions/{decision_id}/lineage"): "getDecisionChain",
}


def test_the_schema_documents_every_decision_operation_with_a_description(
    client: Client,
) -> None:
    paths = client.get("/schema/openapi.json").json()["paths"]

    documented = {
        (method, path): operation
        for path, item in paths.items()
        if "decisions" in path
        for method, operation in item.items()
    }

    assert {key: op["operationId"] for key, op in documented.items()} == DECISION_OPERATIONS
    assert all(op.get("description") for op in documented.values())
    for (method, path), operation in documented.items():
        if method == "post" and path.startswith("/decisions/"):
            headers = {p["name"] for p in operation["parameters"] if p["in"] == "header"}
            assert headers == {"If-Match", "Idempotency-Key"}, path
