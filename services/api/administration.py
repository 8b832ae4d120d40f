"""Platform administration: administrators, programme auditors and API tokens.

Who may call what is in services/api/access.py; the use cases check it again, because the
CLI calls them too.
"""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

import msgspec
from litestar import Controller, Request, Response, delete, get, post
from litestar.params import JSONBody, PathParameter

from services.api import schemas
from services.api.common import (
    ContainerDep,
    IfMatch,
    PersonId,
    ProgrammeId,
    actor,
    expected_version,
    fresh,
    parse_datetime,
    parse_id,
)
from services.api.idempotency import IdempotencyKey, once
from services.api.programmes import ProgrammeController

TokenId = Annotated[str, PathParameter(description="The API token's id, a UUID.")]


class PersonReference(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    person_id: UUID


class Administrators(msgspec.Struct, kw_only=True):
    person_ids: list[UUID]


class TokenRequest(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    label: str
    #: UTC ISO 8601; no expiry if omitted.
    expires_at: str | None = None


class Token(msgspec.Struct, kw_only=True):
    id: UUID
    person_id: UUID
    label: str
    expires_at: str | None
    revoked: bool
    created_at: str


class IssuedToken(Token):
    #: The bearer secret: shown in this response only; only its hash is stored.
    secret: str


class TokenList(msgspec.Struct, kw_only=True):
    items: list[Token]


class AdministratorController(Controller):
    path = "/administrators"
    tags = ["Administration"]

    @get(
        "",
        operation_id="listAdministrators",
        summary="Platform administrators",
        sync_to_thread=True,
    )
    def browse(self, container: ContainerDep) -> Administrators:
        """Who administers the platform: manages organisations, people and tokens."""
        return Administrators(person_ids=container.app.administrator_ids())

    @post(
        "",
        operation_id="grantAdministrator",
        summary="Make someone an administrator",
        sync_to_thread=True,
        status_code=200,
    )
    def grant(
        self,
        request: Request[Any, Any, Any],
        container: ContainerDep,
        data: JSONBody[PersonReference],
    ) -> Administrators:
        """Make a person a platform administrator (administrators only). 409 if they are one."""
        container.app.grant_administrator(by=actor(request), person_id=data.person_id)
        return Administrators(person_ids=container.app.administrator_ids())

    @delete(
        "/{person_id:str}",
        operation_id="revokeAdministrator",
        summary="Revoke an administrator",
        sync_to_thread=True,
        status_code=200,
    )
    def revoke(
        self, request: Request[Any, Any, Any], container: ContainerDep, person_id: PersonId
    ) -> Administrators:
        """Stop a person administering the platform (administrators only)."""
        container.app.revoke_administrator(
            by=actor(request), person_id=parse_id(person_id, "person")
        )
        return Administrators(person_ids=container.app.administrator_ids())


class AuditorController(Controller):
    path = "/programmes"
    tags = ["Programmes"]

    @post(
        "/{programme_id:str}/auditors",
        operation_id="appointAuditor",
        summary="Appoint an auditor",
        sync_to_thread=True,
    )
    def appoint(
        self,
        request: Request[Any, Any, Any],
        container: ContainerDep,
        programme_id: ProgrammeId,
        data: JSONBody[PersonReference],
        if_match: IfMatch = None,
        idempotency_key: IdempotencyKey = None,
    ) -> Response[schemas.Programme]:
        """Appoint a person to audit the programme: they read all of it, including history and
        as-of views, and write nothing. Administrators only; not a member of a participant."""

        def command() -> UUID:
            programme = container.app.appoint_auditor(
                by=actor(request),
                programme_id=parse_id(programme_id, "programme"),
                person_id=data.person_id,
                expected_version=expected_version(if_match),
            )
            return programme.id

        return once(
            container,
            request,
            idempotency_key,
            data,
            command,
            lambda record_id: ProgrammeController._current(container, str(record_id)),
        )

    @delete(
        "/{programme_id:str}/auditors/{person_id:str}",
        operation_id="removeAuditor",
        summary="Remove an auditor",
        sync_to_thread=True,
        status_code=200,
    )
    def remove(
        self,
        request: Request[Any, Any, Any],
        container: ContainerDep,
        programme_id: ProgrammeId,
        person_id: PersonId,
        if_match: IfMatch = None,
    ) -> Response[schemas.Programme]:
        """End an auditor's appointment (administrators only)."""
        programme = container.app.remove_auditor(
            by=actor(request),
            programme_id=parse_id(programme_id, "programme"),
            person_id=parse_id(person_id, "person"),
            expected_version=expected_version(if_match),
        )
        return ProgrammeController._current(container, str(programme.id))


class TokenController(Controller):
    path = "/"
    tags = ["Administration"]

    @get(
        "/people/{person_id:str}/tokens",
        operation_id="listPersonTokens",
        summary="A person's API tokens",
        sync_to_thread=True,
    )
    def browse(self, container: ContainerDep, person_id: PersonId) -> TokenList:
        """A person's tokens, never their secrets: for the person themself or an administrator."""
        subject = parse_id(person_id, "person")
        rows = fresh(container).directory.tokens_of(str(subject))
        return TokenList(items=[schemas.from_row(Token, row) for row in rows])

    @post(
        "/people/{person_id:str}/tokens",
        operation_id="issueToken",
        summary="Issue an API token",
        sync_to_thread=True,
    )
    def issue(
        self,
        request: Request[Any, Any, Any],
        container: ContainerDep,
        person_id: PersonId,
        data: JSONBody[TokenRequest],
    ) -> Response[IssuedToken]:
        """Issue a token for a person (administrators only). The secret is in this response
        only; the platform keeps its hash. Tokens expire at ``expires_at`` if given."""
        secret, token = container.app.issue_token(
            by=actor(request),
            person_id=parse_id(person_id, "person"),
            label=data.label,
            expires_at=parse_datetime("expires_at", data.expires_at),
        )
        row = fresh(container).directory.tokens_of(str(token.person_id))
        issued = next(r for r in row if r["id"] == str(token.id))
        body = schemas.from_row(IssuedToken, {**issued, "secret": secret})
        return Response(body, status_code=201)

    @post(
        "/tokens/{token_id:str}/revoke",
        operation_id="revokeToken",
        summary="Revoke an API token",
        sync_to_thread=True,
        status_code=200,
    )
    def revoke(
        self, request: Request[Any, Any, Any], container: ContainerDep, token_id: TokenId
    ) -> Token:
        """Revoke a token: its holder or an administrator. Requests with it get 401 after."""
        token = container.app.revoke_token(
            by=actor(request), token_id=parse_id(token_id, "API token")
        )
        rows = fresh(container).directory.tokens_of(str(token.person_id))
        return schemas.from_row(Token, next(r for r in rows if r["id"] == str(token.id)))


CONTROLLERS = [AdministratorController, AuditorController, TokenController]
