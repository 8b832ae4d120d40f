"""Use cases: who administers the platform, who audits which programme, and what a person
may read. The HTTP layer asks these questions once per request (services/api/access.py).

Standing in a programme comes from the records themselves (the person's current membership,
the programme's participants and auditors), not from the views, so a check is never behind
the log.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from domain.actor import acting_as
from domain.errors import Forbidden, RuleViolation
from domain.person import Person
from domain.platform_access import PlatformAdministrators
from domain.programme import Programme
from projections.directory_queries import DirectoryQueries
from services.use_cases.base import LedgerBase


@dataclass(frozen=True)
class Standing:
    """A person's standing in one programme."""

    administrator: bool
    #: Their current organisation participates in the programme.
    member: bool
    #: Their current organisation is the programme's lead commissioner.
    lead: bool
    auditor: bool

    @property
    def reads(self) -> bool:
        return self.administrator or self.member or self.auditor


class AccessUseCases(LedgerBase):
    # Platform administrators

    def is_administrator(self, person_id: UUID | None) -> bool:
        return self._is_platform_administrator(person_id)

    def administrator_ids(self) -> list[UUID]:
        administrators = self._platform_administrators()
        return sorted(administrators.person_ids, key=str) if administrators else []

    def _check_administrator(self, by: UUID | None, action: str) -> None:
        if not self.is_administrator(by):
            raise Forbidden(f"only a platform administrator can {action}")

    def grant_administrator(self, *, by: UUID | None, person_id: UUID) -> None:
        self._check_administrator(by, "make someone a platform administrator")
        self._load(Person, person_id, field="person_id")
        with acting_as(by):
            administrators = self._platform_administrators() or PlatformAdministrators()
            administrators.grant(person_id)
        self._save(administrators)

    def revoke_administrator(self, *, by: UUID | None, person_id: UUID) -> None:
        self._check_administrator(by, "revoke a platform administrator")
        administrators = self._platform_administrators()
        if administrators is None or not administrators.includes(person_id):
            raise RuleViolation(f"person {person_id} is not a platform administrator")
        with acting_as(by):
            administrators.revoke(person_id)
        self._save(administrators)

    # Auditors

    def appoint_auditor(
        self,
        *,
        by: UUID | None,
        programme_id: UUID,
        person_id: UUID,
        expected_version: int | None = None,
    ) -> Programme:
        """Platform administrators appoint auditors. An auditor stands apart from the board:
        a member of a participating organisation cannot also audit the programme."""
        self._check_administrator(by, "appoint an auditor")
        person = self._load(Person, person_id, field="person_id")
        with self._writing(Programme, programme_id, by, expected_version) as programme:
            if person.current_organisation_id in programme.participants:
                raise RuleViolation(
                    f"{person.name} is a member of an organisation taking part in this"
                    " programme, so cannot audit it"
                )
            programme.appoint_auditor(person_id)
        return programme

    def remove_auditor(
        self,
        *,
        by: UUID | None,
        programme_id: UUID,
        person_id: UUID,
        expected_version: int | None = None,
    ) -> Programme:
        self._check_administrator(by, "remove an auditor")
        with self._writing(Programme, programme_id, by, expected_version) as programme:
            programme.remove_auditor(person_id)
        return programme

    # What a person may see

    def current_organisation_of(self, person_id: UUID) -> UUID | None:
        found: Any
        try:
            found = self.repository.get(person_id)
        except AggregateNotFoundError:
            return None
        return found.current_organisation_id if isinstance(found, Person) else None

    def standing(
        self, person_id: UUID, programme_id: UUID, organisation_id: UUID | None
    ) -> Standing | None:
        """The person's standing in the programme, given their current organisation (see
        ``current_organisation_of``); None if there is no such programme."""
        found: Any
        try:
            found = self.repository.get(programme_id)
        except AggregateNotFoundError:
            return None
        if not isinstance(found, Programme):
            return None
        return Standing(
            administrator=self.is_administrator(person_id),
            member=organisation_id is not None and organisation_id in found.participants,
            lead=organisation_id is not None and organisation_id == found.lead_commissioner_id,
            auditor=person_id in found.auditor_ids,
        )

    def visible_programme_ids(self, person_id: UUID) -> list[str] | None:
        """The ids of the programmes a person reads, or None for all (an administrator).

        From the directory view: its organisation's programmes and the ones they audit.
        """
        if self.is_administrator(person_id):
            return None
        if self._views is None:
            raise RuntimeError("views are not attached; build the application with bootstrap()")
        organisation_id = self.current_organisation_of(person_id)
        return DirectoryQueries(self._views).programmes_visible_to(
            str(person_id), str(organisation_id) if organisation_id else None
        )
