"""A programme's decisions: every decision in its chain of supersessions, filterable by
status, with the lineage report's figures (time to decide, crowded workstreams, who proposes,
objects and decides).

Everything comes from the API's ``read_programme_lineage`` at the page's as-of moment, so the
list can be read as the board could have seen it on a past date.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get
from litestar.params import FromQuery

from domain.decision import DecisionStatus
from domain.errors import InvalidValue
from services.api import lineage_schemas as ls
from services.api.common import ContainerDep, Limit, Offset, ProgrammeId
from services.api.lineage import read_programme_lineage
from services.web.charts.bars import Bar, bar_chart
from services.web.decision_page import STATUS_WORDS
from services.web.frame import frame
from services.web.page_kit import Column, Page, Table, as_of_from, days, respond
from services.web.readable import Names, day

#: Every chain at once: the report computes them all anyway, and the page paginates decisions.
_ALL = 1_000_000


def decisions_table(
    report: ls.ProgrammeDecisionLineage,
    status: str | None,
    names: Names,
    href: Any,
    limit: int,
    offset: int,
) -> Table:
    workstreams = {w.workstream_id: w.name for w in report.workstreams}
    rows = [
        {
            "title": item.title,
            "href": href(f"/web/decisions/{item.id}"),
            "status": STATUS_WORDS.get(item.status, item.status),
            "workstream": workstreams.get(item.workstream_id) or "",
            "proposer": names.organisation(item.proposing_organisation_id),
            "proposed_at": day(item.proposed_at),
            "decided_at": day(item.decided_at),
            "latency_days": days(item.latency_days),
            "chain": f"{position} of {chain.length}",
            "amendments": item.amendment_count,
        }
        for chain in report.chains.items
        for position, item in enumerate(chain.decisions, start=1)
        if status is None or item.status == status
    ]
    return Table(
        name="decisions",
        caption="Decisions, each in its chain of supersessions (first to the one in force)",
        columns=(
            Column("title", "Decision", link="href"),
            Column("status", "Status"),
            Column("workstream", "Workstream"),
            Column("proposer", "Proposed by"),
            Column("proposed_at", "Proposed"),
            Column("decided_at", "Decided"),
            Column("latency_days", "Days to decide", numeric=True),
            Column("chain", "Place in chain"),
            Column("amendments", "Amendments", numeric=True),
        ),
        rows=rows[offset : offset + limit],
        empty="No decision recorded." if status is None else "No decision with this status.",
        total=len(rows),
        limit=limit,
        offset=offset,
    )


def workstreams_table(report: ls.ProgrammeDecisionLineage) -> Table:
    rows = [
        {
            "name": w.name or "Outside any workstream",
            "decisions": w.decisions,
            "participants": w.participants,
            "organisations": w.participant_organisations,
            "median_days": days(w.latency.median_days),
            "p90_days": days(w.latency.p90_days),
            "crowded": "crowded" if w.crowded else "no",
        }
        for w in report.workstreams
    ]
    return Table(
        name="workstreams",
        caption="Coordination by workstream",
        columns=(
            Column("name", "Workstream"),
            Column("decisions", "Decisions", numeric=True),
            Column("participants", "People active", numeric=True),
            Column("organisations", "Organisations active", numeric=True),
            Column("median_days", "Median days to decide", numeric=True),
            Column("p90_days", "90th percentile days", numeric=True),
            Column("crowded", "Crowded"),
        ),
        rows=rows,
        empty="The programme has no workstreams.",
    )


def organisations_table(report: ls.ProgrammeDecisionLineage) -> Table:
    rows = [
        {
            "name": o.name or "Not recorded",
            "kind": o.kind,
            "proposals": o.proposals,
            "objections": o.objections,
            "decisions": o.decisions,
        }
        for o in report.by_organisation
    ]
    return Table(
        name="organisations",
        caption="Who proposes, objects and decides",
        columns=(
            Column("name", "Organisation"),
            Column("kind", "Kind"),
            Column("proposals", "Proposals", numeric=True),
            Column("objections", "Objections", numeric=True),
            Column("decisions", "Decisions taken", numeric=True),
        ),
        rows=rows,
        empty="No decision activity yet.",
    )


def kinds_table(report: ls.ProgrammeDecisionLineage) -> Table:
    rows = [
        {
            "kind": k.kind,
            "proposals": k.proposals,
            "objections": k.objections,
            "decisions": k.decisions,
        }
        for k in report.by_kind
    ]
    return Table(
        name="kinds",
        caption="By kind of organisation",
        columns=(
            Column("kind", "Kind of organisation"),
            Column("proposals", "Proposals", numeric=True),
            Column("objections", "Objections", numeric=True),
            Column("decisions", "Decisions taken", numeric=True),
        ),
        rows=rows,
        empty="No decision activity yet.",
    )


def latency_chart(report: ls.ProgrammeDecisionLineage) -> Any:
    """Median days to decide by workstream, against the programme's median."""
    rows = [w for w in report.workstreams if w.latency.median_days is not None]
    if not rows:
        return None
    bars = [
        Bar(
            w.name or "Outside any workstream",
            w.latency.median_days,
            f"{days(w.latency.median_days)} days" + (" · crowded" if w.crowded else ""),
            tone="bad" if w.crowded else "",
        )
        for w in rows
    ]
    return bar_chart(
        bars,
        # Room after the longest bar for its words.
        maximum=1.4 * max(w.latency.median_days or 0 for w in rows),
        title="Median days from proposal to decision, by workstream",
        description=(
            "One bar per workstream that has taken decisions; crowded workstreams are marked"
            " in words and colour. The coordination table gives the same figures."
        ),
        chart_id="latency-chart",
    )


