"""The directory view's processor: idempotent catch-up, rebuild, and exactly-once on failure."""

from __future__ import annotations

from typing import Any

import pytest

from infra.bootstrap import Container
from projections.projection import ProjectionProcessor
from projections.store import ViewTransaction
from tests.integration.support import head, lived_in, notification_ids, view_rows


class Boom(RuntimeError):
    pass


def fail_on_apply(
    monkeypatch: pytest.MonkeyPatch, processor: ProjectionProcessor, nth: int
) -> list[int]:
    """Make the processor's projection raise instead of applying its ``nth`` event (from 1).

    Returns the notification ids it was given, in order, including the one it failed on.
    """
    real_apply = processor.projection.apply
    seen: list[int] = []

    def apply(tx: ViewTransaction, event: Any, position: int) -> None:
        seen.append(position)
        if len(seen) == nth:
            raise Boom(f"failed on notification {position}")
        real_apply(tx, event, position)

    monkeypatch.setattr(processor.projection, "apply", apply)
    return seen


def directory(container: Container) -> ProjectionProcessor:
    return container.processors["directory"]


def test_catching_up_applies_every_event_and_tracks_the_head(container: Container) -> None:
    lived_in(container)
    # A merge consults the views, catching them up on the way: start from an empty view.
    directory(container).reset()
    before = directory(container).position()

    applied = directory(container).catch_up()

    assert applied == len([n for n in notification_ids(container) if n > before]) > 0
    assert len(notification_ids(container)) > 20
    assert directory(container).position() == head(container)


def test_catching_up_again_applies_nothing_and_changes_no_row(container: Container) -> None:
    lived_in(container)
    container.catch_up()
    rows, position = view_rows(container), directory(container).position()

    again = container.catch_up()

    assert again == 0
    assert view_rows(container) == rows
    assert directory(container).position() == position


def test_catching_up_an_empty_log_applies_nothing(container: Container) -> None:
    assert container.catch_up() == 0
    assert directory(container).position() == 0


def test_catching_up_in_small_batches_gives_the_same_rows_as_one_batch(
    container: Container,
) -> None:
    lived_in(container)
    container.catch_up()
    one_batch = view_rows(container)
    processor = directory(container)
    processor.batch_size = 3

    processor.rebuild()

    assert view_rows(container) == one_batch


def test_a_rebuild_gives_exactly_the_rows_of_the_view_kept_up_incrementally(
    container: Container,
) -> None:
    lived_in(container, step=container.catch_up)
    incremental = view_rows(container)
    assert all(incremental.values()), "every table should have rows to compare"

    rebuilt = directory(container).rebuild()

    assert rebuilt == len(notification_ids(container))
    assert view_rows(container) == incremental
    assert directory(container).position() == head(container)


def test_a_rebuild_of_a_rebuilt_view_changes_nothing(container: Container) -> None:
    lived_in(container)
    directory(container).rebuild()
    rows = view_rows(container)

    directory(container).rebuild()

    assert view_rows(container) == rows


def test_a_batch_that_fails_midway_changes_neither_the_view_nor_the_position(
    container: Container, monkeypatch: pytest.MonkeyPatch
) -> None:
    processor = directory(container)
    lived_in(container)
    processor.reset()  # a merge in the scenario caught the view up on the way
    container.catch_up()
    rows_before, position_before = view_rows(container), processor.position()
    recorded_since = _record_more(container)
    processor.batch_size = 100
    seen = fail_on_apply(monkeypatch, processor, nth=5)

    with pytest.raises(Boom):
        processor.catch_up()

    assert recorded_since > 5, "the failure must come midway through the batch"
    assert len(seen) == 5
    assert min(seen) > position_before
    assert processor.position() == position_before
    assert view_rows(container) == rows_before


