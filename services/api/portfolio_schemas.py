"""Response bodies of the portfolio summary."""

from __future__ import annotations

import msgspec


class ProgrammeSummary(msgspec.Struct):
    programme_id: str
    title: str
    lead_commissioner_id: str
    lead_commissioner_name: str | None
    #: Organisations taking part at the moment read.
    participants: int
    #: The programme framework's components, and how many have ever been reviewed.
    components: int
    reviewed: int
    never_reviewed: int
    #: Components whose last review is older than the programme's review interval.
    stale: int
    #: Participating organisations endorsing the current shared purpose (0 to 1; null
    #: without a statement).
    endorsement_share: float | None
    overdue_commitments: int
    bus_factor: int


class PortfolioTotals(msgspec.Struct):
    programmes: int
    overdue_commitments: int
    #: Totalled only when sorting by a figure (every programme is then computed); null in
    #: title order, where only the page's programmes are.
    stale_components: int | None
    never_reviewed_components: int | None
    bus_factor_one: int | None


class Portfolio(msgspec.Struct):
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
