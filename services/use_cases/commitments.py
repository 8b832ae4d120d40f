"""Use cases: commitments providers make to commissioners, and their lifecycle.

Who may act (403 otherwise; ``by=None`` is the platform itself):
- a member of the provider makes a commitment, records progress, delivers and withdraws;
- a member of the commissioner accepts, records a miss and records a renegotiation;
- a member of either flags it at risk (the event records which side).

Who reads what: notes, evidence and reasons marked confidential are for current members of
the provider and the commissioner (``CommitmentReader``); everyone else who may read the
commitment sees it without them (services/api/commitment_redaction.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.domain import Aggregate

from domain.actor import acting_as
from domain.commitment import Commitment, Party
from domain.errors import Forbidden, InvalidValue, ReferenceNotFound
from domain.organisation import Organisation
from domain.person import Person
from domain.programme import Programme
from projections.commitments_queries import OPEN_COMMITMENTS_OF_SQL
from projections.directory_queries import DirectoryQueries
from services.use_cases.base import LedgerBase

#: The class name of decisions (domain/decision.py). Decisions are only referred to by id
#: here, checked by loading and naming the class, so this area does not import theirs.
DECISION_CLASS_NAME = "Decision"


@dataclass(frozen=True)
class CommitmentReader:
    """Who is reading commitments, as far as their confidential notes go.

    ``sees_all_confidential`` is for readers entitled to every confidential note whatever
    their organisation (e.g. an auditor appointed to the programme, decided by the caller).
    """

    organisation_id: UUID | None
    sees_all_confidential: bool = False
    #: Programmes the reader audits: they see everything in them (ADR 13).
    audited: frozenset[str] = frozenset()

    def sees_confidential(
        self, provider_id: object, commissioner_id: object, programme_id: object = None
    ) -> bool:
        """Whether this reader sees the confidential text of a commitment between these two
        (in this programme)."""
        if self.sees_all_confidential:
            return True
        if programme_id is not None and str(programme_id) in self.audited:
            return True
        if self.organisation_id is None:
            return False
        mine = str(self.organisation_id)
        return mine in (str(provider_id), str(commissioner_id))


@dataclass(frozen=True)
class Stamp:
    """When an event of a record was recorded, and by whom."""

    recorded_at: datetime
    actor_id: UUID | None


class CommitmentUseCases(LedgerBase):
    # Consequences of organisations merging

    def _on_organisation_merged(
        self, merged: Organisation, successor: Organisation
    ) -> list[Aggregate]:
        """Open commitments, made or received by the merged organisation, pass to its successor.

        Closed ones (delivered, missed, withdrawn) stay with the organisation that held them.
        """
        carried = super()._on_organisation_merged(merged, successor)
        for row in self._query(OPEN_COMMITMENTS_OF_SQL, {"o": str(merged.id)}):
            commitment = self._load(Commitment, UUID(row["id"]))
            commitment.carry_over(merged.id, successor)
            carried.append(commitment)
        return carried

    # Who reads

    def commitment_reader(self, by: UUID | None) -> CommitmentReader:
        """The reader ``by``: a current member of some organisation, or of none.

        ``by=None`` (the platform itself) is a member of no organisation, so it sees no
        confidential text: no role above the organisations reads their confidential notes.
        """
        if by is None:
            return CommitmentReader(None)
        # The handlers have brought the views up to date for this read.
        views = self._views
        audited = frozenset(
            DirectoryQueries(views).programmes_audited_by(str(by)) if views is not None else ()
        )
        return CommitmentReader(self._load(Person, by).current_organisation_id, audited=audited)

    # Who acts

    def _check_party(
        self, by: UUID | None, commitment: Commitment, party: Party, action: str
    ) -> None:
        """Only a current member of the given side may do this (403, saying which side)."""
        if by is None:
            return
        person = self._load(Person, by)
        needed = commitment.provider_id if party is Party.PROVIDER else commitment.commissioner_id
        current = person.current_organisation_id
        if current == needed:
            return
        if current in (commitment.provider_id, commitment.commissioner_id):
            other = Party.COMMISSIONER if party is Party.PROVIDER else Party.PROVIDER
            raise Forbidden(
                f"only the {party.value} can {action} a commitment; {person.name} is a member"
                f" of its {other.value} ({current})"
            )
        raise Forbidden(
            f"only a member of the {party.value} ({needed}) can {action} this commitment;"
            f" {person.name} is not one"
        )

    def _party_of(self, by: UUID | None, commitment: Commitment, action: str) -> Party | None:
        """The side the person acts for: provider or commissioner (403 if neither)."""
        if by is None:
            return None
        person = self._load(Person, by)
        current = person.current_organisation_id
        if current == commitment.provider_id:
            return Party.PROVIDER
        if current == commitment.commissioner_id:
            return Party.COMMISSIONER
        raise Forbidden(
            f"only a member of the provider ({commitment.provider_id}) or the commissioner"
            f" ({commitment.commissioner_id}) can {action} this commitment;"
            f" {person.name} is neither"
        )

    def _check_decision(self, decision_id: UUID, programme_id: UUID | None) -> None:
        """The decision exists; if both are linked, it belongs to the commitment's programme."""
        found: Any
        try:
            found = self.repository.get(decision_id)
        except AggregateNotFoundError:
            found = None
        if type(found).__name__ != DECISION_CLASS_NAME:
            raise ReferenceNotFound("decision_id", "decision", decision_id)
        decided_in = getattr(found, "programme_id", None)
        if programme_id is not None and decided_in is not None and decided_in != programme_id:
            raise InvalidValue(
                "decision_id",
                f"the decision belongs to programme {decided_in}, not programme {programme_id}",
            )

    def _acting_on(
        self,
        by: UUID | None,
        commitment_id: UUID,
        expected_version: int | None,
        party: Party,
        action: str,
    ) -> Commitment:
        commitment = self._load(Commitment, commitment_id)
        self._check_party(by, commitment, party, action)
        self._check_version(commitment, expected_version)
        return commitment

    # Making

    def make_commitment(
        self,
        *,
        by: UUID | None,
        provider_id: UUID,
        commissioner_id: UUID,
        what: str,
        measure: str,
        due_date: date,
        contract_lever: str | None = None,
        programme_id: UUID | None = None,
        decision_id: UUID | None = None,
        occurred_at: datetime | None = None,
    ) -> Commitment:
        provider = self._load(Organisation, provider_id, field="provider_id")
        commissioner = self._load(Organisation, commissioner_id, field="commissioner_id")
        programme = (
            self._load(Programme, programme_id, field="programme_id")
            if programme_id is not None
            else None
        )
        if decision_id is not None:
            self._check_decision(decision_id, programme_id)
        self._check_acts_for(by, provider.id, "make a commitment")
        with acting_as(by):
            commitment = Commitment.make(
                provider=provider,
                commissioner=commissioner,
                what=what,
                measure=measure,
                due_date=due_date,
                contract_lever=contract_lever,
                programme=programme,
                decision_id=decision_id,
                occurred_at=occurred_at,
            )
        self._save(commitment)
        return commitment

    # Lifecycle

    def accept_commitment(
        self, *, by: UUID | None, commitment_id: UUID, expected_version: int | None = None
    ) -> Commitment:
        commitment = self._acting_on(
            by, commitment_id, expected_version, Party.COMMISSIONER, "accept"
        )
        with acting_as(by):
            commitment.accept()
        self._save(commitment)
        return commitment

    def record_commitment_progress(
        self,
        *,
        by: UUID | None,
        commitment_id: UUID,
        percent: int,
        note: str,
        confidential: bool = False,
        expected_version: int | None = None,
    ) -> Commitment:
        commitment = self._acting_on(
            by, commitment_id, expected_version, Party.PROVIDER, "record progress on"
        )
        with acting_as(by):
            commitment.record_progress(percent, note, confidential)
        self._save(commitment)
        return commitment

    def flag_commitment_at_risk(
        self,
        *,
        by: UUID | None,
        commitment_id: UUID,
        reason: str,
        confidential: bool = False,
        expected_version: int | None = None,
    ) -> Commitment:
        commitment = self._load(Commitment, commitment_id)
        party = self._party_of(by, commitment, "flag at risk")
        self._check_version(commitment, expected_version)
        with acting_as(by):
            commitment.flag_at_risk(reason, party, confidential)
        self._save(commitment)
        return commitment

    def deliver_commitment(
        self,
        *,
        by: UUID | None,
        commitment_id: UUID,
        evidence: str,
        occurred_at: datetime | None = None,
        confidential: bool = False,
        expected_version: int | None = None,
    ) -> Commitment:
        commitment = self._acting_on(by, commitment_id, expected_version, Party.PROVIDER, "deliver")
        with acting_as(by):
            commitment.deliver(evidence, occurred_at, confidential)
        self._save(commitment)
        return commitment

    def record_commitment_missed(
        self,
        *,
        by: UUID | None,
        commitment_id: UUID,
        reason: str,
        today: date | None = None,
        confidential: bool = False,
        expected_version: int | None = None,
    ) -> Commitment:
        commitment = self._acting_on(
            by, commitment_id, expected_version, Party.COMMISSIONER, "record a miss of"
        )
        with acting_as(by):
            commitment.record_missed(reason, today, confidential)
        self._save(commitment)
        return commitment

    def renegotiate_commitment(
        self,
        *,
        by: UUID | None,
        commitment_id: UUID,
        new_due_date: date,
        reason: str,
        today: date | None = None,
        confidential: bool = False,
        expected_version: int | None = None,
    ) -> Commitment:
        commitment = self._acting_on(
            by, commitment_id, expected_version, Party.COMMISSIONER, "renegotiate"
        )
        with acting_as(by):
            commitment.renegotiate(new_due_date, reason, today, confidential)
        self._save(commitment)
        return commitment

    def withdraw_commitment(
        self,
        *,
        by: UUID | None,
        commitment_id: UUID,
        reason: str,
        confidential: bool = False,
        expected_version: int | None = None,
    ) -> Commitment:
        commitment = self._acting_on(
            by, commitment_id, expected_version, Party.PROVIDER, "withdraw"
        )
        with acting_as(by):
            commitment.withdraw(reason, confidential)
        self._save(commitment)
        return commitment

    # Reading one commitment as it was

    def commitment_as_of(
        self, commitment_id: UUID, *, version: int | None = None, at: datetime | None = None
    ) -> tuple[Commitment, dict[int, Stamp]]:
        """The commitment at a version or recorded time, with when and by whom each of its
        events up to then was recorded (its entries name the version of their event)."""
        commitment = self.as_of(Commitment, commitment_id, version=version, at=at)
        stamps = {
            entry.version: Stamp(entry.recorded_at, entry.actor_id)
            for entry in self.history(Commitment, commitment_id)
            if entry.version <= commitment.version
        }
        return commitment, stamps
