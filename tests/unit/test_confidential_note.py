"""ConfidentialNote: writing about a subject, revising, withdrawing, in memory; and the
confidential flag on a commitment's notes, including events recorded before it existed."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import uuid4

import pytest

from domain.commitment import Commitment, Party, utc_today
from domain.confidential_note import ConfidentialNote, NoteStatus, NoteSubject, SubjectKind
from domain.errors import InvalidValue, ReferenceNotFound, RuleViolation
from domain.organisation import Organisation
from domain.programme import Programme
from domain.values import TEXT_MAX
from tests.unit.support import dissolved, organisation, recorded, settled

ICB = organisation("commissioner", "West Yorkshire ICB")
TRUST = organisation("provider", "Leeds Teaching Hospitals")


def programme_of(*participants: Organisation) -> Programme:
    programme = Programme.create("Urgent care", "", ICB)
    for participant in participants:
        programme.add_participant(participant, "provider")
    settled(programme)
    return programme


def write(**overrides: Any) -> ConfidentialNote:
    arguments: dict[str, Any] = {
        "owner": ICB,
        "subject": NoteSubject(SubjectKind.ORGANISATION, TRUST.id),
        "title": "Assessment of Leeds",
        "text": "Delivery risk is high",
    }
    arguments.update(overrides)
    return ConfidentialNote.write(**arguments)


def test_a_note_is_written_for_its_owner_about_a_subject() -> None:
    note = write()

    assert recorded(note) == ["Written"]
    assert note.owner_organisation_id == ICB.id
    assert (note.subject_kind, note.subject_id) == (SubjectKind.ORGANISATION, TRUST.id)
    assert (note.title, note.text, note.status) == (
        "Assessment of Leeds",
        "Delivery risk is high",
        NoteStatus.CURRENT,
    )


@pytest.mark.parametrize(
    ("field", "value"), [("title", "  "), ("text", ""), ("text", "x" * (TEXT_MAX + 1))]
)
def test_a_note_without_a_title_or_text_or_too_long_is_invalid(field: str, value: str) -> None:
    with pytest.raises(InvalidValue) as error:
        write(**{field: value})

    assert error.value.field == field


def test_a_dissolved_organisation_writes_no_notes() -> None:
    with pytest.raises(RuleViolation, match="dissolved"):
        write(owner=dissolved("commissioner"))


def test_a_note_on_a_programme_is_for_a_participant_only() -> None:
    programme = programme_of(TRUST)
    outsider = organisation("provider", "York Trust")

    note = write(subject=NoteSubject(SubjectKind.PROGRAMME, programme.id, programme))

    assert note.programme_id == programme.id
    with pytest.raises(ReferenceNotFound) as error:
        write(owner=outsider, subject=NoteSubject(SubjectKind.PROGRAMME, programme.id, programme))
    assert error.value.field == "subject_id"


def test_a_note_on_a_programme_must_name_that_programme() -> None:
    programme = programme_of(TRUST)

    with pytest.raises(InvalidValue):
        write(subject=NoteSubject(SubjectKind.PROGRAMME, uuid4(), programme))


def test_a_note_on_a_decision_in_a_programme_the_owner_is_outside_of_is_not_found() -> None:
    programme = programme_of(TRUST)
    outsider = organisation("provider", "York Trust")

    with pytest.raises(ReferenceNotFound, match="no decision"):
        write(owner=outsider, subject=NoteSubject(SubjectKind.DECISION, uuid4(), programme))


def test_a_note_on_a_commitment_without_a_programme_is_for_its_two_sides_only() -> None:
    commitment_id = uuid4()
    sides = frozenset({TRUST.id, ICB.id})

    write(subject=NoteSubject(SubjectKind.COMMITMENT, commitment_id, None, sides))
    with pytest.raises(ReferenceNotFound, match="no commitment"):
        write(
            owner=organisation("provider", "York Trust"),
            subject=NoteSubject(SubjectKind.COMMITMENT, commitment_id, None, sides),
        )


def test_revising_changes_the_title_or_text_and_keeps_the_other() -> None:
    note = settled(write())
    assert isinstance(note, ConfidentialNote)

    note.revise(text="Delivery risk is moderate")

    assert recorded(note) == ["Revised"]
    assert (note.title, note.text) == ("Assessment of Leeds", "Delivery risk is moderate")


def test_a_revision_that_changes_nothing_is_refused() -> None:
    note = write()

    with pytest.raises(RuleViolation, match="changes nothing"):
        note.revise(title=" Assessment of Leeds ")
    with pytest.raises(InvalidValue):
        note.revise()


def test_a_withdrawn_note_stays_and_changes_no_more() -> None:
    note = settled(write())
    assert isinstance(note, ConfidentialNote)

    note.withdraw("Superseded by the quarterly review")

    assert recorded(note) == ["Withdrawn"]
    assert note.status is NoteStatus.WITHDRAWN
    assert note.text == "Delivery risk is high"
    with pytest.raises(RuleViolation, match="withdrawn"):
        note.revise(text="Another")
    with pytest.raises(RuleViolation, match="withdrawn"):
        note.withdraw("again")


def test_an_unknown_subject_kind_is_invalid() -> None:
    from domain.confidential_note import check_subject_kind

    with pytest.raises(InvalidValue) as error:
        check_subject_kind("person")

    assert error.value.field == "subject_kind"


# The confidential flag on a commitment's notes


def accepted_commitment() -> Commitment:
    commitment = Commitment.make(
        provider=TRUST,
        commissioner=ICB,
        what="Handovers within 30 minutes",
        measure="95% monthly",
        due_date=utc_today() + timedelta(days=30),
    )
    commitment.accept()
    return commitment


def test_every_note_of_a_commitment_can_be_marked_confidential() -> None:
    commitment = accepted_commitment()

    commitment.record_progress(40, "Rota gaps", confidential=True)
    commitment.flag_at_risk("Staff sickness", Party.PROVIDER, confidential=True)
    commitment.renegotiate(utc_today() + timedelta(days=60), "Winter", confidential=True)
    commitment.deliver("Audit report", confidential=True)

    assert commitment.progress[-1].confidential
    assert [s.confidential for s in commitment.statuses] == [False, False, True, True, True]
    assert [d.confidential for d in commitment.due_dates] == [False, True]


def test_notes_are_not_confidential_unless_marked() -> None:
    commitment = accepted_commitment()

    commitment.record_progress(40, "Rota gaps")
    commitment.withdraw("No longer needed")

    assert not commitment.progress[-1].confidential
    assert not commitment.statuses[-1].confidential


def test_the_confidential_flag_must_be_a_boolean() -> None:
    commitment = accepted_commitment()

    with pytest.raises(InvalidValue) as error:
        commitment.record_progress(40, "Rota gaps", confidential="yes")  # type: ignore[arg-type]

    assert error.value.field == "confidential"


def test_events_recorded_before_the_flag_existed_replay_as_not_confidential() -> None:
    commitment = accepted_commitment()
    commitment.record_progress(40, "Rota gaps", confidential=True)
    commitment.withdraw("No longer needed", confidential=True)
    events = list(commitment.collect_events())
    for event in events:
        # As an event stored before this release decodes: without the field at all.
        event.__dict__.pop("confidential", None)

    replayed: Any = None
    for event in events:
        replayed = event.mutate(replayed)

    assert not replayed.progress[-1].confidential
    assert not replayed.statuses[-1].confidential
    assert replayed.statuses[-1].note == "No longer needed"
