"""Shared fixtures. Application and API tests run once on SQLite and once on PostgreSQL."""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import LiteralString

import psycopg
import pytest
from psycopg import sql

from infra.bootstrap import Container, bootstrap, init_db
from infra.settings import Settings
from projections.schema import SCHEMAS
from tests.support.postgres import create_database, postgres_server

_database_numbers = itertools.count(1)


@pytest.fixture(scope="session")
def postgres_dsn() -> Iterator[str]:
    """The session's PostgreSQL server (started on first use, stopped at the end)."""
    with postgres_server() as dsn:
        yield dsn


@pytest.fixture(scope="session")
def postgres_database(postgres_dsn: str) -> str:
    """One database per test session (per xdist worker), its schema made once by init-db.

    Tests each start from it emptied (see ``empty_postgres``): much faster than creating
    a database per test, and the schema is still the one init-db makes.
    """
    url = create_database(postgres_dsn, f"changeledger_{next(_database_numbers)}")
    init_db(Settings.from_env({"CHANGELEDGER_DATABASE_URL": url}))
    return url


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("sqlite-template")
    settings = Settings.from_env({"CHANGELEDGER_DATA_DIR": str(data_dir)})
    init_db(settings)
    return settings.database.sqlite_path


@pytest.fixture(params=["sqlite", "postgres"])
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    """Settings for a fresh, empty store of each kind, its schema made by init-db."""
    env = {"CHANGELEDGER_DATA_DIR": str(tmp_path / "data"), "CHANGELEDGER_DB_POOL_SIZE": "8"}
    if request.param == "postgres":
        url = request.getfixturevalue("postgres_database")
        empty_postgres(url)
        env["CHANGELEDGER_DATABASE_URL"] = url
    else:
        template_path: Path = request.getfixturevalue("sqlite_template")
        settings = Settings.from_env(env)
        copy_sqlite(template_path, settings.database.sqlite_path)
    return Settings.from_env(env)


@pytest.fixture
def container(settings: Settings) -> Iterator[Container]:
    """A bootstrapped product on a schema created once by init-db, as in production."""
    built = bootstrap(settings)
    yield built
    built.close()


def empty_postgres(url: str) -> None:
    """Empty every table (events, views, tracking) in one round trip: the DELETEs run in the
    server (the round trips were most of the cost). DELETE beats TRUNCATE on tiny tables:
    TRUNCATE makes new files for every table and index, several times slower here.
    """
    with psycopg.connect(url) as conn:
        conn.execute(sql.SQL(_EMPTY_EVERY_TABLE).format(schemas=sql.Literal(SCHEMAS)))


# The views' schema fingerprints describe the tables, not data: kept. So is the library's
# schema-migration marker in its tracking tables.
_EMPTY_EVERY_TABLE: LiteralString = """
DO $$
DECLARE
    name text;
BEGIN
    FOR name IN
        SELECT tablename FROM pg_tables
        WHERE schemaname = 'public' AND tablename <> {schemas}
    LOOP
        IF name LIKE '%tracking%' THEN
            EXECUTE format(
                'DELETE FROM %I WHERE application_name <> %L', name, '__migration__'
            );
        ELSE
            EXECUTE format('DELETE FROM %I', name);
        END IF;
    END LOOP;
END
$$
"""


def copy_sqlite(source: Path, target: Path) -> None:
    """Copy a closed SQLite database, WAL included, with SQLite's own backup."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
