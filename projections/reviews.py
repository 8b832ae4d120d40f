"""Views: change frameworks, programmes' framework settings, component reviews.

Rows the alignment dashboard reads (one per fact, so it can count, not parse):

- ``rev_framework_components``: framework_key, position, component, label, side;
- ``rev_programme_settings``: programme_id, framework_key, review_interval_days (no row: the
  defaults, nhs-change-model-2018 and 90 days); ``rev_programme_labels``: display labels;
- ``rev_ratings``: one per rated component of a review: programme_id, component, rating,
  held_on (YYYY-MM-DD), evidenced, review_id, and its evidence notes (JSON text, written
  and read only through this module's ``to_json``/``from_json``);
- ``rev_actions``: one per action: review_id, action_index, programme_id, component,
  description, owner_id, due_on, completed, completed_on, completion_note,
  owner_left_organisation_id;
- ``rev_reviewers``: review_id, person_id, programme_id.

With ``rev_reviews`` and the framework tables these hold everything a review's response
shows, so a current read never replays the review.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from projections.projection import EventHandlers, Projection
from projections.store import ViewTransaction
from projections.timefmt import iso

FRAMEWORKS = "rev_frameworks"
FRAMEWORK_COMPONENTS = "rev_framework_components"
PROGRAMME_SETTINGS = "rev_programme_settings"
PROGRAMME_LABELS = "rev_programme_labels"
REVIEWS = "rev_reviews"
REVIEWERS = "rev_reviewers"
RATINGS = "rev_ratings"
ACTIONS = "rev_actions"


def to_json(values: Sequence[str]) -> str:
    return json.dumps(list(values))


def from_json(text: str | None) -> list[str]:
    return list(json.loads(text)) if text else []


class ReviewsProjection(Projection):
    name = "reviews"
    tables = (
        FRAMEWORKS,
        FRAMEWORK_COMPONENTS,
        PROGRAMME_SETTINGS,
        PROGRAMME_LABELS,
        REVIEWS,
        REVIEWERS,
        RATINGS,
        ACTIONS,
    )

    def create_statements(self) -> Sequence[str]:
        return [
            f"""CREATE TABLE IF NOT EXISTS {FRAMEWORKS} (
                framework_key TEXT PRIMARY KEY, id TEXT NOT NULL, title TEXT NOT NULL,
                version INTEGER NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL)""",
            f"""CREATE TABLE IF NOT EXISTS {FRAMEWORK_COMPONENTS} (
                framework_key TEXT NOT NULL, position INTEGER NOT NULL, component TEXT NOT NULL,
                label TEXT NOT NULL, side TEXT NOT NULL,
                PRIMARY KEY (framework_key, component))""",
            f"""CREATE TABLE IF NOT EXISTS {PROGRAMME_SETTINGS} (
                programme_id TEXT PRIMARY KEY, id TEXT NOT NULL, framework_key TEXT NOT NULL,
                review_interval_days INTEGER NOT NULL, version INTEGER NOT NULL,
                created_at TEXT NOT NULL, updated_at TEXT NOT NULL)""",
            f"""CREATE TABLE IF NOT EXISTS {PROGRAMME_LABELS} (
                programme_id TEXT NOT NULL, component TEXT NOT NULL, label TEXT NOT NULL,
                PRIMARY KEY (programme_id, component))""",
            f"""CREATE TABLE IF NOT EXISTS {REVIEWS} (
                id TEXT PRIMARY KEY, programme_id TEXT NOT NULL, framework_key TEXT NOT NULL,
                held_on TEXT NOT NULL, rating_count INTEGER NOT NULL,
                unevidenced_count INTEGER NOT NULL, action_count INTEGER NOT NULL,
                open_action_count INTEGER NOT NULL, version INTEGER NOT NULL,
                recorded_at TEXT NOT NULL, updated_at TEXT NOT NULL)""",
            f"""CREATE INDEX IF NOT EXISTS {REVIEWS}_programme
                ON {REVIEWS} (programme_id, held_on, recorded_at)""",
            f"""CREATE TABLE IF NOT EXISTS {REVIEWERS} (
                review_id TEXT NOT NULL, person_id TEXT NOT NULL, programme_id TEXT NOT NULL,
                position INTEGER NOT NULL, PRIMARY KEY (review_id, person_id))""",
            f"CREATE INDEX IF NOT EXISTS {REVIEWERS}_person ON {REVIEWERS} (person_id)",
            f"""CREATE TABLE IF NOT EXISTS {RATINGS} (
                review_id TEXT NOT NULL, programme_id TEXT NOT NULL, component TEXT NOT NULL,
                position INTEGER NOT NULL, rating INTEGER NOT NULL, held_on TEXT NOT NULL,
                evidenced BOOLEAN NOT NULL, evidence_count INTEGER NOT NULL,
                evidence TEXT NOT NULL, action_count INTEGER NOT NULL, recorded_at TEXT NOT NULL,
                PRIMARY KEY (review_id, component))""",
            f"""CREATE INDEX IF NOT EXISTS {RATINGS}_programme
                ON {RATINGS} (programme_id, component, held_on)""",
            f"""CREATE TABLE IF NOT EXISTS {ACTIONS} (
                review_id TEXT NOT NULL, action_index INTEGER NOT NULL,
                programme_id TEXT NOT NULL, component TEXT NOT NULL, description TEXT NOT NULL,
                owner_id TEXT NOT NULL, due_on TEXT NOT NULL, held_on TEXT NOT NULL,
                completed BOOLEAN NOT NULL, completed_on TEXT, completion_note TEXT NOT NULL,
                owner_left_organisation_id TEXT,
                PRIMARY KEY (review_id, action_index))""",
            f"CREATE INDEX IF NOT EXISTS {ACTIONS}_owner ON {ACTIONS} (owner_id, completed)",
            f"CREATE INDEX IF NOT EXISTS {ACTIONS}_programme ON {ACTIONS} (programme_id, due_on)",
        ]

    handlers = EventHandlers()

    # Frameworks

    @handlers.on("ChangeFramework.Registered")
    def on_framework_registered(self, tx: ViewTransaction, event: Any, position: int) -> None:
        tx.execute(
            f"""INSERT INTO {FRAMEWORKS}
                (framework_key, id, title, version, created_at, updated_at)
                VALUES (%(key)s, %(id)s, %(title)s, %(v)s, %(t)s, %(t)s)""",
            {
                "key": event.key,
                "id": str(event.originator_id),
                "title": event.title,
                "v": event.originator_version,
                "t": iso(event.timestamp),
            },
        )
        for index, component in enumerate(event.components):
            tx.execute(
                f"""INSERT INTO {FRAMEWORK_COMPONENTS}
                    (framework_key, position, component, label, side)
                    VALUES (%(f)s, %(pos)s, %(c)s, %(label)s, %(side)s)""",
                {
                    "f": event.key,
                    "pos": index,
                    "c": component["key"],
                    "label": component["label"],
                    "side": component["side"],
                },
            )

    # Programme settings

    @handlers.on("ProgrammeFramework.Configured")
    def on_programme_framework_configured(
        self, tx: ViewTransaction, event: Any, position: int
    ) -> None:
        programme_id = str(event.programme_id)
        tx.execute(
            f"""INSERT INTO {PROGRAMME_SETTINGS}
                (programme_id, id, framework_key, review_interval_days, version,
                 created_at, updated_at)
                VALUES (%(p)s, %(id)s, %(f)s, %(days)s, %(v)s, %(t)s, %(t)s)""",
            {
                "p": programme_id,
                "id": str(event.originator_id),
                "f": event.framework_key,
                "days": event.review_interval_days,
                "v": event.originator_version,
                "t": iso(event.timestamp),
            },
        )
        self._replace_labels(tx, programme_id, event.labels)

    @handlers.on("ProgrammeFramework.FrameworkChosen")
    def on_programme_framework_chosen(self, tx: ViewTransaction, event: Any, position: int) -> None:
        self._touch_settings(tx, event, framework_key=event.framework_key)

    @handlers.on("ProgrammeFramework.LabelsChanged")
    def on_programme_labels_changed(self, tx: ViewTransaction, event: Any, position: int) -> None:
        self._touch_settings(tx, event)
        row = tx.fetch_all(
            f"SELECT programme_id FROM {PROGRAMME_SETTINGS} WHERE id = %(id)s",
            {"id": str(event.originator_id)},
        )
        if row:
            self._replace_labels(tx, row[0]["programme_id"], event.labels)

    @handlers.on("ProgrammeFramework.ReviewIntervalChanged")
    def on_programme_review_interval_changed(
        self, tx: ViewTransaction, event: Any, position: int
    ) -> None:
        self._touch_settings(tx, event, review_interval_days=event.review_interval_days)

    @staticmethod
    def _touch_settings(tx: ViewTransaction, event: Any, **changes: Any) -> None:
        assignments = "".join(f"{column} = %({column})s, " for column in changes)
        tx.execute(
            f"UPDATE {PROGRAMME_SETTINGS} SET {assignments}version = %(v)s, updated_at = %(t)s "
            "WHERE id = %(id)s",
            {
                **changes,
                "v": event.originator_version,
                "t": iso(event.timestamp),
                "id": str(event.originator_id),
            },
        )

    @staticmethod
    def _replace_labels(tx: ViewTransaction, programme_id: str, labels: dict[str, str]) -> None:
        tx.execute(
            f"DELETE FROM {PROGRAMME_LABELS} WHERE programme_id = %(p)s", {"p": programme_id}
        )
        for component, label in labels.items():
            tx.execute(
                f"""INSERT INTO {PROGRAMME_LABELS} (programme_id, component, label)
                    VALUES (%(p)s, %(c)s, %(label)s)""",
                {"p": programme_id, "c": component, "label": label},
            )

    # Reviews

    @handlers.on("Review.Recorded")
    def on_review_recorded(self, tx: ViewTransaction, event: Any, position: int) -> None:
        review_id = str(event.originator_id)
        programme_id = str(event.programme_id)
        recorded_at = iso(event.timestamp)
        action_index = 0
        unevidenced = 0
        for rating_position, rating in enumerate(event.ratings):
            actions = rating["actions"]
            evidenced = bool(rating["evidence"]) or bool(actions)
            unevidenced += 0 if evidenced else 1
            tx.execute(
                f"""INSERT INTO {RATINGS}
                    (review_id, programme_id, component, position, rating, held_on, evidenced,
                     evidence_count, evidence, action_count, recorded_at)
                    VALUES (%(r)s, %(p)s, %(c)s, %(pos)s, %(rating)s, %(held)s, %(ev)s,
                            %(n_ev)s, %(evidence)s, %(n_act)s, %(t)s)""",
                {
                    "r": review_id,
                    "p": programme_id,
                    "c": rating["component"],
                    "pos": rating_position,
                    "rating": rating["rating"],
                    "held": event.held_on,
                    "ev": evidenced,
                    "n_ev": len(rating["evidence"]),
                    "evidence": to_json([str(note) for note in rating["evidence"]]),
                    "n_act": len(actions),
                    "t": recorded_at,
                },
            )
            for action in actions:
                tx.execute(
                    f"""INSERT INTO {ACTIONS}
                        (review_id, action_index, programme_id, component, description,
                         owner_id, due_on, held_on, completed, completed_on, completion_note,
                         owner_left_organisation_id)
                        VALUES (%(r)s, %(i)s, %(p)s, %(c)s, %(d)s, %(o)s, %(due)s, %(held)s,
                                FALSE, NULL, '', NULL)""",
                    {
                        "r": review_id,
                        "i": action_index,
                        "p": programme_id,
                        "c": rating["component"],
                        "d": action["description"],
                        "o": str(action["owner_id"]),
                        "due": action["due_on"],
                        "held": event.held_on,
                    },
                )
                action_index += 1
        for reviewer_position, reviewer_id in enumerate(event.reviewer_ids):
            tx.execute(
                f"""INSERT INTO {REVIEWERS} (review_id, person_id, programme_id, position)
                    VALUES (%(r)s, %(person)s, %(p)s, %(pos)s)""",
                {
                    "r": review_id,
                    "person": str(reviewer_id),
                    "p": programme_id,
                    "pos": reviewer_position,
                },
            )
        tx.execute(
            f"""INSERT INTO {REVIEWS}
                (id, programme_id, framework_key, held_on, rating_count, unevidenced_count,
                 action_count, open_action_count, version, recorded_at, updated_at)
                VALUES (%(r)s, %(p)s, %(f)s, %(held)s, %(n)s, %(unev)s, %(acts)s, %(acts)s,
                        %(v)s, %(t)s, %(t)s)""",
            {
                "r": review_id,
                "p": programme_id,
                "f": event.framework_key,
                "held": event.held_on,
                "n": len(event.ratings),
                "unev": unevidenced,
                "acts": action_index,
                "v": event.originator_version,
                "t": recorded_at,
            },
        )

    @handlers.on("Review.ActionCompleted")
    def on_review_action_completed(self, tx: ViewTransaction, event: Any, position: int) -> None:
        review_id = str(event.originator_id)
        tx.execute(
            f"""UPDATE {ACTIONS} SET completed = TRUE, completed_on = %(on)s,
                    completion_note = %(note)s
                WHERE review_id = %(r)s AND action_index = %(i)s""",
            {"r": review_id, "i": event.index, "on": event.completed_on, "note": event.note},
        )
        self._touch_review(tx, event)

    @handlers.on("Review.ActionOwnerLeft")
    def on_review_action_owner_left(self, tx: ViewTransaction, event: Any, position: int) -> None:
        review_id = str(event.originator_id)
        for index in event.action_indexes:
            tx.execute(
                f"""UPDATE {ACTIONS} SET owner_left_organisation_id = %(o)s
                    WHERE review_id = %(r)s AND action_index = %(i)s""",
                {"r": review_id, "i": index, "o": str(event.organisation_id)},
            )
        self._touch_review(tx, event)

    @staticmethod
    def _touch_review(tx: ViewTransaction, event: Any) -> None:
        review_id = str(event.originator_id)
        tx.execute(
            f"""UPDATE {REVIEWS} SET version = %(v)s, updated_at = %(t)s,
                open_action_count = (SELECT COUNT(*) FROM {ACTIONS}
                                     WHERE review_id = %(r)s AND completed = FALSE)
                WHERE id = %(r)s""",
            {"r": review_id, "v": event.originator_version, "t": iso(event.timestamp)},
        )


#: The projections this module defines; infra.bootstrap runs them all.
PROJECTIONS: list[Projection] = [ReviewsProjection()]
