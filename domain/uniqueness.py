"""A claim on a unique value (an ODS code, an email). Its id derives from the value, so two
claims on one value collide in the event store, atomically, whatever process makes them."""

from __future__ import annotations

from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import event

from domain.base import LedgerAggregate


def unique_value_id(namespace: str, value: str) -> UUID:
    return uuid5(NAMESPACE_URL, f"changeledger:{namespace}:{value.casefold()}")


class UniqueValue(LedgerAggregate):
    @staticmethod
    def create_id(namespace: str, value: str) -> UUID:
        return unique_value_id(namespace, value)

    @event("Claimed")
    def __init__(self, namespace: str, value: str, owner_id: UUID) -> None:
        self.namespace = namespace
        self.value = value
        self.owner_id = owner_id
