"""A simulated clock for the generated log: recorded and occurred times spread over years.

The library stamps each event's recorded time (``timestamp``) when the event is created. A log
generated in minutes would otherwise span minutes, and "as of last spring" would mean nothing.
While the generator runs, ``simulated_recording`` makes the library read this clock instead:
every event is stamped a little later than the one before, so recorded order is log order.
The whole period lies in the past, so the domain's "not in the future" guards hold.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta

from eventsourcing.domain import CanCreateTimestamp


class SimulatedClock:
    def __init__(self, start: datetime) -> None:
        self.now = start
        self._limit = start
        #: How far each recorded event moves the clock on, so a week's events fill the week.
        self._step = timedelta(0)
        self._floors: dict[object, datetime] = {}

    def stamp(self) -> datetime:
        # Never past the period's end: events beyond the expected count share its last instant.
        self.now = min(self.now + self._step, self._limit)
        return self.now

    def begin_period(self, start: datetime, end: datetime, expected_events: int) -> None:
        """Stamp the next ``expected_events`` events evenly between ``start`` and ``end``."""
        self.now = max(self.now, start)
        self._limit = max(self.now, end)
        self._step = (self._limit - self.now) / max(1, expected_events)

    def mark(self, record: object, when: datetime) -> None:
        """``record`` was created as having happened at ``when``: later facts follow it."""
        self._floors[record] = when

    def occurred(self, rng: random.Random, record: object) -> datetime:
        """When something happened: usually days before it was recorded, sometimes weeks
        (minuted after the meeting), rarely months (imported from an old spreadsheet log).
        Never before the last thing that happened to the same record, so guards hold."""
        roll = rng.random()
        if roll < 0.7:
            lag = timedelta(hours=rng.uniform(0, 48))
        elif roll < 0.95:
            lag = timedelta(days=rng.uniform(2, 14))
        else:
            lag = timedelta(days=rng.uniform(30, 120))
        when = self.now - lag
        if record is None:  # a new record: nothing to follow
            return when
        when = max(when, self._floors.get(record, when))
        self._floors[record] = when
        return when

    def occurred_on(self, rng: random.Random, record: object) -> date:
        return self.occurred(rng, record).date()

    def forget(self, record: object) -> None:
        self._floors.pop(record, None)


@contextmanager
def simulated_recording(clock: SimulatedClock) -> Iterator[None]:
    """Events created inside this block are stamped by ``clock``; the library's own after."""
    original = CanCreateTimestamp.__dict__["create_timestamp"]
    CanCreateTimestamp.create_timestamp = staticmethod(clock.stamp)  # type: ignore[method-assign]
    try:
        yield
    finally:
        CanCreateTimestamp.create_timestamp = original  # type: ignore[method-assign]
