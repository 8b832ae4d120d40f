"""Organisation use cases against real stores (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest

from domain.errors import (
    NotFound,
    ReferenceNotFound,
    RuleViolation,
    StaleVersion,
    UniquenessConflict,
)
from infra.bootstrap import Container
from tests.integration.support import events_after, head, names_after, person, provider


def test_registered_organisation_is_listed_in_the_directory(container: Container) -> None:
    organisation = container.app.register_organisation(
        by=None, name="NHS West Yorkshire ICB", kind="commissioner", ods_code="QWO"
    )
    container.catch_up()

    page = container.directory.list_organisations(kind=None, status=None, limit=10, offset=0)

    assert page.total == 1
    assert page.items[0]["id"] == str(organisation.id)
    assert page.items[0]["ods_code"] == "QWO"


def test_ods_code_already_registered_is_refused_and_records_nothing(container: Container) -> None:
    container.app.register_organisation(by=None, name="A", kind="provider", ods_code="RR8")
    before = head(container)

    with pytest.raises(UniquenessConflict):
        container.app.register_organisation(by=None, name="B", kind="provider", ods_code="rr8")

    assert head(container) == before


def test_registering_records_the_organisation_and_its_ods_code_claim_by_the_actor(
    container: Container,
) -> None:
    actor = person(container).id
    before = head(container)

    organisation = container.app.register_organisation(
        by=actor, name="Leeds Teaching Hospitals", kind="provider", ods_code="rr8"
    )

    events = events_after(container, before)
    assert [type(e).__qualname__ for e in events] == [
        "Organisation.Registered",
        "UniqueValue.Claimed",
    ]
    assert {e.actor_id for e in events} == {actor}
    assert events[0].originator_id == organisation.id
    assert events[0].ods_code == "RR8"


def test_registering_without_an_ods_code_records_only_the_organisation(
    container: Container,
) -> None:
    before = head(container)

    provider(container)

    assert names_after(container, before) == ["Organisation.Registered"]


def test_organisations_without_ods_codes_do_not_conflict(container: Container) -> None:
    provider(container, "First Trust")
    provider(container, "Second Trust")
    container.catch_up()

    page = container.directory.list_organisations(kind=None, status=None, limit=10, offset=0)

    assert [row["name"] for row in page.items] == ["First Trust", "Second Trust"]


def test_the_directory_shows_a_registered_organisation_in_full(container: Container) -> None:
    organisation = container.app.register_organisation(
        by=None, name="Leeds Teaching Hospitals", kind="provider", ods_code=" rr8 "
    )
    container.catch_up()

    row = container.directory.organisation(str(organisation.id))

    assert row is not None
    assert {k: row[k] for k in ("name", "kind", "ods_code", "status", "successor_id")} == {
        "name": "Leeds Teaching Hospitals",
        "kind": "provider",
        "ods_code": "RR8",
        "status": "active",
        "successor_id": None,
    }
    assert row["version"] == 1
    assert row["created_at"] == row["updated_at"]


def test_an_ods_code_refused_as_taken_names_the_field_and_the_existing_owner(
    container: Container,
) -> None:
    first = container.app.register_organisation(by=None, name="A", kind="provider", ods_code="RR8")
    before = head(container)

    with pytest.raises(UniquenessConflict) as refused:
        container.app.register_organisation(by=None, name="B", kind="partner", ods_code=" Rr8")

    assert refused.value.field == "ods_code"
    assert refused.value.existing_id == first.id
    assert head(container) == before
    container.catch_up()
    page = container.directory.list_organisations(kind=None, status=None, limit=10, offset=0)
    assert [row["name"] for row in page.items] == ["A"]


def test_renaming_records_renamed_and_the_directory_shows_the_new_name(
    container: Container,
) -> None:
    organisation = provider(container, "Old Name")
    before = head(container)

    renamed = container.app.rename_organisation(
        by=None, organisation_id=organisation.id, name="New Name", expected_version=1
    )
    container.catch_up()

    assert names_after(container, before) == ["Organisation.Renamed"]
    assert renamed.version == 2
    row = container.directory.organisation(str(organisation.id))
    assert row is not None
    assert (row["name"], row["version"]) == ("New Name", 2)
    assert row["updated_at"] > row["created_at"]


def test_renaming_based_on_an_old_version_is_refused_as_stale_and_records_nothing(
    container: Container,
) -> None:
    organisation = provider(container, "Name One")
    container.app.rename_organisation(
        by=None, organisation_id=organisation.id, name="Name Two", expected_version=1
    )
    before = head(container)

    with pytest.raises(StaleVersion) as refused:
        container.app.rename_organisation(
            by=None, organisation_id=organisation.id, name="Name Three", expected_version=1
        )

    assert (refused.value.expected, refused.value.actual) == (1, 2)
    assert head(container) == before
    container.catch_up()
    row = container.directory.organisation(str(organisation.id))
    assert row is not None
    assert row["name"] == "Name Two"


def test_renaming_without_an_expected_version_applies_to_the_current_version(
    container: Container,
) -> None:
    organisation = provider(container, "Name One")
    container.app.rename_organisation(
        by=None, organisation_id=organisation.id, name="Name Two", expected_version=None
    )

    renamed = container.app.rename_organisation(
        by=None, organisation_id=organisation.id, name="Name Three", expected_version=None
    )

    assert (renamed.name, renamed.version) == ("Name Three", 3)


def test_renaming_an_unknown_organisation_is_not_found(container: Container) -> None:
    stranger = person(container)

    with pytest.raises(NotFound) as refused:
        container.app.rename_organisation(
            by=None, organisation_id=stranger.id, name="X", expected_version=None
        )

    assert refused.value.kind == "organisation"


def test_merging_records_merged_and_the_directory_shows_the_successor(
    container: Container,
) -> None:
    old, new = provider(container, "Old Trust"), provider(container, "New Trust")
    before = head(container)

    container.app.merge_organisation(
        by=None, organisation_id=old.id, successor_id=new.id, expected_version=1
    )
    container.catch_up()

    assert names_after(container, before) == ["Organisation.Merged"]
    row = container.directory.organisation(str(old.id))
    assert row is not None
    assert (row["status"], row["successor_id"], row["version"]) == ("merged", str(new.id), 2)
    successor_row = container.directory.organisation(str(new.id))
    assert successor_row is not None
    assert (successor_row["status"], successor_row["version"]) == ("active", 1)


def test_merging_into_an_unknown_organisation_is_refused_naming_successor_id(
    container: Container,
) -> None:
    old = provider(container)
    before = head(container)

    with pytest.raises(ReferenceNotFound) as refused:
        container.app.merge_organisation(
            by=None,
            organisation_id=old.id,
            successor_id=person(container).id,
            expected_version=None,
        )

    assert refused.value.field == "successor_id"
    assert names_after(container, before) == ["Person.Registered", "UniqueValue.Claimed"]


def test_merging_into_a_dissolved_organisation_is_refused_and_records_nothing(
    container: Container,
) -> None:
    old, gone = provider(container, "Old Trust"), provider(container, "Gone Trust")
    container.app.dissolve_organisation(by=None, organisation_id=gone.id, expected_version=1)
    before = head(container)

    with pytest.raises(RuleViolation):
        container.app.merge_organisation(
            by=None, organisation_id=old.id, successor_id=gone.id, expected_version=1
        )

    assert head(container) == before


def test_merging_based_on_an_old_version_is_refused_as_stale(container: Container) -> None:
    old, new = provider(container, "Old Trust"), provider(container, "New Trust")
    container.app.rename_organisation(
        by=None, organisation_id=old.id, name="Older Trust", expected_version=1
    )
    before = head(container)

    with pytest.raises(StaleVersion):
        container.app.merge_organisation(
            by=None, organisation_id=old.id, successor_id=new.id, expected_version=1
        )

    assert head(container) == before


def test_dissolving_records_dissolved_and_the_directory_shows_it(container: Container) -> None:
    organisation = provider(container)
    before = head(container)

    container.app.dissolve_organisation(
        by=None, organisation_id=organisation.id, expected_version=1
    )
    container.catch_up()

    assert names_after(container, before) == ["Organisation.Dissolved"]
    page = container.directory.list_organisations(
        kind="provider", status="dissolved", limit=10, offset=0
    )
    assert [(row["id"], row["version"]) for row in page.items] == [(str(organisation.id), 2)]


def test_dissolving_based_on_an_old_version_is_refused_as_stale(container: Container) -> None:
    organisation = provider(container, "Name One")
    container.app.rename_organisation(
        by=None, organisation_id=organisation.id, name="Name Two", expected_version=1
    )
    before = head(container)

    with pytest.raises(StaleVersion):
        container.app.dissolve_organisation(
            by=None, organisation_id=organisation.id, expected_version=1
        )

    assert head(container) == before


def test_a_dissolved_organisation_refuses_renaming_and_records_nothing(
    container: Container,
) -> None:
    organisation = provider(container)
    container.app.dissolve_organisation(
        by=None, organisation_id=organisation.id, expected_version=None
    )
    before = head(container)

    with pytest.raises(RuleViolation):
        container.app.rename_organisation(
            by=None, organisation_id=organisation.id, name="Revived", expected_version=None
        )

    assert head(container) == before


def test_merging_carries_the_merged_organisations_participations_to_its_successor(
    container: Container,
) -> None:
    app = container.app
    old_ccg = app.register_organisation(by=None, name="Leeds CCG", kind="commissioner")
    icb = app.register_organisation(by=None, name="West Yorkshire ICB", kind="commissioner")
    trust = app.register_organisation(by=None, name="Leeds Trust", kind="provider")
    led = app.create_programme(
        by=None, title="Urgent care", description="", lead_commissioner_id=old_ccg.id
    )
    joined = app.create_programme(
        by=None, title="Frailty", description="", lead_commissioner_id=icb.id
    )
    app.add_participant(by=None, programme_id=led.id, organisation_id=trust.id, role="provider")
    app.add_participant(
        by=None, programme_id=joined.id, organisation_id=old_ccg.id, role="commissioner"
    )

    app.merge_organisation(
        by=None, organisation_id=old_ccg.id, successor_id=icb.id, expected_version=None
    )
    container.catch_up()

    led_row = container.directory.programme(str(led.id))
    joined_row = container.directory.programme(str(joined.id))
    assert led_row is not None
    assert joined_row is not None
    assert led_row["lead_commissioner_id"] == str(icb.id)
    assert {p["organisation_id"]: p["role"] for p in led_row["participants"]} == {
        str(icb.id): "lead_commissioner",
        str(trust.id): "provider",
    }
    assert {p["organisation_id"]: p["role"] for p in joined_row["participants"]} == {
        str(icb.id): "lead_commissioner"
    }
    history = [entry.type for entry in app.history(type(led), led.id)]
    assert history[-1] == "ParticipationTransferred"
