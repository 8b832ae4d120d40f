"""The portfolio summary: every programme on one list, for a commissioner overseeing many.

Each row puts three reports side by side, read at the same moment:

- alignment (projections/alignment_report.py ``headline``): components reviewed, never
  reviewed and stale, and the share of participating organisations endorsing the current
  shared purpose;
- overdue commitments (projections/commitment_tracker_report.py, one grouped query);
- the bus factor (projections/resilience_report.py).

Sorting by a figure needs every programme's figures, so a summary computes the rows of the
whole scope at once and keeps them, keyed by the views' position, the moment and the scope:
nothing it reads changes until the views move on or the day changes. Definitions:
docs/reports/portfolio.md.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from projections import programme_facts
from projections.alignment_report import AlignmentReport
from projections.commitment_tracker_report import CommitmentTrackerReport
from projections.resilience_report import ResilienceReport
from projections.store import ViewStore
from projections.temporal import Moment, in_clause
from projections.timefmt import iso


class PortfolioSort(StrEnum):
    TITLE = "title"
    STALE = "stale"
    NEVER_REVIEWED = "never_reviewed"
    ENDORSEMENT = "endorsement_share"
    OVERDUE = "overdue_commitments"
    BUS_FACTOR = "bus_factor"


@dataclass(frozen=True)
class ProgrammeSummary:
    programme_id: str
    title: str
    lead_commissioner_id: str
    lead_commissioner_name: str | None
    participants: int
    components: int
    reviewed: int
    never_reviewed: int
    stale: int
    endorsement_share: float | None
    overdue_commitments: int
    bus_factor: int


@dataclass(frozen=True)
class PortfolioTotals:
    programmes: int
    overdue_commitments: int
    #: These three need every programme's figures: null in title order (see ``summary``).
    stale_components: int | None
    never_reviewed_components: int | None
    #: Programmes whose bus factor is 1: one person's departure orphans most of them.
    bus_factor_one: int | None


@dataclass(frozen=True)
class Portfolio:
    as_of: str | None
    today: str
    commissioner_id: str | None
    sort: str
    descending: bool
    totals: PortfolioTotals
    items: list[ProgrammeSummary]
    total: int
    limit: int
    offset: int


_Key = tuple[Any, ...]


class _Summaries:
    """Computed rows, most recently used kept; small, since a key changes as the views do."""

    def __init__(self, size: int = 32) -> None:
        self._rows: OrderedDict[_Key, list[ProgrammeSummary]] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def get(
        self, key: _Key, compute: Callable[[], list[ProgrammeSummary]]
    ) -> list[ProgrammeSummary]:
        with self._lock:
            if key in self._rows:
                self._rows.move_to_end(key)
                return self._rows[key]
        rows = compute()
        with self._lock:
            self._rows[key] = rows
            while len(self._rows) > self._size:
                self._rows.popitem(last=False)
        return rows


# One cache per view store: two stores can be at the same positions with other contents.
_SUMMARIES: weakref.WeakKeyDictionary[ViewStore, _Summaries] = weakref.WeakKeyDictionary()
_SUMMARIES_LOCK = threading.Lock()


def _summaries_of(store: ViewStore) -> _Summaries:
    with _SUMMARIES_LOCK:
        if store not in _SUMMARIES:
            _SUMMARIES[store] = _Summaries()
        return _SUMMARIES[store]


class PortfolioReport:
    def __init__(self, store: ViewStore, moment: Moment) -> None:
        self.store = store
        self.moment = moment

    def summary(
        self,
        *,
        commissioner_id: str | None,
        sort: PortfolioSort,
        descending: bool,
        limit: int,
        offset: int,
        views_version: Hashable,
        within: frozenset[str] | None = None,
    ) -> Portfolio:
        """``views_version`` changes whenever any view moves on (e.g. every view's position).

        In title order only the page's programmes are computed, so a page costs the same
        however large the portfolio; the totals then count programmes and overdue
        commitments only (one query each). Sorting by a figure computes every programme once
        (kept until the views move on or the day changes) and totals everything.

        ``within``: only these programmes (those the reader may see); None for all.
        """
        if sort is PortfolioSort.TITLE:
            return self._title_page(commissioner_id, descending, limit, offset, within)
        key = (views_version, iso(self.moment.as_of), self.moment.today, commissioner_id)
        # Computed for every programme once, shared by all readers, then narrowed.
        rows = _summaries_of(self.store).get(key, lambda: self._rows(commissioner_id))
        if within is not None:
            rows = [row for row in rows if row.programme_id in within]
        ordered = sorted(rows, key=lambda row: (row.title.casefold(), row.programme_id))
        ordered.sort(key=lambda row: _figure(row, sort), reverse=descending)
        return self._portfolio(
            sort,
            descending,
            _totals(rows),
            ordered[offset : offset + limit],
            len(rows),
            limit,
            offset,
            commissioner_id,
        )

    def _title_page(
        self,
        commissioner_id: str | None,
        descending: bool,
        limit: int,
        offset: int,
        within: frozenset[str] | None,
    ) -> Portfolio:
        programmes = self._programmes(commissioner_id)
        if within is not None:
            programmes = [row for row in programmes if row["id"] in within]
        ordered = sorted(programmes, key=lambda row: (row["title"].casefold(), row["id"]))
        if descending:
            ordered.reverse()
        page = ordered[offset : offset + limit]
        overdue = CommitmentTrackerReport(self.store).overdue_count_by_programme(
            [row["id"] for row in programmes], self.moment
        )
        totals = PortfolioTotals(
            programmes=len(programmes),
            overdue_commitments=sum(overdue.values()),
            stale_components=None,
            never_reviewed_components=None,
            bus_factor_one=None,
        )
        rows = self._summaries(page, overdue)
        return self._portfolio(
            PortfolioSort.TITLE,
            descending,
            totals,
            rows,
            len(programmes),
            limit,
            offset,
            commissioner_id,
        )

    def _portfolio(
        self,
        sort: PortfolioSort,
        descending: bool,
        totals: PortfolioTotals,
        items: list[ProgrammeSummary],
        total: int,
        limit: int,
        offset: int,
        commissioner_id: str | None,
    ) -> Portfolio:
        return Portfolio(
            as_of=iso(self.moment.as_of),
            today=self.moment.today.isoformat(),
            commissioner_id=commissioner_id,
            sort=sort.value,
            descending=descending,
            totals=totals,
            items=items,
            total=total,
            limit=limit,
            offset=offset,
        )

    def _rows(self, commissioner_id: str | None) -> list[ProgrammeSummary]:
        programmes = self._programmes(commissioner_id)
        overdue = CommitmentTrackerReport(self.store).overdue_count_by_programme(
            [row["id"] for row in programmes], self.moment
        )
        return self._summaries(programmes, overdue)

    def _summaries(
        self, programmes: list[dict[str, Any]], overdue: dict[str, int]
    ) -> list[ProgrammeSummary]:
        participants = self._participant_counts([row["id"] for row in programmes])
        alignment = AlignmentReport(self.store)
        resilience = ResilienceReport(self.store, self.moment)
        rows = []
        for programme in programmes:
            pid = programme["id"]
            headline = alignment.headline(pid, self.moment)
            rows.append(
                ProgrammeSummary(
                    programme_id=pid,
                    title=programme["title"],
                    lead_commissioner_id=programme["lead_commissioner_id"],
                    lead_commissioner_name=programme["lead_name"],
                    participants=participants.get(pid, 0),
                    components=headline.components,
                    reviewed=headline.reviewed,
                    never_reviewed=headline.components - headline.reviewed,
                    stale=headline.stale,
                    endorsement_share=headline.endorsement_share,
                    overdue_commitments=overdue.get(pid, 0),
                    bus_factor=resilience.bus_factor(pid),
                )
            )
        return rows

    def _programmes(self, commissioner_id: str | None) -> list[dict[str, Any]]:
        """The programmes at the moment; for a commissioner, those it takes part in."""
        at = self.moment
        programmes = at.table(programme_facts.PROGRAMMES.name, "p")
        organisations = at.table(programme_facts.ORGANISATIONS.name, "o")
        condition = ""
        params: dict[str, Any] = dict(at.params)
        if commissioner_id is not None:
            participants = at.table(programme_facts.PARTICIPANTS.name, "pp")
            condition = (
                f"WHERE p.id IN (SELECT pp.programme_id FROM {participants}"
                " WHERE pp.organisation_id = %(org)s)"
            )
            params["org"] = commissioner_id
        return self.store.fetch_all(
            f"""SELECT p.id, p.title, p.lead_commissioner_id, o.name AS lead_name
                FROM {programmes} LEFT JOIN {organisations} ON o.id = p.lead_commissioner_id
                {condition}""",
            params,
        )

    def _participant_counts(self, programme_ids: list[str]) -> dict[str, int]:
        if not programme_ids:
            return {}
        listed, params = in_clause("_programme", programme_ids)
        participants = self.moment.table(programme_facts.PARTICIPANTS.name, "pp")
        rows = self.store.fetch_all(
            f"SELECT pp.programme_id, COUNT(*) AS n FROM {participants}"
            f" WHERE pp.programme_id IN {listed} GROUP BY pp.programme_id",
            {**params, **self.moment.params},
        )
        return {row["programme_id"]: int(row["n"]) for row in rows}


def _figure(row: ProgrammeSummary, sort: PortfolioSort) -> float:
    """The figure a sort orders by; a programme with no endorsement share sorts as 0."""
    value = getattr(row, sort.value)
    return float(value) if value is not None else 0.0


def _totals(rows: list[ProgrammeSummary]) -> PortfolioTotals:
    return PortfolioTotals(
        programmes=len(rows),
        overdue_commitments=sum(row.overdue_commitments for row in rows),
        stale_components=sum(row.stale for row in rows),
        never_reviewed_components=sum(row.never_reviewed for row in rows),
        bus_factor_one=sum(1 for row in rows if row.bus_factor == 1),
    )
