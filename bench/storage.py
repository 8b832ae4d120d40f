"""Storage per event, and how fast the log grows per programme and per organisation.

Reads one database (a generated log, views caught up or not) with plain SQL and prints:

- the log's own tables (events, event chain, personal-data keys): bytes on disk, split into
  heap, TOAST and indexes, and bytes per event;
- the view tables (every other table, grouped by prefix) and the tracking tables, per event;
- the recorded-time span of the log: events per day (mean; busiest day and hour of the last
  90 days), and per live programme and per live organisation per day, over the whole log
  and its last 90 days (a programme or organisation is live from its ``Created`` or
  ``Registered`` event on);
- with ``--wal-from LSN``: WAL bytes written since that LSN, per event of the log.

Numbers are what ``pg_relation_size`` and friends say now: dead row versions left by view
updates count until autovacuum reuses them, as they would in production.

    python -m bench.storage --database-url postgresql://.../db [--wal-from 0/1A50000] [--json]
"""

from __future__ import annotations

import argparse
import json
from typing import Any

import psycopg
from psycopg.rows import dict_row

LOG_TABLES = ("changeledger_events", "changeledger_event_chain", "changeledger_person_keys")
TRACKING_TABLES = ("changeledger_view_tracking", "changeledger_view_schemas")

# Every stored event's state starts with its recorded time:
# {"timestamp":{"_type_":"datetime_iso","_data_":"2023-12-10T00:00:00+00:00"}, ...
# A temporary view of this session, so each query below reads the times the same way.
_RECORDED = """
CREATE TEMPORARY VIEW e AS
SELECT substring(encode(substr(state, 1, 100), 'escape') from '"_data_":"([^"]+)"')::timestamptz
           AS at,
       topic
FROM changeledger_events
"""

_SIZES = """
SELECT c.relname AS table,
       pg_relation_size(c.oid) AS heap,
       pg_table_size(c.oid) - pg_relation_size(c.oid) AS toast,
       pg_indexes_size(c.oid) AS indexes,
       coalesce(s.n_live_tup, 0) AS live_rows,
       coalesce(s.n_dead_tup, 0) AS dead_rows
FROM pg_class c LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid
WHERE c.relkind = 'r' AND c.relnamespace = 'public'::regnamespace
"""

# Busiest day and hour within the last 90 days: the first days of a generated log register
# every organisation and person at once, which no running deployment repeats.
_SPAN = """
WITH recent AS (SELECT max(at) - interval '90 days' AS since FROM e)
SELECT count(*) AS events, min(at) AS first, max(at) AS last,
       extract(epoch FROM max(at) - min(at)) / 86400 AS days,
       (SELECT max(n) FROM (SELECT count(*) n FROM e, recent WHERE at > since
                            GROUP BY date_trunc('day', at)) d) AS busiest_day,
       (SELECT max(n) FROM (SELECT count(*) n FROM e, recent WHERE at > since
                            GROUP BY date_trunc('hour', at)) h) AS busiest_hour
FROM e
"""

# Live days of each programme or organisation, whole log and last 90 days, and the events
# recorded in those last 90 days.
_LIVE = """
WITH bounds AS (SELECT max(at) AS last, max(at) - interval '90 days' AS recent FROM e),
     born AS (SELECT at FROM e WHERE topic LIKE %(topic)s)
SELECT count(*) AS count,
       sum(extract(epoch FROM b.last - born.at)) / 86400 AS live_days,
       sum(extract(epoch FROM b.last - greatest(born.at, b.recent))) / 86400 AS recent_live_days,
       (SELECT count(*) FROM e, bounds WHERE e.at > bounds.recent) AS recent_events
FROM born, bounds b
"""


def measure(url: str, wal_from: str | None) -> dict[str, Any]:
    with psycopg.connect(url, row_factory=dict_row) as conn:
        sizes = conn.execute(_SIZES).fetchall()
        conn.execute(_RECORDED)
        span = _one(conn, _SPAN)
        live = {
            name: _one(conn, _LIVE, {"topic": topic})
            for name, topic in (
                ("programmes", "%:Programme.Created"),
                ("organisations", "%:Organisation.Registered"),
            )
        }
        wal = None
        if wal_from:
            wal = _one(
                conn,
                "SELECT %(lsn)s::text AS from, pg_current_wal_lsn()::text AS to,"
                " pg_wal_lsn_diff(pg_current_wal_lsn(), %(lsn)s::pg_lsn)::bigint AS bytes",
                {"lsn": wal_from},
            )
    return {"sizes": sizes, "span": span, "live": live, "wal": wal}


