"""Shared fixtures. Application and API tests run once on SQLite and once on PostgreSQL."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest

from infra.bootstrap import Container, bootstrap, init_db
from infra.settings import Settings
from tests.support.postgres import create_database, postgres_server

_database_numbers = itertools.count(1)


@pytest.fixture(scope="session")
def postgres_dsn() -> Iterator[str]:
    """The session's PostgreSQL server (started on first use, stopped at the end)."""
    with postgres_server() as dsn:
        yield dsn


@pytest.fixture(params=["sqlite", "postgres"])
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    """Settings for a fresh, empty store of each kind."""
    env = {"CHANGELEDGER_DATA_DIR": str(tmp_path / "data"), "CHANGELEDGER_DB_POOL_SIZE": "8"}
    if request.param == "postgres":
        server = request.getfixturevalue("postgres_dsn")
        env["CHANGELEDGER_DATABASE_URL"] = create_database(server, f"t{next(_database_numbers)}")
    return Settings.from_env(env)


@pytest.fixture
def container(settings: Settings) -> Iterator[Container]:
    """A bootstrapped product on a schema created once by init-db, as in production."""
    init_db(settings)
    built = bootstrap(settings)
    yield built
    built.close()
