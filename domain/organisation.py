"""Organisations: commissioners, providers and partners that take part in programmes."""

from __future__ import annotations

from enum import StrEnum
from uuid import UUID

from eventsourcing.domain import event

from domain.base import LedgerAggregate
from domain.errors import InvalidValue, RuleViolation
from domain.values import OrganisationKind, check_choice, check_ods_code, check_text


class OrganisationStatus(StrEnum):
    ACTIVE = "active"
    MERGED = "merged"
    DISSOLVED = "dissolved"


class Organisation(LedgerAggregate):
    @classmethod
    def register(cls, name: str, kind: str, ods_code: str | None = None) -> Organisation:
        return cls(
            name=check_text("name", name),
            kind=check_choice("kind", kind, OrganisationKind).value,
            ods_code=check_ods_code("ods_code", ods_code),
        )

    @event("Registered")
    def __init__(self, name: str, kind: str, ods_code: str | None) -> None:
        self.name = name
        self.kind = OrganisationKind(kind)
        self.ods_code = ods_code
        self.status = OrganisationStatus.ACTIVE
        self.successor_id: UUID | None = None

    def check_accepts_activity(self) -> None:
        if self.status is OrganisationStatus.MERGED:
            raise RuleViolation(
                f"organisation '{self.name}' was merged into {self.successor_id}"
                " and accepts no new activity"
            )
        if self.status is OrganisationStatus.DISSOLVED:
            raise RuleViolation(
                f"organisation '{self.name}' is dissolved and accepts no new activity"
            )

    def rename(self, name: str) -> None:
        self.check_accepts_activity()
        name = check_text("name", name)
        if name != self.name:
            self._renamed(name=name)

    @event("Renamed")
    def _renamed(self, name: str) -> None:
        self.name = name

    def merge_into(self, successor: Organisation) -> None:
        if successor.id == self.id:
            raise InvalidValue("successor_id", "an organisation cannot be merged into itself")
        self.check_accepts_activity()
        successor.check_accepts_activity()
        self._merged(successor_id=successor.id)

    @event("Merged")
    def _merged(self, successor_id: UUID) -> None:
        self.status = OrganisationStatus.MERGED
        self.successor_id = successor_id

    def dissolve(self) -> None:
        self.check_accepts_activity()
        self._dissolved()

    @event("Dissolved")
    def _dissolved(self) -> None:
        self.status = OrganisationStatus.DISSOLVED
