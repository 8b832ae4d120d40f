"""An HTTP client for the real Litestar app, authenticated as a registered person."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from litestar.testing import TestClient

from infra.bootstrap import Container
from services.api.app import create_app


@pytest.fixture
def token(container: Container) -> str:
    person = container.app.register_person(by=None, name="Ada Admin", email="ada@example.org")
    secret, _ = container.app.issue_token(by=None, person_id=person.id, label="tests")
    return secret


@pytest.fixture
def anonymous(container: Container) -> Iterator[TestClient]:  # type: ignore[type-arg]
    with TestClient(app=create_app(container)) as client:
        yield client


@pytest.fixture
def client(anonymous: TestClient, token: str) -> TestClient:  # type: ignore[type-arg]
    anonymous.headers["Authorization"] = f"Bearer {token}"
    return anonymous
