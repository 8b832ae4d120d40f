"""Where in the log the current request's writes landed, for read-your-writes.

The API opens a ``WrittenPositions`` per request (``tracking_writes``); every save made while
handling it notes its notification ids there. The response then tells the client the position
it may ask the views to reach (``Changeledger-Position``). The holder is a mutable object in a
context variable, so a save made in a worker thread (which runs in a copy of the context) still
reaches the request's holder.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from uuid import UUID


class WrittenPositions:
    def __init__(self) -> None:
        self.highest: int | None = None
        #: The version each record written in this request reached.
        self.versions: dict[UUID, int] = {}

    def note(self, notification_ids: Iterable[int], versions: Mapping[UUID, int]) -> None:
        for notification_id in notification_ids:
            if self.highest is None or notification_id > self.highest:
                self.highest = notification_id
        for record_id, version in versions.items():
            self.versions[record_id] = max(version, self.versions.get(record_id, 0))


class ViewsBehind(Exception):
    """The views did not include a position in time (the workers are slow or stopped)."""

    def __init__(self, position: int) -> None:
        super().__init__(f"the views have not reached position {position} yet; retry shortly")
        self.position = position


_current: ContextVar[WrittenPositions | None] = ContextVar("written_positions", default=None)


def written_so_far() -> int | None:
    """The highest position the current request has written, if it wrote anything."""
    positions = _current.get()
    return positions.highest if positions is not None else None


def written_version(record_id: UUID) -> int | None:
    """The version the current request's writes took a record to, if it wrote it."""
    positions = _current.get()
    return positions.versions.get(record_id) if positions is not None else None


def note_written(notification_ids: Iterable[int], versions: Mapping[UUID, int]) -> None:
    positions = _current.get()
    if positions is not None:
        positions.note(notification_ids, versions)


@contextmanager
def tracking_writes() -> Iterator[WrittenPositions]:
    positions = WrittenPositions()
    token = _current.set(positions)
    try:
        yield positions
    finally:
        _current.reset(token)
