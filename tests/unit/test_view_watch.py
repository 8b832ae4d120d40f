"""Waiting for the views: one poll serves every waiting thread."""

from __future__ import annotations

import itertools
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from infra.view_watch import ViewWatch


def test_twenty_waiting_threads_share_each_poll_of_the_positions() -> None:
    positions = itertools.count(1)
    watch = ViewWatch(lambda: next(positions), interval=0.005)
    deadline = time.monotonic() + 10

    with ThreadPoolExecutor(max_workers=20) as pool:
        reached = list(pool.map(lambda _: watch.wait(5, deadline), range(20)))

    assert reached == [True] * 20
    # Position 5 is found by the fifth poll; twenty threads polling alone would make 100+.
    assert watch.polls == 5


def test_a_wait_ends_false_at_its_deadline_when_the_views_stay_behind() -> None:
    watch = ViewWatch(lambda: 3, interval=0.005)

    started = time.monotonic()
    reached = watch.wait(4, started + 0.1)

    assert reached is False
    assert 0.1 <= time.monotonic() - started < 1.0


def test_a_failed_poll_fails_the_thread_that_made_it_and_the_others_poll_again() -> None:
    calls = itertools.count()
    first_failed = threading.Event()

    def read() -> int:
        if next(calls) == 0:
            first_failed.set()
            raise ConnectionError("database restarting")
        return 7

    watch = ViewWatch(read, interval=0.0)
    deadline = time.monotonic() + 10

    with pytest.raises(ConnectionError):
        watch.wait(7, deadline)

    assert first_failed.is_set()
    assert watch.wait(7, deadline) is True
