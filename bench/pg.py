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
def throwaway_server(*, durable: bool = False) -> Iterator[str]:
    """A superuser DSN on a fresh server (fsync off, as in the tests, unless ``durable``);
    stopped afterwards."""
    with postgres_server(durable=durable) as dsn:
        yield dsn


def new_database(server_dsn: str, name: str) -> str:
    """An empty database with the product's schema made by init-db; returns its URL."""
    url = create_database(server_dsn, name)
    init_db(settings_for(url))
    return url


def settings_for(url: str) -> Settings:
    return Settings.from_env({"CHANGELEDGER_DATABASE_URL": url, "CHANGELEDGER_DB_POOL_SIZE": "4"})


def open_container(url: str, *, create_missing_tables: bool = False) -> Container:
    """The product on ``url``. With ``create_missing_tables``, view tables added to the code
    since the database was made are created first (every statement is IF NOT EXISTS)."""
    return bootstrap(settings_for(url), create_schema=create_missing_tables)


def main() -> None:
    """``python -m bench.pg``: start a throwaway server, print its DSN, stop it on Ctrl-C or
    SIGTERM. Long runs can then use ``--server-dsn`` and outlive a crash of one benchmark."""
    import signal
    import time

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    with throwaway_server() as dsn:
        print(dsn, flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
