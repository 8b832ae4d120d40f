"""Latency of the dashboards, reports and lists, now and as of a past time, p50 and p99,
beside two bare reads timed in the same run: a ``SELECT 1`` round trip through the same view
store, and a primary-key lookup of one current row of a versioned table.

Each read is repeated over a sample of programmes (and their lead commissioner, and one of
their decisions). "As of" reads use the middle of the log's recorded period. A report that
fails (they are still being written) is listed with its error, not left out.

    python -m bench.queries --database-url postgresql://.../db --repeat 100
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from itertools import cycle
from typing import Any
from uuid import UUID

from bench.measure import latencies, percentile, table
from bench.pg import open_container
from domain.decision import Decision
from infra.bootstrap import Container
from projections.alignment_report import AlignmentReport
from projections.commitment_tracker_report import CommitmentTrackerReport, Side, TrackerScope
from projections.commitments_queries import CommitmentFilter, CommitmentQueries
from projections.decisions_queries import DecisionQueries
from projections.lineage_report import DecisionLineageReport
from projections.resilience_report import ResilienceReport
from projections.reviews_queries import ReviewQueries
from projections.roles_queries import RoleQueries
from projections.temporal import Moment
from projections.timefmt import iso


@dataclass(frozen=True)
class Subject:
    programme_id: str
    commissioner_id: str
    decision_id: str


Read = Callable[[Container, Subject, Moment], object]


def _tracker(c: Container, s: Subject, m: Moment) -> object:
    report = CommitmentTrackerReport(c.views)
    scope = TrackerScope(s.commissioner_id, Side.COMMISSIONER, s.programme_id)
    return report.summary(scope, m), report.commitments(scope, m)


#: Reports read through a Moment, so each is timed now and as of a past time.
REPORTS: dict[str, Read] = {
    "alignment dashboard": lambda c, s, m: AlignmentReport(c.views).dashboard(s.programme_id, m),
    "commitment tracker (commissioner, programme)": _tracker,
    "decision lineage (programme)": lambda c, s, m: DecisionLineageReport(c.views, m).programme(
        s.programme_id
    ),
    "decision lineage (one decision)": lambda c, s, m: DecisionLineageReport(c.views, m).decision(
        s.decision_id
    ),
    "resilience (programme)": lambda c, s, m: ResilienceReport(c.views, m).for_programme(
        s.programme_id
    ),
    "resilience portfolio (first page)": lambda c, s, m: ResilienceReport(c.views, m).portfolio(
        50, 0
    ),
}

#: Current-state lists behind the API (no as-of).
LISTS: dict[str, Read] = {
    "programme (directory)": lambda c, s, m: c.directory.programme(s.programme_id),
    "decisions of a programme": lambda c, s, m: DecisionQueries(c.views).list_decisions(
        programme_id=s.programme_id, workstream_id=None, status=None, limit=50, offset=0
    ),
    "commitments of a programme": lambda c, s, m: CommitmentQueries(c.views).list_commitments(
        CommitmentFilter(programme_id=s.programme_id), today=m.today, limit=50, offset=0
    ),
    "roles of a programme": lambda c, s, m: RoleQueries(c.views).list_roles(
        programme_id=s.programme_id
    ),
    "latest ratings of a programme": lambda c, s, m: ReviewQueries(c.views).latest_ratings(
        s.programme_id
    ),
}

BASELINES: dict[str, Read] = {
    "bare: SELECT 1": lambda c, s, m: c.views.fetch_one("SELECT 1 AS one"),
    "bare: primary-key lookup": lambda c, s, m: c.views.fetch_one(
        "SELECT * FROM pf_programmes WHERE id = %(id)s AND valid_to IS NULL",
        {"id": s.programme_id},
    ),
}


def subjects(container: Container, count: int, seed: int, existing_at: datetime) -> list[Subject]:
    """Programmes, each with a decision, both recorded by ``existing_at`` (so as-of reads
    find them), and the programme's lead commissioner."""
    rows = container.views.fetch_all(
        "SELECT d.programme_id, p.lead_commissioner_id AS commissioner_id,"
        " MIN(d.id) AS decision_id FROM dec_decisions d JOIN pf_programmes p"
        " ON p.id = d.programme_id AND p.valid_to IS NULL WHERE d.created_at <= %(at)s"
        " GROUP BY d.programme_id, p.lead_commissioner_id ORDER BY d.programme_id",
        {"at": iso(existing_at)},
    )
    chosen = random.Random(seed).sample(rows, min(count, len(rows)))  # noqa: S311
    return [Subject(**row) for row in chosen]


