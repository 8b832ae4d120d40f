"""A programme board in a real store, for the role use-case tests."""

from __future__ import annotations

import itertools
from typing import Any
from uuid import UUID

from domain.role import Role
from infra.bootstrap import Container
from projections.roles import FLAGS, HANDOVERS, KNOWLEDGE_ITEMS, ROLES, RolesProjection
from projections.roles_queries import RoleQueries
from tests.integration.support import commissioner, provider

_emails = itertools.count(1)


class Board:
    """A programme led by an ICB with a trust taking part; a partner stays outside."""

    def __init__(self, container: Container) -> None:
        self.container = container
        self.app = container.app
        self.icb = commissioner(container).id
        self.trust = provider(container).id
        self.outsider = self.app.register_organisation(
            by=None, name="Outside Charity", kind="partner"
        ).id
        self.programme = self.app.create_programme(
            by=None, title="Urgent Care", description="", lead_commissioner_id=self.icb
        ).id
        self.app.add_participant(
            by=None, programme_id=self.programme, organisation_id=self.trust, role="provider"
        )
        self.chair = self.member(self.icb, "Chair")

    def member(self, organisation_id: UUID | None = None, name: str = "Someone") -> UUID:
        person = self.app.register_person(
            by=None, name=name, email=f"person{next(_emails)}@example.org"
        )
        if organisation_id is not None:
            self.app.join_organisation(
                by=None, person_id=person.id, organisation_id=organisation_id
            )
        return person.id

    def role(self, kind: str = "sro", programme: UUID | None = None, **kwargs: Any) -> Role:
        return self.app.define_role(
            by=self.chair, programme_id=programme or self.programme, kind=kind, **kwargs
        )

    def held(self, kind: str = "sro", **kwargs: Any) -> tuple[UUID, UUID, UUID]:
        """A role with a holder and a deputy, both of the ICB."""
        role = self.role(kind, **kwargs)
        holder, deputy = self.member(self.icb, "Holder"), self.member(self.icb, "Deputy")
        self.app.assign_role(by=self.chair, role_id=role.id, holder_id=holder, deputy_id=deputy)
        return role.id, holder, deputy

    def leave(self, person_id: UUID, organisation_id: UUID | None = None) -> None:
        self.app.leave_organisation(
            by=None, person_id=person_id, organisation_id=organisation_id or self.icb
        )

    def second_programme(self) -> UUID:
        programme = self.app.create_programme(
            by=None, title="Mental Health", description="", lead_commissioner_id=self.icb
        )
        return programme.id


def roles(container: Container) -> RoleQueries:
    container.catch_up()
    return RoleQueries(container.views)


def row(container: Container, role_id: UUID) -> dict[str, Any]:
    found = roles(container).role(str(role_id))
    assert found is not None
    return found


def view_rows(container: Container) -> dict[str, list[dict[str, Any]]]:
    """Every row of every roles table, in a stable order, for comparing whole views."""
    return {
        table: sorted(container.views.fetch_all(f"SELECT * FROM {table}"), key=repr)
        for table in RolesProjection.tables
    }


__all__ = ["FLAGS", "HANDOVERS", "KNOWLEDGE_ITEMS", "ROLES", "Board", "roles", "row", "view_rows"]
