"""HTTP API: organisation-confidential notes, for the owning organisation's members only.

An organisation's members write notes about an organisation, a programme, a commitment or a
decision (``POST /organisations/{id}/confidential-notes``), list them, read, revise and
withdraw one, and read its history. To anyone else every one of these answers 404, the same
as for an id that names nothing (services/use_cases/confidential_notes.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any
from uuid import UUID

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.params import JSONBody, PathParameter, QueryParameter
from msgspec import Meta

from domain.confidential_note import ConfidentialNote as NoteAggregate
from domain.confidential_note import SubjectKind
from infra.bootstrap import Container
from projections.timefmt import iso
from services.api import schemas
from services.api.common import (
    AsOf,
    ContainerDep,
    IfMatch,
    Limit,
    Offset,
    OrganisationId,
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
from services.api.schemas import Input, Name, Text
from services.use_cases.base import HistoryEntry

KIND = "confidential note"

NoteId = Annotated[str, PathParameter(description="The confidential note's id, a UUID.")]
SubjectKindText = Annotated[
    str,
    Meta(
        description="What the note is about: organisation, programme, commitment or decision.",
        examples=["commitment"],
    ),
]


class ConfidentialNoteCreate(Input):
    subject_kind: SubjectKindText
    #: The organisation, programme, commitment or decision the note is about.
    subject_id: UUID
    title: Annotated[Name, Meta(examples=["Assessment of delivery risk"])]
    text: Text


class ConfidentialNoteRevision(Input):
    #: A new title; leave out to keep it.
    title: Name | None = None
    #: A new text; leave out to keep it.
    text: Text | None = None


class ConfidentialNoteWithdrawal(Input):
    reason: Text


class ConfidentialNote(msgspec.Struct, kw_only=True):
    id: UUID
    #: The organisation whose members alone may read the note.
    organisation_id: UUID
    subject_kind: str
    subject_id: UUID
    #: The programme the subject belongs to, if any.
    programme_id: UUID | None
    title: str
    text: str
    #: current, or withdrawn (it stays on record).
    status: str
    withdrawn_reason: str | None
    written_by: UUID | None
    updated_by: UUID | None
    version: int
    created_at: str
    updated_at: str


class ConfidentialNotePage(schemas.Page):
    items: list[ConfidentialNote]


def _body(row: dict[str, Any]) -> ConfidentialNote:
    return msgspec.convert(
        {**row, "organisation_id": row["owner_organisation_id"]}, ConfidentialNote
    )


def render(note: NoteAggregate, entries: list[HistoryEntry]) -> ConfidentialNote:
    """The note as it was, with who wrote and last changed it, and when, from its events."""
    first, last = entries[0], entries[-1]
    return ConfidentialNote(
        id=note.id,
        organisation_id=note.owner_organisation_id,
        subject_kind=note.subject_kind.value,
        subject_id=note.subject_id,
        programme_id=note.programme_id,
        title=note.title,
        text=note.text,
        status=note.status.value,
        withdrawn_reason=note.withdrawn_reason,
        written_by=first.actor_id,
        updated_by=last.actor_id,
        version=note.version,
        created_at=iso(first.recorded_at) or "",
        updated_at=iso(last.recorded_at) or "",
    )


def _current(
    container: Container, request: Request[Any, Any, Any], note_id: UUID, status_code: int = 200
) -> Response[ConfidentialNote]:
    row = fresh(container).app.confidential_note(by=actor(request), note_id=note_id)
    return Response(_body(row), status_code=status_code, headers=etag(row["version"]))


class OrganisationNotesController(Controller):
    path = "/organisations/{organisation_id:str}/confidential-notes"
    tags = ["Confidential notes"]

    @post(
        "",
        operation_id="writeConfidentialNote",
        summary="Write a confidential note",
        sync_to_thread=True,
    )
    def write(
        self,
        request: Request[Any, Any, Any],
        container: ContainerDep,
        organisation_id: OrganisationId,
        data: JSONBody[ConfidentialNoteCreate],
        idempotency_key: IdempotencyKey = None,
    ) -> Response[ConfidentialNote]:
        """A member of the organisation writes a note only its current members can read.

        The subject must exist (422); for a programme, a decision or a commitment in a
        programme, the organisation must take part in the programme (otherwise the subject is
        answered as not existing, 422). Anyone not a current member of the organisation gets
        404.
        """

        def command() -> UUID:
            note = container.app.write_confidential_note(
                by=actor(request),
                organisation_id=parse_id(organisation_id, "organisation"),
                subject_kind=data.subject_kind,
                subject_id=data.subject_id,
                title=data.title,
                text=data.text,
            )
            return note.id

        return once(
            container,
            request,
            idempotency_key,
            data,
            command,
            lambda record_id: _current(container, request, record_id, 201),
        )

    @get(
        "",
        operation_id="listConfidentialNotes",
        summary="List an organisation's confidential notes",
        sync_to_thread=True,
    )
    def browse(
        self,
        request: Request[Any, Any, Any],
        container: ContainerDep,
        organisation_id: OrganisationId,
        subject_kind: Annotated[
            SubjectKind | None, QueryParameter(description="Only notes about this kind of record")
        ] = None,
        subject_id: Annotated[
            UUID | None, QueryParameter(description="Only notes about this record")
        ] = None,
        include_withdrawn: Annotated[
            bool, QueryParameter(description="true: withdrawn notes too")
        ] = False,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> ConfidentialNotePage:
        """The organisation's notes, oldest first; for its current members only (404 to others)."""
        page = fresh(container).app.confidential_notes(
            by=actor(request),
            organisation_id=parse_id(organisation_id, "organisation"),
            subject_kind=subject_kind.value if subject_kind else None,
            subject_id=subject_id,
            include_withdrawn=include_withdrawn,
            limit=limit,
            offset=offset,
        )
        return ConfidentialNotePage(
            items=[_body(row) for row in page.items],
            total=page.total,
            limit=limit,
            offset=offset,
        )


