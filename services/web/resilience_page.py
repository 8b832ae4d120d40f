"""The resilience pages: a programme's (key figures, who holds its knowledge as a heat map,
single points of knowledge, and the off-boarding what-if), and the portfolio's.

The what-if form is a GET (it changes nothing): ``?leaving=<person id>&leaving=...``. It is
answered by the same reader, with the same validation, as ``getOffboardingImpact``; a
refused pick is shown beside the form with the API's 422.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get
from litestar.params import FromQuery

from domain.errors import InvalidValue
from infra.bootstrap import Container
from projections.resilience_offboarding import OffboardingImpact
from projections.resilience_people import programme_people
from projections.resilience_report import PortfolioResilience
from services.api.common import ContainerDep, Limit, Offset, ProgrammeId
from services.api.resilience import (
    read_offboarding,
    read_portfolio_resilience,
    read_programme_resilience,
)
from services.web.charts.bars import Bar, bar_chart
from services.web.forms import FormState
from services.web.frame import frame
from services.web.page_kit import AsOf, Column, Page, Table, as_of_from, respond
from services.web.resilience_tables import (
    HEATMAP_ROWS,
    finding_tables,
    knowledge_heat_map,
    knowledge_table,
    loads,
    single_points_table,
    whatif_tables,
)

#: The what-if form's name and its field: the API calls the same values ``person_id``.
WHATIF = "whatif"
LEAVING = "leaving"


def _whatif(
    request: Request[Any, Any, Any],
    container: Container,
    programme_id: str,
    leaving: list[str],
    asked: bool,
    when: AsOf,
) -> tuple[OffboardingImpact | None, FormState | None]:
    """The what-if's answer, or the refusal to show beside the form; nothing if not asked."""
    if not asked and not leaving:
        return None, None
    try:
        return read_offboarding(request, container, programme_id, leaving, when.moment), None
    except InvalidValue as exc:
        # The API names its parameter person_id; on the page the field is "leaving".
        reason = exc.reason[:1].upper() + exc.reason[1:]
        return None, FormState(WHATIF, {LEAVING: leaving}, {LEAVING: reason + "."}, status=422)


class ResiliencePages(Controller):
    path = "/"

    @get(
        "/programmes/{programme_id:str}/resilience",
        operation_id="programmeResiliencePage",
        sync_to_thread=True,
    )
    def programme(
        self,
        request: Request[Any, Any, Any],
        container: ContainerDep,
        programme_id: ProgrammeId,
        as_of: FromQuery[str] = "",
        leaving: FromQuery[list[str] | None] = None,
        whatif: FromQuery[str] = "",
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> Response[Any]:
        """Where the programme rests on too few people, and what would be orphaned if the
        people picked in the what-if form left."""
        when = as_of_from(as_of)
        report = read_programme_resilience(request, container, programme_id, when.moment)
        pid = report.programme_id
        people = programme_people(container.views, when.moment, pid)
        picked = [value.strip() for value in leaving or [] if value.strip()]
        impact, form = _whatif(request, container, pid, picked, bool(whatif), when)
        areas = report.knowledge_areas
        busiest = loads(areas)
        single_points = single_points_table(areas, {p.person_id: p for p in people})
        tables = [
            knowledge_table(areas, busiest, limit, offset),
            single_points,
            *finding_tables(report),
            *(whatif_tables(impact) if impact is not None else []),
        ]
        page = Page(
            "resilience.html",
            f"Resilience: {report.title}",
            when,
            tables=tables,
            status=form.status if form is not None else 200,
            context={
                "report": report,
                "programme_id": pid,
                "heatmap": knowledge_heat_map(areas, busiest) if busiest else None,
                "heatmap_capped": len(busiest) > HEATMAP_ROWS,
                "heatmap_rows": HEATMAP_ROWS,
                "people": people,
                "picked": set(form.values[LEAVING] if form else picked),
                "impact": impact,
                "form": form,
                "single_points": len(single_points.rows),
            },
        )
        return respond(request, page, f"resilience-{pid}", frame(request, container, when))

    @get("/resilience", operation_id="portfolioResiliencePage", sync_to_thread=True)
    def portfolio(
        self,
        request: Request[Any, Any, Any],
        container: ContainerDep,
        as_of: FromQuery[str] = "",
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> Response[Any]:
        """Every programme's bus factor, and the people holding several critical roles."""
        when = as_of_from(as_of)
        report = read_portfolio_resilience(request, container, when.moment, limit, offset)
        context = frame(request, container, when)
        page = Page(
            "portfolio_resilience.html",
            "Resilience across the portfolio",
            when,
            tables=_portfolio_tables(report, context["href"]),
            context={
                "report": report,
                "chart": _bus_factor_chart(report) if report.items else None,
            },
        )
        return respond(request, page, "resilience", context)


def _portfolio_tables(report: PortfolioResilience, href: Any) -> list[Table]:
    return [
        Table(
            "programmes",
            "Bus factor by programme",
            (
                Column("title", "Programme", link="href"),
                Column("bus_factor", "Bus factor", numeric=True),
                Column("areas", "Knowledge areas with contributions", numeric=True),
            ),
            [
                {
                    "title": item.title,
                    "href": href(f"/web/programmes/{item.programme_id}/resilience"),
                    "bus_factor": item.bus_factor,
                    "areas": item.knowledge_area_count,
                }
                for item in report.items
            ],
            empty="No programme you can see yet.",
            total=report.total,
            limit=report.limit,
            offset=report.offset,
        ),
        Table(
            "several_roles",
            "People holding or deputising in several critical roles",
            (
                Column("name", "Person"),
                Column("count", "Critical roles", numeric=True),
                Column("roles", "Those you can see"),
            ),
            [
                {
                    "name": person.name,
                    "count": person.critical_role_count,
                    "roles": "; ".join(
                        f"{role.position} of {role.title} ({role.programme_title})"
                        for role in person.roles
                    ),
                }
                for person in report.people_with_several_critical_roles
            ],
            empty="Nobody holds several critical roles.",
        ),
    ]


def _bus_factor_chart(report: PortfolioResilience) -> Any:
    top = max((item.bus_factor for item in report.items), default=0)
    bars = [
        Bar(
            item.title,
            item.bus_factor,
            str(item.bus_factor),
            tone="bad" if item.bus_factor <= 1 else "warn" if item.bus_factor == 2 else "good",
        )
        for item in report.items
    ]
    return bar_chart(
        bars,
        maximum=max(top, 1),
        title="Bus factor by programme",
        description=(
            "For each programme on this page, how many people would have to leave before more"
            " than half of its knowledge areas had nobody covering them; the table below gives"
            " the same figures."
        ),
        chart_id="bus-factor-chart",
    )
