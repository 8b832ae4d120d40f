"""The API write path under load (issue 7), beside the two reference baselines measured in
the same run on the same PostgreSQL server.

    python -m bench.write_path --clients 16 --seconds 20 --json /tmp/write.json

The production shape runs as separate processes: ``changeledger serve`` and a Celery worker
over PostgreSQL and Redis. Each of ``--clients`` keep-alive connections proposes decisions in
one programme (one event per command, no Idempotency-Key) for ``--seconds`` after a warm-up,
by default twice: the plain write, which answers from the views once they hold the record,
and with ``Prefer: return=minimal``. The events added to the log must equal the 2xx answers.
After each load, the time until every view reaches the head is set beside a bare read of
the same notifications. Then, on their own databases: pgbench single-row inserts
(``pg_single_insert.sh``) and the library's default one-event ``save()``
(``es_default_save.py``), both with as many clients as the API had.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import psycopg

from bench.pg import new_database, throwaway_server
from bench.write_load import have_wrk, run_load
from bench.write_profile import Sampling, start_sampling
from bench.write_report import report
from bench.write_shape import Shape, production_shape, seed, serve_supports_workers
from infra.bootstrap import Container, bootstrap
from infra.settings import Settings
from tests.support.redis import running_redis

CATCH_UP_LIMIT = 600.0


def baselines_dir(given: str | None) -> Path:
    """``--baselines``, else ``shared/baselines`` beside the repository (or a worktree's
    folder of worktrees)."""
    if given:
        return Path(given)
    here = Path(__file__).resolve()
    for parent in here.parents[1:4]:
        if (parent / "shared" / "baselines").is_dir():
            return parent / "shared" / "baselines"
    return here.parents[2] / "shared" / "baselines"


def postmaster_pid(dsn: str) -> int | None:
    """The server's process id (from postmaster.pid), when it runs on this machine."""
    with psycopg.connect(dsn, autocommit=True) as conn:
        folder = str(conn.execute("SHOW data_directory").fetchone()[0])  # type: ignore[index]
    try:
        return int((Path(folder) / "postmaster.pid").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def server_settings(dsn: str) -> dict[str, str]:
    with psycopg.connect(dsn, autocommit=True) as conn:
        return {
            name: str(conn.execute(f"SHOW {name}").fetchone()[0])  # type: ignore[index]
            for name in ("fsync", "synchronous_commit", "full_page_writes", "server_version")
        }


class Follower(threading.Thread):
    """From ``start`` on, samples the head of the log and the lowest view position."""

    def __init__(self, container: Container, start: float) -> None:
        super().__init__(daemon=True)
        self.container, self.start_at = container, start
        self.samples: list[tuple[float, int, int]] = []
        self.stopping = threading.Event()

    def run(self) -> None:
        self.stopping.wait(max(0.0, self.start_at - time.monotonic()))
        while not self.stopping.is_set():
            head = self.container.app.recorder.max_notification_id() or 0
            self.samples.append((time.monotonic(), head, self.container.views_position()))
            time.sleep(0.01)

    def reached(self, head: int) -> float | None:
        return next((t for t, _, views in self.samples if views >= head), None)


def bare_read(container: Container, after: int, head: int) -> tuple[int, float]:
    """Notifications after ``after`` up to ``head``, read in batches of 500: count, seconds."""
    recorder = container.app.recorder
    count, start = 0, after + 1
    began = time.perf_counter()
    while start <= head:
        batch = recorder.select_notifications(start=start, limit=500, stop=head)
        if not batch:
            break
        count += len(batch)
        start = batch[-1].id + 1
    return count, time.perf_counter() - began


def wait_for_views(container: Container, position: int) -> None:
    deadline = time.monotonic() + CATCH_UP_LIMIT
    while container.views_position() < position:
        if time.monotonic() > deadline:
            raise SystemExit(f"the views did not reach {position}: {container.view_positions()}")
        time.sleep(0.01)


def phase(
    shape: Shape, container: Container, target: Any, args: argparse.Namespace, minimal: bool
) -> dict[str, Any]:
    """Warm-up, then the measured load, the catch-up after it and the bare read."""
    use_wrk = args.client == "wrk" or (args.client == "auto" and have_wrk())
    run_load(shape.base_url, target, args.clients, args.warmup, minimal=minimal, use_wrk=use_wrk)
    wait_for_views(container, container.app.recorder.max_notification_id() or 0)
    before = container.app.recorder.max_notification_id() or 0
    follower = Follower(container, time.monotonic() + args.seconds)
    follower.start()
    sampling: Sampling | None = None
    if args.profile:
        output = shape.logs / f"profile-{'minimal' if minimal else 'full'}.txt"
        idle = args.profile == "wall"
        sampling = start_sampling(shape.api.pid, args.seconds, output, idle=idle)
    cpu_before = shape.cpu(args.postmaster)
    load = run_load(
        shape.base_url, target, args.clients, args.seconds, minimal=minimal, use_wrk=use_wrk
    )
    cpu_after = shape.cpu(args.postmaster)
    head = container.app.recorder.max_notification_id() or 0
    deadline = time.monotonic() + CATCH_UP_LIMIT
    while follower.reached(head) is None and time.monotonic() < deadline:
        time.sleep(0.02)
    follower.stopping.set()
    follower.join()
    reached = follower.reached(head)
    added, read_seconds = bare_read(container, before, head)
    first = follower.samples[0] if follower.samples else (0.0, head, head)
    catch_up = None if reached is None else max(0.0, reached - follower.start_at)
    return {
        "prefer": "return=minimal" if minimal else "(none)",
        "load": load.as_json(),
        "events_added": added,
        "events_match_2xx": added == load.ok,
        "catch_up": {
            "backlog_at_end": first[1] - first[2],
            "seconds": catch_up,
            # The backlog drained per second: a lower bound (it includes the wake-up delay).
            "events_per_s": (first[1] - first[2]) / catch_up if catch_up else None,
            # What every view applied while the load ran, per second of load.
            "during_load_events_per_s": (added - (first[1] - first[2])) / args.seconds,
            "bare_read_seconds": read_seconds,
            "bare_read_events_per_s": added / read_seconds if read_seconds else None,
        },
        "memory": shape.memory(),
        # Cores busy on average while the load ran (its drain adds a few idle seconds).
        "cores": {k: (cpu_after[k] - cpu_before[k]) / args.seconds for k in cpu_after},
        "profile": sampling.summary() if sampling else None,
    }


def pgbench_baseline(script_dir: Path, dsn: str, clients: int, seconds: float) -> dict[str, Any]:
    done = subprocess.run(
        [
            "bash",
            str(script_dir / "pg_single_insert.sh"),
            dsn,
            str(clients),
            str(max(1, round(seconds))),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    return _parsed(done, "pgbench")


#: The product's recorder on PostgreSQL (group commit and the event chain, ADR 15).
PRODUCT_RECORDER = "infra.group_commit:GroupCommitPostgresRecorder"


def default_save_baseline(
    script_dir: Path, url: str, clients: int, seconds: float, *, recorder: str | None = None
) -> dict[str, Any]:
    """``es_default_save.py`` as shipped, or (``recorder``) the same script, aggregate and
    threads with only the application recorder swapped for the product's."""
    location, dbname = url.rsplit("/", 1)
    host, port = location.rsplit("@", 1)[-1].split(":")
    env = {
        **os.environ,
        **{"POSTGRES_DBNAME": dbname, "POSTGRES_HOST": host, "POSTGRES_PORT": port},
        **{"POSTGRES_USER": "changeledger", "POSTGRES_PASSWORD": "", "CREATE_TABLE": "y"},
        **{"THREADS": str(clients), "SECONDS": str(max(1, round(seconds)))},
    }
    if recorder:
        root = str(Path(__file__).resolve().parents[1])
        env["APPLICATION_RECORDER_TOPIC"] = recorder
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [root, env.get("PYTHONPATH")]))
    done = subprocess.run(
        [sys.executable, str(script_dir / "es_default_save.py")],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    return _parsed(done, "es_default_save")


def _parsed(done: subprocess.CompletedProcess[str], name: str) -> dict[str, Any]:
    """``key=value`` pairs of the script's last line, as numbers."""
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines or "=" not in lines[-1]:
        return {"error": f"{name} failed (exit {done.returncode}): {done.stderr.strip()[-300:]}"}
    return {key: float(value) for key, value in (p.split("=") for p in lines[-1].split())}


@contextmanager
def server(args: argparse.Namespace) -> Iterator[str]:
    if args.server_dsn:
        yield args.server_dsn
    else:
        with throwaway_server(durable=args.durable) as dsn:
            yield dsn


def measure(args: argparse.Namespace) -> dict[str, Any]:
    scripts = baselines_dir(args.baselines)
    if args.api_workers > 1 and not serve_supports_workers():
        raise SystemExit(
            f"--api-workers {args.api_workers}: 'changeledger serve --help' has no --workers"
            " option in this checkout yet (run with --api-workers 1)"
        )
    tag = uuid.uuid4().hex[:6]
    # Each API process may get every connection: its pool (and thread pool) covers them all.
    pool_size = max(4, args.clients)
    with ExitStack() as stack:
        dsn = stack.enter_context(server(args))
        logs = Path(args.logs or stack.enter_context(tempfile.TemporaryDirectory()))
        logs.mkdir(parents=True, exist_ok=True)
        url = new_database(dsn, f"writebench_{tag}")
        settings = Settings.from_env(
            {"CHANGELEDGER_DATABASE_URL": url, "CHANGELEDGER_DB_POOL_SIZE": "4"}
        )
        container = bootstrap(settings)
        stack.callback(container.close)
        target = seed(container)
        container.catch_up()  # written here, not through the API: no worker was woken
        redis = stack.enter_context(running_redis())
        shape = stack.enter_context(
            production_shape(
                url,
                redis.url,
                logs,
                pool_size=pool_size,
                api_workers=args.api_workers,
                concurrency=args.worker_concurrency,
            )
        )
        wait_for_views(container, container.app.recorder.max_notification_id() or 0)
        args.postmaster = postmaster_pid(dsn)
        phases = [
            phase(shape, container, target, args, minimal)
            for minimal in (
                (False, True) if args.prefer_minimal is None else (args.prefer_minimal,)
            )
        ]
        pgbench_db = _empty_database(dsn, f"writebench_pgbench_{tag}")
        pgbench = pgbench_baseline(scripts, pgbench_db, args.clients, args.seconds)
        es_db = _empty_database(dsn, f"writebench_es_{tag}")
        default_save = default_save_baseline(scripts, es_db, args.clients, args.seconds)
        product_db = _empty_database(dsn, f"writebench_recorder_{tag}")
        product_save = default_save_baseline(
            scripts, product_db, args.clients, args.seconds, recorder=PRODUCT_RECORDER
        )
        return {
            "clients": args.clients,
            "seconds": args.seconds,
            "api_workers": args.api_workers,
            "worker_concurrency": args.worker_concurrency,
            "profile": args.profile,
            "postgres": {**server_settings(dsn), "started_here": not args.server_dsn},
            "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
            "phases": phases,
            "pgbench": pgbench,
            "default_save": default_save,
            "product_recorder_save": product_save,
        }


def _empty_database(dsn: str, name: str) -> str:
    from tests.support.postgres import create_database

    return create_database(dsn, name)


def arguments(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.write_path",
        description=__doc__.split("\n\n")[0] if __doc__ else None,
    )
    parser.add_argument("--clients", type=int, default=16, help="concurrent connections")
    parser.add_argument("--seconds", type=float, default=20.0, help="measured load per phase")
    parser.add_argument("--warmup", type=float, default=3.0, help="untimed load first")
    parser.add_argument("--server-dsn", help="an existing PostgreSQL server (superuser DSN)")
    parser.add_argument(
        "--durable",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="start the throwaway server with fsync, synchronous_commit and full_page_writes"
        " on (default); --no-durable as the tests run it",
    )
    parser.add_argument("--api-workers", type=int, default=1, help="changeledger serve --workers")
    parser.add_argument("--worker-concurrency", type=int, default=2, help="celery pool size")
    parser.add_argument(
        "--prefer-minimal",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="only the phase with (or, with --no-prefer-minimal, without) Prefer:"
        " return=minimal; both by default",
    )
    parser.add_argument(
        "--client",
        choices=("auto", "wrk", "python"),
        default="auto",
        help="load client: wrk if installed (auto), else Python threads",
    )
    parser.add_argument("--baselines", help="folder of pg_single_insert.sh, es_default_save.py")
    parser.add_argument(
        "--profile",
        nargs="?",
        const="wall",
        choices=("wall", "cpu"),
        help="py-spy the API processes during each load: wall-clock time (waits included,"
        " the default) or cpu (threads on a CPU only)",
    )
    parser.add_argument("--logs", help="keep the processes' logs (and profile) in this folder")
    parser.add_argument("--json", help="also write the figures to this file")
    return parser.parse_args(argv)


def _stop(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def main(argv: list[str] | None = None) -> None:
    args = arguments(argv)
    # SIGTERM unwinds like Ctrl-C, so the servers and processes started here are stopped.
    signal.signal(signal.SIGTERM, _stop)
    results = measure(args)
    print(report(results), flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
