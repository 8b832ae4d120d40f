"""Views: commitments providers make to commissioners, and their lifecycle.

One row per commitment, with what a commitment tracker needs: the two sides, the due date in
force and the original one, how often it was renegotiated, the latest progress, and whether
it was delivered on time. *Overdue* is never stored: it depends on today, so the queries
(projections/commitments_queries.py) derive it from the due date and the date they are given.
Dates are ISO text (``2026-12-31``), which sorts and compares as dates on both databases.

Its history, so one commitment renders from the view alone: every due date in force
(``cmt_due_dates``, the first is the original), progress update (``cmt_progress``), status
change (``cmt_statuses``) and side carried over to a merged organisation's successor
(``cmt_carried_over``), each keyed by the version of its event, with when and by whom that
event was recorded.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from projections.projection import EventHandlers, Projection
from projections.store import ViewTransaction
from projections.timefmt import iso

COMMITMENTS = "cmt_commitments"
DUE_DATES = "cmt_due_dates"
PROGRESS = "cmt_progress"
STATUSES = "cmt_statuses"
CARRIED_OVER = "cmt_carried_over"
#: Every history table, with the columns of its own beside the shared ones.
HISTORY_TABLES = {
    DUE_DATES: (
        "due_date TEXT NOT NULL, previous_due_date TEXT, reason TEXT, confidential BOOLEAN NOT NULL"
    ),
    PROGRESS: "percent INTEGER NOT NULL, note TEXT NOT NULL, confidential BOOLEAN NOT NULL",
    STATUSES: (
        "status TEXT NOT NULL, party TEXT, note TEXT, occurred_at TEXT,"
        " confidential BOOLEAN NOT NULL"
    ),
    CARRIED_OVER: (
        "role TEXT NOT NULL, from_organisation_id TEXT NOT NULL, to_organisation_id TEXT NOT NULL"
    ),
}


class CommitmentProjection(Projection):
    name = "commitments"
    tables = (COMMITMENTS, *HISTORY_TABLES)

    def create_statements(self) -> Sequence[str]:
        return [
            f"""CREATE TABLE IF NOT EXISTS {COMMITMENTS} (
                id TEXT PRIMARY KEY, provider_id TEXT NOT NULL, commissioner_id TEXT NOT NULL,
                programme_id TEXT, decision_id TEXT, what TEXT NOT NULL, measure TEXT NOT NULL,
                contract_lever TEXT, status TEXT NOT NULL, status_note TEXT,
                status_note_confidential BOOLEAN NOT NULL,
                due_date TEXT NOT NULL, original_due_date TEXT NOT NULL,
                renegotiation_count INTEGER NOT NULL, percent_complete INTEGER,
                made_at TEXT NOT NULL, accepted_at TEXT, delivered_on TEXT,
                delivered_on_time BOOLEAN, closed_at TEXT, version INTEGER NOT NULL,
                created_at TEXT NOT NULL, updated_at TEXT NOT NULL)""",
            f"""CREATE INDEX IF NOT EXISTS {COMMITMENTS}_due
                ON {COMMITMENTS} (due_date, id)""",
            f"""CREATE INDEX IF NOT EXISTS {COMMITMENTS}_provider
                ON {COMMITMENTS} (provider_id, due_date)""",
            f"""CREATE INDEX IF NOT EXISTS {COMMITMENTS}_commissioner
                ON {COMMITMENTS} (commissioner_id, due_date)""",
            f"""CREATE INDEX IF NOT EXISTS {COMMITMENTS}_programme
                ON {COMMITMENTS} (programme_id, due_date)""",
            f"""CREATE INDEX IF NOT EXISTS {COMMITMENTS}_status
                ON {COMMITMENTS} (status, due_date)""",
            *(
                f"""CREATE TABLE IF NOT EXISTS {table} (
                    commitment_id TEXT NOT NULL, version INTEGER NOT NULL, {columns},
                    recorded_at TEXT NOT NULL, actor_id TEXT,
                    PRIMARY KEY (commitment_id, version))"""
                for table, columns in HISTORY_TABLES.items()
            ),
        ]

    handlers = EventHandlers()

    @handlers.on("Commitment.Made")
    def on_made(self, tx: ViewTransaction, event: Any, position: int) -> None:
        tx.execute(
            f"""INSERT INTO {COMMITMENTS}
                (id, provider_id, commissioner_id, programme_id, decision_id, what, measure,
                 contract_lever, status, status_note, status_note_confidential, due_date,
                 original_due_date,
                 renegotiation_count, percent_complete, made_at, accepted_at, delivered_on,
                 delivered_on_time, closed_at, version, created_at, updated_at)
                VALUES (%(id)s, %(provider)s, %(commissioner)s, %(programme)s, %(decision)s,
                 %(what)s, %(measure)s, %(lever)s, 'proposed', NULL, FALSE, %(due)s, %(due)s, 0,
                 NULL,
                 %(made)s, NULL, NULL, NULL, NULL, %(v)s, %(t)s, %(t)s)""",
            {
                "id": str(event.originator_id),
                "provider": str(event.provider_id),
                "commissioner": str(event.commissioner_id),
                "programme": _text(event.programme_id),
                "decision": _text(event.decision_id),
                "what": event.what,
                "measure": event.measure,
                "lever": event.contract_lever,
                "due": event.due_date,
                "made": iso(event.occurred_at),
                "v": event.originator_version,
                "t": iso(event.timestamp),
            },
        )
        _entry(
            tx,
            DUE_DATES,
            event,
            due_date=event.due_date,
            previous_due_date=None,
            reason=None,
            confidential=False,
        )
        _status(tx, event, "proposed", "provider", None, iso(event.occurred_at))

    @handlers.on("Commitment.Accepted")
    def on_accepted(self, tx: ViewTransaction, event: Any, position: int) -> None:
        self._touch(
            tx,
            event,
            status="accepted",
            status_note=None,
            status_note_confidential=False,
            accepted_at=iso(event.timestamp),
        )
        _status(tx, event, "accepted", "commissioner")

    @handlers.on("Commitment.ProgressRecorded")
    def on_progress_recorded(self, tx: ViewTransaction, event: Any, position: int) -> None:
        self._touch(tx, event, percent_complete=event.percent)
        _entry(
            tx,
            PROGRESS,
            event,
            percent=event.percent,
            note=event.note,
            confidential=confidential(event),
        )

    @handlers.on("Commitment.FlaggedAtRisk")
    def on_flagged_at_risk(self, tx: ViewTransaction, event: Any, position: int) -> None:
        self._touch(tx, event, status="at_risk", **_status_note(event, event.reason))
        _status(tx, event, "at_risk", event.party, event.reason)

    @handlers.on("Commitment.Delivered")
    def on_delivered(self, tx: ViewTransaction, event: Any, position: int) -> None:
        self._touch(
            tx,
            event,
            status="delivered",
            **_status_note(event, event.evidence),
            delivered_on=event.occurred_at.date().isoformat(),
            delivered_on_time=bool(event.on_time),
            closed_at=iso(event.timestamp),
        )
        _status(tx, event, "delivered", "provider", event.evidence, iso(event.occurred_at))

    @handlers.on("Commitment.Missed")
    def on_missed(self, tx: ViewTransaction, event: Any, position: int) -> None:
        self._touch(
            tx,
            event,
            status="missed",
            closed_at=iso(event.timestamp),
            **_status_note(event, event.reason),
        )
        _status(tx, event, "missed", "commissioner", event.reason)

    @handlers.on("Commitment.Renegotiated")
    def on_renegotiated(self, tx: ViewTransaction, event: Any, position: int) -> None:
        tx.execute(
            f"UPDATE {COMMITMENTS} SET renegotiation_count = renegotiation_count + 1"
            " WHERE id = %(id)s",
            {"id": str(event.originator_id)},
        )
        self._touch(
            tx,
            event,
            status="renegotiated",
            due_date=event.new_due_date,
            **_status_note(event, event.reason),
        )
        _entry(
            tx,
            DUE_DATES,
            event,
            due_date=event.new_due_date,
            previous_due_date=event.previous_due_date,
            reason=event.reason,
            confidential=confidential(event),
        )
        _status(tx, event, "renegotiated", "commissioner", event.reason)

    @handlers.on("Commitment.Withdrawn")
    def on_withdrawn(self, tx: ViewTransaction, event: Any, position: int) -> None:
        self._touch(
            tx,
            event,
            status="withdrawn",
            closed_at=iso(event.timestamp),
            **_status_note(event, event.reason),
        )
        _status(tx, event, "withdrawn", "provider", event.reason)

    @handlers.on("Commitment.CarriedOver")
    def on_carried_over(self, tx: ViewTransaction, event: Any, position: int) -> None:
        column = "provider_id" if event.role == "provider" else "commissioner_id"
        self._touch(tx, event, **{column: str(event.to_organisation_id)})
        _entry(
            tx,
            CARRIED_OVER,
            event,
            role=event.role,
            from_organisation_id=str(event.from_organisation_id),
            to_organisation_id=str(event.to_organisation_id),
        )

    @staticmethod
    def _touch(tx: ViewTransaction, event: Any, **changes: Any) -> None:
        """Set the given columns plus the row's version and last-updated time."""
        assignments = "".join(f"{column} = %({column})s, " for column in changes)
        tx.execute(
            f"UPDATE {COMMITMENTS} SET {assignments}version = %(v)s, updated_at = %(t)s "
            "WHERE id = %(id)s",
            {
                **changes,
                "v": event.originator_version,
                "t": iso(event.timestamp),
                "id": str(event.originator_id),
            },
        )


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def confidential(event: Any) -> bool:
    """Whether the event's note is for the two sides only; older events had no such flag."""
    return bool(getattr(event, "confidential", False))


