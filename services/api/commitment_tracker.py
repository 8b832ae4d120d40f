"""HTTP API: the commitment tracker, for a commissioner and for a provider.

One report per organisation: ``GET /organisations/{organisation_id}/commitment-tracker``. A
commissioner reads the commitments made to it, with figures per provider; a provider reads
the commitments it made, with figures per commissioner. Readable now or ``as_of`` a past
recorded time. The rules are in docs/reports/commitment-tracker.md.
"""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, get
from litestar.params import QueryParameter

from domain.errors import InvalidValue, NotFound
from infra.bootstrap import Container
from projections.commitment_tracker_report import (
    CommitmentTrackerReport,
    Side,
    Tally,
    TrackerScope,
    TrackerStatus,
)
from projections.temporal import Moment
from projections.timefmt import iso
from services.api import commitment_tracker_schemas as ts
from services.api import schemas
from services.api.common import (
    ContainerDep,
    Limit,
    Offset,
    OrganisationId,
    ViewAsOf,
    fresh,
    moment,
    parse_id,
)

SideQuery = Annotated[
    Side | None,
    QueryParameter(
        description=(
            "commissioner: commitments made to the organisation; provider: those it made."
            " Defaults to the organisation's kind (required for any other kind)."
        )
    ),
]
ProgrammeFilter = Annotated[
    UUID | None, QueryParameter(description="Only commitments linked to this programme.")
]
StatusFilter = Annotated[
    TrackerStatus | None,
    QueryParameter(description="Only items with this tracker status (the totals stay whole)."),
]
DueSoonFilter = Annotated[
    bool,
    QueryParameter(description="true: only items open and due from today to 30 days ahead."),
]


class CommitmentTrackerController(Controller):
    path = "/organisations"
    tags = ["Reports"]

    @get(
        "/{organisation_id:str}/commitment-tracker",
        operation_id="getCommitmentTracker",
        summary="Commitment tracker",
        sync_to_thread=True,
    )
    def tracker(
        self,
        container: ContainerDep,
        organisation_id: OrganisationId,
        side: SideQuery = None,
        programme_id: ProgrammeFilter = None,
        status: StatusFilter = None,
        due_next_30_days: DueSoonFilter = False,
        as_of: ViewAsOf = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> ts.CommitmentTracker:
        """What is due, at risk, overdue, renegotiated, delivered or missed, and how reliably.

        For a commissioner: the commitments providers made to it, with each provider's
        on-time delivery rate and renegotiations; for a provider, the same per commissioner.
        ``items`` is one page of the commitments, open ones first by due date, narrowed by
        ``status`` and ``due_next_30_days``; the totals, delivery, renegotiations and
        counterparts cover all of them (in ``programme_id`` if given). With ``as_of``, as
        recorded then, judged on that date. 404 for an unknown organisation or programme.
        """
        return read_tracker(
            container,
            organisation_id,
            moment(as_of),
            side=side,
            programme_id=programme_id,
            status=status,
            due_next_30_days=due_next_30_days,
            limit=limit,
            offset=offset,
        )


def read_tracker(
    container: Container,
    organisation_id: str,
    at: Moment,
    *,
    side: Side | None = None,
    programme_id: UUID | None = None,
    status: TrackerStatus | None = None,
    due_next_30_days: bool = False,
    limit: int = 50,
    offset: int = 0,
) -> ts.CommitmentTracker:
    """The tracker as the API answers it; the tracker page reads it here too, so the page's
    figures are the API's."""
    report = CommitmentTrackerReport(fresh(container).views)
    key = str(parse_id(organisation_id, "organisation"))
    organisation = report.organisation(key, at)
    if organisation is None:
        raise NotFound("organisation", key)
    if programme_id is not None and not report.programme_exists(str(programme_id)):
        raise NotFound("programme", programme_id)
    scope = TrackerScope(
        key, side or _side_of(organisation["kind"], organisation["name"]), _text(programme_id)
    )
    summary = report.summary(scope, at)
    page = report.commitments(
        scope,
        at,
        status=status,
        due_soon_only=due_next_30_days,
        limit=limit,
        offset=offset,
    )
    return ts.CommitmentTracker(
        organisation_id=UUID(key),
        organisation_name=organisation["name"],
        side=scope.side.value,
        programme_id=programme_id,
        as_of=iso(at.as_of),
        today=summary.today.isoformat(),
        totals=_totals(summary.totals),
        delivery=_delivery(summary.totals),
        renegotiations=_renegotiations(summary.totals),
        due_next_30_days=ts.DueSoon(
            from_date=summary.today.isoformat(),
            to_date=summary.due_soon_until.isoformat(),
            count=summary.totals.due_soon,
        ),
        counterparts=[
            ts.Counterpart(
                organisation_id=UUID(counterpart.organisation_id),
                name=counterpart.name,
                totals=_totals(counterpart.tally),
                delivery=_delivery(counterpart.tally),
                renegotiations=_renegotiations(counterpart.tally),
                due_next_30_days=counterpart.tally.due_soon,
            )
            for counterpart in summary.counterparts
        ],
        items=[schemas.from_row(ts.TrackedCommitment, row) for row in page.items],
        total=page.total,
        limit=limit,
        offset=offset,
    )


def _side_of(kind: str, name: str) -> Side:
    """Commissioners and providers read their own side; other kinds must say which."""
    try:
        return Side(kind)
    except ValueError:
        raise InvalidValue(
            "side",
            f"'{name}' is a {kind}, neither a commissioner nor a provider;"
            " pass side=commissioner or side=provider",
        ) from None


def _totals(tally: Tally) -> ts.StatusTotals:
    by_status = tally.by_status
    return ts.StatusTotals(
        **by_status,
        open=tally.open,
        closed=tally.commitments - tally.open,
        total=tally.commitments,
    )


def _delivery(tally: Tally) -> ts.Delivery:
    return ts.Delivery(
        delivered=tally.by_status[TrackerStatus.DELIVERED],
        missed=tally.by_status[TrackerStatus.MISSED],
        delivered_on_time=tally.delivered_on_time,
        on_time_rate=tally.on_time_rate,
        delivered_by_original_date=tally.delivered_by_original_date,
        on_time_rate_by_original_date=tally.on_time_rate_by_original_date,
    )


def _renegotiations(tally: Tally) -> ts.Renegotiations:
    return ts.Renegotiations(total=tally.renegotiations, commitments=tally.renegotiated_commitments)


def _text(value: UUID | None) -> str | None:
    return None if value is None else str(value)


#: The controllers this module serves; services.api.app registers them all.
CONTROLLERS: list[type[Controller]] = [CommitmentTrackerController]
