"""One app per test worker, rebound to each test's store (tests/e2e/conftest.py): once
rebound, it serves only the new store, with fresh sessions and login counts."""

from __future__ import annotations

from pathlib import Path

from litestar import Litestar
from litestar.testing import TestClient

from infra.bootstrap import Container, bootstrap
from infra.settings import Settings
from services.api.app import bind
from services.web.security import WEB_SECURITY
from tests.conftest import copy_sqlite


def _another_store(tmp_path: Path, template: Path) -> Container:
    settings = Settings.from_env({"CHANGELEDGER_DATA_DIR": str(tmp_path / "another")})
    copy_sqlite(template, settings.database.sqlite_path)
    return bootstrap(settings)


def test_a_rebound_app_serves_only_the_store_it_was_rebound_to(
    api_app: Litestar, token: str, tmp_path: Path, sqlite_template: Path
) -> None:
    with TestClient(app=api_app) as first:
        first.headers["Authorization"] = f"Bearer {token}"
        created = first.post("/organisations", json={"name": "Leeds", "kind": "provider"})
        assert created.status_code == 201, created.text
    sessions_before = api_app.state[WEB_SECURITY]

    another = _another_store(tmp_path, sqlite_template)
    try:
        bind(api_app, another)
        grace = another.app.register_person(by=None, name="Grace", email="grace@example.org")
        another.app.grant_administrator(by=None, person_id=grace.id)
        secret, _ = another.app.issue_token(by=None, person_id=grace.id, label="tests")
        with TestClient(app=api_app) as second:
            stale = second.get("/organisations", headers={"Authorization": f"Bearer {token}"})
            listed = second.get("/organisations", headers={"Authorization": f"Bearer {secret}"})
    finally:
        another.close()

    assert stale.status_code == 401
    assert listed.status_code == 200
    assert listed.json()["items"] == []
    assert api_app.state[WEB_SECURITY] is not sessions_before
