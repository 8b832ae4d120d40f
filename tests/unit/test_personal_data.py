"""Sealing personal fields with a key per person, and reading them once the key is gone."""

from __future__ import annotations

from pathlib import Path
from uuid import uuid4

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import DatetimeAsISO, DecimalAsStr, JSONTranscoder, UUIDAsHex
from eventsourcing.sqlite import SQLiteDatastore

from domain.person import Person
from domain.uniqueness import UniqueValue
from infra.person_keys import PersonKeys
from infra.personal_data import PersonalDataError, PersonalDataMapper, seal, unseal
from services.use_cases.personal_data import personal_fields


def test_a_sealed_field_opens_with_the_same_key_person_and_field() -> None:
    key, person = AESGCM.generate_key(bit_length=256), uuid4()

    sealed = seal(key, person, "name", "Ada Lovelace")

    assert "Ada" not in repr(sealed)
    assert unseal(key, person, "name", sealed) == "Ada Lovelace"


def test_sealing_the_same_text_twice_gives_different_ciphertexts() -> None:
    key, person = AESGCM.generate_key(bit_length=256), uuid4()

    assert seal(key, person, "name", "Ada") != seal(key, person, "name", "Ada")


@pytest.mark.parametrize("other", ["key", "person", "field"])
def test_a_sealed_field_does_not_open_for_another_key_person_or_field(other: str) -> None:
    key, person = AESGCM.generate_key(bit_length=256), uuid4()
    sealed = seal(key, person, "name", "Ada Lovelace")

    with pytest.raises(PersonalDataError):
        unseal(
            AESGCM.generate_key(bit_length=256) if other == "key" else key,
            uuid4() if other == "person" else person,
            "email" if other == "field" else "name",
            sealed,
        )


@pytest.fixture
def keys(tmp_path: Path) -> PersonKeys:
    store = PersonKeys(SQLiteDatastore(str(tmp_path / "keys.db")))
    store.create_table()
    return store


def transcoder() -> JSONTranscoder:
    """The library's JSON transcoder with the transcodings every Application registers."""
    json = JSONTranscoder()
    for transcoding in (UUIDAsHex(), DecimalAsStr(), DatetimeAsISO()):
        json.register(transcoding)
    return json


@pytest.fixture
def mapper(keys: PersonKeys) -> PersonalDataMapper:
    return PersonalDataMapper(transcoder(), keys, personal_fields())


def first_event(aggregate: Person | UniqueValue) -> DomainEventProtocol:  # type: ignore[type-arg]
    return aggregate.collect_events()[0]


def test_the_stored_state_of_a_registration_holds_no_personal_data(
    mapper: PersonalDataMapper,
) -> None:
    ada = Person.register("Ada Lovelace", "ada@example.org", about="Counts things")

    stored = mapper.to_stored_event(first_event(ada))
    read = mapper.to_domain_event(stored)

    assert all(text not in stored.state for text in (b"Ada", b"ada@", b"Counts"))
    assert (read.name, read.email, read.about) == (  # type: ignore[attr-defined]
        "Ada Lovelace",
        "ada@example.org",
        "Counts things",
    )


def test_a_registration_reads_as_erased_person_n_once_the_key_is_destroyed(
    mapper: PersonalDataMapper, keys: PersonKeys
) -> None:
    ada = Person.register("Ada Lovelace", "ada@example.org", about="Counts things")
    stored = mapper.to_stored_event(first_event(ada))

    number = keys.destroy(ada.id).number
    read = mapper.to_domain_event(stored)

    assert (read.name, read.email, read.about) == (  # type: ignore[attr-defined]
        f"erased person #{number}",
        None,
        None,
    )


def test_each_person_has_their_own_number_and_key(keys: PersonKeys) -> None:
    first, second = keys.ensure(uuid4()), keys.ensure(uuid4())

    assert first.number != second.number
    assert first.key != second.key
    assert keys.ensure(first.person_id) == first


def test_destroying_a_key_twice_keeps_the_number(keys: PersonKeys) -> None:
    person = keys.ensure(uuid4())

    assert keys.destroy(person.person_id).number == person.number
    assert keys.destroy(person.person_id) == keys.get(person.person_id)


def test_nothing_personal_can_be_stored_for_an_erased_person(
    mapper: PersonalDataMapper, keys: PersonKeys
) -> None:
    ada = Person.register("Ada Lovelace", "ada@example.org")
    keys.destroy(ada.id)

    with pytest.raises(PersonalDataError):
        mapper.to_stored_event(first_event(ada))


def test_an_email_claim_is_sealed_and_an_ods_code_claim_is_not(
    mapper: PersonalDataMapper,
) -> None:
    email = UniqueValue(namespace="email", value="ada@example.org", owner_id=uuid4())
    ods = UniqueValue(namespace="ods_code", value="RR8", owner_id=uuid4())

    assert b"ada@example.org" not in mapper.to_stored_event(first_event(email)).state
    assert b"RR8" in mapper.to_stored_event(first_event(ods)).state


def test_an_event_stored_before_keys_existed_reads_as_stored_until_erased(
    keys: PersonKeys,
) -> None:
    plain = PersonalDataMapper(transcoder(), keys, {})
    ada = Person.register("Ada Lovelace", "ada@example.org")
    legacy = plain.to_stored_event(first_event(ada))
    sealing = PersonalDataMapper(transcoder(), keys, personal_fields())

    assert sealing.to_domain_event(legacy).name == "Ada Lovelace"  # type: ignore[attr-defined]
    number = keys.destroy(ada.id).number
    assert sealing.to_domain_event(legacy).name == f"erased person #{number}"  # type: ignore[attr-defined]
