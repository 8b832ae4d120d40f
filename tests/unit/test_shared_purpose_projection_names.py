"""The shared-purpose view's handlers are registered by event name; a typo would drop events."""

from __future__ import annotations

import pytest

from domain.base import LedgerAggregate
from domain.programme import Programme
from domain.shared_purpose import SharedPurpose
from projections.shared_purpose import PROJECTIONS, SharedPurposeProjection
from tests.unit.support import organisation

AGGREGATES: dict[str, type[LedgerAggregate]] = {
    cls.__name__: cls for cls in (SharedPurpose, Programme)
}
HANDLED = sorted(name for projection in PROJECTIONS for name in projection.handlers.by_name)


def test_the_shared_purpose_view_is_the_one_projection_of_its_module() -> None:
    assert [type(p) for p in PROJECTIONS] == [SharedPurposeProjection]
    assert all(table.startswith("sp_") for table in SharedPurposeProjection.tables)


@pytest.mark.parametrize("event_name", HANDLED)
def test_every_handled_event_name_is_an_event_class_of_the_domain(event_name: str) -> None:
    aggregate_name, _, event_class_name = event_name.partition(".")

    aggregate = AGGREGATES.get(aggregate_name)
    assert aggregate is not None, f"no aggregate named {aggregate_name!r}"
    event_class = getattr(aggregate, event_class_name, None)
    assert isinstance(event_class, type), f"no event {event_name!r}"
    assert issubclass(event_class, LedgerAggregate.Event)
    assert event_class.__qualname__ == event_name


def test_every_event_a_statement_records_has_a_handler() -> None:
    lead = organisation("commissioner", "ICB")
    trust = organisation("provider", "Trust")
    programme = Programme.create("Urgent Care", "", lead)
    programme.add_participant(trust, "provider")
    statement = SharedPurpose.draft(programme, "One front door", drafted_by=None)
    statement.endorse(programme, lead, 1, person_id=None)
    statement.dispute(programme, trust, 1, "Too vague", person_id=None)
    statement.adopt(programme, 1, "Deadline", adopted_by=None)
    statement.carry_position(trust.id, organisation("provider", "New Trust").id)
    statement.carry_position(lead.id, trust.id)
    statement.revise("One front door for all", drafted_by=None)

    names = {type(e).__qualname__ for e in statement.collect_events()}

    assert names == {
        "SharedPurpose.Drafted",
        "SharedPurpose.Endorsed",
        "SharedPurpose.Disputed",
        "SharedPurpose.Adopted",
        "SharedPurpose.PositionCarriedOver",
        "SharedPurpose.PositionNotCarriedOver",
        "SharedPurpose.Revised",
    }
    assert names <= set(SharedPurposeProjection.handlers.by_name)
