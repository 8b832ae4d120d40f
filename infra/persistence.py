"""Turns settings into the ``eventsourcing`` environment, and creates the schema once."""

from __future__ import annotations

from infra.settings import DatabaseSettings

# Recorders that chain every event in its own transaction (ADR 9); on PostgreSQL, concurrent
# saves of a process share one transaction (group commit, ADR 15).
_CHAINED_SQLITE = "infra.event_chain:ChainedSQLiteApplicationRecorder"
_CHAINED_POSTGRES = "infra.group_commit:GroupCommitPostgresRecorder"


def eventsourcing_env(db: DatabaseSettings, *, create_table: bool) -> dict[str, str]:
    """The library's settings for our database. Passed to the Application, never put in os.environ.

    Table creation is off except in ``init-db`` for PostgreSQL: several processes creating
    the schema at once race ("tuple concurrently updated").
    """
    env = {
        "CREATE_TABLE": "y" if create_table else "n",
        # No aggregate cache, whatever the process environment says: an erased person's
        # name must not outlive their key in any process's memory (ADR 10).
        "AGGREGATE_CACHE_MAXSIZE": "",
    }
    if not db.is_postgres:
        db.sqlite_path.parent.mkdir(parents=True, exist_ok=True)
        env.update(
            PERSISTENCE_MODULE="eventsourcing.sqlite",
            APPLICATION_RECORDER_TOPIC=_CHAINED_SQLITE,
            SQLITE_DBNAME=str(db.sqlite_path),
            SQLITE_LOCK_TIMEOUT=str(db.lock_timeout),
        )
        return env
    parts = db.postgres_parts()
    env.update(
        PERSISTENCE_MODULE="eventsourcing.postgres",
        APPLICATION_RECORDER_TOPIC=_CHAINED_POSTGRES,
        POSTGRES_HOST=parts["host"],
        POSTGRES_PORT=parts["port"],
        POSTGRES_DBNAME=parts["dbname"],
        POSTGRES_USER=parts["user"],
        POSTGRES_PASSWORD=parts["password"],
        POSTGRES_POOL_SIZE=str(db.pool_size),
        # A projection catch-up holds one connection while reading the log on another.
        POSTGRES_MAX_OVERFLOW="2",
        POSTGRES_CONNECT_TIMEOUT=str(db.connect_timeout),
        POSTGRES_LOCK_TIMEOUT=str(db.lock_timeout),
        POSTGRES_IDLE_IN_TRANSACTION_SESSION_TIMEOUT="30",
        # Connections die when PostgreSQL restarts: bootstrap installs a check before use of
        # any connection that sat idle (infra/pool_checks.py), not of every one.
        POSTGRES_PRE_PING="n",
        # Never on: that path skips the table lock and silently loses tracking records.
        POSTGRES_ENABLE_DB_FUNCTIONS="n",
    )
    return env
