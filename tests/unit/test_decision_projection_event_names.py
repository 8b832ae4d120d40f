"""The decisions view registers its handlers by event name; each must be a real event class."""

from __future__ import annotations

import pytest

from domain.base import LedgerAggregate
from domain.decision import Decision
from projections.decisions import PROJECTIONS, DecisionProjection

HANDLED = sorted(DecisionProjection.handlers.by_name)


def test_the_decisions_projection_is_run_by_the_composition_root() -> None:
    assert [type(p) for p in PROJECTIONS] == [DecisionProjection]


@pytest.mark.parametrize("event_name", HANDLED)
def test_every_handled_event_name_is_an_event_class_of_decision(event_name: str) -> None:
    aggregate_name, _, event_class_name = event_name.partition(".")

    assert aggregate_name == "Decision"
    event_class = getattr(Decision, event_class_name, None)
    assert isinstance(event_class, type), f"no event {event_name!r}"
    assert issubclass(event_class, LedgerAggregate.Event)
    assert event_class.__qualname__ == event_name


def test_every_event_a_decision_records_has_a_handler() -> None:
    events = {
        name
        for name, value in vars(Decision).items()
        if isinstance(value, type) and issubclass(value, LedgerAggregate.Event)
    }

    assert {f"Decision.{name}" for name in events} - {"Decision.Event", "Decision.Created"} == set(
        HANDLED
    )
