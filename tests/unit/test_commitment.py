"""Commitment: making, accepting, progress, risk, outcomes, renegotiation, merging, in memory."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

import pytest

from domain.commitment import (
    CLOSED_STATUSES,
    CONTRACT_LEVERS,
    OPEN_STATUSES,
    Commitment,
    CommitmentStatus,
    Party,
    utc_today,
)
from domain.errors import InvalidValue, RuleViolation
from domain.organisation import Organisation
from domain.programme import Programme
from domain.values import TEXT_MAX
from tests.unit.support import (
    ago,
    ahead,
    collected,
    dissolved,
    merged,
    organisation,
    pending,
    recorded,
    settled,
)

TODAY = utc_today()


def days(n: int) -> date:
    """The UTC date ``n`` days from today (negative: in the past)."""
    return TODAY + timedelta(days=n)


def provider(name: str = "Leeds Teaching Hospitals") -> Organisation:
    return organisation("provider", name)


def commissioner(name: str = "NHS West Yorkshire ICB") -> Organisation:
    return organisation("commissioner", name)


def make(**overrides: Any) -> Commitment:
    arguments: dict[str, Any] = {
        "provider": provider(),
        "commissioner": commissioner(),
        "what": "Ambulance handovers within 30 minutes",
        "measure": "95% of handovers under 30 minutes, monthly",
        "due_date": days(30),
    }
    arguments.update(overrides)
    return Commitment.make(**arguments)


def proposed(**overrides: Any) -> Commitment:
    made = make(**overrides)
    settled(made)
    return made


def accepted(**overrides: Any) -> Commitment:
    made = proposed(**overrides)
    made.accept()
    settled(made)
    return made


def at_risk() -> Commitment:
    made = accepted()
    made.flag_at_risk("Staff shortages", Party.PROVIDER)
    settled(made)
    return made


def renegotiated() -> Commitment:
    made = accepted()
    made.renegotiate(days(60), "Winter pressures")
    settled(made)
    return made


def delivered() -> Commitment:
    made = accepted()
    made.deliver("Audit report")
    settled(made)
    return made


def missed() -> Commitment:
    made = accepted(occurred_at=ago(days=10), due_date=days(-5))
    made.record_missed("Not delivered")
    settled(made)
    return made


def withdrawn() -> Commitment:
    made = accepted()
    made.withdraw("No longer funded")
    settled(made)
    return made


IN_EACH_STATUS: dict[str, Callable[[], Commitment]] = {
    "proposed": proposed,
    "accepted": accepted,
    "at_risk": at_risk,
    "renegotiated": renegotiated,
    "delivered": delivered,
    "missed": missed,
    "withdrawn": withdrawn,
}
CLOSED = ["delivered", "missed", "withdrawn"]
AGREED_OPEN = ["accepted", "at_risk", "renegotiated"]


def replayed(events: list[Any]) -> Commitment:
    """The commitment rebuilt from its events, as the repository does."""
    aggregate: Any = None
    for event in events:
        aggregate = event.mutate(aggregate)
    assert isinstance(aggregate, Commitment)
    return aggregate


# The status model


def test_every_status_is_either_open_or_closed() -> None:
    assert set(CommitmentStatus) == OPEN_STATUSES | CLOSED_STATUSES
    assert not OPEN_STATUSES & CLOSED_STATUSES


@pytest.mark.parametrize("status", list(IN_EACH_STATUS))
def test_each_helper_reaches_the_status_it_is_named_after(status: str) -> None:
    assert IN_EACH_STATUS[status]().status is CommitmentStatus(status)


# Making


def test_making_records_one_made_event_with_trimmed_values_and_the_due_date_as_text() -> None:
    trust, icb = provider(), commissioner()

    made = make(provider=trust, commissioner=icb, what=" Handovers ", measure=" Monthly ")

    events = pending(made)
    assert [type(e).__name__ for e in events] == ["Made"]
    made_event = events[0]
    assert (made_event.provider_id, made_event.commissioner_id) == (trust.id, icb.id)
    assert (made_event.what, made_event.measure) == ("Handovers", "Monthly")
    assert made_event.due_date == days(30).isoformat()
    assert type(made_event).__qualname__ == "Commitment.Made"


def test_a_new_commitment_is_proposed_open_and_due_on_its_original_date() -> None:
    made = make(due_date=days(30))

    assert made.status is CommitmentStatus.PROPOSED
    assert made.is_open
    assert (made.due_date, made.original_due_date, made.renegotiation_count) == (
        days(30),
        days(30),
        0,
    )
    assert (made.progress, made.percent_complete, made.carried_over) == ([], None, [])
    assert [(s.status, s.party) for s in made.statuses] == [
        (CommitmentStatus.PROPOSED, Party.PROVIDER)
    ]


def test_making_defaults_the_time_it_was_made_to_now() -> None:
    before = ago(seconds=1)

    made = make()

    assert before <= made.made_at <= ahead(seconds=1)


def test_making_keeps_a_back_dated_time_it_was_made() -> None:
    when = ago(days=3)

    made = make(occurred_at=when)

    assert made.made_at == when


def test_a_back_dated_commitment_may_already_be_past_its_due_date() -> None:
    made = make(occurred_at=ago(days=10), due_date=days(-5))

    assert made.due_date == days(-5)
    assert made.is_overdue(TODAY)


def test_a_time_made_in_the_future_is_refused_naming_occurred_at() -> None:
    with pytest.raises(InvalidValue) as refused:
        make(occurred_at=ahead(days=1))

    assert refused.value.field == "occurred_at"


def test_a_due_date_before_the_day_it_was_made_is_refused_naming_due_date() -> None:
    with pytest.raises(InvalidValue) as refused:
        make(due_date=days(-1))

    assert refused.value.field == "due_date"
    assert "before the day the commitment was made" in refused.value.reason


def test_a_due_date_on_the_day_it_was_made_is_accepted() -> None:
    assert make(due_date=TODAY).due_date == TODAY


@pytest.mark.parametrize("value", [datetime(2030, 1, 1, tzinfo=None), "2030-01-01"])  # noqa: DTZ001
def test_a_due_date_that_is_not_a_calendar_date_is_refused_naming_due_date(value: Any) -> None:
    with pytest.raises(InvalidValue) as refused:
        make(due_date=value)

    assert refused.value.field == "due_date"


@pytest.mark.parametrize("kind", ["commissioner", "partner"])
def test_a_provider_that_is_not_a_provider_is_refused_naming_provider_id(kind: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        make(provider=organisation(kind, "Not A Trust"))

    assert refused.value.field == "provider_id"
    assert "must be a provider" in refused.value.reason


@pytest.mark.parametrize("kind", ["provider", "partner"])
def test_a_commissioner_that_is_not_a_commissioner_is_refused_naming_commissioner_id(
    kind: str,
) -> None:
    with pytest.raises(InvalidValue) as refused:
        make(commissioner=organisation(kind, "Not An ICB"))

    assert refused.value.field == "commissioner_id"


@pytest.mark.parametrize("ended", [merged, dissolved], ids=["merged", "dissolved"])
def test_a_provider_that_is_no_longer_active_cannot_make_a_commitment(
    ended: Callable[[str], Organisation],
) -> None:
    with pytest.raises(RuleViolation):
        make(provider=ended("provider"))


@pytest.mark.parametrize("ended", [merged, dissolved], ids=["merged", "dissolved"])
def test_a_commitment_to_a_commissioner_no_longer_active_is_refused(
    ended: Callable[[str], Organisation],
) -> None:
    with pytest.raises(RuleViolation):
        make(commissioner=ended("commissioner"))


@pytest.mark.parametrize("field", ["what", "measure"])
@pytest.mark.parametrize("value", ["", "   ", "x" * (TEXT_MAX + 1), "bad\x00text"])
def test_an_invalid_what_or_measure_is_refused_naming_the_field(field: str, value: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        make(**{field: value})

    assert refused.value.field == field


@pytest.mark.parametrize(
    ("given", "stored"),
    [("cquin", "CQUIN"), (" kpi ", "KPI"), ("Quality Schedule", "quality schedule")],
)
def test_a_known_contract_lever_is_stored_in_its_usual_spelling(given: str, stored: str) -> None:
    assert make(contract_lever=given).contract_lever == stored


def test_the_known_contract_levers_include_cquin_and_kpi() -> None:
    assert {"CQUIN", "KPI"} <= set(CONTRACT_LEVERS)


def test_any_other_contract_lever_is_kept_as_given() -> None:
    assert make(contract_lever="Best Practice Tariff").contract_lever == "Best Practice Tariff"


@pytest.mark.parametrize("value", [None, "", "   "])
def test_no_contract_lever_is_recorded_as_none(value: str | None) -> None:
    assert make(contract_lever=value).contract_lever is None


def test_a_contract_lever_over_200_characters_is_refused_naming_contract_lever() -> None:
    with pytest.raises(InvalidValue) as refused:
        make(contract_lever="x" * 201)

    assert refused.value.field == "contract_lever"


def test_a_commitment_in_a_programme_both_sides_take_part_in_records_the_programme() -> None:
    trust, icb = provider(), commissioner()
    programme = Programme.create("Urgent Care", "", icb)
    programme.add_participant(trust, "provider")

    made = make(provider=trust, commissioner=icb, programme=programme)

    assert made.programme_id == programme.id
    assert pending(made)[0].programme_id == programme.id


def test_a_commitment_in_a_programme_the_provider_does_not_take_part_in_is_refused() -> None:
    trust, icb = provider(), commissioner()
    programme = Programme.create("Urgent Care", "", icb)

    with pytest.raises(RuleViolation) as refused:
        make(provider=trust, commissioner=icb, programme=programme)

    assert f"'{trust.name}' does not take part in programme 'Urgent Care'" in (
        refused.value.message
    )


def test_a_commitment_in_a_programme_the_commissioner_does_not_take_part_in_is_refused() -> None:
    trust, icb = provider(), commissioner()
    programme = Programme.create("Urgent Care", "", commissioner("Lead ICB"))
    programme.add_participant(trust, "provider")

    with pytest.raises(RuleViolation) as refused:
        make(provider=trust, commissioner=icb, programme=programme)

    assert f"'{icb.name}' does not take part" in refused.value.message


def test_a_linked_decision_is_recorded_by_its_id() -> None:
    decision_id = commissioner().id

    assert make(decision_id=decision_id).decision_id == decision_id


# Accepting


def test_accepting_a_proposed_commitment_records_accepted() -> None:
    made = proposed()

    made.accept()

    assert recorded(made) == ["Accepted"]
    assert made.status is CommitmentStatus.ACCEPTED
    assert (made.statuses[-1].status, made.statuses[-1].party) == (
        CommitmentStatus.ACCEPTED,
        Party.COMMISSIONER,
    )


@pytest.mark.parametrize("status", AGREED_OPEN)
def test_accepting_twice_is_refused_saying_it_was_already_accepted(status: str) -> None:
    made = IN_EACH_STATUS[status]()

    with pytest.raises(RuleViolation) as refused:
        made.accept()

    assert "already accepted" in refused.value.message
    assert recorded(made) == []


@pytest.mark.parametrize("status", CLOSED)
def test_accepting_a_closed_commitment_is_refused_saying_it_is_closed(status: str) -> None:
    made = IN_EACH_STATUS[status]()

    with pytest.raises(RuleViolation) as refused:
        made.accept()

    assert f"it was {status}" in refused.value.message
    assert "closed" in refused.value.message


# Progress


def test_recording_progress_keeps_every_update_and_shows_the_latest_percent() -> None:
    made = accepted()

    made.record_progress(20, " Recruited staff ")
    made.record_progress(60, "Pilot running")

    assert recorded(made) == ["ProgressRecorded", "ProgressRecorded"]
    assert [(p.percent, p.note) for p in made.progress] == [
        (20, "Recruited staff"),
        (60, "Pilot running"),
    ]
    assert made.percent_complete == 60


@pytest.mark.parametrize("percent", [0, 100])
def test_progress_of_0_and_100_percent_is_accepted(percent: int) -> None:
    made = accepted()

    made.record_progress(percent, "Note")

    assert made.percent_complete == percent


@pytest.mark.parametrize("percent", [-1, 101, 1000])
def test_progress_outside_0_to_100_is_refused_naming_percent(percent: int) -> None:
    made = accepted()

    with pytest.raises(InvalidValue) as refused:
        made.record_progress(percent, "Note")

    assert refused.value.field == "percent"
    assert recorded(made) == []


@pytest.mark.parametrize("percent", [True, 50.5, "50"])
def test_progress_that_is_not_a_whole_number_is_refused_naming_percent(percent: Any) -> None:
    with pytest.raises(InvalidValue) as refused:
        accepted().record_progress(percent, "Note")

    assert refused.value.field == "percent"


def test_progress_without_a_note_is_refused_naming_note() -> None:
    with pytest.raises(InvalidValue) as refused:
        accepted().record_progress(10, "  ")

    assert refused.value.field == "note"


@pytest.mark.parametrize("status", ["proposed", *AGREED_OPEN])
def test_progress_may_be_recorded_on_any_open_commitment(status: str) -> None:
    made = IN_EACH_STATUS[status]()

    made.record_progress(10, "Started")

    assert recorded(made) == ["ProgressRecorded"]
    assert made.status is CommitmentStatus(status)


@pytest.mark.parametrize("status", CLOSED)
def test_progress_on_a_closed_commitment_is_refused_saying_why(status: str) -> None:
    made = IN_EACH_STATUS[status]()

    with pytest.raises(RuleViolation) as refused:
        made.record_progress(10, "More")

    assert f"cannot record progress on this commitment: it was {status}" in refused.value.message


# At risk


@pytest.mark.parametrize("party", [Party.PROVIDER, Party.COMMISSIONER, None])
def test_flagging_at_risk_records_the_reason_and_the_side_that_flagged_it(
    party: Party | None,
) -> None:
    made = accepted()

    made.flag_at_risk(" Staff shortages ", party)

    events = collected(made)
    assert [type(e).__name__ for e in events] == ["FlaggedAtRisk"]
    assert (events[0].reason, events[0].party) == ("Staff shortages", party and party.value)
    assert made.status is CommitmentStatus.AT_RISK
    assert (made.statuses[-1].party, made.status_note) == (party, "Staff shortages")


def test_a_renegotiated_commitment_may_be_flagged_at_risk_again() -> None:
    made = renegotiated()

    made.flag_at_risk("Still short", Party.COMMISSIONER)

    assert made.status is CommitmentStatus.AT_RISK


def test_flagging_a_commitment_already_at_risk_is_refused_saying_so() -> None:
    made = at_risk()

    with pytest.raises(RuleViolation) as refused:
        made.flag_at_risk("Again", Party.COMMISSIONER)

    assert "already flagged at risk (Staff shortages)" in refused.value.message


def test_flagging_a_proposed_commitment_at_risk_is_refused_as_not_yet_accepted() -> None:
    with pytest.raises(RuleViolation) as refused:
        proposed().flag_at_risk("Worried", Party.PROVIDER)

    assert "has not accepted it yet" in refused.value.message


@pytest.mark.parametrize("status", CLOSED)
def test_flagging_a_closed_commitment_at_risk_is_refused(status: str) -> None:
    with pytest.raises(RuleViolation) as refused:
        IN_EACH_STATUS[status]().flag_at_risk("Worried", Party.PROVIDER)

    assert "closed" in refused.value.message


def test_flagging_at_risk_without_a_reason_is_refused_naming_reason() -> None:
    with pytest.raises(InvalidValue) as refused:
        accepted().flag_at_risk(" ", Party.PROVIDER)

    assert refused.value.field == "reason"


# Delivering


def test_delivering_by_the_due_date_records_delivered_on_time_with_the_evidence() -> None:
    made = accepted()

    made.deliver(" Audit report ")

    events = collected(made)
    assert [type(e).__name__ for e in events] == ["Delivered"]
    assert (events[0].evidence, events[0].on_time) == ("Audit report", True)
    assert made.status is CommitmentStatus.DELIVERED
    assert not made.is_open
    assert (made.delivered_on, made.delivered_on_time) == (TODAY, True)


def test_delivering_after_the_due_date_records_it_as_late() -> None:
    made = accepted(occurred_at=ago(days=10), due_date=days(-5))

    made.deliver("Audit report")

    assert made.delivered_on_time is False


def test_a_back_dated_delivery_keeps_its_time_and_is_on_time_by_that_date() -> None:
    made = accepted(occurred_at=ago(days=10), due_date=days(-5))
    when = ago(days=6)

    made.deliver("Audit report", when)

    assert made.statuses[-1].occurred_at == when
    assert (made.delivered_on, made.delivered_on_time) == (when.date(), True)


def test_a_renegotiated_commitment_is_on_time_against_its_new_due_date() -> None:
    made = accepted(occurred_at=ago(days=10), due_date=days(-5))
    made.renegotiate(days(5), "Agreed at board")

    made.deliver("Audit report")

    assert made.delivered_on_time is True


@pytest.mark.parametrize("status", AGREED_OPEN)
def test_any_accepted_open_commitment_may_be_delivered(status: str) -> None:
    made = IN_EACH_STATUS[status]()

    made.deliver("Audit report")

    assert made.status is CommitmentStatus.DELIVERED


def test_delivering_a_proposed_commitment_is_refused_as_not_yet_accepted() -> None:
    with pytest.raises(RuleViolation) as refused:
        proposed().deliver("Audit report")

    assert refused.value.message == (
        "cannot deliver this commitment: the commissioner has not accepted it yet"
    )


def test_delivering_a_withdrawn_commitment_is_refused_saying_it_was_withdrawn() -> None:
    made = withdrawn()

    with pytest.raises(RuleViolation) as refused:
        made.deliver("Audit report")

    assert "cannot deliver this commitment: it was withdrawn (No longer funded)" in (
        refused.value.message
    )
    assert recorded(made) == []


@pytest.mark.parametrize("status", ["delivered", "missed"])
def test_delivering_a_commitment_already_closed_is_refused(status: str) -> None:
    with pytest.raises(RuleViolation) as refused:
        IN_EACH_STATUS[status]().deliver("Audit report")

    assert f"it was {status}" in refused.value.message


def test_a_delivery_dated_before_the_commitment_was_made_is_refused() -> None:
    made = accepted(occurred_at=ago(days=2))

    with pytest.raises(RuleViolation) as refused:
        made.deliver("Audit report", ago(days=3))

    assert "before the commitment was made" in refused.value.message


def test_a_delivery_dated_in_the_future_is_refused_naming_occurred_at() -> None:
    with pytest.raises(InvalidValue) as refused:
        accepted().deliver("Audit report", ahead(days=1))

    assert refused.value.field == "occurred_at"


def test_a_delivery_without_evidence_is_refused_naming_evidence() -> None:
    with pytest.raises(InvalidValue) as refused:
        accepted().deliver("")

    assert refused.value.field == "evidence"


# Missed


def test_recording_a_miss_after_the_due_date_closes_the_commitment_with_the_reason() -> None:
    made = accepted(occurred_at=ago(days=10), due_date=days(-1))

    made.record_missed(" Not delivered ")

    assert recorded(made) == ["Missed"]
    assert made.status is CommitmentStatus.MISSED
    assert (made.statuses[-1].party, made.status_note) == (Party.COMMISSIONER, "Not delivered")
    assert not made.is_open


@pytest.mark.parametrize("due_in", [0, 1, 30])
def test_recording_a_miss_before_the_due_date_has_passed_is_refused(due_in: int) -> None:
    made = accepted(due_date=days(due_in))

    with pytest.raises(RuleViolation) as refused:
        made.record_missed("Not delivered")

    assert f"due on {days(due_in)}, which has not passed yet" in refused.value.message


def test_recording_a_miss_uses_the_today_it_is_given() -> None:
    made = accepted(due_date=days(3))

    made.record_missed("Not delivered", today=days(4))

    assert made.status is CommitmentStatus.MISSED


def test_recording_a_miss_of_a_proposed_commitment_is_refused_as_not_yet_accepted() -> None:
    made = proposed(occurred_at=ago(days=10), due_date=days(-1))

    with pytest.raises(RuleViolation) as refused:
        made.record_missed("Not delivered")

    assert "has not accepted it yet" in refused.value.message


@pytest.mark.parametrize("status", CLOSED)
def test_recording_a_miss_of_a_closed_commitment_is_refused(status: str) -> None:
    with pytest.raises(RuleViolation) as refused:
        IN_EACH_STATUS[status]().record_missed("Not delivered", today=days(365))

    assert f"it was {status}" in refused.value.message


# Renegotiating


def test_renegotiating_sets_the_new_due_date_and_keeps_the_old_one() -> None:
    made = accepted(due_date=days(30))

    made.renegotiate(days(60), " Winter pressures ")

    events = collected(made)
    assert [type(e).__name__ for e in events] == ["Renegotiated"]
    assert (events[0].new_due_date, events[0].previous_due_date, events[0].reason) == (
        days(60).isoformat(),
        days(30).isoformat(),
        "Winter pressures",
    )
    assert (made.due_date, made.original_due_date, made.renegotiation_count) == (
        days(60),
        days(30),
        1,
    )
    assert [(d.due_date, d.previous_due_date, d.reason) for d in made.due_dates] == [
        (days(30), None, None),
        (days(60), days(30), "Winter pressures"),
    ]


def test_a_renegotiated_commitment_is_open_in_the_renegotiated_status() -> None:
    made = renegotiated()

    assert made.status is CommitmentStatus.RENEGOTIATED
    assert made.is_open
    assert made.statuses[-1].party is Party.COMMISSIONER


def test_renegotiating_again_counts_each_renegotiation_and_keeps_the_original_date() -> None:
    made = renegotiated()

    made.renegotiate(days(90), "Again")

    assert (made.renegotiation_count, made.original_due_date, made.due_date) == (
        2,
        days(30),
        days(90),
    )


def test_renegotiating_an_at_risk_commitment_resolves_the_risk() -> None:
    made = at_risk()

    made.renegotiate(days(45), "Agreed a later date")

    assert made.status is CommitmentStatus.RENEGOTIATED


def test_renegotiating_to_an_earlier_date_that_is_still_ahead_is_allowed() -> None:
    made = accepted(due_date=days(30))

    made.renegotiate(days(10), "Brought forward")

    assert made.due_date == days(10)


def test_renegotiating_to_today_is_allowed() -> None:
    made = accepted(due_date=days(30))

    made.renegotiate(TODAY, "Due now")

    assert made.due_date == TODAY


def test_renegotiating_to_the_same_date_is_refused_saying_it_is_already_due_then() -> None:
    made = accepted(due_date=days(30))

    with pytest.raises(RuleViolation) as refused:
        made.renegotiate(days(30), "No change")

    assert f"already due on {days(30)}" in refused.value.message
    assert recorded(made) == []


def test_renegotiating_to_a_date_in_the_past_is_refused_saying_so() -> None:
    made = accepted(occurred_at=ago(days=10), due_date=days(-5))

    with pytest.raises(RuleViolation) as refused:
        made.renegotiate(days(-1), "Too late")

    assert "lies in the past" in refused.value.message


def test_renegotiating_a_proposed_commitment_is_refused_as_not_yet_accepted() -> None:
    with pytest.raises(RuleViolation) as refused:
        proposed().renegotiate(days(60), "Later")

    assert "has not accepted it yet" in refused.value.message


@pytest.mark.parametrize("status", CLOSED)
def test_renegotiating_a_closed_commitment_is_refused(status: str) -> None:
    with pytest.raises(RuleViolation) as refused:
        IN_EACH_STATUS[status]().renegotiate(days(100), "Later")

    assert f"it was {status}" in refused.value.message


def test_renegotiating_without_a_reason_is_refused_naming_reason() -> None:
    with pytest.raises(InvalidValue) as refused:
        accepted().renegotiate(days(60), "")

    assert refused.value.field == "reason"


def test_a_new_due_date_that_is_not_a_calendar_date_is_refused_naming_new_due_date() -> None:
    with pytest.raises(InvalidValue) as refused:
        accepted().renegotiate(ahead(days=60), "Later")  # type: ignore[arg-type]

    assert refused.value.field == "new_due_date"


# Withdrawing


@pytest.mark.parametrize("status", ["proposed", *AGREED_OPEN])
def test_any_open_commitment_may_be_withdrawn_with_a_reason(status: str) -> None:
    made = IN_EACH_STATUS[status]()

    made.withdraw(" No longer funded ")

    assert recorded(made) == ["Withdrawn"]
    assert made.status is CommitmentStatus.WITHDRAWN
    assert (made.statuses[-1].party, made.status_note) == (Party.PROVIDER, "No longer funded")


@pytest.mark.parametrize("status", CLOSED)
def test_withdrawing_a_closed_commitment_is_refused(status: str) -> None:
    with pytest.raises(RuleViolation) as refused:
        IN_EACH_STATUS[status]().withdraw("Changed our minds")

    assert f"cannot withdraw this commitment: it was {status}" in refused.value.message


def test_withdrawing_without_a_reason_is_refused_naming_reason() -> None:
    with pytest.raises(InvalidValue) as refused:
        accepted().withdraw("")

    assert refused.value.field == "reason"


# Overdue: derived from the due date and the day asked about, never recorded


@pytest.mark.parametrize("status", ["proposed", *AGREED_OPEN])
def test_an_open_commitment_is_overdue_once_its_due_date_has_passed(status: str) -> None:
    made = IN_EACH_STATUS[status]()

    assert made.is_overdue(made.due_date + timedelta(days=1))
    assert made.days_overdue(made.due_date + timedelta(days=3)) == 3


def test_a_commitment_due_today_is_not_overdue() -> None:
    made = accepted()

    assert not made.is_overdue(made.due_date)
    assert made.days_overdue(made.due_date) is None


@pytest.mark.parametrize("status", CLOSED)
def test_a_closed_commitment_is_never_overdue(status: str) -> None:
    made = IN_EACH_STATUS[status]()

    assert not made.is_overdue(made.due_date + timedelta(days=365))


def test_renegotiating_an_overdue_commitment_to_a_later_date_ends_it_being_overdue() -> None:
    made = accepted(occurred_at=ago(days=10), due_date=days(-5))
    assert made.is_overdue(TODAY)

    made.renegotiate(days(5), "Agreed at board")

    assert not made.is_overdue(TODAY)


def test_being_overdue_records_no_event() -> None:
    made = accepted(occurred_at=ago(days=10), due_date=days(-5))

    assert made.is_overdue(TODAY)
    assert recorded(made) == []


# Organisations merging


def test_carrying_over_the_provider_side_moves_it_to_the_successor_and_says_so() -> None:
    trust, successor = provider("Old Trust"), provider("New Trust")
    made = accepted(provider=trust)

    made.carry_over(trust.id, successor)

    events = collected(made)
    assert [type(e).__name__ for e in events] == ["CarriedOver"]
    assert (events[0].role, events[0].from_organisation_id, events[0].to_organisation_id) == (
        "provider",
        trust.id,
        successor.id,
    )
    assert made.provider_id == successor.id
    assert [(c.role, c.from_organisation_id) for c in made.carried_over] == [
        (Party.PROVIDER, trust.id)
    ]


def test_carrying_over_the_commissioner_side_moves_it_to_the_successor() -> None:
    icb, successor = commissioner("Old CCG"), commissioner("New ICB")
    made = proposed(commissioner=icb)

    made.carry_over(icb.id, successor)

    assert made.commissioner_id == successor.id
    assert made.status is CommitmentStatus.PROPOSED


@pytest.mark.parametrize("status", CLOSED)
def test_a_closed_commitment_is_not_carried_over(status: str) -> None:
    made = IN_EACH_STATUS[status]()

    with pytest.raises(RuleViolation) as refused:
        made.carry_over(made.provider_id, provider("New Trust"))

    assert "closed commitments stay" in refused.value.message


def test_carrying_over_for_an_organisation_that_is_neither_side_is_refused() -> None:
    with pytest.raises(RuleViolation) as refused:
        accepted().carry_over(provider("Elsewhere").id, provider("New Trust"))

    assert "neither the provider nor the commissioner" in refused.value.message


def test_carrying_over_to_the_same_organisation_is_refused() -> None:
    trust = provider()
    made = accepted(provider=trust)

    with pytest.raises(InvalidValue):
        made.carry_over(trust.id, trust)


# Replaying


def test_each_entry_names_the_version_of_the_event_that_recorded_it() -> None:
    made = make()
    made.record_progress(10, "Started")
    made.accept()
    made.flag_at_risk("Short", Party.COMMISSIONER)
    made.renegotiate(days(60), "Later")
    made.deliver("Done")

    assert [s.version for s in made.statuses] == [1, 3, 4, 5, 6]
    assert [p.version for p in made.progress] == [2]
    assert [d.version for d in made.due_dates] == [1, 5]


def test_replaying_the_events_rebuilds_the_same_commitment() -> None:
    trust, successor = provider("Old Trust"), provider("New Trust")
    made = make(provider=trust, contract_lever="KPI")
    made.accept()
    made.record_progress(40, "Halfway")
    made.flag_at_risk("Short", None)
    made.renegotiate(days(60), "Later")
    made.carry_over(trust.id, successor)
    made.deliver("Done")

    rebuilt = replayed(collected(made))

    assert vars(rebuilt) == vars(made)
