"""The scheduled jobs on a real store: each finding raised once, cleared when resolved.

Jobs take ``now``, so a test can judge the same records on a later day without waiting.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import pytest

from domain.alert import Alert
from domain.commitment import Commitment
from domain.errors import InvalidValue
from domain.values import CHANGE_MODEL_KEYS
from infra.bootstrap import Container
from projections.alerts import ALERTS
from projections.alerts_queries import AlertFilter, AlertQueries
from projections.temporal import Moment
from services.jobs import UnknownJob, run_jobs
from services.tasks import run_scheduled_jobs
from services.use_cases.alerts import JobResult
from tests.integration import commitment_support as cs
from tests.integration import reviews_support as rs
from tests.integration.role_support import Board
from tests.integration.support import head, names_after

OVERDUE = "detect_overdue_commitments"
STALE = "flag_stale_components"
VACANT = "flag_vacant_critical_roles"


def later(days: int) -> datetime:
    return datetime.now(UTC) + timedelta(days=days)


def run(container: Container, job: str, now: datetime | None = None) -> JobResult:
    return run_jobs(container, [job], now=now)[job]


def alerts(
    container: Container, moment: Moment | None = None, **where: Any
) -> list[dict[str, Any]]:
    container.catch_up()
    page = AlertQueries(container.views).list_alerts(
        AlertFilter(**where), moment or Moment(), limit=200, offset=0
    )
    return page.items


def review_every(container: Container, board: rs.Board, days: int) -> None:
    container.app.set_programme_framework(
        by=board.ada, programme_id=board.programme_id, review_interval_days=days
    )


def only(rows: list[dict[str, Any]]) -> dict[str, Any]:
    assert len(rows) == 1, rows
    return rows[0]


# Overdue commitments


def overdue_alerted(container: Container) -> tuple[cs.Sides, Commitment]:
    """A commitment due in 5 days, alerted by the job run 10 days from now."""
    sides = cs.sides(container)
    commitment = cs.accepted(container, sides, due_date=cs.days(5))
    assert run(container, OVERDUE, later(10)) == JobResult(raised=1)
    return sides, commitment


def test_an_overdue_commitment_is_alerted_once_however_often_the_job_runs(
    container: Container,
) -> None:
    sides = cs.sides(container)
    commitment = cs.accepted(container, sides, due_date=cs.days(5))

    first = run(container, OVERDUE, later(10))
    position = head(container)
    second = run(container, OVERDUE, later(11))

    assert first == JobResult(raised=1)
    assert second == JobResult()
    assert head(container) == position
    alert = only(alerts(container))
    assert alert["kind"] == "commitment_overdue"
    assert alert["subject_kind"] == "commitment"
    assert alert["subject_id"] == str(commitment.id)
    assert alert["key"] == f"commitment_overdue:{commitment.id}:{cs.days(5)}"
    assert alert["details"]["due_date"] == cs.days(5).isoformat()
    assert alert["detected_on"] == later(10).date().isoformat()
    assert alert["open"] is True


def test_a_commitment_due_today_is_not_overdue_yet(container: Container) -> None:
    cs.accepted(container, cs.sides(container), due_date=cs.days(5))

    assert run(container, OVERDUE, later(5)) == JobResult()
    assert alerts(container) == []


def test_delivering_an_overdue_commitment_clears_its_alert_with_the_reason(
    container: Container,
) -> None:
    sides, commitment = overdue_alerted(container)

    container.app.deliver_commitment(
        by=sides.supplier, commitment_id=commitment.id, evidence="Audit shows 96%"
    )
    cleared = run(container, OVERDUE, later(10))

    assert cleared == JobResult(cleared=1)
    alert = only(alerts(container))
    assert alert["open"] is False
    assert alert["cleared_reason"] == "the commitment was delivered"
    assert run(container, OVERDUE, later(12)) == JobResult()


def test_renegotiating_clears_the_alert_and_a_lapse_of_the_new_date_is_a_new_alert(
    container: Container,
) -> None:
    sides, commitment = overdue_alerted(container)

    container.app.renegotiate_commitment(
        by=sides.buyer, commitment_id=commitment.id, new_due_date=cs.days(20), reason="Winter"
    )
    after_renegotiation = run(container, OVERDUE, later(10))
    lapsed_again = run(container, OVERDUE, later(25))

    assert after_renegotiation == JobResult(cleared=1)
    assert lapsed_again == JobResult(raised=1)
    cleared = only(alerts(container, open=False))
    assert cleared["cleared_reason"] == f"its due date was renegotiated to {cs.days(20)}"
    assert only(alerts(container, open=True))["details"]["due_date"] == cs.days(20).isoformat()


# Stale components


def test_a_component_reviewed_longer_ago_than_the_interval_is_stale_until_reviewed_again(
    container: Container,
) -> None:
    board = rs.board(container)
    review_every(container, board, 30)
    today = datetime.now(UTC).date()
    old = rs.record(container, board, rs.rating("measurement"), held_on=today - timedelta(days=40))

    raised = run(container, STALE)
    again = run(container, STALE)
    rs.record(container, board, rs.rating("measurement"), held_on=today)
    reviewed = run(container, STALE)

    assert (raised, again, reviewed) == (JobResult(raised=1), JobResult(), JobResult(cleared=1))
    alert = only(alerts(container))
    assert alert["subject_id"] == "measurement"
    assert alert["programme_id"] == str(board.programme_id)
    assert alert["key"] == f"component_stale:{board.programme_id}:measurement:{old.id}"
    assert alert["details"]["review_interval_days"] == 30
    assert alert["details"]["last_reviewed_on"] == (today - timedelta(days=40)).isoformat()
    assert alert["cleared_reason"] == f"reviewed since: last reviewed on {today}"


def test_never_reviewed_components_are_stale_once_the_programme_is_older_than_the_interval(
    container: Container,
) -> None:
    board = rs.board(container)

    on_the_last_day = run(container, STALE, later(90))
    the_day_after = run(container, STALE, later(91))

    assert on_the_last_day == JobResult()
    assert the_day_after == JobResult(raised=8)
    rows = alerts(container, programme_id=str(board.programme_id))
    assert {row["subject_id"] for row in rows} == set(CHANGE_MODEL_KEYS)
    assert all(row["key"].endswith(":never") for row in rows)
    assert all(row["details"]["last_reviewed_on"] is None for row in rows)


def test_a_longer_interval_clears_a_stale_alert_and_a_shorter_one_reopens_it(
    container: Container,
) -> None:
    board = rs.board(container)
    review_every(container, board, 30)
    held_on = datetime.now(UTC).date() - timedelta(days=40)
    rs.record(container, board, rs.rating("delivery"), held_on=held_on)
    run(container, STALE)

    review_every(container, board, 60)
    longer = run(container, STALE)
    review_every(container, board, 30)
    shorter = run(container, STALE)

    assert (longer, shorter) == (JobResult(cleared=1), JobResult(reopened=1))
    alert = only(alerts(container))
    assert alert["open"] is True
    assert alert["reopened_count"] == 1
    history = [entry.type for entry in container.app.history(Alert, UUID(alert["id"]))]
    assert history == ["Raised", "Cleared", "Reopened"]


# Vacant critical roles


def test_a_critical_role_nobody_holds_is_alerted_and_cleared_once_assigned(
    container: Container,
) -> None:
    board = Board(container)
    sro = board.role("sro", critical=True)
    board.role("clinical_lead")  # vacant but not critical: no alert
    raised = run(container, VACANT)

    holder = board.member(board.icb, "Holder")
    container.app.assign_role(by=board.chair, role_id=sro.id, holder_id=holder)
    filled = run(container, VACANT)

    assert (raised, filled) == (JobResult(raised=1), JobResult(cleared=1))
    alert = only(alerts(container))
    assert alert["subject_id"] == str(sro.id)
    assert alert["key"] == f"critical_role_vacant:{sro.id}:1"
    assert alert["details"]["reason"] == "no_holder"
    assert alert["cleared_reason"] == "the role is held again"


def test_a_critical_role_vacated_again_is_a_new_alert(container: Container) -> None:
    board = Board(container)
    role_id, _, _ = board.held("sro", critical=True)
    assert run(container, VACANT) == JobResult()

    vacated = container.app.vacate_role(by=board.chair, role_id=role_id, reason="Retired")
    raised = run(container, VACANT)

    assert raised == JobResult(raised=1)
    alert = only(alerts(container))
    assert alert["key"] == f"critical_role_vacant:{role_id}:{vacated.version}"


def test_a_critical_roles_holder_leaving_their_organisation_leaves_it_vacant_in_effect(
    container: Container,
) -> None:
    board = Board(container)
    _, holder, _ = board.held("sro", critical=True)

    board.leave(holder)
    raised = run(container, VACANT)

    assert raised == JobResult(raised=1)
    alert = only(alerts(container))
    assert alert["details"]["reason"] == "holder_left"
    assert "left their organisation" in alert["summary"]


def test_unmarking_a_role_critical_clears_its_alert_and_marking_it_again_reopens_it(
    container: Container,
) -> None:
    board = Board(container)
    sro = board.role("sro", critical=True)
    run(container, VACANT)

    container.app.set_role_critical(by=board.chair, role_id=sro.id, critical=False)
    unmarked = run(container, VACANT)
    container.app.set_role_critical(by=board.chair, role_id=sro.id, critical=True)
    marked = run(container, VACANT)

    assert (unmarked, marked) == (JobResult(cleared=1), JobResult(reopened=1))
    assert only(alerts(container))["open"] is True


# Reading as of a past time, running concurrently, and running all jobs


def test_alerts_read_as_of_a_past_time_show_what_was_open_then(container: Container) -> None:
    board = Board(container)
    sro = board.role("sro", critical=True)
    before = datetime.now(UTC)
    run(container, VACANT)
    raised_by = datetime.now(UTC)
    container.app.assign_role(by=board.chair, role_id=sro.id, holder_id=board.chair)
    run(container, VACANT)

    assert alerts(container, Moment(before)) == []
    assert only(alerts(container, Moment(raised_by)))["open"] is True
    assert only(alerts(container, Moment(raised_by), open=True))["cleared_reason"] is None
    assert alerts(container, open=True) == []
    assert only(alerts(container))["open"] is False


def test_two_runs_racing_on_the_same_finding_record_it_once(
    container: Container, monkeypatch: pytest.MonkeyPatch
) -> None:
    board = Board(container)
    board.role("sro", critical=True)
    position = head(container)
    # Both runs decide the alert is new before either has saved it.
    monkeypatch.setattr(container.app, "_existing_alert", lambda record_id: None)

    first = run(container, VACANT)
    second = run(container, VACANT)

    assert (first, second) == (JobResult(raised=1), JobResult())
    assert names_after(container, position) == ["Alert.Raised"]


def test_running_every_job_reports_each_by_name(container: Container) -> None:
    Board(container).role("sro", critical=True)

    results = run_jobs(container)

    assert results == {OVERDUE: JobResult(), STALE: JobResult(), VACANT: JobResult(raised=1)}


def test_an_unknown_job_is_refused_naming_the_jobs_there_are(container: Container) -> None:
    with pytest.raises(UnknownJob, match="jobs are: detect_overdue_commitments"):
        run_jobs(container, ["nope"])


def test_a_job_judges_on_a_moment_with_a_timezone(container: Container) -> None:
    with pytest.raises(InvalidValue):
        run_jobs(container, [OVERDUE], now=datetime.now(UTC).replace(tzinfo=None))


def test_the_celery_task_runs_the_jobs_in_the_workers_container(
    container: Container, monkeypatch: pytest.MonkeyPatch
) -> None:
    Board(container).role("sro", critical=True)
    monkeypatch.setattr("services.tasks.current_container", lambda: container)

    first = run_scheduled_jobs.apply().get()
    second = run_scheduled_jobs.apply(kwargs={"names": [VACANT]}).get()

    assert first[VACANT] == {"raised": 1, "reopened": 0, "cleared": 0}
    assert second == {VACANT: {"raised": 0, "reopened": 0, "cleared": 0}}
    assert len(alerts(container)) == 1


def test_the_alerts_view_rebuilt_from_the_log_equals_the_view_kept_up_to_date(
    container: Container,
) -> None:
    board = Board(container)
    sro = board.role("sro", critical=True)
    run(container, VACANT)
    container.app.assign_role(by=board.chair, role_id=sro.id, holder_id=board.chair)
    run(container, VACANT)
    container.app.vacate_role(by=board.chair, role_id=sro.id)
    run(container, VACANT)
    container.catch_up()
    kept = sorted(container.views.fetch_all(f"SELECT * FROM {ALERTS.name}"), key=repr)

    container.processors["alerts"].rebuild()

    rebuilt = sorted(container.views.fetch_all(f"SELECT * FROM {ALERTS.name}"), key=repr)
    assert rebuilt == kept
    assert len(kept) == 3  # the first alert's two versions, and the second vacancy's alert
