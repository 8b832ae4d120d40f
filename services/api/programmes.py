"""Programmes: create, update, participants, workstreams; list, read, history."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, Response, delete, get, patch, post
from litestar.params import JSONBody, QueryParameter

from domain.programme import Programme as ProgrammeAggregate
from infra.bootstrap import Container
from services.api import schemas
from services.api.access import readable_programmes
from services.api.common import (
    ContainerDep,
    IfMatch,
    Limit,
    Offset,
    OrganisationId,
    ProgrammeId,
    actor,
    expected_version,
    fresh,
    parse_id,
)
from services.api.idempotency import IdempotencyKey, once
from services.api.rendering import history_page, one

KIND = "programme"


class ProgrammeController(Controller):
    path = "/programmes"
    tags = ["Programmes"]

    @post("", operation_id="createProgramme", summary="Create a programme", sync_to_thread=True)
    def create(
        self,
        request: Request[Any, Any, Any],
        container: ContainerDep,
        data: JSONBody[schemas.ProgrammeCreate],
        idempotency_key: IdempotencyKey = None,
    ) -> Response[schemas.Programme]:
        """Create a programme led by a commissioner, which becomes its first participant."""

        def command() -> UUID:
            programme = container.app.create_programme(
                by=actor(request),
                title=data.title,
                description=data.description,
                lead_commissioner_id=data.lead_commissioner_id,
            )
            return programme.id

        return once(
            container,
            request,
            idempotency_key,
            data,
            command,
            lambda record_id: self._current(container, str(record_id), status_code=201),
        )

    @get("", operation_id="listProgrammes", summary="List programmes", sync_to_thread=True)
    def browse(
        self,
        request: Request[Any, Any, Any],
        container: ContainerDep,
        organisation_id: Annotated[
            UUID | None,
            QueryParameter(description="Only programmes this organisation takes part in"),
        ] = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> schemas.ProgrammePage:
        """List programmes by title, optionally only those one organisation participates in."""
        views = fresh(container)
        page = views.directory.list_programmes(
            organisation_id=str(organisation_id) if organisation_id else None,
            limit=limit,
            offset=offset,
            within=readable_programmes(request, views),
        )
        return schemas.ProgrammePage(
            items=[schemas.from_row(schemas.Programme, row) for row in page.items],
            total=page.total,
            limit=limit,
            offset=offset,
        )

    @get(
        "/{programme_id:str}",
        operation_id="getProgramme",
        summary="Read a programme",
        sync_to_thread=True,
    )
    def read(
        self, container: ContainerDep, programme_id: ProgrammeId
    ) -> Response[schemas.Programme]:
        """Read one programme with its participants and workstreams. The ETag is its version."""
        return self._current(fresh(container), str(parse_id(programme_id, KIND)))

    @get(
        "/{programme_id:str}/history",
        operation_id="programmeHistory",
        summary="Programme history",
        sync_to_thread=True,
    )
    def history(
        self,
        container: ContainerDep,
        programme_id: ProgrammeId,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> schemas.HistoryPage:
        """Every event of the programme, oldest first."""
        entries = container.app.history(ProgrammeAggregate, parse_id(programme_id, KIND))
        return history_page(entries, limit, offset)

    @patch(
        "/{programme_id:str}",
        operation_id="updateProgramme",
        summary="Update title or description",
        sync_to_thread=True,
    )
    def update(
        self,
        request: Request[Any, Any, Any],
        container: ContainerDep,
        programme_id: ProgrammeId,
        data: JSONBody[schemas.ProgrammeUpdate],
        if_match: IfMatch = None,
    ) -> Response[schemas.Programme]:
        """Change the title or description. Send If-Match to be sure nobody changed it first."""
        programme = container.app.update_programme(
            by=actor(request),
            programme_id=parse_id(programme_id, KIND),
            title=data.title,
            description=data.description,
            expected_version=expected_version(if_match),
        )
        return self._current(container, str(programme.id))

    @post(
        "/{programme_id:str}/participants",
        operation_id="addParticipant",
        summary="Add a participating organisation",
        sync_to_thread=True,
    )
    def add_participant(
        self,
        request: Request[Any, Any, Any],
        container: ContainerDep,
        programme_id: ProgrammeId,
        data: JSONBody[schemas.ParticipantAdd],
        if_match: IfMatch = None,
        idempotency_key: IdempotencyKey = None,
    ) -> Response[schemas.Programme]:
        """Add a participating organisation with its role: commissioner, provider or partner."""

        def command() -> UUID:
            programme = container.app.add_participant(
                by=actor(request),
                programme_id=parse_id(programme_id, KIND),
                organisation_id=data.organisation_id,
                role=data.role,
                expected_version=expected_version(if_match),
            )
            return programme.id

        return once(
            container,
            request,
            idempotency_key,
            data,
            command,
            lambda record_id: self._current(container, str(record_id), status_code=201),
        )

    @delete(
        "/{programme_id:str}/participants/{organisation_id:str}",
        operation_id="removeParticipant",
        summary="Remove a participating organisation",
        sync_to_thread=True,
        status_code=200,
    )
    def remove_participant(
        self,
        request: Request[Any, Any, Any],
        container: ContainerDep,
        programme_id: ProgrammeId,
        organisation_id: OrganisationId,
        if_match: IfMatch = None,
    ) -> Response[schemas.Programme]:
        """Remove a participating organisation. The lead commissioner cannot be removed."""
        programme = container.app.remove_participant(
            by=actor(request),
            programme_id=parse_id(programme_id, KIND),
            organisation_id=parse_id(organisation_id, "organisation"),
            expected_version=expected_version(if_match),
        )
        return self._current(container, str(programme.id))

    @post(
        "/{programme_id:str}/workstreams",
        operation_id="addWorkstream",
        summary="Add a workstream",
        sync_to_thread=True,
    )
    def add_workstream(
        self,
        request: Request[Any, Any, Any],
        container: ContainerDep,
        programme_id: ProgrammeId,
        data: JSONBody[schemas.WorkstreamCreate],
        if_match: IfMatch = None,
        idempotency_key: IdempotencyKey = None,
    ) -> Response[schemas.Programme]:
        """Add a workstream, e.g. hospital services, community care, mental health."""

        def command() -> UUID:
            programme, _ = container.app.add_workstream(
                by=actor(request),
                programme_id=parse_id(programme_id, KIND),
                name=data.name,
                expected_version=expected_version(if_match),
            )
            return programme.id

        return once(
            container,
            request,
            idempotency_key,
            data,
            command,
            lambda record_id: self._current(container, str(record_id), status_code=201),
        )

    @staticmethod
    def _current(
        container: Container, programme_id: str, status_code: int = 200
    ) -> Response[schemas.Programme]:
        row = fresh(container).directory.programme(programme_id)
        return one(schemas.Programme, row, KIND, programme_id, status_code=status_code)
