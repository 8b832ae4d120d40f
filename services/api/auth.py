"""Authentication: every API request is made by a person, with an API token or a browser
session. Cookie-authenticated requests that change anything must carry the session's CSRF
token; bearer requests need none, because browsers never attach an Authorization header by
themselves."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

import anyio.to_thread
from litestar.connection import ASGIConnection
from litestar.enums import RequestEncodingType
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.middleware._utils import should_bypass_middleware
from litestar.middleware.authentication import (
    AbstractAuthenticationMiddleware,
    AuthenticationResult,
)
from litestar.types import Receive, Scope, Send

from infra.bootstrap import Container
from services.web.security import (
    CSRF_FIELD,
    CSRF_HEADER,
    SAFE_METHODS,
    WEB_SECURITY,
    WebSecurity,
    tokens_match,
)
from services.web.sessions import Session

DOCS_ASSETS = "/docs-assets"
PAGE_ASSETS = "/static"
#: The browser pages check their session themselves (a signed-out browser is sent to
#: /login rather than answered 401).
PAGE_PATHS = ["^/$", "^/login$", "^/logout$"]
PUBLIC_PATHS = ["^/schema", "^/health$", f"^{DOCS_ASSETS}/", f"^{PAGE_ASSETS}/", *PAGE_PATHS]

#: The app state's key for an authenticator that replaces API tokens (see create_app).
AUTHENTICATE = "authenticate"

#: Turns a bearer value into the person it stands for, or raises NotAuthenticated.
Authenticator = Callable[[str], UUID]


class BearerTokenMiddleware(AbstractAuthenticationMiddleware):
    """A bearer token, or else the session cookie; neither is a 401."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # As the base class does, except that the connection can read the body: a form's
        # CSRF field is in it. The parsed form is cached in the scope for the handler.
        if not should_bypass_middleware(
            exclude_http_methods=self.exclude_http_methods,
            exclude_opt_key=self.exclude_opt_key,
            exclude_path_pattern=self.exclude,
            scope=scope,
            scopes=self.scopes,
        ):
            result = await self.authenticate_request(ASGIConnection(scope, receive))
            scope["user"] = result.user
            scope["auth"] = result.auth
        await self.app(scope, receive, send)

    async def authenticate_request(
        self, connection: ASGIConnection[Any, Any, Any, Any]
    ) -> AuthenticationResult:
        header = connection.headers.get("Authorization")
        if header is not None:
            return await self._bearer(connection, header)
        security: WebSecurity | None = connection.app.state.get(WEB_SECURITY)
        session_id = connection.cookies.get(security.session_cookie) if security else None
        if security is None or not session_id:
            raise NotAuthorizedException(
                "send an API token as 'Authorization: Bearer <token>'"
                " (issue one with 'changeledger tokens issue'), or sign in at /login"
            )
        session = await anyio.to_thread.run_sync(security.sessions.find, session_id)
        if session is None:
            raise NotAuthorizedException("your session has ended; sign in again at /login")
        container: Container = connection.app.state.container
        await anyio.to_thread.run_sync(container.app.check_session_holder, session.person_id)
        if connection.scope.get("method", "GET") not in SAFE_METHODS:
            await _check_csrf(connection, session)
        return AuthenticationResult(user=session.person_id, auth=session)

    @staticmethod
    async def _bearer(
        connection: ASGIConnection[Any, Any, Any, Any], header: str
    ) -> AuthenticationResult:
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


async def _check_csrf(connection: ASGIConnection[Any, Any, Any, Any], session: Session) -> None:
    presented = connection.headers.get(CSRF_HEADER)
    content_type = connection.headers.get("content-type", "")
    if presented is None and content_type.startswith(RequestEncodingType.URL_ENCODED.value):
        # The request caches its parsed form in the scope, so the handler can still read it.
        request = connection.app.request_class(connection.scope, connection.receive)
        field = (await request.form()).get(CSRF_FIELD)
        presented = field if isinstance(field, str) else None
    if not tokens_match(presented, session.csrf_token):
        raise PermissionDeniedException(
            f"a request signed in with a session cookie must carry the session's CSRF token"
            f" in the {CSRF_HEADER} header"
        )
