"""The decision page: the decision, its lineage drawn as a graph, the timeline of its
consultations and objections, and a form to record the reader's organisation's response.

It reads through the API's own functions (``read_decision``, ``read_decision_chain``), so the
page and the API cannot disagree, and at the page's as-of moment.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.params import FromQuery, URLEncodedBody

from domain.decision import OPEN, Stance
from domain.errors import Forbidden
from services.api import decisions_schemas as ds
from services.api import lineage_schemas as ls
from services.api.common import ContainerDep, actor, parse_id
from services.api.decisions import DecisionId, read_decision
from services.api.lineage import read_decision_chain
from services.web.charts.event_timeline import Happening, timeline_chart
from services.web.charts.lineage import Edge, Node, lineage_chart
from services.web.forms import FormState, submit
from services.web.frame import frame
from services.web.page_kit import (
    AsOf,
    Column,
    Page,
    Table,
    as_of_from,
    days,
    respond,
)
from services.web.readable import Names, day, short_time

STATUS_WORDS = {
    "proposed": "Proposed",
    "decided": "Decided",
    "superseded": "Superseded",
    "revoked": "Revoked",
    "withdrawn": "Withdrawn",
}

#: How the timeline names each kind of entry of the lineage report.
EVENT_WORDS = {
    "proposed": "Proposed",
    "consulted": "Consulted",
    "responded": "Responded",
    "taken": "Decided",
    "amended": "Amended",
    "superseded": "Superseded",
    "superseded_another": "Superseded an earlier decision",
    "revoked": "Revoked",
    "withdrawn": "Withdrawn",
    "consultation_carried_over": "Consultation carried over",
}

RESPONSE_FORM = "response"


@dataclass
class ResponseForm:
    stance: str = ""
    reason: str = ""
    csrf_token: str = ""


def event_words(entry: ls.LineageTimelineEntry) -> str:
    if entry.kind == "responded":
        return "Objected" if entry.stance == Stance.OBJECT.value else "Supported"
    return EVENT_WORDS.get(entry.kind, entry.kind.replace("_", " ").capitalize())


def timeline_table(lineage: ls.DecisionChainLineage) -> Table:
    rows = [
        {
            "occurred_at": short_time(entry.occurred_at),
            "event": event_words(entry),
            "person": entry.person_name or "",
            "organisation": entry.organisation_name or "",
            "reason": entry.reason or "",
            "recorded_at": short_time(entry.recorded_at),
            "back_dated": "yes" if entry.back_dated else "no",
        }
        for entry in lineage.timeline
    ]
    return Table(
        name="timeline",
        caption="Timeline: proposal, consultations, responses and what happened since",
        columns=(
            Column("occurred_at", "Occurred (UTC)"),
            Column("event", "Event"),
            Column("person", "By"),
            Column("organisation", "Organisation"),
            Column("reason", "Reason"),
            Column("recorded_at", "Recorded (UTC)"),
            Column("back_dated", "Recorded a day or more later"),
        ),
        rows=rows,
        empty="Nothing recorded on this decision yet.",
    )


def timeline_svg(lineage: ls.DecisionChainLineage) -> Any:
    happenings = [
        Happening(
            datetime.fromisoformat(entry.occurred_at),
            f"{event_words(entry)}"
            + (f": {entry.organisation_name}" if entry.organisation_name else ""),
            entry.stance if entry.kind == "responded" and entry.stance else entry.kind,
        )
        for entry in sorted(lineage.timeline, key=lambda e: (e.occurred_at, e.version))
    ]
    return timeline_chart(
        happenings,
        title="Timeline of the decision",
        description=(
            "Each event of the decision on one row, placed by the date it occurred: objections"
            " are crosses, support circles, other events diamonds. The timeline table below"
            " lists the same events."
        ),
        chart_id="decision-timeline",
    )


def _chain_node(item: ls.LineageDecision, current: str, href: Any) -> Node:
    note = STATUS_WORDS.get(item.status, item.status)
    if item.decided_at:
        note += f" · decided {day(item.decided_at)}"
    else:
        note += f" · proposed {day(item.proposed_at)}"
    return Node(
        item.id,
        item.title,
        note,
        item.status,
        href(f"/web/decisions/{item.id}"),
        item.id == current,
    )


def lineage_parts(lineage: ls.DecisionChainLineage, href: Any) -> tuple[list[Node], list[Edge]]:
    """The graph: every decision of the chain, and this decision's amendments after it."""
    chain = [*reversed(lineage.supersedes), lineage.decision, *lineage.superseded_by]
    current = lineage.decision.id
    nodes = [_chain_node(item, current, href) for item in chain]
    ids = {item.id for item in chain}
    edges = [
        Edge(item.id, item.superseded_by, "superseded by")
        for item in chain
        if item.superseded_by in ids
    ]
    for index, amendment in enumerate(lineage.amendments, start=1):
        node_id = f"{current}-amendment-{index}"
        note = f"Amended {day(amendment.occurred_at)}" + (" · new title" if amendment.title else "")
        nodes.append(Node(node_id, amendment.reason or "Amended", note, "amendment"))
        edges.append(Edge(current, node_id, "amended"))
    return nodes, edges


