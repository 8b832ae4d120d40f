"""Helpers for use-case tests: what the log holds, and the whole directory view as rows."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from domain.organisation import Organisation
from domain.person import Person
from infra.bootstrap import Container
from projections.directory import DirectoryProjection


def head(container: Container) -> int:
    """The id of the newest notification in the log (0 when empty)."""
    return container.app.recorder.max_notification_id() or 0


def events_after(container: Container, position: int) -> list[Any]:
    """Every event recorded after a notification id, oldest first."""
    notifications = container.app.recorder.select_notifications(start=position + 1, limit=100_000)
    return [container.app.mapper.to_domain_event(n) for n in notifications]


def names_after(container: Container, position: int) -> list[str]:
    """Qualified names ("Person.Registered") of the events recorded after a position."""
    return [type(e).__qualname__ for e in events_after(container, position)]


def notification_ids(container: Container) -> list[int]:
    return [n.id for n in container.app.recorder.select_notifications(start=1, limit=100_000)]


def view_rows(container: Container) -> dict[str, list[dict[str, Any]]]:
    """Every row of every directory table, in a stable order, for comparing whole views."""
    return {
        table: sorted(container.views.fetch_all(f"SELECT * FROM {table}"), key=repr)
        for table in DirectoryProjection.tables
    }


def commissioner(container: Container, name: str = "NHS West Yorkshire ICB") -> Organisation:
    return container.app.register_organisation(by=None, name=name, kind="commissioner")


def provider(container: Container, name: str = "Leeds Teaching Hospitals") -> Organisation:
    return container.app.register_organisation(by=None, name=name, kind="provider")


def person(container: Container, email: str = "ada@example.org", name: str = "Ada") -> Person:
    return container.app.register_person(by=None, name=name, email=email)


def lived_in(container: Container, step: Callable[[], object] = lambda: None) -> dict[str, UUID]:
    """Record one of every kind of event, with actors, so views have something of each.

    ``step`` runs after every command, e.g. to catch the views up as a live server would.
    """
    app = container.app
    admin = person(container, "admin@example.org", "Admin")
    app.grant_administrator(by=None, person_id=admin.id)
    step()
    by = admin.id
    lead = app.register_organisation(by=by, name="ICB", kind="commissioner", ods_code="qwo")
    step()
    trust = app.register_organisation(by=by, name="Trust", kind="provider", ods_code="RR8")
    step()
    partner = app.register_organisation(by=by, name="Charity", kind="partner")
    step()
    successor = app.register_organisation(by=by, name="New Trust", kind="provider")
    step()
    app.rename_organisation(by=by, organisation_id=trust.id, name="Old Trust", expected_version=1)
    step()
    ada = app.register_person(by=by, name="Ada", email="Ada@Example.org")
    step()
    app.join_organisation(by=by, person_id=ada.id, organisation_id=trust.id)
    step()
    app.leave_organisation(by=by, person_id=ada.id, organisation_id=trust.id)
    step()
    app.join_organisation(by=by, person_id=ada.id, organisation_id=successor.id)
    step()
    programme = app.create_programme(
        by=by, title="Urgent Care", description="Joined up", lead_commissioner_id=lead.id
    )
    step()
    app.update_programme(
        by=by,
        programme_id=programme.id,
        title="Urgent and Emergency Care",
        description=None,
        expected_version=1,
    )
    step()
    app.add_participant(by=by, programme_id=programme.id, organisation_id=trust.id, role="provider")
    step()
    app.add_participant(
        by=by, programme_id=programme.id, organisation_id=partner.id, role="partner"
    )
    step()
    app.remove_participant(by=by, programme_id=programme.id, organisation_id=partner.id)
    step()
    app.add_workstream(by=by, programme_id=programme.id, name="Mental Health")
    step()
    app.add_workstream(by=by, programme_id=programme.id, name="Community Care")
    step()
    auditor = app.register_person(by=by, name="Arun", email="arun@example.org")
    step()
    app.appoint_auditor(by=by, programme_id=programme.id, person_id=auditor.id)
    step()
    app.merge_organisation(
        by=by, organisation_id=trust.id, successor_id=successor.id, expected_version=None
    )
    step()
    app.dissolve_organisation(by=by, organisation_id=partner.id, expected_version=None)
    step()
    _, token = app.issue_token(by=by, person_id=ada.id, label="laptop")
    step()
    app.issue_token(by=by, person_id=ada.id, label="desktop")
    step()
    app.revoke_token(by=by, token_id=token.id)
    step()
    return {
        "admin": admin.id,
        "ada": ada.id,
        "lead": lead.id,
        "trust": trust.id,
        "partner": partner.id,
        "successor": successor.id,
        "programme": programme.id,
        "token": token.id,
    }
