"""The production shape of sign-in: several API processes share sessions and failed-login
counts through one real Redis."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from uuid import UUID

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from infra.bootstrap import Container
from services.api.app import create_app
from services.web.security import build_web_security
from tests.e2e.browser_support import sign_in
from tests.support.redis import running_redis

Browser = TestClient[Litestar]
SESSION = "__Host-changeledger_session"


@pytest.fixture
def two_processes(container: Container) -> Iterator[tuple[Browser, Browser]]:
    """Two API apps, each with its own Redis client, as two processes would have."""
    with running_redis() as server:
        settings = replace(
            container.settings,
            background=replace(container.settings.background, redis_url=server.url),
            sessions=replace(container.settings.sessions, cookie_secure=True),
        )
        one = TestClient(
            app=create_app(container, web=build_web_security(settings)),
            base_url="https://testserver.local",
        )
        two = TestClient(
            app=create_app(container, web=build_web_security(settings)),
            base_url="https://testserver.local",
        )
        with one, two:
            yield one, two


def test_a_session_started_in_one_process_works_and_ends_in_another(
    two_processes: tuple[Browser, Browser], ada: UUID
) -> None:
    one, two = two_processes
    sign_in(one)
    cookie = one.cookies[SESSION]
    two.cookies.set(SESSION, cookie, domain="testserver.local")

    seen_by_two = two.get("/people/me")
    token = two.get("/web/portfolio").text.split('name="csrf-token" content="')[1].split('"')[0]
    two.post("/logout", data={"csrf_token": token}, follow_redirects=False)

    assert seen_by_two.status_code == 200
    assert seen_by_two.json()["id"] == str(ada)
    assert one.get("/people/me").status_code == 401


def test_failed_logins_in_every_process_count_together(
    two_processes: tuple[Browser, Browser], ada: UUID
) -> None:
    one, two = two_processes
    for browser in (one, two, one, two, one):
        assert sign_in(browser, password="a wrong guess").status_code == 401

    assert sign_in(two).status_code == 429
    assert sign_in(one).status_code == 429
