"""Bearer-token authentication: every API request is made by a person."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

import anyio.to_thread
from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException
from litestar.middleware.authentication import (
    AbstractAuthenticationMiddleware,
    AuthenticationResult,
)

from infra.bootstrap import Container

DOCS_ASSETS = "/docs-assets"
PUBLIC_PATHS = ["^/schema", "^/health$", f"^{DOCS_ASSETS}/"]

#: The app state's key for an authenticator that replaces API tokens (see create_app).
AUTHENTICATE = "authenticate"

#: Turns a bearer value into the person it stands for, or raises NotAuthenticated.
Authenticator = Callable[[str], UUID]


class BearerTokenMiddleware(AbstractAuthenticationMiddleware):
    async def authenticate_request(
        self, connection: ASGIConnection[Any, Any, Any, Any]
    ) -> AuthenticationResult:
        header = connection.headers.get("Authorization", "")
        scheme, _, secret = header.partition(" ")
        if scheme.lower() != "bearer" or not secret.strip():
            raise NotAuthorizedException(
                "send an API token as 'Authorization: Bearer <token>'"
                " (issue one with 'changeledger tokens issue')"
            )
        container: Container = connection.app.state.container
        # API tokens, unless the app was built with its own authenticator (the in-process
        # demo seeder, which must not issue tokens on every run).
        authenticate: Authenticator = (
            connection.app.state.get(AUTHENTICATE) or container.app.authenticate
        )
        # The application is synchronous; keep the event loop free.
        person_id: UUID = await anyio.to_thread.run_sync(authenticate, secret.strip())
        return AuthenticationResult(user=person_id, auth=None)