def middle_of_log(container: Container) -> datetime:
    """The recorded time halfway through the log: a past moment with history on both sides."""
    head = container.app.recorder.max_notification_id() or 1
    notification = container.app.recorder.select_notifications(start=head // 2, limit=1)[0]
    event: Any = container.app.mapper.to_domain_event(notification)
    return event.timestamp  # type: ignore[no-any-return]


def time_read(
    container: Container, read: Read, sample: list[Subject], moment: Moment, repeat: int
) -> dict[str, Any]:
    turns = cycle(sample)
    try:
        seconds = latencies(lambda: read(container, next(turns), moment), repeat)
    except Exception as exc:  # a report being written may fail: say so in the table
        return {"error": f"{type(exc).__name__}: {str(exc)[:80]}"}
    return _summary(seconds)


def measure(url: str, repeat: int, sample_size: int = 20, seed: int = 1) -> dict[str, Any]:
    container = open_container(url)
    try:
        past = Moment(middle_of_log(container))
        sample = subjects(container, sample_size, seed, past.at)
        now = Moment()
        results: dict[str, Any] = {"events": container.app.recorder.max_notification_id()}
        results["as_of"] = past.at.isoformat()
        rows: dict[str, dict[str, Any]] = {}
        for name, read in BASELINES.items():
            rows[f"{name} (before)"] = time_read(container, read, sample, now, repeat)
        for name, read in {**LISTS, **REPORTS}.items():
            rows[name] = time_read(container, read, sample, now, repeat)
        for name, read in REPORTS.items():
            rows[f"{name}, as of"] = time_read(container, read, sample, past, repeat)
        decision_ids = [UUID(s.decision_id) for s in sample]
        rows["one decision replayed from its events, now"] = _replay(
            container, decision_ids, None, repeat
        )
        rows["one decision replayed from its events, as of"] = _replay(
            container, decision_ids, past.at, repeat
        )
        # Again at the end: the machine is shared, so the baseline brackets the run.
        for name, read in BASELINES.items():
            rows[f"{name} (after)"] = time_read(container, read, sample, now, repeat)
        results["reads"] = rows
        return results
    finally:
        container.close()


def _replay(
    container: Container, ids: list[UUID], at: datetime | None, repeat: int
) -> dict[str, Any]:
    turns = cycle(ids)
    seconds = latencies(lambda: container.app.as_of(Decision, next(turns), at=at), repeat)
    return _summary(seconds)


def _summary(seconds: list[float]) -> dict[str, Any]:
    return {
        "p50_ms": percentile(seconds, 0.5) * 1000,
        "p99_ms": percentile(seconds, 0.99) * 1000,
        "samples": len(seconds),
    }


def report(results: dict[str, Any]) -> str:
    reads = results["reads"]
    bare, lookup = (
        (reads[f"{name} (before)"]["p50_ms"] + reads[f"{name} (after)"]["p50_ms"]) / 2
        for name in BASELINES
    )
    rows = []
    for name, row in reads.items():
        if "error" in row:
            rows.append([name, "-", "-", "-", "-", "-", row["error"]])
            continue
        rows.append(
            [
                name,
                f"{row['p50_ms']:.2f}",
                f"{row['p99_ms']:.2f}",
                f"{row['p50_ms'] / bare:.1f}",
                f"{row['p50_ms'] / lookup:.1f}",
                row.get("samples", ""),
                "",
            ]
        )
    headers = ["read", "p50 ms", "p99 ms", "p50 ÷ SELECT 1", "p50 ÷ PK lookup", "calls", "note"]
    return f"events={results['events']} as_of={results['as_of']}\n\n" + table(headers, rows)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.queries",
        description="p50/p99 latency of reports and lists, now and as of, beside bare reads.",
    )
    parser.add_argument("--database-url", required=True, help="a database with caught-up views")
    parser.add_argument("--repeat", type=int, default=100, help="timed calls per read")
    args = parser.parse_args(argv)
    print(report(measure(args.database_url, args.repeat)))


if __name__ == "__main__":
    main()
