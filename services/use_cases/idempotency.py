"""Idempotent requests: a retried request with the same Idempotency-Key records once.

The key is recorded as an aggregate whose id derives from (person, key), saved in the SAME
transaction as the command's events. So either both the change and the key are stored, or
neither is: a retry after a crash, a timeout or a lost response can never record twice.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import event

from domain.base import LedgerAggregate
from domain.errors import InvalidValue

KEY_MAX = 255


def idempotent_request_id(person_id: UUID | None, key: str) -> UUID:
    return uuid5(NAMESPACE_URL, f"changeledger:idempotency:{person_id}:{key}")


class IdempotentRequest(LedgerAggregate):
    RECORD_KIND = "idempotent request"

    @staticmethod
    def create_id(person_id: UUID | None, key: str) -> UUID:
        return idempotent_request_id(person_id, key)

    @event("Recorded")
    def __init__(self, person_id: UUID | None, key: str, fingerprint: str, record_id: UUID) -> None:
        self.person_id = person_id
        self.key = key
        self.fingerprint = fingerprint
        self.record_id = record_id


@dataclass
class PendingKey:
    person_id: UUID | None
    key: str
    fingerprint: str
    used: bool = False

    def record_for(self, record_id: UUID) -> IdempotentRequest | None:
        """The key's record, the first time the use case saves; None after that."""
        if self.used:
            return None
        self.used = True
        return IdempotentRequest(
            person_id=self.person_id,
            key=self.key,
            fingerprint=self.fingerprint,
            record_id=record_id,
        )


pending_key: ContextVar[PendingKey | None] = ContextVar("changeledger_idempotency", default=None)


def check_key(key: str) -> str:
    if not key.strip() or len(key) > KEY_MAX or not key.isprintable():
        raise InvalidValue(
            "Idempotency-Key", f"must be 1 to {KEY_MAX} printable characters, e.g. a UUID"
        )
    return key


@contextmanager
def keyed(person_id: UUID | None, key: str, fingerprint: str) -> Iterator[None]:
    token = pending_key.set(PendingKey(person_id, check_key(key), fingerprint))
    try:
        yield
    finally:
        pending_key.reset(token)
