"""The roles view's handlers are registered by event name; a typo would silently drop events."""

from __future__ import annotations

import pytest

from domain.base import LedgerAggregate
from domain.role import Role
from projections.roles import PROJECTIONS, RolesProjection

HANDLED = sorted(RolesProjection.handlers.by_name)


def test_the_roles_module_runs_one_roles_projection() -> None:
    assert [type(p) for p in PROJECTIONS] == [RolesProjection]
    assert PROJECTIONS[0].name == "roles"


@pytest.mark.parametrize("event_name", HANDLED)
def test_every_handled_event_name_is_an_event_class_of_the_role(event_name: str) -> None:
    aggregate_name, _, event_class_name = event_name.partition(".")

    assert aggregate_name == "Role"
    event_class = getattr(Role, event_class_name, None)
    assert isinstance(event_class, type), f"no event {event_name!r}"
    assert issubclass(event_class, LedgerAggregate.Event)
    assert event_class.__qualname__ == event_name


def test_every_event_a_role_records_has_a_handler() -> None:
    events = {
        name
        for name, value in vars(Role).items()
        if isinstance(value, type)
        and issubclass(value, LedgerAggregate.Event)
        and name not in ("Event", "Created")  # the bases, never recorded as such
    }

    assert {f"Role.{name}" for name in events} == set(HANDLED)


def test_the_roles_tables_are_prefixed_with_rol() -> None:
    assert all(table.startswith("rol_") for table in RolesProjection.tables)
