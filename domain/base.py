"""The base aggregate: every event carries the acting person; the recorded time is the timestamp."""

from __future__ import annotations

from typing import Any, ClassVar
from uuid import UUID

from eventsourcing.domain import Aggregate

from domain.actor import current_actor


class LedgerAggregate(Aggregate):
    """Base for all Changeledger aggregates."""

    #: How messages name this kind of record; defaults to the lower-cased class name.
    RECORD_KIND: ClassVar[str] = ""

    class Event(Aggregate.Event):
        actor_id: UUID | None

    class Created(Event, Aggregate.Created):
        pass

    @classmethod
    def _create(cls, event_class: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("actor_id", current_actor())
        return super()._create(event_class, **kwargs)

    def trigger_event(self, event_class: Any, **kwargs: Any) -> None:
        kwargs.setdefault("actor_id", current_actor())
        super().trigger_event(event_class, **kwargs)
