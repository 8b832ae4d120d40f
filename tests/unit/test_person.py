"""Person: registration, and membership of one organisation at a time, in memory."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, timezone

import pytest

from domain.errors import InvalidValue, RuleViolation
from domain.organisation import Organisation
from domain.person import Membership, Person
from domain.timing import CLOCK_SKEW
from domain.values import EMAIL_MAX
from tests.unit.support import (
    ago,
    ahead,
    collected,
    dissolved,
    merged,
    organisation,
    pending,
    recorded,
)

# A wall-clock time with no timezone, well in the past: refused for lacking the zone alone.
NAIVE = datetime(2020, 1, 5, 9, 0)  # noqa: DTZ001 - the point of the tests


def person() -> Person:
    ada = Person.register(name="Ada Lovelace", email="ada@example.org")
    ada.collect_events()
    return ada


# Registering


def test_registering_records_one_registered_event_with_name_and_email() -> None:
    ada = Person.register(name=" Ada Lovelace ", email="ada@example.org")

    events = pending(ada)

    assert [type(e).__name__ for e in events] == ["Registered"]
    assert (events[0].name, events[0].email) == ("Ada Lovelace", "ada@example.org")


def test_a_registered_person_belongs_to_no_organisation() -> None:
    ada = Person.register(name="Ada Lovelace", email="ada@example.org")

    assert ada.current_organisation_id is None
    assert ada.memberships == []


def test_the_email_is_trimmed_and_lower_cased() -> None:
    ada = Person.register(name="Ada Lovelace", email="  Ada.Lovelace@NHS.Example.ORG ")

    assert ada.email == "ada.lovelace@nhs.example.org"
    assert pending(ada)[0].email == "ada.lovelace@nhs.example.org"


@pytest.mark.parametrize(
    "email",
    [
        "",
        "   ",
        "ada",
        "ada@example",
        "@example.org",
        "ada@",
        "ada@@example.org",
        "ada lovelace@example.org",
        "ada@exa mple.org",
        "ada@example.org\x00",
    ],
)
def test_an_invalid_email_is_refused_naming_the_email_field(email: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        Person.register(name="Ada Lovelace", email=email)

    assert refused.value.field == "email"


def test_an_email_longer_than_254_characters_is_refused() -> None:
    email = "a" * (EMAIL_MAX - len("@example.org") + 1) + "@example.org"

    with pytest.raises(InvalidValue) as refused:
        Person.register(name="Ada Lovelace", email=email)

    assert len(email) == EMAIL_MAX + 1
    assert refused.value.field == "email"


@pytest.mark.parametrize("name", ["", "  ", "x" * 201, "Ada\x00Lovelace"])
def test_an_invalid_name_is_refused_naming_the_name_field(name: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        Person.register(name=name, email="ada@example.org")

    assert refused.value.field == "name"


# Joining and leaving


def test_joining_records_the_organisation_and_when() -> None:
    ada, org = person(), organisation()
    when = ago(days=3)

    ada.join(org, when)

    events = collected(ada)
    assert [type(e).__name__ for e in events] == ["JoinedOrganisation"]
    assert (events[0].organisation_id, events[0].occurred_at) == (org.id, when)
    assert ada.current_organisation_id == org.id


def test_joining_without_a_date_is_dated_now() -> None:
    ada, org = person(), organisation()
    before = ago(seconds=1)

    ada.join(org)

    assert before <= ada.memberships[-1].joined_at <= ahead(seconds=1)


def test_joining_records_nothing_on_the_organisation() -> None:
    ada, org = person(), organisation()

    ada.join(org)

    assert recorded(org) == []


def test_an_occurred_at_in_another_timezone_is_recorded_in_utc() -> None:
    ada, org = person(), organisation()
    when = datetime(2026, 1, 5, 9, 0, tzinfo=timezone(timedelta(hours=2)))

    ada.join(org, when)

    joined_at = ada.memberships[-1].joined_at
    assert joined_at == when
    assert joined_at.utcoffset() == timedelta(0)
    assert joined_at.hour == 7


def test_leaving_records_the_organisation_and_ends_the_membership() -> None:
    ada, org = person(), organisation()
    ada.join(org, ago(days=3))
    ada.collect_events()
    when = ago(days=1)

    ada.leave(org.id, when)

    events = collected(ada)
    assert [type(e).__name__ for e in events] == ["LeftOrganisation"]
    assert (events[0].organisation_id, events[0].occurred_at) == (org.id, when)
    assert ada.current_organisation_id is None
    assert ada.memberships[-1].left_at == when


def test_a_person_is_a_member_of_one_organisation_at_a_time() -> None:
    ada, first, second = person(), organisation(name="First"), organisation(name="Second")
    ada.join(first, ago(days=2))
    ada.collect_events()

    with pytest.raises(RuleViolation) as refused:
        ada.join(second, ago(days=1))

    assert str(first.id) in refused.value.message
    assert ada.current_organisation_id == first.id
    assert recorded(ada) == []


def test_joining_the_organisation_one_is_already_in_is_refused() -> None:
    ada, org = person(), organisation()
    ada.join(org, ago(days=2))
    ada.collect_events()

    with pytest.raises(RuleViolation):
        ada.join(org, ago(days=1))

    assert recorded(ada) == []


@pytest.mark.parametrize("ended", [merged, dissolved], ids=["merged", "dissolved"])
def test_joining_an_ended_organisation_is_refused(ended: Callable[[], Organisation]) -> None:
    ada = person()

    with pytest.raises(RuleViolation):
        ada.join(ended())

    assert ada.current_organisation_id is None
    assert recorded(ada) == []


def test_leaving_an_organisation_one_never_joined_is_refused() -> None:
    ada = person()

    with pytest.raises(RuleViolation):
        ada.leave(organisation().id)

    assert recorded(ada) == []


def test_leaving_an_organisation_other_than_the_current_one_is_refused() -> None:
    ada, current, other = person(), organisation(name="Current"), organisation(name="Other")
    ada.join(current, ago(days=2))
    ada.collect_events()

    with pytest.raises(RuleViolation):
        ada.leave(other.id)

    assert ada.current_organisation_id == current.id
    assert recorded(ada) == []


def test_leaving_an_organisation_already_left_is_refused() -> None:
    ada, org = person(), organisation()
    ada.join(org, ago(days=2))
    ada.leave(org.id, ago(days=1))
    ada.collect_events()

    with pytest.raises(RuleViolation):
        ada.leave(org.id)

    assert recorded(ada) == []


def test_a_person_may_leave_an_organisation_after_it_has_been_dissolved() -> None:
    ada, org = person(), organisation()
    ada.join(org, ago(days=2))
    ada.collect_events()
    org.dissolve()

    ada.leave(org.id, ago(days=1))

    assert recorded(ada) == ["LeftOrganisation"]


# Dates


def test_joining_dated_in_the_future_is_refused_naming_occurred_at() -> None:
    ada, org = person(), organisation()

    with pytest.raises(InvalidValue) as refused:
        ada.join(org, ahead(days=1))

    assert refused.value.field == "occurred_at"
    assert ada.current_organisation_id is None
    assert recorded(ada) == []


def test_leaving_dated_in_the_future_is_refused_naming_occurred_at() -> None:
    ada, org = person(), organisation()
    ada.join(org, ago(days=1))
    ada.collect_events()

    with pytest.raises(InvalidValue) as refused:
        ada.leave(org.id, ahead(days=1))

    assert refused.value.field == "occurred_at"
    assert ada.current_organisation_id == org.id
    assert recorded(ada) == []


def test_an_occurred_at_just_beyond_the_clock_skew_allowance_is_refused() -> None:
    ada, org = person(), organisation()

    with pytest.raises(InvalidValue):
        ada.join(org, ahead(seconds=CLOCK_SKEW.total_seconds() + 30))


def test_an_occurred_at_slightly_ahead_within_the_clock_skew_allowance_is_accepted() -> None:
    ada, org = person(), organisation()

    ada.join(org, ahead(minutes=1))

    assert recorded(ada) == ["JoinedOrganisation"]


def test_joining_with_a_date_without_timezone_is_refused_naming_occurred_at() -> None:
    ada, org = person(), organisation()

    with pytest.raises(InvalidValue) as refused:
        ada.join(org, NAIVE)

    assert refused.value.field == "occurred_at"
    assert recorded(ada) == []


def test_leaving_with_a_date_without_timezone_is_refused_naming_occurred_at() -> None:
    ada, org = person(), organisation()
    ada.join(org, ago(days=3650))
    ada.collect_events()

    with pytest.raises(InvalidValue) as refused:
        ada.leave(org.id, NAIVE)

    assert refused.value.field == "occurred_at"
    assert ada.current_organisation_id == org.id
    assert recorded(ada) == []


def test_leaving_dated_before_joining_is_refused() -> None:
    ada, org = person(), organisation()
    ada.join(org, ago(days=2))
    ada.collect_events()

    with pytest.raises(RuleViolation):
        ada.leave(org.id, ago(days=3))

    assert ada.current_organisation_id == org.id
    assert recorded(ada) == []


def test_joining_dated_before_leaving_the_last_organisation_is_refused() -> None:
    ada, first, second = person(), organisation(name="First"), organisation(name="Second")
    ada.join(first, ago(days=10))
    ada.leave(first.id, ago(days=5))
    ada.collect_events()

    with pytest.raises(RuleViolation):
        ada.join(second, ago(days=6))

    assert ada.current_organisation_id is None
    assert recorded(ada) == []


def test_leaving_at_the_same_instant_as_joining_is_accepted() -> None:
    ada, org = person(), organisation()
    when = ago(days=1)
    ada.join(org, when)

    ada.leave(org.id, when)

    assert ada.memberships == [Membership(org.id, when, when)]


# History of membership


def test_membership_history_is_kept_across_moves_between_organisations() -> None:
    ada = person()
    first, second, third = (organisation(name=n) for n in ("First", "Second", "Third"))
    t1, t2, t3, t4, t5 = (ago(days=d) for d in (50, 40, 30, 20, 10))

    ada.join(first, t1)
    ada.leave(first.id, t2)
    ada.join(second, t3)
    ada.leave(second.id, t4)
    ada.join(third, t5)

    assert ada.memberships == [
        Membership(first.id, t1, t2),
        Membership(second.id, t3, t4),
        Membership(third.id, t5, None),
    ]
    assert ada.current_organisation_id == third.id


def test_a_person_may_rejoin_an_organisation_they_left() -> None:
    ada, org = person(), organisation()
    t1, t2, t3 = ago(days=3), ago(days=2), ago(days=1)

    ada.join(org, t1)
    ada.leave(org.id, t2)
    ada.join(org, t3)

    assert ada.memberships == [Membership(org.id, t1, t2), Membership(org.id, t3, None)]


def test_membership_history_is_rebuilt_the_same_from_the_recorded_events() -> None:
    ada = Person.register(name="Ada Lovelace", email="ada@example.org")
    first, second = organisation(name="First"), organisation(name="Second")
    ada.join(first, ago(days=3))
    ada.leave(first.id, ago(days=2))
    ada.join(second, ago(days=1))
    events = pending(ada)

    copy: Person | None = None
    for event in events:
        copy = event.mutate(copy)

    assert copy is not None
    assert copy.memberships == ada.memberships