def test_batches_committed_before_a_failure_are_kept_and_never_applied_twice(
    container: Container, monkeypatch: pytest.MonkeyPatch
) -> None:
    processor = directory(container)
    lived_in(container)
    processor.reset()  # a merge in the scenario caught the view up on the way
    ids = notification_ids(container)
    # The events the directory handles (it skips the others undecoded).
    handled = [
        n.id
        for n in container.app.recorder.select_notifications(start=1, limit=100_000)
        if processor.projection.handles(n.topic)
    ]
    processor.batch_size = 4
    seen = fail_on_apply(monkeypatch, processor, nth=6)

    with pytest.raises(Boom):
        processor.catch_up()

    assert seen == handled[:6]
    failed_batch = ids.index(handled[5]) // 4
    assert failed_batch > 0
    # Every batch before the failing one was committed with its position.
    assert processor.position() == ids[failed_batch * 4 - 1]
    monkeypatch.undo()
    applied_later = processor.catch_up()
    assert applied_later == len(ids) - failed_batch * 4
    assert processor.position() == ids[-1]


def test_after_a_failed_batch_a_later_catch_up_matches_a_clean_rebuild(
    container: Container, monkeypatch: pytest.MonkeyPatch
) -> None:
    processor = directory(container)
    lived_in(container)
    processor.reset()  # a merge in the scenario caught the view up on the way
    processor.batch_size = 4
    fail_on_apply(monkeypatch, processor, nth=7)
    with pytest.raises(Boom):
        processor.catch_up()
    monkeypatch.undo()

    processor.catch_up()
    recovered = view_rows(container)
    processor.rebuild()

    assert recovered == view_rows(container)


def test_a_failure_on_every_attempt_leaves_the_view_where_it_was_each_time(
    container: Container, monkeypatch: pytest.MonkeyPatch
) -> None:
    processor = directory(container)
    lived_in(container)
    processor.reset()  # a merge in the scenario caught the view up on the way
    processor.batch_size = 1000
    for _ in range(3):
        fail_on_apply(monkeypatch, processor, nth=10)
        with pytest.raises(Boom):
            processor.catch_up()
        monkeypatch.undo()
        assert processor.position() == 0
        assert not any(view_rows(container).values())

    assert processor.catch_up() == len(notification_ids(container))


def test_a_rebuild_that_fails_leaves_an_empty_view_that_a_catch_up_completes(
    container: Container, monkeypatch: pytest.MonkeyPatch
) -> None:
    processor = directory(container)
    lived_in(container, step=container.catch_up)
    incremental = view_rows(container)
    fail_on_apply(monkeypatch, processor, nth=3)

    with pytest.raises(Boom):
        processor.rebuild()
    monkeypatch.undo()
    processor.catch_up()

    assert view_rows(container) == incremental


def _record_more(container: Container) -> int:
    """Record more events after the view has caught up; returns how many were recorded."""
    before = head(container)
    admin = container.app.register_person(by=None, name="Bob", email="bob@example.org")
    container.app.grant_administrator(by=None, person_id=admin.id)
    lead = container.app.register_organisation(by=admin.id, name="ICB 2", kind="commissioner")
    programme = container.app.create_programme(
        by=admin.id, title="Second", description="", lead_commissioner_id=lead.id
    )
    for name in ("One", "Two", "Three"):
        container.app.add_workstream(by=admin.id, programme_id=programme.id, name=name)
    return len([i for i in notification_ids(container) if i > before])


def test_writes_and_catch_ups_on_other_threads_do_not_starve_each_other(
    container: Container,
) -> None:
    # A catch-up that asked the pool for a reader while holding its writer used to wait
    # behind other writers until both timed out (SQLite), failing requests with 503.
    import threading

    failures: list[str] = []

    def write() -> None:
        for i in range(15):
            try:
                container.app.register_organisation(by=None, name=f"Org {i}", kind="provider")
            except Exception as exc:  # collected, asserted below
                failures.append(repr(exc))

    def catch_up() -> None:
        for _ in range(15):
            try:
                container.catch_up()
            except Exception as exc:  # collected, asserted below
                failures.append(repr(exc))

    threads = [threading.Thread(target=f) for f in (write, write, write, catch_up, catch_up)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert failures == []
    container.catch_up()
    page = container.directory.list_organisations(kind=None, status=None, limit=1, offset=0)
    assert page.total == 45
