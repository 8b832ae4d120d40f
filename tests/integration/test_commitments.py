"""Commitment use cases and their view against real stores (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.commitment import Commitment, CommitmentStatus
from domain.errors import (
    Forbidden,
    InvalidValue,
    NotFound,
    ReferenceNotFound,
    RuleViolation,
    StaleVersion,
)
from infra.bootstrap import Container
from projections.commitments import COMMITMENTS
from projections.commitments_queries import CommitmentFilter, CommitmentQueries
from tests.integration.commitment_support import (
    Decision,
    Sides,
    accepted,
    days,
    make,
    row,
    sides,
)
from tests.integration.support import events_after, head, names_after, person
from tests.unit.support import ago


def queries(container: Container) -> CommitmentQueries:
    container.catch_up()
    return CommitmentQueries(container.views)


def listed(container: Container, today_offset: int = 0, **where: object) -> list[str]:
    page = queries(container).list_commitments(
        CommitmentFilter(**where),  # type: ignore[arg-type]
        today=days(today_offset),
        limit=50,
        offset=0,
    )
    return [item["what"] for item in page.items]


# Making


def test_a_provider_member_makes_a_commitment_and_the_view_shows_it_proposed(
    container: Container,
) -> None:
    on = sides(container)
    before = head(container)

    made = make(container, on, contract_lever="cquin", due_date=days(30))

    assert names_after(container, before) == ["Commitment.Made"]
    assert events_after(container, before)[0].actor_id == on.supplier
    found = row(container, made.id)
    assert (found["provider_id"], found["commissioner_id"]) == (
        str(on.provider_id),
        str(on.commissioner_id),
    )
    assert (found["status"], found["contract_lever"], found["version"]) == ("proposed", "CQUIN", 1)
    assert (found["due_date"], found["original_due_date"], found["renegotiation_count"]) == (
        days(30).isoformat(),
        days(30).isoformat(),
        0,
    )
    assert found["percent_complete"] is None
    assert found["accepted_at"] is None


def test_someone_outside_the_provider_cannot_make_its_commitment_and_nothing_is_recorded(
    container: Container,
) -> None:
    on = sides(container)
    outsider = person(container, "out@example.org", "Olly Outsider")
    before = head(container)

    with pytest.raises(Forbidden) as refused:
        make(container, on, by=outsider.id)

    assert "Olly Outsider is not a member" in refused.value.message
    assert head(container) == before


def test_a_commissioner_member_cannot_make_a_commitment_for_the_provider(
    container: Container,
) -> None:
    on = sides(container)

    with pytest.raises(Forbidden):
        make(container, on, by=on.buyer)


@pytest.mark.parametrize("field", ["provider_id", "commissioner_id", "programme_id"])
def test_an_unknown_organisation_or_programme_is_refused_naming_its_field(
    container: Container, field: str
) -> None:
    on = sides(container)
    unknown = person(container, "nobody@example.org").id
    before = head(container)

    with pytest.raises(ReferenceNotFound) as refused:
        make(container, on, **{field: unknown})

    assert refused.value.field == field
    assert head(container) == before


def test_a_commitment_linked_to_an_existing_decision_records_its_id(
    container: Container,
) -> None:
    on = sides(container)
    decision = Decision(title="Adopt the handover standard")
    container.app.save(decision)

    made = make(container, on, decision_id=decision.id)

    assert row(container, made.id)["decision_id"] == str(decision.id)


def test_a_decision_id_that_names_no_decision_is_refused_naming_decision_id(
    container: Container,
) -> None:
    on = sides(container)

    with pytest.raises(ReferenceNotFound) as refused:
        make(container, on, decision_id=on.provider_id)

    assert refused.value.field == "decision_id"


def test_a_decision_of_another_programme_is_refused_naming_decision_id(
    container: Container,
) -> None:
    on = sides(container)
    app = container.app
    ours, theirs = (
        app.create_programme(
            by=None, title=title, description="", lead_commissioner_id=on.commissioner_id
        )
        for title in ("Ours", "Theirs")
    )
    app.add_participant(
        by=None, programme_id=ours.id, organisation_id=on.provider_id, role="provider"
    )
    decision = Decision(title="Elsewhere", programme_id=theirs.id)
    app.save(decision)

    with pytest.raises(InvalidValue) as refused:
        make(container, on, programme_id=ours.id, decision_id=decision.id)

    assert refused.value.field == "decision_id"
    assert f"belongs to programme {theirs.id}" in refused.value.reason


def test_a_commitment_in_a_programme_both_sides_take_part_in_is_listed_under_it(
    container: Container,
) -> None:
    on = sides(container)
    app = container.app
    programme = app.create_programme(
        by=None, title="UEC", description="", lead_commissioner_id=on.commissioner_id
    )
    app.add_participant(
        by=None, programme_id=programme.id, organisation_id=on.provider_id, role="provider"
    )

    make(container, on, programme_id=programme.id, what="In the programme")
    make(container, on, what="Outside it")

    assert listed(container, programme_id=str(programme.id)) == ["In the programme"]


def test_a_commitment_in_a_programme_the_provider_does_not_take_part_in_is_refused(
    container: Container,
) -> None:
    on = sides(container)
    programme = container.app.create_programme(
        by=None, title="UEC", description="", lead_commissioner_id=on.commissioner_id
    )

    with pytest.raises(RuleViolation) as refused:
        make(container, on, programme_id=programme.id)

    assert "does not take part in programme 'UEC'" in refused.value.message


# Who may do what


def test_the_commissioner_accepts_and_the_view_records_when(container: Container) -> None:
    on = sides(container)
    made = make(container, on)
    before = head(container)

    container.app.accept_commitment(by=on.buyer, commitment_id=made.id, expected_version=1)

    assert names_after(container, before) == ["Commitment.Accepted"]
    found = row(container, made.id)
    assert (found["status"], found["version"]) == ("accepted", 2)
    assert found["accepted_at"] == found["updated_at"]


def test_the_provider_cannot_accept_its_own_commitment(container: Container) -> None:
    on = sides(container)
    made = make(container, on)
    before = head(container)

    with pytest.raises(Forbidden) as refused:
        container.app.accept_commitment(by=on.supplier, commitment_id=made.id)

    assert "only the commissioner can accept" in refused.value.message
    assert head(container) == before


@pytest.mark.parametrize(
    "action",
    ["progress", "deliver", "withdraw"],
)
def test_only_the_provider_records_progress_delivers_or_withdraws(
    container: Container, action: str
) -> None:
    on = sides(container)
    made = accepted(container, on)
    app = container.app
    attempts = {
        "progress": lambda: app.record_commitment_progress(
            by=on.buyer, commitment_id=made.id, percent=10, note="n"
        ),
        "deliver": lambda: app.deliver_commitment(by=on.buyer, commitment_id=made.id, evidence="e"),
        "withdraw": lambda: app.withdraw_commitment(by=on.buyer, commitment_id=made.id, reason="r"),
    }

    with pytest.raises(Forbidden) as refused:
        attempts[action]()

    assert "only the provider can" in refused.value.message


def test_only_the_commissioner_records_a_miss(container: Container) -> None:
    on = sides(container)
    made = accepted(container, on)

    with pytest.raises(Forbidden) as refused:
        container.app.record_commitment_missed(
            by=on.supplier, commitment_id=made.id, reason="r", today=days(40)
        )

    assert "only the commissioner can record a miss of" in refused.value.message


def test_only_the_commissioner_records_a_renegotiation(container: Container) -> None:
    on = sides(container)
    made = accepted(container, on)

    with pytest.raises(Forbidden) as refused:
        container.app.renegotiate_commitment(
            by=on.supplier, commitment_id=made.id, new_due_date=days(60), reason="r"
        )

    assert "only the commissioner can renegotiate" in refused.value.message


@pytest.mark.parametrize("side", ["supplier", "buyer"])
def test_either_side_may_flag_at_risk_and_the_event_says_which(
    container: Container, side: str
) -> None:
    on = sides(container)
    made = accepted(container, on)
    before = head(container)

    container.app.flag_commitment_at_risk(
        by=getattr(on, side), commitment_id=made.id, reason="Short staffed"
    )

    flagged = events_after(container, before)[0]
    assert flagged.party == ("provider" if side == "supplier" else "commissioner")
    assert row(container, made.id)["status_note"] == "Short staffed"


def test_someone_on_neither_side_cannot_flag_at_risk(container: Container) -> None:
    on = sides(container)
    other = sides(container, provider="York Trust", commissioner="NY ICB")
    made = accepted(container, on)

    with pytest.raises(Forbidden) as refused:
        container.app.flag_commitment_at_risk(by=other.supplier, commitment_id=made.id, reason="r")

    assert "is neither" in refused.value.message


def test_a_write_based_on_an_old_version_is_refused_as_stale(container: Container) -> None:
    on = sides(container)
    made = accepted(container, on)

    with pytest.raises(StaleVersion):
        container.app.record_commitment_progress(
            by=on.supplier, commitment_id=made.id, percent=10, note="n", expected_version=1
        )


def test_an_unknown_commitment_is_not_found(container: Container) -> None:
    on = sides(container)

    with pytest.raises(NotFound):
        container.app.accept_commitment(by=on.buyer, commitment_id=on.provider_id)


# The view through a lifecycle


def test_the_view_follows_progress_risk_renegotiation_and_late_delivery(
    container: Container,
) -> None:
    on = sides(container)
    app = container.app
    made = accepted(container, on, occurred_at=ago(days=20), due_date=days(-10))
    app.record_commitment_progress(by=on.supplier, commitment_id=made.id, percent=40, note="n")
    app.flag_commitment_at_risk(by=on.buyer, commitment_id=made.id, reason="Slipping")
    app.renegotiate_commitment(
        by=on.buyer, commitment_id=made.id, new_due_date=days(5), reason="Agreed"
    )
    app.renegotiate_commitment(
        by=on.buyer, commitment_id=made.id, new_due_date=days(10), reason="Again"
    )
    app.deliver_commitment(
        by=on.supplier, commitment_id=made.id, evidence="Audit", occurred_at=ago(days=1)
    )

    found = row(container, made.id)
    assert (found["status"], found["status_note"], found["percent_complete"]) == (
        "delivered",
        "Audit",
        40,
    )
    assert (found["due_date"], found["original_due_date"], found["renegotiation_count"]) == (
        days(10).isoformat(),
        days(-10).isoformat(),
        2,
    )
    assert found["delivered_on"] == (ago(days=1)).date().isoformat()
    assert bool(found["delivered_on_time"]) is True
    assert found["closed_at"] == found["updated_at"]
    assert found["version"] == 7


def test_a_late_delivery_is_shown_as_not_on_time(container: Container) -> None:
    on = sides(container)
    made = accepted(container, on, occurred_at=ago(days=20), due_date=days(-10))

    container.app.deliver_commitment(by=on.supplier, commitment_id=made.id, evidence="Audit")

    assert bool(row(container, made.id)["delivered_on_time"]) is False


def test_a_miss_is_recorded_by_the_commissioner_after_the_due_date(container: Container) -> None:
    on = sides(container)
    made = accepted(container, on, occurred_at=ago(days=20), due_date=days(-1))

    container.app.record_commitment_missed(by=on.buyer, commitment_id=made.id, reason="Not done")

    found = row(container, made.id)
    assert (found["status"], found["status_note"]) == ("missed", "Not done")


def test_a_withdrawal_closes_the_commitment_in_the_view(container: Container) -> None:
    on = sides(container)
    made = make(container, on)

    container.app.withdraw_commitment(by=on.supplier, commitment_id=made.id, reason="Unfunded")

    found = row(container, made.id)
    assert (found["status"], found["status_note"]) == ("withdrawn", "Unfunded")
    assert found["closed_at"] is not None


def test_a_refused_transition_records_nothing(container: Container) -> None:
    on = sides(container)
    made = make(container, on)
    container.app.withdraw_commitment(by=on.supplier, commitment_id=made.id, reason="Unfunded")
    before = head(container)

    with pytest.raises(RuleViolation) as refused:
        container.app.accept_commitment(by=on.buyer, commitment_id=made.id)

    assert "it was withdrawn (Unfunded)" in refused.value.message
    assert head(container) == before


# Lists: filters, overdue from the today given, pages


def three_commitments(container: Container) -> Sides:
    on = sides(container)
    app = container.app
    late = accepted(container, on, what="Late", occurred_at=ago(days=20), due_date=days(-3))
    accepted(container, on, what="Soon", due_date=days(7))
    make(container, on, what="Later", due_date=days(90))
    done = accepted(container, on, what="Done late", occurred_at=ago(days=20), due_date=days(-5))
    app.deliver_commitment(by=on.supplier, commitment_id=done.id, evidence="Audit")
    app.flag_commitment_at_risk(by=on.buyer, commitment_id=late.id, reason="Behind")
    return on


def test_a_list_is_ordered_by_due_date(container: Container) -> None:
    three_commitments(container)

    assert listed(container) == ["Done late", "Late", "Soon", "Later"]


def test_overdue_lists_only_open_commitments_due_before_today(container: Container) -> None:
    three_commitments(container)

    assert listed(container, overdue=True) == ["Late"]
    assert listed(container, overdue=False) == ["Done late", "Soon", "Later"]


def test_overdue_is_worked_out_for_the_today_the_query_is_given(container: Container) -> None:
    three_commitments(container)

    assert listed(container, today_offset=-10, overdue=True) == []
    assert listed(container, today_offset=8, overdue=True) == ["Late", "Soon"]


def test_a_listed_commitment_says_whether_and_how_long_it_is_overdue(
    container: Container,
) -> None:
    three_commitments(container)

    page = queries(container).list_commitments(
        CommitmentFilter(), today=days(0), limit=50, offset=0
    )

    shown = {item["what"]: (item["overdue"], item["days_overdue"]) for item in page.items}
    assert shown == {
        "Done late": (False, None),
        "Late": (True, 3),
        "Soon": (False, None),
        "Later": (False, None),
    }


def test_due_within_days_lists_open_commitments_due_from_today_to_that_many_days_ahead(
    container: Container,
) -> None:
    three_commitments(container)

    assert listed(container, due_within_days=30) == ["Soon"]
    assert listed(container, due_within_days=90) == ["Soon", "Later"]
    assert listed(container, due_within_days=6) == []


def test_a_list_filters_by_status(container: Container) -> None:
    three_commitments(container)

    assert listed(container, status="at_risk") == ["Late"]
    assert listed(container, status="proposed") == ["Later"]
    assert listed(container, status="delivered") == ["Done late"]


def test_a_list_filters_by_provider_and_by_commissioner(container: Container) -> None:
    on = three_commitments(container)
    other = sides(container, provider="York Trust", commissioner="NY ICB")
    make(container, other, what="York's")

    assert listed(container, provider_id=str(other.provider_id)) == ["York's"]
    assert listed(container, commissioner_id=str(on.commissioner_id)) == [
        "Done late",
        "Late",
        "Soon",
        "Later",
    ]


def test_a_list_is_paginated_with_the_total(container: Container) -> None:
    three_commitments(container)

    page = queries(container).list_commitments(CommitmentFilter(), today=days(0), limit=2, offset=1)

    assert [item["what"] for item in page.items] == ["Late", "Soon"]
    assert page.total == 4


def test_a_renegotiated_commitment_is_listed_as_renegotiated_and_no_longer_overdue(
    container: Container,
) -> None:
    on = sides(container)
    made = accepted(container, on, what="Slipped", occurred_at=ago(days=20), due_date=days(-3))
    assert listed(container, overdue=True) == ["Slipped"]

    container.app.renegotiate_commitment(
        by=on.buyer, commitment_id=made.id, new_due_date=days(14), reason="Agreed"
    )

    assert listed(container, overdue=True) == []
    assert listed(container, status="renegotiated") == ["Slipped"]


# Organisations merging


def test_merging_a_provider_carries_its_open_commitments_to_the_successor(
    container: Container,
) -> None:
    on = sides(container)
    app = container.app
    open_one = accepted(container, on, what="Open")
    closed_one = make(container, on, what="Closed")
    app.withdraw_commitment(by=on.supplier, commitment_id=closed_one.id, reason="Unfunded")
    successor = app.register_organisation(by=None, name="New Trust", kind="provider")
    before = head(container)

    app.merge_organisation(
        by=None, organisation_id=on.provider_id, successor_id=successor.id, expected_version=None
    )

    assert sorted(names_after(container, before)) == [
        "Commitment.CarriedOver",
        "Organisation.Merged",
    ]
    carried = app.repository.get(open_one.id)
    assert isinstance(carried, Commitment)
    assert carried.provider_id == successor.id
    assert [(c.from_organisation_id, c.to_organisation_id) for c in carried.carried_over] == [
        (on.provider_id, successor.id)
    ]
    assert row(container, open_one.id)["provider_id"] == str(successor.id)
    assert row(container, closed_one.id)["provider_id"] == str(on.provider_id)


def test_merging_a_commissioner_carries_the_open_commitments_made_to_it(
    container: Container,
) -> None:
    on = sides(container)
    app = container.app
    made = make(container, on)
    successor = app.register_organisation(by=None, name="New ICB", kind="commissioner")

    app.merge_organisation(
        by=None,
        organisation_id=on.commissioner_id,
        successor_id=successor.id,
        expected_version=None,
    )

    found = row(container, made.id)
    assert (found["commissioner_id"], found["status"]) == (str(successor.id), "proposed")
    assert listed(container, commissioner_id=str(successor.id)) == [made.what]


def test_members_of_the_successor_act_on_carried_over_commitments(container: Container) -> None:
    on = sides(container)
    app = container.app
    made = accepted(container, on)
    successor = app.register_organisation(by=None, name="New Trust", kind="provider")
    app.merge_organisation(
        by=None, organisation_id=on.provider_id, successor_id=successor.id, expected_version=None
    )
    app.leave_organisation(by=None, person_id=on.supplier, organisation_id=on.provider_id)
    app.join_organisation(by=None, person_id=on.supplier, organisation_id=successor.id)

    app.deliver_commitment(by=on.supplier, commitment_id=made.id, evidence="Audit")

    assert row(container, made.id)["status"] == "delivered"


def test_merging_an_organisation_with_no_commitments_carries_nothing(
    container: Container,
) -> None:
    on = sides(container)
    app = container.app
    successor = app.register_organisation(by=None, name="New Trust", kind="provider")
    before = head(container)

    app.merge_organisation(
        by=None, organisation_id=on.provider_id, successor_id=successor.id, expected_version=None
    )

    assert names_after(container, before) == ["Organisation.Merged"]


# Reading as it was


def test_a_commitment_reads_as_it_was_at_a_version_with_when_each_event_was_recorded(
    container: Container,
) -> None:
    on = sides(container)
    made = accepted(container, on)
    container.app.record_commitment_progress(
        by=on.supplier, commitment_id=made.id, percent=30, note="n"
    )

    then, stamps = container.app.commitment_as_of(made.id, version=2)

    assert (then.version, then.status, then.progress) == (2, CommitmentStatus.ACCEPTED, [])
    assert sorted(stamps) == [1, 2]
    assert (stamps[1].actor_id, stamps[2].actor_id) == (on.supplier, on.buyer)
    assert stamps[1].recorded_at <= stamps[2].recorded_at


def test_a_commitment_reads_as_recorded_up_to_a_time(container: Container) -> None:
    on = sides(container)
    made = make(container, on)
    _, stamps = container.app.commitment_as_of(made.id)
    container.app.accept_commitment(by=on.buyer, commitment_id=made.id)

    then, _ = container.app.commitment_as_of(made.id, at=stamps[1].recorded_at)
    before_it = stamps[1].recorded_at - timedelta(microseconds=1)

    assert then.status is CommitmentStatus.PROPOSED
    with pytest.raises(NotFound):
        container.app.commitment_as_of(made.id, at=before_it)


def test_rebuilding_the_view_gives_the_same_rows(container: Container) -> None:
    three_commitments(container)
    container.catch_up()
    rows = sorted(container.views.fetch_all(f"SELECT * FROM {COMMITMENTS}"), key=repr)

    container.processors["commitments"].rebuild()

    assert sorted(container.views.fetch_all(f"SELECT * FROM {COMMITMENTS}"), key=repr) == rows
