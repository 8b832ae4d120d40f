"""People: members of organisations who act on programmes. History of membership is kept."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from eventsourcing.domain import event

from domain.base import LedgerAggregate
from domain.errors import RuleViolation
from domain.organisation import Organisation
from domain.timing import check_occurred_at
from domain.values import check_email, check_text


@dataclass(frozen=True)
class Membership:
    organisation_id: UUID
    joined_at: datetime
    left_at: datetime | None = None


class Person(LedgerAggregate):
    @classmethod
    def register(cls, name: str, email: str) -> Person:
        return cls(name=check_text("name", name), email=check_email("email", email))

    @event("Registered")
    def __init__(self, name: str, email: str) -> None:
        self.name = name
        self.email = email
        self.memberships: list[Membership] = []

    @property
    def current_organisation_id(self) -> UUID | None:
        if self.memberships and self.memberships[-1].left_at is None:
            return self.memberships[-1].organisation_id
        return None

    def join(self, organisation: Organisation, occurred_at: datetime | None = None) -> None:
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
