"""The composition root: builds the application, the views and their processors from settings.

Nothing here runs at import time. Each process calls ``bootstrap`` once, after any fork.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from functools import cached_property

from eventsourcing.persistence import OperationalError
from eventsourcing.postgres import PostgresDatastore
from eventsourcing.sqlite import SQLiteDatastore

from infra.event_chain import ChainedRecorder
from infra.fail_fast import DatabaseUnreachable, fail_fast_while_unreachable
from infra.persistence import eventsourcing_env
from infra.pool_checks import check_after_idle
from infra.settings import Settings
from infra.view_watch import ViewWatch
from projections.directory import DirectoryProjection
from projections.directory_queries import DirectoryQueries
from projections.projection import Projection, ProjectionProcessor
from projections.schema import migrate_views
from projections.store import PostgresViewStore, SQLiteViewStore, ViewStore
from services.application import Changeledger

log = logging.getLogger("changeledger.bootstrap")

VIEW_TRACKING_TABLE = "changeledger_view_tracking"
#: How long a process waits for the workers to reach a position before catching up itself.
HANDOFF_SECONDS = 2.0


def all_projections() -> list[Projection]:
    from projections import (
        alerts,
        alignment,
        commitment_tracker,
        commitments,
        confidential_notes,
        decisions,
        lineage,
        programme_facts,
        resilience,
        reviews,
        roles,
        shared_purpose,
    )

    return [
        DirectoryProjection(),
        *shared_purpose.PROJECTIONS,
        *decisions.PROJECTIONS,
        *roles.PROJECTIONS,
        *reviews.PROJECTIONS,
        *commitments.PROJECTIONS,
        *confidential_notes.PROJECTIONS,
        *programme_facts.PROJECTIONS,
        *alignment.PROJECTIONS,
        *commitment_tracker.PROJECTIONS,
        *lineage.PROJECTIONS,
        *resilience.PROJECTIONS,
        *alerts.PROJECTIONS,
    ]


@dataclass
class Container:
    settings: Settings
    app: Changeledger
    views: ViewStore
    processors: dict[str, ProjectionProcessor] = field(default_factory=dict)
    #: Nudges whatever runs the processors in this process's deployment: the in-process
    #: loop (embedded mode) or a Celery wake-up message (workers). Never blocks.
    wake: Callable[[], None] = field(default=lambda: None)
    #: Events chained at start-up because the log predates the chain (ADR 9).
    backfilled: int = 0

    @property
    def runs_views_in_process(self) -> bool:
        """Embedded mode: this process keeps the views current itself (no workers)."""
        return self.settings.background.embedded

    def view_positions(self) -> dict[str, int]:
        """Each view's tracked position."""
        return self.views.positions(list(self.processors))

    def views_position(self) -> int:
        """The position every view has reached: the lowest of their tracked positions."""
        return min(self.view_positions().values(), default=0)

    def wait_for_views(self, position: int, timeout: float) -> bool:
        """Wait until every view includes the log up to ``position`` (read-your-writes).

        In the embedded mode this process catches the views up itself. With workers it wakes
        them and polls the views' positions for up to ``HANDOFF_SECONDS``; if they are not
        there by then (Redis down, workers stopped), this process catches the views up itself:
        the runner locks still let only one runner work on a projection at a time, and a
        projection busy in another runner is left to it. False if the views did not reach
        ``position`` within ``timeout``.
        """
        deadline = time.monotonic() + timeout
        if not self.runs_views_in_process:
            self.wake()
            if self._poll_views(position, min(deadline, time.monotonic() + HANDOFF_SECONDS)):
                return True
        with suppress(OperationalError):
            # Busy in another runner, which is catching it up: poll for it below.
            self.catch_up()
        return self._poll_views(position, deadline)

    def _poll_views(self, position: int, deadline: float) -> bool:
        return self.view_watch.wait(position, deadline)

    @cached_property
    def view_watch(self) -> ViewWatch:
        """The process's one poller of the views' positions, for every waiting request."""
        return ViewWatch(self.views_position)

    @property
    def directory(self) -> DirectoryQueries:
        return DirectoryQueries(self.views)

    def catch_up(self) -> int:
        """Bring every view up to the head of the log. Returns events applied (all views).

        One view that fails (e.g. busy in another runner) does not hold up the others; the
        first failure is raised once every view has had its turn.
        """
        applied = 0
        failure: Exception | None = None
        # Two queries find the views already at the head (usually all of them: every read
        # in the embedded mode comes here), rather than a few queries per view.
        head = self.app.recorder.max_notification_id() or 0
        positions = self.view_positions()
        for name, processor in self.processors.items():
            if positions.get(name, 0) >= head:
                continue
            try:
                applied += processor.catch_up()
            except DatabaseUnreachable:
                raise  # every other view would wait out the same outage
            except Exception as exc:
                failure = failure or exc
        if failure is not None:
            raise failure
        return applied

    def close(self) -> None:
        self.app.close()


def bootstrap(settings: Settings, *, create_schema: bool = False) -> Container:
    app = Changeledger(env=eventsourcing_env(settings.database, create_table=create_schema))
    datastore = app.factory.datastore  # type: ignore[attr-defined]
    views: ViewStore
    if isinstance(datastore, PostgresDatastore):
        check_after_idle(datastore.pool)
        fail_fast_while_unreachable(datastore, settings.database)
        views = PostgresViewStore(
            datastore, VIEW_TRACKING_TABLE, lock_timeout=settings.database.lock_timeout
        )
    else:
        assert isinstance(datastore, SQLiteDatastore)
        views = SQLiteViewStore(datastore)
    projections = all_projections()
    if create_schema:
        app.person_keys.create_table()
        replaced = migrate_views(views, projections)
        if replaced:
            log.warning(
                "views changed shape and were emptied; they rebuild from the log as they catch"
                " up: %s",
                ", ".join(replaced),
            )
    processors = {p.name: ProjectionProcessor(app, views, p) for p in projections}
    container = Container(settings=settings, app=app, views=views, processors=processors)
    app.attach_views(views, container.catch_up)
    if create_schema:
        container.backfilled = _backfill_chain(app)
    return container


def _backfill_chain(app: Changeledger) -> int:
    """Chain the events of a log written before the chain existed (ADR 9), once."""
    recorder = app.recorder
    assert isinstance(recorder, ChainedRecorder)
    chained = recorder.backfill_chain()
    if chained:
        log.warning(
            "chained %d events stored before the event chain existed; they are protected"
            " against tampering from now on, not before",
            chained,
        )
    return chained


def init_db(settings: Settings) -> int:
    """Create the event tables, chain, view tables and tracking table, once, then close.

    Returns how many existing events were chained because the chain was new.
    """
    container = bootstrap(settings, create_schema=True)
    container.close()
    return container.backfilled
