"""A throwaway PostgreSQL for benchmarks, started and stopped the way the tests do it.

``--database-url`` on each benchmark command names an existing database instead.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from infra.bootstrap import Container, bootstrap, init_db
from infra.settings import Settings
from tests.support.postgres import create_database, postgres_server


@contextmanager
def throwaway_server() -> Iterator[str]:
    """A superuser DSN on a fresh server (fsync off, as in the tests); stopped afterwards."""
    with postgres_server() as dsn:
        yield dsn


def new_database(server_dsn: str, name: str) -> str:
    """An empty database with the product's schema made by init-db; returns its URL."""
    url = create_database(server_dsn, name)
    init_db(settings_for(url))
    return url


def settings_for(url: str) -> Settings:
    return Settings.from_env({"CHANGELEDGER_DATABASE_URL": url, "CHANGELEDGER_DB_POOL_SIZE": "4"})


def open_container(url: str) -> Container:
    return bootstrap(settings_for(url))