def _status_note(event: Any, note: str) -> dict[str, Any]:
    return {"status_note": note, "status_note_confidential": confidential(event)}


def _entry(tx: ViewTransaction, table: str, event: Any, **fields: Any) -> None:
    """One row of a history table, stamped with its event's version, time and actor."""
    columns = ", ".join(fields)
    values = ", ".join(f"%({column})s" for column in fields)
    tx.execute(
        f"INSERT INTO {table} (commitment_id, version, recorded_at, actor_id, {columns})"
        f" VALUES (%(_id)s, %(_v)s, %(_t)s, %(_actor)s, {values})",
        {
            **fields,
            "_id": str(event.originator_id),
            "_v": event.originator_version,
            "_t": iso(event.timestamp),
            "_actor": _text(event.actor_id),
        },
    )


def _status(
    tx: ViewTransaction,
    event: Any,
    status: str,
    party: str | None,
    note: str | None = None,
    occurred_at: str | None = None,
) -> None:
    _entry(
        tx,
        STATUSES,
        event,
        status=status,
        party=party,
        note=note,
        occurred_at=occurred_at,
        confidential=confidential(event) if note is not None else False,
    )


#: The projections this module defines; infra.bootstrap runs them all.
PROJECTIONS: list[Projection] = [CommitmentProjection()]
