"""Versioned view rows, so that every report can be read as of a past recorded time.

A versioned table keeps every version of a row, each with the recorded time it became true
(``valid_from``) and the one it stopped being true (``valid_to``, NULL while current). Both are
the fixed-width UTC text of ``projections.timefmt.iso``, so they compare as text.

- Reading now costs what an ordinary table costs: current rows are ``valid_to IS NULL``, with a
  partial index per table.
- Reading as of a recorded time T picks the version that was current then:
  ``valid_from <= T AND (valid_to IS NULL OR valid_to > T)``. The cost does not grow with
  the log: only with how often the rows a report reads have changed.

Projections write through ``VersionedTable``; reports read through ``Moment`` (see
``Moment.table``), so one query text answers both "now" and "as of".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from projections.store import Row, ViewTransaction
from projections.timefmt import iso


@dataclass(frozen=True)
class VersionedTable:
    """A table of row versions, identified by ``key`` columns."""

    name: str
    key: tuple[str, ...]
    #: Column definitions besides the key and the validity columns, e.g. "title TEXT NOT NULL".
    columns: tuple[str, ...]
    #: Extra indexes as column lists, e.g. ("programme_id",); each also serves as-of reads.
    indexes: tuple[tuple[str, ...], ...] = ()

    def create_statements(self) -> list[str]:
        key_columns = ", ".join(f"{column} TEXT NOT NULL" for column in self.key)
        others = "".join(f", {column}" for column in self.columns)
        keys = ", ".join(self.key)
        statements = [
            f"""CREATE TABLE IF NOT EXISTS {self.name} ({key_columns}{others},
                valid_from TEXT NOT NULL, valid_to TEXT, PRIMARY KEY ({keys}, valid_from))""",
            f"""CREATE UNIQUE INDEX IF NOT EXISTS {self.name}_current ON {self.name} ({keys})
                WHERE valid_to IS NULL""",
        ]
        for columns in self.indexes:
            joined = ", ".join(columns)
            suffix = "_".join(columns)
            statements.append(
                f"CREATE INDEX IF NOT EXISTS {self.name}_{suffix} "
                f"ON {self.name} ({joined}, valid_from)"
            )
        return statements

    # Writing (inside a projection's transaction)

    def insert(self, tx: ViewTransaction, row: Mapping[str, Any], at: str) -> None:
        """A new row, current from ``at``. A current row with the same key is replaced."""
        if self.current(tx, row) is not None:
            self.update(tx, row, row, at)
            return
        columns = [*row.keys(), "valid_from"]
        tx.execute(
            f"INSERT INTO {self.name} ({', '.join(columns)}) "
            f"VALUES ({', '.join(f'%({c})s' for c in columns)})",
            {**row, "valid_from": at},
        )

    def current(self, tx: ViewTransaction, key: Mapping[str, Any]) -> Row | None:
        rows = tx.fetch_all(
            f"SELECT * FROM {self.name} WHERE {self._key_clause()} AND valid_to IS NULL",
            self._key_params(key),
        )
        return rows[0] if rows else None

    def update(
        self, tx: ViewTransaction, key: Mapping[str, Any], changes: Mapping[str, Any], at: str
    ) -> Row | None:
        """Close the current version at ``at`` and open one with ``changes``.

        Returns the new version, or None when there is no current row (nothing changes).
        Several changes at the same recorded time collapse into one version.
        """
        current = self.current(tx, key)
        if current is None:
            return None
        # Events of different records can carry slightly out-of-order timestamps; a version
        # never ends before it began.
        at = max(at, current["valid_from"])
        new = {**current, **changes, "valid_from": at, "valid_to": None}
        if at == current["valid_from"]:
            assignments = ", ".join(f"{column} = %({column})s" for column in changes)
            if assignments:
                tx.execute(
                    f"UPDATE {self.name} SET {assignments} "
                    f"WHERE {self._key_clause()} AND valid_to IS NULL",
                    {**changes, **self._key_params(current)},
                )
            return new
        self._close(tx, current, at)
        columns = list(new.keys())
        tx.execute(
            f"INSERT INTO {self.name} ({', '.join(columns)}) "
            f"VALUES ({', '.join(f'%({c})s' for c in columns)})",
            new,
        )
        return new

    def end(self, tx: ViewTransaction, key: Mapping[str, Any], at: str) -> None:
        """The row stops being current at ``at`` (a removal); its history stays."""
        current = self.current(tx, key)
        if current is not None:
            self._close(tx, current, max(at, current["valid_from"]))

    def _close(self, tx: ViewTransaction, current: Row, at: str) -> None:
        """End the ``current`` version at ``at`` (already no earlier than it began)."""
        if at == current["valid_from"]:
            # Added and removed at the same instant: it was never visible.
            tx.execute(
                f"DELETE FROM {self.name} WHERE {self._key_clause()} AND valid_to IS NULL",
                self._key_params(current),
            )
            return
        tx.execute(
            f"UPDATE {self.name} SET valid_to = %(_valid_to)s "
            f"WHERE {self._key_clause()} AND valid_to IS NULL",
            {**self._key_params(current), "_valid_to": at},
        )

    def _key_clause(self) -> str:
        return " AND ".join(f"{column} = %(_key_{column})s" for column in self.key)

    def _key_params(self, row: Mapping[str, Any]) -> dict[str, Any]:
        return {f"_key_{column}": str(row[column]) for column in self.key}


def recorded_at(event: Any) -> str:
    """The event's recorded time, as versioned tables store it."""
    text = iso(event.timestamp)
    assert text is not None
    return text


class Moment:
    """When a report reads the views: now, or as of a past recorded time.

    ``table(NAME)`` gives a FROM-clause fragment with the rows current at that moment, under
    the table's own name, so a query reads ``FROM {moment.table(T)} WHERE ...`` either way.
    Add ``moment.params`` to the query's parameters.
    """

    def __init__(self, as_of: datetime | None = None, *, now: datetime | None = None) -> None:
        self.as_of = as_of.astimezone(UTC) if as_of is not None else None
        self._now = now

    @property
    def at(self) -> datetime:
        """The moment itself: the as-of time, or now."""
        if self.as_of is not None:
            return self.as_of
        return self._now if self._now is not None else datetime.now(UTC)

    @property
    def today(self) -> date:
        """The date overdue, stale and due-soon are judged on."""
        return self.at.date()

    @property
    def params(self) -> dict[str, Any]:
        return {"_at": iso(self.as_of)} if self.as_of is not None else {}

    def table(self, name: str, alias: str | None = None) -> str:
        alias = alias or name
        if self.as_of is None:
            return f"(SELECT * FROM {name} WHERE valid_to IS NULL) AS {alias}"
        return (
            f"(SELECT * FROM {name} WHERE valid_from <= %(_at)s"
            f" AND (valid_to IS NULL OR valid_to > %(_at)s)) AS {alias}"
        )

    def appended(self, name: str, alias: str | None = None, column: str = "recorded_at") -> str:
        """For append-only tables with a recorded-time column: the rows recorded by then."""
        alias = alias or name
        if self.as_of is None:
            return f"{name} AS {alias}"
        return f"(SELECT * FROM {name} WHERE {column} <= %(_at)s) AS {alias}"


def in_clause(prefix: str, values: Sequence[str]) -> tuple[str, dict[str, str]]:
    """``IN (...)`` with one named parameter per value (both databases accept it)."""
    names = {f"{prefix}{index}": value for index, value in enumerate(values)}
    if not names:
        return "(NULL)", {}
    return "(" + ", ".join(f"%({name})s" for name in names) + ")", names
