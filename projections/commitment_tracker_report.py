"""The commitment tracker: one organisation's commitments, now or as of a past moment.

Reads ``trk_commitments`` (projections/commitment_tracker.py) and ``pf_organisations`` through
a ``Moment``, so every figure is what was recorded by then, judged on ``moment.today``.
docs/reports/commitment-tracker.md states the rules; in short:

Tracker status, first rule that applies:
1. ``delivered`` / ``missed`` / ``withdrawn``: closed with that recorded status;
2. ``overdue``: open and due before today, whatever the recorded status;
3. ``at_risk``: open and flagged at risk;
4. ``renegotiated``: open with a due date renegotiated at least once;
5. ``due``: any other open one (proposed or accepted, due today or later).

On-time delivery rate: delivered on time / (delivered + missed). Withdrawn and open ones do
not count. "On time" is the domain's ``delivered_on_time``: delivered on or before the due
date in force when it was delivered, so a renegotiated date counts. The rate against the
original due date is given beside it, so renegotiation cannot hide lateness.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from projections.commitment_tracker import TRACKED
from projections.programme_facts import ORGANISATIONS, PROGRAMMES
from projections.store import Row, ViewStore
from projections.temporal import Moment, in_clause

#: "Due soon" is due from today up to this many days ahead, both days included.
DUE_SOON_DAYS = 30


class TrackerStatus(StrEnum):
    DUE = "due"
    AT_RISK = "at_risk"
    OVERDUE = "overdue"
    RENEGOTIATED = "renegotiated"
    DELIVERED = "delivered"
    MISSED = "missed"
    WITHDRAWN = "withdrawn"


OPEN_TRACKER_STATUSES = (
    TrackerStatus.DUE,
    TrackerStatus.AT_RISK,
    TrackerStatus.OVERDUE,
    TrackerStatus.RENEGOTIATED,
)
_CLOSED_RECORDED = ("delivered", "missed", "withdrawn")


class Side(StrEnum):
    """Which side of its commitments the organisation reads: received or made."""

    COMMISSIONER = "commissioner"
    PROVIDER = "provider"

    @property
    def column(self) -> str:
        return f"{self.value}_id"

    @property
    def other(self) -> Side:
        return Side.PROVIDER if self is Side.COMMISSIONER else Side.COMMISSIONER


def _quoted(values: Iterable[str]) -> str:
    return ", ".join(f"'{value}'" for value in values)


#: The tracker status rules above, in SQL (``%(_today)s`` is the moment's date).
TRACKER_STATUS_SQL = f"""CASE
    WHEN status IN ({_quoted(_CLOSED_RECORDED)}) THEN status
    WHEN due_date < %(_today)s THEN 'overdue'
    WHEN status = 'at_risk' THEN 'at_risk'
    WHEN renegotiation_count > 0 THEN 'renegotiated'
    ELSE 'due' END"""
_OPEN_SQL = f"status NOT IN ({_quoted(_CLOSED_RECORDED)})"
_OPEN = _quoted(OPEN_TRACKER_STATUSES)
_NOT_LATE = _quoted(status for status in OPEN_TRACKER_STATUSES if status != TrackerStatus.OVERDUE)


@dataclass(frozen=True)
class TrackerScope:
    """Whose commitments: an organisation on one side, optionally in one programme."""

    organisation_id: str
    side: Side
    programme_id: str | None = None


@dataclass
class Tally:
    """Counts over a set of commitments, with the delivery rate and renegotiations."""

    by_status: dict[str, int] = field(
        default_factory=lambda: {status.value: 0 for status in TrackerStatus}
    )
    delivered_on_time: int = 0
    delivered_by_original_date: int = 0
    renegotiations: int = 0
    renegotiated_commitments: int = 0
    due_soon: int = 0

    @property
    def commitments(self) -> int:
        return sum(self.by_status.values())

    @property
    def open(self) -> int:
        return sum(self.by_status[status.value] for status in OPEN_TRACKER_STATUSES)

    @property
    def outcomes(self) -> int:
        """Delivered or missed: the commitments the on-time rate is over."""
        return self.by_status[TrackerStatus.DELIVERED] + self.by_status[TrackerStatus.MISSED]

    @property
    def on_time_rate(self) -> float | None:
        return _rate(self.delivered_on_time, self.outcomes)

    @property
    def on_time_rate_by_original_date(self) -> float | None:
        return _rate(self.delivered_by_original_date, self.outcomes)

    def add(self, row: Row) -> None:
        self.by_status[row["tracker_status"]] += int(row["n"])
        for name in (
            "delivered_on_time",
            "delivered_by_original_date",
            "renegotiations",
            "renegotiated_commitments",
            "due_soon",
        ):
            setattr(self, name, getattr(self, name) + int(row[name] or 0))


@dataclass(frozen=True)
class Counterpart:
    """The other side's organisation, and how its commitments with this one stand."""

    organisation_id: str
    name: str | None
    tally: Tally


