"""Password hashing: argon2id through argon2-cffi.

Argon2id is memory-hard (each guess costs 64 MiB as well as time), which makes guessing on
graphics cards far dearer than with a fast or CPU-only hash; its encoded hash carries its own
salt and parameters, so they can be raised later without a migration.
"""

from __future__ import annotations

import threading

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

# RFC 9106's second recommended option (argon2id, t=3, 64 MiB, 4 lanes): argon2-cffi's default.
_hasher = PasswordHasher()
_dummy_lock = threading.Lock()
_dummy_hash: str | None = None


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def spend_a_verification(password: str) -> None:
    """Verify against a hash nobody holds, so an unknown email costs what a wrong password
    costs and response times do not tell which emails have accounts."""
    global _dummy_hash
    with _dummy_lock:
        if _dummy_hash is None:
            _dummy_hash = _hasher.hash("not anybody's password, only a timing match")
    verify_password(_dummy_hash, password)
