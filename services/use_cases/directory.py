"""Use cases for the directory: organisations, people and programmes."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from eventsourcing.domain import Aggregate

from domain.actor import acting_as
from domain.errors import NotFound
from domain.organisation import Organisation
from domain.person import Person, email_of
from domain.programme import Programme, Workstream
from services.use_cases.base import LedgerBase

ODS_CODE = "ods_code"
EMAIL = "email"


class DirectoryUseCases(LedgerBase):
    def _on_organisation_merged(
        self, merged: Organisation, successor: Organisation
    ) -> list[Aggregate]:
        """Programmes the merged organisation took part in now have its successor instead."""
        carried = super()._on_organisation_merged(merged, successor)
        for row in self._query(
            "SELECT programme_id FROM dir_participants WHERE organisation_id = %(o)s",
            {"o": str(merged.id)},
        ):
            programme = self._load(Programme, UUID(row["programme_id"]))
            programme.transfer_participation(merged.id, successor)
            carried.append(programme)
        return carried

    # Organisations

    def register_organisation(
        self, *, by: UUID | None, name: str, kind: str, ods_code: str | None = None
    ) -> Organisation:
        with acting_as(by):
            organisation = Organisation.register(name=name, kind=kind, ods_code=ods_code)
            if organisation.ods_code is None:
                self._save(organisation)
                return organisation
            claim = self._claim(ODS_CODE, organisation.ods_code, organisation.id, ODS_CODE)
        self._save_claimed(organisation, claim, ODS_CODE)
        return organisation

    def rename_organisation(
        self, *, by: UUID | None, organisation_id: UUID, name: str, expected_version: int | None
    ) -> Organisation:
        with self._writing(Organisation, organisation_id, by, expected_version) as organisation:
            organisation.rename(name)
        return organisation

    def merge_organisation(
        self,
        *,
        by: UUID | None,
        organisation_id: UUID,
        successor_id: UUID,
        expected_version: int | None,
    ) -> Organisation:
        successor = self._load(Organisation, successor_id, field="successor_id")
        organisation = self._load(Organisation, organisation_id)
        self._check_version(organisation, expected_version)
        with acting_as(by):
            organisation.merge_into(successor)
            # What the merged organisation held passes to its successor, in the same
            # transaction, each carried-over record saying so in its own history.
            carried = self._on_organisation_merged(organisation, successor)
        self._save(organisation, *carried)
        return organisation

    def dissolve_organisation(
        self, *, by: UUID | None, organisation_id: UUID, expected_version: int | None
    ) -> Organisation:
        with self._writing(Organisation, organisation_id, by, expected_version) as organisation:
            organisation.dissolve()
        return organisation

    # People

    def register_person(
        self, *, by: UUID | None, name: str, email: str, about: str | None = None
    ) -> Person:
        with acting_as(by):
            person = Person.register(name=name, email=email, about=about)
            claim = self._claim(EMAIL, email_of(person), person.id, EMAIL)
        self._save_claimed(person, claim, EMAIL)
        return person

    def person_id_by_email(self, email: str) -> UUID:
        claim = self._existing_claim(EMAIL, email.strip().lower())
        # A released claim is an erased person's: their email finds no one.
        if claim is None or claim.owner_id is None:
            raise NotFound("person", email, by="email")
        return claim.owner_id

    def join_organisation(
        self,
        *,
        by: UUID | None,
        person_id: UUID,
        organisation_id: UUID,
        occurred_at: datetime | None = None,
        expected_version: int | None = None,
    ) -> Person:
        organisation = self._load(Organisation, organisation_id, field="organisation_id")
        with self._writing(Person, person_id, by, expected_version) as person:
            person.join(organisation, occurred_at)
        return person

    def leave_organisation(
        self,
        *,
        by: UUID | None,
        person_id: UUID,
        organisation_id: UUID,
        occurred_at: datetime | None = None,
        expected_version: int | None = None,
    ) -> Person:
        person = self._load(Person, person_id)
        self._check_version(person, expected_version)
        with acting_as(by):
            person.leave(organisation_id, occurred_at)
            # E.g. the roles they hold are flagged for handover; nothing is reassigned.
            flagged = self._on_person_leaving(person, organisation_id)
        self._save(person, *flagged)
        return person

    # Programmes

    def create_programme(
        self, *, by: UUID | None, title: str, description: str, lead_commissioner_id: UUID
    ) -> Programme:
        lead = self._load(Organisation, lead_commissioner_id, field="lead_commissioner_id")
        if not self._is_platform_administrator(by):
            self._check_acts_for(by, lead.id, "create a programme")
        with acting_as(by):
            programme = Programme.create(title, description, lead)
        self._save(programme)
        return programme

    def update_programme(
        self,
        *,
        by: UUID | None,
        programme_id: UUID,
        title: str | None,
        description: str | None,
        expected_version: int | None,
    ) -> Programme:
        with self._writing(Programme, programme_id, by, expected_version) as programme:
            programme.update_details(title, description)
        return programme

    def add_participant(
        self,
        *,
        by: UUID | None,
        programme_id: UUID,
        organisation_id: UUID,
        role: str,
        expected_version: int | None = None,
    ) -> Programme:
        organisation = self._load(Organisation, organisation_id, field="organisation_id")
        with self._writing(Programme, programme_id, by, expected_version) as programme:
            programme.add_participant(organisation, role)
        return programme

    def remove_participant(
        self,
        *,
        by: UUID | None,
        programme_id: UUID,
        organisation_id: UUID,
        expected_version: int | None = None,
    ) -> Programme:
        with self._writing(Programme, programme_id, by, expected_version) as programme:
            programme.remove_participant(organisation_id)
        return programme

    def add_workstream(
        self,
        *,
        by: UUID | None,
        programme_id: UUID,
        name: str,
        expected_version: int | None = None,
    ) -> tuple[Programme, Workstream]:
        with self._writing(Programme, programme_id, by, expected_version) as programme:
            workstream = programme.add_workstream(name)
        return programme, workstream
