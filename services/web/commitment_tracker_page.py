"""The commitment tracker page: for a commissioner, what providers committed to it; for a
provider, what it committed to. Figures, a timeline and the table, all from the API's reader
(``services.api.commitment_tracker.read_tracker``), one page of commitments at a time."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from litestar import Controller, Request, Response, get
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect
from litestar.status_codes import HTTP_303_SEE_OTHER

from domain.errors import InvalidValue
from infra.bootstrap import Container
from projections.commitment_marks import Marks, commitment_marks
from projections.commitment_tracker_report import Side
from services.api import commitment_tracker_schemas as ts
from services.api.access import readable_programmes
from services.api.commitment_tracker import read_tracker
from services.api.common import ContainerDep, Limit, Offset, actor
from services.web.charts.commitment_timeline import TimelineRow, timeline_chart
from services.web.frame import frame
from services.web.page_kit import Column, Page, Table, as_of_from, respond

COMMITMENT_COLUMNS = (
    Column("what", "Commitment", link="href"),
    Column("other_side", "Other side"),
    Column("programme", "Programme", link="programme_href"),
    Column("status", "Status"),
    Column("due_date", "Due"),
    Column("original_due_date", "Original due"),
    Column("progress", "Last progress", numeric=True),
    Column("overdue", "Overdue"),
)
COUNTERPART_COLUMNS = (
    Column("name", "Organisation"),
    Column("total", "Commitments", numeric=True),
    Column("open", "Open", numeric=True),
    Column("overdue", "Overdue", numeric=True),
    Column("at_risk", "At risk", numeric=True),
    Column("delivered", "Delivered", numeric=True),
    Column("missed", "Missed", numeric=True),
    Column("on_time_rate", "On-time rate", numeric=True),
    Column("renegotiations", "Renegotiations", numeric=True),
    Column("due_next_30_days", "Due in 30 days", numeric=True),
)
STATUS_WORDS = {
    "due": "Due",
    "at_risk": "At risk",
    "overdue": "Overdue",
    "renegotiated": "Renegotiated",
    "delivered": "Delivered",
    "missed": "Missed",
    "withdrawn": "Withdrawn",
}


def rate(value: float | None) -> str:
    return "not known" if value is None else f"{round(value * 100)}%"


def days(count: int) -> str:
    return f"{count} day" if count == 1 else f"{count} days"


def status_text(item: ts.TrackedCommitment) -> str:
    """The status in words, with how late or how long to go."""
    words = STATUS_WORDS.get(item.tracker_status, item.tracker_status)
    if item.days_overdue is not None:
        return f"Overdue by {days(item.days_overdue)}"
    if item.tracker_status == "delivered":
        return "Delivered on time" if item.delivered_on_time else "Delivered late"
    if item.days_until_due is not None:
        when = "due today" if item.days_until_due == 0 else f"due in {days(item.days_until_due)}"
        return when.capitalize() if words == "Due" else f"{words}, {when}"
    return words


def commitments_table(
    tracker: ts.CommitmentTracker, href: Any, programme_titles: dict[str, str]
) -> Table:
    commissioner = tracker.side == Side.COMMISSIONER
    rows = []
    for item in tracker.items:
        programme = str(item.programme_id) if item.programme_id else None
        rows.append(
            {
                "what": item.what,
                "href": href(f"/web/commitments/{item.id}"),
                "other_side": (item.provider_name if commissioner else item.commissioner_name)
                or "",
                "programme": programme_titles.get(programme or "", ""),
                "programme_href": (
                    href(f"/web/programmes/{programme}") if programme in programme_titles else None
                ),
                "status": status_text(item),
                "due_date": item.due_date,
                "original_due_date": item.original_due_date,
                "progress": "" if item.percent_complete is None else f"{item.percent_complete}%",
                "overdue": f"Yes, {days(item.days_overdue)}" if item.days_overdue else "No",
            }
        )
    return Table(
        name="commitments",
        caption="Commitments, open ones first by due date",
        columns=COMMITMENT_COLUMNS,
        rows=rows,
        empty="No commitments on this side.",
        total=tracker.total,
        limit=tracker.limit,
        offset=tracker.offset,
    )


def counterparts_table(tracker: ts.CommitmentTracker) -> Table:
    other = "Providers" if tracker.side == Side.COMMISSIONER else "Commissioners"
    rows = [
        {
            "name": counterpart.name or str(counterpart.organisation_id),
            "total": counterpart.totals.total,
            "open": counterpart.totals.open,
            "overdue": counterpart.totals.overdue,
            "at_risk": counterpart.totals.at_risk,
            "delivered": counterpart.totals.delivered,
            "missed": counterpart.totals.missed,
            "on_time_rate": rate(counterpart.delivery.on_time_rate),
            "renegotiations": counterpart.renegotiations.total,
            "due_next_30_days": counterpart.due_next_30_days,
        }
        for counterpart in tracker.counterparts
    ]
    return Table(
        name="counterparts",
        caption=f"{other}: delivery and renegotiation",
        columns=COUNTERPART_COLUMNS,
        rows=rows,
        empty="No commitments yet.",
    )


def timeline(tracker: ts.CommitmentTracker, marks: dict[str, Marks], href: Any) -> Any:
    today = date.fromisoformat(tracker.today)
    rows = []
    for item in tracker.items:
        found = marks.get(str(item.id), Marks())
        ended = item.delivered_on or (item.closed_at if not item.open else None)
        rows.append(
            TimelineRow(
                label=item.what,
                made=datetime.fromisoformat(item.made_at).date(),
                due=date.fromisoformat(item.due_date),
                original_due=date.fromisoformat(item.original_due_date),
                status=item.tracker_status,
                status_text=status_text(item),
                ended=date.fromisoformat(ended[:10]) if ended else None,
                progress=found.progress,
                renegotiations=found.renegotiations,
                href=href(f"/web/commitments/{item.id}"),
            )
        )
    return timeline_chart(
        rows,
        today,
        title=f"Timeline of {tracker.organisation_name}'s commitments",
        description=(
            "One row per commitment on this page: from when it was made to its due date, with"
            " the original due date and renegotiations, progress updates, and overdue ones"
            " marked; the table below lists the same commitments."
        ),
        chart_id="commitment-timeline",
        today_label="As of" if tracker.as_of else "Today",
    )


class CommitmentTrackerPage(Controller):
    path = "/organisations"

    @get(
        "/{organisation_id:str}/commitments",
        operation_id="commitmentTrackerPage",
        sync_to_thread=True,
    )
    def tracker(
        self,
        request: Request[Any, Any, Any],
        container: ContainerDep,
        organisation_id: FromPath[str],
        as_of: FromQuery[str] = "",
        side: FromQuery[str] = "",
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> Response[Any]:
        """One organisation's commitments: figures, a timeline and the table."""
        when = as_of_from(as_of)
        context = frame(request, container, when)
        chosen = _side(side)
        try:
            tracker = read_tracker(
                container, organisation_id, when.moment, side=chosen, limit=limit, offset=offset
            )
        except InvalidValue as exc:
            if exc.field != "side" or chosen is not None:
                raise
            # A partner or local authority may be on either side: let them choose.
            page = Page("commitment_side.html", "Commitment tracker", when)
            page.context.update(reason=exc.reason.split(";")[0] + ".", choose_side=True)
            return respond(request, page, "commitments", context)
        marks = commitment_marks(
            container.views, [str(item.id) for item in tracker.items], when.moment
        )
        titles = _titles(request, container, {str(i.programme_id) for i in tracker.items})
        page = Page(
            "commitment_tracker.html",
            f"Commitments: {tracker.organisation_name}",
            when,
            tables=[
                commitments_table(tracker, context["href"], titles),
                counterparts_table(tracker),
            ],
            context={
                "tracker": tracker,
                "on_time_rate": rate(tracker.delivery.on_time_rate),
                "chart": timeline(tracker, marks, context["href"]) if tracker.items else None,
                "other_side": "provider" if tracker.side == Side.COMMISSIONER else "commissioner",
            },
        )
        return respond(request, page, "commitments", context)


