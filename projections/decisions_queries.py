"""Reads from the decisions view: a programme's decision log, filtered and paginated."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from projections.decisions import CONSULTATIONS, DECISIONS, SUPERSESSIONS
from projections.store import Row, ViewStore

SECONDS_PER_DAY = 86400

#: Decisions still proposed or decided on which an organisation (``o``) was consulted.
OPEN_DECISIONS_CONSULTING = (
    f"SELECT c.decision_id FROM {CONSULTATIONS} c JOIN {DECISIONS} d"
    " ON d.id = c.decision_id WHERE c.organisation_id = %(o)s"
    " AND d.status IN (%(proposed)s, %(decided)s) ORDER BY c.decision_id"
)


@dataclass(frozen=True)
class Page:
    items: list[Row]
    total: int
    limit: int
    offset: int


class DecisionQueries:
    def __init__(self, store: ViewStore) -> None:
        self.store = store

    def list_decisions(
        self,
        *,
        programme_id: str,
        workstream_id: str | None,
        status: str | None,
        limit: int,
        offset: int,
    ) -> Page:
        """A programme's decisions in the order they were proposed (occurred time)."""
        where: dict[str, Any] = {"programme_id": programme_id}
        if workstream_id is not None:
            where["workstream_id"] = workstream_id
        if status is not None:
            where["status"] = status
        condition = " AND ".join(f"{column} = %({column})s" for column in where)
        total = self.store.fetch_one(
            f"SELECT COUNT(*) AS n FROM {DECISIONS} WHERE {condition}", where
        )
        items = self.store.fetch_all(
            f"SELECT * FROM {DECISIONS} WHERE {condition} ORDER BY proposed_at, id "
            "LIMIT %(_limit)s OFFSET %(_offset)s",
            {**where, "_limit": limit, "_offset": offset},
        )
        for row in items:
            self._add_parts(row)
        return Page(items, int(total["n"]) if total else 0, limit, offset)

    def _add_parts(self, row: Row) -> None:
        seconds = row.pop("latency_seconds")
        row["latency_days"] = None if seconds is None else round(seconds / SECONDS_PER_DAY, 2)
        row["supersedes"] = [
            r["old_id"]
            for r in self.store.fetch_all(
                f"SELECT old_id FROM {SUPERSESSIONS} WHERE new_id = %(id)s ORDER BY old_id",
                {"id": row["id"]},
            )
        ]
        stances = self.store.fetch_all(
            f"SELECT stance FROM {CONSULTATIONS} WHERE decision_id = %(id)s", {"id": row["id"]}
        )
        row["consulted"] = len(stances)
        row["supporting"] = sum(1 for r in stances if r["stance"] == "support")
        row["objecting"] = sum(1 for r in stances if r["stance"] == "object")
