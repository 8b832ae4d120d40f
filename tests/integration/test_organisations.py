"""Organisation use cases against real stores (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest

from domain.errors import UniquenessConflict
from infra.bootstrap import Container


def test_registered_organisation_is_listed_in_the_directory(container: Container) -> None:
    organisation = container.app.register_organisation(
        by=None, name="NHS West Yorkshire ICB", kind="commissioner", ods_code="QWO"
    )
    container.catch_up()

    page = container.directory.list_organisations(kind=None, status=None, limit=10, offset=0)

    assert page.total == 1
    assert page.items[0]["id"] == str(organisation.id)
    assert page.items[0]["ods_code"] == "QWO"


def test_ods_code_already_registered_is_refused_and_records_nothing(container: Container) -> None:
    container.app.register_organisation(by=None, name="A", kind="provider", ods_code="RR8")
    head = container.app.recorder.max_notification_id()

    with pytest.raises(UniquenessConflict):
        container.app.register_organisation(by=None, name="B", kind="provider", ods_code="rr8")

    assert container.app.recorder.max_notification_id() == head
