"""An HTTP client for the real Litestar app, authenticated as a registered person."""

from __future__ import annotations

from collections.abc import Iterator
from uuid import UUID

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from infra.bootstrap import Container
from services.api.app import bind, create_app
from tests.e2e.browser_support import ada, browser, clock, web  # noqa: F401 - browser fixtures


@pytest.fixture
def ada_id(container: Container) -> UUID:
    """The person every authenticated request is made as: a platform administrator."""
    person = container.app.register_person(by=None, name="Ada Admin", email="ada@example.org")
    container.app.grant_administrator(by=None, person_id=person.id)
    return person.id


@pytest.fixture
def token(container: Container, ada_id: UUID) -> str:
    secret, _ = container.app.issue_token(by=None, person_id=ada_id, label="tests")
    return secret


@pytest.fixture(scope="session")
def worker_apps() -> dict[int, Litestar]:
    """This worker's apps, by request body limit (the one setting baked into an app)."""
    return {}


@pytest.fixture
def api_app(container: Container, worker_apps: dict[int, Litestar]) -> Litestar:
    """The worker's app, bound to this test's fresh store and fresh web security.

    Building the app (its routes and their signatures) costs more than most tests: one per
    worker, rebound per test, keeps that out of every test.
    """
    limit = container.settings.api.max_body_bytes
    app = worker_apps.get(limit)
    if app is None:
        app = worker_apps[limit] = create_app(container)
    else:
        bind(app, container)
    return app


@pytest.fixture
def anonymous(api_app: Litestar) -> Iterator[TestClient[Litestar]]:
    with TestClient(app=api_app) as client:
        yield client


@pytest.fixture
def client(anonymous: TestClient[Litestar], token: str) -> TestClient[Litestar]:
    anonymous.headers["Authorization"] = f"Bearer {token}"
    return anonymous