class MyCommitmentsPage(Controller):
    path = "/commitments"

    @get(operation_id="myCommitmentsPage", sync_to_thread=True)
    def mine(
        self, request: Request[Any, Any, Any], container: ContainerDep, as_of: FromQuery[str] = ""
    ) -> Response[Any]:
        """The tracker of the viewer's own organisation, or why there is none."""
        when = as_of_from(as_of)
        organisation_id = container.app.current_organisation_of(actor(request))
        if organisation_id is not None:
            target = frame(request, container, when)["href"](
                f"/web/organisations/{organisation_id}/commitments"
            )
            return Redirect(target, status_code=HTTP_303_SEE_OTHER)
        page = Page("commitment_side.html", "Commitment tracker", when)
        page.context["reason"] = (
            "You are not a member of any organisation, so you have no commitment tracker."
        )
        return respond(request, page, "commitments", frame(request, container, when))


def _side(value: str) -> Side | None:
    if not value:
        return None
    try:
        return Side(value)
    except ValueError:
        raise InvalidValue("side", "must be commissioner or provider") from None


def _titles(
    request: Request[Any, Any, Any], container: Container, programme_ids: set[str]
) -> dict[str, str]:
    """The titles of the programmes the viewer reads (a link to one they cannot read would
    only lead to a 404 page)."""
    readable = readable_programmes(request, container)
    wanted = sorted(
        programme_id
        for programme_id in programme_ids
        if programme_id != "None" and (readable is None or programme_id in readable)
    )
    # One query: the directory's programme() reads a whole programme (four queries).
    return container.directory.programme_titles(wanted)
