"""The server-rendered pages under /web, with their own error pages (HTML, not JSON)."""

from __future__ import annotations

from litestar import Router

from services.web.commitment_forms import commitment_forms
from services.web.commitment_page import CommitmentPage
from services.web.commitment_tracker_page import CommitmentTrackerPage, MyCommitmentsPage
from services.web.dashboard_page import DashboardPage
from services.web.decision_page import DecisionPage
from services.web.decisions_page import ProgrammeDecisionsPage
from services.web.history_page import history_routes
from services.web.page_errors import PAGE_EXCEPTION_HANDLERS
from services.web.portfolio_page import PortfolioPage
from services.web.resilience_page import ResiliencePages
from services.web.review_page import ReviewPage

#: Where the pages live; the API owns the rest of the URL space.
PAGES_PREFIX = "/web"


def page_router() -> Router:
    return Router(
        path=PAGES_PREFIX,
        route_handlers=[
            PortfolioPage,
            DashboardPage,
            ReviewPage,
            ResiliencePages,
            ProgrammeDecisionsPage,
            DecisionPage,
            *history_routes(),
            CommitmentTrackerPage,
            MyCommitmentsPage,
            CommitmentPage,
            *commitment_forms(),
        ],
        exception_handlers=PAGE_EXCEPTION_HANDLERS,
        include_in_schema=False,
    )
