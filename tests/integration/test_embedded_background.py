"""The embedded mode's in-process loop: it keeps the views current and runs the jobs."""

from __future__ import annotations

import time
from collections.abc import Callable

from infra.bootstrap import Container
from projections.alerts_queries import AlertFilter, AlertQueries
from projections.temporal import Moment
from services.embedded import EmbeddedBackground
from tests.integration.role_support import Board
from tests.integration.support import commissioner


def _eventually(check: Callable[[], bool], seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "the background loop did not get there in time"
        time.sleep(0.05)


def test_a_poke_brings_the_views_up_to_the_head_of_the_log(container: Container) -> None:
    background = EmbeddedBackground(container)
    background.start()
    try:
        icb = commissioner(container)
        head = container.app.recorder.max_notification_id() or 0
        background.poke()
        _eventually(lambda: container.views_position() >= head)
        assert container.directory.organisation(str(icb.id)) is not None
    finally:
        background.stop()


def test_the_loop_runs_the_scheduled_jobs_when_it_starts(container: Container) -> None:
    board = Board(container)
    sro = board.role("sro", critical=True)
    background = EmbeddedBackground(container)
    background.start()
    try:

        def alerted() -> bool:
            page = AlertQueries(container.views).list_alerts(
                AlertFilter(), Moment(), limit=10, offset=0
            )
            return any(item["subject_id"] == str(sro.id) for item in page.items)

        _eventually(alerted)
    finally:
        background.stop()
