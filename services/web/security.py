"""What the browser sign-in needs, built from settings: the session store, the failed-login
throttle and the cookies' names and flags (ADR 11)."""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from hmac import compare_digest

from litestar.datastructures import Cookie
from litestar.exceptions import TooManyRequestsException

from infra.settings import SessionSettings, Settings
from services.web.sessions import (
    Clock,
    MemorySessionStore,
    RedisSessionStore,
    Session,
    SessionStore,
)
from services.web.throttle import LoginThrottle, MemoryLoginThrottle, RedisLoginThrottle

#: The app state's key for the WebSecurity in force.
WEB_SECURITY = "web_security"
#: Where a cookie-authenticated API request carries its session's CSRF token.
CSRF_HEADER = "X-CSRF-Token"
#: Where a form carries it.
CSRF_FIELD = "csrf_token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
#: The login form's own CSRF cookie lives this long: time enough to type a password.
LOGIN_FORM_SECONDS = 60 * 60


@dataclass
class WebSecurity:
    settings: SessionSettings
    sessions: SessionStore
    throttle: LoginThrottle
    redis: object | None = None

    def _name(self, base: str) -> str:
        # __Host- cookies must be Secure, Path=/ and host-only: no subdomain can plant one.
        return f"__Host-{base}" if self.settings.cookie_secure else base

    @property
    def session_cookie(self) -> str:
        return self._name("changeledger_session")

    @property
    def login_cookie(self) -> str:
        return self._name("changeledger_login")

    def cookie(self, session: Session) -> Cookie:
        # Lax, not Strict: a link to a page from an email or chat opens signed in; Lax still
        # keeps the cookie off cross-site POSTs, frames and sub-resources.
        return Cookie(
            key=self.session_cookie,
            value=session.id,
            max_age=self.settings.lifetime,
            path="/",
            secure=self.settings.cookie_secure,
            httponly=True,
            samesite="lax",
        )

    def login_form_cookie(self) -> Cookie:
        """A fresh token for the login form, double-submitted: cookie and hidden field."""
        return Cookie(
            key=self.login_cookie,
            value=secrets.token_urlsafe(32),
            max_age=LOGIN_FORM_SECONDS,
            path="/",
            secure=self.settings.cookie_secure,
            httponly=True,
            samesite="strict",
        )

    def cleared(self, key: str) -> Cookie:
        return Cookie(
            key=key,
            value="",
            max_age=0,
            path="/",
            secure=self.settings.cookie_secure,
            httponly=True,
            samesite="lax",
        )

    def close(self) -> None:
        close = getattr(self.redis, "close", None)
        if close is not None:
            close()


def refuse_while_locked(throttle: LoginThrottle, limits: dict[str, int], what: str) -> None:
    """429 with Retry-After while any of these keys has reached its limit; called before any
    password is checked, so a locked-out guesser learns nothing, not even from timing."""
    wait = throttle.retry_after(limits)
    if wait is not None:
        raise TooManyRequestsException(
            f"too many {what}; try again in {wait} seconds", headers={"Retry-After": str(wait)}
        )


def tokens_match(presented: str | None, expected: str | None) -> bool:
    if not presented or not expected:
        return False
    return compare_digest(presented.encode(), expected.encode())


def build_web_security(settings: Settings, clock: Clock = time.time) -> WebSecurity:
    """Redis-backed when the deployment has Redis (production), in memory otherwise."""
    if settings.background.embedded:
        return WebSecurity(
            settings.sessions,
            MemorySessionStore(settings.sessions, clock),
            MemoryLoginThrottle(settings.sessions, clock),
        )
    import redis

    client = redis.Redis.from_url(
        settings.background.redis_url,
        decode_responses=True,
        socket_timeout=2,
        socket_connect_timeout=2,
    )
    return WebSecurity(
        settings.sessions,
        RedisSessionStore(client, settings.sessions, clock),
        RedisLoginThrottle(client, settings.sessions),
        redis=client,
    )
