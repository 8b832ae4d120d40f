"""Waiting, from a test, until a live system's views reach a position of the log."""

from __future__ import annotations

import time
from collections.abc import Callable

from infra.bootstrap import Container


def seconds_until_views_reach(
    container: Container,
    position: int,
    seconds: float,
    output: Callable[[], str],
    *,
    poll: float = 0.005,
) -> float:
    """Seconds until every view reached ``position``; fails after ``seconds`` with the
    views' positions and ``output()`` (the processes' logs)."""
    started = time.monotonic()
    while container.views_position() < position:
        elapsed = time.monotonic() - started
        assert elapsed < seconds, (
            f"views at {container.view_positions()}, wanted {position}\n{output()}"
        )
        time.sleep(poll)
    return time.monotonic() - started
