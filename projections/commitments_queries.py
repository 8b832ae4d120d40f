"""Reads from the commitments view. "Today" is always passed in: overdue is never stored."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from domain.commitment import OPEN_STATUSES
from projections.commitments import (
    CARRIED_OVER,
    COMMITMENTS,
    DUE_DATES,
    HISTORY_TABLES,
    PROGRESS,
    STATUSES,
)
from projections.store import Row, ViewStore
from projections.temporal import in_clause

#: The statuses of a commitment still to be delivered.
OPEN = tuple(sorted(status.value for status in OPEN_STATUSES))
_OPEN_SQL = "status IN ({})".format(", ".join(f"'{status}'" for status in OPEN))
#: Open and due before today: the one definition of overdue, in SQL.
OVERDUE_SQL = f"({_OPEN_SQL} AND due_date < %(_today)s)"
#: The open commitments an organisation (``%(o)s``) makes or receives, for merging.
OPEN_COMMITMENTS_OF_SQL = (
    f"SELECT id FROM {COMMITMENTS}"
    f" WHERE (provider_id = %(o)s OR commissioner_id = %(o)s) AND {_OPEN_SQL} ORDER BY id"
)


@dataclass(frozen=True)
class Page:
    items: list[Row]
    total: int
    limit: int
    offset: int


@dataclass(frozen=True)
class CommitmentFilter:
    provider_id: str | None = None
    commissioner_id: str | None = None
    programme_id: str | None = None
    status: str | None = None
    #: True: only overdue ones; False: only those not overdue.
    overdue: bool | None = None
    #: Only open ones due from today up to this many days ahead (not those already overdue).
    due_within_days: int | None = None
    #: What the reader may see: commitments in these programmes, or to which this
    #: organisation is a side. None: everything (an administrator).
    within: tuple[str, ...] | None = None
    sides_of: str | None = None


class CommitmentQueries:
    def __init__(self, store: ViewStore) -> None:
        self.store = store

    def list_commitments(
        self, where: CommitmentFilter, *, today: date, limit: int, offset: int
    ) -> Page:
        """Commitments by due date, soonest first, each with ``overdue`` as of ``today``."""
        clauses: list[str] = []
        params: dict[str, Any] = {"_today": today.isoformat()}
        for column in ("provider_id", "commissioner_id", "programme_id", "status"):
            value = getattr(where, column)
            if value is not None:
                clauses.append(f"{column} = %({column})s")
                params[column] = value
        if where.overdue is True:
            clauses.append(OVERDUE_SQL)
        elif where.overdue is False:
            clauses.append(f"NOT {OVERDUE_SQL}")
        if where.within is not None:
            listed, names = in_clause("_within", where.within)
            clauses.append(
                f"(programme_id IN {listed} OR provider_id = %(_side)s"
                " OR commissioner_id = %(_side)s)"
            )
            params.update(names)
            params["_side"] = where.sides_of or ""
        if where.due_within_days is not None:
            clauses.append(f"{_OPEN_SQL} AND due_date >= %(_today)s AND due_date <= %(_until)s")
            params["_until"] = (today + timedelta(days=where.due_within_days)).isoformat()
        condition = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        total = self.store.fetch_one(f"SELECT COUNT(*) AS n FROM {COMMITMENTS} {condition}", params)
        items = self.store.fetch_all(
            f"SELECT *, CASE WHEN {OVERDUE_SQL} THEN 1 ELSE 0 END AS overdue"
            f" FROM {COMMITMENTS} {condition} ORDER BY due_date, id"
            " LIMIT %(_limit)s OFFSET %(_offset)s",
            {**params, "_limit": limit, "_offset": offset},
        )
        return Page(
            [_shaped(row, today) for row in items], int(total["n"]) if total else 0, limit, offset
        )

    def commitment(self, commitment_id: str, *, today: date) -> Row | None:
        row = self.store.fetch_one(
            f"SELECT *, CASE WHEN {OVERDUE_SQL} THEN 1 ELSE 0 END AS overdue"
            f" FROM {COMMITMENTS} WHERE id = %(id)s",
            {"id": commitment_id, "_today": today.isoformat()},
        )
        return _shaped(row, today) if row is not None else None

    def history(self, commitment_id: str) -> dict[str, list[Row]]:
        """A commitment's due dates, progress, statuses and carry-overs, oldest first, keyed
        as the commitment's response names them."""
        names = {
            DUE_DATES: "due_dates",
            PROGRESS: "progress",
            STATUSES: "statuses",
            CARRIED_OVER: "carried_over",
        }
        return {
            names[table]: [
                _flagged(row)
                for row in self.store.fetch_all(
                    f"SELECT * FROM {table} WHERE commitment_id = %(id)s ORDER BY version",
                    {"id": commitment_id},
                )
            ]
            for table in HISTORY_TABLES
        }


def _flagged(row: Row) -> Row:
    """SQLite keeps booleans as 0 and 1; the response wants true and false."""
    if "confidential" in row:
        row["confidential"] = bool(row["confidential"])
    return row


def _shaped(row: Row, today: date) -> Row:
    """Booleans as booleans on both databases; how late an overdue one is, in days."""
    row["overdue"] = bool(row["overdue"])
    row["open"] = row["status"] in OPEN
    row["status_note_confidential"] = bool(row["status_note_confidential"])
    if row["delivered_on_time"] is not None:
        row["delivered_on_time"] = bool(row["delivered_on_time"])
    row["days_overdue"] = (
        (today - date.fromisoformat(row["due_date"])).days if row["overdue"] else None
    )
    return row
