"""The commitment tracker on both stores: hand-worked statuses, rates and windows, now and as of.

Commands are recorded as the platform (``by=None``) so that membership, tested elsewhere,
does not get in the way. ``days(n)`` is the UTC date n days from today.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID

from infra.bootstrap import Container
from projections.commitment_tracker_report import (
    CommitmentTrackerReport,
    Side,
    TrackerScope,
    TrackerSummary,
)
from projections.temporal import Moment
from tests.integration.commitment_support import days
from tests.unit.support import ago


class Market:
    """One commissioner, providers registered on demand, and commitments between them."""

    def __init__(self, container: Container) -> None:
        self.container = container
        self.app = container.app
        self.icb = self.organisation("West Yorkshire ICB", "commissioner")

    def organisation(self, name: str, kind: str = "provider") -> UUID:
        return self.app.register_organisation(by=None, name=name, kind=kind).id

    def make(self, provider: UUID, what: str, due: date, **extra: Any) -> UUID:
        return self.app.make_commitment(
            by=None,
            provider_id=provider,
            commissioner_id=self.icb,
            what=what,
            measure="Monthly audit",
            due_date=due,
            **extra,
        ).id

    def agreed(self, provider: UUID, what: str, due: date, **extra: Any) -> UUID:
        made = self.make(provider, what, due, **extra)
        self.app.accept_commitment(by=None, commitment_id=made)
        return made

    def late(self, provider: UUID, what: str, due: date, **extra: Any) -> UUID:
        """Made 30 days ago, so it may be due in the past; then accepted."""
        return self.agreed(provider, what, due, occurred_at=ago(days=30), **extra)

    def at_risk(self, commitment: UUID) -> None:
        self.app.flag_commitment_at_risk(by=None, commitment_id=commitment, reason="Staffing")

    def renegotiate(self, commitment: UUID, due: date) -> None:
        self.app.renegotiate_commitment(
            by=None, commitment_id=commitment, new_due_date=due, reason="Agreed at board"
        )

    def deliver(self, commitment: UUID) -> None:
        self.app.deliver_commitment(by=None, commitment_id=commitment, evidence="Audit report")

    def miss(self, commitment: UUID) -> None:
        self.app.record_commitment_missed(by=None, commitment_id=commitment, reason="Not done")

    def withdraw(self, commitment: UUID) -> None:
        self.app.withdraw_commitment(by=None, commitment_id=commitment, reason="Unfunded")

    def recorded_at(self, record: UUID) -> datetime:
        """When the record's latest event was recorded."""
        when: datetime = self.app.repository.get(record).modified_on
        return when


def report(container: Container) -> CommitmentTrackerReport:
    container.catch_up()
    return CommitmentTrackerReport(container.views)


def statuses(
    container: Container, scope: TrackerScope, moment: Moment | None = None
) -> dict[str, str]:
    page = report(container).commitments(scope, moment or Moment(), limit=200)
    return {row["what"]: row["tracker_status"] for row in page.items}


def summary(
    container: Container, scope: TrackerScope, moment: Moment | None = None
) -> TrackerSummary:
    return report(container).summary(scope, moment or Moment())


def rates(found: TrackerSummary) -> dict[str | None, tuple[float | None, float | None]]:
    return {
        c.name: (c.tally.on_time_rate, c.tally.on_time_rate_by_original_date)
        for c in found.counterparts
    }


def commissioner_of(market: Market) -> TrackerScope:
    return TrackerScope(str(market.icb), Side.COMMISSIONER)


def test_each_commitment_gets_the_first_tracker_status_whose_rule_applies(
    container: Container,
) -> None:
    market = Market(container)
    trust = market.organisation("Leeds Teaching Hospitals")
    market.agreed(trust, "Accepted", days(10))
    market.make(trust, "Proposed", days(20))
    market.at_risk(market.agreed(trust, "At risk", days(15)))
    market.renegotiate(market.agreed(trust, "Renegotiated", days(5)), days(40))
    slipping = market.agreed(trust, "Renegotiated then at risk", days(5))
    market.renegotiate(slipping, days(50))
    market.at_risk(slipping)
    market.late(trust, "Overdue", days(-2))
    market.at_risk(market.late(trust, "Overdue though at risk", days(-1)))
    market.deliver(market.agreed(trust, "Delivered", days(30)))
    market.miss(market.late(trust, "Missed", days(-3)))
    market.withdraw(market.make(trust, "Withdrawn", days(30)))

    found = statuses(container, commissioner_of(market))

    assert found == {
        "Accepted": "due",
        "Proposed": "due",
        "At risk": "at_risk",
        "Renegotiated": "renegotiated",
        "Renegotiated then at risk": "at_risk",
        "Overdue": "overdue",
        "Overdue though at risk": "overdue",
        "Delivered": "delivered",
        "Missed": "missed",
        "Withdrawn": "withdrawn",
    }
    totals = summary(container, commissioner_of(market)).totals
    assert totals.by_status == {
        "due": 2,
        "at_risk": 2,
        "overdue": 2,
        "renegotiated": 1,
        "delivered": 1,
        "missed": 1,
        "withdrawn": 1,
    }
    assert (totals.open, totals.commitments) == (7, 10)


