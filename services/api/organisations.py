"""Organisations: register, rename, merge, dissolve; list, read, history."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.params import JSONBody, QueryParameter

from domain.organisation import Organisation as OrganisationAggregate
from domain.organisation import OrganisationStatus
from domain.values import OrganisationKind
from infra.bootstrap import Container
from services.api import schemas
from services.api.common import (
    ContainerDep,
    IfMatch,
    Limit,
    Offset,
    OrganisationId,
    actor,
    expected_version,
    fresh,
    parse_id,
)
from services.api.idempotency import IdempotencyKey, once
from services.api.rendering import history_page, one

KIND = "organisation"


class OrganisationController(Controller):
    path = "/organisations"
    tags = ["Organisations"]

    @post(
        "",
        operation_id="registerOrganisation",
        summary="Register an organisation",
        sync_to_thread=True,
    )
    def register(
        self,
        request: Request[Any, Any, Any],
        container: ContainerDep,
        data: JSONBody[schemas.OrganisationCreate],
        idempotency_key: IdempotencyKey = None,
    ) -> Response[schemas.Organisation]:
        """Register an organisation. An ODS code is optional but must be unique when given."""

        def command() -> UUID:
            organisation = container.app.register_organisation(
                by=actor(request), name=data.name, kind=data.kind, ods_code=data.ods_code
            )
            return organisation.id

        return once(
            container,
            request,
            idempotency_key,
            data,
            command,
            lambda record_id: self._current(container, str(record_id), status_code=201),
        )

    @get("", operation_id="listOrganisations", summary="List organisations", sync_to_thread=True)
    def browse(
        self,
        container: ContainerDep,
        kind: Annotated[
            OrganisationKind | None, QueryParameter(description="Only organisations of this kind")
        ] = None,
        status: Annotated[
            OrganisationStatus | None,
            QueryParameter(description="Only organisations with this status"),
        ] = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> schemas.OrganisationPage:
        """List organisations by name, optionally filtered by kind and status."""
        page = fresh(container).directory.list_organisations(
            kind=kind.value if kind else None,
            status=status.value if status else None,
            limit=limit,
            offset=offset,
        )
        return schemas.OrganisationPage(
            items=[schemas.from_row(schemas.Organisation, row) for row in page.items],
            total=page.total,
            limit=limit,
            offset=offset,
        )

    @get(
        "/{organisation_id:str}",
        operation_id="getOrganisation",
        summary="Read an organisation",
        sync_to_thread=True,
    )
    def read(
        self, container: ContainerDep, organisation_id: OrganisationId
    ) -> Response[schemas.Organisation]:
        """Read one organisation. The ETag is its version, for If-Match on later writes."""
        return self._current(fresh(container), str(parse_id(organisation_id, KIND)))

    @get(
        "/{organisation_id:str}/history",
        operation_id="organisationHistory",
        summary="Organisation history",
        sync_to_thread=True,
    )
    def history(
        self,
        container: ContainerDep,
        organisation_id: OrganisationId,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> schemas.HistoryPage:
        """Every event of the organisation, oldest first, with who did it and when."""
        entries = container.app.history(OrganisationAggregate, parse_id(organisation_id, KIND))
        return history_page(entries, limit, offset)

    @post(
        "/{organisation_id:str}/rename",
        operation_id="renameOrganisation",
        summary="Rename an organisation",
        sync_to_thread=True,
        status_code=200,
    )
    def rename(
        self,
        request: Request[Any, Any, Any],
        container: ContainerDep,
        organisation_id: OrganisationId,
        data: JSONBody[schemas.OrganisationRename],
        if_match: IfMatch = None,
        idempotency_key: IdempotencyKey = None,
    ) -> Response[schemas.Organisation]:
        """Rename an organisation (its history keeps the old name)."""

        def command() -> UUID:
            organisation = container.app.rename_organisation(
                by=actor(request),
                organisation_id=parse_id(organisation_id, KIND),
                name=data.name,
                expected_version=expected_version(if_match),
            )
            return organisation.id

        return once(
            container,
            request,
            idempotency_key,
            data,
            command,
            lambda record_id: self._current(container, str(record_id)),
        )

    @post(
        "/{organisation_id:str}/merge",
        operation_id="mergeOrganisation",
        summary="Merge into a successor",
        sync_to_thread=True,
        status_code=200,
    )
    def merge(
        self,
        request: Request[Any, Any, Any],
        container: ContainerDep,
        organisation_id: OrganisationId,
        data: JSONBody[schemas.OrganisationMerge],
        if_match: IfMatch = None,
        idempotency_key: IdempotencyKey = None,
    ) -> Response[schemas.Organisation]:
        """Merge an organisation into its successor; it then accepts no new activity."""

        def command() -> UUID:
            organisation = container.app.merge_organisation(
                by=actor(request),
                organisation_id=parse_id(organisation_id, KIND),
                successor_id=data.successor_id,
                expected_version=expected_version(if_match),
            )
            return organisation.id

        return once(
            container,
            request,
            idempotency_key,
            data,
            command,
            lambda record_id: self._current(container, str(record_id)),
        )

    @post(
        "/{organisation_id:str}/dissolve",
        operation_id="dissolveOrganisation",
        summary="Dissolve an organisation",
        sync_to_thread=True,
        status_code=200,
    )
    def dissolve(
        self,
        request: Request[Any, Any, Any],
        container: ContainerDep,
        organisation_id: OrganisationId,
        if_match: IfMatch = None,
        idempotency_key: IdempotencyKey = None,
    ) -> Response[schemas.Organisation]:
        """Dissolve an organisation; it then accepts no new activity. Its history stays."""

        def command() -> UUID:
            organisation = container.app.dissolve_organisation(
                by=actor(request),
                organisation_id=parse_id(organisation_id, KIND),
                expected_version=expected_version(if_match),
            )
            return organisation.id

        return once(
            container,
            request,
            idempotency_key,
            None,
            command,
            lambda record_id: self._current(container, str(record_id)),
        )

    @staticmethod
    def _current(
        container: Container, organisation_id: str, status_code: int = 200
    ) -> Response[schemas.Organisation]:
        row = fresh(container).directory.organisation(organisation_id)
        return one(schemas.Organisation, row, KIND, organisation_id, status_code=status_code)
