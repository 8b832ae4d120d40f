"""People: register, join and leave organisations; list, read, history."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, Response, get, post, put
from litestar.params import JSONBody, QueryParameter

from domain.person import Person as PersonAggregate
from infra.bootstrap import Container
from services.api import schemas
from services.api.common import (
    ContainerDep,
    IfMatch,
    Limit,
    Offset,
    PersonId,
    actor,
    expected_version,
    fresh,
    parse_datetime,
    parse_id,
)
from services.api.idempotency import IdempotencyKey, once
from services.api.rendering import history_page, one

KIND = "person"


class PersonController(Controller):
    path = "/people"
    tags = ["People"]

    @post("", operation_id="registerPerson", summary="Register a person", sync_to_thread=True)
    def register(
        self,
        request: Request[Any, Any, Any],
        container: ContainerDep,
        data: JSONBody[schemas.PersonCreate],
        idempotency_key: IdempotencyKey = None,
    ) -> Response[schemas.Person]:
        """Register a person. Email addresses are unique, compared without case."""

        def command() -> UUID:
            person = container.app.register_person(
                by=actor(request), name=data.name, email=data.email, about=data.about
            )
            return person.id

        return once(
            container,
            request,
            idempotency_key,
            data,
            command,
            lambda record_id: self._current(container, str(record_id), status_code=201),
        )

    @get("", operation_id="listPeople", summary="List people", sync_to_thread=True)
    def browse(
        self,
        container: ContainerDep,
        organisation_id: Annotated[
            UUID | None, QueryParameter(description="Only current members of this organisation")
        ] = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> schemas.PersonPage:
        """List people by name, optionally only the current members of one organisation."""
        page = fresh(container).directory.list_people(
            organisation_id=str(organisation_id) if organisation_id else None,
            limit=limit,
            offset=offset,
        )
        return schemas.PersonPage(
            items=[schemas.from_row(schemas.Person, row) for row in page.items],
            total=page.total,
            limit=limit,
            offset=offset,
        )

    @get("/me", operation_id="getMe", summary="The person behind this token", sync_to_thread=True)
    def me(
        self, request: Request[Any, Any, Any], container: ContainerDep
    ) -> Response[schemas.Person]:
        """The person the presented API token belongs to."""
        return self._current(fresh(container), str(actor(request)))

    @get("/{person_id:str}", operation_id="getPerson", summary="Read a person", sync_to_thread=True)
    def read(self, container: ContainerDep, person_id: PersonId) -> Response[schemas.Person]:
        """Read one person with their membership history. The ETag is their version."""
        return self._current(fresh(container), str(parse_id(person_id, KIND)))

    @get(
        "/{person_id:str}/history",
        operation_id="personHistory",
        summary="Person history",
        sync_to_thread=True,
    )
    def history(
        self, container: ContainerDep, person_id: PersonId, limit: Limit = 50, offset: Offset = 0
    ) -> schemas.HistoryPage:
        """Every event of the person, oldest first."""
        entries = container.app.history(PersonAggregate, parse_id(person_id, KIND))
        return history_page(entries, limit, offset)

    @post(
        "/{person_id:str}/join",
        operation_id="joinOrganisation",
        summary="Join an organisation",
        sync_to_thread=True,
        status_code=200,
    )
    def join(
        self,
        request: Request[Any, Any, Any],
        container: ContainerDep,
        person_id: PersonId,
        data: JSONBody[schemas.MembershipChange],
        if_match: IfMatch = None,
        idempotency_key: IdempotencyKey = None,
    ) -> Response[schemas.Person]:
        """Record that the person joined an organisation (one at a time; leave the last first)."""

        def command() -> UUID:
            person = container.app.join_organisation(
                by=actor(request),
                person_id=parse_id(person_id, KIND),
                organisation_id=data.organisation_id,
                occurred_at=parse_datetime("occurred_at", data.occurred_at),
                expected_version=expected_version(if_match),
            )
            return person.id

        return once(
            container,
            request,
            idempotency_key,
            data,
            command,
            lambda record_id: self._current(container, str(record_id)),
        )

    @post(
        "/{person_id:str}/leave",
        operation_id="leaveOrganisation",
        summary="Leave an organisation",
        sync_to_thread=True,
        status_code=200,
    )
    def leave(
        self,
        request: Request[Any, Any, Any],
        container: ContainerDep,
        person_id: PersonId,
        data: JSONBody[schemas.MembershipChange],
        if_match: IfMatch = None,
        idempotency_key: IdempotencyKey = None,
    ) -> Response[schemas.Person]:
        """Record that the person left an organisation. Their history is kept."""

        def command() -> UUID:
            person = container.app.leave_organisation(
                by=actor(request),
                person_id=parse_id(person_id, KIND),
                organisation_id=data.organisation_id,
                occurred_at=parse_datetime("occurred_at", data.occurred_at),
                expected_version=expected_version(if_match),
            )
            return person.id

        return once(
            container,
            request,
            idempotency_key,
            data,
            command,
            lambda record_id: self._current(container, str(record_id)),
        )

    @put(
        "/{person_id:str}/about",
        operation_id="setPersonAbout",
        summary="Set what a person says about themselves",
        sync_to_thread=True,
    )
    def set_about(
        self,
        request: Request[Any, Any, Any],
        container: ContainerDep,
        person_id: PersonId,
        data: JSONBody[schemas.PersonAbout],
        if_match: IfMatch = None,
    ) -> Response[schemas.Person]:
        """Replace the free text the person wrote about themselves (null clears it).

        It is personal data: stored encrypted with the person's key and erased with them.
        """
        person = container.app.change_about(
            by=actor(request),
            person_id=parse_id(person_id, KIND),
            about=data.about,
            expected_version=expected_version(if_match),
        )
        return self._current(container, str(person.id))

    @post(
        "/{person_id:str}/erasure",
        operation_id="erasePerson",
        summary="Erase a person's personal data",
        sync_to_thread=True,
        status_code=200,
    )
    def erase(
        self,
        request: Request[Any, Any, Any],
        container: ContainerDep,
        person_id: PersonId,
        data: JSONBody[schemas.PersonErasure],
    ) -> Response[schemas.Person]:
        """Destroy the person's key: their name, email and about can never be read again.

        Their events, memberships, roles and decisions stay; everywhere they are shown as
        "erased person #N". Asking again for an erased person changes nothing.
        """
        person = container.app.erase_person(
            by=actor(request), person_id=parse_id(person_id, KIND), reason=data.reason
        )
        return self._current(container, str(person.id))

    @staticmethod
    def _current(
        container: Container, person_id: str, status_code: int = 200
    ) -> Response[schemas.Person]:
        row = fresh(container).directory.person(person_id)
        return one(schemas.Person, row, KIND, person_id, status_code=status_code)
