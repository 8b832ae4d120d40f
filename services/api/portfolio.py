"""HTTP API: the portfolio summary, every programme on one list with its key figures."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

import msgspec
from litestar import Controller, Request, get
from litestar.params import QueryParameter

from domain.errors import InvalidValue, ReferenceNotFound
from infra.bootstrap import Container
from projections.portfolio_report import Portfolio, PortfolioReport, PortfolioSort
from projections.temporal import Moment
from services.api import portfolio_schemas as s
from services.api.access import readable_programmes
from services.api.common import ContainerDep, Limit, Offset, ViewAsOf, fresh, moment

CommissionerId = Annotated[
    str | None,
    QueryParameter(description="Only the programmes this organisation takes part in (a UUID)."),
]
Sort = Annotated[
    str,
    QueryParameter(
        description=(
            "Order by title (the default), stale, never_reviewed, endorsement_share,"
            " overdue_commitments or bus_factor; ties in title order."
        )
    ),
]
Order = Annotated[str, QueryParameter(description="asc (the default) or desc.")]


def _sort(value: str) -> PortfolioSort:
    try:
        return PortfolioSort(value)
    except ValueError:
        choices = ", ".join(sort.value for sort in PortfolioSort)
        raise InvalidValue("sort", f"must be one of {choices}") from None


def _descending(value: str) -> bool:
    if value not in ("asc", "desc"):
        raise InvalidValue("order", "must be asc or desc")
    return value == "desc"


def _organisation_id(value: str) -> str:
    try:
        return str(UUID(value))
    except ValueError:
        raise InvalidValue("commissioner_id", "must be an organisation's id (a UUID)") from None


class PortfolioController(Controller):
    path = "/portfolio"
    tags = ["Reports"]

    @get(
        operation_id="getPortfolio",
        summary="Every programme with its key figures",
        sync_to_thread=True,
    )
    def portfolio(
        self,
        request: Request[Any, Any, Any],
        container: ContainerDep,
        commissioner_id: CommissionerId = None,
        as_of: ViewAsOf = None,
        sort: Sort = "title",
        order: Order = "asc",
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> s.Portfolio:
        """Every programme (or those `commissioner_id` takes part in) with its alignment
        (components reviewed, never reviewed, stale; the share of organisations endorsing the
        shared purpose), overdue commitments and bus factor, paginated, sortable by any of
        them, with totals over the whole list. `as_of` reads it as recorded up to that UTC
        time. Definitions: docs/reports/portfolio.md."""
        summary = read_portfolio(
            request, container, moment(as_of), commissioner_id, sort, order, limit, offset
        )
        return msgspec.convert(summary, s.Portfolio, from_attributes=True)


def read_portfolio(
    request: Request[Any, Any, Any],
    container: Container,
    at: Moment,
    commissioner_id: str | None,
    sort: str,
    order: str,
    limit: int,
    offset: int,
) -> Portfolio:
    """The portfolio as the caller may see it: the API and the portfolio page both read this."""
    chosen, descending = _sort(sort), _descending(order)
    views = fresh(container)
    if commissioner_id is not None:
        commissioner_id = _organisation_id(commissioner_id)
        if views.directory.organisation(commissioner_id) is None:
            raise ReferenceNotFound("commissioner_id", "organisation", commissioner_id)
    return PortfolioReport(views.views, at).summary(
        commissioner_id=commissioner_id,
        sort=chosen,
        descending=descending,
        limit=limit,
        offset=offset,
        views_version=tuple(sorted(views.view_positions().items())),
        within=_frozen(readable_programmes(request, views)),
    )


def _frozen(ids: list[str] | None) -> frozenset[str] | None:
    return frozenset(ids) if ids is not None else None


#: This module's controllers; services.api.app registers them.
CONTROLLERS: list[type[Controller]] = [PortfolioController]
