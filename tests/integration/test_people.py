"""People use cases against real stores (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from domain.errors import (
    NotFound,
    ReferenceNotFound,
    RuleViolation,
    StaleVersion,
    UniquenessConflict,
)
from infra.bootstrap import Container
from projections.timefmt import iso
from tests.integration.support import events_after, head, names_after, person, provider


def days_ago(days: int) -> datetime:
    return datetime.now(UTC) - timedelta(days=days)


def test_registering_records_the_person_and_an_email_claim_by_the_actor(
    container: Container,
) -> None:
    actor = person(container, "admin@example.org").id
    before = head(container)

    ada = container.app.register_person(by=actor, name="Ada Lovelace", email="Ada@Example.ORG")

    events = events_after(container, before)
    assert [type(e).__qualname__ for e in events] == ["Person.Registered", "UniqueValue.Claimed"]
    assert {e.actor_id for e in events} == {actor}
    assert (events[0].originator_id, events[0].email) == (ada.id, "ada@example.org")


def test_the_directory_shows_a_registered_person_with_a_lower_cased_email(
    container: Container,
) -> None:
    ada = container.app.register_person(by=None, name="Ada Lovelace", email=" Ada@Example.ORG ")
    container.catch_up()

    row = container.directory.person(str(ada.id))

    assert row is not None
    assert (row["name"], row["email"], row["organisation_id"], row["version"]) == (
        "Ada Lovelace",
        "ada@example.org",
        None,
        1,
    )
    assert row["memberships"] == []
    assert container.directory.person_by_email("ada@example.org") == {
        k: v for k, v in row.items() if k != "memberships"
    }


@pytest.mark.parametrize("again", ["ada@example.org", "ADA@EXAMPLE.ORG", " Ada@Example.org "])
def test_an_email_already_registered_is_refused_whatever_its_case_and_records_nothing(
    container: Container, again: str
) -> None:
    first = container.app.register_person(by=None, name="Ada", email="Ada@example.org")
    before = head(container)

    with pytest.raises(UniquenessConflict) as refused:
        container.app.register_person(by=None, name="Another Ada", email=again)

    assert refused.value.field == "email"
    assert refused.value.existing_id == first.id
    assert head(container) == before
    container.catch_up()
    page = container.directory.list_people(organisation_id=None, limit=10, offset=0)
    assert [row["name"] for row in page.items] == ["Ada"]


def test_a_person_is_found_by_email_whatever_its_case(container: Container) -> None:
    ada = person(container, "ada@example.org")

    assert container.app.person_id_by_email(" ADA@example.Org ") == ada.id


def test_an_unknown_email_is_not_found(container: Container) -> None:
    with pytest.raises(NotFound):
        container.app.person_id_by_email("nobody@example.org")


def test_joining_records_joined_and_the_directory_shows_the_membership(
    container: Container,
) -> None:
    ada, trust = person(container), provider(container)
    when = days_ago(3)
    before = head(container)

    joined = container.app.join_organisation(
        by=None, person_id=ada.id, organisation_id=trust.id, occurred_at=when, expected_version=1
    )
    container.catch_up()

    assert names_after(container, before) == ["Person.JoinedOrganisation"]
    assert joined.version == 2
    row = container.directory.person(str(ada.id))
    assert row is not None
    assert (row["organisation_id"], row["version"]) == (str(trust.id), 2)
    assert row["memberships"] == [
        {"organisation_id": str(trust.id), "joined_at": iso(when), "left_at": None}
    ]
    page = container.directory.list_people(organisation_id=str(trust.id), limit=10, offset=0)
    assert [r["id"] for r in page.items] == [str(ada.id)]


def test_leaving_records_left_and_the_directory_ends_the_membership(
    container: Container,
) -> None:
    ada, trust = person(container), provider(container)
    joined_at, left_at = days_ago(3), days_ago(1)
    container.app.join_organisation(
        by=None, person_id=ada.id, organisation_id=trust.id, occurred_at=joined_at
    )
    before = head(container)

    container.app.leave_organisation(
        by=None,
        person_id=ada.id,
        organisation_id=trust.id,
        occurred_at=left_at,
        expected_version=2,
    )
    container.catch_up()

    assert names_after(container, before) == ["Person.LeftOrganisation"]
    row = container.directory.person(str(ada.id))
    assert row is not None
    assert (row["organisation_id"], row["version"]) == (None, 3)
    assert row["memberships"] == [
        {"organisation_id": str(trust.id), "joined_at": iso(joined_at), "left_at": iso(left_at)}
    ]


def test_the_directory_keeps_membership_history_across_moves(container: Container) -> None:
    ada, first, second = person(container), provider(container, "A"), provider(container, "B")
    t1, t2, t3 = days_ago(30), days_ago(20), days_ago(10)
    app = container.app
    app.join_organisation(by=None, person_id=ada.id, organisation_id=first.id, occurred_at=t1)
    app.leave_organisation(by=None, person_id=ada.id, organisation_id=first.id, occurred_at=t2)
    app.join_organisation(by=None, person_id=ada.id, organisation_id=second.id, occurred_at=t3)
    container.catch_up()

    row = container.directory.person(str(ada.id))

    assert row is not None
    assert row["organisation_id"] == str(second.id)
    assert row["memberships"] == [
        {"organisation_id": str(first.id), "joined_at": iso(t1), "left_at": iso(t2)},
        {"organisation_id": str(second.id), "joined_at": iso(t3), "left_at": None},
    ]


def test_the_directory_shows_a_move_made_at_the_instant_a_membership_began(
    container: Container,
) -> None:
    ada, first, second = person(container), provider(container, "A"), provider(container, "B")
    when = days_ago(1)
    app = container.app
    app.join_organisation(by=None, person_id=ada.id, organisation_id=first.id, occurred_at=when)
    app.leave_organisation(by=None, person_id=ada.id, organisation_id=first.id, occurred_at=when)
    app.join_organisation(by=None, person_id=ada.id, organisation_id=second.id, occurred_at=when)

    container.catch_up()

    row = container.directory.person(str(ada.id))
    assert row is not None
    assert row["organisation_id"] == str(second.id)
    assert len(row["memberships"]) == 2


def test_joining_based_on_an_old_version_is_refused_as_stale_and_records_nothing(
    container: Container,
) -> None:
    ada, first, second = person(container), provider(container, "A"), provider(container, "B")
    container.app.join_organisation(by=None, person_id=ada.id, organisation_id=first.id)
    container.app.leave_organisation(by=None, person_id=ada.id, organisation_id=first.id)
    before = head(container)

    with pytest.raises(StaleVersion):
        container.app.join_organisation(
            by=None, person_id=ada.id, organisation_id=second.id, expected_version=2
        )

    assert head(container) == before


def test_joining_an_unknown_organisation_is_refused_naming_organisation_id(
    container: Container,
) -> None:
    ada = person(container)
    before = head(container)

    with pytest.raises(ReferenceNotFound) as refused:
        container.app.join_organisation(by=None, person_id=ada.id, organisation_id=ada.id)

    assert refused.value.field == "organisation_id"
    assert head(container) == before


def test_joining_a_dissolved_organisation_is_refused_and_records_nothing(
    container: Container,
) -> None:
    ada, trust = person(container), provider(container)
    container.app.dissolve_organisation(by=None, organisation_id=trust.id, expected_version=1)
    before = head(container)

    with pytest.raises(RuleViolation):
        container.app.join_organisation(by=None, person_id=ada.id, organisation_id=trust.id)

    assert head(container) == before


def test_a_person_unknown_to_the_ledger_cannot_join(container: Container) -> None:
    trust = provider(container)

    with pytest.raises(NotFound) as refused:
        container.app.join_organisation(by=None, person_id=trust.id, organisation_id=trust.id)

    assert refused.value.kind == "person"
