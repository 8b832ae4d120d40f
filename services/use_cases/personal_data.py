"""Personal data: what a person wrote about themselves, and erasure (ADR 10).

Which event fields are personal is declared here, once; the mapper (infra/personal_data.py)
seals them with the person's key when stored and opens them when read. Erasure records
``Person.Erased`` and then destroys the key; the log itself is never rewritten.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from uuid import UUID

from eventsourcing.persistence import JSONTranscoder, Mapper
from eventsourcing.utils import get_topic

from domain.actor import acting_as
from domain.api_token import ApiToken
from domain.errors import Forbidden
from domain.person import Person, erased_name
from domain.uniqueness import UniqueValue
from infra.person_keys import PersonKeys
from infra.personal_data import PersonalDataMapper, PersonalFields
from services.use_cases.base import ConcurrentWrite, LedgerBase
from services.use_cases.directory import EMAIL as EMAIL_NAMESPACE


def _the_person(state: Mapping[str, Any]) -> UUID:
    return UUID(str(state["originator_id"]))


def _an_email_owner(state: Mapping[str, Any]) -> UUID | None:
    # Claims on other values (ODS codes, role keys) are organisation facts, not personal.
    if state.get("namespace") != EMAIL_NAMESPACE:
        return None
    return UUID(str(state["owner_id"]))


def personal_fields() -> dict[str, PersonalFields]:
    """Every stored event field that holds a person's personal data, by event topic."""
    person = PersonalFields(
        fields=("name", "email", "about"),
        owner=_the_person,
        placeholders={"name": erased_name},
    )
    claim = PersonalFields(fields=("value",), owner=_an_email_owner, placeholders={})
    people, claims = get_topic(Person), get_topic(UniqueValue)
    return {
        f"{people}.Registered": person,
        f"{people}.AboutChanged": PersonalFields(("about",), _the_person, {}),
        f"{claims}.Claimed": claim,
        f"{claims}.Reclaimed": claim,
    }


class PersonalDataUseCases(LedgerBase):
    person_keys: PersonKeys

    def construct_mapper(self) -> Mapper[UUID]:
        """The library's mapper, but sealing personal fields with each person's key.

        Called by the library's constructor, once the datastore exists.
        """
        self.person_keys = PersonKeys(self.factory.datastore)  # type: ignore[attr-defined]
        plain: Mapper[UUID] = self.factory.mapper(transcoder=self.construct_transcoder())
        assert isinstance(plain.transcoder, JSONTranscoder)
        return PersonalDataMapper(
            plain.transcoder,
            self.person_keys,
            personal_fields(),
            compressor=plain.compressor,
            cipher=plain.cipher,
        )

    def change_about(
        self, *, by: UUID | None, person_id: UUID, about: str | None, expected_version: int | None
    ) -> Person:
        """What the person writes about themselves (personal data: erased with them).

        The person themself, or a platform administrator (403 for anyone else).
        """
        if by != person_id and not self._is_platform_administrator(by):
            raise Forbidden("only the person themself or an administrator can change this")
        with self._writing(Person, person_id, by, expected_version) as person:
            person.change_about(about)
        return person

    def erase_person(self, *, by: UUID | None, person_id: UUID, reason: str) -> Person:
        """Erase a person's personal data; their events, roles and decisions stay.

        First ``Person.Erased`` is recorded (with the release of their email and the
        revocation of their tokens, in the same transaction), then the key is destroyed.
        A crash between the two leaves the event without the destruction; asking again
        finds the person erased and destroys the key (and the directory view destroys it
        when it applies the event). Repeating is harmless. Platform administrators only.
        """
        if not self._is_platform_administrator(by):
            raise Forbidden("only a platform administrator can erase a person")
        person = self._load(Person, person_id)
        number = self.person_keys.ensure(person_id).number
        if not person.erased:
            email = person.email
            with acting_as(by):
                person.erase(number, reason)
                released = self._release_email(email, person_id)
                revoked = self._revoke_tokens(person_id)
            try:
                self._save(person, *released, *revoked)
            except ConcurrentWrite:
                # Another request erased them (or changed them) at the same moment.
                person = self._load(Person, person_id)
                if not person.erased:
                    raise
        self.person_keys.destroy(person_id)
        return person

    def _revoke_tokens(self, person_id: UUID) -> list[ApiToken]:
        """An erased person acts no more: their live tokens are revoked with the erasure."""
        tokens = []
        for row in self._query(
            "SELECT id FROM dir_tokens WHERE person_id = %(p)s AND revoked = FALSE",
            {"p": str(person_id)},
        ):
            token = self._load(ApiToken, UUID(row["id"]))
            if not token.revoked:
                token.revoke()
                tokens.append(token)
        return tokens

    def _release_email(self, email: str | None, owner_id: UUID) -> list[UniqueValue]:
        if email is None:
            return []
        claim: Any = self._existing_claim(EMAIL_NAMESPACE, email)
        if claim is None or claim.owner_id != owner_id:
            return []
        claim.release()
        return [claim]
