"""Use cases: programme roles: definition, holders and deputies, handovers, flags for handover.

Who may act: a person who is a current member of an organisation taking part in the role's
programme (or ``by=None``, the platform itself). Anyone else is refused with 403. The same
rule covers defining, assigning, vacating, handing over and marking roles critical: a
programme's roles are the programme board's shared business, and a handover is often
recorded by the incoming holder or the board after the outgoing holder has left.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from eventsourcing.domain import Aggregate

from domain.actor import acting_as
from domain.errors import Forbidden, UniquenessConflict
from domain.organisation import Organisation
from domain.person import Person
from domain.programme import Programme
from domain.role import Role, RoleKind
from domain.uniqueness import UniqueValue
from projections.roles_queries import LEAD_ROLES_OF_ORGANISATION_SQL, ROLES_OF_PERSON_SQL
from services.use_cases.base import LedgerBase

#: The namespace of the claims that keep a programme's roles unique (see domain.role).
ROLE_KEY = "programme_role"


class RoleUseCases(LedgerBase):
    # Consequences of changes in the directory

    def _on_person_leaving(self, person: Person, organisation_id: UUID) -> list[Aggregate]:
        """Every role the person holds or deputises in is flagged for handover, not reassigned."""
        flagged = super()._on_person_leaving(person, organisation_id)
        for row in self._query(ROLES_OF_PERSON_SQL, {"p": str(person.id)}):
            role = self._load(Role, UUID(row["id"]))
            if role.flag_for_handover(person, organisation_id):
                flagged.append(role)
        return flagged

    def _on_organisation_merged(
        self, merged: Organisation, successor: Organisation
    ) -> list[Aggregate]:
        """The merged organisation's named-lead roles become the successor's."""
        carried = super()._on_organisation_merged(merged, successor)
        claimed: set[str] = set()
        for row in self._query(LEAD_ROLES_OF_ORGANISATION_SQL, {"o": str(merged.id)}):
            role = self._load(Role, UUID(row["id"]))
            role.pass_to_successor(merged, successor)
            carried.append(role)
            # Keep the successor's named lead unique in the programme from now on. If the
            # successor already had one there, both roles stand: nothing is dropped silently.
            key = role.uniqueness_key
            if key not in claimed and self._existing_claim(ROLE_KEY, key) is None:
                claimed.add(key)
                carried.append(UniqueValue(namespace=ROLE_KEY, value=key, owner_id=role.id))
        return carried

    # Who may act

    def _check_acts_in_programme(self, by: UUID | None, programme: Programme, action: str) -> None:
        """Only a current member of a participating organisation may act on its roles (403)."""
        if by is None:
            return
        person = self._load(Person, by)
        organisation_id = person.current_organisation_id
        if organisation_id is None or organisation_id not in programme.participants:
            raise Forbidden(
                f"{person.name} is not a member of an organisation taking part in programme"
                f" '{programme.title}', so cannot {action}"
            )

    def _role_in_programme(
        self, role_id: UUID, by: UUID | None, expected_version: int | None, action: str
    ) -> tuple[Role, Programme]:
        role = self._load(Role, role_id)
        programme = self._load(Programme, role.programme_id)
        self._check_acts_in_programme(by, programme, action)
        self._check_version(role, expected_version)
        return role, programme

    # Defining

    def define_role(
        self,
        *,
        by: UUID | None,
        programme_id: UUID,
        kind: str,
        title: str | None = None,
        organisation_id: UUID | None = None,
        critical: bool = False,
    ) -> Role:
        programme = self._load(Programme, programme_id)
        self._check_acts_in_programme(by, programme, "define its roles")
        organisation = (
            None
            if organisation_id is None
            else self._load(Organisation, organisation_id, field="organisation_id")
        )
        with acting_as(by):
            role = Role.define(programme, kind, title, organisation, critical)
            key = role.uniqueness_key
            existing = self._existing_claim(ROLE_KEY, key)
            if existing is not None:
                field, message = _duplicate(role, programme)
                raise UniquenessConflict(field, message, existing.owner_id)
            claim = UniqueValue(namespace=ROLE_KEY, value=key, owner_id=role.id)
        self._save(role, claim)
        return role

    # Criticality

    def set_role_critical(
        self,
        *,
        by: UUID | None,
        role_id: UUID,
        critical: bool,
        expected_version: int | None = None,
    ) -> Role:
        role, _ = self._role_in_programme(role_id, by, expected_version, "mark its roles critical")
        with acting_as(by):
            role.set_critical(critical)
        self._save(role)
        return role

    # Holder and deputy

    def assign_role(
        self,
        *,
        by: UUID | None,
        role_id: UUID,
        holder_id: UUID,
        deputy_id: UUID | None = None,
        expected_version: int | None = None,
    ) -> Role:
        role, programme = self._role_in_programme(role_id, by, expected_version, "assign roles")
        holder = self._load(Person, holder_id, field="holder_id")
        deputy = None if deputy_id is None else self._load(Person, deputy_id, field="deputy_id")
        with acting_as(by):
            role.assign(programme, holder, deputy)
        self._save(role)
        return role

    def vacate_role(
        self,
        *,
        by: UUID | None,
        role_id: UUID,
        reason: str | None = None,
        expected_version: int | None = None,
    ) -> Role:
        role, _ = self._role_in_programme(role_id, by, expected_version, "vacate roles")
        with acting_as(by):
            role.vacate(reason)
        self._save(role)
        return role

    # Handover

    def hand_over_role(
        self,
        *,
        by: UUID | None,
        role_id: UUID,
        to_person_id: UUID,
        knowledge_items: list[str],
        outgoing_reachable: bool,
        occurred_at: datetime | None = None,
        expected_version: int | None = None,
    ) -> Role:
        role, programme = self._role_in_programme(role_id, by, expected_version, "hand roles over")
        to = self._load(Person, to_person_id, field="to_person_id")
        with acting_as(by):
            role.hand_over(programme, to, knowledge_items, outgoing_reachable, occurred_at)
        self._save(role)
        return role


def _duplicate(role: Role, programme: Programme) -> tuple[str, str]:
    """The field that makes a role a duplicate, and why."""
    if role.kind is RoleKind.ORGANISATION_LEAD:
        return "organisation_id", (
            f"organisation {role.organisation_id} already has a named lead role"
            f" in programme '{programme.title}'"
        )
    if role.kind is RoleKind.CUSTOM:
        return "title", f"programme '{programme.title}' already has a role titled '{role.title}'"
    return "kind", f"programme '{programme.title}' already has a role of kind {role.kind.value}"
