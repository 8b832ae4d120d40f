"""What a projection is, and the processor that feeds it from the event log."""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from typing import Any

from eventsourcing.application import Application

from projections.store import ViewStore, ViewTransaction

Handler = Callable[[Any, ViewTransaction, Any, int], None]


class EventHandlers:
    """Maps event class names ("Organisation.Registered") to a projection's methods.

    Names rather than classes, because the domain's event classes are made by the
    ``@event`` decorator and are invisible to the type checker. A unit test checks that
    every name here is a real event class.
    """

    def __init__(self) -> None:
        self.by_name: dict[str, Handler] = {}

    def on(self, event_name: str) -> Callable[[Handler], Handler]:
        def register(method: Handler) -> Handler:
            self.by_name[event_name] = method
            return method

        return register


class Projection(ABC):
    """A read model: its tables, and how each event changes their rows."""

    name: str
    tables: Sequence[str]
    handlers: EventHandlers

    @abstractmethod
    def create_statements(self) -> Sequence[str]: ...

    def handles(self, topic: str) -> bool:
        """Whether events of this topic ("domain.decision:Decision.Proposed") change the view:
        checked before decoding, so a view skips the events it ignores at no cost."""
        return topic.rpartition(":")[2] in self.handlers.by_name

    def apply(self, tx: ViewTransaction, event: Any, position: int) -> None:
        """Change the view's rows for one event. Events the view ignores change nothing."""
        handler = self.handlers.by_name.get(type(event).__qualname__)
        if handler is not None:
            handler(self, tx, event, position)


class ProjectionProcessor:
    """Feeds one projection from its own tracked position in the notification log.

    Safe to call from anywhere, any number of times: each batch takes the projection's
    runner lock, reads the position inside the same transaction that writes the rows and
    the new position, so a wake-up that is lost, repeated or late changes nothing.
    """

    def __init__(
        self, app: Application[Any], store: ViewStore, projection: Projection, batch_size: int = 500
    ) -> None:
        self.app = app
        self.store = store
        self.projection = projection
        self.batch_size = batch_size
        self._local = threading.Lock()

    @property
    def name(self) -> str:
        return self.projection.name

    def position(self) -> int:
        return self.store.position(self.name)

    def head(self) -> int:
        return self.app.recorder.max_notification_id() or 0

    def catch_up(self, progress: Callable[[int], None] | None = None) -> int:
        """Apply every event after the tracked position. Returns how many were applied."""
        applied = 0
        if self.position() >= self.head():
            # Nothing new: don't queue on the runner lock just to find that out.
            return applied
        with self._local:
            while True:
                # Read the batch BEFORE taking the write transaction: asking the pool for a
                # reader while holding its writer can wait behind another writer (SQLite).
                start = self.position() + 1
                notifications = self.app.recorder.select_notifications(
                    start=start, limit=self.batch_size
                )
                if not notifications:
                    return applied
                # Decode before the write transaction too: opening personal data reads the
                # person's key, another connection from the same pool (ADR 10).
                events = [
                    (self.app.mapper.to_domain_event(notification), notification.id)
                    for notification in notifications
                    if self.projection.handles(notification.topic)
                ]
                with self.store.write(self.name) as tx:
                    if tx.position(self.name) + 1 != start:
                        # Another runner moved the view on meanwhile: read again from there.
                        continue
                    for event, position in events:
                        self.projection.apply(tx, event, position)
                    tx.record_position(self.name, notifications[-1].id)
                applied += len(notifications)
                if progress is not None:
                    progress(len(notifications))

    def reset(self) -> None:
        """Empty the view and its position, in one transaction."""
        with self._local, self.store.write(self.name) as tx:
            for table in self.projection.tables:
                tx.execute(f"DELETE FROM {table}")
            tx.reset_position(self.name)

    def rebuild(self, progress: Callable[[int], None] | None = None) -> int:
        """Empty the view and its position, then catch up from the start of the log."""
        self.reset()
        return self.catch_up(progress)
