"""HTTP API: commitments providers make to commissioners, and their lifecycle.

A provider's member makes a commitment (``POST /commitments``); the commissioner's member
accepts it; progress, risk, delivery, a miss, a renegotiation or a withdrawal follow, each its
own ``POST /commitments/{id}/...``. Lists and one commitment now come from the commitments
view; ``?version=`` or ``?as_of=`` replay that commitment's own events to read it as it was.
*Overdue* is derived at read time from the due date and today, and is never stored.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Annotated, Any
from uuid import UUID

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.params import JSONBody, PathParameter, QueryParameter

from domain.commitment import CLOSED_STATUSES, Commitment, CommitmentStatus
from domain.errors import InvalidValue, NotFound
from infra.bootstrap import Container
from projections.commitments_queries import CommitmentFilter, CommitmentQueries
from projections.timefmt import iso
from services.api import commitments_schemas as cs
from services.api import schemas
from services.api.access import readable_programmes
from services.api.commitment_redaction import parties_in, programme_in, withhold_confidential
from services.api.common import (
    AsOf,
    ContainerDep,
    IfMatch,
    Limit,
    Offset,
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
from services.application import HistoryEntry
from services.use_cases.commitments import CommitmentReader, Stamp

KIND = "commitment"

CommitmentId = Annotated[str, PathParameter(description="The commitment's id, a UUID.")]


def utc_today() -> date:
    return datetime.now(UTC).date()


def parse_date(field: str, value: str) -> date:
    """A calendar date from a request body (YYYY-MM-DD), or 422 naming the field."""
    try:
        return msgspec.convert(value, date)
    except msgspec.ValidationError:
        raise InvalidValue(field, "must be a calendar date like 2026-12-31") from None


def queries(container: Container) -> CommitmentQueries:
    return CommitmentQueries(container.views)


class CommitmentController(Controller):
    path = "/commitments"
    tags = ["Commitments"]

    @post("", operation_id="makeCommitment", summary="Make a commitment", sync_to_thread=True)
    def make(
        self,
        request: Request[Any, Any, Any],
        container: ContainerDep,
        data: JSONBody[cs.CommitmentCreate],
        idempotency_key: IdempotencyKey = None,
    ) -> Response[cs.Commitment]:
        """A provider commits to a commissioner: what, by when, how it will be measured.

        Only a member of the provider may make it (403). It starts as ``proposed`` until the
        commissioner accepts it. A programme, if given, must have both organisations as
        participants (409); a decision, if given, must exist (422).
        """

        def command() -> UUID:
            commitment = container.app.make_commitment(
                by=actor(request),
                provider_id=data.provider_id,
                commissioner_id=data.commissioner_id,
                what=data.what,
                measure=data.measure,
                due_date=parse_date("due_date", data.due_date),
                contract_lever=data.contract_lever,
                programme_id=data.programme_id,
                decision_id=data.decision_id,
                occurred_at=parse_datetime("occurred_at", data.occurred_at),
            )
            return commitment.id

        return once(
            container,
            request,
            idempotency_key,
            data,
            command,
            lambda record_id: _current(container, _reader(container, request), record_id, 201),
        )

    @get("", operation_id="listCommitments", summary="List commitments", sync_to_thread=True)
    def browse(
        self,
        request: Request[Any, Any, Any],
        container: ContainerDep,
        provider_id: Annotated[
            UUID | None, QueryParameter(description="Only commitments made by this provider")
        ] = None,
        commissioner_id: Annotated[
            UUID | None, QueryParameter(description="Only commitments made to this commissioner")
        ] = None,
        programme_id: Annotated[
            UUID | None, QueryParameter(description="Only commitments linked to this programme")
        ] = None,
        status: Annotated[
            CommitmentStatus | None, QueryParameter(description="Only commitments in this status")
        ] = None,
        overdue: Annotated[
            bool | None,
            QueryParameter(
                description="true: only open ones due before today; false: only the others"
            ),
        ] = None,
        due_within_days: Annotated[
            int | None,
            QueryParameter(
                ge=0,
                le=3650,
                description="Only open ones due from today up to this many days ahead",
            ),
        ] = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> cs.CommitmentPage:
        """List commitments by due date, soonest first; overdue is worked out for today."""
        where = CommitmentFilter(
            provider_id=str(provider_id) if provider_id else None,
            commissioner_id=str(commissioner_id) if commissioner_id else None,
            programme_id=str(programme_id) if programme_id else None,
            status=status.value if status else None,
            overdue=overdue,
            due_within_days=due_within_days,
            **_readable(request, fresh(container)),
        )
        page = queries(fresh(container)).list_commitments(
            where, today=utc_today(), limit=limit, offset=offset
        )
        reader = _reader(container, request)
        return cs.CommitmentPage(
            items=[
                withhold_confidential(
                    schemas.from_row(cs.CommitmentSummary, row),
                    sees_confidential=reader.sees_confidential(
                        row["provider_id"], row["commissioner_id"], row["programme_id"]
                    ),
                )
                for row in page.items
            ],
            total=page.total,
            limit=limit,
            offset=offset,
        )

    @get(
        "/{commitment_id:str}",
        operation_id="getCommitment",
        summary="Read a commitment",
        sync_to_thread=True,
    )
    def read(
        self,
        request: Request[Any, Any, Any],
        container: ContainerDep,
        commitment_id: CommitmentId,
        version: Version = None,
        as_of: AsOf = None,
    ) -> Response[cs.Commitment]:
        """One commitment with every due date, progress update and status it has had.

        With ``version`` or ``as_of``, as it was then; with ``as_of``, overdue is worked out
        for that date. The ETag is the version shown.
        """
        at = parse_datetime("as_of", as_of)
        reader = _reader(container, request)
        return _current(container, reader, parse_id(commitment_id, KIND), version=version, at=at)

    @get(
        "/{commitment_id:str}/history",
        operation_id="commitmentHistory",
        summary="Commitment history",
        sync_to_thread=True,
    )
    def history(
        self,
        request: Request[Any, Any, Any],
        container: ContainerDep,
        commitment_id: CommitmentId,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> schemas.HistoryPage:
        """Every event of the commitment, oldest first, with who did it and when.

        Confidential notes, evidence and reasons are left out of the events' data for a
        reader who is neither the provider nor the commissioner.
        """
        return history_page(commitment_history(container, request, commitment_id), limit, offset)

    @post(
        "/{commitment_id:str}/accept",
        operation_id="acceptCommitment",
        summary="Accept a commitment",
        sync_to_thread=True,
        status_code=200,
    )
    def accept(
        self,
        request: Request[Any, Any, Any],
        container: ContainerDep,
        commitment_id: CommitmentId,
        if_match: IfMatch = None,
        idempotency_key: IdempotencyKey = None,
    ) -> Response[cs.Commitment]:
        """The commissioner accepts a proposed commitment (a member of the commissioner only)."""
        return _write(
            container,
            request,
            idempotency_key,
            None,
            lambda: container.app.accept_commitment(
                by=actor(request),
                commitment_id=parse_id(commitment_id, KIND),
                expected_version=expected_version(if_match),
            ),
        )

    @post(
        "/{commitment_id:str}/progress",
        operation_id="recordCommitmentProgress",
        summary="Record progress",
        sync_to_thread=True,
        status_code=200,
    )
    def progress(
        self,
        request: Request[Any, Any, Any],
        container: ContainerDep,
        commitment_id: CommitmentId,
        data: JSONBody[cs.CommitmentProgress],
        if_match: IfMatch = None,
        idempotency_key: IdempotencyKey = None,
    ) -> Response[cs.Commitment]:
        """The provider records how complete an open commitment is (0 to 100) and a note."""
        return _write(
            container,
            request,
            idempotency_key,
            data,
            lambda: container.app.record_commitment_progress(
                by=actor(request),
                commitment_id=parse_id(commitment_id, KIND),
                percent=data.percent,
                note=data.note,
                confidential=data.confidential,
                expected_version=expected_version(if_match),
            ),
        )

    @post(
        "/{commitment_id:str}/at-risk",
        operation_id="flagCommitmentAtRisk",
        summary="Flag at risk",
        sync_to_thread=True,
        status_code=200,
    )
    def at_risk(
        self,
        request: Request[Any, Any, Any],
        container: ContainerDep,
        commitment_id: CommitmentId,
        data: JSONBody[cs.CommitmentReason],
        if_match: IfMatch = None,
        idempotency_key: IdempotencyKey = None,
    ) -> Response[cs.Commitment]:
        """Either side flags an accepted commitment at risk, saying why (recorded with the side)."""
        return _write(
            container,
            request,
            idempotency_key,
            data,
            lambda: container.app.flag_commitment_at_risk(
                by=actor(request),
                commitment_id=parse_id(commitment_id, KIND),
                reason=data.reason,
                confidential=data.confidential,
                expected_version=expected_version(if_match),
            ),
        )

    @post(
        "/{commitment_id:str}/deliver",
        operation_id="deliverCommitment",
        summary="Record delivery",
        sync_to_thread=True,
        status_code=200,
    )
    def deliver(
        self,
        request: Request[Any, Any, Any],
        container: ContainerDep,
        commitment_id: CommitmentId,
        data: JSONBody[cs.CommitmentDelivery],
        if_match: IfMatch = None,
        idempotency_key: IdempotencyKey = None,
    ) -> Response[cs.Commitment]:
        """The provider records delivery with evidence; on time if by the due date in force."""
        return _write(
            container,
            request,
            idempotency_key,
            data,
            lambda: container.app.deliver_commitment(
                by=actor(request),
                commitment_id=parse_id(commitment_id, KIND),
                evidence=data.evidence,
                occurred_at=parse_datetime("occurred_at", data.occurred_at),
                confidential=data.confidential,
                expected_version=expected_version(if_match),
            ),
        )

    @post(
        "/{commitment_id:str}/missed",
        operation_id="recordCommitmentMissed",
        summary="Record a miss",
        sync_to_thread=True,
        status_code=200,
    )
    def missed(
        self,
        request: Request[Any, Any, Any],
        container: ContainerDep,
        commitment_id: CommitmentId,
        data: JSONBody[cs.CommitmentReason],
        if_match: IfMatch = None,
        idempotency_key: IdempotencyKey = None,
    ) -> Response[cs.Commitment]:
        """The commissioner records that an accepted commitment was missed, after its due date."""
        return _write(
            container,
            request,
            idempotency_key,
            data,
            lambda: container.app.record_commitment_missed(
                by=actor(request),
                commitment_id=parse_id(commitment_id, KIND),
                reason=data.reason,
                confidential=data.confidential,
                expected_version=expected_version(if_match),
            ),
        )

    @post(
        "/{commitment_id:str}/renegotiate",
        operation_id="renegotiateCommitment",
        summary="Renegotiate the due date",
        sync_to_thread=True,
        status_code=200,
    )
    def renegotiate(
        self,
        request: Request[Any, Any, Any],
        container: ContainerDep,
        commitment_id: CommitmentId,
        data: JSONBody[cs.CommitmentRenegotiation],
        if_match: IfMatch = None,
        idempotency_key: IdempotencyKey = None,
    ) -> Response[cs.Commitment]:
        """The commissioner records a new due date it agreed, and why. The old date is kept.

        Recording it is the commissioner's agreement, so only its members may. The new date
        must differ from the current one and not lie in the past (409).
        """
        return _write(
            container,
            request,
            idempotency_key,
            data,
            lambda: container.app.renegotiate_commitment(
                by=actor(request),
                commitment_id=parse_id(commitment_id, KIND),
                new_due_date=parse_date("new_due_date", data.new_due_date),
                reason=data.reason,
                confidential=data.confidential,
                expected_version=expected_version(if_match),
            ),
        )

    @post(
        "/{commitment_id:str}/withdraw",
        operation_id="withdrawCommitment",
        summary="Withdraw a commitment",
        sync_to_thread=True,
        status_code=200,
    )
    def withdraw(
        self,
        request: Request[Any, Any, Any],
        container: ContainerDep,
        commitment_id: CommitmentId,
        data: JSONBody[cs.CommitmentReason],
        if_match: IfMatch = None,
        idempotency_key: IdempotencyKey = None,
    ) -> Response[cs.Commitment]:
        """The provider withdraws an open commitment, saying why. It stays on record."""
        return _write(
            container,
            request,
            idempotency_key,
            data,
            lambda: container.app.withdraw_commitment(
                by=actor(request),
                commitment_id=parse_id(commitment_id, KIND),
                reason=data.reason,
                confidential=data.confidential,
                expected_version=expected_version(if_match),
            ),
        )


def _write(
    container: Container,
    request: Request[Any, Any, Any],
    idempotency_key: str | None,
    data: Any,
    change: Callable[[], Commitment],
) -> Response[cs.Commitment]:
    return once(
        container,
        request,
        idempotency_key,
        data,
        lambda: change().id,
        lambda record_id: _current(container, _reader(container, request), record_id),
    )


def commitment_history(
    container: Container, request: Request[Any, Any, Any], commitment_id: str
) -> list[HistoryEntry]:
    """The commitment's events as this reader may see them (confidential parts withheld)."""
    entries = container.app.history(Commitment, parse_id(commitment_id, KIND))
    sees = _reader(container, request).sees_confidential(
        *parties_in(entries), programme_in(entries)
    )
    return withhold_confidential(entries, sees_confidential=sees)