def _one(conn: psycopg.Connection[dict[str, Any]], sql: str, params: Any = None) -> Any:
    row = conn.execute(sql, params).fetchone()
    assert row is not None, "an aggregate query returns one row"
    return row


def _group(table: str) -> str:
    if table in LOG_TABLES:
        return "log"
    if table in TRACKING_TABLES:
        return "tracking"
    return "view " + table.split("_", 1)[0]


def report(result: dict[str, Any]) -> list[str]:
    events = int(result["span"]["events"]) or 1
    lines = [f"events in the log: {events}"]
    groups: dict[str, dict[str, int]] = {}
    for size in result["sizes"]:
        key = size["table"] if size["table"] in LOG_TABLES else _group(size["table"])
        group = groups.setdefault(key, {"heap": 0, "toast": 0, "indexes": 0, "rows": 0})
        group["heap"] += size["heap"]
        group["toast"] += size["toast"]
        group["indexes"] += size["indexes"]
        group["rows"] += size["live_rows"] + size["dead_rows"]

    def line(name: str, g: dict[str, int]) -> str:
        total = g["heap"] + g["toast"] + g["indexes"]
        return (
            f"{name:32} heap {g['heap'] / 2**20:8.1f} MB  toast {g['toast'] / 2**20:6.1f} MB"
            f"  indexes {g['indexes'] / 2**20:7.1f} MB  total {total / 2**20:8.1f} MB"
            f"  {total / events:7.0f} B/event  rows {g['rows']}"
        )

    totals: dict[str, dict[str, int]] = {}
    for key in sorted(groups, key=lambda k: (not k.startswith("changeledger"), k)):
        lines.append(line(key, groups[key]))
        kind = "log" if key in LOG_TABLES else key.split(" ")[0]
        total = totals.setdefault(kind, {"heap": 0, "toast": 0, "indexes": 0, "rows": 0})
        for part in total:
            total[part] += groups[key][part]
    for kind in ("log", "view", "tracking"):
        if kind in totals:
            lines.append(line(f"= all {kind} tables", totals[kind]))
    everything = {p: sum(t[p] for t in totals.values()) for p in ("heap", "toast", "indexes")}
    lines.append(line("= everything", {**everything, "rows": 0}))
    span = result["span"]
    days = float(span["days"] or 1)
    lines.append(
        f"recorded {span['first']:%Y-%m-%d} .. {span['last']:%Y-%m-%d} ({days:.0f} days):"
        f" {events / days:.0f} events/day mean; last 90 days: busiest day {span['busiest_day']},"
        f" busiest hour {span['busiest_hour']}"
    )
    for name, live in result["live"].items():
        live_days = float(live["live_days"] or 0) or 1.0
        recent = float(live["recent_live_days"] or 0) or 1.0
        lines.append(
            f"{name}: {live['count']}; whole log {events / live_days:.2f} events per live"
            f" {name[:-1]} per day; last 90 days {live['recent_events']} events,"
            f" {int(live['recent_events']) / recent:.2f} per live {name[:-1]} per day"
        )
    if result["wal"]:
        wal = result["wal"]
        lines.append(
            f"WAL {wal['from']} .. {wal['to']}: {wal['bytes'] / 2**20:.1f} MB,"
            f" {wal['bytes'] / events:.0f} B per event of the log"
        )
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.storage",
        description="Bytes per event of the log, the chain and the views, and events per "
        "programme and organisation per day, of one database.",
    )
    parser.add_argument("--database-url", required=True, help="a database holding a log")
    parser.add_argument(
        "--wal-from",
        metavar="LSN",
        help="also print WAL written since this LSN (from SELECT pg_current_wal_lsn() taken "
        "before generating or catching up), per event of the log",
    )
    parser.add_argument("--json", action="store_true", help="print the raw figures as JSON")
    args = parser.parse_args(argv)
    result = measure(args.database_url, args.wal_from)
    if args.json:
        print(json.dumps(result, default=str, indent=1))
    else:
        print("\n".join(report(result)))


if __name__ == "__main__":
    main()
