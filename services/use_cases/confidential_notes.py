"""Use cases: organisation-confidential notes, for the owning organisation's members only.

Reading and writing (including listing and history) is for current members of the owning
organisation. Anyone else, whatever their role, gets NotFound: the same answer as for an id
that names nothing, so nobody outside learns that a note exists. ``by=None`` (the platform
itself: the CLI, the demo seeder, scheduled jobs) is a member of no organisation, so it
neither reads nor writes notes; the only way round that is the database itself.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from domain.actor import acting_as
from domain.commitment import Commitment
from domain.confidential_note import (
    ConfidentialNote,
    NoteSubject,
    SubjectKind,
    check_subject_kind,
)
from domain.decision import Decision
from domain.errors import NotFound
from domain.organisation import Organisation
from domain.person import Person
from domain.programme import Programme
from projections.confidential_notes import ConfidentialNoteQueries, NoteFilter
from projections.directory_queries import Page
from projections.store import Row
from services.use_cases.base import HistoryEntry, LedgerBase

NOTE_KIND = "confidential note"
#: How an organisation's notes are named when someone outside it asks for them.
NOTES_OF_KIND = "confidential notes of organisation"


class ConfidentialNoteUseCases(LedgerBase):
    # Who may

    def _is_member(self, by: UUID | None, organisation_id: object) -> bool:
        if by is None:
            return False
        person = self._load(Person, by)
        current = person.current_organisation_id
        return current is not None and str(current) == str(organisation_id)

    def _check_notes_of(self, by: UUID | None, organisation_id: UUID) -> None:
        """Only a current member sees an organisation's notes; to anyone else there are none."""
        if not self._is_member(by, organisation_id):
            raise NotFound(NOTES_OF_KIND, organisation_id)

    def _note_for(self, by: UUID | None, note_id: UUID) -> ConfidentialNote:
        """The note, for a member of its owner; otherwise not found, as if there were none."""
        note = self._load(ConfidentialNote, note_id)  # NotFound names the kind and id alone
        if not self._is_member(by, note.owner_organisation_id):
            raise NotFound(NOTE_KIND, note_id)
        return note

    def _notes(self) -> ConfidentialNoteQueries:
        if self._views is None:
            raise RuntimeError("views are not attached; build the application with bootstrap()")
        return ConfidentialNoteQueries(self._views)

    def _subject(self, kind: SubjectKind, subject_id: UUID) -> NoteSubject:
        """What the note is about, found in the log (422 naming ``subject_id`` if not)."""
        field = "subject_id"
        if kind is SubjectKind.ORGANISATION:
            self._load(Organisation, subject_id, field=field)
            return NoteSubject(kind, subject_id)
        if kind is SubjectKind.PROGRAMME:
            programme = self._load(Programme, subject_id, field=field)
            return NoteSubject(kind, subject_id, programme)
        if kind is SubjectKind.DECISION:
            decision = self._load(Decision, subject_id, field=field)
            return NoteSubject(kind, subject_id, self._load(Programme, decision.programme_id))
        commitment = self._load(Commitment, subject_id, field=field)
        parties = frozenset({commitment.provider_id, commitment.commissioner_id})
        if commitment.programme_id is None:
            return NoteSubject(kind, subject_id, None, parties)
        return NoteSubject(
            kind, subject_id, self._load(Programme, commitment.programme_id), parties
        )

    # Writing

    def write_confidential_note(
        self,
        *,
        by: UUID | None,
        organisation_id: UUID,
        subject_kind: str,
        subject_id: UUID,
        title: str,
        text: str,
    ) -> ConfidentialNote:
        self._check_notes_of(by, organisation_id)
        owner = self._load(Organisation, organisation_id)
        subject = self._subject(check_subject_kind(subject_kind), subject_id)
        with acting_as(by):
            note = ConfidentialNote.write(owner=owner, subject=subject, title=title, text=text)
        self._save(note)
        return note

    def revise_confidential_note(
        self,
        *,
        by: UUID | None,
        note_id: UUID,
        title: str | None = None,
        text: str | None = None,
        expected_version: int | None = None,
    ) -> ConfidentialNote:
        note = self._note_for(by, note_id)
        self._check_version(note, expected_version)
        with acting_as(by):
            note.revise(title=title, text=text)
        self._save(note)
        return note

    def withdraw_confidential_note(
        self,
        *,
        by: UUID | None,
        note_id: UUID,
        reason: str,
        expected_version: int | None = None,
    ) -> ConfidentialNote:
        note = self._note_for(by, note_id)
        self._check_version(note, expected_version)
        with acting_as(by):
            note.withdraw(reason)
        self._save(note)
        return note

    # Reading (from the view, which the caller has brought up to date)

    def confidential_note(self, *, by: UUID | None, note_id: UUID) -> Row:
        row = self._notes().note(str(note_id))
        if row is None or not self._is_member(by, row["owner_organisation_id"]):
            raise NotFound(NOTE_KIND, note_id)
        return row

    def confidential_notes(
        self,
        *,
        by: UUID | None,
        organisation_id: UUID,
        subject_kind: str | None = None,
        subject_id: UUID | None = None,
        include_withdrawn: bool = False,
        limit: int = 50,
        offset: int = 0,
    ) -> Page:
        self._check_notes_of(by, organisation_id)
        where = NoteFilter(
            owner_organisation_id=str(organisation_id),
            subject_kind=check_subject_kind(subject_kind).value if subject_kind else None,
            subject_id=str(subject_id) if subject_id else None,
            include_withdrawn=include_withdrawn,
        )
        return self._notes().list_notes(where, limit=limit, offset=offset)

    def confidential_note_history(self, *, by: UUID | None, note_id: UUID) -> list[HistoryEntry]:
        self._note_for(by, note_id)
        return self.history(ConfidentialNote, note_id)

    def confidential_note_as_of(
        self,
        *,
        by: UUID | None,
        note_id: UUID,
        version: int | None = None,
        at: datetime | None = None,
    ) -> tuple[ConfidentialNote, list[HistoryEntry]]:
        """The note at a version or recorded time, with its events up to then. Who may read
        it is decided by who owns it now (ownership never changes)."""
        self._note_for(by, note_id)
        note = self.as_of(ConfidentialNote, note_id, version=version, at=at)
        entries = self.history(ConfidentialNote, note_id)[: note.version]
        return note, entries
