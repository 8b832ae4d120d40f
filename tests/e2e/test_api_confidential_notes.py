"""Organisation-confidential notes over HTTP: the owner's members read and write them; to
everyone else (another organisation, a person in none, a former member) they do not exist."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import pytest

from infra.bootstrap import Container
from tests.e2e.notes_support import Programme, commitment, ok, programme, write_note
from tests.e2e.support import UNKNOWN_ID, Client, assert_problem, assert_utc_iso


@pytest.fixture
def p(container: Container, ada_id: UUID) -> Programme:
    return programme(container, ada_id)


def test_a_member_writes_a_note_and_reads_it_back(client: Client, p: Programme) -> None:
    note = write_note(client, p)

    response = client.get(f"/confidential-notes/{note['id']}")

    assert response.status_code == 200
    assert response.headers["etag"] == '"1"'
    body = response.json()
    assert body == note
    assert (body["organisation_id"], body["subject_kind"], body["subject_id"]) == (
        p.icb_id,
        "organisation",
        p.trust_id,
    )
    assert (body["title"], body["text"], body["status"]) == (
        "Assessment of Leeds",
        "Delivery risk is high",
        "current",
    )
    assert body["written_by"] == p.ada_id
    assert_utc_iso(body["created_at"])


def test_a_note_on_a_programme_commitment_carries_its_programme(
    client: Client, p: Programme
) -> None:
    made = commitment(client, p)

    note = write_note(client, p, subject_kind="commitment", subject_id=made["id"])

    assert note["programme_id"] == p.programme_id


@pytest.mark.parametrize("who", ["rita", "nora", "pat"])
def test_nobody_outside_the_owner_reads_lists_or_traces_a_note(
    client: Client, p: Programme, who: str
) -> None:
    note = write_note(client, p)
    headers = getattr(p, who)

    for path in (
        f"/confidential-notes/{note['id']}",
        f"/confidential-notes/{note['id']}/history",
        f"/organisations/{p.icb_id}/confidential-notes",
    ):
        assert_problem(client.get(path, headers=headers), 404)


@pytest.mark.parametrize("who", ["rita", "nora"])
def test_an_outsider_is_told_the_same_as_for_a_note_that_does_not_exist(
    client: Client, p: Programme, who: str
) -> None:
    note = write_note(client, p)

    theirs = client.get(f"/confidential-notes/{note['id']}", headers=getattr(p, who)).json()
    unknown = client.get(f"/confidential-notes/{UNKNOWN_ID}", headers=getattr(p, who)).json()

    assert theirs["detail"] == unknown["detail"].replace(UNKNOWN_ID, note["id"])


@pytest.mark.parametrize("who", ["rita", "nora"])
def test_nobody_outside_the_owner_writes_revises_or_withdraws(
    client: Client, p: Programme, who: str
) -> None:
    note = write_note(client, p)
    headers = getattr(p, who)

    writing = client.post(
        f"/organisations/{p.icb_id}/confidential-notes",
        json={"subject_kind": "organisation", "subject_id": p.trust_id, "title": "x", "text": "y"},
        headers=headers,
    )
    revising = client.post(
        f"/confidential-notes/{note['id']}/revise",
        json={"text": "Changed"},
        headers={**headers, "If-Match": '"99"'},
    )
    withdrawing = client.post(
        f"/confidential-notes/{note['id']}/withdraw", json={"reason": "no"}, headers=headers
    )

    for response in (writing, revising, withdrawing):
        assert_problem(response, 404)
    assert client.get(f"/confidential-notes/{note['id']}").json()["version"] == 1


def test_a_member_who_left_the_organisation_reads_its_notes_no_more(
    client: Client, container: Container, p: Programme
) -> None:
    note = write_note(client, p)
    container.app.leave_organisation(
        by=None, person_id=UUID(p.ada_id), organisation_id=UUID(p.icb_id)
    )

    assert_problem(client.get(f"/confidential-notes/{note['id']}"), 404)
    assert_problem(client.get(f"/organisations/{p.icb_id}/confidential-notes"), 404)


def test_revising_needs_the_current_version_and_keeps_the_history(
    client: Client, p: Programme
) -> None:
    note = write_note(client, p)

    revised = ok(
        client,
        f"/confidential-notes/{note['id']}/revise",
        {"text": "Delivery risk is moderate"},
        headers={"If-Match": '"1"'},
    )
    stale = client.post(
        f"/confidential-notes/{note['id']}/revise",
        json={"title": "Another"},
        headers={"If-Match": '"1"'},
    )
    history = client.get(f"/confidential-notes/{note['id']}/history").json()

    assert (revised["title"], revised["text"], revised["version"]) == (
        "Assessment of Leeds",
        "Delivery risk is moderate",
        2,
    )
    assert_problem(stale, 409)
    assert [item["type"] for item in history["items"]] == ["Written", "Revised"]
    assert history["items"][1]["data"] == {
        "title": "Assessment of Leeds",
        "text": "Delivery risk is moderate",
    }
    assert history["items"][1]["actor_id"] == p.ada_id


def test_a_withdrawn_note_stays_readable_and_leaves_the_default_list(
    client: Client, p: Programme
) -> None:
    note = write_note(client, p)

    withdrawn = ok(client, f"/confidential-notes/{note['id']}/withdraw", {"reason": "Old"})
    listed = client.get(f"/organisations/{p.icb_id}/confidential-notes").json()
    everything = client.get(
        f"/organisations/{p.icb_id}/confidential-notes", params={"include_withdrawn": "true"}
    ).json()
    again = client.post(f"/confidential-notes/{note['id']}/revise", json={"text": "New"})

    assert (withdrawn["status"], withdrawn["withdrawn_reason"]) == ("withdrawn", "Old")
    assert listed["total"] == 0
    assert [item["id"] for item in everything["items"]] == [note["id"]]
    assert_problem(again, 409, detail="withdrawn")


def test_the_list_is_paginated_and_filters_by_subject(client: Client, p: Programme) -> None:
    made = commitment(client, p)
    about_trust = [write_note(client, p, title=f"Note {i}") for i in range(3)]
    about_commitment = write_note(client, p, subject_kind="commitment", subject_id=made["id"])
    path = f"/organisations/{p.icb_id}/confidential-notes"

    first = client.get(path, params={"limit": 2}).json()
    second = client.get(path, params={"limit": 2, "offset": 2}).json()
    on_commitment = client.get(path, params={"subject_id": made["id"]}).json()
    organisations = client.get(path, params={"subject_kind": "organisation"}).json()

    assert (first["total"], first["limit"], first["offset"]) == (4, 2, 0)
    ids = [i["id"] for i in first["items"] + second["items"]]
    assert ids == [n["id"] for n in [*about_trust, about_commitment]]
    assert [i["id"] for i in on_commitment["items"]] == [about_commitment["id"]]
    assert organisations["total"] == 3


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"subject_id": UNKNOWN_ID}, "subject_id"),
        ({"subject_kind": "person"}, "subject_kind"),
        ({"subject_kind": "decision"}, "subject_id"),
        ({"title": "   "}, "title"),
        ({"text": ""}, "text"),
    ],
)
def test_a_note_with_bad_values_is_refused_naming_the_field(
    client: Client, p: Programme, change: dict[str, Any], field: str
) -> None:
    body = {"subject_kind": "organisation", "subject_id": p.trust_id, "title": "t", "text": "x"}

    response = client.post(f"/organisations/{p.icb_id}/confidential-notes", json={**body, **change})

    assert_problem(response, 422, field=field)


def test_a_note_on_a_programme_the_owner_is_outside_of_is_answered_as_not_there(
    client: Client, container: Container, p: Programme
) -> None:
    outside = container.app.register_organisation(by=None, name="Far ICB", kind="commissioner")
    elsewhere = container.app.create_programme(
        by=None, title="Elsewhere", description="", lead_commissioner_id=outside.id
    )

    response = client.post(
        f"/organisations/{p.icb_id}/confidential-notes",
        json={
            "subject_kind": "programme",
            "subject_id": str(elsewhere.id),
            "title": "t",
            "text": "x",
        },
    )
    unknown = client.post(
        f"/organisations/{p.icb_id}/confidential-notes",
        json={"subject_kind": "programme", "subject_id": UNKNOWN_ID, "title": "t", "text": "x"},
    )

    theirs = assert_problem(response, 422, field="subject_id")
    assert theirs["detail"] == assert_problem(unknown, 422)["detail"].replace(
        UNKNOWN_ID, str(elsewhere.id)
    )


def test_the_platform_itself_neither_reads_nor_writes_notes(
    client: Client, container: Container, p: Programme
) -> None:
    from domain.errors import NotFound

    note = write_note(client, p)

    with pytest.raises(NotFound):
        container.app.confidential_note_history(by=None, note_id=UUID(note["id"]))
    with pytest.raises(NotFound):
        container.app.write_confidential_note(
            by=None,
            organisation_id=UUID(p.icb_id),
            subject_kind="organisation",
            subject_id=UUID(p.trust_id),
            title="t",
            text="x",
        )


def test_a_member_reads_a_note_as_it_was_and_an_outsider_cannot(
    client: Client, p: Programme
) -> None:
    note = write_note(client, p)
    ok(client, f"/confidential-notes/{note['id']}/revise", {"text": "Delivery risk is moderate"})
    path = f"/confidential-notes/{note['id']}"

    first = client.get(path, params={"version": 1})
    now = client.get(path, params={"as_of": "2999-01-01T00:00:00Z"})

    assert first.status_code == 200, first.text
    assert first.headers["etag"] == '"1"'
    assert first.json() == note
    assert now.json() == client.get(path).json()
    for params in ({"version": 1}, {"as_of": "2999-01-01T00:00:00Z"}):
        assert_problem(client.get(path, params=params, headers=p.rita), 404)


def test_injection_strings_are_stored_and_shown_as_written(client: Client, p: Programme) -> None:
    title = "<script>alert('x')</script> ñ 🏥"
    text = "'; DROP TABLE cfn_notes; -- \u05e9\u05dc\u05d5\u05dd"  # and a right-to-left script

    note = write_note(client, p, title=title, text=text)
    listed = client.get(f"/organisations/{p.icb_id}/confidential-notes").json()

    assert (note["title"], note["text"]) == (title, text.strip())
    assert [(i["title"], i["text"]) for i in listed["items"]] == [(title, text.strip())]


@pytest.mark.parametrize(
    ("path", "params", "status"),
    [
        ("/confidential-notes/not-a-uuid", {}, 404),
        ("/confidential-notes/not-a-uuid/history", {}, 404),
        ("/organisations/not-a-uuid/confidential-notes", {}, 404),
        ("/organisations/{icb}/confidential-notes", {"subject_kind": "person"}, 422),
        ("/organisations/{icb}/confidential-notes", {"limit": 0}, 422),
    ],
)
def test_malformed_reads_are_problems_not_errors(
    client: Client, p: Programme, path: str, params: dict[str, Any], status: int
) -> None:
    response = client.get(path.format(icb=p.icb_id), params=params)

    assert_problem(response, status)


def test_a_text_with_a_control_character_is_refused_naming_it(client: Client, p: Programme) -> None:
    response = client.post(
        f"/organisations/{p.icb_id}/confidential-notes",
        json={
            "subject_kind": "organisation",
            "subject_id": p.trust_id,
            "title": "t",
            "text": "a\x00b",
        },
    )

    assert_problem(response, 422, field="text")
