"""Programme: lead commissioner, participants, workstreams and details, in memory."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from domain.errors import InvalidValue, RuleViolation, UniquenessConflict
from domain.organisation import Organisation
from domain.programme import Programme
from domain.values import TEXT_MAX, ParticipationRole
from tests.unit.support import collected, dissolved, merged, organisation, pending, recorded


def commissioner(name: str = "NHS West Yorkshire ICB") -> Organisation:
    return organisation("commissioner", name)


def programme(lead: Organisation | None = None) -> Programme:
    created = Programme.create(
        "Urgent Care Redesign", "Joining up urgent care", lead or commissioner()
    )
    created.collect_events()
    return created


# Creating


def test_creating_records_one_created_event_naming_the_lead_commissioner() -> None:
    lead = commissioner()

    created = Programme.create(" Urgent Care Redesign ", " Joining up ", lead)

    events = pending(created)
    assert [type(e).__name__ for e in events] == ["Created"]
    assert (events[0].title, events[0].description, events[0].lead_commissioner_id) == (
        "Urgent Care Redesign",
        "Joining up",
        lead.id,
    )


def test_the_lead_commissioner_is_the_first_participant_in_the_lead_role() -> None:
    lead = commissioner()

    created = Programme.create("Urgent Care Redesign", "", lead)

    assert created.participants == {lead.id: ParticipationRole.LEAD_COMMISSIONER}
    assert created.workstreams == []


@pytest.mark.parametrize("kind", ["provider", "partner"])
def test_a_lead_that_is_not_a_commissioner_is_refused_naming_lead_commissioner_id(
    kind: str,
) -> None:
    with pytest.raises(InvalidValue) as refused:
        Programme.create("Urgent Care Redesign", "", organisation(kind))

    assert refused.value.field == "lead_commissioner_id"


@pytest.mark.parametrize("ended", [merged, dissolved], ids=["merged", "dissolved"])
def test_a_lead_commissioner_that_is_no_longer_active_is_refused(
    ended: Callable[[str], Organisation],
) -> None:
    with pytest.raises(RuleViolation):
        Programme.create("Urgent Care Redesign", "", ended("commissioner"))


@pytest.mark.parametrize("title", ["", "   ", "x" * 201, "Urgent\x00Care"])
def test_an_invalid_title_is_refused_naming_the_title_field(title: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        Programme.create(title, "", commissioner())

    assert refused.value.field == "title"


def test_the_description_may_be_empty() -> None:
    created = Programme.create("Urgent Care Redesign", "   ", commissioner())

    assert created.description == ""


def test_a_description_may_span_lines_up_to_5000_characters() -> None:
    description = "Line one\n\tLine two " + "x" * (TEXT_MAX - 19)

    created = Programme.create("Urgent Care Redesign", description, commissioner())

    assert created.description == description
    assert len(description) == TEXT_MAX


def test_a_description_longer_than_5000_characters_is_refused() -> None:
    with pytest.raises(InvalidValue) as refused:
        Programme.create("Urgent Care Redesign", "x" * (TEXT_MAX + 1), commissioner())

    assert refused.value.field == "description"


# Details


def test_updating_the_title_records_details_updated_keeping_the_description() -> None:
    prog = programme()

    prog.update_details(title="Urgent and Emergency Care")

    events = collected(prog)
    assert [type(e).__name__ for e in events] == ["DetailsUpdated"]
    assert (events[0].title, events[0].description) == (
        "Urgent and Emergency Care",
        "Joining up urgent care",
    )


def test_updating_the_description_keeps_the_title() -> None:
    prog = programme()

    prog.update_details(description="A new description")

    assert (prog.title, prog.description) == ("Urgent Care Redesign", "A new description")
    assert recorded(prog) == ["DetailsUpdated"]


@pytest.mark.parametrize(
    ("title", "description"),
    [
        (None, None),
        ("Urgent Care Redesign", None),
        (None, "Joining up urgent care"),
        (" Urgent Care Redesign ", " Joining up urgent care "),
    ],
)
def test_updating_details_to_what_they_already_are_records_nothing(
    title: str | None, description: str | None
) -> None:
    prog = programme()

    prog.update_details(title=title, description=description)

    assert recorded(prog) == []
    assert prog.version == 1


def test_updating_to_an_invalid_title_is_refused_and_records_nothing() -> None:
    prog = programme()

    with pytest.raises(InvalidValue) as refused:
        prog.update_details(title=" ", description="A new description")

    assert refused.value.field == "title"
    assert prog.description == "Joining up urgent care"
    assert recorded(prog) == []


# Participants


@pytest.mark.parametrize(
    ("kind", "role"),
    [("commissioner", "commissioner"), ("provider", "provider"), ("partner", "partner")],
)
def test_adding_a_participant_records_it_with_its_role(kind: str, role: str) -> None:
    prog, org = programme(), organisation(kind, "Participant")

    prog.add_participant(org, role)

    events = collected(prog)
    assert [type(e).__name__ for e in events] == ["ParticipantAdded"]
    assert (events[0].organisation_id, events[0].role) == (org.id, role)
    assert prog.participants[org.id] is ParticipationRole(role)


@pytest.mark.parametrize("role", ["", "lead", "Provider", "owner"])
def test_a_role_outside_the_choices_is_refused_naming_the_role_field(role: str) -> None:
    prog = programme()

    with pytest.raises(InvalidValue) as refused:
        prog.add_participant(organisation(), role)

    assert refused.value.field == "role"
    assert recorded(prog) == []


def test_a_second_lead_commissioner_is_refused_naming_the_role_field() -> None:
    prog = programme()

    with pytest.raises(InvalidValue) as refused:
        prog.add_participant(commissioner("Another ICB"), "lead_commissioner")

    assert refused.value.field == "role"
    assert recorded(prog) == []


def test_adding_an_organisation_that_already_participates_is_refused() -> None:
    prog, org = programme(), organisation()
    prog.add_participant(org, "provider")
    prog.collect_events()

    with pytest.raises(RuleViolation):
        prog.add_participant(org, "partner")

    assert prog.participants[org.id] is ParticipationRole.PROVIDER
    assert recorded(prog) == []


def test_adding_the_lead_commissioner_again_is_refused() -> None:
    lead = commissioner()
    prog = programme(lead)

    with pytest.raises(RuleViolation):
        prog.add_participant(lead, "commissioner")

    assert recorded(prog) == []


@pytest.mark.parametrize("ended", [merged, dissolved], ids=["merged", "dissolved"])
def test_adding_an_organisation_that_is_no_longer_active_is_refused(
    ended: Callable[[], Organisation],
) -> None:
    prog = programme()

    with pytest.raises(RuleViolation):
        prog.add_participant(ended(), "provider")

    assert recorded(prog) == []


def test_removing_a_participant_records_it_and_it_no_longer_participates() -> None:
    prog, org = programme(), organisation()
    prog.add_participant(org, "provider")
    prog.collect_events()

    prog.remove_participant(org.id)

    events = collected(prog)
    assert [type(e).__name__ for e in events] == ["ParticipantRemoved"]
    assert events[0].organisation_id == org.id
    assert org.id not in prog.participants


def test_a_removed_participant_may_be_added_again() -> None:
    prog, org = programme(), organisation()
    prog.add_participant(org, "provider")
    prog.remove_participant(org.id)
    prog.collect_events()

    prog.add_participant(org, "partner")

    assert prog.participants[org.id] is ParticipationRole.PARTNER


def test_the_lead_commissioner_cannot_be_removed() -> None:
    lead = commissioner()
    prog = programme(lead)

    with pytest.raises(RuleViolation):
        prog.remove_participant(lead.id)

    assert prog.participants[lead.id] is ParticipationRole.LEAD_COMMISSIONER
    assert recorded(prog) == []


def test_removing_an_organisation_that_does_not_participate_is_refused() -> None:
    prog = programme()

    with pytest.raises(RuleViolation):
        prog.remove_participant(organisation().id)

    assert recorded(prog) == []


# Workstreams


def test_adding_a_workstream_records_it_and_returns_it() -> None:
    prog = programme()

    workstream = prog.add_workstream("  Mental Health ")

    events = collected(prog)
    assert [type(e).__name__ for e in events] == ["WorkstreamAdded"]
    assert (events[0].workstream_id, events[0].name) == (workstream.id, "Mental Health")
    assert prog.workstreams == [workstream]


def test_workstreams_keep_the_order_they_were_added_in() -> None:
    prog = programme()

    names = ["Hospital Services", "Community Care", "Mental Health"]
    for name in names:
        prog.add_workstream(name)

    assert [w.name for w in prog.workstreams] == names
    assert len({w.id for w in prog.workstreams}) == 3


@pytest.mark.parametrize("duplicate", ["Mental Health", "mental health", " MENTAL HEALTH "])
def test_a_workstream_name_already_used_is_refused_whatever_its_case(duplicate: str) -> None:
    prog = programme()
    prog.add_workstream("Mental Health")
    prog.collect_events()

    with pytest.raises(UniquenessConflict) as refused:
        prog.add_workstream(duplicate)

    assert refused.value.field == "name"
    assert len(prog.workstreams) == 1
    assert recorded(prog) == []


def test_workstream_names_are_compared_by_full_case_folding() -> None:
    prog = programme()
    prog.add_workstream("Straße")
    prog.collect_events()

    with pytest.raises(UniquenessConflict):
        prog.add_workstream("STRASSE")


@pytest.mark.parametrize("name", ["", "  ", "x" * 201, "Mental\x07Health"])
def test_an_invalid_workstream_name_is_refused_naming_the_name_field(name: str) -> None:
    prog = programme()

    with pytest.raises(InvalidValue) as refused:
        prog.add_workstream(name)

    assert refused.value.field == "name"
    assert recorded(prog) == []
