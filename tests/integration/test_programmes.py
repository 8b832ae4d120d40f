"""Programme use cases against real stores (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest

from domain.errors import (
    InvalidValue,
    NotFound,
    ReferenceNotFound,
    RuleViolation,
    StaleVersion,
    UniquenessConflict,
)
from domain.programme import Programme
from infra.bootstrap import Container
from tests.integration.support import commissioner, events_after, head, names_after, provider


def create(container: Container, title: str = "Urgent Care") -> Programme:
    lead = commissioner(container)
    return container.app.create_programme(
        by=None, title=title, description="Joined up", lead_commissioner_id=lead.id
    )


def test_creating_records_created_and_the_directory_shows_the_lead_as_participant(
    container: Container,
) -> None:
    lead = commissioner(container)
    before = head(container)

    programme = container.app.create_programme(
        by=None, title=" Urgent Care ", description="Joined up", lead_commissioner_id=lead.id
    )
    container.catch_up()

    assert names_after(container, before) == ["Programme.Created"]
    row = container.directory.programme(str(programme.id))
    assert row is not None
    assert (row["title"], row["description"], row["lead_commissioner_id"], row["version"]) == (
        "Urgent Care",
        "Joined up",
        str(lead.id),
        1,
    )
    assert [(p["organisation_id"], p["role"]) for p in row["participants"]] == [
        (str(lead.id), "lead_commissioner")
    ]
    assert row["workstreams"] == []


def test_creating_with_an_unknown_lead_is_refused_naming_lead_commissioner_id(
    container: Container,
) -> None:
    programme = create(container)
    before = head(container)

    with pytest.raises(ReferenceNotFound) as refused:
        container.app.create_programme(
            by=None, title="T", description="", lead_commissioner_id=programme.id
        )

    assert refused.value.field == "lead_commissioner_id"
    assert head(container) == before


def test_creating_with_a_provider_as_lead_is_refused_and_records_nothing(
    container: Container,
) -> None:
    trust = provider(container)
    before = head(container)

    with pytest.raises(InvalidValue) as refused:
        container.app.create_programme(
            by=None, title="T", description="", lead_commissioner_id=trust.id
        )

    assert refused.value.field == "lead_commissioner_id"
    assert head(container) == before


def test_updating_records_details_updated_and_the_directory_shows_the_new_details(
    container: Container,
) -> None:
    programme = create(container)
    before = head(container)

    updated = container.app.update_programme(
        by=None,
        programme_id=programme.id,
        title="Urgent and Emergency Care",
        description=None,
        expected_version=1,
    )
    container.catch_up()

    assert names_after(container, before) == ["Programme.DetailsUpdated"]
    assert updated.version == 2
    row = container.directory.programme(str(programme.id))
    assert row is not None
    assert (row["title"], row["description"], row["version"]) == (
        "Urgent and Emergency Care",
        "Joined up",
        2,
    )


def test_programme_titles_are_the_current_titles_of_the_programmes_asked_for(
    container: Container,
) -> None:
    lead = commissioner(container)
    urgent, planned, other = (
        container.app.create_programme(
            by=None, title=title, description="Joined up", lead_commissioner_id=lead.id
        )
        for title in ("Urgent Care", "Planned Care", "Frailty")
    )
    container.app.update_programme(
        by=None,
        programme_id=urgent.id,
        title="Urgent and Emergency Care",
        description=None,
        expected_version=None,
    )
    container.catch_up()

    titles = container.directory.programme_titles(
        [str(urgent.id), str(planned.id), "00000000-0000-0000-0000-000000000000"]
    )

    assert titles == {str(urgent.id): "Urgent and Emergency Care", str(planned.id): "Planned Care"}
    assert str(other.id) not in titles
    assert container.directory.programme_titles([]) == {}


def test_updating_based_on_an_old_version_is_refused_as_stale_and_records_nothing(
    container: Container,
) -> None:
    programme = create(container)
    container.app.update_programme(
        by=None, programme_id=programme.id, title="Second", description=None, expected_version=1
    )
    before = head(container)

    with pytest.raises(StaleVersion) as refused:
        container.app.update_programme(
            by=None,
            programme_id=programme.id,
            title="Third",
            description=None,
            expected_version=1,
        )

    assert (refused.value.expected, refused.value.actual) == (1, 2)
    assert head(container) == before
    container.catch_up()
    row = container.directory.programme(str(programme.id))
    assert row is not None
    assert (row["title"], row["version"]) == ("Second", 2)


def test_updating_to_the_same_details_records_nothing(container: Container) -> None:
    programme = create(container, "Urgent Care")
    before = head(container)

    unchanged = container.app.update_programme(
        by=None,
        programme_id=programme.id,
        title="Urgent Care",
        description="Joined up",
        expected_version=1,
    )

    assert unchanged.version == 1
    assert head(container) == before


def test_updating_an_unknown_programme_is_not_found(container: Container) -> None:
    lead = commissioner(container)

    with pytest.raises(NotFound) as refused:
        container.app.update_programme(
            by=None, programme_id=lead.id, title="X", description=None, expected_version=None
        )

    assert refused.value.kind == "programme"


def test_adding_a_participant_records_it_and_the_directory_lists_it(
    container: Container,
) -> None:
    programme, trust = create(container), provider(container)
    before = head(container)

    container.app.add_participant(
        by=None,
        programme_id=programme.id,
        organisation_id=trust.id,
        role="provider",
        expected_version=1,
    )
    container.catch_up()

    events = events_after(container, before)
    assert [type(e).__qualname__ for e in events] == ["Programme.ParticipantAdded"]
    assert (events[0].organisation_id, events[0].role) == (trust.id, "provider")
    row = container.directory.programme(str(programme.id))
    assert row is not None
    assert row["version"] == 2
    assert {(p["organisation_id"], p["role"]) for p in row["participants"]} == {
        (str(programme.lead_commissioner_id), "lead_commissioner"),
        (str(trust.id), "provider"),
    }
    listed = container.directory.list_programmes(organisation_id=str(trust.id), limit=10, offset=0)
    assert [r["id"] for r in listed.items] == [str(programme.id)]


def test_removing_a_participant_records_it_and_the_directory_drops_it(
    container: Container,
) -> None:
    programme, trust = create(container), provider(container)
    container.app.add_participant(
        by=None, programme_id=programme.id, organisation_id=trust.id, role="provider"
    )
    before = head(container)

    container.app.remove_participant(
        by=None, programme_id=programme.id, organisation_id=trust.id, expected_version=2
    )
    container.catch_up()

    assert names_after(container, before) == ["Programme.ParticipantRemoved"]
    row = container.directory.programme(str(programme.id))
    assert row is not None
    assert row["version"] == 3
    assert [p["organisation_id"] for p in row["participants"]] == [
        str(programme.lead_commissioner_id)
    ]
    listed = container.directory.list_programmes(organisation_id=str(trust.id), limit=10, offset=0)
    assert listed.total == 0


def test_removing_the_lead_commissioner_is_refused_and_records_nothing(
    container: Container,
) -> None:
    programme = create(container)
    before = head(container)

    with pytest.raises(RuleViolation):
        container.app.remove_participant(
            by=None, programme_id=programme.id, organisation_id=programme.lead_commissioner_id
        )

    assert head(container) == before


def test_adding_a_participant_based_on_an_old_version_is_refused_as_stale(
    container: Container,
) -> None:
    programme, trust = create(container), provider(container)
    container.app.add_workstream(by=None, programme_id=programme.id, name="Mental Health")
    before = head(container)

    with pytest.raises(StaleVersion):
        container.app.add_participant(
            by=None,
            programme_id=programme.id,
            organisation_id=trust.id,
            role="provider",
            expected_version=1,
        )

    assert head(container) == before


def test_adding_a_workstream_records_it_and_the_directory_lists_it(
    container: Container,
) -> None:
    programme = create(container)
    before = head(container)

    _, workstream = container.app.add_workstream(
        by=None, programme_id=programme.id, name="Mental Health", expected_version=1
    )
    container.catch_up()

    events = events_after(container, before)
    assert [type(e).__qualname__ for e in events] == ["Programme.WorkstreamAdded"]
    assert (events[0].workstream_id, events[0].name) == (workstream.id, "Mental Health")
    row = container.directory.programme(str(programme.id))
    assert row is not None
    assert row["version"] == 2
    assert [(w["id"], w["name"]) for w in row["workstreams"]] == [
        (str(workstream.id), "Mental Health")
    ]


def test_a_duplicate_workstream_name_is_refused_whatever_its_case_and_records_nothing(
    container: Container,
) -> None:
    programme = create(container)
    container.app.add_workstream(by=None, programme_id=programme.id, name="Mental Health")
    before = head(container)

    with pytest.raises(UniquenessConflict) as refused:
        container.app.add_workstream(by=None, programme_id=programme.id, name="MENTAL health")

    assert refused.value.field == "name"
    assert head(container) == before


def test_adding_a_workstream_based_on_an_old_version_is_refused_as_stale(
    container: Container,
) -> None:
    programme = create(container)
    container.app.add_workstream(by=None, programme_id=programme.id, name="First")
    before = head(container)

    with pytest.raises(StaleVersion):
        container.app.add_workstream(
            by=None, programme_id=programme.id, name="Second", expected_version=1
        )

    assert head(container) == before
