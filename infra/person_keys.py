"""One encryption key per person, beside the event log, in the same database (ADR 10).

Erasing a person clears their key; nothing in the log is rewritten. ``number`` is a small
integer given to each person once, so an erased person can still be told apart from others
("erased person #N") without anything that identifies them.

No process caches a key: every decryption reads the row, so the moment a key is cleared no
process can decrypt that person's data again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from eventsourcing.postgres import PostgresDatastore
from eventsourcing.sqlite import SQLiteDatastore

from infra.request_memo import forget, recall

#: Named literally in the statements below, which take no identifiers from outside.
TABLE = "changeledger_person_keys"

_NAMED = re.compile(r"%\((\w+)\)s")

_CREATE_SQLITE = f"""CREATE TABLE IF NOT EXISTS {TABLE} (
    number INTEGER PRIMARY KEY AUTOINCREMENT,
    person_id TEXT NOT NULL UNIQUE,
    key BLOB,
    created_at TEXT NOT NULL,
    erased_at TEXT)"""

_CREATE_POSTGRES = f"""CREATE TABLE IF NOT EXISTS {TABLE} (
    number BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_id TEXT NOT NULL UNIQUE,
    key BYTEA,
    created_at TEXT NOT NULL,
    erased_at TEXT)"""


@dataclass(frozen=True)
class PersonKey:
    person_id: UUID
    number: int
    #: None once the person has been erased: their personal data can never be read again.
    key: bytes | None

    @property
    def erased(self) -> bool:
        return self.key is None


class PersonKeys:
    """The key table, read and written through the application's own datastore."""

    def __init__(self, datastore: SQLiteDatastore | PostgresDatastore) -> None:
        self.datastore = datastore
        self._postgres = isinstance(datastore, PostgresDatastore)

    def create_table(self) -> None:
        self._run(_CREATE_POSTGRES if self._postgres else _CREATE_SQLITE, {}, commit=True)

    def get(self, person_id: UUID) -> PersonKey | None:
        return recall(("person key", person_id), lambda: self._read(person_id))

    def _read(self, person_id: UUID) -> PersonKey | None:
        rows = self._run(
            "SELECT number, key FROM changeledger_person_keys WHERE person_id = %(p)s",
            {"p": str(person_id)},
            commit=False,
        )
        if not rows:
            return None
        key = rows[0]["key"]
        return PersonKey(person_id, int(rows[0]["number"]), bytes(key) if key else None)

    def ensure(self, person_id: UUID) -> PersonKey:
        """The person's key, made on first use. Two processes making it at once get one key."""
        found = self.get(person_id)
        if found is not None:
            return found
        self._run(
            """INSERT INTO changeledger_person_keys (person_id, key, created_at)
                VALUES (%(p)s, %(k)s, %(t)s) ON CONFLICT (person_id) DO NOTHING""",
            {"p": str(person_id), "k": AESGCM.generate_key(bit_length=256), "t": _now()},
            commit=True,
        )
        _forget_key(person_id)
        made = self.get(person_id)
        assert made is not None
        return made

    def destroy(self, person_id: UUID) -> PersonKey:
        """Clear the person's key for good; harmless to repeat.

        A person with no key row yet (registered before keys existed) gets one without a key,
        so they still have a number and every later read treats them as erased.
        """
        self._run(
            """INSERT INTO changeledger_person_keys (person_id, key, created_at, erased_at)
                VALUES (%(p)s, NULL, %(t)s, %(t)s)
                ON CONFLICT (person_id) DO UPDATE
                SET key = NULL, erased_at = COALESCE(changeledger_person_keys.erased_at, %(t)s)""",
            {"p": str(person_id), "t": _now()},
            commit=True,
        )
        _forget_key(person_id)
        found = self.get(person_id)
        assert found is not None
        assert found.erased
        return found

    def _run(self, sql: str, params: dict[str, Any], *, commit: bool) -> list[dict[str, Any]]:
        """Run one statement in its own transaction; rows only for a read."""
        if not self._postgres:
            sql = _NAMED.sub(r":\1", sql)
        with self.datastore.transaction(commit=commit) as cursor:
            cursor.execute(sql, params)
            return [] if commit else [dict(row) for row in cursor.fetchall()]


def _forget_key(person_id: UUID) -> None:
    forget(lambda key: key == ("person key", person_id))


def _now() -> str:
    return datetime.now(UTC).isoformat()