def test_a_renegotiated_commitment_past_its_new_date_is_overdue_on_a_later_day(
    container: Container,
) -> None:
    market = Market(container)
    trust = market.organisation("Leeds Teaching Hospitals")
    market.renegotiate(market.agreed(trust, "Slipped", days(5)), days(40))

    on_day_41 = Moment(now=datetime.now(UTC) + timedelta(days=41))

    assert statuses(container, commissioner_of(market), on_day_41) == {"Slipped": "overdue"}
    [item] = report(container).commitments(commissioner_of(market), on_day_41).items
    assert (item["days_overdue"], item["days_until_due"]) == (1, None)


def test_the_on_time_rate_counts_renegotiated_dates_and_the_original_rate_does_not(
    container: Container,
) -> None:
    market = Market(container)
    leeds = market.organisation("Leeds Teaching Hospitals")
    york = market.organisation("York Trust")
    market.deliver(market.agreed(leeds, "On time", days(10)))
    rescued = market.late(leeds, "On time after renegotiation", days(-5))
    market.renegotiate(rescued, days(5))
    market.deliver(rescued)
    market.deliver(market.late(leeds, "Late", days(-2)))
    market.miss(market.late(leeds, "Missed", days(-1)))
    market.withdraw(market.agreed(leeds, "Withdrawn", days(10)))
    market.agreed(leeds, "Still open", days(10))
    market.deliver(market.agreed(york, "York on time", days(10)))

    found = summary(container, commissioner_of(market))

    # Leeds: 2 on time of 4 delivered or missed; by the original date only 1 of 4.
    assert rates(found) == {"Leeds Teaching Hospitals": (0.5, 0.25), "York Trust": (1.0, 1.0)}
    assert (found.totals.delivered_on_time, found.totals.outcomes) == (3, 5)
    assert (found.totals.on_time_rate, found.totals.on_time_rate_by_original_date) == (0.6, 0.4)
    as_leeds = summary(container, TrackerScope(str(leeds), Side.PROVIDER))
    assert rates(as_leeds) == {"West Yorkshire ICB": (0.5, 0.25)}


def test_with_nothing_delivered_or_missed_there_is_no_rate(container: Container) -> None:
    market = Market(container)
    trust = market.organisation("Leeds Teaching Hospitals")
    market.withdraw(market.agreed(trust, "Withdrawn", days(10)))
    market.agreed(trust, "Open", days(10))

    found = summary(container, commissioner_of(market))

    assert rates(found) == {"Leeds Teaching Hospitals": (None, None)}


def test_renegotiations_are_counted_per_commitment_and_in_total(container: Container) -> None:
    market = Market(container)
    leeds = market.organisation("Leeds Teaching Hospitals")
    york = market.organisation("York Trust")
    twice = market.agreed(leeds, "Twice", days(5))
    market.renegotiate(twice, days(20))
    market.renegotiate(twice, days(35))
    market.renegotiate(market.agreed(york, "Once", days(5)), days(25))
    market.agreed(york, "Never", days(5))

    page = report(container).commitments(commissioner_of(market), Moment())
    found = summary(container, commissioner_of(market))

    assert {row["what"]: row["renegotiation_count"] for row in page.items} == {
        "Twice": 2,
        "Once": 1,
        "Never": 0,
    }
    assert {row["what"]: row["original_due_date"] for row in page.items}["Twice"] == str(days(5))
    assert (found.totals.renegotiations, found.totals.renegotiated_commitments) == (3, 2)
    assert {c.name: c.tally.renegotiations for c in found.counterparts} == {
        "Leeds Teaching Hospitals": 2,
        "York Trust": 1,
    }


def test_due_in_the_next_30_days_includes_today_and_the_30th_day_but_not_the_31st(
    container: Container,
) -> None:
    market = Market(container)
    trust = market.organisation("Leeds Teaching Hospitals")
    for offset in (9, 10, 40, 41):
        market.agreed(trust, f"Due on day {offset}", days(offset))
    market.deliver(market.agreed(trust, "Delivered, due on day 20", days(20)))
    on_day_10 = Moment(now=datetime.now(UTC) + timedelta(days=10))

    found = summary(container, commissioner_of(market), on_day_10)
    page = report(container).commitments(commissioner_of(market), on_day_10, due_soon_only=True)

    assert (found.today, found.due_soon_until) == (days(10), days(40))
    assert found.totals.due_soon == 2
    assert [row["what"] for row in page.items] == ["Due on day 10", "Due on day 40"]
    assert [row["days_until_due"] for row in page.items] == [0, 30]
    assert page.total == 2


