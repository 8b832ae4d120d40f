"""HTTP API: programme roles: definition, holders and deputies, handovers, flags for handover.

Commands are their own endpoints (ADR 5): ``POST /roles/{id}/assignment``, ``/vacate``,
``/handovers`` and ``/critical`` (POST rather than PATCH, so criticality reads in the history
as the command that changed it, and every write takes an Idempotency-Key).

Who may write: a current member of an organisation taking part in the role's programme
(otherwise 403). One role now, and every list, come from the roles view; ``?version=`` and
``?as_of=`` replay that role's own events to read it as it was (ADR 6).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.params import JSONBody, PathParameter, QueryParameter

from domain.errors import NotFound
from domain.role import Role as RoleAggregate
from domain.role import RoleKind
from infra.bootstrap import Container
from projections.roles_queries import RoleQueries
from projections.timefmt import iso
from services.api import roles_schemas as schemas
from services.api.access import readable_programmes
from services.api.common import (
    AsOf,
    ContainerDep,
    IfMatch,
    Limit,
    Offset,
    PersonId,
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
from services.api.rendering import history_page, one
from services.api.schemas import HistoryPage, from_row

KIND = "role"

RoleId = Annotated[str, PathParameter(description="The role's id, a UUID.")]
CriticalFilter = Annotated[bool | None, QueryParameter(description="Only critical (or not) roles")]
FlaggedFilter = Annotated[
    bool | None, QueryParameter(description="Only roles flagged for handover (or not)")
]


def queries(container: Container) -> RoleQueries:
    """The roles view, caught up to the head of the log (read-your-writes)."""
    return RoleQueries(fresh(container).views)


def render(
    container: Container,
    role_id: UUID,
    *,
    version: int | None = None,
    at: datetime | None = None,
    status_code: int = 200,
) -> Response[schemas.Role]:
    """One role as it is now (from the view) or as it was; the ETag is its version."""
    if version is None and at is None:
        return _from_view(container, role_id, status_code)
    entries = container.app.history(RoleAggregate, role_id)
    if version is not None and version > len(entries):
        raise NotFound(KIND, f"{role_id} at version {version} (it is at version {len(entries)})")
    role = container.app.as_of(RoleAggregate, role_id, version=version, at=at)
    recorded = {entry.version: iso(entry.recorded_at) or "" for entry in entries}
    body = schemas.Role(
        id=role.id,
        programme_id=role.programme_id,
        kind=role.kind.value,
        title=role.title,
        organisation_id=role.organisation_id,
        critical=role.critical,
        holder_id=role.holder_id,
        holder_organisation_id=role.holder_organisation_id,
        deputy_id=role.deputy_id,
        deputy_organisation_id=role.deputy_organisation_id,
        vacant=role.vacant,
        flagged=role.flagged,
        handover_count=len(role.handovers),
        version=role.version,
        created_at=recorded[1],
        updated_at=recorded[role.version],
        flags=[
            schemas.HandoverFlag(
                person_id=flag.person_id,
                position=flag.position.value,
                organisation_id=flag.organisation_id,
                reason=flag.reason,
                left_at=iso(flag.left_at),
                flagged_version=flag.version,
            )
            for flag in role.flags
        ],
        handovers=[
            schemas.Handover(
                version=handover.version,
                from_person_id=handover.from_person_id,
                to_person_id=handover.to_person_id,
                knowledge_items=list(handover.knowledge_items),
                outgoing_reachable=handover.outgoing_reachable,
                occurred_at=iso(handover.occurred_at) or "",
                recorded_at=recorded[handover.version],
            )
            for handover in role.handovers
        ],
    )
    return Response(body, status_code=status_code, headers=etag(role.version))


def _from_view(container: Container, role_id: UUID, status_code: int) -> Response[schemas.Role]:
    roles = queries(container)
    row = roles.role(str(role_id))
    if row is None:
        raise NotFound(KIND, role_id)
    row["flags"] = roles.flags(str(role_id))
    row["handovers"] = roles.handovers(str(role_id))
    return one(schemas.Role, row, KIND, str(role_id), status_code=status_code)


class ProgrammeRoleController(Controller):
    path = "/programmes"
    tags = ["Roles"]

    @post(
        "/{programme_id:str}/roles",
        operation_id="defineRole",
        summary="Define a programme role",
        sync_to_thread=True,
    )
    def define(
        self,
        request: Request[Any, Any, Any],
        container: ContainerDep,
        programme_id: ProgrammeId,
        data: JSONBody[schemas.RoleDefine],
        idempotency_key: IdempotencyKey = None,
    ) -> Response[schemas.Role]:
        """Define a role: SRO, clinical lead, programme facilitator, measurement lead, the named
        lead of a participating organisation (``organisation_lead`` with ``organisation_id``),
        or a ``custom`` role with a title. A programme has one of each kind (one named lead per
        organisation; custom roles differ by title): a duplicate is 409. Only members of a
        participating organisation may define roles (403)."""

        def command() -> UUID:
            role = container.app.define_role(
                by=actor(request),
                programme_id=parse_id(programme_id, "programme"),
                kind=data.kind,
                title=data.title,
                organisation_id=data.organisation_id,
                critical=data.critical,
            )
            return role.id

        return once(
            container,
            request,
            idempotency_key,
            data,
            command,
            lambda record_id: render(container, record_id, status_code=201),
        )

    @get(
        "/{programme_id:str}/roles",
        operation_id="listProgrammeRoles",
        summary="List a programme's roles",
        sync_to_thread=True,
    )
    def browse(
        self,
        container: ContainerDep,
        programme_id: ProgrammeId,
        critical: CriticalFilter = None,
        vacant: Annotated[
            bool | None, QueryParameter(description="Only roles nobody holds (or held ones)")
        ] = None,
        flagged: FlaggedFilter = None,
        kind: Annotated[
            RoleKind | None, QueryParameter(description="Only roles of this kind")
        ] = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> schemas.RolePage:
        """A programme's roles, oldest first, filtered by critical, vacant, flagged or kind."""
        return list_programme_roles(
            container,
            str(parse_id(programme_id, "programme")),
            critical=critical,
            vacant=vacant,
            flagged=flagged,
            kind=kind.value if kind else None,
            limit=limit,
            offset=offset,
        )


