"""A claim on a unique value (an ODS code, an email). Its id derives from the value, so two
claims on one value collide in the event store, atomically, whatever process makes them."""

from __future__ import annotations

from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import event

from domain.base import LedgerAggregate
from domain.errors import RuleViolation


def unique_value_id(namespace: str, value: str) -> UUID:
    return uuid5(NAMESPACE_URL, f"changeledger:{namespace}:{value.casefold()}")


class UniqueValue(LedgerAggregate):
    @staticmethod
    def create_id(namespace: str, value: str) -> UUID:
        return unique_value_id(namespace, value)

    @event("Claimed")
    def __init__(self, namespace: str, value: str, owner_id: UUID) -> None:
        self.namespace = namespace
        #: None once released (and unreadable once an erased owner's key is gone).
        self.value: str | None = value
        self.owner_id: UUID | None = owner_id

    @property
    def released(self) -> bool:
        return self.owner_id is None

    def release(self) -> None:
        """Free the value, e.g. an erased person's email, so it identifies no one now."""
        if not self.released:
            self._released()

    @event("Released")
    def _released(self) -> None:
        self.value = None
        self.owner_id = None

    def reclaim(self, value: str, owner_id: UUID) -> None:
        """A released value claimed again: the claim's id is the value's, so it is reused."""
        if not self.released:
            raise RuleViolation(f"{self.namespace} is still claimed")
        self._reclaimed(namespace=self.namespace, value=value, owner_id=owner_id)

    @event("Reclaimed")
    def _reclaimed(self, namespace: str, value: str, owner_id: UUID) -> None:
        # ``namespace`` is repeated so the mapper can tell an email (personal) from an ODS code.
        self.value = value
        self.owner_id = owner_id
