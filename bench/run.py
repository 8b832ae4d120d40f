"""Every benchmark at each log size, on PostgreSQL, in one run: generate, catch up, query.

    python -m bench.run --events 10000 100000 --json /tmp/bench.json

Starts a throwaway PostgreSQL (as the tests do) unless ``--server-dsn`` names one; each size
gets its own database. Prints Markdown sections for docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import catch_up, queries
from bench.generate import generate
from bench.pg import new_database, open_container, throwaway_server

BASELINES = Path(__file__).resolve().parents[2] / "shared" / "baselines"


def default_save_baseline(url: str, seconds: int = 5) -> str:
    """The eventsourcing library's default one-event save(), one thread (shared baseline)."""
    script = BASELINES / "es_default_save.py"
    if not script.exists():
        return "baseline script not found"
    parts = url.rsplit("/", 1)
    host_port = parts[0].rsplit("@", 1)[-1]
    host, port = host_port.split(":")
    env = {
        **os.environ,
        "POSTGRES_DBNAME": parts[1],
        "POSTGRES_HOST": host,
        "POSTGRES_PORT": port,
        "POSTGRES_USER": "changeledger",
        "POSTGRES_PASSWORD": "",
        "THREADS": "1",
        "SECONDS": str(seconds),
        "CREATE_TABLE": "y",
    }
    result = subprocess.run(
        [sys.executable, str(script)], env=env, capture_output=True, text=True, check=False
    )
    return (result.stdout.strip() or result.stderr.strip()[-300:]).splitlines()[-1]


def one_size(server: str, events: int, repeat: int, seed: int) -> dict[str, Any]:
    url = new_database(server, f"bench_{events}")
    container = open_container(url)
    try:
        generated = generate(container.app, events, seed=seed)
    finally:
        container.close()
    print(f"\n## {events} events\n\ngenerated: {generated.summary()}", flush=True)
    baseline_db = new_database(server, f"bench_{events}_save_baseline")
    save_baseline = default_save_baseline(baseline_db)
    print(f"write baseline (es_default_save.py, 1 thread): {save_baseline}", flush=True)
    runs = catch_up.measure(url)
    print("\n### catch-up and memory\n\n" + catch_up.report(runs), flush=True)
    reads = queries.measure(url, repeat)
    print("\n### query latency\n\n" + queries.report(reads), flush=True)
    return {
        "events": events,
        "generated": generated.summary(),
        "save_baseline": save_baseline,
        "catch_up": runs,
        "queries": reads,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=100, help="timed calls per read")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--server-dsn", help="an existing PostgreSQL superuser DSN")
    parser.add_argument("--json", type=Path, help="also write every figure here")
    args = parser.parse_args(argv)
    print(
        f"# bench.run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {platform.node()}:"
        f" {os.cpu_count()} cores, python {platform.python_version()}",
        flush=True,
    )
    results = []

    def run_all(server: str) -> None:
        for events in args.events:
            results.append(one_size(server, events, args.repeat, args.seed))
            if args.json:
                args.json.write_text(json.dumps(results, indent=1, default=str))

    if args.server_dsn:
        run_all(args.server_dsn)
    else:
        with throwaway_server() as server:
            run_all(server)


if __name__ == "__main__":
    main()
