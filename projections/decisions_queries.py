"""Reads from the decisions view: a programme's decision log, filtered and paginated, and one
decision in full with the decisions it is linked to by supersession."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from projections.decisions import (
    AMENDMENTS,
    CONSULTATIONS,
    DECISIONS,
    RESPONSES,
    SUPERSESSIONS,
)
from projections.store import Row, ViewStore
from projections.temporal import in_clause

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
        self._add_parts(items)
        return Page(items, int(total["n"]) if total else 0, limit, offset)

    def decision(self, decision_id: str) -> Row | None:
        """One decision as it is now, with its consultations (each with every response) and
        amendments in the order they were recorded; None if the view has no such decision."""
        row = self.store.fetch_one(
            f"SELECT * FROM {DECISIONS} WHERE id = %(id)s", {"id": decision_id}
        )
        if row is None:
            return None
        params = {"id": decision_id}
        row.pop("latency_seconds")
        row["latency_days"] = latency_days(row["proposed_at"], row["decided_at"])
        row["options"] = json.loads(row["options"])
        row["components"] = json.loads(row["components"])
        row["supersedes"] = self._supersedes(decision_id)
        responses = self.store.fetch_all(
            f"SELECT * FROM {RESPONSES} WHERE decision_id = %(id)s ORDER BY seq", params
        )
        row["consultations"] = [
            {
                **consultation,
                "responses": [
                    r for r in responses if r["organisation_id"] == consultation["organisation_id"]
                ],
            }
            for consultation in self.store.fetch_all(
                f"SELECT * FROM {CONSULTATIONS} WHERE decision_id = %(id)s ORDER BY seq", params
            )
        ]
        row["amendments"] = [
            {
                **amendment,
                "options": _list_or_none(amendment["options"]),
                "components": _list_or_none(amendment["components"]),
            }
            for amendment in self.store.fetch_all(
                f"SELECT * FROM {AMENDMENTS} WHERE decision_id = %(id)s ORDER BY seq", params
            )
        ]
        return row

    def lineage(self, row: Row) -> tuple[list[Row], list[Row]]:
        """What a decision superseded (transitively, nearest first) and the chain of what
        superseded it, each as a link: id, title, status, decided_at and its own links."""
        seen = {row["id"]}
        backwards: list[Row] = []
        frontier = list(row["supersedes"])
        while frontier:
            record_id = frontier.pop(0)
            if record_id in seen:
                continue
            seen.add(record_id)
            earlier = self._link(record_id)
            if earlier is not None:
                backwards.append(earlier)
                frontier.extend(earlier["supersedes"])
        forwards: list[Row] = []
        following = row["superseded_by"]
        while following is not None and following not in seen:
            seen.add(following)
            later = self._link(following)
            if later is None:
                break
            forwards.append(later)
            following = later["superseded_by"]
        return backwards, forwards

    def _link(self, decision_id: str) -> Row | None:
        row = self.store.fetch_one(
            f"SELECT id, title, status, decided_at, superseded_by FROM {DECISIONS}"
            " WHERE id = %(id)s",
            {"id": decision_id},
        )
        if row is not None:
            row["supersedes"] = self._supersedes(decision_id)
        return row

    def _supersedes(self, decision_id: str) -> list[str]:
        """The decisions this one superseded, in the order it superseded them."""
        return [
            r["old_id"]
            for r in self.store.fetch_all(
                f"SELECT old_id FROM {SUPERSESSIONS} WHERE new_id = %(id)s ORDER BY seq, old_id",
                {"id": decision_id},
            )
        ]

    def _add_parts(self, rows: list[Row]) -> None:
        """Latency, what each superseded and its consultation counts: two queries a page."""
        ids = [row["id"] for row in rows]
        if not ids:
            return
        listed, params = in_clause("_decision", ids)
        supersedes: dict[str, list[str]] = {}
        for link in self.store.fetch_all(
            f"SELECT new_id, old_id FROM {SUPERSESSIONS} WHERE new_id IN {listed}"
            " ORDER BY seq, old_id",
            params,
        ):
            supersedes.setdefault(link["new_id"], []).append(link["old_id"])
        stances: dict[str, list[str | None]] = {}
        for consultation in self.store.fetch_all(
            f"SELECT decision_id, stance FROM {CONSULTATIONS} WHERE decision_id IN {listed}",
            params,
        ):
            stances.setdefault(consultation["decision_id"], []).append(consultation["stance"])
        for row in rows:
            seconds = row.pop("latency_seconds")
            row["latency_days"] = None if seconds is None else round(seconds / SECONDS_PER_DAY, 2)
            row["supersedes"] = supersedes.get(row["id"], [])
            given = stances.get(row["id"], [])
            row["consulted"] = len(given)
            row["supporting"] = sum(1 for stance in given if stance == "support")
            row["objecting"] = sum(1 for stance in given if stance == "object")


def latency_days(proposed_at: str, decided_at: str | None) -> float | None:
    """Days from proposal to decision, by occurred times, as the decision record reckons it."""
    if decided_at is None:
        return None
    seconds = (
        datetime.fromisoformat(decided_at) - datetime.fromisoformat(proposed_at)
    ).total_seconds()
    return round(seconds / SECONDS_PER_DAY, 2)


def _list_or_none(text: str | None) -> list[str] | None:
    return None if text is None else list(json.loads(text))
