"""Views: the alignment dashboard's facts, versioned so it reads now or as of a past time.

Every table keeps each row's versions by recorded time (projections/temporal.py):

- ``aln_ratings``: review_id, component; programme_id, rating, held_on (the review's occurred
  date, YYYY-MM-DD), evidenced (evidence or actions given). Append-only.
- ``aln_actions``: review_id, action_index; programme_id, component, completed. A completion
  opens a new version, so an action completed after an as-of time is still open then.
- ``aln_decisions``: id; programme_id, status, components (comma-separated component keys,
  as the latest amendment left them).
- ``aln_statements``: id; programme_id, version (the current text's number), text.
- ``aln_positions``: statement_id, version, organisation_id; position (endorsed/disputed),
  reason. One row per organisation per text version, so a revision starts with none.

Programme participants and organisation names come from ``pf_participants`` and
``pf_organisations`` (projections/programme_facts.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from projections.projection import EventHandlers, Projection
from projections.store import ViewTransaction
from projections.temporal import VersionedTable, recorded_at

RATINGS = VersionedTable(
    "aln_ratings",
    key=("review_id", "component"),
    columns=(
        "programme_id TEXT NOT NULL",
        "rating INTEGER NOT NULL",
        "held_on TEXT NOT NULL",
        "evidenced BOOLEAN NOT NULL",
    ),
    indexes=(("programme_id",),),
)
ACTIONS = VersionedTable(
    "aln_actions",
    key=("review_id", "action_index"),
    columns=("programme_id TEXT NOT NULL", "component TEXT NOT NULL", "completed BOOLEAN NOT NULL"),
    indexes=(("programme_id",),),
)
DECISIONS = VersionedTable(
    "aln_decisions",
    key=("id",),
    columns=("programme_id TEXT NOT NULL", "status TEXT NOT NULL", "components TEXT NOT NULL"),
    indexes=(("programme_id",),),
)
STATEMENTS = VersionedTable(
    "aln_statements",
    key=("id",),
    columns=("programme_id TEXT NOT NULL", "version INTEGER NOT NULL", "text TEXT NOT NULL"),
    indexes=(("programme_id",),),
)
POSITIONS = VersionedTable(
    "aln_positions",
    key=("statement_id", "version", "organisation_id"),
    columns=("position TEXT NOT NULL", "reason TEXT"),
)
TABLES = (RATINGS, ACTIONS, DECISIONS, STATEMENTS, POSITIONS)


def join_components(components: Iterable[str]) -> str:
    # Component keys are lower-case letters, digits and '_', so a comma never occurs in one.
    return ",".join(components)


def split_components(text: str) -> list[str]:
    return [key for key in text.split(",") if key]


class AlignmentProjection(Projection):
    name = "alignment"
    tables = tuple(table.name for table in TABLES)
    handlers = EventHandlers()

    def create_statements(self) -> Sequence[str]:
        return [statement for table in TABLES for statement in table.create_statements()]

    # Component reviews

    @handlers.on("Review.Recorded")
    def on_review_recorded(self, tx: ViewTransaction, event: Any, position: int) -> None:
        at = recorded_at(event)
        review_id = str(event.originator_id)
        programme_id = str(event.programme_id)
        action_index = 0
        for entry in event.ratings:
            actions = entry["actions"]
            RATINGS.insert(
                tx,
                {
                    "review_id": review_id,
                    "component": entry["component"],
                    "programme_id": programme_id,
                    "rating": entry["rating"],
                    "held_on": event.held_on,
                    "evidenced": bool(entry["evidence"]) or bool(actions),
                },
                at,
            )
            for _ in actions:
                ACTIONS.insert(
                    tx,
                    {
                        "review_id": review_id,
                        "action_index": str(action_index),
                        "programme_id": programme_id,
                        "component": entry["component"],
                        "completed": False,
                    },
                    at,
                )
                action_index += 1

    @handlers.on("Review.ActionCompleted")
    def on_action_completed(self, tx: ViewTransaction, event: Any, position: int) -> None:
        key = {"review_id": str(event.originator_id), "action_index": str(event.index)}
        ACTIONS.update(tx, key, {"completed": True}, recorded_at(event))

    # Decisions

    @handlers.on("Decision.Proposed")
    def on_decision_proposed(self, tx: ViewTransaction, event: Any, position: int) -> None:
        DECISIONS.insert(
            tx,
            {
                "id": str(event.originator_id),
                "programme_id": str(event.programme_id),
                "status": "proposed",
                "components": join_components(event.components),
            },
            recorded_at(event),
        )

    @handlers.on("Decision.Amended")
    def on_decision_amended(self, tx: ViewTransaction, event: Any, position: int) -> None:
        if event.components is not None:
            changes = {"components": join_components(event.components)}
            DECISIONS.update(tx, _id(event), changes, recorded_at(event))

    @handlers.on("Decision.Taken")
    def on_decision_taken(self, tx: ViewTransaction, event: Any, position: int) -> None:
        self._status(tx, event, "decided")

    @handlers.on("Decision.Superseded")
    def on_decision_superseded(self, tx: ViewTransaction, event: Any, position: int) -> None:
        self._status(tx, event, "superseded")

    @handlers.on("Decision.Revoked")
    def on_decision_revoked(self, tx: ViewTransaction, event: Any, position: int) -> None:
        self._status(tx, event, "revoked")

    @handlers.on("Decision.Withdrawn")
    def on_decision_withdrawn(self, tx: ViewTransaction, event: Any, position: int) -> None:
        self._status(tx, event, "withdrawn")

    @staticmethod
    def _status(tx: ViewTransaction, event: Any, status: str) -> None:
        DECISIONS.update(tx, _id(event), {"status": status}, recorded_at(event))

    # Shared purpose

    @handlers.on("SharedPurpose.Drafted")
    def on_statement_drafted(self, tx: ViewTransaction, event: Any, position: int) -> None:
        STATEMENTS.insert(
            tx,
            {
                "id": str(event.originator_id),
                "programme_id": str(event.programme_id),
                "version": 1,
                "text": event.text,
            },
            recorded_at(event),
        )

    @handlers.on("SharedPurpose.Revised")
    def on_statement_revised(self, tx: ViewTransaction, event: Any, position: int) -> None:
        current = STATEMENTS.current(tx, _id(event))
        if current is None:
            return
        # Positions are keyed by version, so the new text starts with none.
        changes = {"version": int(current["version"]) + 1, "text": event.text}
        STATEMENTS.update(tx, current, changes, recorded_at(event))

    @handlers.on("SharedPurpose.Endorsed")
    def on_statement_endorsed(self, tx: ViewTransaction, event: Any, position: int) -> None:
        self._position(tx, event, event.organisation_id, "endorsed", None)

    @handlers.on("SharedPurpose.Disputed")
    def on_statement_disputed(self, tx: ViewTransaction, event: Any, position: int) -> None:
        self._position(tx, event, event.organisation_id, "disputed", event.reason)

    @handlers.on("SharedPurpose.PositionCarriedOver")
    def on_position_carried_over(self, tx: ViewTransaction, event: Any, position: int) -> None:
        self._position(tx, event, event.to_organisation_id, event.position, event.reason)

    @staticmethod
    def _position(
        tx: ViewTransaction, event: Any, organisation_id: Any, stance: str, reason: str | None
    ) -> None:
        POSITIONS.insert(
            tx,
            {
                "statement_id": str(event.originator_id),
                "version": str(event.version),
                "organisation_id": str(organisation_id),
                "position": stance,
                "reason": reason,
            },
            recorded_at(event),
        )


def _id(event: Any) -> dict[str, str]:
    return {"id": str(event.originator_id)}


#: The projections this module defines; infra.bootstrap runs them all.
PROJECTIONS: list[Projection] = [AlignmentProjection()]