def test_as_of_before_a_late_delivery_the_commitment_was_overdue(container: Container) -> None:
    market = Market(container)
    trust = market.organisation("Leeds Teaching Hospitals")
    before_it_was_made = datetime.now(UTC)
    late = market.late(trust, "Handovers", days(-3))
    accepted_at = market.recorded_at(late)
    market.deliver(late)
    scope = commissioner_of(market)

    then = summary(container, scope, Moment(accepted_at))
    now = summary(container, scope)

    assert statuses(container, scope, Moment(accepted_at)) == {"Handovers": "overdue"}
    assert (then.totals.outcomes, then.totals.on_time_rate) == (0, None)
    assert statuses(container, scope) == {"Handovers": "delivered"}
    assert (now.totals.outcomes, now.totals.on_time_rate) == (1, 0.0)
    assert statuses(container, scope, Moment(before_it_was_made)) == {}


def test_a_merge_moves_open_commitments_to_the_successor_and_as_of_before_it_they_stay(
    container: Container,
) -> None:
    market = Market(container)
    old = market.organisation("Old Trust")
    new = market.organisation("New Trust")
    market.deliver(market.agreed(old, "Delivered before the merge", days(10)))
    market.agreed(old, "Open at the merge", days(10))
    before_merge = datetime.now(UTC)
    market.app.merge_organisation(
        by=None, organisation_id=old, successor_id=new, expected_version=None
    )
    old_side = TrackerScope(str(old), Side.PROVIDER)
    new_side = TrackerScope(str(new), Side.PROVIDER)

    def held(found: TrackerSummary) -> dict[str | None, int]:
        return {c.name: c.tally.commitments for c in found.counterparts}

    assert statuses(container, old_side) == {"Delivered before the merge": "delivered"}
    assert statuses(container, new_side) == {"Open at the merge": "due"}
    assert statuses(container, new_side, Moment(before_merge)) == {}
    assert len(statuses(container, old_side, Moment(before_merge))) == 2
    assert held(summary(container, commissioner_of(market))) == {"New Trust": 1, "Old Trust": 1}
    assert held(summary(container, commissioner_of(market), Moment(before_merge))) == {
        "Old Trust": 2
    }


def test_a_programme_filter_counts_only_the_programmes_commitments(container: Container) -> None:
    market = Market(container)
    trust = market.organisation("Leeds Teaching Hospitals")
    programme = market.app.create_programme(
        by=None, title="UEC", description="", lead_commissioner_id=market.icb
    )
    market.app.add_participant(
        by=None, programme_id=programme.id, organisation_id=trust, role="provider"
    )
    market.agreed(trust, "In the programme", days(10), programme_id=programme.id)
    market.agreed(trust, "Outside it", days(10))
    scope = TrackerScope(str(market.icb), Side.COMMISSIONER, str(programme.id))

    assert statuses(container, scope) == {"In the programme": "due"}
    assert summary(container, scope).totals.commitments == 1


def test_overdue_counts_by_programme_are_cheap_to_ask_for_several_at_once(
    container: Container,
) -> None:
    market = Market(container)
    trust = market.organisation("Leeds Teaching Hospitals")
    busy, quiet = (
        market.app.create_programme(
            by=None, title=title, description="", lead_commissioner_id=market.icb
        ).id
        for title in ("Busy", "Quiet")
    )
    for programme in (busy, quiet):
        market.app.add_participant(
            by=None, programme_id=programme, organisation_id=trust, role="provider"
        )
    first = market.late(trust, "First", days(-2), programme_id=busy)
    first_recorded = market.recorded_at(first)
    market.late(trust, "Second", days(-1), programme_id=busy)
    market.deliver(market.late(trust, "Delivered late", days(-1), programme_id=busy))
    market.agreed(trust, "Not yet due", days(3), programme_id=quiet)
    tracker = report(container)
    unknown = "00000000-0000-4000-8000-000000000000"

    counts = tracker.overdue_count_by_programme([str(busy), str(quiet), unknown], Moment())

    assert counts == {str(busy): 2, str(quiet): 0, unknown: 0}
    assert tracker.overdue_count(str(busy), Moment(first_recorded)) == 1
    assert tracker.overdue_count(str(quiet), Moment(now=datetime.now(UTC) + timedelta(4))) == 1
    assert tracker.overdue_count_by_programme([], Moment()) == {}
