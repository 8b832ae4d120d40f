"""The programme dashboard: the Change Model wheel, the shared purpose with every
organisation's position and its versions, recent decisions and role holders; and the form
to endorse or dispute the shared purpose."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.params import FromQuery, URLEncodedBody

from domain.errors import InvalidValue
from infra.bootstrap import Container
from services.api.alignment import read_alignment
from services.api.common import ContainerDep, Limit, Offset, ProgrammeId, actor, parse_id
from services.web import dashboard_tables as t
from services.web.charts.wheel import wheel_chart
from services.web.forms import FormState, required, submit
from services.web.frame import frame
from services.web.page_kit import AsOf, Page, as_of_from, respond

POSITION_FORM = "position"
POSITION_CHOICES = (("", "Choose…"), ("endorse", "Endorse"), ("dispute", "Dispute"))
DONE = {
    "endorsed": "Your organisation's endorsement is recorded.",
    "disputed": "Your organisation's dispute is recorded, with its reason.",
    "review": "The review is recorded; the wheel shows its ratings.",
}


def dashboard(
    request: Request[Any, Any, Any],
    container: Container,
    programme_id: str,
    when: AsOf,
    limit: int = 50,
    offset: int = 0,
    form: FormState | None = None,
) -> Response[Any]:
    """The dashboard page (or one of its tables as CSV), with a refused form if given."""
    pid = parse_id(programme_id, "programme")
    at = when.moment.as_of
    report = read_alignment(container, pid, when.moment)
    context = frame(request, container, when, f"/web/programmes/{pid}" if form else None)
    names = t.names_for_tables(container)
    purpose, versions = t.read_purpose(container, pid, at)
    decisions, decision_total = t.recent_decisions(container, str(pid), at)
    roles, role_total = t.role_holders(container, str(pid), at, limit, offset)
    shared = report.shared_purpose
    page = Page(
        "dashboard.html",
        report.title,
        when,
        tables=[
            t.components_table(report),
            t.positions_table(purpose, names),
            t.versions_table(versions),
            t.decisions_table(decisions, decision_total, context["href"]),
            t.roles_table(container, roles, role_total, names, at, limit, offset),
        ],
        context={
            "programme_id": str(pid),
            "report": report,
            "purpose": purpose,
            "decision_total": decision_total,
            "wheel": wheel_chart(
                t.segments(report),
                shared.text,
                title=f"The Change Model wheel of {report.title}",
                chart_id="change-model-wheel",
            ),
            "form": form,
            "position_form": POSITION_FORM,
            "position_choices": POSITION_CHOICES,
            "organisations": [] if when.raw else _own_organisations(request, container, purpose),
            "done_messages": DONE,
        },
        status=form.status if form else 200,
    )
    return respond(request, page, f"programme-{pid}", context)


def _own_organisations(
    request: Request[Any, Any, Any], container: Container, purpose: Any
) -> list[tuple[str, str]]:
    """The organisations the viewer may take a position for: their own, if it takes part."""
    if purpose is None:
        return []
    person = container.directory.person(str(request.user)) or {}
    own = person.get("organisation_id")
    taking_part = {str(p.organisation_id) for p in purpose.positions}
    if own is None or own not in taking_part:
        return []
    return [(own, t.names_for_tables(container).organisation(own))]


class DashboardPage(Controller):
    path = "/programmes"

    @get("/{programme_id:str}", operation_id="programmeDashboardPage", sync_to_thread=True)
    def show(
        self,
        request: Request[Any, Any, Any],
        container: ContainerDep,
        programme_id: ProgrammeId,
        as_of: FromQuery[str] = "",
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> Response[Any]:
        """A programme at a glance: the Change Model wheel, the shared purpose, decisions and
        role holders, as now or as of a past date."""
        return dashboard(request, container, programme_id, as_of_from(as_of), limit, offset)

    @post(
        "/{programme_id:str}/shared-purpose/positions",
        operation_id="recordPurposePositionPage",
        sync_to_thread=True,
    )
    def record_position(
        self,
        request: Request[Any, Any, Any],
        container: ContainerDep,
        programme_id: ProgrammeId,
        data: URLEncodedBody[dict[str, Any]],
    ) -> Response[Any]:
        """Endorse or dispute the current shared purpose for the viewer's organisation."""
        pid = parse_id(programme_id, "programme")
        values = {key: value for key, value in data.items() if isinstance(value, str)}
        chosen = values.get("position", "")

        def record() -> None:
            organisation_id = _organisation(values)
            version = _version(values)
            if chosen == "endorse":
                container.app.endorse_shared_purpose(
                    by=actor(request),
                    programme_id=pid,
                    organisation_id=organisation_id,
                    version=version,
                )
            elif chosen == "dispute":
                container.app.dispute_shared_purpose(
                    by=actor(request),
                    programme_id=pid,
                    organisation_id=organisation_id,
                    version=version,
                    reason=values.get("reason", ""),
                )
            else:
                raise InvalidValue("position", "choose to endorse or to dispute")

        return submit(
            container,
            POSITION_FORM,
            values,
            record,
            back_to=f"/web/programmes/{pid}",
            done="endorsed" if chosen == "endorse" else "disputed",
            rerender=lambda form: dashboard(
                request, container, programme_id, as_of_from(None), form=form
            ),
        )


def _organisation(values: dict[str, str]) -> UUID:
    value = required(values, "organisation_id", "the organisation you speak for")
    try:
        return UUID(value)
    except ValueError:
        raise InvalidValue("organisation_id", "choose one of the organisations listed") from None


def _version(values: dict[str, str]) -> int:
    try:
        return int(values.get("version", ""))
    except ValueError:
        raise InvalidValue("version", "the form did not say which version you read") from None
