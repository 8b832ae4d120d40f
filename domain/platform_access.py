"""Platform administrators: who manages organisations, people and tokens.

One record for the whole platform, so every grant and revocation reads in one history.
Administration is a platform duty, not a view into programmes' confidential matters: what an
administrator may read is decided by the access policy (services/access.py), not here.
"""

from __future__ import annotations

from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import event

from domain.base import LedgerAggregate
from domain.errors import RuleViolation

PLATFORM_ADMINISTRATORS_ID = uuid5(NAMESPACE_URL, "changeledger:platform-administrators")


class PlatformAdministrators(LedgerAggregate):
    RECORD_KIND = "platform administrators"

    @staticmethod
    def create_id() -> UUID:
        return PLATFORM_ADMINISTRATORS_ID

    @event("Started")
    def __init__(self) -> None:
        self.person_ids: set[UUID] = set()

    def includes(self, person_id: UUID) -> bool:
        return person_id in self.person_ids

    def grant(self, person_id: UUID) -> None:
        if person_id in self.person_ids:
            raise RuleViolation(f"person {person_id} is already a platform administrator")
        self._granted(person_id=person_id)

    @event("Granted")
    def _granted(self, person_id: UUID) -> None:
        self.person_ids.add(person_id)

    def revoke(self, person_id: UUID) -> None:
        if person_id not in self.person_ids:
            raise RuleViolation(f"person {person_id} is not a platform administrator")
        self._revoked(person_id=person_id)

    @event("Revoked")
    def _revoked(self, person_id: UUID) -> None:
        self.person_ids.discard(person_id)
