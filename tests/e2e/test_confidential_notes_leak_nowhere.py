"""A confidential note leaks nowhere: every GET operation in the OpenAPI schema, with its path
ids filled from seeded records, is called as the owner, as another organisation in the same
programme and as a person in no organisation. The note's text and id appear only in the
owner's answers from the notes' own endpoints, and no view but the notes' stores the text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import product
from uuid import UUID

import pytest

from domain.framework import DEFAULT_FRAMEWORK_KEY
from domain.review import RatingEntry
from infra.bootstrap import Container, all_projections
from projections.confidential_notes import NOTES
from tests.e2e.notes_support import Programme, commitment, marker, ok, programme, write_note
from tests.e2e.support import UNKNOWN_ID, Client

#: The only operations that may show a note, and only to its owner's members.
NOTE_OPERATIONS = {"listConfidentialNotes", "getConfidentialNote", "confidentialNoteHistory"}
_PARAMETER = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class Seeded:
    p: Programme
    #: Path parameter name: the values to fill it with.
    ids: dict[str, list[str]]
    #: Every text written into a note (titles, texts, a withdrawal reason) and the notes' ids.
    secrets: list[str]


@pytest.fixture
def seeded(client: Client, container: Container, ada_id: UUID) -> Seeded:
    """One record of every kind the API reads, and notes by the ICB about several of them."""
    app = container.app
    p = programme(container, ada_id)
    app.ensure_builtin_frameworks()
    decision = app.propose_decision(
        by=ada_id,
        programme_id=UUID(p.programme_id),
        organisation_id=UUID(p.icb_id),
        title="Open a same-day emergency care unit",
        rationale="Fewer admissions",
    )
    role = app.define_role(by=ada_id, programme_id=UUID(p.programme_id), kind="sro")
    review = app.record_review(
        by=ada_id,
        programme_id=UUID(p.programme_id),
        reviewer_ids=[ada_id],
        ratings=[RatingEntry(component="measurement", rating=3)],
    )
    app.draft_shared_purpose(by=ada_id, programme_id=UUID(p.programme_id), text="Care closer")
    made = commitment(client, p)
    texts = [marker(label) for label in ("title", "text", "revision", "other", "reason")]
    on_commitment = write_note(
        client, p, subject_kind="commitment", subject_id=made["id"], title=texts[0], text=texts[1]
    )
    ok(client, f"/confidential-notes/{on_commitment['id']}/revise", {"text": texts[2]})
    on_decision = write_note(
        client, p, subject_kind="decision", subject_id=str(decision.id), text=texts[3]
    )
    ok(client, f"/confidential-notes/{on_decision['id']}/withdraw", {"reason": texts[4]})
    on_trust = write_note(client, p, text=texts[3])
    ids = {
        "organisation_id": [p.icb_id, p.trust_id, p.rival_id],
        "person_id": [p.ada_id, p.pat_id],
        "programme_id": [p.programme_id],
        "decision_id": [str(decision.id)],
        "role_id": [str(role.id)],
        "review_id": [str(review.id)],
        "commitment_id": [made["id"]],
        "note_id": [on_commitment["id"], on_decision["id"], on_trust["id"]],
        "key": [DEFAULT_FRAMEWORK_KEY],
        "number": ["1"],
        "alert_id": [UNKNOWN_ID],
    }
    note_ids = [on_commitment["id"], on_decision["id"], on_trust["id"]]
    return Seeded(p, ids, [*texts, *note_ids])


def every_get(client: Client, seeded: Seeded) -> list[tuple[str, str]]:
    """(operationId, path) for every GET in the schema, each path id filled every way."""
    document = client.get("/schema/openapi.json").json()
    calls: list[tuple[str, str]] = []
    for template, item in document["paths"].items():
        if "get" not in item:
            continue
        names = _PARAMETER.findall(template)
        for values in product(*(seeded.ids[name] for name in names)):
            path = template
            for name, value in zip(names, values, strict=True):
                path = path.replace(f"{{{name}}}", value)
            calls.append((item["get"]["operationId"], path))
    return calls


def leaks(
    client: Client, seeded: Seeded, headers: dict[str, str], *, in_programme: bool = True
) -> dict[str, int]:
    """The operations whose answer showed any note's text or id, with their status.

    ``in_programme``: the reader takes part in the programme, so reads its records.
    """
    shown: dict[str, int] = {}
    statuses: dict[str, int] = {}
    for operation, path in every_get(client, seeded):
        response = client.get(path, headers=headers)
        assert response.status_code < 500, (path, response.text)
        statuses[path] = response.status_code
        # A 404 echoes the id the caller sent: that tells the caller nothing it didn't know.
        if any(s in response.text for s in seeded.secrets if s not in path):
            shown[operation] = response.status_code
    if not in_programme:
        return shown
    # The walk read real records, not a wall of 404s: every ledger record was found.
    for path in (
        f"/commitments/{seeded.ids['commitment_id'][0]}",
        f"/decisions/{seeded.ids['decision_id'][0]}",
        f"/reviews/{seeded.ids['review_id'][0]}",
        f"/roles/{seeded.ids['role_id'][0]}",
        f"/programmes/{seeded.p.programme_id}/shared-purpose",
    ):
        assert statuses[path] == 200, path
    return shown


def test_the_owner_sees_its_notes_from_the_notes_endpoints_only(
    client: Client, seeded: Seeded
) -> None:
    shown = leaks(client, seeded, {})

    assert shown == dict.fromkeys(NOTE_OPERATIONS, 200)


@pytest.mark.parametrize("who", ["rita", "pat", "nora"])
def test_no_get_operation_shows_a_note_to_anyone_outside_the_owner(
    client: Client, seeded: Seeded, who: str
) -> None:
    # Nora is in no organisation, so the access policy may hide the programme from her too.
    in_programme = who != "nora"

    assert leaks(client, seeded, getattr(seeded.p, who), in_programme=in_programme) == {}


def test_no_view_but_the_notes_view_stores_a_notes_text(
    client: Client, container: Container, seeded: Seeded
) -> None:
    container.catch_up()
    tables = [table for projection in all_projections() for table in projection.tables]
    texts = seeded.secrets[:5]

    holding = {
        table
        for table in tables
        if any(t in repr(container.views.fetch_all(f"SELECT * FROM {table}")) for t in texts)
    }

    assert holding == {NOTES}
