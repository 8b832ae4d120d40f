"""HTTP API: alerts the scheduled jobs raised (overdue commitments, stale components, vacant
critical roles), read now or as of a past recorded time.

Alerts are recorded by the jobs (services/jobs.py), never by clients: this area only reads.
An alert stays on record once cleared, with what resolved it. The rules are in
docs/reports/alerts.md.
"""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, get
from litestar.params import PathParameter, QueryParameter

from domain.alert import Alert, AlertKind
from domain.errors import NotFound
from projections.alerts_queries import AlertFilter, AlertQueries
from projections.timefmt import iso
from services.api import alerts_schemas as als
from services.api import schemas
from services.api.access import readable_programmes
from services.api.common import ContainerDep, Limit, Offset, ViewAsOf, fresh, moment, parse_id
from services.api.rendering import history_page

KIND = "alert"

AlertId = Annotated[str, PathParameter(description="The alert's id, a UUID.")]
ProgrammeFilter = Annotated[
    UUID | None, QueryParameter(description="Only alerts about this programme.")
]
KindFilter = Annotated[AlertKind | None, QueryParameter(description="Only alerts of this kind.")]
OpenFilter = Annotated[
    bool | None,
    QueryParameter(description="true: only open alerts; false: only cleared ones."),
]


class AlertController(Controller):
    path = "/alerts"
    tags = ["Alerts"]

    @get("", operation_id="listAlerts", summary="List alerts", sync_to_thread=True)
    def browse(
        self,
        request: Request[Any, Any, Any],
        container: ContainerDep,
        programme_id: ProgrammeFilter = None,
        kind: KindFilter = None,
        open: OpenFilter = None,
        as_of: ViewAsOf = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> als.AlertPage:
        """Alerts the scheduled jobs raised, the most recently detected first.

        ``commitment_overdue``: an open commitment past its due date (one alert per due date,
        so a renegotiated one that lapses again is a new alert). ``component_stale``: a
        framework component not reviewed within the programme's review interval (or never,
        once the programme is older than the interval). ``critical_role_vacant``: a critical
        role nobody holds, or whose holder left their organisation. Cleared alerts stay, with
        ``cleared_reason``. With ``as_of``, as recorded then. 404 for an unknown programme.
        """
        at = moment(as_of)
        container = fresh(container)
        within = readable_programmes(request, container)
        if programme_id is not None and (
            container.directory.programme(str(programme_id)) is None
            or (within is not None and str(programme_id) not in within)
        ):
            raise NotFound("programme", programme_id)
        where = AlertFilter(
            programme_id=str(programme_id) if programme_id is not None else None,
            kind=kind.value if kind is not None else None,
            open=open,
            within=tuple(within) if within is not None else None,
        )
        page = AlertQueries(container.views).list_alerts(where, at, limit=limit, offset=offset)
        return als.AlertPage(
            items=[schemas.from_row(als.Alert, row) for row in page.items],
            total=page.total,
            limit=limit,
            offset=offset,
            as_of=iso(at.as_of),
            today=at.today.isoformat(),
        )

    @get("/{alert_id:str}", operation_id="getAlert", summary="Read an alert", sync_to_thread=True)
    def read(
        self, container: ContainerDep, alert_id: AlertId, as_of: ViewAsOf = None
    ) -> als.AlertRead:
        """One alert: what was found, when, and whether and why it was cleared.

        With ``as_of``, as recorded then (404 if it had not been raised by then). Every
        raise, clearing and reopening is at ``/alerts/{alert_id}/history``.
        """
        at = moment(as_of)
        key = str(parse_id(alert_id, KIND))
        row = AlertQueries(fresh(container).views).alert(key, at)
        if row is None:
            raise NotFound(KIND, key if at.as_of is None else f"{key} as of {iso(at.as_of)}")
        return schemas.from_row(
            als.AlertRead, {**row, "as_of": iso(at.as_of), "today": at.today.isoformat()}
        )

    @get(
        "/{alert_id:str}/history",
        operation_id="alertHistory",
        summary="Alert history",
        sync_to_thread=True,
    )
    def history(
        self, container: ContainerDep, alert_id: AlertId, limit: Limit = 50, offset: Offset = 0
    ) -> schemas.HistoryPage:
        """Every event of the alert, oldest first: raised, cleared (with the reason), reopened.

        The platform records them, so ``actor_id`` is always null.
        """
        entries = container.app.history(Alert, parse_id(alert_id, KIND))
        return history_page(entries, limit, offset)


#: The controllers this module serves; services.api.app registers them all.
CONTROLLERS: list[type[Controller]] = [AlertController]