def _reader(container: Container, request: Request[Any, Any, Any]) -> CommitmentReader:
    return container.app.commitment_reader(actor(request))


def _current(
    container: Container,
    reader: CommitmentReader,
    commitment_id: UUID,
    status_code: int = 200,
    *,
    version: int | None = None,
    at: datetime | None = None,
) -> Response[cs.Commitment]:
    """One commitment now (from the view) or as it was, as ``reader`` may see it."""
    body = read_commitment(container, reader, commitment_id, version=version, at=at)
    return Response(body, status_code=status_code, headers=etag(body.version))


def read_commitment(
    container: Container,
    reader: CommitmentReader,
    commitment_id: UUID,
    *,
    version: int | None = None,
    at: datetime | None = None,
) -> cs.Commitment:
    """The commitment as ``getCommitment`` answers it (the commitment page reads it here too):
    now from the view, or as it was; confidential text withheld unless ``reader`` sees it."""
    if version is None and at is None:
        body = _from_view(container, commitment_id)
    else:
        commitment, stamps = container.app.commitment_as_of(commitment_id, version=version, at=at)
        today = at.astimezone(UTC).date() if at is not None and at.tzinfo else utc_today()
        body = render(commitment, stamps, today)
    sees = reader.sees_confidential(body.provider_id, body.commissioner_id, body.programme_id)
    return withhold_confidential(body, sees_confidential=sees)


