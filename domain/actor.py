"""Who is acting. Every event records the acting person, stamped from this context variable."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from uuid import UUID

# None means the platform itself acting (an operator at the CLI, a scheduled job).
_current_actor: ContextVar[UUID | None] = ContextVar("changeledger_actor", default=None)


def current_actor() -> UUID | None:
    return _current_actor.get()


@contextmanager
def acting_as(actor_id: UUID | None) -> Iterator[None]:
    token = _current_actor.set(actor_id)
    try:
        yield
    finally:
        _current_actor.reset(token)
