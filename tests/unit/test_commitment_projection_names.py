"""The commitments view's handlers are registered by event name; a typo would drop events."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.base import LedgerAggregate
from domain.commitment import Commitment, Party, utc_today
from projections.commitments import PROJECTIONS, CommitmentProjection
from tests.unit.support import ago, organisation

HANDLED = sorted(CommitmentProjection.handlers.by_name)


def test_the_commitments_projection_is_the_one_this_module_runs() -> None:
    assert [type(p) for p in PROJECTIONS] == [CommitmentProjection]
    assert all(table.startswith("cmt_") for table in CommitmentProjection.tables)


@pytest.mark.parametrize("event_name", HANDLED)
def test_every_handled_event_name_is_an_event_class_of_commitment(event_name: str) -> None:
    aggregate_name, _, event_class_name = event_name.partition(".")

    assert aggregate_name == "Commitment"
    event_class = getattr(Commitment, event_class_name, None)
    assert isinstance(event_class, type), f"no event {event_name!r}"
    assert issubclass(event_class, LedgerAggregate.Event)
    assert event_class.__qualname__ == event_name


def test_every_event_a_commitment_records_has_a_handler() -> None:
    trust, successor = organisation("provider"), organisation("provider", "New Trust")
    made = Commitment.make(
        provider=trust,
        commissioner=organisation("commissioner", "ICB"),
        what="Handovers",
        measure="Monthly audit",
        due_date=utc_today() - timedelta(days=1),
        occurred_at=ago(days=5),
    )
    made.accept()
    made.record_progress(10, "Started")
    made.flag_at_risk("Short staffed", Party.PROVIDER)
    made.renegotiate(utc_today() + timedelta(days=10), "Later")
    made.carry_over(trust.id, successor)
    made.deliver("Done")
    other = Commitment.make(
        provider=successor,
        commissioner=organisation("commissioner", "ICB"),
        what="Discharges",
        measure="Weekly",
        due_date=utc_today() - timedelta(days=1),
        occurred_at=ago(days=5),
    )
    other.accept()
    other.record_missed("Not done")
    withdrawn = Commitment.make(
        provider=successor,
        commissioner=organisation("commissioner", "ICB"),
        what="Beds",
        measure="Daily",
        due_date=utc_today(),
    )
    withdrawn.withdraw("Unfunded")

    names = {
        type(e).__qualname__
        for aggregate in (made, other, withdrawn)
        for e in aggregate.collect_events()
    }

    assert names == set(HANDLED)
