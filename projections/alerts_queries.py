"""Reads from the alerts view, now or as of a past recorded time (through a ``Moment``)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from projections.alerts import ALERTS, CLEARED, OPEN
from projections.commitments import COMMITMENTS
from projections.commitments_queries import OVERDUE_SQL
from projections.directory import PROGRAMMES
from projections.directory_queries import Page
from projections.reviews import FRAMEWORK_COMPONENTS, PROGRAMME_LABELS, PROGRAMME_SETTINGS, RATINGS
from projections.roles import FLAGS, ROLES
from projections.store import Row, ViewStore
from projections.temporal import Moment, in_clause

#: The open alerts of one kind (``%(kind)s``), now: what a job may have to clear.
OPEN_ALERTS_OF_KIND_SQL = (
    f"SELECT * FROM {ALERTS.name} WHERE kind = %(kind)s AND status = '{OPEN}'"
    " AND valid_to IS NULL ORDER BY id"
)


# What the scheduled jobs read: the current state, now (services/use_cases/alerts.py).

OVERDUE_COMMITMENTS_SQL = (
    "SELECT id, programme_id, what, status, due_date, provider_id, commissioner_id"
    f" FROM {COMMITMENTS} WHERE {OVERDUE_SQL} ORDER BY due_date, id"
)
COMMITMENT_SQL = f"SELECT id, status, due_date FROM {COMMITMENTS} WHERE id = %(id)s"
PROGRAMMES_SQL = f"SELECT id, created_at FROM {PROGRAMMES} ORDER BY id"
SETTINGS_SQL = f"SELECT programme_id, framework_key, review_interval_days FROM {PROGRAMME_SETTINGS}"
COMPONENTS_SQL = (
    f"SELECT component AS key, label FROM {FRAMEWORK_COMPONENTS}"
    " WHERE framework_key = %(f)s ORDER BY position"
)
LABELS_SQL = f"SELECT programme_id, component, label FROM {PROGRAMME_LABELS}"
# Newest first within each component: the first row seen is the latest rating, chosen as
# the reviews view chooses it (by the date held, then recorded).
RATINGS_SQL = (
    f"SELECT programme_id, component, held_on, review_id FROM {RATINGS}"
    " ORDER BY programme_id, component, held_on DESC, recorded_at DESC, review_id DESC"
)
_HOLDER_LEFT_SQL = (
    f"EXISTS (SELECT 1 FROM {FLAGS} f WHERE f.role_id = r.id AND f.position = 'holder')"
)
VACANT_CRITICAL_ROLES_SQL = (
    f"SELECT r.id, r.programme_id, r.title, r.kind FROM {ROLES} r"
    f" WHERE r.critical = TRUE AND (r.holder_id IS NULL OR {_HOLDER_LEFT_SQL}) ORDER BY r.id"
)
ROLE_SQL = f"SELECT id, critical FROM {ROLES} WHERE id = %(id)s"


@dataclass(frozen=True)
class AlertFilter:
    programme_id: str | None = None
    kind: str | None = None
    #: True: only open alerts; False: only cleared ones; None: both.
    open: bool | None = None
    #: Only alerts of these programmes (the ones the reader may see); None for all.
    within: tuple[str, ...] | None = None


def alert_row(row: Row) -> Row:
    """A view row as the API shows it: details parsed, ``open`` a boolean, no validity columns."""
    shown = {k: v for k, v in row.items() if k not in ("valid_from", "valid_to")}
    shown["details"] = json.loads(row["details"])
    shown["open"] = row["status"] == OPEN
    return shown


class AlertQueries:
    def __init__(self, store: ViewStore) -> None:
        self.store = store

    def list_alerts(self, where: AlertFilter, moment: Moment, *, limit: int, offset: int) -> Page:
        """Alerts as they stood at the moment, the most recently detected first."""
        clauses: list[str] = []
        params: dict[str, Any] = dict(moment.params)
        for column in ("programme_id", "kind"):
            value = getattr(where, column)
            if value is not None:
                clauses.append(f"{column} = %({column})s")
                params[column] = value
        if where.open is not None:
            clauses.append("status = %(status)s")
            params["status"] = OPEN if where.open else CLEARED
        if where.within is not None:
            listed, names = in_clause("_within", where.within)
            clauses.append(f"programme_id IN {listed}")
            params.update(names)
        condition = f" WHERE {' AND '.join(clauses)}" if clauses else ""
        source = moment.table(ALERTS.name)
        counted = self.store.fetch_one(f"SELECT COUNT(*) AS n FROM {source}{condition}", params)
        rows = self.store.fetch_all(
            f"SELECT * FROM {source}{condition} "
            "ORDER BY detected_on DESC, raised_at DESC, id "
            "LIMIT %(_limit)s OFFSET %(_offset)s",
            {**params, "_limit": limit, "_offset": offset},
        )
        total = int(counted["n"]) if counted else 0
        return Page([alert_row(row) for row in rows], total, limit, offset)

    def alert(self, alert_id: str, moment: Moment) -> Row | None:
        """One alert as it stood at the moment; None if it was not raised by then."""
        row = self.store.fetch_one(
            f"SELECT * FROM {moment.table(ALERTS.name)} WHERE id = %(id)s",
            {**moment.params, "id": alert_id},
        )
        return alert_row(row) if row is not None else None
