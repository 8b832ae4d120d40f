"""The password policy and the login credential aggregate, in memory."""

from __future__ import annotations

from uuid import uuid4

import pytest

from domain.credential import (
    LoginCredential,
    check_new_password,
    credential_id_for,
    normalise_password,
)
from domain.errors import InvalidValue

EMAIL = "ada.lovelace@example.org"


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("eleven char", "must be at least 12 characters long"),
        ("x" * 129, "must be at most 128 characters long"),
        ("abababababababab", "must not repeat so few different characters"),
        ("correct horse\x00battery", "must not contain control characters"),
        ("ada.lovelace@example.org!", "must not be built from your email address"),
        ("ada.lovelace1234", "must not be built from your email address"),
    ],
)
def test_a_weak_password_is_refused_with_a_reason_for_its_field(password: str, reason: str) -> None:
    with pytest.raises(InvalidValue) as failure:
        check_new_password("new_password", password, EMAIL)

    assert (failure.value.field, failure.value.reason) == ("new_password", reason)


@pytest.mark.parametrize("password", ["correct horse battery staple", "Zoë's 🦄 passphrase!"])
def test_a_long_enough_password_of_any_script_is_accepted(password: str) -> None:
    assert check_new_password("password", password, EMAIL) == normalise_password(password)


def test_twelve_characters_of_any_script_are_long_enough() -> None:
    assert check_new_password("password", "日本語のパスワードですよ", EMAIL)


def test_the_same_password_typed_in_different_unicode_forms_normalises_the_same() -> None:
    composed = "caf\u00e9 au lait please"
    decomposed = "cafe\u0301 au lait please"

    assert normalise_password(composed) == normalise_password(decomposed)


def test_a_credential_belongs_to_one_person_and_records_hash_changes() -> None:
    person_id = uuid4()

    credential = LoginCredential(person_id=person_id, password_hash="$argon2id$first")
    credential.change("$argon2id$second")

    assert credential.id == credential_id_for(person_id)
    assert credential.password_hash == "$argon2id$second"
    assert [type(e).__name__ for e in credential.collect_events()] == [
        "PasswordSet",
        "PasswordChanged",
    ]
