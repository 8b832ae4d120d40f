"""The write-path benchmark (bench/write_path.py) in miniature: the production shape as
separate processes, two clients for a second per phase with the Python client (so wrk need
not be installed), and both baselines on the session's PostgreSQL server."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.write_path import arguments, baselines_dir, measure
from bench.write_report import report

pytestmark = pytest.mark.postgres


def test_the_write_benchmark_counts_every_acknowledged_command_in_the_log_once(
    postgres_dsn: str, tmp_path: Path
) -> None:
    if not (baselines_dir(None) / "pg_single_insert.sh").exists():
        pytest.skip(f"no baseline scripts in {baselines_dir(None)}")
    args = arguments(
        [
            *("--server-dsn", postgres_dsn, "--clients", "2", "--seconds", "1"),
            *("--warmup", "0.5", "--client", "python", "--worker-concurrency", "1"),
            *("--logs", str(tmp_path)),
        ]
    )

    results = measure(args)

    assert [p["prefer"] for p in results["phases"]] == ["(none)", "return=minimal"]
    for phase in results["phases"]:
        load = phase["load"]
        assert load["client"].startswith("Python threads")
        assert load["ok"] > 0, load
        assert load["rejected"] == {}, load
        assert load["errors"] == {}, load
        assert phase["events_added"] == load["ok"]
        assert phase["events_match_2xx"]
        assert 0 < load["p50_ms"] <= load["p99_ms"]
        assert phase["catch_up"]["seconds"] is not None
        assert phase["catch_up"]["bare_read_events_per_s"] > 0
        assert phase["memory"]["api"]["peak_kib"] >= phase["memory"]["api"]["current_kib"] > 0
        assert phase["memory"]["worker"]["processes"] >= 2  # the worker and its pool
        assert phase["cores"]["api"] > 0
        assert phase["cores"]["postgres"] > 0
    assert results["pgbench"]["tps"] > 0, results["pgbench"]
    assert results["default_save"]["events_per_s"] > 0, results["default_save"]
    assert results["postgres"]["fsync"] == "off"  # the test server, given with --server-dsn
    printed = report(results)
    assert "API ÷ default save" in printed
    assert "NOT durable" in printed
