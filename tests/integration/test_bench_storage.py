"""bench/storage.py reads a generated log's sizes and rates as the log itself has them.

PostgreSQL only: it measures PostgreSQL's files and WAL.
"""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest

from bench.generate import generate
from bench.storage import measure, report
from infra.bootstrap import Container, bootstrap
from infra.settings import Settings
from tests.conftest import empty_postgres


@pytest.fixture
def url(postgres_database: str) -> str:
    empty_postgres(postgres_database)
    return postgres_database


@pytest.fixture
def container(url: str) -> Iterator[Container]:
    built = bootstrap(Settings.from_env({"CHANGELEDGER_DATABASE_URL": url}))
    yield built
    built.close()


def _lsn(url: str) -> str:
    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT pg_current_wal_lsn()::text").fetchone()
    assert row is not None
    return str(row[0])


def test_storage_counts_the_logs_events_programmes_and_recorded_span(
    url: str, container: Container
) -> None:
    before = _lsn(url)
    generate(container.app, 300, seed=7, show_progress=False)
    container.catch_up()
    app = container.app
    events = [
        app.mapper.to_domain_event(n)
        for n in app.recorder.select_notifications(start=1, limit=100_000)
    ]
    kinds = [type(event).__qualname__ for event in events]

    result = measure(url, wal_from=before)

    span = result["span"]
    assert span["events"] == len(events)
    assert span["first"] == events[0].timestamp
    assert span["last"] == events[-1].timestamp
    assert result["live"]["programmes"]["count"] == kinds.count("Programme.Created")
    assert result["live"]["organisations"]["count"] == kinds.count("Organisation.Registered")
    assert result["wal"]["bytes"] > 0
    sizes = {size["table"]: size for size in result["sizes"]}
    assert sizes["changeledger_events"]["heap"] > 0
    assert sizes["changeledger_event_chain"]["heap"] > 0
    assert sizes["pf_programmes"]["heap"] > 0  # a view, filled by the catch-up


def test_storage_report_gives_bytes_per_event_of_log_views_and_everything(
    url: str, container: Container
) -> None:
    generate(container.app, 300, seed=7, show_progress=False)
    container.catch_up()

    lines = report(measure(url, wal_from=None))

    text = "\n".join(lines)
    for heading in ("= all log tables", "= all view tables", "= everything"):
        line = next(line for line in lines if line.startswith(heading))
        assert int(line.split(" B/event")[0].split()[-1]) > 0, line
    assert "events per live programme per day" in text
    assert "WAL" not in text
