"""Re-computes the event chain and names the first event where it breaks (ADR 9).

The walk merges the events and the chain rows by notification id, in batches, inside one
read transaction. At each position it tells apart, as far as the data allows:

- ``edited``: the event is where it was chained, but its content no longer gives its hash;
- ``deleted``: a chain row has no event (or the next link points past a missing one);
- ``inserted``: an event has no chain row, or a link that the next link skips over;
- ``reordered``: the event at this position was chained at another position.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from infra.event_chain import GENESIS, ChainLink, ChainReader, LoggedEvent

BATCH_SIZE = 1000


@dataclass(frozen=True)
class Finding:
    """The first place the chain breaks: which event, what kind of change, and why we think so."""

    kind: str
    notification_id: int
    originator_id: str
    originator_version: int
    topic: str
    detail: str

    def describe(self) -> str:
        return (
            f"{self.kind}: event #{self.notification_id} (record {self.originator_id},"
            f" version {self.originator_version}, type {self.topic}): {self.detail}"
        )


@dataclass(frozen=True)
class Verdict:
    events: int
    #: The last link that verified (the head, when the chain is intact).
    head: ChainLink | None
    finding: Finding | None = None
    #: Whether the given minuted head hash was met on the way (None if none was given).
    minuted_found: bool | None = None

    @property
    def intact(self) -> bool:
        return self.finding is None and self.minuted_found is not False


def _finding(kind: str, at: LoggedEvent | ChainLink, detail: str) -> Finding:
    return Finding(
        kind, at.notification_id, at.originator_id, at.originator_version, at.topic, detail
    )


class _Walk:
    def __init__(self, reader: ChainReader, minuted: str | None) -> None:
        self.reader = reader
        self.minuted = minuted
        self.minuted_found = minuted == GENESIS
        self.prev = GENESIS
        #: The running hash before the last verified event, and that event.
        self.before_last = GENESIS
        self.last: ChainLink | None = None
        self.count = 0

    def step(self, event: LoggedEvent | None, link: ChainLink | None) -> Finding | None:
        if event is None:
            assert link is not None
            return self._missing_event(link)
        if link is None:
            return self._missing_link(event)
        if (event.originator_id, event.originator_version) != (
            link.originator_id,
            link.originator_version,
        ):
            return self._other_event(event, link)
        if event.link(link.prev_hash).hash != link.hash:
            return _finding(
                "edited",
                event,
                "its stored content no longer matches the hash it was chained with (or it was"
                " added with a forged chain row)",
            )
        if link.prev_hash != self.prev:
            return self._broken_link(event, link)
        self._accept(link)
        return None

    def _accept(self, link: ChainLink) -> None:
        self.before_last, self.prev, self.last = self.prev, link.hash, link
        self.count += 1
        if link.hash == self.minuted:
            self.minuted_found = True

    def _missing_event(self, link: ChainLink) -> Finding:
        moved_to = self.reader.event_position(link.originator_id, link.originator_version)
        if moved_to is not None:
            return _finding(
                "reordered", link, f"it was chained here but is now stored at #{moved_to}"
            )
        return _finding("deleted", link, "it was chained here but is no longer in the log")

    def _missing_link(self, event: LoggedEvent) -> Finding:
        chained_at = self.reader.link_position(event.originator_id, event.originator_version)
        if chained_at is not None:
            return _finding(
                "reordered", event, f"it is stored here but was chained at #{chained_at}"
            )
        if self.last is None and self.reader.head() is None:
            return _finding(
                "inserted",
                event,
                "the log has no chain yet; run 'changeledger init-db' to start one",
            )
        return _finding("inserted", event, "it has no chain row: it was never chained")

    def _other_event(self, event: LoggedEvent, link: ChainLink) -> Finding:
        chained_at = self.reader.link_position(event.originator_id, event.originator_version)
        expected = f"record {link.originator_id} version {link.originator_version}"
        if chained_at is not None:
            return _finding(
                "reordered",
                event,
                f"it was chained at #{chained_at}; the event chained here was {expected}",
            )
        return _finding(
            "edited",
            event,
            f"its record or version was changed; the event chained here was {expected}",
        )

    def _broken_link(self, event: LoggedEvent, link: ChainLink) -> Finding:
        if self.last is not None and link.prev_hash == self.before_last:
            return _finding(
                "inserted",
                self.last,
                f"the link of the next event, #{event.notification_id}, skips over it: it was"
                " added with a forged chain row",
            )
        after = f"#{self.last.notification_id}" if self.last else "the start of the log"
        return _finding(
            "deleted",
            event,
            f"its link does not follow the event before it ({after}): events between them"
            " were removed with their chain rows, or the chain was rewritten from here",
        )


def verify_chain(
    reader: ChainReader,
    *,
    minuted_head: str | None = None,
    batch_size: int = BATCH_SIZE,
    progress: Callable[[int], object] = lambda n: None,
) -> Verdict:
    """Walk the whole log; stop at the first break.

    ``progress`` is told the notification id reached after each batch.
    """
    walk = _Walk(reader, minuted_head)
    after = 0
    while True:
        events = reader.events(after, batch_size)
        # The last batch takes every remaining chain row, so chain rows past the last event
        # (a deleted tail) are seen too.
        upto = events[-1].notification_id if len(events) == batch_size else None
        links = {link.notification_id: link for link in reader.links(after, upto)}
        stored = {event.notification_id: event for event in events}
        for position in sorted(stored.keys() | links.keys()):
            finding = walk.step(stored.get(position), links.get(position))
            if finding is not None:
                return Verdict(walk.count, walk.last, finding, _minuted(walk))
        if upto is None:
            return Verdict(walk.count, walk.last, None, _minuted(walk))
        progress(upto)
        after = upto


def _minuted(walk: _Walk) -> bool | None:
    return None if walk.minuted is None else walk.minuted_found
