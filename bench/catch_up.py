"""Catch-up of every projection from zero, beside a bare scan of the same notification log.

Each measurement runs in its own fresh process, which also reports its peak RSS:

- ``scan``: read the log in the processors' batch size with ``recorder.select_notifications``
  and nothing else: the floor any catch-up pays.
- ``decode``: the same scan, also turning each notification into its domain event.
- ``catch-up``: empty every view, then ``ProjectionProcessor.catch_up`` each, timed per view.

The scan runs before and after the catch-up, so drift on a shared machine shows.

    python -m bench.catch_up --database-url postgresql://.../db
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from typing import Any

from bench.measure import run_worker, table
from bench.pg import open_container

BATCH = 500  # ProjectionProcessor's default batch size


def _scan(container: Any, *, decode: bool) -> int:
    app, start, seen = container.app, 1, 0
    while True:
        notifications = app.recorder.select_notifications(start=start, limit=BATCH)
        if not notifications:
            return seen
        if decode:
            for notification in notifications:
                app.mapper.to_domain_event(notification)
        seen += len(notifications)
        start = notifications[-1].id + 1


def peak_rss_mb() -> float:
    """This process's peak resident memory.

    VmHWM, not ``ru_maxrss``: Linux carries ``ru_maxrss`` over from the parent across
    fork and exec, so a worker started by a big parent would report the parent's peak.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class _ProgressLog:
    """Says on stderr how far a view has got, every half minute: long runs leave a trace."""

    def __init__(self, view: str, head: int, began: float) -> None:
        self.view, self.head, self.began = view, head, began
        self.done, self.said = 0, began

    def __call__(self, applied: int) -> None:
        self.done += applied
        now = time.perf_counter()
        if now - self.said >= 30:
            self.said = now
            rate = self.done / (now - self.began)
            print(
                f"catch-up {self.view}: {self.done}/{self.head} events, {rate:,.0f} events/s",
                file=sys.stderr,
                flush=True,
            )


def _recreate(container: Any, processors: list[Any]) -> None:
    """Drop and remake these views' tables, at position zero: the code may have changed
    their columns since the log was generated, and a rebuild starts from nothing anyway."""
    with container.views.write("__schema__") as tx:
        for processor in processors:
            for table in processor.projection.tables:
                tx.execute(f"DROP TABLE IF EXISTS {table}")
            for statement in processor.projection.create_statements():
                tx.execute(statement)
            tx.reset_position(processor.name)


def worker(url: str, mode: str, views: list[str] | None = None) -> dict[str, Any]:
    container = open_container(url, create_missing_tables=mode == "catch-up")
    try:
        head = container.app.recorder.max_notification_id() or 0
        per_view: dict[str, float] = {}
        if mode == "catch-up":
            chosen = {n: p for n, p in container.processors.items() if not views or n in views}
            _recreate(container, list(chosen.values()))
            began = time.perf_counter()
            for name, processor in chosen.items():
                view_began = time.perf_counter()
                processor.catch_up(_ProgressLog(name, head, view_began))
                per_view[name] = time.perf_counter() - view_began
            seconds = time.perf_counter() - began
        else:
            began = time.perf_counter()
            scanned = _scan(container, decode=mode == "decode")
            seconds = time.perf_counter() - began
            assert scanned == head, f"scanned {scanned} of {head}"
    finally:
        container.close()
    return {
        "mode": mode,
        "events": head,
        "seconds": seconds,
        "per_view": per_view,
        "maxrss_mb": peak_rss_mb(),
    }


def measure(url: str) -> dict[str, Any]:
    runs = {
        mode: run_worker("bench.catch_up", "--worker", mode, "--database-url", url)
        for mode in ("scan", "decode")
    }
    runs["catch-up"] = run_worker("bench.catch_up", "--worker", "catch-up", "--database-url", url)
    runs["scan after"] = run_worker("bench.catch_up", "--worker", "scan", "--database-url", url)
    return runs


def report(runs: dict[str, Any]) -> str:
    events = runs["scan"]["events"]
    scan_rate = events / ((runs["scan"]["seconds"] + runs["scan after"]["seconds"]) / 2)
    rows = []
    for name, run in runs.items():
        rate = events / run["seconds"]
        rows.append(
            [
                name,
                events,
                f"{run['seconds']:.2f}",
                f"{rate:,.0f}",
                f"{rate / scan_rate:.3f}",
                f"{run['maxrss_mb']:.0f}",
                f"{run['maxrss_mb'] / runs['scan']['maxrss_mb']:.2f}",
            ]
        )
    headers = [
        "run",
        "events",
        "seconds",
        "events/s",
        "rate ÷ bare scan",
        "peak RSS MB",
        "RSS ÷ scan worker",
    ]
    per_view = runs["catch-up"]["per_view"]
    view_rows = [
        [name, f"{seconds:.2f}", f"{events / seconds:,.0f}", f"{events / seconds / scan_rate:.3f}"]
        for name, seconds in sorted(per_view.items(), key=lambda item: -item[1])
    ]
    return (
        table(headers, rows)
        + "\n\n"
        + table(["view", "seconds", "events/s", "rate ÷ bare scan"], view_rows)
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.catch_up",
        description="Catch-up rate of all projections from zero beside a bare log scan.",
    )
    parser.add_argument("--database-url", required=True, help="a database holding a log")
    parser.add_argument("--views", help="with --worker catch-up: only these views (a,b,c)")
    parser.add_argument(
        "--worker",
        choices=("scan", "decode", "catch-up"),
        help="internal: run one measurement in this process, print JSON",
    )
    args = parser.parse_args(argv)
    if args.worker:
        views = args.views.split(",") if args.views else None
        print(json.dumps(worker(args.database_url, args.worker, views)))
        return
    print(report(measure(args.database_url)))


if __name__ == "__main__":
    main()
