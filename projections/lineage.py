"""Views for decision lineage and coordination, readable now or as of a past recorded time.

- ``lin_decisions`` (versioned; key id): programme_id, workstream_id, title, status,
  proposing_organisation_id, proposed_by, proposed_at and decided_at (OCCURRED times),
  decided_by, decided_by_organisation_id, authority, superseded_by, superseded_at.
  Supersession is a column of the old decision; "supersedes" is the same link read backwards.
- ``lin_activity`` (append-only; key decision_id, version): one row per event of a decision,
  with who acted (person_id), for or towards which organisation, the stance of a response,
  its occurred time and its recorded time. Consultations, responses (objections) and
  amendments are rows of this table; reports read it through ``Moment.appended``.

The decision's programme and workstream are copied onto each activity row (neither changes
after the proposal), so per-workstream participant counts need no join.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from projections.projection import EventHandlers, Projection
from projections.store import ViewTransaction
from projections.temporal import VersionedTable, recorded_at
from projections.timefmt import iso

DECISIONS = VersionedTable(
    "lin_decisions",
    key=("id",),
    columns=(
        "programme_id TEXT NOT NULL",
        "workstream_id TEXT",
        "title TEXT NOT NULL",
        "status TEXT NOT NULL",
        "proposing_organisation_id TEXT NOT NULL",
        "proposed_by TEXT",
        "proposed_at TEXT NOT NULL",
        "decided_at TEXT",
        "decided_by TEXT",
        "decided_by_organisation_id TEXT",
        "authority TEXT",
        "superseded_by TEXT",
        "superseded_at TEXT",
    ),
    indexes=(("programme_id",), ("superseded_by",)),
)
ACTIVITY = "lin_activity"

#: Activity kinds, as stored in ``lin_activity.kind``.
PROPOSED = "proposed"
CONSULTED = "consulted"
RESPONDED = "responded"
TAKEN = "taken"
AMENDED = "amended"
SUPERSEDED = "superseded"
SUPERSEDED_ANOTHER = "superseded_another"
REVOKED = "revoked"
WITHDRAWN = "withdrawn"
CONSULTATION_CARRIED_OVER = "consultation_carried_over"


def _id(value: Any) -> str | None:
    return None if value is None else str(value)


class LineageProjection(Projection):
    name = "lineage"
    tables = (DECISIONS.name, ACTIVITY)
    handlers = EventHandlers()

    def create_statements(self) -> Sequence[str]:
        return [
            *DECISIONS.create_statements(),
            f"""CREATE TABLE IF NOT EXISTS {ACTIVITY} (
                decision_id TEXT NOT NULL, version INTEGER NOT NULL,
                programme_id TEXT NOT NULL, workstream_id TEXT, kind TEXT NOT NULL,
                person_id TEXT, organisation_id TEXT, related_id TEXT, stance TEXT,
                reason TEXT, title TEXT, occurred_at TEXT NOT NULL, recorded_at TEXT NOT NULL,
                PRIMARY KEY (decision_id, version))""",
            f"""CREATE INDEX IF NOT EXISTS {ACTIVITY}_programme
                ON {ACTIVITY} (programme_id, recorded_at)""",
        ]

    @handlers.on("Decision.Proposed")
    def on_proposed(self, tx: ViewTransaction, event: Any, position: int) -> None:
        DECISIONS.insert(
            tx,
            {
                "id": str(event.originator_id),
                "programme_id": str(event.programme_id),
                "workstream_id": _id(event.workstream_id),
                "title": event.title,
                "status": "proposed",
                "proposing_organisation_id": str(event.proposing_organisation_id),
                "proposed_by": _id(event.proposed_by),
                "proposed_at": iso(event.occurred_at),
            },
            recorded_at(event),
        )
        self._log(
            tx,
            event,
            PROPOSED,
            person=event.proposed_by,
            organisation=event.proposing_organisation_id,
            title=event.title,
        )

    @handlers.on("Decision.Consulted")
    def on_consulted(self, tx: ViewTransaction, event: Any, position: int) -> None:
        self._log(
            tx, event, CONSULTED, person=event.consulted_by, organisation=event.organisation_id
        )

    @handlers.on("Decision.ResponseRecorded")
    def on_response_recorded(self, tx: ViewTransaction, event: Any, position: int) -> None:
        self._log(
            tx,
            event,
            RESPONDED,
            person=event.responded_by,
            organisation=event.organisation_id,
            stance=event.stance,
            reason=event.reason,
        )

    @handlers.on("Decision.ConsultationCarriedOver")
    def on_consultation_carried_over(self, tx: ViewTransaction, event: Any, position: int) -> None:
        # Nothing happened in the world: the platform moved the question to the successor.
        self._log(
            tx,
            event,
            CONSULTATION_CARRIED_OVER,
            person=event.actor_id,
            organisation=event.to_organisation_id,
            related=event.from_organisation_id,
            occurred=event.timestamp,
        )

    @handlers.on("Decision.Taken")
    def on_taken(self, tx: ViewTransaction, event: Any, position: int) -> None:
        self._change(
            tx,
            event,
            status="decided",
            decided_at=iso(event.occurred_at),
            decided_by=_id(event.decided_by),
            decided_by_organisation_id=_id(event.decided_by_organisation_id),
            authority=event.authority,
        )
        self._log(
            tx,
            event,
            TAKEN,
            person=event.decided_by,
            organisation=event.decided_by_organisation_id,
            reason=event.authority,
        )

    @handlers.on("Decision.Amended")
    def on_amended(self, tx: ViewTransaction, event: Any, position: int) -> None:
        if event.title is not None:
            self._change(tx, event, title=event.title)
        self._log(
            tx, event, AMENDED, person=event.amended_by, reason=event.reason, title=event.title
        )

    @handlers.on("Decision.Superseded")
    def on_superseded(self, tx: ViewTransaction, event: Any, position: int) -> None:
        self._change(
            tx,
            event,
            status="superseded",
            superseded_by=str(event.superseded_by),
            superseded_at=iso(event.occurred_at),
        )
        self._log(tx, event, SUPERSEDED, person=event.actor_id, related=event.superseded_by)

    @handlers.on("Decision.SupersededAnother")
    def on_superseded_another(self, tx: ViewTransaction, event: Any, position: int) -> None:
        self._log(tx, event, SUPERSEDED_ANOTHER, person=event.actor_id, related=event.supersedes)

    @handlers.on("Decision.Revoked")
    def on_revoked(self, tx: ViewTransaction, event: Any, position: int) -> None:
        self._change(tx, event, status="revoked")
        self._log(tx, event, REVOKED, person=event.actor_id, reason=event.reason)

    @handlers.on("Decision.Withdrawn")
    def on_withdrawn(self, tx: ViewTransaction, event: Any, position: int) -> None:
        self._change(tx, event, status="withdrawn")
        self._log(tx, event, WITHDRAWN, person=event.actor_id, reason=event.reason)

    @staticmethod
    def _change(tx: ViewTransaction, event: Any, **changes: Any) -> None:
        DECISIONS.update(tx, {"id": str(event.originator_id)}, changes, recorded_at(event))

    @staticmethod
    def _log(
        tx: ViewTransaction,
        event: Any,
        kind: str,
        *,
        person: Any = None,
        organisation: Any = None,
        related: Any = None,
        stance: str | None = None,
        reason: str | None = None,
        title: str | None = None,
        occurred: Any = None,
    ) -> None:
        """One activity row; programme and workstream come from the decision's row."""
        decision = DECISIONS.current(tx, {"id": str(event.originator_id)})
        if decision is None:
            return
        tx.execute(
            f"""INSERT INTO {ACTIVITY} (decision_id, version, programme_id, workstream_id,
                kind, person_id, organisation_id, related_id, stance, reason, title,
                occurred_at, recorded_at)
                VALUES (%(d)s, %(v)s, %(p)s, %(w)s, %(kind)s, %(person)s, %(org)s,
                %(related)s, %(stance)s, %(reason)s, %(title)s, %(occurred)s, %(recorded)s)""",
            {
                "d": str(event.originator_id),
                "v": event.originator_version,
                "p": decision["programme_id"],
                "w": decision["workstream_id"],
                "kind": kind,
                "person": _id(person),
                "org": _id(organisation),
                "related": _id(related),
                "stance": stance,
                "reason": reason,
                "title": title,
                "occurred": iso(occurred if occurred is not None else event.occurred_at),
                "recorded": recorded_at(event),
            },
        )


#: The projections this module defines; infra.bootstrap runs them all.
PROJECTIONS: list[Projection] = [LineageProjection()]
