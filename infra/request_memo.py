"""Reads repeated within one request are made once.

Answering one command loads the same records several times: the access guard loads the
caller and the programme to decide, then the use case loads them again to act, and each load
reads the record's events and each person's key to open personal fields. Within a request
(``remembering``), the event store and the key table keep what they read: the events of a
record (immutable domain events, so sharing them is safe) and a person's key. Saving a record
forgets its events; making or destroying a key forgets it; a save refused as a conflict
forgets everything, so a use case that reloads after a conflict reads the database again.

Nothing outlives the request: an erased person's key is gone from memory when it ends (ADR 10
forbids a cache across requests). Outside a request (workers, the CLI) nothing is kept.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import EventStore, Recording

T = TypeVar("T")

_memo: ContextVar[dict[Hashable, Any] | None] = ContextVar("changeledger_memo", default=None)


@contextmanager
def remembering() -> Iterator[None]:
    # A mutable dict in the context variable: handlers run in worker threads, in a copy of
    # the request's context, and still share it.
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def recall(key: Hashable, read: Callable[[], T]) -> T:
    """What ``read`` returned earlier in this request for ``key``, or its answer now."""
    memo = _memo.get()
    if memo is None:
        return read()
    if key in memo:
        found: T = memo[key]
        return found
    value = memo[key] = read()
    return value


def forget(matches: Callable[[Hashable], bool]) -> None:
    memo = _memo.get()
    if memo:
        for key in [key for key in memo if matches(key)]:
            del memo[key]


def forget_everything() -> None:
    memo = _memo.get()
    if memo:
        memo.clear()


class RememberingEventStore(EventStore[UUID]):
    """The library's event store, keeping each record's events for the rest of the request."""

    def get(
        self,
        originator_id: UUID,
        *,
        gt: int | None = None,
        lte: int | None = None,
        desc: bool = False,
        limit: int | None = None,
    ) -> Iterator[DomainEventProtocol[UUID]]:
        def read() -> list[DomainEventProtocol[UUID]]:
            return list(
                super(RememberingEventStore, self).get(
                    originator_id, gt=gt, lte=lte, desc=desc, limit=limit
                )
            )

        return iter(recall(("events", originator_id, gt, lte, desc, limit), read))

    def put(
        self, domain_events: Sequence[DomainEventProtocol[UUID]], **kwargs: Any
    ) -> list[Recording[UUID]]:
        changed = {event.originator_id for event in domain_events}
        forget(lambda key: isinstance(key, tuple) and key[0] == "events" and key[1] in changed)
        return super().put(domain_events, **kwargs)
