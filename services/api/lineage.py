"""HTTP API: decision lineage and coordination, per programme and per decision.

Both reports read now or ``as_of`` a past recorded time (what the board could have seen);
latencies use occurred times. Definitions and thresholds: docs/reports/lineage.md.
"""

from __future__ import annotations

import dataclasses
from typing import Annotated
from uuid import UUID

import msgspec
from litestar import Controller, get
from litestar.params import PathParameter, QueryParameter

from domain.errors import InvalidValue, NotFound
from infra.bootstrap import Container
from projections.lineage_report import DecisionLineageReport
from projections.temporal import Moment
from projections.timefmt import iso
from services.api import lineage_schemas as s
from services.api.common import (
    ContainerDep,
    Limit,
    Offset,
    ProgrammeId,
    ViewAsOf,
    fresh,
    moment,
    parse_id,
)

DecisionId = Annotated[str, PathParameter(description="The decision's id, a UUID.")]
WorkstreamFilter = Annotated[
    str | None,
    QueryParameter(
        description=(
            "Only this workstream of the programme (a UUID): its chains, latency, row and"
            " counts. It is still judged crowded against the whole programme."
        )
    ),
]


def _workstream(report: DecisionLineageReport, programme_id: str, value: str | None) -> str | None:
    """The workstream filter: a UUID naming a workstream of the programme, else 422."""
    if value is None:
        return None
    try:
        workstream_id = str(UUID(value))
    except ValueError:
        raise InvalidValue("workstream_id", "must be a workstream id (a UUID)") from None
    if workstream_id not in report.workstreams(programme_id):
        raise InvalidValue("workstream_id", "is not a workstream of this programme")
    return workstream_id


def _stamp(at: Moment) -> dict[str, str | None]:
    return {"as_of": iso(at.as_of), "today": at.today.isoformat()}


def read_programme_lineage(
    container: Container,
    programme_id: str,
    workstream_id: str | None,
    at: Moment,
    limit: int,
    offset: int,
) -> s.ProgrammeDecisionLineage:
    """The programme's lineage report at ``at``, as the API and the decisions page show it."""
    pid = str(parse_id(programme_id, "programme"))
    views = fresh(container)
    if views.directory.programme(pid) is None:
        raise NotFound("programme", pid)
    # The filter must name a workstream the programme has now; as of an earlier time
    # it may simply not have had any decisions yet.
    workstream = _workstream(DecisionLineageReport(views.views, Moment()), pid, workstream_id)
    report = DecisionLineageReport(views.views, at).programme(pid, workstream)
    chains = s.LineageChainPage(
        items=msgspec.convert(
            report.chains[offset : offset + limit], list[s.LineageChain], from_attributes=True
        ),
        total=len(report.chains),
        limit=limit,
        offset=offset,
    )
    fields = {f.name: getattr(report, f.name) for f in dataclasses.fields(report)}
    return msgspec.convert(
        {**fields, **_stamp(at), "chains": chains},
        s.ProgrammeDecisionLineage,
        from_attributes=True,
    )


def read_decision_chain(
    container: Container, decision_id: str, at: Moment
) -> s.DecisionChainLineage:
    """One decision's lineage at ``at``, as the API and the decision page show it."""
    did = str(parse_id(decision_id, "decision"))
    lineage = DecisionLineageReport(fresh(container).views, at).decision(did)
    if lineage is None:
        raise NotFound("decision", did)
    fields = {f.name: getattr(lineage, f.name) for f in dataclasses.fields(lineage)}
    return msgspec.convert({**fields, **_stamp(at)}, s.DecisionChainLineage, from_attributes=True)


class LineageController(Controller):
    path = "/"
    tags = ["Reports"]

    @get(
        "/programmes/{programme_id:str}/decision-lineage",
        operation_id="getDecisionLineage",
        summary="Decision lineage and coordination of a programme",
        sync_to_thread=True,
    )
    def programme(
        self,
        container: ContainerDep,
        programme_id: ProgrammeId,
        workstream_id: WorkstreamFilter = None,
        as_of: ViewAsOf = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> s.ProgrammeDecisionLineage:
        """The programme's decision chains (paginated, first decision to the one in force),
        proposal-to-decision latency (median and p90 days, by occurred time), one
        coordination row per workstream (distinct active people and organisations, latency,
        crowded flag, proposals/objections/decisions by organisation kind) and the counts per
        organisation kind and per organisation. A workstream is crowded when it has more
        participants than the programme's median active workstream and a median latency above
        the programme's. `as_of` reads it as recorded up to that UTC time.
        """
        return read_programme_lineage(
            container, programme_id, workstream_id, moment(as_of), limit, offset
        )

    @get(
        "/decisions/{decision_id:str}/lineage",
        operation_id="getDecisionChain",
        summary="One decision's lineage, amendments and consultation timeline",
        sync_to_thread=True,
    )
    def decision(
        self, container: ContainerDep, decision_id: DecisionId, as_of: ViewAsOf = None
    ) -> s.DecisionChainLineage:
        """What the decision replaced (transitively) and what replaced it, the decision in
        force at the end of its chain, its amendments, and every event of it in order:
        proposal, consultations, responses (objections carry `stance: "object"`), decision,
        amendments, supersession, revocation. Each entry has both its occurred and its
        recorded time; `back_dated` marks one recorded a day or more after it occurred.
        A decision not yet recorded at `as_of` is a 404.
        """
        return read_decision_chain(container, decision_id, moment(as_of))


#: This module's controllers; services.api.app registers them.
CONTROLLERS: list[type[Controller]] = [LineageController]
