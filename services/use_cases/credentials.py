"""Use cases for login credentials: set a password, change one's own, check a login."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from domain.actor import acting_as
from domain.credential import (
    LoginCredential,
    check_new_password,
    credential_id_for,
    normalise_password,
)
from domain.errors import InvalidValue, NotAuthenticated, NotFound
from domain.person import Person
from services.passwords import hash_password, spend_a_verification, verify_password
from services.use_cases.base import LedgerBase

#: One message for an unknown email and a wrong password: no telling which emails exist.
BAD_LOGIN = "the email or password is wrong"


class CredentialUseCases(LedgerBase):
    if TYPE_CHECKING:  # provided by DirectoryUseCases, beside this mixin in Changeledger

        def person_id_by_email(self, email: str) -> UUID: ...

    def set_password(self, *, by: UUID | None, person_id: UUID, password: str) -> LoginCredential:
        """Give a person a password, or replace theirs (an operator at the CLI)."""
        person = self._load(Person, person_id)
        person.check_not_erased()  # an erased person signs in no more (ADR 10)
        new_hash = hash_password(check_new_password("password", password, person.email or ""))
        return self._record_password(by, person_id, new_hash)

    def change_own_password(
        self, *, person_id: UUID, current_password: str, new_password: str
    ) -> LoginCredential:
        """A person replaces their own password, proving they know the current one."""
        person = self._load(Person, person_id)
        credential = self._credential(person_id)
        if credential is None:
            spend_a_verification(current_password)
            raise InvalidValue("current_password", "you have no password yet; ask an operator")
        if not verify_password(credential.password_hash, normalise_password(current_password)):
            raise InvalidValue("current_password", "is not your current password")
        new_hash = hash_password(
            check_new_password("new_password", new_password, person.email or "")
        )
        return self._record_password(person_id, person_id, new_hash)

    def check_session_holder(self, person_id: UUID) -> UUID:
        """The person a browser session stands for, while they may still act: an erased
        person's sessions end with their erasure (ADR 10)."""
        found: Any
        try:
            found = self.repository.get(person_id)
        except AggregateNotFoundError:
            found = None
        if not isinstance(found, Person) or found.erased:
            raise NotAuthenticated("your session has ended; sign in again at /login")
        return person_id

    def check_login(self, email: str, password: str) -> UUID:
        """The person whose email and password these are; NotAuthenticated otherwise.

        Unknown emails, people without a password and wrong passwords all cost one argon2
        verification and fail with the same message.
        """
        try:
            person_id = self.person_id_by_email(email)
        except NotFound:
            person_id = None
        credential = self._credential(person_id) if person_id is not None else None
        if credential is None:
            spend_a_verification(password)
            raise NotAuthenticated(BAD_LOGIN)
        if not verify_password(credential.password_hash, normalise_password(password)):
            raise NotAuthenticated(BAD_LOGIN)
        return credential.person_id

    def has_password(self, person_id: UUID) -> bool:
        return self._credential(person_id) is not None

    def _credential(self, person_id: UUID) -> LoginCredential | None:
        found: Any
        try:
            found = self.repository.get(credential_id_for(person_id))
        except AggregateNotFoundError:
            return None
        return found if isinstance(found, LoginCredential) else None

    def _record_password(
        self, by: UUID | None, person_id: UUID, password_hash: str
    ) -> LoginCredential:
        credential = self._credential(person_id)
        with acting_as(by):
            if credential is None:
                credential = LoginCredential(person_id=person_id, password_hash=password_hash)
            else:
                credential.change(password_hash)
        self._save(credential)
        return credential
