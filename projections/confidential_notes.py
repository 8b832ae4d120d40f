"""View: organisation-confidential notes, one row per note, for their owners' lists.

This is the only view that stores a confidential note's title or text. Every read of it goes
through the confidential-note use cases, which admit current members of the owning
organisation only (services/use_cases/confidential_notes.py); nothing else queries it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from projections.directory_queries import Page
from projections.projection import EventHandlers, Projection
from projections.store import Row, ViewStore, ViewTransaction
from projections.timefmt import iso

NOTES = "cfn_notes"


class ConfidentialNoteProjection(Projection):
    name = "confidential_notes"
    tables = (NOTES,)
    handlers = EventHandlers()

    def create_statements(self) -> Sequence[str]:
        return [
            f"""CREATE TABLE IF NOT EXISTS {NOTES} (
                id TEXT PRIMARY KEY, owner_organisation_id TEXT NOT NULL,
                subject_kind TEXT NOT NULL, subject_id TEXT NOT NULL, programme_id TEXT,
                title TEXT NOT NULL, text TEXT NOT NULL, status TEXT NOT NULL,
                withdrawn_reason TEXT, written_by TEXT, updated_by TEXT,
                version INTEGER NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL)""",
            f"""CREATE INDEX IF NOT EXISTS {NOTES}_owner
                ON {NOTES} (owner_organisation_id, created_at, id)""",
            f"""CREATE INDEX IF NOT EXISTS {NOTES}_subject
                ON {NOTES} (owner_organisation_id, subject_id)""",
        ]

    @handlers.on("ConfidentialNote.Written")
    def on_written(self, tx: ViewTransaction, event: Any, position: int) -> None:
        tx.execute(
            f"""INSERT INTO {NOTES} (id, owner_organisation_id, subject_kind, subject_id,
                 programme_id, title, text, status, withdrawn_reason, written_by, updated_by,
                 version, created_at, updated_at)
                VALUES (%(id)s, %(owner)s, %(kind)s, %(subject)s, %(programme)s, %(title)s,
                 %(text)s, 'current', NULL, %(actor)s, %(actor)s, %(v)s, %(t)s, %(t)s)""",
            {
                "id": str(event.originator_id),
                "owner": str(event.owner_organisation_id),
                "kind": event.subject_kind,
                "subject": str(event.subject_id),
                "programme": _text(event.programme_id),
                "title": event.title,
                "text": event.text,
                "actor": _text(event.actor_id),
                "v": event.originator_version,
                "t": iso(event.timestamp),
            },
        )

    @handlers.on("ConfidentialNote.Revised")
    def on_revised(self, tx: ViewTransaction, event: Any, position: int) -> None:
        _touch(tx, event, title=event.title, text=event.text)

    @handlers.on("ConfidentialNote.Withdrawn")
    def on_withdrawn(self, tx: ViewTransaction, event: Any, position: int) -> None:
        _touch(tx, event, status="withdrawn", withdrawn_reason=event.reason)


def _touch(tx: ViewTransaction, event: Any, **changes: Any) -> None:
    assignments = "".join(f"{column} = %({column})s, " for column in changes)
    tx.execute(
        f"UPDATE {NOTES} SET {assignments}updated_by = %(_actor)s, version = %(_v)s,"
        " updated_at = %(_t)s WHERE id = %(_id)s",
        {
            **changes,
            "_actor": _text(event.actor_id),
            "_v": event.originator_version,
            "_t": iso(event.timestamp),
            "_id": str(event.originator_id),
        },
    )


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


@dataclass(frozen=True)
class NoteFilter:
    owner_organisation_id: str
    subject_kind: str | None = None
    subject_id: str | None = None
    #: False: only notes that still stand.
    include_withdrawn: bool = False


class ConfidentialNoteQueries:
    def __init__(self, store: ViewStore) -> None:
        self.store = store

    def note(self, note_id: str) -> Row | None:
        return self.store.fetch_one(f"SELECT * FROM {NOTES} WHERE id = %(id)s", {"id": note_id})

    def list_notes(self, where: NoteFilter, *, limit: int, offset: int) -> Page:
        """An organisation's notes, oldest first."""
        clauses = ["owner_organisation_id = %(owner)s"]
        params: dict[str, Any] = {"owner": where.owner_organisation_id}
        for column in ("subject_kind", "subject_id"):
            value = getattr(where, column)
            if value is not None:
                clauses.append(f"{column} = %({column})s")
                params[column] = value
        if not where.include_withdrawn:
            clauses.append("status = 'current'")
        condition = " AND ".join(clauses)
        total = self.store.fetch_one(f"SELECT COUNT(*) AS n FROM {NOTES} WHERE {condition}", params)
        items = self.store.fetch_all(
            f"SELECT * FROM {NOTES} WHERE {condition} ORDER BY created_at, id"
            " LIMIT %(_limit)s OFFSET %(_offset)s",
            {**params, "_limit": limit, "_offset": offset},
        )
        return Page(items, int(total["n"]) if total else 0, limit, offset)


#: The projections this module defines; infra.bootstrap runs them all.
PROJECTIONS: list[Projection] = [ConfidentialNoteProjection()]
