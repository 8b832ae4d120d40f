"""HTTP API: decisions: proposal, consultation, decision, amendment, supersession, revocation.

Choices the API makes (see domain/decision.py for the rules behind them):
- Supersession is recorded on the *old* decision: ``POST /decisions/{old}/supersede`` with
  ``{"superseded_by": "<new id>"}``. Both must be taken decisions of one programme; both
  records change in one transaction. The response is the old decision, now superseded.
- Consultation is explicit: ``POST /decisions/{id}/consultations`` first, then
  ``/responses``; a response from an organisation not consulted is a 409.
- ``POST /decisions/{id}/revoke`` on a proposal never taken withdraws it (status
  ``withdrawn``); on a taken decision it revokes it (status ``revoked``).
- ``GET /decisions/{id}`` renders from the decisions view, with its lineage (from the view)
  and timeline (its own events up to the version the view shows). ``?version=N`` or
  ``?as_of=<UTC ISO 8601>`` (recorded time) replay that decision's own events instead (ADR 6).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.params import JSONBody, PathParameter, QueryParameter

from domain.decision import Decision as DecisionAggregate
from domain.decision import DecisionStatus
from domain.errors import NotFound
from infra.bootstrap import Container
from projections.decisions_queries import DecisionQueries
from projections.timefmt import iso
from services.api import decisions_schemas as s
from services.api.common import (
    AsOf,
    ContainerDep,
    IfMatch,
    Limit,
    Offset,
    ProgrammeId,
    Version,
    actor,
    etag,
    expected_version,
    fresh,
    parse_datetime,
    parse_id,
)
from services.api.idempotency import IdempotencyKey, once
from services.api.rendering import history_page
from services.api.schemas import HistoryPage, from_row
from services.use_cases.decisions import DecisionRead

KIND = "decision"

DecisionId = Annotated[str, PathParameter(description="The decision's id, a UUID.")]


def _linked(decision: DecisionAggregate) -> s.LinkedDecision:
    return s.LinkedDecision(
        id=decision.id,
        title=decision.title,
        status=decision.status.value,
        decided_at=iso(decision.decided_at),
        superseded_by=decision.superseded_by,
        supersedes=list(decision.supersedes),
    )


def render(read: DecisionRead) -> s.Decision:
    d = read.decision
    consultations = [
        s.DecisionConsultation(
            organisation_id=c.organisation_id,
            consulted_by=c.consulted_by,
            consulted_at=iso(c.occurred_at) or "",
            stance=c.latest.stance.value if c.latest else None,
            reason=c.latest.reason if c.latest else None,
            responses=[
                s.DecisionStance(
                    stance=r.stance.value,
                    reason=r.reason,
                    responded_by=r.responded_by,
                    occurred_at=iso(r.occurred_at) or "",
                )
                for r in c.responses
            ],
            carried_from=c.carried_from,
        )
        for c in d.consultations.values()
    ]
    amendments = [
        s.DecisionAmendment(
            reason=a.reason,
            amended_by=a.amended_by,
            occurred_at=iso(a.occurred_at) or "",
            title=a.title,
            rationale=a.rationale,
            options=None if a.options is None else list(a.options),
            components=None if a.components is None else list(a.components),
        )
        for a in d.amendments
    ]
    timeline = history_page(read.timeline, max(len(read.timeline), 1), 0).items
    return s.Decision(
        id=d.id,
        programme_id=d.programme_id,
        workstream_id=d.workstream_id,
        title=d.title,
        rationale=d.rationale,
        options=list(d.options),
        components=list(d.components),
        status=d.status.value,
        proposing_organisation_id=d.proposing_organisation_id,
        proposed_by=d.proposed_by,
        proposed_at=iso(d.proposed_at) or "",
        authority=d.authority,
        decided_by=d.decided_by,
        decided_by_organisation_id=d.decided_by_organisation_id,
        decided_at=iso(d.decided_at),
        latency_days=d.latency_days,
        consultations=consultations,
        amendments=amendments,
        superseded_by=d.superseded_by,
        superseded_at=iso(d.superseded_at),
        supersedes=list(d.supersedes),
        revoked_at=iso(d.revoked_at),
        revocation_reason=d.revocation_reason,
        lineage=s.DecisionLineage(
            supersedes=[_linked(x) for x in read.supersedes],
            superseded_by=[_linked(x) for x in read.superseded_by],
        ),
        timeline=timeline,
        version=d.version,
        created_at=iso(d.created_on) or "",
        updated_at=iso(d.modified_on) or "",
    )


def _current(
    container: Container,
    decision_id: UUID,
    *,
    status_code: int = 200,
    version: int | None = None,
    at: datetime | None = None,
) -> Response[s.Decision]:
    """The decision now, from the views; as it was (``version``/``at``), from its events."""
    if version is None and at is None:
        return _from_view(container, decision_id, status_code)
    read = container.app.read_decision(decision_id, version=version, at=at)
    return Response(render(read), status_code=status_code, headers=etag(read.decision.version))


def read_decision(container: Container, decision_id: UUID, at: datetime | None) -> s.Decision:
    """The decision now (from the views) or as recorded at ``at``: the API's own read."""
    body: s.Decision = _current(container, decision_id, at=at).content
    return body


