"""Projection handlers are registered by event name; a typo there would silently drop events."""

from __future__ import annotations

import importlib
import pkgutil

import pytest

import domain
from domain.base import LedgerAggregate
from domain.organisation import Organisation
from infra.bootstrap import all_projections
from projections.directory import DirectoryProjection


def _every_aggregate() -> dict[str, type[LedgerAggregate]]:
    """Every aggregate class the domain defines, by name (importing every domain module)."""
    for module in pkgutil.iter_modules(domain.__path__):
        importlib.import_module(f"domain.{module.name}")
    found: dict[str, type[LedgerAggregate]] = {}
    pending = list(LedgerAggregate.__subclasses__())
    while pending:
        cls = pending.pop()
        if cls.__module__.startswith("domain."):
            found[cls.__name__] = cls
        pending.extend(cls.__subclasses__())
    return found


AGGREGATES = _every_aggregate()

HANDLED = sorted(
    (projection.name, event_name)
    for projection in all_projections()
    for event_name in projection.handlers.by_name
)


def test_the_directory_registers_handlers() -> None:
    assert len(DirectoryProjection.handlers.by_name) >= 14


@pytest.mark.parametrize(("projection", "event_name"), HANDLED, ids=[n for _, n in HANDLED])
def test_every_handled_event_name_is_an_event_class_of_the_domain(
    projection: str, event_name: str
) -> None:
    aggregate_name, _, event_class_name = event_name.partition(".")

    aggregate = AGGREGATES.get(aggregate_name)
    assert aggregate is not None, f"{projection}: no aggregate named {aggregate_name!r}"
    event_class = getattr(aggregate, event_class_name, None)
    assert isinstance(event_class, type), f"{projection}: no event {event_name!r}"
    assert issubclass(event_class, LedgerAggregate.Event)
    # Projection.apply looks handlers up by the qualified name of the event's class.
    assert event_class.__qualname__ == event_name


def test_the_events_an_aggregate_records_are_looked_up_by_the_names_handlers_use() -> None:
    org = Organisation.register(name="A Trust", kind="provider")
    org.rename("The Trust")
    org.dissolve()

    names = [type(e).__qualname__ for e in org.collect_events()]

    assert names == ["Organisation.Registered", "Organisation.Renamed", "Organisation.Dissolved"]
    assert set(names) <= set(DirectoryProjection.handlers.by_name)