def list_programme_roles(
    container: Container,
    programme: str,
    *,
    critical: bool | None = None,
    vacant: bool | None = None,
    flagged: bool | None = None,
    kind: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> schemas.RolePage:
    """A programme's roles, as the API lists them (the dashboard page reads them too)."""
    if fresh(container).directory.programme(programme) is None:
        raise NotFound("programme", programme)
    page = queries(container).list_roles(
        programme_id=programme,
        critical=critical,
        vacant=vacant,
        flagged=flagged,
        kind=kind,
        limit=limit,
        offset=offset,
    )
    return schemas.RolePage(
        items=[from_row(schemas.RoleSummary, row) for row in page.items],
        total=page.total,
        limit=limit,
        offset=offset,
    )


class PersonRoleController(Controller):
    path = "/people"
    tags = ["Roles"]

    @get(
        "/{person_id:str}/roles",
        operation_id="listPersonRoles",
        summary="Roles a person holds or deputises in",
        sync_to_thread=True,
    )
    def browse(
        self,
        request: Request[Any, Any, Any],
        container: ContainerDep,
        person_id: PersonId,
        critical: CriticalFilter = None,
        flagged: FlaggedFilter = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> schemas.PersonRolePage:
        """Every role the person holds or deputises in, across programmes, with their
        ``position`` (holder or deputy)."""
        person = str(parse_id(person_id, "person"))
        if fresh(container).directory.person(person) is None:
            raise NotFound("person", person)
        page = queries(container).roles_of_person(
            person_id=person,
            critical=critical,
            flagged=flagged,
            limit=limit,
            offset=offset,
            within=readable_programmes(request, container),
        )
        return schemas.PersonRolePage(
            items=[from_row(schemas.PersonRole, row) for row in page.items],
            total=page.total,
            limit=limit,
            offset=offset,
        )


class RoleController(Controller):
    path = "/roles"
    tags = ["Roles"]

    @get("/{role_id:str}", operation_id="getRole", summary="Read a role", sync_to_thread=True)
    def read(
        self,
        container: ContainerDep,
        role_id: RoleId,
        version: Version = None,
        as_of: AsOf = None,
    ) -> Response[schemas.Role]:
        """Read one role with its holder, deputy, open handover flags and every handover
        (with the knowledge transferred). ``version`` or ``as_of`` read it as it was. The ETag
        is its version, for If-Match on later writes."""
        return render(
            container,
            parse_id(role_id, KIND),
            version=version,
            at=parse_datetime("as_of", as_of),
        )

    @get(
        "/{role_id:str}/history",
        operation_id="roleHistory",
        summary="Role history",
        sync_to_thread=True,
    )
    def history(
        self, container: ContainerDep, role_id: RoleId, limit: Limit = 50, offset: Offset = 0
    ) -> HistoryPage:
        """Every event of the role, oldest first, with who recorded it and when."""
        entries = container.app.history(RoleAggregate, parse_id(role_id, KIND))
        return history_page(entries, limit, offset)

    @post(
        "/{role_id:str}/assignment",
        operation_id="assignRole",
        summary="Assign a holder and deputy",
        sync_to_thread=True,
        status_code=200,
    )
    def assign(
        self,
        request: Request[Any, Any, Any],
        container: ContainerDep,
        role_id: RoleId,
        data: JSONBody[schemas.RoleAssignment],
        if_match: IfMatch = None,
        idempotency_key: IdempotencyKey = None,
    ) -> Response[schemas.Role]:
        """Set the role's holder and (optionally) deputy; omitting ``deputy_id`` leaves it with
        none. Each must be a current member of a participating organisation, a named lead's
        holder a member of that organisation, and the two must differ. Clears a handover
        flag. To record the knowledge that passed between people, use a handover instead."""

        def command() -> UUID:
            role = container.app.assign_role(
                by=actor(request),
                role_id=parse_id(role_id, KIND),
                holder_id=data.holder_id,
                deputy_id=data.deputy_id,
                expected_version=expected_version(if_match),
            )
            return role.id

        return once(
            container, request, idempotency_key, data, command, lambda i: render(container, i)
        )

    @post(
        "/{role_id:str}/vacate",
        operation_id="vacateRole",
        summary="Vacate a role",
        sync_to_thread=True,
        status_code=200,
    )
    def vacate(
        self,
        request: Request[Any, Any, Any],
        container: ContainerDep,
        role_id: RoleId,
        data: JSONBody[schemas.RoleVacate | None] = None,
        if_match: IfMatch = None,
        idempotency_key: IdempotencyKey = None,
    ) -> Response[schemas.Role]:
        """Nobody holds the role (or deputises) any more; the body and its ``reason`` are
        optional. Vacating a vacant role is 409. Clears a handover flag."""

        def command() -> UUID:
            role = container.app.vacate_role(
                by=actor(request),
                role_id=parse_id(role_id, KIND),
                reason=data.reason if data else None,
                expected_version=expected_version(if_match),
            )
            return role.id

        return once(
            container, request, idempotency_key, data, command, lambda i: render(container, i)
        )

    @post(
        "/{role_id:str}/handovers",
        operation_id="handOverRole",
        summary="Hand a role over",
        sync_to_thread=True,
        status_code=200,
    )
    def hand_over(
        self,
        request: Request[Any, Any, Any],
        container: ContainerDep,
        role_id: RoleId,
        data: JSONBody[schemas.RoleHandover],
        if_match: IfMatch = None,
        idempotency_key: IdempotencyKey = None,
    ) -> Response[schemas.Role]:
        """The holder hands the role to another person, recording the knowledge transferred
        (named items, e.g. "stakeholder map"), whether the outgoing holder stays reachable, and
        when it happened (``occurred_at``, default now, never ahead). Handing over to the
        current holder, or a vacant role, is 409. Handing over to the deputy promotes them.
        Clears the flag raised for the outgoing holder."""

        def command() -> UUID:
            role = container.app.hand_over_role(
                by=actor(request),
                role_id=parse_id(role_id, KIND),
                to_person_id=data.to_person_id,
                knowledge_items=list(data.knowledge_items),
                outgoing_reachable=data.outgoing_reachable,
                occurred_at=parse_datetime("occurred_at", data.occurred_at),
                expected_version=expected_version(if_match),
            )
            return role.id

        return once(
            container, request, idempotency_key, data, command, lambda i: render(container, i)
        )

    @post(
        "/{role_id:str}/critical",
        operation_id="setRoleCritical",
        summary="Mark or un-mark a role critical",
        sync_to_thread=True,
        status_code=200,
    )
    def critical(
        self,
        request: Request[Any, Any, Any],
        container: ContainerDep,
        role_id: RoleId,
        data: JSONBody[schemas.RoleCritical],
        if_match: IfMatch = None,
        idempotency_key: IdempotencyKey = None,
    ) -> Response[schemas.Role]:
        """Set whether the role is critical. Asking for what already holds changes nothing."""

        def command() -> UUID:
            role = container.app.set_role_critical(
                by=actor(request),
                role_id=parse_id(role_id, KIND),
                critical=data.critical,
                expected_version=expected_version(if_match),
            )
            return role.id

        return once(
            container, request, idempotency_key, data, command, lambda i: render(container, i)
        )


#: The controllers this module serves; services.api.app registers them all.
CONTROLLERS: list[type[Controller]] = [
    ProgrammeRoleController,
    PersonRoleController,
    RoleController,
]
