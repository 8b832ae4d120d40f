"""Login credentials against real stores: only an argon2id hash is kept, never shown."""

from __future__ import annotations

from uuid import uuid4

import pytest

from domain.credential import LoginCredential, credential_id_for
from domain.errors import InvalidValue, NotAuthenticated, NotFound
from infra.bootstrap import Container
from services.use_cases.credentials import BAD_LOGIN
from tests.integration.support import head, names_after, person

PASSWORD = "correct horse battery staple"


def test_setting_a_password_records_only_an_argon2id_hash(container: Container) -> None:
    ada = person(container)
    before = head(container)

    credential = container.app.set_password(by=None, person_id=ada.id, password=PASSWORD)

    assert names_after(container, before) == ["LoginCredential.PasswordSet"]
    assert credential.id == credential_id_for(ada.id)
    assert credential.password_hash.startswith("$argon2id$")
    stored = [
        item.state
        for item in container.app.recorder.select_notifications(start=before + 1, limit=10)
    ]
    assert not any(PASSWORD.encode() in state for state in stored)


def test_the_credentials_history_says_who_set_it_and_when_but_never_the_hash(
    container: Container,
) -> None:
    ada = person(container)
    container.app.set_password(by=None, person_id=ada.id, password=PASSWORD)
    container.app.change_own_password(
        person_id=ada.id, current_password=PASSWORD, new_password="another long passphrase"
    )

    entries = container.app.history(LoginCredential, credential_id_for(ada.id))

    assert [(e.type, e.actor_id) for e in entries] == [
        ("PasswordSet", None),
        ("PasswordChanged", ada.id),
    ]
    assert all("password_hash" not in e.data for e in entries)


def test_a_login_with_the_right_password_names_the_person(container: Container) -> None:
    ada = person(container)
    container.app.set_password(by=None, person_id=ada.id, password=PASSWORD)

    assert container.app.check_login(ada.email.upper(), PASSWORD) == ada.id


@pytest.mark.parametrize(
    ("email", "password"),
    [
        ("ada@example.org", "the wrong passphrase"),
        ("nobody@example.org", PASSWORD),
        ("grace@example.org", PASSWORD),  # registered, but has no password
        ("<script>@example.org", "' OR 1=1 --"),
    ],
)
def test_every_failed_login_fails_with_the_same_message(
    container: Container, email: str, password: str
) -> None:
    ada = person(container, email="ada@example.org")
    person(container, name="Grace Hopper", email="grace@example.org")
    container.app.set_password(by=None, person_id=ada.id, password=PASSWORD)

    with pytest.raises(NotAuthenticated) as failure:
        container.app.check_login(email, password)

    assert failure.value.message == BAD_LOGIN


def test_a_changed_password_replaces_the_old_one(container: Container) -> None:
    ada = person(container)
    container.app.set_password(by=None, person_id=ada.id, password=PASSWORD)

    container.app.change_own_password(
        person_id=ada.id, current_password=PASSWORD, new_password="another long passphrase"
    )

    assert container.app.check_login(ada.email, "another long passphrase") == ada.id
    with pytest.raises(NotAuthenticated):
        container.app.check_login(ada.email, PASSWORD)


def test_changing_a_password_without_the_current_one_changes_nothing(
    container: Container,
) -> None:
    ada = person(container)
    container.app.set_password(by=None, person_id=ada.id, password=PASSWORD)
    before = head(container)

    with pytest.raises(InvalidValue) as failure:
        container.app.change_own_password(
            person_id=ada.id, current_password="a guess at it", new_password="a new passphrase"
        )

    assert failure.value.field == "current_password"
    assert head(container) == before


def test_a_weak_new_password_is_refused_naming_the_field(container: Container) -> None:
    ada = person(container)

    with pytest.raises(InvalidValue) as failure:
        container.app.set_password(by=None, person_id=ada.id, password="short")

    assert (failure.value.field, failure.value.reason) == (
        "password",
        "must be at least 12 characters long",
    )
    assert not container.app.has_password(ada.id)


def test_a_password_for_an_unknown_person_is_not_found(container: Container) -> None:
    with pytest.raises(NotFound):
        container.app.set_password(by=None, person_id=uuid4(), password=PASSWORD)
