"""The reviews view's handlers are registered by event name; each must be a real event class."""

from __future__ import annotations

import pytest

from domain.base import LedgerAggregate
from domain.framework import ChangeFramework, ProgrammeFramework
from domain.review import Review
from projections.reviews import PROJECTIONS, ReviewsProjection

AGGREGATES: dict[str, type[LedgerAggregate]] = {
    cls.__name__: cls for cls in (ChangeFramework, ProgrammeFramework, Review)
}

HANDLED = sorted(ReviewsProjection.handlers.by_name)


def test_the_reviews_view_is_run_with_the_others() -> None:
    assert [p.name for p in PROJECTIONS] == ["reviews"]


def test_every_table_of_the_reviews_view_is_prefixed_rev() -> None:
    assert all(table.startswith("rev_") for table in ReviewsProjection.tables)


@pytest.mark.parametrize("event_name", HANDLED)
def test_every_handled_event_name_is_an_event_class_of_the_domain(event_name: str) -> None:
    aggregate_name, _, event_class_name = event_name.partition(".")

    aggregate = AGGREGATES.get(aggregate_name)
    assert aggregate is not None, f"no aggregate named {aggregate_name!r}"
    event_class = getattr(aggregate, event_class_name, None)
    assert isinstance(event_class, type), f"no event {event_name!r}"
    assert issubclass(event_class, LedgerAggregate.Event)
    assert event_class.__qualname__ == event_name


@pytest.mark.parametrize("aggregate", list(AGGREGATES.values()), ids=list(AGGREGATES))
def test_every_event_of_the_reviews_aggregates_is_handled(
    aggregate: type[LedgerAggregate],
) -> None:
    events = {
        value.__qualname__
        for value in vars(aggregate).values()
        if isinstance(value, type)
        and issubclass(value, LedgerAggregate.Event)
        and value.__name__ not in ("Event", "Created")
    }

    assert events
    assert events <= set(HANDLED)
