"""The base of the Changeledger application: loading, version checks, saving, history.

Every write method of the use cases takes ``by``, the acting person (None for the platform
itself), and stamps it on each event. ``expected_version`` is the version the client read; a
write based on an older one is refused with StaleVersion.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import EventStore, IntegrityError
from eventsourcing.utils import get_topic

from domain.actor import acting_as
from domain.base import LedgerAggregate
from domain.errors import (
    Forbidden,
    InvalidValue,
    NotFound,
    ReferenceNotFound,
    RuleViolation,
    StaleVersion,
    UniquenessConflict,
)
from domain.uniqueness import UniqueValue, unique_value_id
from infra.request_memo import RememberingEventStore, forget_everything
from projections.store import ViewStore
from services.use_cases.idempotency import (
    IdempotentRequest,
    check_key,
    idempotent_request_id,
    keyed,
    pending_key,
)
from services.use_cases.positions import note_written

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
_SECRET_FIELDS = {"token_hash", "password_hash"}


def kind_of(cls: type[LedgerAggregate]) -> str:
    """How error messages name a kind of record ("organisation", "API token")."""
    return cls.RECORD_KIND or cls.__name__.lower()


class LedgerBase(Application[UUID]):
    name = "changeledger"

    #: The views, attached by the composition root; use cases consult them to find records
    #: by something other than id (e.g. the roles a person holds).
    _views: ViewStore | None = None
    _catch_up_views: Callable[[], object] | None = None

    def construct_event_store(self) -> EventStore[UUID]:
        # Within a request, a record's events are read once (infra/request_memo.py).
        return RememberingEventStore(mapper=self.mapper, recorder=self.recorder)

    def attach_views(self, views: ViewStore, catch_up: Callable[[], object]) -> None:
        self._views = views
        self._catch_up_views = catch_up

    def _query(self, sql: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        """Rows from the views, brought up to the head of the log first."""
        if self._views is None or self._catch_up_views is None:
            raise RuntimeError("views are not attached; build the application with bootstrap()")
        self._catch_up_views()
        return self._views.fetch_all(sql, params)

    # Consequences in other records. Each area's mixin extends these hooks and calls super(),
    # returning the aggregates it changed; they are saved in the same transaction.

    def _on_organisation_merged(self, merged: Any, successor: Any) -> list[Aggregate]:
        """Carry what the merged organisation held over to its successor."""
        return []

    def _on_person_leaving(self, person: Any, organisation_id: UUID) -> list[Aggregate]:
        """Flag what a person leaving their organisation leaves behind."""
        return []

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
            recordings = self.save(*aggregates, *self._idempotency_record(aggregates))
        except IntegrityError:
            # Our version numbers were taken by a concurrent write. Nothing was recorded.
            # What this request read is out of date: a reload must read the database.
            forget_everything()
            raise ConcurrentWrite() from None
        note_written(
            [r.notification.id for r in recordings if r.notification.id is not None],
            {r.domain_event.originator_id: r.domain_event.originator_version for r in recordings},
        )

    @staticmethod
    def _idempotency_record(aggregates: tuple[Aggregate, ...]) -> list[Aggregate]:
        """The Idempotency-Key's record, saved in the same transaction as the change."""
        pending = pending_key.get()
        if pending is None or not aggregates:
            return []
        record = pending.record_for(aggregates[0].id)
        return [record] if record is not None else []

    # Idempotency-Key

    def replay_of(self, person_id: UUID | None, key: str, fingerprint: str) -> UUID | None:
        """The record a request with this key already changed, or None if the key is new.

        The same key with a different request is refused: it would hide a real change.
        """
        found: Any
        try:
            found = self.repository.get(idempotent_request_id(person_id, check_key(key)))
        except AggregateNotFoundError:
            return None
        assert isinstance(found, IdempotentRequest)
        if found.fingerprint != fingerprint:
            raise InvalidValue(
                "Idempotency-Key", "was already used for a different request; use a new key"
            )
        return found.record_id

    def idempotent(self, person_id: UUID | None, key: str, fingerprint: str) -> Any:
        """Within this block, the use case's save also records the key, atomically."""
        return keyed(person_id, key, fingerprint)

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
        if existing is None:
            return UniqueValue(namespace=namespace, value=value, owner_id=owner_id)
        if existing.released:
            # E.g. the email of an erased person: free again, under the same claim id.
            existing.reclaim(value, owner_id)
            return existing
        raise UniquenessConflict(field, f"{field} {value} is already registered", existing.owner_id)

    def _existing_claim(self, namespace: str, value: str) -> UniqueValue | None:
        claim: Any
        try:
            claim = self.repository.get(unique_value_id(namespace, value))
        except AggregateNotFoundError:
            return None
        return claim if isinstance(claim, UniqueValue) else None

    def _save_claimed(self, aggregate: Aggregate, claim: UniqueValue, field: str) -> None:
        try:
            self.save(aggregate, claim, *self._idempotency_record((aggregate,)))
        except IntegrityError:
            # A concurrent request claimed the same value first.
            raise UniquenessConflict(
                field, f"{field} {claim.value} is already registered"
            ) from None

    # Platform administrators

    def _platform_administrators(self) -> Any:
        """The one PlatformAdministrators record, or None before anyone was granted."""
        from domain.platform_access import PLATFORM_ADMINISTRATORS_ID  # local, as Person below

        try:
            return self.repository.get(PLATFORM_ADMINISTRATORS_ID)
        except AggregateNotFoundError:
            return None

    def _is_platform_administrator(self, person_id: UUID | None) -> bool:
        """The platform itself (None) administers; a person only once granted."""
        if person_id is None:
            return True
        administrators = self._platform_administrators()
        return administrators is not None and bool(administrators.includes(person_id))

    # Acting for an organisation

    def _check_acts_for(self, by: UUID | None, organisation_id: UUID, action: str) -> None:
        """Only a current member of an organisation may act for it (403 otherwise).

        ``by=None`` is the platform itself (an operator at the CLI, the demo seeder).
        """
        if by is None:
            return
        from domain.person import Person  # local: the base must not depend on one area

        person = self._load(Person, by)
        if person.current_organisation_id != organisation_id:
            raise Forbidden(
                f"{person.name} is not a member of organisation {organisation_id},"
                f" so cannot {action} for it"
            )

    # Reading a record as it was

    def as_of(
        self,
        cls: type[A],
        record_id: UUID,
        *,
        version: int | None = None,
        at: datetime | None = None,
    ) -> A:
        """The record as it was at a version, or as recorded up to a UTC time.

        Replays the record's own events: the log is the only place past states live.
        """
        events: list[Any] = list(self.repository.event_store.get(record_id))
        if not events or getattr(events[0], "originator_topic", None) != get_topic(cls):
            raise NotFound(kind_of(cls), record_id)
        if version is not None:
            if version < 1:
                raise InvalidValue("version", "must be 1 or more")
            events = [e for e in events if e.originator_version <= version]
        if at is not None:
            if at.tzinfo is None:
                raise InvalidValue("as_of", "must include a timezone, e.g. 2026-11-23T10:00:00Z")
            events = [e for e in events if e.timestamp <= at]
            if not events:
                raise NotFound(kind_of(cls), f"{record_id} as of {at.isoformat()}")
        aggregate: Any = None
        for event in events:
            aggregate = event.mutate(aggregate)
        assert isinstance(aggregate, cls)
        return aggregate

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
