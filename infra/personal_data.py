"""Personal data in stored events: sealed with the person's key, opened or shown as erased.

Encryption happens here, in the mapping between domain events and stored events, so the
domain stays pure and every reader of the log (repository, history, as-of, projections)
gets the same answer. A sealed value is stored as ``{"sealed": "<base64 nonce+ciphertext>"}``;
a plain string in a personal field is an event stored before keys existed.

AES-GCM with a 256-bit key per person; the associated data binds each ciphertext to its
person and field, so a sealed value copied into another person's event does not open.
"""

from __future__ import annotations

import base64
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import Mapper, StoredEvent, Transcoder
from eventsourcing.utils import get_topic

from infra.person_keys import PersonKey, PersonKeys

SEALED = "sealed"
_NONCE_BYTES = 12


class PersonalDataError(Exception):
    """Personal data could not be sealed (e.g. for a person already erased)."""


def _associated_data(person_id: UUID, field: str) -> bytes:
    return f"changeledger:personal:{person_id}:{field}".encode()


def seal(key: bytes, person_id: UUID, field: str, plaintext: str) -> dict[str, str]:
    """Encrypt one field's text for storage."""
    nonce = os.urandom(_NONCE_BYTES)
    ciphertext = AESGCM(key).encrypt(
        nonce, plaintext.encode("utf-8"), _associated_data(person_id, field)
    )
    return {SEALED: base64.b64encode(nonce + ciphertext).decode("ascii")}


def is_sealed(value: object) -> bool:
    return isinstance(value, dict) and set(value) == {SEALED}


def unseal(key: bytes, person_id: UUID, field: str, sealed: Mapping[str, str]) -> str:
    """Decrypt one stored field; raises PersonalDataError if it was not sealed for them."""
    raw = base64.b64decode(sealed[SEALED])
    try:
        plaintext = AESGCM(key).decrypt(
            raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], _associated_data(person_id, field)
        )
    except InvalidTag:
        raise PersonalDataError(f"{field} was not sealed with person {person_id}'s key") from None
    return plaintext.decode("utf-8")


@dataclass(frozen=True)
class PersonalFields:
    """Which fields of one kind of event are personal data, and whose."""

    fields: tuple[str, ...]
    #: The person the data is about, from the event's state; None if this event has none
    #: (e.g. a uniqueness claim on an organisation's ODS code).
    owner: Callable[[Mapping[str, Any]], UUID | None]
    #: What an erased field reads as, from the person's number; None when not listed.
    placeholders: Mapping[str, Callable[[int], str]]

    def erased_value(self, field: str, number: int) -> str | None:
        placeholder = self.placeholders.get(field)
        return placeholder(number) if placeholder else None


class PersonalDataMapper(Mapper[UUID]):
    """A Mapper that seals personal fields on the way in and opens them on the way out."""

    def __init__(
        self,
        transcoder: Transcoder,
        keys: PersonKeys,
        personal: Mapping[str, PersonalFields],
        **kwargs: Any,
    ) -> None:
        super().__init__(transcoder, **kwargs)
        self.keys = keys
        #: By event topic.
        self.personal = personal

    def to_stored_event(self, domain_event: DomainEventProtocol[UUID]) -> StoredEvent:
        spec = self.personal.get(get_topic(type(domain_event)))
        if spec is None:
            return super().to_stored_event(domain_event)
        state = dict(vars(domain_event))
        person_id = spec.owner(state)
        if person_id is None:
            return super().to_stored_event(domain_event)
        key = self.keys.ensure(person_id)
        if key.key is None:
            raise PersonalDataError(f"person {person_id} was erased; nothing personal is stored")
        for field in spec.fields:
            if isinstance(state.get(field), str):
                state[field] = seal(key.key, person_id, field, state[field])
        sealed_event = object.__new__(type(domain_event))
        object.__setattr__(sealed_event, "__dict__", state)
        return super().to_stored_event(sealed_event)

    def to_domain_event(self, stored_event: StoredEvent) -> DomainEventProtocol[UUID]:
        domain_event = super().to_domain_event(stored_event)
        spec = self.personal.get(stored_event.topic)
        if spec is None:
            return domain_event
        state = vars(domain_event)  # a fresh dict made by the base mapper, ours to change
        person_id = spec.owner(state)
        if person_id is None:
            return domain_event
        key = self.keys.get(person_id)
        for field in spec.fields:
            state[field] = self._open(spec, field, state.get(field), person_id, key)
        return domain_event

    @staticmethod
    def _open(
        spec: PersonalFields, field: str, value: Any, person_id: UUID, key: PersonKey | None
    ) -> Any:
        if value is None:
            return None
        if key is not None and key.key is None:
            return spec.erased_value(field, key.number)
        if not is_sealed(value):
            return value  # stored before keys existed, and the person is not erased
        if key is None:
            # A sealed value with no key row: the key table was lost or restored without it.
            raise PersonalDataError(f"no key for person {person_id}")
        return unseal(key.key, person_id, field, value)  # type: ignore[arg-type]
