"""The base of the Changeledger application: loading, version checks, saving, history.

Every write method of the use cases takes ``by``, the acting person (None for the platform
itself), and stamps it on each event. ``expected_version`` is the version the client read; a
write based on an older one is refused with StaleVersion.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError
from eventsourcing.utils import get_topic

from domain.actor import acting_as
from domain.base import LedgerAggregate
from domain.errors import (
    NotFound,
    ReferenceNotFound,
    RuleViolation,
    StaleVersion,
    UniquenessConflict,
)
from domain.uniqueness import UniqueValue, unique_value_id

A = TypeVar("A", bound=LedgerAggregate)


class ConcurrentWrite(RuleViolation):
    """Another request changed the same record between our read and our write."""

    def __init__(self) -> None:
        super().__init__(
            "another request changed this record at the same moment; read it again and retry"
        )


@dataclass(frozen=True)
class HistoryEntry:
    version: int
    type: str
    recorded_at: datetime
    actor_id: UUID | None
    data: dict[str, Any]


_HIDDEN_FIELDS = {
    "originator_id",
    "originator_version",
    "timestamp",
    "originator_topic",
    "actor_id",
}
# Secrets never leave the log, even as history.
_SECRET_FIELDS = {"token_hash"}


def kind_of(cls: type[LedgerAggregate]) -> str:
    """How error messages name a kind of record ("organisation", "API token")."""
    return cls.RECORD_KIND or cls.__name__.lower()


class LedgerBase(Application[UUID]):
    name = "changeledger"

    # Loading and saving

    def _load(self, cls: type[A], record_id: UUID, *, field: str | None = None) -> A:
        """Load an aggregate of one class; a missing or other-class id is not found.

        With ``field``, the id came from a request body, so it is invalid input (422),
        not a missing resource (404).
        """
        kind = kind_of(cls)
        aggregate: Any
        try:
            aggregate = self.repository.get(record_id)
        except AggregateNotFoundError:
            aggregate = None
        if not isinstance(aggregate, cls):
            if field is not None:
                raise ReferenceNotFound(field, kind, record_id)
            raise NotFound(kind, record_id)
        return aggregate

    @staticmethod
    def _check_version(aggregate: Aggregate, expected_version: int | None) -> None:
        if expected_version is not None and aggregate.version != expected_version:
            raise StaleVersion(expected_version, aggregate.version)

    def _save(self, *aggregates: Aggregate) -> None:
        try:
            self.save(*aggregates)
        except IntegrityError:
            # Our version numbers were taken by a concurrent write. Nothing was recorded.
            raise ConcurrentWrite() from None

    @contextmanager
    def _writing(
        self, cls: type[A], record_id: UUID, by: UUID | None, expected_version: int | None
    ) -> Iterator[A]:
        """Load, check the client's version, act as ``by``, then save what changed."""
        aggregate = self._load(cls, record_id)
        self._check_version(aggregate, expected_version)
        with acting_as(by):
            yield aggregate
        self._save(aggregate)

    def _claim(self, namespace: str, value: str, owner_id: UUID, field: str) -> UniqueValue:
        existing = self._existing_claim(namespace, value)
        if existing is not None:
            raise UniquenessConflict(
                field, f"{field} {value} is already registered", existing.owner_id
            )
        return UniqueValue(namespace=namespace, value=value, owner_id=owner_id)

    def _existing_claim(self, namespace: str, value: str) -> UniqueValue | None:
        claim: Any
        try:
            claim = self.repository.get(unique_value_id(namespace, value))
        except AggregateNotFoundError:
            return None
        return claim if isinstance(claim, UniqueValue) else None

    def _save_claimed(self, aggregate: Aggregate, claim: UniqueValue, field: str) -> None:
        try:
            self.save(aggregate, claim)
        except IntegrityError:
            # A concurrent request claimed the same value first.
            raise UniquenessConflict(
                field, f"{field} {claim.value} is already registered"
            ) from None

    # History

    def history(self, cls: type[LedgerAggregate], record_id: UUID) -> list[HistoryEntry]:
        """Every event of one record, oldest first: the full audit trail."""
        events: list[Any] = list(self.repository.event_store.get(record_id))
        if not events or getattr(events[0], "originator_topic", None) != get_topic(cls):
            raise NotFound(kind_of(cls), record_id)
        return [
            HistoryEntry(
                version=event.originator_version,
                type=type(event).__name__,
                recorded_at=event.timestamp,
                actor_id=getattr(event, "actor_id", None),
                data={
                    key: value
                    for key, value in vars(event).items()
                    if key not in _HIDDEN_FIELDS and key not in _SECRET_FIELDS
                },
            )
            for event in events
        ]
