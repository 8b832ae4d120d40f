"""Login credentials: the password a person signs in to the browser pages with.

The aggregate holds only a slow salted hash, made outside the domain (services/passwords.py);
the password itself is never recorded. One credential per person, its id derived from theirs.
"""

from __future__ import annotations

import unicodedata
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import event

from domain.base import LedgerAggregate
from domain.errors import InvalidValue

PASSWORD_MIN = 12
# Long enough for any passphrase or manager-generated password; short enough that hashing
# an attacker's megabyte "password" costs nothing extra.
PASSWORD_MAX = 128


def credential_id_for(person_id: UUID) -> UUID:
    return uuid5(NAMESPACE_URL, f"changeledger:login-credential:{person_id}")


def normalise_password(password: str) -> str:
    """The same password typed on any keyboard or input method hashes the same (NFKC)."""
    return unicodedata.normalize("NFKC", password)


def check_new_password(field: str, password: str, email: str) -> str:
    """The password as it will be hashed (NFKC-normalised), if it meets the policy.

    Length is what makes a password hard to guess (NIST SP 800-63B), so there are no
    composition rules; a password that is the person's email address is refused.
    """
    normalised = normalise_password(password)
    if any(unicodedata.category(c) == "Cc" for c in normalised):
        raise InvalidValue(field, "must not contain control characters")
    if len(normalised) < PASSWORD_MIN:
        raise InvalidValue(field, f"must be at least {PASSWORD_MIN} characters long")
    if len(normalised) > PASSWORD_MAX:
        raise InvalidValue(field, f"must be at most {PASSWORD_MAX} characters long")
    if len(set(normalised)) < 4:
        raise InvalidValue(field, "must not repeat so few different characters")
    local_part = email.split("@", 1)[0].lower()
    if email.lower() in normalised.lower() or (
        len(local_part) >= 4 and normalised.lower().startswith(local_part)
    ):
        raise InvalidValue(field, "must not be built from your email address")
    return normalised


class LoginCredential(LedgerAggregate):
    RECORD_KIND = "login credential"

    @staticmethod
    def create_id(person_id: UUID) -> UUID:
        return credential_id_for(person_id)

    @event("PasswordSet")
    def __init__(self, person_id: UUID, password_hash: str) -> None:
        self.person_id = person_id
        self.password_hash = password_hash

    def change(self, password_hash: str) -> None:
        self._changed(password_hash=password_hash)

    @event("PasswordChanged")
    def _changed(self, password_hash: str) -> None:
        self.password_hash = password_hash
