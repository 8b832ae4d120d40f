"""The fault suite: one live API on PostgreSQL shared by the tests that do not stop PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.faults.support import Served, serving
from tests.support.postgres import create_database


@pytest.fixture(scope="package")
def served(postgres_dsn: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """``changeledger serve`` over a fresh database on the session's PostgreSQL server.

    The lock timeout is short, so a writer held behind a slow transaction gives up (503)
    well within the tests' request bound rather than waiting it out.
    """
    logs = tmp_path_factory.mktemp("faults-served")
    url = create_database(postgres_dsn, "faults_served")
    with serving(url, logs, CHANGELEDGER_DB_LOCK_TIMEOUT="1") as live:
        yield live
