"""History: the full audit trail of one record, oldest first, without secrets."""

from __future__ import annotations

import pytest

from domain.api_token import ApiToken, hash_secret
from domain.errors import NotFound
from domain.organisation import Organisation
from domain.person import Person
from domain.programme import Programme
from infra.bootstrap import Container
from tests.integration.support import commissioner, lived_in, person


def test_history_lists_every_event_of_a_record_oldest_first_with_its_actor(
    container: Container,
) -> None:
    admin, bob = person(container, "admin@example.org").id, person(container, "bob@example.org").id
    app = container.app
    app.grant_administrator(by=None, person_id=admin)
    lead = commissioner(container)
    programme = app.create_programme(
        by=admin, title="Urgent Care", description="", lead_commissioner_id=lead.id
    )
    app.add_workstream(by=bob, programme_id=programme.id, name="Mental Health")
    app.update_programme(
        by=None, programme_id=programme.id, title="UEC", description=None, expected_version=2
    )

    entries = app.history(Programme, programme.id)

    assert [(e.version, e.type, e.actor_id) for e in entries] == [
        (1, "Created", admin),
        (2, "WorkstreamAdded", bob),
        (3, "DetailsUpdated", None),
    ]
    assert [e.recorded_at for e in entries] == sorted(e.recorded_at for e in entries)
    assert entries[0].data == {
        "title": "Urgent Care",
        "description": "",
        "lead_commissioner_id": lead.id,
    }
    assert entries[1].data["name"] == "Mental Health"
    assert entries[2].data == {"title": "UEC", "description": ""}


def test_history_keeps_the_bookkeeping_fields_out_of_the_data(container: Container) -> None:
    ids = lived_in(container)

    entries = container.app.history(Organisation, ids["trust"])

    assert [e.type for e in entries] == ["Registered", "Renamed", "Merged"]
    hidden = {"originator_id", "originator_version", "timestamp", "originator_topic", "actor_id"}
    assert all(not hidden & set(e.data) for e in entries)
    assert {e.actor_id for e in entries} == {ids["admin"]}


def test_history_of_a_person_shows_every_membership_change(container: Container) -> None:
    ids = lived_in(container)

    entries = container.app.history(Person, ids["ada"])

    assert [e.type for e in entries] == [
        "Registered",
        "JoinedOrganisation",
        "LeftOrganisation",
        "JoinedOrganisation",
    ]
    assert [e.version for e in entries] == [1, 2, 3, 4]


def test_history_of_a_token_never_exposes_its_hash(container: Container) -> None:
    ada = person(container)
    secret, token = container.app.issue_token(by=None, person_id=ada.id, label="laptop")
    container.app.revoke_token(by=ada.id, token_id=token.id)

    entries = container.app.history(ApiToken, token.id)

    assert [e.type for e in entries] == ["Issued", "Revoked"]
    assert entries[0].data == {"person_id": ada.id, "label": "laptop", "expires_at": None}
    text = repr(entries)
    assert hash_secret(secret) not in text
    assert secret not in text
    assert all("token_hash" not in e.data for e in entries)


def test_history_of_an_unknown_record_is_not_found(container: Container) -> None:
    ids = lived_in(container)

    with pytest.raises(NotFound) as refused:
        container.app.history(Organisation, ids["ada"])

    assert refused.value.kind == "organisation"


def test_history_does_not_show_a_uniqueness_claim_as_a_record(container: Container) -> None:
    from domain.uniqueness import unique_value_id

    person(container, "ada@example.org")

    with pytest.raises(NotFound):
        container.app.history(Person, unique_value_id("email", "ada@example.org"))