def _from_view(container: Container, commitment_id: UUID) -> cs.Commitment:
    """The commitment now, from the commitments view; overdue is judged on today."""
    today = utc_today()
    commitments = CommitmentQueries(fresh(container).views)
    row = commitments.commitment(str(commitment_id), today=today)
    if row is None:
        raise NotFound(KIND, commitment_id)
    row.update(commitments.history(str(commitment_id)), overdue_on=today.isoformat())
    return msgspec.convert(row, cs.Commitment)


def render(commitment: Commitment, stamps: dict[int, Stamp], today: date) -> cs.Commitment:
    """The commitment as the API shows it; recorded times and actors come from its events."""

    def when(version: int) -> str:
        return iso(stamps[version].recorded_at) or ""

    def who(version: int) -> UUID | None:
        return stamps[version].actor_id

    accepted = [s for s in commitment.statuses if s.status is CommitmentStatus.ACCEPTED]
    closing = commitment.statuses[-1] if commitment.status in CLOSED_STATUSES else None
    return cs.Commitment(
        id=commitment.id,
        provider_id=commitment.provider_id,
        commissioner_id=commitment.commissioner_id,
        programme_id=commitment.programme_id,
        decision_id=commitment.decision_id,
        what=commitment.what,
        measure=commitment.measure,
        contract_lever=commitment.contract_lever,
        status=commitment.status.value,
        status_note=commitment.status_note,
        status_note_confidential=commitment.statuses[-1].confidential,
        open=commitment.is_open,
        overdue=commitment.is_overdue(today),
        days_overdue=commitment.days_overdue(today),
        overdue_on=today.isoformat(),
        due_date=commitment.due_date.isoformat(),
        original_due_date=commitment.original_due_date.isoformat(),
        renegotiation_count=commitment.renegotiation_count,
        percent_complete=commitment.percent_complete,
        made_at=iso(commitment.made_at) or "",
        accepted_at=when(accepted[0].version) if accepted else None,
        delivered_on=commitment.delivered_on.isoformat() if commitment.delivered_on else None,
        delivered_on_time=commitment.delivered_on_time,
        closed_at=when(closing.version) if closing is not None else None,
        version=commitment.version,
        created_at=when(1),
        updated_at=when(commitment.version),
        due_dates=[
            cs.DueDateEntry(
                due_date=d.due_date.isoformat(),
                previous_due_date=d.previous_due_date.isoformat() if d.previous_due_date else None,
                reason=d.reason,
                confidential=d.confidential,
                version=d.version,
                recorded_at=when(d.version),
                actor_id=who(d.version),
            )
            for d in commitment.due_dates
        ],
        progress=[
            cs.ProgressEntry(
                percent=p.percent,
                note=p.note,
                confidential=p.confidential,
                version=p.version,
                recorded_at=when(p.version),
                actor_id=who(p.version),
            )
            for p in commitment.progress
        ],
        statuses=[
            cs.StatusEntry(
                status=s.status.value,
                party=s.party.value if s.party is not None else None,
                note=s.note,
                confidential=s.confidential,
                occurred_at=iso(s.occurred_at),
                version=s.version,
                recorded_at=when(s.version),
                actor_id=who(s.version),
            )
            for s in commitment.statuses
        ],
        carried_over=[
            cs.CarryOverEntry(
                role=c.role.value,
                from_organisation_id=c.from_organisation_id,
                to_organisation_id=c.to_organisation_id,
                version=c.version,
                recorded_at=when(c.version),
                actor_id=who(c.version),
            )
            for c in commitment.carried_over
        ],
    )


#: The controllers this module serves; services.api.app registers them all.
CONTROLLERS: list[type[Controller]] = [CommitmentController]


def _readable(request: Request[Any, Any, Any], container: Container) -> dict[str, Any]:
    """What the caller may list: their programmes' commitments and their organisation's."""
    within = readable_programmes(request, container)
    if within is None:
        return {}
    side = container.app.current_organisation_of(actor(request))
    return {"within": tuple(within), "sides_of": str(side) if side else None}
