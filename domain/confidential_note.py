"""Organisation-confidential notes: what one organisation writes for its own members only.

A commissioner's internal assessment of a provider, say. The note belongs to its owning
organisation; who may read it (its current members, nobody else) is enforced by the use
cases. The domain keeps what the note is about and its text, and the rules of writing:

- the subject is an organisation, a programme, a commitment or a decision, by id;
- for a subject inside a programme (the programme itself, a decision, a commitment linked to
  one) the owner must take part in that programme; a commitment linked to no programme can
  only be the subject of a note by one of its two sides; otherwise the subject is answered
  as not found, exactly as an id that names nothing;
- a withdrawn note stays on record (its history is the audit trail) and changes no more.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from uuid import UUID

from eventsourcing.domain import event

from domain.base import LedgerAggregate
from domain.errors import InvalidValue, ReferenceNotFound, RuleViolation
from domain.organisation import Organisation
from domain.programme import Programme
from domain.values import NAME_MAX, TEXT_MAX, check_choice, check_text


class SubjectKind(StrEnum):
    ORGANISATION = "organisation"
    PROGRAMME = "programme"
    COMMITMENT = "commitment"
    DECISION = "decision"


class NoteStatus(StrEnum):
    CURRENT = "current"
    WITHDRAWN = "withdrawn"


@dataclass(frozen=True)
class NoteSubject:
    """What a note is about, as the use case found it in the log.

    ``programme`` is the programme the subject belongs to (None for an organisation, or a
    commitment linked to none); ``parties`` the organisations on a commitment.
    """

    kind: SubjectKind
    id: UUID
    programme: Programme | None = None
    parties: frozenset[UUID] = frozenset()


def check_subject_kind(value: str) -> SubjectKind:
    return check_choice("subject_kind", value, SubjectKind)


class ConfidentialNote(LedgerAggregate):
    RECORD_KIND = "confidential note"

    @classmethod
    def write(
        cls, *, owner: Organisation, subject: NoteSubject, title: str, text: str
    ) -> ConfidentialNote:
        title = check_text("title", title, max_length=NAME_MAX)
        text = check_text("text", text, max_length=TEXT_MAX)
        owner.check_accepts_activity()
        cls.check_owner_may_write_about(owner, subject)
        return cls(
            owner_organisation_id=owner.id,
            subject_kind=subject.kind.value,
            subject_id=subject.id,
            programme_id=subject.programme.id if subject.programme is not None else None,
            title=title,
            text=text,
        )

    @staticmethod
    def check_owner_may_write_about(owner: Organisation, subject: NoteSubject) -> None:
        if subject.kind is SubjectKind.PROGRAMME and (
            subject.programme is None or subject.programme.id != subject.id
        ):
            raise InvalidValue("subject_id", "a programme note must name that programme")
        # Outside a programme its records are not there for the owner at all: the same answer
        # as for an id that names nothing, so a note's subject reveals no record's existence.
        outside = (
            owner.id not in subject.programme.participants
            if subject.programme is not None
            else subject.kind is SubjectKind.COMMITMENT and owner.id not in subject.parties
        )
        if outside:
            raise ReferenceNotFound("subject_id", subject.kind.value, subject.id)

    @event("Written")
    def __init__(
        self,
        owner_organisation_id: UUID,
        subject_kind: str,
        subject_id: UUID,
        programme_id: UUID | None,
        title: str,
        text: str,
    ) -> None:
        self.owner_organisation_id = owner_organisation_id
        self.subject_kind = SubjectKind(subject_kind)
        self.subject_id = subject_id
        self.programme_id = programme_id
        self.title = title
        self.text = text
        self.status = NoteStatus.CURRENT
        self.withdrawn_reason: str | None = None

    def _check_current(self, action: str) -> None:
        if self.status is NoteStatus.WITHDRAWN:
            raise RuleViolation(f"cannot {action} this note: it was withdrawn")

    def revise(self, title: str | None = None, text: str | None = None) -> None:
        """A new title, text or both; what is not given stays. A revision must change it."""
        self._check_current("revise")
        if title is None and text is None:
            raise InvalidValue("text", "give a new title, a new text or both")
        new_title = check_text("title", title, max_length=NAME_MAX) if title is not None else None
        new_text = check_text("text", text, max_length=TEXT_MAX) if text is not None else None
        if (new_title or self.title) == self.title and (new_text or self.text) == self.text:
            raise RuleViolation("the revision changes nothing: title and text are as they are")
        self._revised(title=new_title or self.title, text=new_text or self.text)

    @event("Revised")
    def _revised(self, title: str, text: str) -> None:
        self.title = title
        self.text = text

    def withdraw(self, reason: str) -> None:
        """The note no longer stands. It stays on record, readable by the same people."""
        reason = check_text("reason", reason, max_length=TEXT_MAX)
        self._check_current("withdraw")
        self._withdrawn(reason=reason)

    @event("Withdrawn")
    def _withdrawn(self, reason: str) -> None:
        self.status = NoteStatus.WITHDRAWN
        self.withdrawn_reason = reason
