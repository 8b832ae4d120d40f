"""Views: alerts the scheduled jobs raised, cleared and reopened.

One versioned row per alert (``alr_alerts``, see projections/temporal.py), so the alerts can be
read now or as the board could have seen them at a past recorded time:

- ``alr_alerts``: id; key, kind, programme_id, subject_kind, subject_id, summary, details
  (JSON text), detected_on (YYYY-MM-DD), status (open or cleared), raised_at, cleared_at,
  cleared_reason, reopened_count, version.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from projections.projection import EventHandlers, Projection
from projections.store import ViewTransaction
from projections.temporal import VersionedTable, recorded_at

ALERTS = VersionedTable(
    "alr_alerts",
    key=("id",),
    columns=(
        "key TEXT NOT NULL",
        "kind TEXT NOT NULL",
        "programme_id TEXT",
        "subject_kind TEXT NOT NULL",
        "subject_id TEXT NOT NULL",
        "summary TEXT NOT NULL",
        "details TEXT NOT NULL",
        "detected_on TEXT NOT NULL",
        "status TEXT NOT NULL",
        "raised_at TEXT NOT NULL",
        "cleared_at TEXT",
        "cleared_reason TEXT",
        "reopened_count INTEGER NOT NULL",
        "version INTEGER NOT NULL",
    ),
    indexes=(("programme_id",), ("kind",)),
)

OPEN = "open"
CLEARED = "cleared"


class AlertsProjection(Projection):
    name = "alerts"
    tables = (ALERTS.name,)
    handlers = EventHandlers()

    def create_statements(self) -> Sequence[str]:
        return ALERTS.create_statements()

    @handlers.on("Alert.Raised")
    def on_raised(self, tx: ViewTransaction, event: Any, position: int) -> None:
        at = recorded_at(event)
        ALERTS.insert(
            tx,
            {
                "id": str(event.originator_id),
                "key": event.key,
                "kind": event.kind,
                "programme_id": None if event.programme_id is None else str(event.programme_id),
                "subject_kind": event.subject_kind,
                "subject_id": event.subject_id,
                "summary": event.summary,
                "details": json.dumps(event.details, sort_keys=True),
                "detected_on": event.detected_on,
                "status": OPEN,
                "raised_at": at,
                "cleared_at": None,
                "cleared_reason": None,
                "reopened_count": 0,
                "version": event.originator_version,
            },
            at,
        )

    @handlers.on("Alert.Cleared")
    def on_cleared(self, tx: ViewTransaction, event: Any, position: int) -> None:
        at = recorded_at(event)
        ALERTS.update(
            tx,
            _key(event),
            {
                "status": CLEARED,
                "cleared_at": at,
                "cleared_reason": event.reason,
                "version": event.originator_version,
            },
            at,
        )

    @handlers.on("Alert.Reopened")
    def on_reopened(self, tx: ViewTransaction, event: Any, position: int) -> None:
        at = recorded_at(event)
        current = ALERTS.current(tx, _key(event))
        reopened = int(current["reopened_count"]) + 1 if current is not None else 1
        ALERTS.update(
            tx,
            _key(event),
            {
                "status": OPEN,
                "summary": event.summary,
                "details": json.dumps(event.details, sort_keys=True),
                "detected_on": event.detected_on,
                "cleared_at": None,
                "cleared_reason": None,
                "reopened_count": reopened,
                "version": event.originator_version,
            },
            at,
        )


def _key(event: Any) -> dict[str, str]:
    return {"id": str(event.originator_id)}


#: The projections this module defines; infra.bootstrap runs them all.
PROJECTIONS: list[Projection] = [AlertsProjection()]
