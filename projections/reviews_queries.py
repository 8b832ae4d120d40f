"""Reads from the reviews view: frameworks, programmes' reviews, latest rating per component."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from projections.directory_queries import Page
from projections.reviews import (
    ACTIONS,
    FRAMEWORK_COMPONENTS,
    FRAMEWORKS,
    PROGRAMME_LABELS,
    PROGRAMME_SETTINGS,
    RATINGS,
    REVIEWERS,
    REVIEWS,
    from_json,
)
from projections.store import Row, ViewStore

#: Reviews holding open actions a person owns (parameter ``o``: the person's id).
REVIEWS_WITH_OPEN_ACTIONS_OF = (
    f"SELECT DISTINCT review_id FROM {ACTIONS} "
    "WHERE owner_id = %(o)s AND completed = FALSE ORDER BY review_id"
)


def _in(prefix: str, values: Sequence[str]) -> tuple[str, dict[str, Any]]:
    """An IN list with one named placeholder per value (portable across both databases)."""
    params = {f"{prefix}{i}": value for i, value in enumerate(values)}
    return ", ".join(f"%({name})s" for name in params), params


def _action(row: Row) -> Row:
    return {
        "index": row["action_index"],
        "description": row["description"],
        "owner_id": row["owner_id"],
        "due_on": row["due_on"],
        "completed": bool(row["completed"]),
        "completed_on": row["completed_on"],
        "completion_note": row["completion_note"],
        "owner_left_organisation_id": row["owner_left_organisation_id"],
    }


class ReviewQueries:
    def __init__(self, store: ViewStore) -> None:
        self.store = store

    def _count(self, sql: str, params: dict[str, Any]) -> int:
        row = self.store.fetch_one(sql, params)
        return int(row["n"]) if row else 0

    # Frameworks

    def list_frameworks(self, *, limit: int, offset: int) -> Page:
        total = self._count(f"SELECT COUNT(*) AS n FROM {FRAMEWORKS}", {})
        items = self.store.fetch_all(
            f"SELECT * FROM {FRAMEWORKS} ORDER BY framework_key "
            "LIMIT %(_limit)s OFFSET %(_offset)s",
            {"_limit": limit, "_offset": offset},
        )
        for row in items:
            row["components"] = self.framework_components(row["framework_key"])
        return Page(items, total, limit, offset)

    def framework_components(self, framework_key: str) -> list[Row]:
        return self.store.fetch_all(
            f"SELECT component AS key, label, side FROM {FRAMEWORK_COMPONENTS} "
            "WHERE framework_key = %(f)s ORDER BY position",
            {"f": framework_key},
        )

    def framework_key(self, framework_id: str) -> str | None:
        row = self.store.fetch_one(
            f"SELECT framework_key FROM {FRAMEWORKS} WHERE id = %(id)s", {"id": framework_id}
        )
        return row["framework_key"] if row else None

    def framework(self, framework_key: str) -> Row | None:
        """A registered framework version as its response shows it (``key``, components)."""
        row = self.store.fetch_one(
            f"SELECT * FROM {FRAMEWORKS} WHERE framework_key = %(f)s", {"f": framework_key}
        )
        if row is not None:
            row["key"] = row.pop("framework_key")
            row["components"] = self.framework_components(framework_key)
        return row

    # Programme settings

    def programme_settings(self, programme_id: str) -> Row | None:
        row = self.store.fetch_one(
            f"SELECT * FROM {PROGRAMME_SETTINGS} WHERE programme_id = %(p)s", {"p": programme_id}
        )
        if row is not None:
            labels = self.store.fetch_all(
                f"SELECT component, label FROM {PROGRAMME_LABELS} WHERE programme_id = %(p)s",
                {"p": programme_id},
            )
            row["labels"] = {label["component"]: label["label"] for label in labels}
        return row

    # Reviews

    def list_reviews(self, *, programme_id: str, limit: int, offset: int) -> Page:
        """A programme's reviews, newest first by the date they were held."""
        params: dict[str, Any] = {"p": programme_id}
        total = self._count(
            f"SELECT COUNT(*) AS n FROM {REVIEWS} WHERE programme_id = %(p)s", params
        )
        items = self.store.fetch_all(
            f"SELECT * FROM {REVIEWS} WHERE programme_id = %(p)s "
            "ORDER BY held_on DESC, recorded_at DESC, id DESC "
            "LIMIT %(_limit)s OFFSET %(_offset)s",
            {**params, "_limit": limit, "_offset": offset},
        )
        self._add_review_parts(items)
        return Page(items, total, limit, offset)

    def review(self, review_id: str) -> Row | None:
        """One review as its response shows it: reviewers, and each rating with its
        framework label and side, evidence notes and actions; None if the view lacks it."""
        row = self.store.fetch_one(f"SELECT * FROM {REVIEWS} WHERE id = %(r)s", {"r": review_id})
        if row is None:
            return None
        params = {"r": review_id}
        components = {c["key"]: c for c in self.framework_components(row["framework_key"])}
        actions: dict[str, list[Row]] = {}
        for action in self.store.fetch_all(
            f"SELECT * FROM {ACTIONS} WHERE review_id = %(r)s ORDER BY action_index", params
        ):
            actions.setdefault(action["component"], []).append(_action(action))
        ratings = []
        for rating in self.store.fetch_all(
            f"SELECT component, rating, evidence, evidenced FROM {RATINGS} "
            "WHERE review_id = %(r)s ORDER BY position",
            params,
        ):
            key = rating["component"]
            # A component the framework lacks is shown by its key (the domain never rates one).
            component = components.get(key, {"label": key, "side": ""})
            ratings.append(
                {
                    "component": key,
                    "framework_label": component["label"],
                    "side": component["side"],
                    "rating": rating["rating"],
                    "evidence": from_json(rating["evidence"]),
                    "actions": actions.get(key, []),
                    "evidenced": bool(rating["evidenced"]),
                }
            )
        reviewers = self.store.fetch_all(
            f"SELECT person_id FROM {REVIEWERS} WHERE review_id = %(r)s ORDER BY position", params
        )
        row["reviewer_ids"] = [reviewer["person_id"] for reviewer in reviewers]
        row["ratings"] = ratings
        row["unevidenced_components"] = [r["component"] for r in ratings if not r["evidenced"]]
        return row

    def _add_review_parts(self, reviews: list[Row]) -> None:
        if not reviews:
            return
        placeholders, params = _in("r", [row["id"] for row in reviews])
        reviewers: dict[str, list[str]] = {row["id"]: [] for row in reviews}
        for row in self.store.fetch_all(
            f"SELECT review_id, person_id FROM {REVIEWERS} WHERE review_id IN ({placeholders}) "
            "ORDER BY review_id, position",
            params,
        ):
            reviewers[row["review_id"]].append(row["person_id"])
        ratings: dict[str, list[Row]] = {row["id"]: [] for row in reviews}
        for row in self.store.fetch_all(
            f"SELECT review_id, component, rating, evidenced FROM {RATINGS} "
            f"WHERE review_id IN ({placeholders}) ORDER BY review_id, position",
            params,
        ):
            ratings[row["review_id"]].append(
                {
                    "component": row["component"],
                    "rating": row["rating"],
                    "evidenced": bool(row["evidenced"]),
                }
            )
        for row in reviews:
            row["reviewer_ids"] = reviewers[row["id"]]
            row["ratings"] = ratings[row["id"]]

    def latest_ratings(self, programme_id: str) -> dict[str, Row]:
        """Per component, its latest rating (by the date held, then recorded) and its count."""
        latest: dict[str, Row] = {}
        counts: dict[str, int] = {}
        for row in self.store.fetch_all(
            f"SELECT component, rating, held_on, evidenced, review_id, recorded_at FROM {RATINGS} "
            "WHERE programme_id = %(p)s "
            "ORDER BY component, held_on DESC, recorded_at DESC, review_id DESC",
            {"p": programme_id},
        ):
            component = row["component"]
            counts[component] = counts.get(component, 0) + 1
            if component not in latest:
                row["evidenced"] = bool(row["evidenced"])
                latest[component] = row
        for component, row in latest.items():
            row["review_count"] = counts[component]
        return latest

    # Actions

    def reviews_with_open_actions_of(self, person_id: str) -> list[str]:
        """Reviews holding actions this person owns that are not completed."""
        rows = self.store.fetch_all(REVIEWS_WITH_OPEN_ACTIONS_OF, {"o": person_id})
        return [row["review_id"] for row in rows]
