"""Shared-purpose statements through the HTTP API, on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import pytest

from infra.bootstrap import Container
from tests.e2e.support import (
    UNKNOWN_ID,
    Client,
    assert_problem,
    assert_utc_iso,
    commissioner,
    create_programme,
    event_count,
    history,
    post_ok,
    register_organisation,
)

TEXT = "One front door for urgent care"


@dataclass
class Board:
    """A programme led by an ICB (Ada is its member) with a trust (Grace is its member)."""

    path: str
    programme: str
    icb: str
    trust: str
    ada: str
    grace: str
    as_grace: dict[str, str]


@pytest.fixture
def board(client: Client, container: Container, ada_id: UUID) -> Board:
    icb = commissioner(client)["id"]
    trust = register_organisation(client, name="Leeds Teaching Hospitals")["id"]
    programme = create_programme(client, icb)["id"]
    post_ok(
        client,
        f"/programmes/{programme}/participants",
        {"organisation_id": trust, "role": "provider"},
        status=201,
    )
    post_ok(client, f"/people/{ada_id}/join", {"organisation_id": icb})
    grace = container.app.register_person(by=None, name="Grace", email="grace@example.org")
    container.app.join_organisation(by=None, person_id=grace.id, organisation_id=UUID(trust))
    secret, _ = container.app.issue_token(by=None, person_id=grace.id, label="grace")
    return Board(
        path=f"/programmes/{programme}/shared-purpose",
        programme=programme,
        icb=icb,
        trust=trust,
        ada=str(ada_id),
        grace=str(grace.id),
        as_grace={"Authorization": f"Bearer {secret}"},
    )


def draft(client: Client, b: Board, text: str = TEXT) -> dict[str, Any]:
    return post_ok(client, b.path, {"text": text}, status=201)


def endorse(client: Client, b: Board, version: int = 1, *, grace: bool = False) -> Any:
    organisation = b.trust if grace else b.icb
    return client.post(
        f"{b.path}/endorsements",
        json={"organisation_id": organisation, "version": version},
        headers=b.as_grace if grace else None,
    )


def dispute(client: Client, b: Board, reason: str = "Leaves out mental health") -> Any:
    return client.post(
        f"{b.path}/disputes",
        json={"organisation_id": b.trust, "version": 1, "reason": reason},
        headers=b.as_grace,
    )


def positions(body: dict[str, Any]) -> dict[str, str]:
    return {p["organisation_id"]: p["position"] for p in body["positions"]}


# Drafting


def test_drafting_answers_version_1_with_every_participant_not_yet_aligned(
    client: Client, board: Board
) -> None:
    response = client.post(board.path, json={"text": f"  {TEXT} "})

    assert response.status_code == 201
    assert response.headers["etag"] == '"1"'
    body = response.json()
    assert body["programme_id"] == board.programme
    current = body["current_version"]
    assert (current["number"], current["text"], current["drafted_by"]) == (1, TEXT, board.ada)
    assert (current["current"], current["adopted"], current["superseded_at"]) == (
        True,
        False,
        None,
    )
    assert positions(body) == {board.icb: "none", board.trust: "none"}
    assert [p["organisation_id"] for p in body["not_aligned"]] == [board.icb, board.trust]
    assert (body["aligned"], body["version_count"], body["adoptions"]) == (False, 1, [])
    for stamp in (current["occurred_at"], current["recorded_at"], body["created_at"]):
        assert_utc_iso(stamp)


def test_a_back_dated_draft_keeps_both_its_occurred_and_recorded_times(
    client: Client, board: Board
) -> None:
    meeting = (datetime.now(UTC) - timedelta(days=3)).replace(microsecond=0)

    body = post_ok(
        client,
        board.path,
        {"text": TEXT, "occurred_at": meeting.isoformat().replace("+00:00", "Z")},
        status=201,
    )

    current = body["current_version"]
    assert current["occurred_at"] == meeting.strftime("%Y-%m-%dT%H:%M:%S.000000Z")
    assert current["recorded_at"] > current["occurred_at"]


def test_a_second_draft_is_refused_with_409_saying_to_revise(client: Client, board: Board) -> None:
    draft(client, board)

    response = client.post(board.path, json={"text": "Another text"})

    assert_problem(response, 409, detail="revision")


def test_drafting_by_someone_in_no_participating_organisation_is_forbidden(
    client: Client, board: Board, ada_id: UUID
) -> None:
    post_ok(client, f"/people/{ada_id}/leave", {"organisation_id": board.icb})

    response = client.post(board.path, json={"text": TEXT})

    assert_problem(response, 403, detail="participating")


def test_drafting_for_an_unknown_programme_is_404(client: Client, board: Board) -> None:
    response = client.post(f"/programmes/{UNKNOWN_ID}/shared-purpose", json={"text": TEXT})

    assert_problem(response, 404, detail="programme")


def test_drafting_for_a_malformed_programme_id_is_404_saying_ids_are_uuids(
    client: Client, board: Board
) -> None:
    response = client.post("/programmes/not-an-id/shared-purpose", json={"text": TEXT})

    assert_problem(response, 404, detail="UUIDs")


@pytest.mark.parametrize("text", ["", "   "])
def test_drafting_an_empty_text_is_refused_with_422_naming_text(
    client: Client, board: Board, text: str
) -> None:
    assert_problem(client.post(board.path, json={"text": text}), 422, field="text")


def test_drafting_with_an_unknown_field_is_refused_naming_it(client: Client, board: Board) -> None:
    response = client.post(board.path, json={"text": TEXT, "title": "Purpose"})

    assert_problem(response, 422, field="title")


def test_drafting_dated_in_the_future_is_refused_with_422_naming_occurred_at(
    client: Client, board: Board
) -> None:
    response = client.post(board.path, json={"text": TEXT, "occurred_at": "2999-01-01T00:00:00Z"})

    assert_problem(response, 422, field="occurred_at")


# Revising


def test_revising_adds_version_2_and_resets_every_position(client: Client, board: Board) -> None:
    draft(client, board)
    assert endorse(client, board).status_code == 201

    response = client.post(f"{board.path}/revisions", json={"text": "One front door for all"})

    assert response.status_code == 201
    body = response.json()
    assert (body["current_version"]["number"], body["current_version"]["text"]) == (
        2,
        "One front door for all",
    )
    assert positions(body) == {board.icb: "none", board.trust: "none"}
    assert body["version_count"] == 2


def test_an_old_version_stays_readable_with_the_positions_taken_on_it(
    client: Client, board: Board
) -> None:
    draft(client, board)
    endorse(client, board)
    post_ok(client, f"{board.path}/revisions", {"text": "One front door for all"}, status=201)

    response = client.get(f"{board.path}/versions/1")

    assert response.status_code == 200
    assert response.headers["etag"] == '"3"'
    body = response.json()
    version = body["statement_version"]
    assert (version["number"], version["text"], version["current"]) == (1, TEXT, False)
    assert version["superseded_at"] is not None
    assert [(p["organisation_id"], p["position"], p["person_id"]) for p in body["positions"]] == [
        (board.icb, "endorsed", board.ada)
    ]


def test_revising_to_the_same_text_is_refused_with_409(client: Client, board: Board) -> None:
    draft(client, board)

    response = client.post(f"{board.path}/revisions", json={"text": TEXT})

    assert_problem(response, 409, detail="same as version 1")


def test_revising_before_anything_was_drafted_is_404_saying_to_draft_first(
    client: Client, board: Board
) -> None:
    response = client.post(f"{board.path}/revisions", json={"text": TEXT})

    assert_problem(response, 404, detail="draft one first")


def test_revising_with_a_stale_if_match_is_refused_with_409(client: Client, board: Board) -> None:
    draft(client, board)
    endorse(client, board)

    response = client.post(
        f"{board.path}/revisions", json={"text": "Another"}, headers={"If-Match": '"1"'}
    )

    body = assert_problem(response, 409)
    assert body["current_version"] == 2


def test_revising_with_the_etag_just_read_succeeds(client: Client, board: Board) -> None:
    draft(client, board)
    etag = client.get(board.path).headers["etag"]

    response = client.post(
        f"{board.path}/revisions", json={"text": "Another"}, headers={"If-Match": etag}
    )

    assert response.status_code == 201


def test_revising_by_a_member_of_another_participant_records_them_as_drafter(
    client: Client, board: Board
) -> None:
    draft(client, board)

    response = client.post(
        f"{board.path}/revisions", json={"text": "Another"}, headers=board.as_grace
    )

    assert response.json()["current_version"]["drafted_by"] == board.grace


# Endorsing and disputing


def test_endorsing_records_the_position_and_who_took_it(client: Client, board: Board) -> None:
    draft(client, board)

    response = endorse(client, board)

    assert response.status_code == 201
    assert response.headers["etag"] == '"2"'
    (icb,) = [p for p in response.json()["positions"] if p["organisation_id"] == board.icb]
    assert (icb["position"], icb["person_id"], icb["role"]) == (
        "endorsed",
        board.ada,
        "lead_commissioner",
    )
    assert_utc_iso(icb["recorded_at"])


def test_endorsing_a_superseded_version_is_refused_with_409(client: Client, board: Board) -> None:
    draft(client, board)
    post_ok(client, f"{board.path}/revisions", {"text": "Another"}, status=201)

    response = endorse(client, board, version=1)

    assert_problem(response, 409, detail="superseded by version 2")


@pytest.mark.parametrize("version", [0, 5, "one"])
def test_endorsing_a_version_that_does_not_exist_is_refused_with_422_naming_version(
    client: Client, board: Board, version: Any
) -> None:
    draft(client, board)

    response = client.post(
        f"{board.path}/endorsements", json={"organisation_id": board.icb, "version": version}
    )

    assert_problem(response, 422, field="version")


def test_endorsing_for_an_organisation_one_is_not_a_member_of_is_forbidden(
    client: Client, board: Board
) -> None:
    draft(client, board)

    response = client.post(
        f"{board.path}/endorsements", json={"organisation_id": board.trust, "version": 1}
    )

    assert_problem(response, 403, detail="not a member")


def test_endorsing_for_an_organisation_that_does_not_participate_is_refused_with_409(
    client: Client, board: Board, container: Container, ada_id: UUID
) -> None:
    draft(client, board)
    charity = register_organisation(client, name="Age UK Leeds", kind="partner")["id"]
    post_ok(client, f"/people/{ada_id}/leave", {"organisation_id": board.icb})
    post_ok(client, f"/people/{ada_id}/join", {"organisation_id": charity})

    response = client.post(
        f"{board.path}/endorsements", json={"organisation_id": charity, "version": 1}
    )

    assert_problem(response, 409, detail="does not participate")


def test_endorsing_for_an_unknown_organisation_is_refused_with_422(
    client: Client, board: Board
) -> None:
    draft(client, board)

    response = client.post(
        f"{board.path}/endorsements", json={"organisation_id": UNKNOWN_ID, "version": 1}
    )

    assert_problem(response, 422, field="organisation_id")


def test_endorsing_twice_is_refused_with_409(client: Client, board: Board) -> None:
    draft(client, board)
    endorse(client, board)

    assert_problem(endorse(client, board), 409, detail="already endorses")


def test_endorsing_before_anything_was_drafted_is_404(client: Client, board: Board) -> None:
    assert_problem(endorse(client, board), 404, detail="no shared-purpose statement")


def test_disputing_records_the_reason_and_the_organisation_is_not_aligned(
    client: Client, board: Board
) -> None:
    draft(client, board)
    endorse(client, board)

    response = dispute(client, board)

    assert response.status_code == 201
    body = response.json()
    assert positions(body) == {board.icb: "endorsed", board.trust: "disputed"}
    (trust,) = body["not_aligned"]
    assert (trust["organisation_id"], trust["reason"], trust["person_id"]) == (
        board.trust,
        "Leaves out mental health",
        board.grace,
    )


@pytest.mark.parametrize("reason", ["", "   "])
def test_disputing_without_a_reason_is_refused_with_422_naming_reason(
    client: Client, board: Board, reason: str
) -> None:
    draft(client, board)

    assert_problem(dispute(client, board, reason=reason), 422, field="reason")


def test_disputing_with_no_reason_field_at_all_is_refused_with_422_naming_reason(
    client: Client, board: Board
) -> None:
    draft(client, board)

    response = client.post(
        f"{board.path}/disputes",
        json={"organisation_id": board.trust, "version": 1},
        headers=board.as_grace,
    )

    assert_problem(response, 422, field="reason")


def test_changing_a_dispute_into_an_endorsement_keeps_the_dispute_in_the_versions_history(
    client: Client, board: Board
) -> None:
    draft(client, board)
    dispute(client, board)

    assert endorse(client, board, grace=True).status_code == 201

    body = client.get(f"{board.path}/versions/1").json()
    assert [(p["position"], p["reason"]) for p in body["position_history"]] == [
        ("disputed", "Leaves out mental health"),
        ("endorsed", None),
    ]
    assert [p["position"] for p in body["positions"]] == ["endorsed"]


# Adopting


def test_adopting_a_version_everyone_endorses_records_the_adoption(
    client: Client, board: Board
) -> None:
    draft(client, board)
    endorse(client, board)
    endorse(client, board, grace=True)

    response = client.post(f"{board.path}/adoptions", json={"version": 1})

    assert response.status_code == 201
    body = response.json()
    (adoption,) = body["adoptions"]
    assert (adoption["version"], adoption["over_disputes"], adoption["adopted_by"]) == (
        1,
        False,
        board.ada,
    )
    assert adoption["endorsed_by"] == [board.icb, board.trust]
    assert (body["aligned"], body["current_version"]["adopted"]) == (True, True)


def test_adopting_over_a_dispute_without_a_rationale_is_refused_with_422(
    client: Client, board: Board
) -> None:
    draft(client, board)
    endorse(client, board)
    dispute(client, board)

    response = client.post(f"{board.path}/adoptions", json={"version": 1})

    assert_problem(response, 422, field="rationale", detail=board.trust)


def test_adopting_over_a_dispute_with_a_rationale_records_who_disputed(
    client: Client, board: Board
) -> None:
    draft(client, board)
    endorse(client, board)
    dispute(client, board)

    response = client.post(
        f"{board.path}/adoptions", json={"version": 1, "rationale": "The deadline is fixed"}
    )

    assert response.status_code == 201
    (adoption,) = response.json()["adoptions"]
    assert (adoption["over_disputes"], adoption["disputed_by"], adoption["rationale"]) == (
        True,
        [board.trust],
        "The deadline is fixed",
    )
    # Overruled, not deleted.
    assert positions(response.json())[board.trust] == "disputed"


def test_adopting_while_an_organisation_has_taken_no_position_is_refused_with_409(
    client: Client, board: Board
) -> None:
    draft(client, board)
    endorse(client, board)

    response = client.post(f"{board.path}/adoptions", json={"version": 1, "rationale": "Go"})

    assert_problem(response, 409, detail="neither endorsed nor disputed")


def test_adopting_by_someone_outside_the_lead_commissioner_is_forbidden(
    client: Client, board: Board
) -> None:
    draft(client, board)
    endorse(client, board)
    endorse(client, board, grace=True)

    response = client.post(f"{board.path}/adoptions", json={"version": 1}, headers=board.as_grace)

    assert_problem(response, 403, detail="lead commissioner")


def test_adopting_a_superseded_version_is_refused_with_409(client: Client, board: Board) -> None:
    draft(client, board)
    post_ok(client, f"{board.path}/revisions", {"text": "Another"}, status=201)

    response = client.post(f"{board.path}/adoptions", json={"version": 1})

    assert_problem(response, 409, detail="superseded")


def test_adopting_the_same_version_twice_is_refused_with_409(client: Client, board: Board) -> None:
    draft(client, board)
    endorse(client, board)
    endorse(client, board, grace=True)
    post_ok(client, f"{board.path}/adoptions", {"version": 1}, status=201)

    response = client.post(f"{board.path}/adoptions", json={"version": 1})

    assert_problem(response, 409, detail="already been adopted")


# Reading


def test_reading_gives_the_current_version_with_its_etag(client: Client, board: Board) -> None:
    draft(client, board)
    endorse(client, board)

    response = client.get(board.path)

    assert response.status_code == 200
    assert response.headers["etag"] == '"2"'
    assert positions(response.json()) == {board.icb: "endorsed", board.trust: "none"}


def test_reading_at_a_record_version_gives_the_record_as_it_was(
    client: Client, board: Board
) -> None:
    draft(client, board)
    endorse(client, board)
    post_ok(client, f"{board.path}/revisions", {"text": "Another"}, status=201)

    response = client.get(board.path, params={"version": 2})

    assert response.headers["etag"] == '"2"'
    body = response.json()
    assert (body["current_version"]["text"], body["version"]) == (TEXT, 2)
    assert positions(body)[board.icb] == "endorsed"


def test_reading_as_of_a_time_gives_what_could_be_seen_then(client: Client, board: Board) -> None:
    first = draft(client, board)
    post_ok(client, f"{board.path}/revisions", {"text": "Another"}, status=201)

    response = client.get(board.path, params={"as_of": first["created_at"]})

    assert response.status_code == 200
    assert response.json()["current_version"]["text"] == TEXT


def test_reading_as_of_a_time_before_the_draft_is_404(client: Client, board: Board) -> None:
    draft(client, board)

    response = client.get(board.path, params={"as_of": "2020-01-01T00:00:00Z"})

    assert_problem(response, 404, detail="as of")


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"as_of": "yesterday"}, "as_of"),
        ({"as_of": "2026-01-01T00:00:00"}, "as_of"),
        ({"version": 0}, "version"),
    ],
    ids=["not-a-time", "no-timezone", "version-0"],
)
def test_reading_with_an_invalid_version_or_time_is_refused_with_422(
    client: Client, board: Board, params: dict[str, Any], field: str
) -> None:
    draft(client, board)

    response = client.get(board.path, params=params)

    assert_problem(response, 422, field=field)


def test_reading_a_programme_without_a_statement_is_404(client: Client, board: Board) -> None:
    assert_problem(client.get(board.path), 404, detail="no shared-purpose statement yet")


def test_reading_an_unknown_programmes_statement_is_404(client: Client, board: Board) -> None:
    response = client.get(f"/programmes/{UNKNOWN_ID}/shared-purpose")

    assert_problem(response, 404, detail="no programme")


def test_reading_a_version_that_does_not_exist_is_404(client: Client, board: Board) -> None:
    draft(client, board)

    assert_problem(client.get(f"{board.path}/versions/2"), 404, detail="no version 2")


def test_reading_a_version_as_of_an_earlier_record_version_hides_later_positions(
    client: Client, board: Board
) -> None:
    draft(client, board)
    endorse(client, board)

    response = client.get(f"{board.path}/versions/1", params={"version": 1})

    assert response.json()["positions"] == []


def test_the_history_lists_every_event_oldest_first_with_its_actor(
    client: Client, board: Board
) -> None:
    draft(client, board)
    endorse(client, board)
    dispute(client, board)
    post_ok(client, f"{board.path}/adoptions", {"version": 1, "rationale": "Deadline"}, status=201)
    post_ok(client, f"{board.path}/revisions", {"text": "Another"}, status=201)

    items = history(client, board.path)

    assert [i["type"] for i in items] == ["Drafted", "Endorsed", "Disputed", "Adopted", "Revised"]
    assert [i["actor_id"] for i in items] == [
        board.ada,
        board.ada,
        board.grace,
        board.ada,
        board.ada,
    ]
    assert items[2]["data"]["reason"] == "Leaves out mental health"


def test_the_history_of_a_programme_without_a_statement_is_404(
    client: Client, board: Board
) -> None:
    assert_problem(client.get(f"{board.path}/history"), 404)


# Idempotency-Key


def test_a_retried_endorsement_with_the_same_key_records_once(client: Client, board: Board) -> None:
    draft(client, board)
    headers = {"Idempotency-Key": "endorse-once"}
    body = {"organisation_id": board.icb, "version": 1}

    first = client.post(f"{board.path}/endorsements", json=body, headers=headers)
    after_first = event_count(client)
    again = client.post(f"{board.path}/endorsements", json=body, headers=headers)

    assert first.status_code == again.status_code == 201
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json()["version"] == 2
    assert event_count(client) == after_first


def test_a_retried_draft_with_the_same_key_is_not_refused_as_a_second_draft(
    client: Client, board: Board
) -> None:
    headers = {"Idempotency-Key": "draft-once"}

    first = client.post(board.path, json={"text": TEXT}, headers=headers)
    again = client.post(board.path, json={"text": TEXT}, headers=headers)

    assert first.status_code == again.status_code == 201
    assert again.json()["id"] == first.json()["id"]


# Mergers


def test_merging_an_organisation_carries_its_position_to_the_successor(
    client: Client, board: Board
) -> None:
    draft(client, board)
    dispute(client, board)
    successor = register_organisation(client, name="West Yorkshire Trust")["id"]

    post_ok(client, f"/organisations/{board.trust}/merge", {"successor_id": successor})

    body = client.get(board.path).json()
    (carried,) = [p for p in body["positions"] if p["organisation_id"] == successor]
    assert (carried["position"], carried["reason"], carried["carried_from"]) == (
        "disputed",
        "Leaves out mental health",
        board.trust,
    )
    assert history(client, board.path)[-1]["type"] == "PositionCarriedOver"


# The list


def test_the_list_shows_each_programmes_counts_and_filters_the_not_aligned(
    client: Client, board: Board
) -> None:
    draft(client, board)
    endorse(client, board)
    dispute(client, board)
    aligned_programme = create_programme(client, board.icb, title="Alpha pathway")["id"]
    aligned_path = f"/programmes/{aligned_programme}/shared-purpose"
    post_ok(client, aligned_path, {"text": TEXT}, status=201)
    post_ok(
        client,
        f"{aligned_path}/endorsements",
        {"organisation_id": board.icb, "version": 1},
        status=201,
    )

    everything = client.get("/shared-purposes").json()
    not_aligned = client.get("/shared-purposes", params={"aligned": "false"}).json()

    assert [i["programme_title"] for i in everything["items"]] == [
        "Alpha pathway",
        "Urgent care redesign",
    ]
    (item,) = not_aligned["items"]
    assert (not_aligned["total"], item["programme_id"]) == (1, board.programme)
    counts = (item["current_version"], item["endorsed"], item["disputed"], item["none"])
    assert counts == (1, 1, 1, 0)
    assert (item["aligned"], item["adopted"], item["adopted_version"]) == (False, False, None)


def test_the_list_pages_with_limit_and_offset(client: Client, board: Board) -> None:
    draft(client, board)
    other = create_programme(client, board.icb, title="Alpha pathway")["id"]
    post_ok(client, f"/programmes/{other}/shared-purpose", {"text": TEXT}, status=201)

    page = client.get("/shared-purposes", params={"limit": 1, "offset": 1}).json()

    assert (page["total"], page["limit"], page["offset"]) == (2, 1, 1)
    assert [i["programme_id"] for i in page["items"]] == [board.programme]


def test_the_list_filters_adopted_statements(client: Client, board: Board) -> None:
    draft(client, board)
    endorse(client, board)
    endorse(client, board, grace=True)
    post_ok(client, f"{board.path}/adoptions", {"version": 1}, status=201)

    adopted = client.get("/shared-purposes", params={"adopted": "true"}).json()
    not_adopted = client.get("/shared-purposes", params={"adopted": "false"}).json()

    assert [(i["adopted"], i["adopted_version"]) for i in adopted["items"]] == [(True, 1)]
    assert not_adopted["items"] == []
