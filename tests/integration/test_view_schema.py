"""A view whose tables change shape in a new release is rebuilt; the others are kept."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from infra.bootstrap import Container, bootstrap, init_db
from infra.settings import Settings
from projections.commitment_tracker import CommitmentTrackerProjection
from tests.integration.support import commissioner, provider


def test_init_db_again_with_unchanged_views_keeps_every_row_and_position(
    settings: Settings, container: Container
) -> None:
    commissioner(container)
    container.catch_up()
    before = container.view_positions()

    init_db(settings)

    assert container.view_positions() == before
    assert (
        len(
            container.directory.list_organisations(kind=None, status=None, limit=10, offset=0).items
        )
        == 1
    )


def test_a_view_whose_tables_changed_is_emptied_and_rebuilt_from_the_log(
    settings: Settings, container: Container, monkeypatch: pytest.MonkeyPatch
) -> None:
    commissioner(container)
    provider(container)
    container.catch_up()
    head = container.views_position()
    real = CommitmentTrackerProjection.create_statements

    def with_a_new_index(self: CommitmentTrackerProjection) -> Sequence[str]:
        return [*real(self), "CREATE INDEX IF NOT EXISTS trk_new ON trk_commitments (status)"]

    monkeypatch.setattr(CommitmentTrackerProjection, "create_statements", with_a_new_index)

    init_db(settings)

    positions = container.view_positions()
    assert positions.get("commitment_tracker", 0) == 0
    assert positions["directory"] == head  # unchanged views keep their place
    rebuilt = bootstrap(settings)
    try:
        rebuilt.catch_up()
        assert rebuilt.view_positions()["commitment_tracker"] == head
    finally:
        rebuilt.close()
