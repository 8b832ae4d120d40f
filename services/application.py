"""The Changeledger application: one method per use case, over the event-sourced aggregates.

Every write method takes ``by``, the acting person (None for the platform itself), and
stamps it on each event. ``expected_version`` is the version the client read; a write
based on an older one is refused with StaleVersion.
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
from domain.api_token import ApiToken, new_secret, token_id_for
from domain.base import LedgerAggregate
from domain.errors import (
    InvalidValue,
    NotAuthenticated,
    NotFound,
    ReferenceNotFound,
    RuleViolation,
    StaleVersion,
    UniquenessConflict,
)
from domain.organisation import Organisation
from domain.person import Person
from domain.programme import Programme, Workstream
from domain.timing import utc_now
from domain.uniqueness import UniqueValue, unique_value_id

A = TypeVar("A", bound=LedgerAggregate)

ODS_CODE = "ods_code"
EMAIL = "email"


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

KINDS: dict[type[LedgerAggregate], str] = {
    Organisation: "organisation",
    Person: "person",
    Programme: "programme",
    ApiToken: "API token",
}


class Changeledger(Application[UUID]):
    name = "changeledger"

    # Loading and saving

    def _load(self, cls: type[A], record_id: UUID, *, field: str | None = None) -> A:
        """Load an aggregate of one class; a missing or other-class id is not found.

        With ``field``, the id came from a request body, so it is invalid input (422),
        not a missing resource (404).
        """
        kind = KINDS.get(cls, cls.__name__.lower())
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

    # Organisations

    def register_organisation(
        self, *, by: UUID | None, name: str, kind: str, ods_code: str | None = None
    ) -> Organisation:
        with acting_as(by):
            organisation = Organisation.register(name=name, kind=kind, ods_code=ods_code)
            if organisation.ods_code is None:
                self._save(organisation)
                return organisation
            claim = self._claim(ODS_CODE, organisation.ods_code, organisation.id, ODS_CODE)
        self._save_claimed(organisation, claim, ODS_CODE)
        return organisation

    def rename_organisation(
        self, *, by: UUID | None, organisation_id: UUID, name: str, expected_version: int | None
    ) -> Organisation:
        with self._writing(Organisation, organisation_id, by, expected_version) as organisation:
            organisation.rename(name)
        return organisation

    def merge_organisation(
        self,
        *,
        by: UUID | None,
        organisation_id: UUID,
        successor_id: UUID,
        expected_version: int | None,
    ) -> Organisation:
        successor = self._load(Organisation, successor_id, field="successor_id")
        with self._writing(Organisation, organisation_id, by, expected_version) as organisation:
            organisation.merge_into(successor)
        return organisation

    def dissolve_organisation(
        self, *, by: UUID | None, organisation_id: UUID, expected_version: int | None
    ) -> Organisation:
        with self._writing(Organisation, organisation_id, by, expected_version) as organisation:
            organisation.dissolve()
        return organisation

    # People

    def register_person(self, *, by: UUID | None, name: str, email: str) -> Person:
        with acting_as(by):
            person = Person.register(name=name, email=email)
            claim = self._claim(EMAIL, person.email, person.id, EMAIL)
        self._save_claimed(person, claim, EMAIL)
        return person

    def person_id_by_email(self, email: str) -> UUID:
        claim = self._existing_claim(EMAIL, email.strip().lower())
        if claim is None:
            raise NotFound("person", email)
        return claim.owner_id

    def join_organisation(
        self,
        *,
        by: UUID | None,
        person_id: UUID,
        organisation_id: UUID,
        occurred_at: datetime | None = None,
        expected_version: int | None = None,
    ) -> Person:
        organisation = self._load(Organisation, organisation_id, field="organisation_id")
        with self._writing(Person, person_id, by, expected_version) as person:
            person.join(organisation, occurred_at)
        return person

    def leave_organisation(
        self,
        *,
        by: UUID | None,
        person_id: UUID,
        organisation_id: UUID,
        occurred_at: datetime | None = None,
        expected_version: int | None = None,
    ) -> Person:
        with self._writing(Person, person_id, by, expected_version) as person:
            person.leave(organisation_id, occurred_at)
        return person

    # Programmes

    def create_programme(
        self, *, by: UUID | None, title: str, description: str, lead_commissioner_id: UUID
    ) -> Programme:
        lead = self._load(Organisation, lead_commissioner_id, field="lead_commissioner_id")
        with acting_as(by):
            programme = Programme.create(title, description, lead)
        self._save(programme)
        return programme

    def update_programme(
        self,
        *,
        by: UUID | None,
        programme_id: UUID,
        title: str | None,
        description: str | None,
        expected_version: int | None,
    ) -> Programme:
        with self._writing(Programme, programme_id, by, expected_version) as programme:
            programme.update_details(title, description)
        return programme

    def add_participant(
        self,
        *,
        by: UUID | None,
        programme_id: UUID,
        organisation_id: UUID,
        role: str,
        expected_version: int | None = None,
    ) -> Programme:
        organisation = self._load(Organisation, organisation_id, field="organisation_id")
        with self._writing(Programme, programme_id, by, expected_version) as programme:
            programme.add_participant(organisation, role)
        return programme

    def remove_participant(
        self,
        *,
        by: UUID | None,
        programme_id: UUID,
        organisation_id: UUID,
        expected_version: int | None = None,
    ) -> Programme:
        with self._writing(Programme, programme_id, by, expected_version) as programme:
            programme.remove_participant(organisation_id)
        return programme

    def add_workstream(
        self,
        *,
        by: UUID | None,
        programme_id: UUID,
        name: str,
        expected_version: int | None = None,
    ) -> tuple[Programme, Workstream]:
        with self._writing(Programme, programme_id, by, expected_version) as programme:
            workstream = programme.add_workstream(name)
        return programme, workstream

    # API tokens

    def issue_token(
        self,
        *,
        by: UUID | None,
        person_id: UUID,
        label: str,
        expires_at: datetime | None = None,
    ) -> tuple[str, ApiToken]:
        """Returns the secret, shown once, and the token record, which holds only its hash."""
        self._load(Person, person_id, field="person_id")
        if expires_at is not None:
            if expires_at.tzinfo is None:
                raise InvalidValue("expires_at", "must include a timezone")
            if expires_at <= utc_now():
                raise InvalidValue("expires_at", "must lie in the future")
        secret = new_secret()
        with acting_as(by):
            token = ApiToken.issue(secret, person_id, label, expires_at)
        self._save(token)
        return secret, token

    def revoke_token(self, *, by: UUID | None, token_id: UUID) -> ApiToken:
        with self._writing(ApiToken, token_id, by, None) as token:
            token.revoke()
        return token

    def authenticate(self, secret: str) -> UUID:
        """The person a bearer secret belongs to, if it is live."""
        token: Any
        try:
            token = self.repository.get(token_id_for(secret))
        except AggregateNotFoundError:
            token = None
        if not isinstance(token, ApiToken):
            raise NotAuthenticated("the API token is not recognised")
        token.check_usable(utc_now())
        return token.person_id

    # History

    def history(self, cls: type[LedgerAggregate], record_id: UUID) -> list[HistoryEntry]:
        """Every event of one record, oldest first: the full audit trail."""
        events: list[Any] = list(self.repository.event_store.get(record_id))
        if not events or getattr(events[0], "originator_topic", None) != get_topic(cls):
            raise NotFound(KINDS.get(cls, cls.__name__.lower()), record_id)
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
