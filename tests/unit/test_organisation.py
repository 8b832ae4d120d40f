"""Organisation: registration rules, renaming, merging and dissolving, in memory."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from domain.errors import InvalidValue, RuleViolation
from domain.organisation import Organisation, OrganisationStatus
from domain.values import NAME_MAX, OrganisationKind
from tests.unit.support import collected, dissolved, merged, organisation, pending, recorded

# Registering


def test_registering_records_one_registered_event_with_the_given_details() -> None:
    org = Organisation.register(name="NHS West Yorkshire ICB", kind="commissioner", ods_code="QWO")

    events = pending(org)

    assert [type(e).__name__ for e in events] == ["Registered"]
    assert (events[0].name, events[0].kind, events[0].ods_code) == (
        "NHS West Yorkshire ICB",
        "commissioner",
        "QWO",
    )


def test_a_registered_organisation_is_active_with_no_successor() -> None:
    org = Organisation.register(name="Leeds Teaching Hospitals", kind="provider")

    assert org.status is OrganisationStatus.ACTIVE
    assert org.successor_id is None
    assert org.kind is OrganisationKind.PROVIDER
    assert org.version == 1


def test_the_name_is_trimmed_of_surrounding_whitespace() -> None:
    org = Organisation.register(name="  Leeds Teaching Hospitals \n", kind="provider")

    assert org.name == "Leeds Teaching Hospitals"


@pytest.mark.parametrize("name", ["", " ", "   \t\n  "])
def test_an_empty_or_whitespace_name_is_refused_naming_the_name_field(name: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        Organisation.register(name=name, kind="provider")

    assert refused.value.field == "name"


def test_a_name_of_exactly_the_maximum_length_is_accepted() -> None:
    org = Organisation.register(name="x" * NAME_MAX, kind="provider")

    assert len(org.name) == NAME_MAX == 200


def test_a_name_longer_than_200_characters_is_refused() -> None:
    with pytest.raises(InvalidValue) as refused:
        Organisation.register(name="x" * (NAME_MAX + 1), kind="provider")

    assert refused.value.field == "name"


@pytest.mark.parametrize("control", ["\x00", "\x07", "\x1b", "\x7f", "\r", "\x9b"])
def test_a_name_containing_a_control_character_is_refused(control: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        Organisation.register(name=f"Leeds{control}Hospitals", kind="provider")

    assert refused.value.field == "name"
    assert "control characters" in refused.value.reason


@pytest.mark.parametrize("kind", ["commissioner", "provider", "partner"])
def test_each_listed_kind_is_accepted(kind: str) -> None:
    org = Organisation.register(name="An Organisation", kind=kind)

    assert org.kind == kind


@pytest.mark.parametrize("kind", ["", "hospital", "Provider", "provider ", "lead_commissioner"])
def test_a_kind_outside_the_choices_is_refused_listing_the_allowed_kinds(kind: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        Organisation.register(name="An Organisation", kind=kind)

    assert refused.value.field == "kind"
    assert "commissioner, provider, partner" in refused.value.reason


@pytest.mark.parametrize(
    ("given", "stored"),
    [("rx1", "RX1"), (" 15m ", "15M"), ("Rth08", "RTH08"), ("ABCDE12345", "ABCDE12345")],
)
def test_an_ods_code_is_trimmed_and_stored_in_upper_case(given: str, stored: str) -> None:
    org = Organisation.register(name="A Trust", kind="provider", ods_code=given)

    assert org.ods_code == stored
    assert pending(org)[0].ods_code == stored


@pytest.mark.parametrize("given", [None, "", "   "])
def test_a_missing_or_blank_ods_code_is_recorded_as_none(given: str | None) -> None:
    org = Organisation.register(name="A Trust", kind="provider", ods_code=given)

    assert org.ods_code is None


@pytest.mark.parametrize("code", ["R1", "ABCDE123456", "RX-1", "RX 1", "RX1!", "RÖ1", "R_1"])
def test_an_ods_code_that_is_not_3_to_10_letters_or_digits_is_refused(code: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        Organisation.register(name="A Trust", kind="provider", ods_code=code)

    assert refused.value.field == "ods_code"


# Renaming


def test_renaming_records_a_renamed_event_and_changes_the_name() -> None:
    org = organisation(name="Old Name")

    org.rename("  New Name ")

    assert org.name == "New Name"
    assert recorded(org) == ["Renamed"]


def test_renaming_to_the_same_name_records_nothing() -> None:
    org = organisation(name="Same Name")

    org.rename(" Same Name ")

    assert recorded(org) == []


def test_renaming_to_an_invalid_name_is_refused_and_records_nothing() -> None:
    org = organisation(name="Kept Name")

    with pytest.raises(InvalidValue) as refused:
        org.rename("   ")

    assert refused.value.field == "name"
    assert org.name == "Kept Name"
    assert recorded(org) == []


# Merging


def test_merging_records_the_successor_and_marks_the_organisation_merged() -> None:
    old, new = organisation(name="Old Trust"), organisation(name="New Trust")

    old.merge_into(new)

    assert old.status is OrganisationStatus.MERGED
    assert old.successor_id == new.id
    events = collected(old)
    assert [type(e).__name__ for e in events] == ["Merged"]
    assert events[0].successor_id == new.id


def test_merging_records_nothing_on_the_successor() -> None:
    old, new = organisation(name="Old Trust"), organisation(name="New Trust")

    old.merge_into(new)

    assert recorded(new) == []
    assert new.status is OrganisationStatus.ACTIVE


def test_merging_an_organisation_into_itself_is_refused_naming_successor_id() -> None:
    org = organisation()

    with pytest.raises(InvalidValue) as refused:
        org.merge_into(org)

    assert refused.value.field == "successor_id"
    assert org.status is OrganisationStatus.ACTIVE
    assert recorded(org) == []


def test_merging_into_a_merged_organisation_is_refused() -> None:
    org = organisation()

    with pytest.raises(RuleViolation):
        org.merge_into(merged())

    assert org.status is OrganisationStatus.ACTIVE
    assert recorded(org) == []


def test_merging_into_a_dissolved_organisation_is_refused() -> None:
    org = organisation()

    with pytest.raises(RuleViolation):
        org.merge_into(dissolved())

    assert recorded(org) == []


# Dissolving


def test_dissolving_records_a_dissolved_event_and_marks_the_organisation_dissolved() -> None:
    org = organisation()

    org.dissolve()

    assert org.status is OrganisationStatus.DISSOLVED
    assert recorded(org) == ["Dissolved"]


# Merged and dissolved organisations accept no activity


@pytest.mark.parametrize("ended", [merged, dissolved], ids=["merged", "dissolved"])
def test_an_ended_organisation_refuses_to_be_renamed(ended: Callable[[], Organisation]) -> None:
    org = ended()

    with pytest.raises(RuleViolation):
        org.rename("A New Name")

    assert recorded(org) == []


@pytest.mark.parametrize("ended", [merged, dissolved], ids=["merged", "dissolved"])
def test_an_ended_organisation_refuses_to_be_merged_again(
    ended: Callable[[], Organisation],
) -> None:
    org = ended()

    with pytest.raises(RuleViolation):
        org.merge_into(organisation(name="Another Trust"))

    assert recorded(org) == []


@pytest.mark.parametrize("ended", [merged, dissolved], ids=["merged", "dissolved"])
def test_an_ended_organisation_refuses_to_be_dissolved(ended: Callable[[], Organisation]) -> None:
    org = ended()

    with pytest.raises(RuleViolation):
        org.dissolve()

    assert recorded(org) == []


def test_a_merged_organisation_names_its_successor_when_refusing_activity() -> None:
    org = merged()

    with pytest.raises(RuleViolation) as refused:
        org.check_accepts_activity()

    assert str(org.successor_id) in refused.value.message
