"""Use cases: shared-purpose statements: drafts, revisions, endorsements, disputes, adoption."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.domain import Aggregate

from domain.actor import acting_as
from domain.errors import Forbidden, NotFound, RuleViolation
from domain.organisation import Organisation
from domain.person import Person
from domain.programme import Programme
from domain.shared_purpose import SharedPurpose, StatementNotFound, statement_id
from projections.shared_purpose_queries import STATEMENTS_WITH_CURRENT_POSITION_OF
from services.use_cases.base import LedgerBase


class SharedPurposeUseCases(LedgerBase):
    def _on_organisation_merged(self, merged: Any, successor: Any) -> list[Aggregate]:
        """The merged organisation's position on each current text passes to its successor
        (unless the successor has its own), each statement recording what happened."""
        carried = super()._on_organisation_merged(merged, successor)
        for row in self._query(STATEMENTS_WITH_CURRENT_POSITION_OF, {"o": str(merged.id)}):
            statement = self._load(SharedPurpose, UUID(row["statement_id"]))
            if statement.carry_position(merged.id, successor.id):
                carried.append(statement)
        return carried

    # Writing

    def draft_shared_purpose(
        self,
        *,
        by: UUID | None,
        programme_id: UUID,
        text: str,
        occurred_at: datetime | None = None,
    ) -> SharedPurpose:
        """The programme's first statement, version 1. A second draft is refused: revise."""
        programme = self._load(Programme, programme_id)
        self._check_drafts_for(by, programme, "draft")
        existing = self._statement_or_none(programme_id)
        if existing is not None:
            raise RuleViolation(
                f"programme '{programme.title}' already has a shared-purpose statement"
                f" (version {existing.current.number}); submit a revision instead"
            )
        with acting_as(by):
            statement = SharedPurpose.draft(programme, text, drafted_by=by, occurred_at=occurred_at)
        self._save(statement)
        return statement

    def revise_shared_purpose(
        self,
        *,
        by: UUID | None,
        programme_id: UUID,
        text: str,
        occurred_at: datetime | None = None,
        expected_version: int | None = None,
    ) -> SharedPurpose:
        """A new numbered version; positions start afresh and the old ones stay readable."""
        programme = self._load(Programme, programme_id)
        statement = self._statement(programme_id)
        self._check_version(statement, expected_version)
        self._check_drafts_for(by, programme, "revise")
        with acting_as(by):
            statement.revise(text, drafted_by=by, occurred_at=occurred_at)
        self._save(statement)
        return statement

    def endorse_shared_purpose(
        self,
        *,
        by: UUID | None,
        programme_id: UUID,
        organisation_id: UUID,
        version: int,
        occurred_at: datetime | None = None,
        expected_version: int | None = None,
    ) -> SharedPurpose:
        """An organisation, through one of its members, endorses the current version."""
        programme, statement, organisation = self._positioning(
            by, programme_id, organisation_id, expected_version, "endorse"
        )
        with acting_as(by):
            statement.endorse(
                programme, organisation, version, person_id=by, occurred_at=occurred_at
            )
        self._save(statement)
        return statement

    def dispute_shared_purpose(
        self,
        *,
        by: UUID | None,
        programme_id: UUID,
        organisation_id: UUID,
        version: int,
        reason: str,
        occurred_at: datetime | None = None,
        expected_version: int | None = None,
    ) -> SharedPurpose:
        """An organisation, through one of its members, disputes the current version."""
        programme, statement, organisation = self._positioning(
            by, programme_id, organisation_id, expected_version, "dispute"
        )
        with acting_as(by):
            statement.dispute(
                programme, organisation, version, reason, person_id=by, occurred_at=occurred_at
            )
        self._save(statement)
        return statement

    def adopt_shared_purpose(
        self,
        *,
        by: UUID | None,
        programme_id: UUID,
        version: int,
        rationale: str = "",
        occurred_at: datetime | None = None,
        expected_version: int | None = None,
    ) -> SharedPurpose:
        """The board, through a member of the lead commissioner, adopts the current version."""
        programme = self._load(Programme, programme_id)
        statement = self._statement(programme_id)
        self._check_version(statement, expected_version)
        if by is not None:
            person = self._load(Person, by)
            if person.current_organisation_id != programme.lead_commissioner_id:
                raise Forbidden(
                    f"{person.name} is not a member of the lead commissioner"
                    f" ({programme.lead_commissioner_id}) of programme '{programme.title}',"
                    " so cannot adopt its shared purpose for the board"
                )
        with acting_as(by):
            statement.adopt(programme, version, rationale, adopted_by=by, occurred_at=occurred_at)
        self._save(statement)
        return statement

    # Reading

    def shared_purpose(
        self,
        programme_id: UUID,
        *,
        version: int | None = None,
        at: datetime | None = None,
    ) -> tuple[SharedPurpose, Programme]:
        """A programme's statement as it was (at a record version, or as recorded up to a
        time), with the programme as it was then, whose participants are the ones that count.
        """
        programme_now = self._load(Programme, programme_id)
        record_id = statement_id(programme_id)
        try:
            statement = self.as_of(SharedPurpose, record_id, version=version, at=at)
        except NotFound:
            # No statement yet, or none recorded by that time.
            raise StatementNotFound(programme_id, at) from None
        if at is None and version is None:
            return statement, programme_now
        when = at if at is not None else statement.modified_on
        return statement, self.as_of(Programme, programme_id, at=when)

    def shared_purpose_id(self, programme_id: UUID) -> UUID:
        return statement_id(programme_id)

    # Helpers

    def _statement_or_none(self, programme_id: UUID) -> SharedPurpose | None:
        found: Any
        try:
            found = self.repository.get(statement_id(programme_id))
        except AggregateNotFoundError:
            return None
        return found if isinstance(found, SharedPurpose) else None

    def _statement(self, programme_id: UUID) -> SharedPurpose:
        statement = self._statement_or_none(programme_id)
        if statement is None:
            raise StatementNotFound(programme_id)
        return statement

    def _positioning(
        self,
        by: UUID | None,
        programme_id: UUID,
        organisation_id: UUID,
        expected_version: int | None,
        action: str,
    ) -> tuple[Programme, SharedPurpose, Organisation]:
        programme = self._load(Programme, programme_id)
        statement = self._statement(programme_id)
        self._check_version(statement, expected_version)
        organisation = self._load(Organisation, organisation_id, field="organisation_id")
        self._check_acts_for(by, organisation_id, f"{action} the shared purpose")
        return programme, statement, organisation

    def _check_drafts_for(self, by: UUID | None, programme: Programme, action: str) -> None:
        """Drafting is for members of the participating organisations (403 otherwise)."""
        if by is None:
            return
        person = self._load(Person, by)
        organisation_id = person.current_organisation_id
        if organisation_id is None or organisation_id not in programme.participants:
            raise Forbidden(
                f"{person.name} is not a member of an organisation participating in programme"
                f" '{programme.title}', so cannot {action} its shared purpose"
            )
