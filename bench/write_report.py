"""The write-path benchmark's figures as Markdown tables (bench/write_path.py)."""

from __future__ import annotations

from typing import Any

from bench.measure import table

GOAL_OVER_DEFAULT_SAVE = 3.0
GOAL_OVER_PGBENCH = 0.4


def _n(value: float | None, digits: int = 0) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


def _ratio(top: float, bottom: float | None, goal: float) -> str:
    if not bottom:
        return "-"
    ratio = top / bottom
    return f"{ratio:.2f} ({'meets' if ratio >= goal else 'below'} {goal:g})"


def _mib(kib: int) -> str:
    return f"{kib / 1024:,.0f}"


def report(results: dict[str, Any]) -> str:
    pg = results["postgres"]
    durable = all(pg[k] == "on" for k in ("fsync", "synchronous_commit", "full_page_writes"))
    phases = results["phases"]
    save, pgbench = results["default_save"], results["pgbench"]
    lines = [
        f"## Write path: {results['clients']} clients, {results['seconds']:g} s per phase",
        "",
        f"PostgreSQL {pg['server_version']}: fsync={pg['fsync']},"
        f" synchronous_commit={pg['synchronous_commit']},"
        f" full_page_writes={pg['full_page_writes']}"
        f" ({'durable' if durable else 'NOT durable'};"
        f" {'started by the benchmark' if pg['started_here'] else 'given with --server-dsn'})."
        f" API processes: {results['api_workers']}; Celery pool: {results['worker_concurrency']};"
        f" load client: {phases[0]['load']['client']}; {results['machine']['cpus']} CPUs.",
        "",
    ]
    rows = [
        [
            f"API proposeDecision, Prefer: {p['prefer']}",
            _n(p["load"]["per_second"]),
            _n(p["load"]["p50_ms"], 1),
            _n(p["load"]["p99_ms"], 1),
        ]
        for p in phases
    ]
    if "error" in save:
        rows.append(["es_default_save.py (events/s)", save["error"], "-", "-"])
    else:
        rows.append(
            [
                "es_default_save.py, default recorder (events/s)",
                _n(save["events_per_s"]),
                _n(save["p50_ms"], 1),
                _n(save["p99_ms"], 1),
            ]
        )
    product = results.get("product_recorder_save", {})
    if "events_per_s" in product:
        rows.append(
            [
                "es_default_save.py, the product's recorder (group commit + chain) (events/s)",
                _n(product["events_per_s"]),
                _n(product["p50_ms"], 1),
                _n(product["p99_ms"], 1),
            ]
        )
    elif product:
        rows.append(["es_default_save.py, the product's recorder", product["error"], "-", "-"])
    tps = _n(pgbench["tps"]) if "tps" in pgbench else pgbench["error"]
    rows.append(["pg_single_insert.sh, pgbench (tps)", tps, "-", "-"])
    lines += [table(["figure", "per second", "p50 ms", "p99 ms"], rows), ""]
    if "events_per_s" in product:
        lines += [
            "The recorder alone (same script, aggregate and threads as the default save, only"
            " the recorder swapped): "
            f"{_ratio(product['events_per_s'], save.get('events_per_s'), GOAL_OVER_DEFAULT_SAVE)}"
            " times the default save; "
            f"{_ratio(product['events_per_s'], pgbench.get('tps'), GOAL_OVER_PGBENCH)}"
            " of pgbench.",
            "",
        ]
    lines += [
        table(
            ["phase", "API ÷ default save (goal ≥ 3)", "API ÷ pgbench (goal ≥ 0.4)"],
            [
                [
                    p["prefer"],
                    _ratio(
                        p["load"]["per_second"], save.get("events_per_s"), GOAL_OVER_DEFAULT_SAVE
                    ),
                    _ratio(p["load"]["per_second"], pgbench.get("tps"), GOAL_OVER_PGBENCH),
                ]
                for p in phases
            ],
        ),
        "",
        "Nothing lost, nothing doubled: the events added to the log against the 2xx answers.",
        "",
        table(
            [
                "phase",
                "2xx answers",
                "events added",
                "equal",
                "non-2xx by status",
                "client errors",
                "Preference-Applied",
            ],
            [
                [
                    p["prefer"],
                    p["load"]["ok"],
                    p["events_added"],
                    "yes" if p["events_match_2xx"] else "NO",
                    ", ".join(f"{s}: {n}" for s, n in p["load"]["rejected"].items()) or "none",
                    ", ".join(f"{k}: {n}" for k, n in p["load"]["errors"].items()) or "none",
                    p["load"]["preference_applied"],
                ]
                for p in phases
            ],
        ),
        "",
        "Projection catch-up: what every view applied while the load ran, and after it the"
        " backlog drained per second until every view held the head (a lower bound: it"
        " includes the wake-up delay), beside a bare read of the same notifications"
        " (select_notifications, 500 a batch).",
        "",
        table(
            [
                "phase",
                "views' events/s during the load",
                "behind at the end",
                "catch-up s",
                "backlog ÷ catch-up s",
                "bare read events/s",
                "catch-up ÷ bare read",
            ],
            [_catch_up_row(p) for p in phases],
        ),
        "",
        "Resident memory after each phase (MiB, summed over the processes).",
        "",
        table(
            [
                "phase",
                "API peak",
                "API now",
                "API processes",
                "worker peak",
                "worker now",
                "worker processes",
            ],
            [_memory_row(p) for p in phases],
        ),
    ]
    lines += [
        "",
        "Cores busy while the load ran (CPU seconds ÷ load seconds; the client is wrk or the"
        " Python threads, with this process).",
        "",
        table(
            ["phase", "API", "worker", "PostgreSQL", "client"],
            [
                [p["prefer"]]
                + [_n(p["cores"].get(k), 2) for k in ("api", "worker", "postgres", "client")]
                for p in phases
            ],
        ),
    ]
    for p in phases:
        if p.get("profile"):
            kind = results.get("profile", "wall")
            lines += ["", f"Profile of the API (Prefer: {p['prefer']}), py-spy, {kind}:", "```"]
            lines += [p["profile"], "```"]
    return "\n".join(lines)


def _catch_up_row(p: dict[str, Any]) -> list[str]:
    c = p["catch_up"]
    rate, bare = c["events_per_s"], c["bare_read_events_per_s"]
    during = _n(c["during_load_events_per_s"]) if "during_load_events_per_s" in c else "-"
    if c["seconds"] is None:
        return [p["prefer"], during, str(c["backlog_at_end"]), "not reached", "-", _n(bare), "-"]
    return [
        p["prefer"],
        during,
        str(c["backlog_at_end"]),
        f"{c['seconds']:.2f}",
        _n(rate) if rate else "at the head already",
        _n(bare),
        f"{rate / bare:.2f}" if rate and bare else "-",
    ]


def _memory_row(p: dict[str, Any]) -> list[str]:
    api, worker = p["memory"]["api"], p["memory"]["worker"]
    return [
        p["prefer"],
        _mib(api["peak_kib"]),
        _mib(api["current_kib"]),
        str(api["processes"]),
        _mib(worker["peak_kib"]),
        _mib(worker["current_kib"]),
        str(worker["processes"]),
    ]
