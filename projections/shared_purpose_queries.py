"""Reads from the shared-purpose view: alignment per programme, one statement and each of its
versions as the API shows them, and lookups for the use cases."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from domain.shared_purpose import NO_POSITION, Position
from projections.shared_purpose import (
    ADOPTIONS,
    PARTICIPANTS,
    POSITION_LOG,
    POSITIONS,
    PROGRAMMES,
    STATEMENTS,
    VERSIONS,
    from_json,
)
from projections.store import Row, ViewStore
from projections.temporal import in_clause

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
        self,
        *,
        aligned: bool | None,
        adopted: bool | None,
        limit: int,
        offset: int,
        within: Sequence[str] | None = None,
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
        if within is not None:
            listed, names = in_clause("_within", within)
            clauses.append(f"t.programme_id IN {listed}")
            params.update(names)
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


class StatementQueries:
    """One programme's statement, now, as its responses show it (from the view alone)."""

    def __init__(self, store: ViewStore, programme_id: str) -> None:
        self.store = store
        self.programme_id = programme_id

    def statement(self) -> Row | None:
        """The statement's own row (id, current_version, version, times); None if none."""
        return self.store.fetch_one(
            f"SELECT id, programme_id, current_version, version, created_at, updated_at "
            f"FROM {STATEMENTS} WHERE programme_id = %(p)s",
            {"p": self.programme_id},
        )

    def current(self, statement: Row) -> Row:
        """The current version with every participant's position on it, and every adoption."""
        versions = self._versions(statement["id"])
        adoptions = self._adoptions(statement["id"])
        latest = {
            row["organisation_id"]: row
            for row in self._latest_positions(statement["id"], statement["current_version"])
        }
        positions = [
            _position(organisation_id, role, latest.get(organisation_id))
            for organisation_id, role in self._roles().items()
        ]
        not_aligned = [p for p in positions if p["position"] != Position.ENDORSED.value]
        return {
            **statement,
            "current_version": _version(versions, statement["current_version"], adoptions),
            "positions": positions,
            "not_aligned": not_aligned,
            "aligned": not not_aligned,
            "version_count": len(versions),
            "adoptions": adoptions,
        }

    def versions(self, statement: Row) -> list[Row]:
        """Every numbered text, oldest first, each with when it was superseded and adopted."""
        versions = self._versions(statement["id"])
        adoptions = self._adoptions(statement["id"])
        return [_version(versions, number, adoptions) for number in range(1, len(versions) + 1)]

    def version(self, statement: Row, number: int) -> Row | None:
        """One numbered version with each organisation's latest and every position taken on
        it, and its adoption; None if the statement has no such version."""
        versions = self._versions(statement["id"])
        if not 1 <= number <= len(versions):
            return None
        adoptions = self._adoptions(statement["id"])
        roles = self._roles()

        def shown(row: Row) -> Row:
            return _position(row["organisation_id"], roles.get(row["organisation_id"]), row)

        history = self.store.fetch_all(
            f"SELECT * FROM {POSITION_LOG} WHERE statement_id = %(s)s AND version_number = %(n)s "
            "ORDER BY seq",
            {"s": statement["id"], "n": number},
        )
        return {
            "id": statement["id"],
            "programme_id": statement["programme_id"],
            "statement_version": _version(versions, number, adoptions),
            "positions": [shown(row) for row in self._latest_positions(statement["id"], number)],
            "position_history": [shown(row) for row in history],
            "adoption": next((a for a in adoptions if a["version"] == number), None),
            "version": statement["version"],
        }

    def _versions(self, statement_id: str) -> list[Row]:
        return self.store.fetch_all(
            f"SELECT * FROM {VERSIONS} WHERE statement_id = %(s)s ORDER BY number",
            {"s": statement_id},
        )

    def _latest_positions(self, statement_id: str, number: int) -> list[Row]:
        """Each organisation's latest position on a version, in the order they first took one."""
        return self.store.fetch_all(
            f"SELECT * FROM {POSITIONS} WHERE statement_id = %(s)s AND version_number = %(n)s "
            "ORDER BY seq",
            {"s": statement_id, "n": number},
        )

    def _roles(self) -> dict[str, str]:
        """The programme's participants, in the order they joined, with their roles."""
        rows = self.store.fetch_all(
            f"SELECT organisation_id, role FROM {PARTICIPANTS} WHERE programme_id = %(p)s "
            "ORDER BY seq",
            {"p": self.programme_id},
        )
        return {row["organisation_id"]: row["role"] for row in rows}

    def _adoptions(self, statement_id: str) -> list[Row]:
        rows = self.store.fetch_all(
            f"SELECT * FROM {ADOPTIONS} WHERE statement_id = %(s)s ORDER BY seq",
            {"s": statement_id},
        )
        return [
            {
                "version": row["version_number"],
                "rationale": row["rationale"],
                "over_disputes": bool(row["over_disputes"]),
                "endorsed_by": from_json(row["endorsed_by"]),
                "disputed_by": from_json(row["disputed_by"]),
                "adopted_by": row["adopted_by"],
                "occurred_at": row["occurred_at"],
                "recorded_at": row["recorded_at"],
            }
            for row in rows
        ]


def _version(versions: list[Row], number: int, adoptions: list[Row]) -> Row:
    """One numbered text; superseded when the next one was recorded."""
    row = versions[number - 1]
    return {
        "number": number,
        "text": row["text"],
        "drafted_by": row["drafted_by"],
        "occurred_at": row["occurred_at"],
        "recorded_at": row["recorded_at"],
        "superseded_at": versions[number]["recorded_at"] if number < len(versions) else None,
        "current": number == len(versions),
        "adopted": any(adoption["version"] == number for adoption in adoptions),
    }


def _position(organisation_id: str, role: str | None, row: Row | None) -> Row:
    """An organisation's position as shown: ``none`` (and nulls) if it has taken none."""
    taken = row or {}
    return {
        "organisation_id": organisation_id,
        "role": role,
        "position": taken.get("position", NO_POSITION),
        "reason": taken.get("reason"),
        "person_id": taken.get("person_id"),
        "carried_from": taken.get("carried_from"),
        "occurred_at": taken.get("occurred_at"),
        "recorded_at": taken.get("recorded_at"),
    }


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
