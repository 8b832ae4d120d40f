"""Pooled PostgreSQL connections are checked before use only after sitting idle."""

from __future__ import annotations

import time

import psycopg
import pytest

from infra.bootstrap import Container
from infra.pool_checks import IDLE_SECONDS
from infra.settings import Settings

pytestmark = pytest.mark.parametrize("settings", ["postgres"], indirect=True)


def checker_of(container: Container):  # type: ignore[no-untyped-def]
    pool = container.app.factory.datastore.pool  # type: ignore[attr-defined]
    return pool._check.__self__


def test_a_connection_back_from_use_a_moment_ago_is_handed_out_without_a_round_trip(
    container: Container,
) -> None:
    container.app.register_organisation(by=None, name="Leeds CC", kind="partner")
    for _ in range(20):  # every pooled connection used once (the pool hands them out in turn)
        container.app.recorder.max_notification_id()
    checks = checker_of(container).checks

    for _ in range(20):
        container.app.recorder.max_notification_id()

    assert checker_of(container).checks == checks


def test_connections_cut_off_while_idle_are_replaced_before_the_next_write(
    container: Container, settings: Settings
) -> None:
    container.app.register_organisation(by=None, name="Leeds CC", kind="partner")
    # As a database restart does: every connection of the product's pool is ended.
    with psycopg.connect(settings.database.url, autocommit=True) as admin:
        ended = admin.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchone()
    assert ended is not None
    assert ended[0] >= 1
    time.sleep(IDLE_SECONDS + 0.2)

    # A write (which the recorder does not retry) goes through on a fresh connection.
    organisation = container.app.register_organisation(by=None, name="York CC", kind="partner")

    assert container.app.repository.get(organisation.id).name == "York CC"