class ConfidentialNoteController(Controller):
    path = "/confidential-notes"
    tags = ["Confidential notes"]

    @get(
        "/{note_id:str}",
        operation_id="getConfidentialNote",
        summary="Read a confidential note",
        sync_to_thread=True,
    )
    def read(
        self,
        request: Request[Any, Any, Any],
        container: ContainerDep,
        note_id: NoteId,
        version: Version = None,
        as_of: AsOf = None,
    ) -> Response[ConfidentialNote]:
        """One note, for current members of its organisation (404 to anyone else).

        With ``version`` or ``as_of``, as it was then. The ETag is the version shown.
        """
        nid = parse_id(note_id, KIND)
        at = parse_datetime("as_of", as_of)
        if version is None and at is None:
            return _current(container, request, nid)
        note, entries = container.app.confidential_note_as_of(
            by=actor(request), note_id=nid, version=version, at=at
        )
        return Response(render(note, entries), headers=etag(note.version))

    @get(
        "/{note_id:str}/history",
        operation_id="confidentialNoteHistory",
        summary="Confidential note history",
        sync_to_thread=True,
    )
    def history(
        self,
        request: Request[Any, Any, Any],
        container: ContainerDep,
        note_id: NoteId,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> schemas.HistoryPage:
        """Every event of the note, oldest first, for current members of its organisation."""
        entries = container.app.confidential_note_history(
            by=actor(request), note_id=parse_id(note_id, KIND)
        )
        return history_page(entries, limit, offset)

    @post(
        "/{note_id:str}/revise",
        operation_id="reviseConfidentialNote",
        summary="Revise a confidential note",
        sync_to_thread=True,
        status_code=200,
    )
    def revise(
        self,
        request: Request[Any, Any, Any],
        container: ContainerDep,
        note_id: NoteId,
        data: JSONBody[ConfidentialNoteRevision],
        if_match: IfMatch = None,
        idempotency_key: IdempotencyKey = None,
    ) -> Response[ConfidentialNote]:
        """A new title, text or both (409 if it changes nothing or the note was withdrawn)."""
        return _write(
            container,
            request,
            idempotency_key,
            data,
            lambda: container.app.revise_confidential_note(
                by=actor(request),
                note_id=parse_id(note_id, KIND),
                title=data.title,
                text=data.text,
                expected_version=expected_version(if_match),
            ),
        )

    @post(
        "/{note_id:str}/withdraw",
        operation_id="withdrawConfidentialNote",
        summary="Withdraw a confidential note",
        sync_to_thread=True,
        status_code=200,
    )
    def withdraw(
        self,
        request: Request[Any, Any, Any],
        container: ContainerDep,
        note_id: NoteId,
        data: JSONBody[ConfidentialNoteWithdrawal],
        if_match: IfMatch = None,
        idempotency_key: IdempotencyKey = None,
    ) -> Response[ConfidentialNote]:
        """The note no longer stands, and why. It stays on record for the same readers."""
        return _write(
            container,
            request,
            idempotency_key,
            data,
            lambda: container.app.withdraw_confidential_note(
                by=actor(request),
                note_id=parse_id(note_id, KIND),
                reason=data.reason,
                expected_version=expected_version(if_match),
            ),
        )


def _write(
    container: Container,
    request: Request[Any, Any, Any],
    idempotency_key: str | None,
    data: Any,
    change: Callable[[], NoteAggregate],
) -> Response[ConfidentialNote]:
    return once(
        container,
        request,
        idempotency_key,
        data,
        lambda: change().id,
        lambda record_id: _current(container, request, record_id),
    )


#: The controllers this module serves; services.api.app registers them all.
CONTROLLERS: list[type[Controller]] = [OrganisationNotesController, ConfidentialNoteController]
