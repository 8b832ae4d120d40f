"""The sign-in pages: GET/POST /login, POST /logout, and a minimal home page at /.

HTML forms, not API operations, so they stay out of the OpenAPI schema (ADR 11). A later
issue builds the real pages on these templates and on ``signed_in``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.params import FromQuery, URLEncodedBody
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_303_SEE_OTHER

from domain.errors import NotAuthenticated
from services.api.common import ContainerDep
from services.api.problems import problem
from services.web.security import (
    CSRF_FIELD,
    WEB_SECURITY,
    WebSecurity,
    refuse_while_locked,
    tokens_match,
)
from services.web.sessions import Session
from services.web.throttle import client_key, email_key


@dataclass
class LoginForm:
    email: str = ""
    password: str = ""
    csrf_token: str = ""
    next: str = "/"


@dataclass
class LogoutForm:
    csrf_token: str = ""


#: Every page: never cached (it holds a CSRF token and personal details), never framed
#: (no clickjacking), forms post only to us, no referrer leaves the site.
PAGE_HEADERS = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'; form-action 'self'",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
}

LoginBody = URLEncodedBody[LoginForm]
LogoutBody = URLEncodedBody[LogoutForm]


def safe_next(target: str | None) -> str:
    """A path on this site to go to after signing in; anything else goes home (no open
    redirect: no scheme, no host, no protocol-relative '//' or '/\\' tricks)."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return "/"
    if "\\" in target or any(ord(c) < 0x20 or ord(c) == 0x7F for c in target):
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return "/"
    return target


def web_security(request: Request[Any, Any, Any]) -> WebSecurity:
    security: WebSecurity = request.app.state[WEB_SECURITY]
    return security


def signed_in(request: Request[Any, Any, Any]) -> Session | None:
    """The live session this browser presents, if any."""
    security = web_security(request)
    return security.sessions.find(request.cookies.get(security.session_cookie, ""))


class SignInPages(Controller):
    include_in_schema = False

    @get("/", operation_id="homePage", sync_to_thread=True)
    def home(self, request: Request[Any, Any, Any]) -> Response[Any]:
        """Signed in: the portfolio; signed out: the login page."""
        session = signed_in(request)
        if session is None:
            return Redirect("/login?next=/", status_code=HTTP_303_SEE_OTHER)
        return Redirect("/web/portfolio", status_code=HTTP_303_SEE_OTHER)

    @get("/login", operation_id="loginPage", sync_to_thread=False)
    def login_form(
        self, request: Request[Any, Any, Any], next: FromQuery[str] = "/"
    ) -> Response[Any]:
        """The sign-in form, with a fresh CSRF token in a cookie and a hidden field."""
        return self._form(web_security(request), safe_next(next))

    @post("/login", operation_id="logIn", sync_to_thread=True)
    def login(
        self, request: Request[Any, Any, Any], container: ContainerDep, data: LoginBody
    ) -> Response[Any]:
        """Check the email and password and start a session with a new id."""
        security = web_security(request)
        target = safe_next(data.next)
        if not tokens_match(data.csrf_token, request.cookies.get(security.login_cookie)):
            return self._form(security, target, "The form had expired; please sign in again.", 403)
        limits = {
            email_key(data.email): security.settings.max_failures,
            client_key(request.client.host if request.client else ""): (
                security.settings.max_address_failures
            ),
        }
        keys = list(limits)
        refuse_while_locked(security.throttle, limits, "failed logins for this email or address")
        try:
            person_id = container.app.check_login(data.email, data.password)
        except NotAuthenticated as exc:
            security.throttle.record_failure(keys)
            return self._form(security, target, exc.message.capitalize() + ".", 401)
        security.throttle.clear(keys[0])
        return self._start_session(request, security, person_id, target)

    @post("/logout", operation_id="logOut", sync_to_thread=True)
    def logout(self, request: Request[Any, Any, Any], data: LogoutBody) -> Response[Any]:
        """End this browser's session on the server and forget its cookie."""
        security = web_security(request)
        session = signed_in(request)
        if session is not None:
            if not tokens_match(data.csrf_token, session.csrf_token):
                return problem(403, "Forbidden", "the form's CSRF token is missing or wrong")
            security.sessions.end(session.id)
        response: Response[Any] = Redirect("/login", status_code=HTTP_303_SEE_OTHER)
        response.set_cookie(security.cleared(security.session_cookie))
        return response

    @staticmethod
    def _start_session(
        request: Request[Any, Any, Any], security: WebSecurity, person_id: UUID, target: str
    ) -> Response[Any]:
        # A session id this browser held before signing in is ended, never promoted: the new
        # session always has a new id (no session fixation).
        previous = request.cookies.get(security.session_cookie)
        if previous:
            security.sessions.end(previous)
        session = security.sessions.start(person_id)
        response: Response[Any] = Redirect(target, status_code=HTTP_303_SEE_OTHER)
        response.set_cookie(security.cookie(session))
        response.set_cookie(security.cleared(security.login_cookie))
        return response

    @staticmethod
    def _form(
        security: WebSecurity, target: str, error: str | None = None, status: int = 200
    ) -> Response[Any]:
        cookie = security.login_form_cookie()
        return Template(
            "login.html",
            context={
                "csrf_token": cookie.value,
                "csrf_field": CSRF_FIELD,
                "next": target,
                "error": error,
            },
            status_code=status,
            cookies=[cookie],
            headers=PAGE_HEADERS,
        )
