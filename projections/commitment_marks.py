"""What a commitment timeline draws besides its dates: when progress was recorded and how
complete, and each due date agreed since the first, for a page of commitments at once.

Read from the commitments view's append-only history (``cmt_progress``, ``cmt_due_dates``)
through a ``Moment``, so a past as-of date shows only what was recorded by then. No note or
reason is read: these marks are percentages and dates, never confidential text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from projections.commitments import DUE_DATES, PROGRESS
from projections.store import ViewStore
from projections.temporal import Moment, in_clause


@dataclass(frozen=True)
class ProgressMark:
    recorded_on: date
    percent: int


@dataclass(frozen=True)
class Renegotiation:
    recorded_on: date
    from_date: date
    to_date: date


@dataclass
class Marks:
    progress: list[ProgressMark] = field(default_factory=list)
    renegotiations: list[Renegotiation] = field(default_factory=list)


def commitment_marks(
    store: ViewStore, commitment_ids: Sequence[str], moment: Moment
) -> dict[str, Marks]:
    """Progress and renegotiations of these commitments recorded by ``moment``, oldest first
    (two queries, whatever the number of commitments)."""
    marks = {str(commitment_id): Marks() for commitment_id in commitment_ids}
    if not marks:
        return marks
    listed, params = in_clause("_c", list(marks))
    params.update(moment.params)
    for row in store.fetch_all(
        f"SELECT commitment_id, percent, recorded_at FROM {moment.appended(PROGRESS, 'p')}"
        f" WHERE commitment_id IN {listed} ORDER BY commitment_id, version",
        params,
    ):
        marks[row["commitment_id"]].progress.append(
            ProgressMark(_day(row["recorded_at"]), int(row["percent"]))
        )
    for row in store.fetch_all(
        f"SELECT commitment_id, due_date, previous_due_date, recorded_at"
        f" FROM {moment.appended(DUE_DATES, 'd')}"
        f" WHERE commitment_id IN {listed} AND previous_due_date IS NOT NULL"
        " ORDER BY commitment_id, version",
        params,
    ):
        marks[row["commitment_id"]].renegotiations.append(
            Renegotiation(
                _day(row["recorded_at"]),
                date.fromisoformat(row["previous_due_date"]),
                date.fromisoformat(row["due_date"]),
            )
        )
    return marks


def _day(recorded_at: str) -> date:
    # Recorded times are ISO text in UTC; the first ten characters are the date.
    return date.fromisoformat(str(recorded_at)[:10])
