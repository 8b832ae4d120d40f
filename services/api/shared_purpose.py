"""HTTP API: shared-purpose statements: drafts, revisions, endorsements, disputes, adoption.

The statement and each of its versions are read now from the shared-purpose view, and each
write answers from it; ``?version=`` or ``?as_of=`` replay the statement's own events (with
the programme as it was then) to show it as it was (ADR 6).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.params import JSONBody, PathParameter, QueryParameter

from domain.errors import NotFound
from domain.programme import Programme
from domain.shared_purpose import (
    NO_POSITION,
    Adoption,
    PositionRecord,
    SharedPurpose,
    StatementNotFound,
    StatementVersion,
    VersionNotFound,
)
from infra.bootstrap import Container
from projections.shared_purpose_queries import SharedPurposeQueries, StatementQueries
from projections.store import Row
from projections.timefmt import iso
from services.api import schemas
from services.api import shared_purpose_schemas as sp
from services.api.access import readable_programmes
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
from services.application import HistoryEntry

PROGRAMME = "programme"

VersionNumberPath = Annotated[
    int, PathParameter(description="The statement's version number (the first is 1).")
]


class SharedPurposeController(Controller):
    path = "/programmes/{programme_id:str}/shared-purpose"
    tags = ["Shared purpose"]

    # Writing

    @post(
        "",
        operation_id="draftSharedPurpose",
        summary="Draft the programme's shared purpose",
        sync_to_thread=True,
    )
    def draft(
        self,
        request: Request[Any, Any, Any],
        container: ContainerDep,
        programme_id: ProgrammeId,
        data: JSONBody[sp.StatementDraft],
        idempotency_key: IdempotencyKey = None,
    ) -> Response[sp.SharedPurpose]:
        """Draft the first version of the programme's shared-purpose statement. Only a member
        of a participating organisation may draft; a programme has one statement, so a second
        draft is refused with 409: submit a revision instead."""
        pid = parse_id(programme_id, PROGRAMME)

        def command() -> UUID:
            return container.app.draft_shared_purpose(
                by=actor(request),
                programme_id=pid,
                text=data.text,
                occurred_at=parse_datetime("occurred_at", data.occurred_at),
            ).id

        return once(container, request, idempotency_key, data, command, _written(container, pid))

    @post(
        "/revisions",
        operation_id="reviseSharedPurpose",
        summary="Revise the shared purpose (a new version)",
        sync_to_thread=True,
    )
    def revise(
        self,
        request: Request[Any, Any, Any],
        container: ContainerDep,
        programme_id: ProgrammeId,
        data: JSONBody[sp.StatementRevision],
        if_match: IfMatch = None,
        idempotency_key: IdempotencyKey = None,
    ) -> Response[sp.SharedPurpose]:
        """Record a new numbered version of the text. Every organisation's position starts
        afresh (positions applied to the old text, which stays readable with them)."""
        pid = parse_id(programme_id, PROGRAMME)

        def command() -> UUID:
            return container.app.revise_shared_purpose(
                by=actor(request),
                programme_id=pid,
                text=data.text,
                occurred_at=parse_datetime("occurred_at", data.occurred_at),
                expected_version=expected_version(if_match),
            ).id

        return once(container, request, idempotency_key, data, command, _written(container, pid))

    @post(
        "/endorsements",
        operation_id="endorseSharedPurpose",
        summary="Endorse the current version for an organisation",
        sync_to_thread=True,
    )
    def endorse(
        self,
        request: Request[Any, Any, Any],
        container: ContainerDep,
        programme_id: ProgrammeId,
        data: JSONBody[sp.EndorsementCreate],
        if_match: IfMatch = None,
        idempotency_key: IdempotencyKey = None,
    ) -> Response[sp.SharedPurpose]:
        """Endorse the version you read, for your organisation. A superseded version is
        refused with 409; the organisation must participate and you must be its member."""
        pid = parse_id(programme_id, PROGRAMME)

        def command() -> UUID:
            return container.app.endorse_shared_purpose(
                by=actor(request),
                programme_id=pid,
                organisation_id=data.organisation_id,
                version=data.version,
                occurred_at=parse_datetime("occurred_at", data.occurred_at),
                expected_version=expected_version(if_match),
            ).id

        return once(container, request, idempotency_key, data, command, _written(container, pid))

    @post(
        "/disputes",
        operation_id="disputeSharedPurpose",
        summary="Dispute the current version for an organisation, with a reason",
        sync_to_thread=True,
    )
    def dispute(
        self,
        request: Request[Any, Any, Any],
        container: ContainerDep,
        programme_id: ProgrammeId,
        data: JSONBody[sp.DisputeCreate],
        if_match: IfMatch = None,
        idempotency_key: IdempotencyKey = None,
    ) -> Response[sp.SharedPurpose]:
        """Dispute the version you read, for your organisation, saying why. Disputes are
        never deleted: a later endorsement is a new position, and the dispute stays on record."""
        pid = parse_id(programme_id, PROGRAMME)

        def command() -> UUID:
            return container.app.dispute_shared_purpose(
                by=actor(request),
                programme_id=pid,
                organisation_id=data.organisation_id,
                version=data.version,
                reason=data.reason,
                occurred_at=parse_datetime("occurred_at", data.occurred_at),
                expected_version=expected_version(if_match),
            ).id

        return once(container, request, idempotency_key, data, command, _written(container, pid))

    @post(
        "/adoptions",
        operation_id="adoptSharedPurpose",
        summary="Adopt the current version for the board",
        sync_to_thread=True,
    )
    def adopt(
        self,
        request: Request[Any, Any, Any],
        container: ContainerDep,
        programme_id: ProgrammeId,
        data: JSONBody[sp.AdoptionCreate],
        if_match: IfMatch = None,
        idempotency_key: IdempotencyKey = None,
    ) -> Response[sp.SharedPurpose]:
        """Adopt the current version, as a member of the lead commissioner. Every
        participating organisation must have endorsed or disputed it; adopting over disputes
        needs a rationale, and the adoption records who disputed."""
        pid = parse_id(programme_id, PROGRAMME)

        def command() -> UUID:
            return container.app.adopt_shared_purpose(
                by=actor(request),
                programme_id=pid,
                version=data.version,
                rationale=data.rationale,
                occurred_at=parse_datetime("occurred_at", data.occurred_at),
                expected_version=expected_version(if_match),
            ).id

        return once(container, request, idempotency_key, data, command, _written(container, pid))

    # Reading

    @get(
        "",
        operation_id="getSharedPurpose",
        summary="Read the shared purpose with each organisation's position",
        sync_to_thread=True,
    )
    def read(
        self,
        container: ContainerDep,
        programme_id: ProgrammeId,
        version: Version = None,
        as_of: AsOf = None,
    ) -> Response[sp.SharedPurpose]:
        """The current version, every participating organisation's position on it (none if
        it has taken none) and those not aligned with it. With ``version`` or ``as_of``, the
        record as it was then. The ETag is the record's version, for If-Match on writes."""
        pid = parse_id(programme_id, PROGRAMME)
        at = parse_datetime("as_of", as_of)
        if version is None:
            body = read_shared_purpose(container, pid, at)
            return _response(body, body.version)
        statement, programme = container.app.shared_purpose(pid, version=version, at=at)
        return _response(render(statement, programme), statement.version)

    @get(
        "/versions/{number:int}",
        operation_id="getSharedPurposeVersion",
        summary="Read one version of the shared purpose",
        sync_to_thread=True,
    )
    def read_version(
        self,
        container: ContainerDep,
        programme_id: ProgrammeId,
        number: VersionNumberPath,
        version: Version = None,
        as_of: AsOf = None,
    ) -> Response[sp.SharedPurposeVersion]:
        """One numbered version's text, each organisation's latest position on it, every
        position taken on it, and its adoption if any."""
        pid = parse_id(programme_id, PROGRAMME)
        at = parse_datetime("as_of", as_of)
        if version is None and at is None:
            return _current_version(container, pid, number)
        statement, programme = container.app.shared_purpose(pid, version=version, at=at)
        return _response(render_version(statement, programme, number), statement.version)

    @get(
        "/history",
        operation_id="sharedPurposeHistory",
        summary="Shared purpose history",
        sync_to_thread=True,
    )
    def history(
        self,
        container: ContainerDep,
        programme_id: ProgrammeId,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> schemas.HistoryPage:
        """Every event of the statement, oldest first: drafts, revisions, endorsements,
        disputes, adoptions and positions carried over in mergers, with who and when."""
        return history_page(
            shared_purpose_history(container, parse_id(programme_id, PROGRAMME)), limit, offset
        )


class SharedPurposeListController(Controller):
    path = "/shared-purposes"
    tags = ["Shared purpose"]

    @get(
        "",
        operation_id="listSharedPurposes",
        summary="List shared-purpose alignment per programme",
        sync_to_thread=True,
    )
    def browse(
        self,
        request: Request[Any, Any, Any],
        container: ContainerDep,
        aligned: Annotated[
            bool | None,
            QueryParameter(
                description="true: every participant endorses the current version; false: not"
            ),
        ] = None,
        adopted: Annotated[
            bool | None,
            QueryParameter(description="Only statements whose current version is (not) adopted"),
        ] = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> sp.SharedPurposePage:
        """Per programme, by title: the current version number, how many participating
        organisations endorse it, dispute it or have taken no position, and adoption."""
        views = fresh(container)
        page = SharedPurposeQueries(views.views).list_statements(
            aligned=aligned,
            adopted=adopted,
            limit=limit,
            offset=offset,
            within=readable_programmes(request, views),
        )
        return sp.SharedPurposePage(
            items=[schemas.from_row(sp.SharedPurposeSummary, row) for row in page.items],
            total=page.total,
            limit=limit,
            offset=offset,
        )


#: The controllers this module serves; services.api.app registers them all.
CONTROLLERS: list[type[Controller]] = [SharedPurposeController, SharedPurposeListController]


# Reading now, from the view


def shared_purpose_history(container: Container, programme_id: UUID) -> list[HistoryEntry]:
    """Every event of the programme's statement: 404 without a programme or a statement."""
    _, statement = _statement(container, programme_id)
    return container.app.history(SharedPurpose, UUID(statement["id"]))


def _statement(container: Container, programme_id: UUID) -> tuple[StatementQueries, Row]:
    """The programme's statement row in the view: 404 for an unknown programme, or for one
    with no statement yet."""
    current = fresh(container)
    if current.directory.programme(str(programme_id)) is None:
        raise NotFound(PROGRAMME, programme_id)
    queries = StatementQueries(current.views, str(programme_id))
    statement = queries.statement()
    if statement is None:
        raise StatementNotFound(programme_id)
    return queries, statement


def read_shared_purpose(
    container: Container, programme_id: UUID, at: datetime | None
) -> sp.SharedPurpose:
    """The statement now (from the view) or as recorded up to ``at`` (its events): the API's
    read and the programme dashboard page both use this. 404 while it has no statement."""
    if at is None:
        queries, statement = _statement(container, programme_id)
        return schemas.from_row(sp.SharedPurpose, queries.current(statement))
    statement_then, programme = container.app.shared_purpose(programme_id, at=at)
    return render(statement_then, programme)


def statement_versions(
    container: Container, programme_id: UUID, at: datetime | None
) -> list[sp.StatementVersion]:
    """Every version of the statement, oldest first, now or as recorded up to ``at``."""
    if at is None:
        queries, statement = _statement(container, programme_id)
        return [schemas.from_row(sp.StatementVersion, row) for row in queries.versions(statement)]
    statement_then, _ = container.app.shared_purpose(programme_id, at=at)
    return [_version(statement_then, version) for version in statement_then.versions]


def _current(
    container: Container, programme_id: UUID, status_code: int = 200
) -> Response[sp.SharedPurpose]:
    queries, statement = _statement(container, programme_id)
    body = schemas.from_row(sp.SharedPurpose, queries.current(statement))
    return _response(body, body.version, status_code=status_code)


def _current_version(
    container: Container, programme_id: UUID, number: int
) -> Response[sp.SharedPurposeVersion]:
    queries, statement = _statement(container, programme_id)
    row = queries.version(statement, number)
    if row is None:
        raise VersionNotFound(programme_id, number, statement["current_version"])
    body = schemas.from_row(sp.SharedPurposeVersion, row)
    return _response(body, body.version)


def _written(container: Container, programme_id: UUID) -> Any:
    def render_current(_: UUID) -> Response[sp.SharedPurpose]:
        return _current(container, programme_id, status_code=201)

    return render_current


# Rendering, from the aggregate as it was


def _response(body: Any, version: int, status_code: int = 200) -> Response[Any]:
    return Response(body, status_code=status_code, headers=etag(version))


def _time(value: datetime | None) -> str:
    return iso(value) or ""


def _version(statement: SharedPurpose, version: StatementVersion) -> sp.StatementVersion:
    return sp.StatementVersion(
        number=version.number,
        text=version.text,
        drafted_by=version.drafted_by,
        occurred_at=_time(version.occurred_at),
        recorded_at=_time(version.recorded_at),
        superseded_at=iso(statement.superseded_at(version.number)),
        current=version.number == statement.current.number,
        adopted=statement.adoption_of(version.number) is not None,
    )


def _position(
    programme: Programme, organisation_id: UUID, record: PositionRecord | None
) -> sp.PositionView:
    role = programme.participants.get(organisation_id)
    return sp.PositionView(
        organisation_id=organisation_id,
        role=role.value if role is not None else None,
        position=record.position.value if record is not None else NO_POSITION,
        reason=record.reason if record is not None else None,
        person_id=record.person_id if record is not None else None,
        carried_from=record.carried_from if record is not None else None,
        occurred_at=iso(record.occurred_at) if record is not None else None,
        recorded_at=iso(record.recorded_at) if record is not None else None,
    )


def _adoption(adoption: Adoption) -> sp.AdoptionView:
    return sp.AdoptionView(
        version=adoption.version,
        rationale=adoption.rationale,
        over_disputes=adoption.over_disputes,
        endorsed_by=list(adoption.endorsed_by),
        disputed_by=list(adoption.disputed_by),
        adopted_by=adoption.adopted_by,
        occurred_at=_time(adoption.occurred_at),
        recorded_at=_time(adoption.recorded_at),
    )


def render(statement: SharedPurpose, programme: Programme) -> sp.SharedPurpose:
    current = statement.current
    positions = [
        _position(programme, organisation_id, statement.position_of(organisation_id))
        for organisation_id in programme.participants
    ]
    not_aligned = set(statement.not_aligned(programme))
    return sp.SharedPurpose(
        id=statement.id,
        programme_id=statement.programme_id,
        current_version=_version(statement, current),
        positions=positions,
        not_aligned=[p for p in positions if p.organisation_id in not_aligned],
        aligned=not not_aligned,
        version_count=len(statement.versions),
        adoptions=[_adoption(a) for a in statement.adoptions],
        version=statement.version,
        created_at=_time(statement.created_on),
        updated_at=_time(statement.modified_on),
    )


def render_version(
    statement: SharedPurpose, programme: Programme, number: int
) -> sp.SharedPurposeVersion:
    version = statement.version_numbered(number)
    adoption = statement.adoption_of(number)
    return sp.SharedPurposeVersion(
        id=statement.id,
        programme_id=statement.programme_id,
        statement_version=_version(statement, version),
        positions=[
            _position(programme, organisation_id, record)
            for organisation_id, record in statement.positions[number].items()
        ],
        position_history=[
            _position(programme, record.organisation_id, record)
            for record in statement.position_log[number]
        ],
        adoption=_adoption(adoption) if adoption is not None else None,
        version=statement.version,
    )
