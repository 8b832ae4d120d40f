"""Views: the commitment tracker's facts, one versioned row per commitment.

``trk_commitments`` keeps every version of each commitment's row (projections/temporal.py),
so the tracker reads the commitments as they were recorded at any past moment: who held
each side (a merge carries open commitments to the successor), the status, the due date in
force and the original one, how often it was renegotiated, the latest progress and, once
delivered, the day it was delivered and whether that was on time.

Overdue is never stored: it depends on the day the report is read for
(projections/commitment_tracker_report.py). Dates are ISO text, which compares as dates.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from projections.projection import EventHandlers, Projection
from projections.store import ViewTransaction
from projections.temporal import VersionedTable, recorded_at
from projections.timefmt import iso

TRACKED = VersionedTable(
    "trk_commitments",
    key=("id",),
    columns=(
        "provider_id TEXT NOT NULL",
        "commissioner_id TEXT NOT NULL",
        "programme_id TEXT",
        "what TEXT NOT NULL",
        "contract_lever TEXT",
        "status TEXT NOT NULL",
        "due_date TEXT NOT NULL",
        "original_due_date TEXT NOT NULL",
        "renegotiation_count INTEGER NOT NULL",
        "percent_complete INTEGER",
        "made_at TEXT NOT NULL",
        "delivered_on TEXT",
        "delivered_on_time BOOLEAN",
        "closed_at TEXT",
    ),
    indexes=(("provider_id",), ("commissioner_id",), ("programme_id",)),
)


class CommitmentTrackerProjection(Projection):
    name = "commitment_tracker"
    tables = (TRACKED.name,)
    handlers = EventHandlers()

    def create_statements(self) -> Sequence[str]:
        return TRACKED.create_statements()

    @handlers.on("Commitment.Made")
    def on_made(self, tx: ViewTransaction, event: Any, position: int) -> None:
        TRACKED.insert(
            tx,
            {
                "id": str(event.originator_id),
                "provider_id": str(event.provider_id),
                "commissioner_id": str(event.commissioner_id),
                "programme_id": _text(event.programme_id),
                "what": event.what,
                "contract_lever": event.contract_lever,
                "status": "proposed",
                "due_date": event.due_date,
                "original_due_date": event.due_date,
                "renegotiation_count": 0,
                "percent_complete": None,
                "made_at": iso(event.occurred_at),
                "delivered_on": None,
                "delivered_on_time": None,
                "closed_at": None,
            },
            recorded_at(event),
        )

    @handlers.on("Commitment.Accepted")
    def on_accepted(self, tx: ViewTransaction, event: Any, position: int) -> None:
        _change(tx, event, status="accepted")

    @handlers.on("Commitment.ProgressRecorded")
    def on_progress_recorded(self, tx: ViewTransaction, event: Any, position: int) -> None:
        _change(tx, event, percent_complete=event.percent)

    @handlers.on("Commitment.FlaggedAtRisk")
    def on_flagged_at_risk(self, tx: ViewTransaction, event: Any, position: int) -> None:
        _change(tx, event, status="at_risk")

    @handlers.on("Commitment.Renegotiated")
    def on_renegotiated(self, tx: ViewTransaction, event: Any, position: int) -> None:
        current = TRACKED.current(tx, _key(event))
        count = int(current["renegotiation_count"]) + 1 if current is not None else 1
        _change(
            tx,
            event,
            status="renegotiated",
            due_date=event.new_due_date,
            renegotiation_count=count,
        )

    @handlers.on("Commitment.Delivered")
    def on_delivered(self, tx: ViewTransaction, event: Any, position: int) -> None:
        _change(
            tx,
            event,
            status="delivered",
            delivered_on=event.occurred_at.date().isoformat(),
            delivered_on_time=bool(event.on_time),
            closed_at=recorded_at(event),
        )

    @handlers.on("Commitment.Missed")
    def on_missed(self, tx: ViewTransaction, event: Any, position: int) -> None:
        _change(tx, event, status="missed", closed_at=recorded_at(event))

    @handlers.on("Commitment.Withdrawn")
    def on_withdrawn(self, tx: ViewTransaction, event: Any, position: int) -> None:
        _change(tx, event, status="withdrawn", closed_at=recorded_at(event))

    @handlers.on("Commitment.CarriedOver")
    def on_carried_over(self, tx: ViewTransaction, event: Any, position: int) -> None:
        column = "provider_id" if event.role == "provider" else "commissioner_id"
        _change(tx, event, **{column: str(event.to_organisation_id)})


def _change(tx: ViewTransaction, event: Any, **changes: Any) -> None:
    """A new version of the commitment's row, current from the event's recorded time."""
    TRACKED.update(tx, _key(event), changes, recorded_at(event))


def _key(event: Any) -> dict[str, str]:
    return {"id": str(event.originator_id)}


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


#: The projections this module defines; infra.bootstrap runs them all.
PROJECTIONS: list[Projection] = [CommitmentTrackerProjection()]
