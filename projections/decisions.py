"""Views: decisions: proposal, consultation, decision, amendment, supersession, revocation.

``dec_decisions`` holds one row per decision for the programme's decision log, with the
proposal-to-decision latency computed from occurred times (meeting dates), in seconds.
``dec_supersessions`` links each superseded decision to its successor. ``dec_consultations``
holds each consulted organisation's latest stance, for counts and for finding the decisions
an organisation was consulted on; ``dec_responses`` every response it gave, and
``dec_amendments`` every amendment, so one decision renders from the view alone. Lists of
strings (options, components) are JSON text, written and read only through this module's
``to_json``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from projections.projection import EventHandlers, Projection
from projections.store import ViewTransaction
from projections.timefmt import iso

DECISIONS = "dec_decisions"
SUPERSESSIONS = "dec_supersessions"
CONSULTATIONS = "dec_consultations"
RESPONSES = "dec_responses"
AMENDMENTS = "dec_amendments"


def _id(value: Any) -> str | None:
    return None if value is None else str(value)


def to_json(values: Sequence[str] | None) -> str | None:
    return None if values is None else json.dumps(list(values))


class DecisionProjection(Projection):
    name = "decisions"
    tables = (DECISIONS, SUPERSESSIONS, CONSULTATIONS, RESPONSES, AMENDMENTS)

    def create_statements(self) -> Sequence[str]:
        return [
            f"""CREATE TABLE IF NOT EXISTS {DECISIONS} (
                id TEXT PRIMARY KEY, programme_id TEXT NOT NULL, workstream_id TEXT,
                title TEXT NOT NULL, rationale TEXT NOT NULL, options TEXT NOT NULL,
                components TEXT NOT NULL, status TEXT NOT NULL,
                proposing_organisation_id TEXT NOT NULL, proposed_by TEXT,
                proposed_at TEXT NOT NULL, decided_at TEXT, decided_by TEXT,
                decided_by_organisation_id TEXT, authority TEXT, latency_seconds INTEGER,
                superseded_by TEXT, superseded_at TEXT, revoked_at TEXT,
                revocation_reason TEXT, version INTEGER NOT NULL,
                created_at TEXT NOT NULL, updated_at TEXT NOT NULL)""",
            f"""CREATE INDEX IF NOT EXISTS {DECISIONS}_programme
                ON {DECISIONS} (programme_id, proposed_at, id)""",
            # seq: the successor's version that added the link, so its list keeps that order.
            f"""CREATE TABLE IF NOT EXISTS {SUPERSESSIONS} (
                old_id TEXT PRIMARY KEY, new_id TEXT NOT NULL, seq INTEGER NOT NULL)""",
            f"CREATE INDEX IF NOT EXISTS {SUPERSESSIONS}_new ON {SUPERSESSIONS} (new_id)",
            f"""CREATE TABLE IF NOT EXISTS {CONSULTATIONS} (
                decision_id TEXT NOT NULL, organisation_id TEXT NOT NULL, stance TEXT,
                reason TEXT, consulted_by TEXT, consulted_at TEXT NOT NULL, carried_from TEXT,
                seq INTEGER NOT NULL, PRIMARY KEY (decision_id, organisation_id))""",
            f"""CREATE INDEX IF NOT EXISTS {CONSULTATIONS}_org
                ON {CONSULTATIONS} (organisation_id, decision_id)""",
            f"""CREATE TABLE IF NOT EXISTS {RESPONSES} (
                decision_id TEXT NOT NULL, seq INTEGER NOT NULL, organisation_id TEXT NOT NULL,
                stance TEXT NOT NULL, reason TEXT NOT NULL, responded_by TEXT,
                occurred_at TEXT NOT NULL, PRIMARY KEY (decision_id, seq))""",
            f"""CREATE TABLE IF NOT EXISTS {AMENDMENTS} (
                decision_id TEXT NOT NULL, seq INTEGER NOT NULL, reason TEXT NOT NULL,
                amended_by TEXT, occurred_at TEXT NOT NULL, title TEXT, rationale TEXT,
                options TEXT, components TEXT, PRIMARY KEY (decision_id, seq))""",
        ]

    handlers = EventHandlers()

    @handlers.on("Decision.Proposed")
    def on_proposed(self, tx: ViewTransaction, event: Any, position: int) -> None:
        tx.execute(
            f"""INSERT INTO {DECISIONS}
                (id, programme_id, workstream_id, title, rationale, options, components, status,
                 proposing_organisation_id, proposed_by, proposed_at, version, created_at,
                 updated_at)
                VALUES (%(id)s, %(p)s, %(w)s, %(title)s, %(rationale)s, %(options)s,
                 %(components)s, 'proposed', %(o)s, %(by)s, %(at)s, %(v)s, %(t)s, %(t)s)""",
            {
                "id": str(event.originator_id),
                "p": str(event.programme_id),
                "w": _id(event.workstream_id),
                "title": event.title,
                "rationale": event.rationale,
                "options": to_json(event.options),
                "components": to_json(event.components),
                "o": str(event.proposing_organisation_id),
                "by": _id(event.proposed_by),
                "at": iso(event.occurred_at),
                "v": event.originator_version,
                "t": iso(event.timestamp),
            },
        )

    @handlers.on("Decision.Consulted")
    def on_consulted(self, tx: ViewTransaction, event: Any, position: int) -> None:
        self._touch(tx, event)
        tx.execute(
            f"""INSERT INTO {CONSULTATIONS}
                (decision_id, organisation_id, stance, consulted_by, consulted_at, seq)
                VALUES (%(d)s, %(o)s, NULL, %(by)s, %(at)s, %(v)s)""",
            {
                "d": str(event.originator_id),
                "o": str(event.organisation_id),
                "by": _id(event.consulted_by),
                "at": iso(event.occurred_at),
                "v": event.originator_version,
            },
        )

    @handlers.on("Decision.ResponseRecorded")
    def on_response_recorded(self, tx: ViewTransaction, event: Any, position: int) -> None:
        self._touch(tx, event)
        ids = {"d": str(event.originator_id), "o": str(event.organisation_id)}
        tx.execute(
            f"""UPDATE {CONSULTATIONS} SET stance = %(s)s, reason = %(r)s
                WHERE decision_id = %(d)s AND organisation_id = %(o)s""",
            {**ids, "s": event.stance, "r": event.reason},
        )
        tx.execute(
            f"""INSERT INTO {RESPONSES}
                (decision_id, seq, organisation_id, stance, reason, responded_by, occurred_at)
                VALUES (%(d)s, %(v)s, %(o)s, %(s)s, %(r)s, %(by)s, %(at)s)""",
            {
                **ids,
                "v": event.originator_version,
                "s": event.stance,
                "r": event.reason,
                "by": _id(event.responded_by),
                "at": iso(event.occurred_at),
            },
        )

    @handlers.on("Decision.ConsultationCarriedOver")
    def on_consultation_carried_over(self, tx: ViewTransaction, event: Any, position: int) -> None:
        self._touch(tx, event)
        moved = {
            "d": str(event.originator_id),
            "from": str(event.from_organisation_id),
            "to": str(event.to_organisation_id),
        }
        # The carried consultation moves to the end, as the record's own mapping does.
        tx.execute(
            f"""UPDATE {CONSULTATIONS} SET organisation_id = %(to)s, carried_from = %(from)s,
                seq = %(v)s WHERE decision_id = %(d)s AND organisation_id = %(from)s""",
            {**moved, "v": event.originator_version},
        )
        tx.execute(
            f"""UPDATE {RESPONSES} SET organisation_id = %(to)s
                WHERE decision_id = %(d)s AND organisation_id = %(from)s""",
            moved,
        )

    @handlers.on("Decision.Taken")
    def on_taken(self, tx: ViewTransaction, event: Any, position: int) -> None:
        row = tx.fetch_all(
            f"SELECT proposed_at FROM {DECISIONS} WHERE id = %(id)s",
            {"id": str(event.originator_id)},
        )
        latency = None
        if row:
            proposed = datetime.fromisoformat(row[0]["proposed_at"])
            latency = round((event.occurred_at - proposed).total_seconds())
        self._touch(
            tx,
            event,
            status="decided",
            decided_at=iso(event.occurred_at),
            decided_by=_id(event.decided_by),
            decided_by_organisation_id=_id(event.decided_by_organisation_id),
            authority=event.authority,
            latency_seconds=latency,
        )

    @handlers.on("Decision.Amended")
    def on_amended(self, tx: ViewTransaction, event: Any, position: int) -> None:
        wording = {
            "title": event.title,
            "rationale": event.rationale,
            "options": to_json(event.options),
            "components": to_json(event.components),
        }
        self._touch(tx, event, **{k: v for k, v in wording.items() if v is not None})
        tx.execute(
            f"""INSERT INTO {AMENDMENTS} (decision_id, seq, reason, amended_by, occurred_at,
                 title, rationale, options, components)
                VALUES (%(d)s, %(v)s, %(reason)s, %(by)s, %(at)s, %(title)s, %(rationale)s,
                 %(options)s, %(components)s)""",
            {
                **wording,
                "d": str(event.originator_id),
                "v": event.originator_version,
                "reason": event.reason,
                "by": _id(event.amended_by),
                "at": iso(event.occurred_at),
            },
        )

    @handlers.on("Decision.Superseded")
    def on_superseded(self, tx: ViewTransaction, event: Any, position: int) -> None:
        self._touch(
            tx,
            event,
            status="superseded",
            superseded_by=str(event.superseded_by),
            superseded_at=iso(event.occurred_at),
        )

    @handlers.on("Decision.SupersededAnother")
    def on_superseded_another(self, tx: ViewTransaction, event: Any, position: int) -> None:
        self._touch(tx, event)
        # The link is written from the successor's side, which knows its own order.
        tx.execute(
            f"INSERT INTO {SUPERSESSIONS} (old_id, new_id, seq) VALUES (%(old)s, %(new)s, %(v)s)",
            {
                "old": str(event.supersedes),
                "new": str(event.originator_id),
                "v": event.originator_version,
            },
        )

    @handlers.on("Decision.Revoked")
    def on_revoked(self, tx: ViewTransaction, event: Any, position: int) -> None:
        self._ended(tx, event, "revoked")

    @handlers.on("Decision.Withdrawn")
    def on_withdrawn(self, tx: ViewTransaction, event: Any, position: int) -> None:
        self._ended(tx, event, "withdrawn")

    def _ended(self, tx: ViewTransaction, event: Any, status: str) -> None:
        self._touch(
            tx,
            event,
            status=status,
            revoked_at=iso(event.occurred_at),
            revocation_reason=event.reason,
        )

    @staticmethod
    def _touch(tx: ViewTransaction, event: Any, **changes: Any) -> None:
        """Set the given columns plus the row's version and last-updated (recorded) time."""
        assignments = "".join(f"{column} = %({column})s, " for column in changes)
        tx.execute(
            f"UPDATE {DECISIONS} SET {assignments}version = %(v)s, updated_at = %(t)s "
            "WHERE id = %(id)s",
            {
                **changes,
                "v": event.originator_version,
                "t": iso(event.timestamp),
                "id": str(event.originator_id),
            },
        )


#: The projections this module defines; infra.bootstrap runs them all.
PROJECTIONS: list[Projection] = [DecisionProjection()]