@dataclass(frozen=True)
class TrackerSummary:
    today: date
    due_soon_until: date
    totals: Tally
    counterparts: list[Counterpart]


@dataclass(frozen=True)
class CommitmentPage:
    items: list[Row]
    total: int


class CommitmentTrackerReport:
    def __init__(self, store: ViewStore) -> None:
        self.store = store

    def summary(self, scope: TrackerScope, moment: Moment) -> TrackerSummary:
        """Totals per tracker status, delivery rate and renegotiations, overall and per
        organisation on the other side (by name, then id)."""
        other = scope.side.other.column
        where, params = self._scope(scope, moment)
        until = moment.today + timedelta(days=DUE_SOON_DAYS)
        rows = self.store.fetch_all(
            f"""SELECT counterpart_id, tracker_status, COUNT(*) AS n,
                SUM(CASE WHEN delivered_on_time THEN 1 ELSE 0 END) AS delivered_on_time,
                SUM(CASE WHEN status = 'delivered' AND delivered_on <= original_due_date
                    THEN 1 ELSE 0 END) AS delivered_by_original_date,
                SUM(renegotiation_count) AS renegotiations,
                SUM(CASE WHEN renegotiation_count > 0 THEN 1 ELSE 0 END)
                    AS renegotiated_commitments,
                SUM(CASE WHEN {_OPEN_SQL} AND due_date >= %(_today)s
                    AND due_date <= %(_until)s THEN 1 ELSE 0 END) AS due_soon
            FROM (SELECT c.*, c.{other} AS counterpart_id, {TRACKER_STATUS_SQL} AS tracker_status
                  FROM {moment.table(TRACKED.name, "c")} WHERE {where}) AS t
            GROUP BY counterpart_id, tracker_status""",
            {**params, "_until": until.isoformat()},
        )
        totals = Tally()
        by_counterpart: dict[str, Tally] = {}
        for row in rows:
            totals.add(row)
            by_counterpart.setdefault(row["counterpart_id"], Tally()).add(row)
        names = self._names(list(by_counterpart), moment)
        counterparts = sorted(
            (Counterpart(key, names.get(key), tally) for key, tally in by_counterpart.items()),
            key=lambda c: ((c.name or "").casefold(), c.organisation_id),
        )
        return TrackerSummary(moment.today, until, totals, counterparts)

    def commitments(
        self,
        scope: TrackerScope,
        moment: Moment,
        *,
        status: TrackerStatus | None = None,
        due_soon_only: bool = False,
        limit: int = 50,
        offset: int = 0,
    ) -> CommitmentPage:
        """The commitments, open ones first by due date, then closed ones by due date."""
        where, params = self._scope(scope, moment)
        params["_until"] = (moment.today + timedelta(days=DUE_SOON_DAYS)).isoformat()
        filters = []
        if status is not None:
            filters.append("t.tracker_status = %(_status)s")
            params["_status"] = status.value
        if due_soon_only:
            # Open and not overdue means due today or later: only the far end needs a bound.
            filters.append(f"t.tracker_status IN ({_NOT_LATE}) AND t.due_date <= %(_until)s")
        outer = f"WHERE {' AND '.join(filters)}" if filters else ""
        inner = (
            f"SELECT c.*, {TRACKER_STATUS_SQL} AS tracker_status"
            f" FROM {moment.table(TRACKED.name, 'c')} WHERE {where}"
        )
        counted = self.store.fetch_one(f"SELECT COUNT(*) AS n FROM ({inner}) AS t {outer}", params)
        rows = self.store.fetch_all(
            f"""SELECT t.*, p.name AS provider_name, m.name AS commissioner_name
                FROM ({inner}) AS t
                LEFT JOIN {moment.table(ORGANISATIONS.name, "p")} ON p.id = t.provider_id
                LEFT JOIN {moment.table(ORGANISATIONS.name, "m")} ON m.id = t.commissioner_id
                {outer}
                ORDER BY CASE WHEN t.tracker_status IN ({_OPEN}) THEN 0 ELSE 1 END,
                    t.due_date, t.id
                LIMIT %(_limit)s OFFSET %(_offset)s""",
            {**params, "_limit": limit, "_offset": offset},
        )
        total = int(counted["n"]) if counted is not None else 0
        return CommitmentPage([_shaped(row, moment.today) for row in rows], total)

    def overdue_count_by_programme(
        self, programme_ids: Iterable[str], moment: Moment
    ) -> dict[str, int]:
        """How many commitments of each programme are overdue at the moment (0 for none)."""
        wanted = [str(programme_id) for programme_id in programme_ids]
        counts = dict.fromkeys(wanted, 0)
        if not wanted:
            return counts
        listed, params = in_clause("_programme", wanted)
        rows = self.store.fetch_all(
            f"""SELECT programme_id, COUNT(*) AS n FROM {moment.table(TRACKED.name)}
                WHERE programme_id IN {listed} AND {_OPEN_SQL} AND due_date < %(_today)s
                GROUP BY programme_id""",
            {**params, **moment.params, "_today": moment.today.isoformat()},
        )
        counts.update({row["programme_id"]: int(row["n"]) for row in rows})
        return counts

    def overdue_count(self, programme_id: str, moment: Moment) -> int:
        return self.overdue_count_by_programme([programme_id], moment)[str(programme_id)]

    def organisation(self, organisation_id: str, moment: Moment) -> Row | None:
        """Its id, kind and name at the moment (the name it was registered with, if later).

        None when it was never registered: its kind never changes, so any version tells it.
        """
        versions = self.store.fetch_all(
            f"SELECT id, name, kind, valid_from FROM {ORGANISATIONS.name}"
            " WHERE id = %(id)s ORDER BY valid_from",
            {"id": organisation_id},
        )
        if not versions:
            return None
        by_then = [row for row in versions if row["valid_from"] <= _iso_or_max(moment)]
        return by_then[-1] if by_then else versions[0]

    def programme_exists(self, programme_id: str) -> bool:
        found = self.store.fetch_one(
            f"SELECT id FROM {PROGRAMMES.name} WHERE id = %(id)s LIMIT 1", {"id": programme_id}
        )
        return found is not None

    def _scope(self, scope: TrackerScope, moment: Moment) -> tuple[str, dict[str, Any]]:
        # The column comes from the Side enum, never from the request's text.
        clauses = [f"c.{scope.side.column} = %(_organisation)s"]
        params: dict[str, Any] = {
            **moment.params,
            "_organisation": scope.organisation_id,
            "_today": moment.today.isoformat(),
        }
        if scope.programme_id is not None:
            clauses.append("c.programme_id = %(_programme)s")
            params["_programme"] = scope.programme_id
        return " AND ".join(clauses), params

    def _names(self, organisation_ids: list[str], moment: Moment) -> dict[str, str]:
        if not organisation_ids:
            return {}
        listed, params = in_clause("_org", organisation_ids)
        rows = self.store.fetch_all(
            f"SELECT id, name FROM {moment.table(ORGANISATIONS.name)} WHERE id IN {listed}",
            {**params, **moment.params},
        )
        return {row["id"]: row["name"] for row in rows}


def _iso_or_max(moment: Moment) -> str:
    """The moment as versioned tables' recorded-time text; "now" is after everything."""
    return str(moment.params.get("_at") or "9999")


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _shaped(row: Row, today: date) -> Row:
    """Booleans as booleans on both databases; days late or days left, for open ones."""
    if row["delivered_on_time"] is not None:
        row["delivered_on_time"] = bool(row["delivered_on_time"])
    is_open = row["tracker_status"] in OPEN_TRACKER_STATUSES
    days_left = (date.fromisoformat(row["due_date"]) - today).days
    row["open"] = is_open
    row["days_overdue"] = -days_left if is_open and days_left < 0 else None
    row["days_until_due"] = days_left if is_open and days_left >= 0 else None
    return row
