"""Fixtures for the browser sign-in tests: a signed-up person and a browser-like client."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from uuid import UUID

import pytest
from httpx import Response
from litestar import Litestar
from litestar.testing import TestClient

from infra.bootstrap import Container
from services.api.app import create_app
from services.web.security import WebSecurity, build_web_security
from tests.support.clock import FakeClock

PASSWORD = "correct horse battery staple"
EMAIL = "ada@example.org"
_HIDDEN_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def web(container: Container, clock: FakeClock) -> WebSecurity:
    """Memory stores on a hand-moved clock, with Secure cookies as in production."""
    settings = replace(
        container.settings, sessions=replace(container.settings.sessions, cookie_secure=True)
    )
    return build_web_security(settings, clock)


@pytest.fixture
def ada(container: Container) -> UUID:
    person = container.app.register_person(by=None, name="Ada Admin", email=EMAIL)
    container.app.grant_administrator(by=None, person_id=person.id)
    container.app.set_password(by=None, person_id=person.id, password=PASSWORD)
    return person.id


@pytest.fixture
def browser(container: Container, web: WebSecurity) -> Iterator[TestClient[Litestar]]:
    """Like a browser: keeps cookies, over HTTPS (so Secure cookies are sent back)."""
    app = create_app(container, web=web)
    with TestClient(app=app, base_url="https://testserver.local") as client:
        yield client


def form_token(response: Response) -> str:
    match = _HIDDEN_TOKEN.search(response.text)
    assert match, response.text
    return match.group(1)


def sign_in(
    client: TestClient[Litestar], email: str = EMAIL, password: str = PASSWORD, **extra: str
) -> Response:
    token = form_token(client.get("/login"))
    return client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": token, **extra},
        follow_redirects=False,
    )


def set_cookie_headers(response: Response) -> list[str]:
    return response.headers.get_list("set-cookie")
