"""The portfolio page: every programme the person can see, with alignment, overdue
commitments and bus factor, sortable by any of them."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get
from litestar.params import FromQuery

from projections.portfolio_report import Portfolio, PortfolioSort
from services.api.common import ContainerDep, Limit, Offset
from services.api.portfolio import read_portfolio
from services.web.charts.bars import Bar, bar_chart
from services.web.frame import frame
from services.web.page_kit import Column, Page, Table, as_of_from, respond

COLUMNS = (
    Column("title", "Programme", link="href", sort=PortfolioSort.TITLE.value),
    Column("lead_commissioner", "Lead commissioner"),
    Column("participants", "Organisations", numeric=True),
    Column("reviewed", "Components reviewed", numeric=True),
    Column(
        "never_reviewed", "Never reviewed", numeric=True, sort=PortfolioSort.NEVER_REVIEWED.value
    ),
    Column("stale", "Stale", numeric=True, sort=PortfolioSort.STALE.value),
    Column("endorsing", "Endorsing purpose", numeric=True, sort=PortfolioSort.ENDORSEMENT.value),
    Column(
        "overdue_commitments",
        "Overdue commitments",
        numeric=True,
        sort=PortfolioSort.OVERDUE.value,
    ),
    Column("bus_factor", "Bus factor", numeric=True, sort=PortfolioSort.BUS_FACTOR.value),
)


def percent(share: float | None) -> str:
    return "not known" if share is None else f"{round(share * 100)}%"


def programmes_table(portfolio: Portfolio, href: Any) -> Table:
    rows = [
        {
            "title": item.title,
            "href": href(f"/web/programmes/{item.programme_id}"),
            "programme_id": item.programme_id,
            "lead_commissioner": item.lead_commissioner_name or "",
            "participants": item.participants,
            "reviewed": f"{item.reviewed} of {item.components}",
            "never_reviewed": item.never_reviewed,
            "stale": item.stale,
            "endorsing": percent(item.endorsement_share),
            "overdue_commitments": item.overdue_commitments,
            "bus_factor": item.bus_factor,
        }
        for item in portfolio.items
    ]
    return Table(
        name="programmes",
        caption="Programmes",
        columns=COLUMNS,
        rows=rows,
        empty="No programme you can see yet.",
        total=portfolio.total,
        limit=portfolio.limit,
        offset=portfolio.offset,
        sort=portfolio.sort,
        descending=portfolio.descending,
    )


def endorsement_chart(portfolio: Portfolio) -> Any:
    bars = [
        Bar(
            item.title,
            None if item.endorsement_share is None else item.endorsement_share * 100,
            percent(item.endorsement_share),
            tone=_tone(item.endorsement_share),
        )
        for item in portfolio.items
    ]
    return bar_chart(
        bars,
        maximum=100,
        title="Shared purpose endorsement by programme",
        description=(
            "For each programme on this page, the share of its organisations endorsing the"
            " current shared purpose; the table below gives the same figures."
        ),
        chart_id="endorsement-chart",
    )


def _tone(share: float | None) -> str:
    if share is None:
        return "unknown"
    return "good" if share >= 0.75 else "warn" if share >= 0.5 else "bad"


class PortfolioPage(Controller):
    path = "/portfolio"

    @get(operation_id="portfolioPage", sync_to_thread=True)
    def portfolio(
        self,
        request: Request[Any, Any, Any],
        container: ContainerDep,
        as_of: FromQuery[str] = "",
        sort: FromQuery[str] = PortfolioSort.TITLE.value,
        order: FromQuery[str] = "asc",
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> Response[Any]:
        """Every programme the person can see, with its key figures, sortable."""
        when = as_of_from(as_of)
        portfolio = read_portfolio(
            request, container, when.moment, None, sort, order, limit, offset
        )
        context = frame(request, container, when)
        page = Page(
            "portfolio.html",
            "Portfolio",
            when,
            tables=[programmes_table(portfolio, context["href"])],
            context={
                "portfolio": portfolio,
                "chart": endorsement_chart(portfolio) if portfolio.items else None,
            },
        )
        return respond(request, page, "portfolio", context)