def _status(value: str) -> str | None:
    if not value:
        return None
    if value not in {s.value for s in DecisionStatus}:
        raise InvalidValue("status", "must be one of " + ", ".join(s.value for s in DecisionStatus))
    return value


class ProgrammeDecisionsPage(Controller):
    path = "/programmes/{programme_id:str}/decisions"

    @get(operation_id="programmeDecisionsPage", sync_to_thread=True)
    def decisions(
        self,
        request: Request[Any, Any, Any],
        container: ContainerDep,
        programme_id: ProgrammeId,
        as_of: FromQuery[str] = "",
        status: FromQuery[str] = "",
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> Response[Any]:
        """The programme's decisions and its decision lineage figures, now or as of a date."""
        when = as_of_from(as_of)
        chosen = _status(status)
        report = read_programme_lineage(container, programme_id, None, when.moment, _ALL, 0)
        context = frame(request, container, when)
        programme = container.directory.programme(report.programme_id) or {}
        decisions = [d for chain in report.chains.items for d in chain.decisions]
        page = Page(
            "decisions.html",
            f"Decisions: {programme.get('title', 'programme')}",
            when,
            tables=[
                decisions_table(report, chosen, Names(container), context["href"], limit, offset),
                workstreams_table(report),
                organisations_table(report),
                kinds_table(report),
            ],
            context={
                "report": report,
                "chart": latency_chart(report),
                "programme_id": report.programme_id,
                "status": chosen or "",
                "statuses": [("", "Any status")]
                + [(s.value, STATUS_WORDS[s.value]) for s in DecisionStatus],
                "figures": {
                    "decisions": len(decisions),
                    "chains": report.chains.total,
                    "superseded_chains": sum(1 for c in report.chains.items if c.length > 1),
                    "in_force": sum(1 for c in report.chains.items if c.in_force_id),
                    "taken": report.latency.decisions_taken,
                    "median_days": days(report.latency.median_days) or "none taken",
                    "p90_days": days(report.latency.p90_days) or "none taken",
                    "crowded": sum(1 for w in report.workstreams if w.crowded),
                },
            },
        )
        return respond(request, page, f"decisions-{report.programme_id}", context)
