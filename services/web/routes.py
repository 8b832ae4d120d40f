"""The server-rendered pages under /web, with their own error pages (HTML, not JSON)."""

from __future__ import annotations

from litestar import Router

from services.web.dashboard_page import DashboardPage
from services.web.page_errors import PAGE_EXCEPTION_HANDLERS
from services.web.portfolio_page import PortfolioPage
from services.web.review_page import ReviewPage

#: Where the pages live; the API owns the rest of the URL space.
PAGES_PREFIX = "/web"


def page_router() -> Router:
    return Router(
        path=PAGES_PREFIX,
        route_handlers=[PortfolioPage, DashboardPage, ReviewPage],
        exception_handlers=PAGE_EXCEPTION_HANDLERS,
        include_in_schema=False,
    )
