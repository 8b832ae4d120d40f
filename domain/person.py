"""People: members of organisations who act on programmes. History of membership is kept.

A person's name, email and what they wrote about themselves are personal data: the mapping
layer stores them encrypted with the person's own key (ADR 10). Erasing a person keeps every
event and every role or decision they had, and shows them as "erased person #N".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from eventsourcing.domain import event

from domain.base import LedgerAggregate
from domain.errors import RuleViolation
from domain.organisation import Organisation
from domain.timing import check_occurred_at
from domain.values import TEXT_MAX, check_email, check_text

#: What a person who wrote nothing about themselves has as ``about``.
NO_ABOUT = None


def erased_name(number: int) -> str:
    """How an erased person is shown everywhere: distinct from others, identifying no one."""
    return f"erased person #{number}"


def check_about(about: str | None) -> str | None:
    if about is None:
        return NO_ABOUT
    return check_text("about", about, max_length=TEXT_MAX, required=False) or NO_ABOUT


@dataclass(frozen=True)
class Membership:
    organisation_id: UUID
    joined_at: datetime
    left_at: datetime | None = None


def email_of(person: Person) -> str:
    """The email of a person not erased (registration and its uniqueness claim need one)."""
    if person.email is None:
        raise RuleViolation(f"{person.name} was erased and has no email")
    return person.email


class Person(LedgerAggregate):
    @classmethod
    def register(cls, name: str, email: str, about: str | None = None) -> Person:
        return cls(
            name=check_text("name", name),
            email=check_email("email", email),
            about=check_about(about),
        )

    @event("Registered")
    def __init__(self, name: str, email: str, about: str | None = None) -> None:
        # Events stored before ``about`` existed have none; the default reads them.
        self.name = name
        #: None once erased.
        self.email: str | None = email
        self.about = about
        self.memberships: list[Membership] = []
        self.erased_number: int | None = None

    @property
    def erased(self) -> bool:
        return self.erased_number is not None

    def check_not_erased(self) -> None:
        if self.erased:
            raise RuleViolation(f"{self.name} was erased; nothing more can be recorded for them")

    def change_about(self, about: str | None) -> None:
        self.check_not_erased()
        cleaned = check_about(about)
        if cleaned != self.about:
            self._about_changed(about=cleaned)

    @event("AboutChanged")
    def _about_changed(self, about: str | None) -> None:
        self.about = about

    def erase(self, number: int, reason: str) -> None:
        """Record the erasure; a second request changes nothing.

        The event holds the person's number and the reason (a request reference, which must
        not itself name anyone), never personal data.
        """
        reason = check_text("reason", reason, max_length=TEXT_MAX)
        if not self.erased:
            self._erased(number=number, reason=reason)

    @event("Erased")
    def _erased(self, number: int, reason: str) -> None:
        # The stored name and email become unreadable once the key is destroyed; this makes
        # every copy of the aggregate (a cached one, or one read before the key went) agree.
        self.erased_number = number
        self.name = erased_name(number)
        self.email = None
        self.about = NO_ABOUT

    @property
    def current_organisation_id(self) -> UUID | None:
        if self.memberships and self.memberships[-1].left_at is None:
            return self.memberships[-1].organisation_id
        return None

    def join(self, organisation: Organisation, occurred_at: datetime | None = None) -> None:
        self.check_not_erased()
        organisation.check_accepts_activity()
        current = self.current_organisation_id
        if current == organisation.id:
            raise RuleViolation(f"{self.name} is already a member of '{organisation.name}'")
        if current is not None:
            raise RuleViolation(
                f"{self.name} is a member of organisation {current}; record leaving it first"
            )
        when = check_occurred_at("occurred_at", occurred_at)
        if self.memberships and when < (self.memberships[-1].left_at or when):
            raise RuleViolation("joining must not be dated before leaving the last organisation")
        self._joined(organisation_id=organisation.id, occurred_at=when)

    @event("JoinedOrganisation")
    def _joined(self, organisation_id: UUID, occurred_at: datetime) -> None:
        self.memberships.append(Membership(organisation_id, joined_at=occurred_at))

    def leave(self, organisation_id: UUID, occurred_at: datetime | None = None) -> None:
        if self.current_organisation_id != organisation_id:
            raise RuleViolation(f"{self.name} is not a member of organisation {organisation_id}")
        when = check_occurred_at("occurred_at", occurred_at)
        if when < self.memberships[-1].joined_at:
            raise RuleViolation("leaving must not be dated before joining")
        self._left(organisation_id=organisation_id, occurred_at=when)

    @event("LeftOrganisation")
    def _left(self, organisation_id: UUID, occurred_at: datetime) -> None:
        last = self.memberships[-1]
        self.memberships[-1] = Membership(last.organisation_id, last.joined_at, occurred_at)