def lineage_table(lineage: ls.DecisionChainLineage, href: Any) -> Table:
    def row(relation: str, item: ls.LineageDecision) -> dict[str, Any]:
        return {
            "relation": relation,
            "title": item.title,
            "href": href(f"/web/decisions/{item.id}"),
            "status": STATUS_WORDS.get(item.status, item.status),
            "decided_at": day(item.decided_at),
            "superseded_at": day(item.superseded_at),
            "amendments": item.amendment_count,
        }

    rows = [row("it superseded", item) for item in reversed(lineage.supersedes)]
    rows.append(row("this decision", lineage.decision))
    rows.extend(row("superseded it", item) for item in lineage.superseded_by)
    return Table(
        name="lineage",
        caption="Lineage: the decisions it replaced and those that replaced it",
        columns=(
            Column("relation", "Relation"),
            Column("title", "Decision", link="href"),
            Column("status", "Status"),
            Column("decided_at", "Decided"),
            Column("superseded_at", "Superseded"),
            Column("amendments", "Amendments", numeric=True),
        ),
        rows=rows,
    )


def consultations_table(decision: ds.Decision, names: Names) -> Table:
    rows = [
        {
            "organisation": names.organisation(c.organisation_id),
            "consulted_at": short_time(c.consulted_at),
            "stance": {"object": "objects", "support": "supports"}.get(c.stance or "", "no answer"),
            "reason": c.reason or "",
            "responses": len(c.responses),
        }
        for c in decision.consultations
    ]
    return Table(
        name="consultations",
        caption="Consultations and each organisation's current stance",
        columns=(
            Column("organisation", "Organisation"),
            Column("consulted_at", "Consulted (UTC)"),
            Column("stance", "Current stance"),
            Column("reason", "Reason"),
            Column("responses", "Responses", numeric=True),
        ),
        rows=rows,
        empty="No organisation has been consulted.",
    )


def render(
    request: Request[Any, Any, Any],
    container: Any,
    decision_id: str,
    when: AsOf,
    form: FormState | None = None,
) -> Response[Any]:
    did = parse_id(decision_id, "decision")
    decision = read_decision(container, did, when.moment.as_of)
    lineage = read_decision_chain(container, str(did), when.moment)
    context = frame(request, container, when, f"/web/decisions/{did}" if form else None)
    href = context["href"]
    names = Names(container)
    nodes, edges = lineage_parts(lineage, href)
    mine = container.app.current_organisation_of(actor(request))
    consulted = {str(c.organisation_id) for c in decision.consultations}
    page = Page(
        "decision.html",
        decision.title,
        when,
        tables=[
            lineage_table(lineage, href),
            timeline_table(lineage),
            consultations_table(decision, names),
        ],
        context={
            "decision": decision,
            "lineage": lineage,
            "status_words": STATUS_WORDS,
            "workstream": _workstream_name(container, decision),
            "proposer": names.person(decision.proposed_by),
            "proposing_organisation": names.organisation(decision.proposing_organisation_id),
            "decider": names.person(decision.decided_by),
            "deciding_organisation": names.organisation(decision.decided_by_organisation_id),
            "latency": "not decided"
            if decision.latency_days is None
            else days(decision.latency_days),
            "objections": sum(1 for c in decision.consultations if c.stance == "object"),
            "proposed_at": short_time(decision.proposed_at),
            "decided_at": short_time(decision.decided_at),
            "lineage_chart": lineage_chart(
                nodes,
                edges,
                title="Lineage of the decision",
                description=(
                    "The decisions this one replaced (to its left) and those that replaced it"
                    " (to its right), with its amendments; the lineage table lists them."
                ),
                chart_id="decision-lineage",
            ),
            "timeline_chart": timeline_svg(lineage),
            "form": form,
            "my_organisation": names.organisation(mine) if mine else "",
            # The form is offered where the API would accept it: an open decision, now, on
            # which the reader's organisation was consulted.
            "can_respond": when.raw is None
            and decision.status in {s.value for s in OPEN}
            and mine is not None
            and str(mine) in consulted,
        },
        status=form.status if form else 200,
    )
    return respond(request, page, f"decision-{did}", context)


def _workstream_name(container: Any, decision: ds.Decision) -> str:
    if decision.workstream_id is None:
        return "none"
    programme = container.directory.programme(str(decision.programme_id)) or {}
    for workstream in programme.get("workstreams", []):
        if workstream["id"] == str(decision.workstream_id):
            return str(workstream["name"])
    return "unknown workstream"


class DecisionPage(Controller):
    path = "/decisions/{decision_id:str}"

    @get(operation_id="decisionPage", sync_to_thread=True)
    def show(
        self,
        request: Request[Any, Any, Any],
        container: ContainerDep,
        decision_id: DecisionId,
        as_of: FromQuery[str] = "",
    ) -> Response[Any]:
        """The decision with its lineage, timeline and consultations, now or as of a date."""
        return render(request, container, decision_id, as_of_from(as_of))

    @post("/responses", operation_id="respondToDecisionPage", sync_to_thread=True)
    def respond(
        self,
        request: Request[Any, Any, Any],
        container: ContainerDep,
        decision_id: DecisionId,
        data: URLEncodedBody[ResponseForm],
    ) -> Response[Any]:
        """Record the reader's organisation's support or objection: the API's use case."""
        did = parse_id(decision_id, "decision")
        by = actor(request)
        values = {"stance": data.stance, "reason": data.reason}

        def action() -> object:
            organisation = container.app.current_organisation_of(by)
            if organisation is None:
                raise Forbidden("you belong to no organisation, so there is none to respond for")
            return container.app.record_decision_response(
                by=by,
                decision_id=did,
                organisation_id=organisation,
                stance=data.stance,
                reason=data.reason,
            )

        return submit(
            container,
            RESPONSE_FORM,
            values,
            action,
            f"/web/decisions/{did}",
            "responded",
            lambda state: render(request, container, decision_id, as_of_from(None), state),
        )
