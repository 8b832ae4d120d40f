"""Reads from the shared-purpose view: alignment per programme, and lookups for the use cases."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from projections.shared_purpose import PARTICIPANTS, POSITIONS, PROGRAMMES, STATEMENTS
from projections.store import Row, ViewStore

#: Statements of programmes an organisation takes part in where it holds a position on the
#: current version: what a merger carries over to its successor.
STATEMENTS_WITH_CURRENT_POSITION_OF = f"""
    SELECT s.id AS statement_id FROM {STATEMENTS} s
    JOIN {POSITIONS} x ON x.statement_id = s.id AND x.version_number = s.current_version
    JOIN {PARTICIPANTS} p ON p.programme_id = s.programme_id
        AND p.organisation_id = x.organisation_id
    WHERE x.organisation_id = %(o)s
    ORDER BY s.id"""

# Per statement: how many participants there are, and how many endorse or dispute the
# current text. Positions of organisations that no longer participate are not counted.
_COUNTED_POSITIONS = f"""
    (SELECT COUNT(*) FROM {PARTICIPANTS} p JOIN {POSITIONS} x
        ON x.organisation_id = p.organisation_id AND x.statement_id = s.id
        AND x.version_number = s.current_version
     WHERE p.programme_id = s.programme_id AND x.position = '{{position}}')"""

_SUMMARIES = f"""
    SELECT s.id, s.programme_id, COALESCE(g.title, '') AS programme_title, s.current_version,
        s.adopted_version, s.current_adopted AS adopted, s.version, s.created_at, s.updated_at,
        (SELECT COUNT(*) FROM {PARTICIPANTS} p WHERE p.programme_id = s.programme_id)
            AS participants,
        {_COUNTED_POSITIONS.format(position="endorsed")} AS endorsed,
        {_COUNTED_POSITIONS.format(position="disputed")} AS disputed
    FROM {STATEMENTS} s LEFT JOIN {PROGRAMMES} g ON g.id = s.programme_id"""


@dataclass(frozen=True)
class Page:
    items: list[Row]
    total: int
    limit: int
    offset: int


class SharedPurposeQueries:
    def __init__(self, store: ViewStore) -> None:
        self.store = store

    def list_statements(
        self, *, aligned: bool | None, adopted: bool | None, limit: int, offset: int
    ) -> Page:
        """Each programme's statement with counts of positions on its current version,
        ordered by programme title. ``aligned``: every participant endorses the current text.
        """
        clauses: list[str] = []
        params: dict[str, Any] = {}
        if aligned is True:
            clauses.append("t.endorsed = t.participants")
        elif aligned is False:
            clauses.append("t.endorsed < t.participants")
        if adopted is not None:
            clauses.append("t.adopted = %(adopted)s")
            params["adopted"] = adopted
        condition = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        source = f"({_SUMMARIES}) t {condition}"
        total = self.store.fetch_one(f"SELECT COUNT(*) AS n FROM {source}", params)
        rows = self.store.fetch_all(
            f"SELECT t.* FROM {source} ORDER BY t.programme_title, t.id "
            "LIMIT %(_limit)s OFFSET %(_offset)s",
            {**params, "_limit": limit, "_offset": offset},
        )
        items = [_summary(row) for row in rows]
        return Page(items, int(total["n"]) if total else 0, limit, offset)

    def statement(self, statement_id: str) -> Row | None:
        row = self.store.fetch_one(
            f"SELECT t.* FROM ({_SUMMARIES}) t WHERE t.id = %(id)s", {"id": statement_id}
        )
        return _summary(row) if row is not None else None


def _summary(row: Row) -> Row:
    participants = int(row["participants"])
    endorsed = int(row["endorsed"])
    disputed = int(row["disputed"])
    return {
        **row,
        "participants": participants,
        "endorsed": endorsed,
        "disputed": disputed,
        "none": participants - endorsed - disputed,
        "aligned": endorsed == participants,
        "adopted": bool(row["adopted"]),
    }