def _from_view(container: Container, decision_id: UUID, status_code: int) -> Response[s.Decision]:
    decisions = DecisionQueries(fresh(container).views)
    row = decisions.decision(str(decision_id))
    if row is None:
        raise NotFound(KIND, decision_id)
    for consultation in row["consultations"]:
        latest = consultation["responses"][-1] if consultation["responses"] else None
        consultation["stance"] = latest["stance"] if latest else None
        consultation["reason"] = latest["reason"] if latest else None
    backwards, forwards = decisions.lineage(row)
    row["lineage"] = {"supersedes": backwards, "superseded_by": forwards}
    # The timeline is the record's own events, cut at the version the view shows, so the
    # two always agree even while the view is a moment behind the log.
    timeline = [
        entry
        for entry in container.app.history(DecisionAggregate, decision_id)
        if entry.version <= row["version"]
    ]
    row["timeline"] = history_page(timeline, max(len(timeline), 1), 0).items
    body = msgspec.convert(row, s.Decision)
    return Response(body, status_code=status_code, headers=etag(row["version"]))


class ProgrammeDecisionController(Controller):
    path = "/programmes/{programme_id:str}/decisions"
    tags = ["Decisions"]

    @post("", operation_id="proposeDecision", summary="Propose a decision", sync_to_thread=True)
    def propose(
        self,
        request: Request[Any, Any, Any],
        container: ContainerDep,
        programme_id: ProgrammeId,
        data: JSONBody[s.DecisionPropose],
        idempotency_key: IdempotencyKey = None,
    ) -> Response[s.Decision]:
        """Propose a decision for the programme, optionally in one of its workstreams.

        The proposing organisation must participate in the programme and the caller must be
        one of its current members. `components` are Change Model component keys.
        """

        def command() -> UUID:
            decision = container.app.propose_decision(
                by=actor(request),
                programme_id=parse_id(programme_id, "programme"),
                organisation_id=data.organisation_id,
                title=data.title,
                rationale=data.rationale,
                options=data.options,
                components=data.components,
                workstream_id=data.workstream_id,
                occurred_at=parse_datetime("occurred_at", data.occurred_at),
            )
            return decision.id

        return once(
            container,
            request,
            idempotency_key,
            data,
            command,
            lambda record_id: _current(container, record_id, status_code=201),
        )

    @get(
        "",
        operation_id="listDecisions",
        summary="List a programme's decisions",
        sync_to_thread=True,
    )
    def browse(
        self,
        container: ContainerDep,
        programme_id: ProgrammeId,
        workstream_id: Annotated[
            UUID | None, QueryParameter(description="Only decisions of this workstream")
        ] = None,
        status: Annotated[
            DecisionStatus | None, QueryParameter(description="Only decisions with this status")
        ] = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> s.DecisionPage:
        """The programme's decision log in the order decisions were proposed (occurred time).

        Each item carries its proposal-to-decision latency in days, from occurred times.
        """
        pid = str(parse_id(programme_id, "programme"))
        return list_programme_decisions(
            container,
            pid,
            workstream_id=str(workstream_id) if workstream_id else None,
            status=status.value if status else None,
            limit=limit,
            offset=offset,
        )


def list_programme_decisions(
    container: Container,
    programme_id: str,
    *,
    workstream_id: str | None = None,
    status: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> s.DecisionPage:
    """A programme's decision log, as the API lists it (the dashboard page reads it too)."""
    views = fresh(container)
    if views.directory.programme(programme_id) is None:
        raise NotFound("programme", programme_id)
    page = DecisionQueries(views.views).list_decisions(
        programme_id=programme_id,
        workstream_id=workstream_id,
        status=status,
        limit=limit,
        offset=offset,
    )
    return s.DecisionPage(
        items=[from_row(s.DecisionSummary, row) for row in page.items],
        total=page.total,
        limit=limit,
        offset=offset,
    )


class DecisionController(Controller):
    path = "/decisions"
    tags = ["Decisions"]

    @get(
        "/{decision_id:str}",
        operation_id="getDecision",
        summary="Read a decision with its lineage",
        sync_to_thread=True,
    )
    def read(
        self,
        container: ContainerDep,
        decision_id: DecisionId,
        version: Version = None,
        as_of: AsOf = None,
    ) -> Response[s.Decision]:
        """Read a decision with what it superseded (transitively), what superseded it, and
        its timeline. `version` or `as_of` (recorded time) read it as it was then; linked
        decisions are shown as they were at that moment too. The ETag is its version.
        """
        return _current(
            container,
            parse_id(decision_id, KIND),
            version=version,
            at=parse_datetime("as_of", as_of),
        )

    @get(
        "/{decision_id:str}/history",
        operation_id="decisionHistory",
        summary="Decision history",
        sync_to_thread=True,
    )
    def history(
        self,
        container: ContainerDep,
        decision_id: DecisionId,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> HistoryPage:
        """Every event of the decision, oldest first, with who did it and when."""
        entries = container.app.history(DecisionAggregate, parse_id(decision_id, KIND))
        return history_page(entries, limit, offset)

    @post(
        "/{decision_id:str}/consultations",
        operation_id="consultOnDecision",
        summary="Consult an organisation",
        sync_to_thread=True,
        status_code=200,
    )
    def consult(
        self,
        request: Request[Any, Any, Any],
        container: ContainerDep,
        decision_id: DecisionId,
        data: JSONBody[s.DecisionConsult],
        if_match: IfMatch = None,
        idempotency_key: IdempotencyKey = None,
    ) -> Response[s.Decision]:
        """Consult a participating organisation on the decision (once per organisation)."""

        def command() -> UUID:
            decision = container.app.consult_on_decision(
                by=actor(request),
                decision_id=parse_id(decision_id, KIND),
                organisation_id=data.organisation_id,
                occurred_at=parse_datetime("occurred_at", data.occurred_at),
                expected_version=expected_version(if_match),
            )
            return decision.id

        return once(
            container, request, idempotency_key, data, command, lambda i: _current(container, i)
        )

    @post(
        "/{decision_id:str}/responses",
        operation_id="respondToDecision",
        summary="Record an organisation's support or objection",
        sync_to_thread=True,
        status_code=200,
    )
    def respond(
        self,
        request: Request[Any, Any, Any],
        container: ContainerDep,
        decision_id: DecisionId,
        data: JSONBody[s.DecisionRespond],
        if_match: IfMatch = None,
        idempotency_key: IdempotencyKey = None,
    ) -> Response[s.Decision]:
        """Record a consulted organisation's stance, `support` or `object` (with a reason).

        The caller must be a current member of that organisation. A later response replaces
        its current stance; every response is kept.
        """

        def command() -> UUID:
            decision = container.app.record_decision_response(
                by=actor(request),
                decision_id=parse_id(decision_id, KIND),
                organisation_id=data.organisation_id,
                stance=data.stance,
                reason=data.reason,
                occurred_at=parse_datetime("occurred_at", data.occurred_at),
                expected_version=expected_version(if_match),
            )
            return decision.id

        return once(
            container, request, idempotency_key, data, command, lambda i: _current(container, i)
        )

    @post(
        "/{decision_id:str}/take",
        operation_id="takeDecision",
        summary="Take the decision",
        sync_to_thread=True,
        status_code=200,
    )
    def take(
        self,
        request: Request[Any, Any, Any],
        container: ContainerDep,
        decision_id: DecisionId,
        data: JSONBody[s.DecisionTake],
        if_match: IfMatch = None,
        idempotency_key: IdempotencyKey = None,
    ) -> Response[s.Decision]:
        """Take a proposed decision: the caller decides, on the stated authority, at
        `occurred_at` (the meeting; defaults to now, never before the proposal)."""

        def command() -> UUID:
            decision = container.app.take_decision(
                by=actor(request),
                decision_id=parse_id(decision_id, KIND),
                authority=data.authority,
                occurred_at=parse_datetime("occurred_at", data.occurred_at),
                expected_version=expected_version(if_match),
            )
            return decision.id

        return once(
            container, request, idempotency_key, data, command, lambda i: _current(container, i)
        )

    @post(
        "/{decision_id:str}/amendments",
        operation_id="amendDecision",
        summary="Amend a decision",
        sync_to_thread=True,
        status_code=200,
    )
    def amend(
        self,
        request: Request[Any, Any, Any],
        container: ContainerDep,
        decision_id: DecisionId,
        data: JSONBody[s.DecisionAmend],
        if_match: IfMatch = None,
        idempotency_key: IdempotencyKey = None,
    ) -> Response[s.Decision]:
        """Amend the title, rationale, options or components, with a reason. A decision
        stays decided; the amendment and the earlier wording stay in its history."""

        def command() -> UUID:
            decision = container.app.amend_decision(
                by=actor(request),
                decision_id=parse_id(decision_id, KIND),
                reason=data.reason,
                title=data.title,
                rationale=data.rationale,
                options=data.options,
                components=data.components,
                occurred_at=parse_datetime("occurred_at", data.occurred_at),
                expected_version=expected_version(if_match),
            )
            return decision.id

        return once(
            container, request, idempotency_key, data, command, lambda i: _current(container, i)
        )

    @post(
        "/{decision_id:str}/supersede",
        operation_id="supersedeDecision",
        summary="Supersede a decision by a later one",
        sync_to_thread=True,
        status_code=200,
    )
    def supersede(
        self,
        request: Request[Any, Any, Any],
        container: ContainerDep,
        decision_id: DecisionId,
        data: JSONBody[s.DecisionSupersede],
        if_match: IfMatch = None,
        idempotency_key: IdempotencyKey = None,
    ) -> Response[s.Decision]:
        """Record that this decision is superseded by `superseded_by`, a later taken decision
        of the same programme. Both records are linked in one transaction; If-Match refers
        to this decision. Returns this decision, now superseded."""

        def command() -> UUID:
            decision = container.app.supersede_decision(
                by=actor(request),
                decision_id=parse_id(decision_id, KIND),
                superseded_by=data.superseded_by,
                expected_version=expected_version(if_match),
            )
            return decision.id

        return once(
            container, request, idempotency_key, data, command, lambda i: _current(container, i)
        )

    @post(
        "/{decision_id:str}/revoke",
        operation_id="revokeDecision",
        summary="Revoke a decision or withdraw a proposal",
        sync_to_thread=True,
        status_code=200,
    )
    def revoke(
        self,
        request: Request[Any, Any, Any],
        container: ContainerDep,
        decision_id: DecisionId,
        data: JSONBody[s.DecisionRevoke],
        if_match: IfMatch = None,
        idempotency_key: IdempotencyKey = None,
    ) -> Response[s.Decision]:
        """Revoke a taken decision (status `revoked`) or withdraw a proposal never taken
        (status `withdrawn`), with a reason. Nothing is erased."""

        def command() -> UUID:
            decision = container.app.revoke_decision(
                by=actor(request),
                decision_id=parse_id(decision_id, KIND),
                reason=data.reason,
                occurred_at=parse_datetime("occurred_at", data.occurred_at),
                expected_version=expected_version(if_match),
            )
            return decision.id

        return once(
            container, request, idempotency_key, data, command, lambda i: _current(container, i)
        )


#: The controllers this module serves; services.api.app registers them all.
CONTROLLERS: list[type[Controller]] = [ProgrammeDecisionController, DecisionController]
