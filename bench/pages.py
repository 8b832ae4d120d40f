"""Latency of the server-rendered pages (issue 6), p50 and p99, each beside the API requests
its content comes from, timed the same way in the same run, and a ``GET /health`` round trip.

The app is built in-process and driven with Litestar's TestClient (no network), so a figure
is the whole request: routing, the access guard, the reads, rendering. The caller is a
platform administrator (who reads every programme) presented by a fixed bearer value, so
no token is issued. Each page is timed over a sample of programmes (with their lead
commissioner, one of their decisions, commitments and roles), and also as the CSV of one of
its tables (the page's reads without the template). "As of" uses the middle of the log.

    python -m bench.pages --database-url postgresql://.../db --repeat 50

The database needs a platform administrator. ``--make-administrator`` registers and grants
one (two events, and the views caught up to them): use it on a copy, e.g.
``CREATE DATABASE copy TEMPLATE original``, never on a log you must keep as it is.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import logging
import pstats
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from itertools import cycle
from typing import Any
from uuid import UUID

from litestar.testing import TestClient

from bench.measure import percentile, table
from bench.page_cases import CASES, Subject, Url, subjects, with_csv_of
from bench.pg import open_container
from bench.queries import middle_of_log
from domain.errors import NotAuthenticated
from infra.bootstrap import Container, bootstrap
from infra.settings import Settings
from projections.timefmt import iso
from services.api.app import create_app

BEARER = "bench-pages-administrator"


def administrator(container: Container, make: bool) -> UUID:
    """A platform administrator of the log; with ``make``, one registered and granted now."""
    existing = container.app.administrator_ids()
    if existing:
        return existing[0]
    if not make:
        raise SystemExit(
            "the database has no platform administrator: rerun with --make-administrator"
            " on a copy of it (CREATE DATABASE copy TEMPLATE original)"
        )
    person = container.app.register_person(
        by=None, name="Benchmark administrator", email="bench-pages@changeledger.invalid"
    )
    container.app.grant_administrator(by=None, person_id=person.id)
    container.catch_up()  # the directory view names the viewer in each page's frame
    return person.id


def authenticator(person_id: UUID) -> Callable[[str], UUID]:
    def authenticate(secret: str) -> UUID:
        if secret != BEARER:
            raise NotAuthenticated("only the benchmark's own bearer value is accepted")
        return person_id

    return authenticate


def _get(http: TestClient[Any], url: str) -> None:
    response = http.get(url, headers={"Authorization": f"Bearer {BEARER}"})
    if response.status_code != 200:
        raise RuntimeError(f"{url.split('?')[0]} answered {response.status_code}")


def time_together(
    http: TestClient[Any],
    variants: dict[str, tuple[Url, ...]],
    sample: list[Subject],
    at: str,
    repeat: int,
    warmup: int = 3,
    budget: float = 90.0,
) -> dict[str, dict[str, Any]]:
    """p50/p99 of each variant (one sample: all its URLs in turn, for one subject).

    The variants take turns within each round, for the same subject, so a burst of load
    on the shared machine falls on the page and on its API baseline alike and their ratio
    holds. Stops early once ``budget`` seconds are spent (with at least 10 rounds). A
    variant that fails is reported with its error and left out of later rounds.
    """
    seconds: dict[str, list[float]] = {name: [] for name in variants}
    errors: dict[str, str] = {}
    turns = cycle(sample)
    spent = 0.0
    for round_ in range(warmup + repeat):
        subject = next(turns)
        for name, urls in variants.items():
            if name in errors:
                continue
            began = time.perf_counter()
            try:
                for url in urls:
                    _get(http, url(subject, at))
            except Exception as exc:  # listed with its error, not left out
                errors[name] = f"{type(exc).__name__}: {str(exc)[:100]}"
                continue
            if round_ >= warmup:
                seconds[name].append(time.perf_counter() - began)
                spent += seconds[name][-1]
        if spent > budget and round_ - warmup >= 10:
            break
    return {name: _summary(seconds[name], errors.get(name)) for name in variants}


def _summary(seconds: list[float], error: str | None) -> dict[str, Any]:
    if error is not None:
        return {"error": error}
    return {
        "p50_ms": percentile(seconds, 0.5) * 1000,
        "p99_ms": percentile(seconds, 0.99) * 1000,
        "samples": len(seconds),
    }


@contextmanager
def product(url: str, workers: bool) -> Iterator[Container]:
    """The product on ``url``: embedded (this process catches the views up before each
    read), or, with ``workers``, deployed as with Celery workers (a throwaway redis-server
    for its settings; reads then trust the views, which the workers keep current)."""
    with ExitStack() as stack:
        if workers:
            from tests.support.redis import redis_server  # only this mode needs it

            redis_url = stack.enter_context(redis_server())
            env = {"CHANGELEDGER_DATABASE_URL": url, "CHANGELEDGER_REDIS_URL": redis_url}
            container = bootstrap(Settings.from_env({**env, "CHANGELEDGER_DB_POOL_SIZE": "4"}))
        else:
            container = open_container(url)
        try:
            yield container
        finally:
            container.close()


def measure(
    url: str,
    repeat: int,
    *,
    make_administrator: bool = False,
    sample_size: int = 20,
    seed: int = 1,
    workers: bool = False,
) -> dict[str, Any]:
    with product(url, workers) as container:
        results = measure_pages(container, repeat, make_administrator, sample_size, seed)
    results["mode"] = "with workers" if workers else "embedded"
    return results


def measure_pages(
    container: Container, repeat: int, make_administrator: bool, sample_size: int, seed: int = 1
) -> dict[str, Any]:
    """Every page, its CSV and its API requests, bracketed by ``GET /health``."""
    admin = administrator(container, make_administrator)
    at = iso(middle_of_log(container)) or ""  # never empty: a datetime goes in
    sample = subjects(container, sample_size, seed, at)
    if not sample:
        raise SystemExit("no programme has a decision, a commitment and a role by mid-log")
    app = create_app(container, authenticate=authenticator(admin))
    health: dict[str, tuple[Url, ...]] = {"health": (lambda s, a: "/health",)}
    rows: dict[str, dict[str, Any]] = {}
    with TestClient(app=app) as http:
        rows["GET /health (before)"] = time_together(http, health, sample, at, repeat)["health"]
        for case in CASES:
            variants = {"page": (case.page,), "API": case.api}
            if case.csv:
                variants["CSV"] = (with_csv_of(case.page, case.csv),)
            timed = time_together(http, variants, sample, at, repeat)
            rows.update({f"{case.name}: {name}": row for name, row in timed.items()})
        # Again at the end: the machine is shared, so the baseline brackets the run.
        rows["GET /health (after)"] = time_together(http, health, sample, at, repeat)["health"]
    return {
        "events": container.app.recorder.max_notification_id(),
        "as_of": at,
        "subjects": len(sample),
        "reads": rows,
    }


def profile(
    url: str, name: str, repeat: int, sample_size: int, workers: bool, seed: int = 1
) -> str:
    """cProfile of ``repeat`` requests of one page (and three untimed ones first), summed
    over the threads that serve them, in cumulative order."""
    case = next((c for c in CASES if c.name == name), None)
    if case is None:
        raise SystemExit(f"no page {name!r}; the pages: {', '.join(c.name for c in CASES)}")
    profilers: list[cProfile.Profile] = []

    def start(*_: object) -> None:
        # The handlers run in worker threads: each new thread profiles itself.
        profiler = cProfile.Profile()
        profilers.append(profiler)
        profiler.enable()

    with product(url, workers) as container:
        at = iso(middle_of_log(container)) or ""  # never empty: a datetime goes in
        sample = subjects(container, sample_size, seed, at)
        app = create_app(container, authenticate=authenticator(administrator(container, False)))
        threading.setprofile(start)
        try:
            with TestClient(app=app) as http:
                turns = cycle(sample)
                for _ in range(repeat + 3):
                    _get(http, case.page(next(turns), at))
        finally:
            threading.setprofile(None)  # type: ignore[arg-type,unused-ignore]
    out = io.StringIO()
    stats = pstats.Stats(*profilers, stream=out)  # type: ignore[arg-type,unused-ignore]
    stats.sort_stats("cumulative").print_stats(45)
    return out.getvalue()


def _ms(row: dict[str, Any], key: str) -> str:
    return f"{row[key]:.1f}" if key in row else "-"


def _ratio(top: dict[str, Any], bottom: dict[str, Any] | float) -> str:
    under = bottom if isinstance(bottom, float) else bottom.get("p50_ms")
    if "p50_ms" not in top or not under:
        return "-"
    return f"{top['p50_ms'] / under:.1f}"


def report(results: dict[str, Any]) -> str:
    reads = results["reads"]
    before, after = reads["GET /health (before)"], reads["GET /health (after)"]
    health = (before.get("p50_ms", 0.0) + after.get("p50_ms", 0.0)) / 2
    rows = []
    for case in CASES:
        page, api = reads[f"{case.name}: page"], reads[f"{case.name}: API"]
        csv = reads.get(f"{case.name}: CSV", {})
        notes = [f"{part}: {row['error']}" for part, row in (("page", page), ("CSV", csv),
                 ("API", api)) if "error" in row]  # fmt: skip
        rows.append(
            [
                case.name,
                _ms(page, "p50_ms"),
                _ms(page, "p99_ms"),
                _ms(csv, "p50_ms"),
                _ms(api, "p50_ms"),
                _ms(api, "p99_ms"),
                len(case.api),
                _ratio(page, api),
                _ratio(page, health),
                page.get("samples", "-"),
                "; ".join(notes),
            ]
        )
    headers = [
        "page",
        "page p50 ms",
        "page p99 ms",
        "CSV p50 ms",
        "API p50 ms",
        "API p99 ms",
        "API calls",
        "page ÷ API",
        "page ÷ /health",
        "samples",
        "note",
    ]
    head = (
        f"mode={results.get('mode', 'embedded')} events={results['events']}"
        f" as_of={results['as_of']} subjects={results['subjects']}"
        f" GET /health p50: {_ms(before, 'p50_ms')} ms before, {_ms(after, 'p50_ms')} ms after"
    )
    return f"{head}\n\n{table(headers, rows)}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.pages",
        description=(
            "p50/p99 latency of each web page (and one of its tables as CSV) beside the API"
            " requests its content comes from and a GET /health round trip, all through the"
            " same in-process app, on a database with caught-up views."
        ),
    )
    parser.add_argument("--database-url", required=True, help="a database with caught-up views")
    parser.add_argument("--repeat", type=int, default=50, help="timed requests per row")
    parser.add_argument("--subjects", type=int, default=20, help="programmes sampled")
    parser.add_argument(
        "--make-administrator",
        action="store_true",
        help="if the log has no platform administrator, register and grant one (writes two"
        " events: use a copy of the database)",
    )
    parser.add_argument(
        "--profile",
        metavar="PAGE",
        help="instead, profile one page (its name in the table, e.g. 'portfolio (title order)')"
        " over --repeat requests and print the functions taking the most time",
    )
    parser.add_argument(
        "--workers",
        action="store_true",
        help="run the app as deployed with Celery workers (starts a throwaway redis-server):"
        " reads do not catch the views up first, as they do in the embedded mode",
    )
    args = parser.parse_args(argv)
    # The test client logs every request at INFO.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    if args.profile:
        print(profile(args.database_url, args.profile, args.repeat, args.subjects, args.workers))
        return
    results = measure(
        args.database_url,
        args.repeat,
        make_administrator=args.make_administrator,
        sample_size=args.subjects,
        workers=args.workers,
    )
    print(report(results))


if __name__ == "__main__":
    main()
