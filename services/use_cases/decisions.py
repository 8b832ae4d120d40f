"""Use cases: decisions: proposal, consultation, decision, amendment, supersession, revocation.

Who may do what:
- proposing: a current member of the proposing organisation (403 otherwise), which must
  participate in the programme (409 otherwise);
- responding for an organisation: a current member of that organisation (403);
- consulting, taking, amending, superseding and revoking: a current member of any
  organisation participating in the decision's programme (403). Taking records the
  decider's organisation, so "who decides, commissioners or providers" can be answered.
``by=None`` is the platform itself (an operator, an import) and skips these checks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate

from domain.actor import acting_as
from domain.decision import OPEN, Decision
from domain.errors import Forbidden, NotFound
from domain.organisation import Organisation
from domain.person import Person
from domain.programme import Programme
from projections.decisions_queries import OPEN_DECISIONS_CONSULTING
from services.use_cases.base import HistoryEntry, LedgerBase


@dataclass(frozen=True)
class DecisionRead:
    """One decision as it was (or is), with its lineage and its timeline."""

    decision: Decision
    #: Everything it superseded, transitively, nearest first (breadth first).
    supersedes: list[Decision]
    #: What superseded it, then what superseded that, and so on.
    superseded_by: list[Decision]
    #: Its own events up to the version read, oldest first.
    timeline: list[HistoryEntry]


class DecisionUseCases(LedgerBase):
    # Consequences of an organisation merging

    def _on_organisation_merged(self, merged: Any, successor: Any) -> list[Aggregate]:
        """Consultations of the merged organisation on open decisions pass to its successor.

        The merged organisation can no longer respond, so a pending consultation would hang;
        the successor answers instead. Its earlier responses stay in the record.
        """
        carried = super()._on_organisation_merged(merged, successor)
        rows = self._query(
            OPEN_DECISIONS_CONSULTING,
            {"o": str(merged.id), "proposed": OPEN[0].value, "decided": OPEN[1].value},
        )
        for row in rows:
            decision = self._load(Decision, UUID(row["decision_id"]))
            if decision.carry_consultation(merged.id, successor):
                carried.append(decision)
        return carried

    # Who may act

    def _participating_organisation(
        self, by: UUID | None, programme: Programme, action: str
    ) -> UUID | None:
        """The actor's organisation, which must take part in the programme (403 otherwise)."""
        if by is None:
            return None
        person = self._load(Person, by)
        organisation_id = person.current_organisation_id
        if organisation_id is None or organisation_id not in programme.participants:
            raise Forbidden(
                f"{person.name} is not a member of an organisation participating in programme"
                f" '{programme.title}', so cannot {action}"
            )
        return organisation_id

    def _open_for_writing(
        self, decision_id: UUID, expected_version: int | None
    ) -> tuple[Decision, Programme]:
        decision = self._load(Decision, decision_id)
        self._check_version(decision, expected_version)
        return decision, self._load(Programme, decision.programme_id)

    # Writes

    def propose_decision(
        self,
        *,
        by: UUID | None,
        programme_id: UUID,
        organisation_id: UUID,
        title: str,
        rationale: str,
        options: Sequence[str] = (),
        components: Sequence[str] = (),
        workstream_id: UUID | None = None,
        occurred_at: datetime | None = None,
    ) -> Decision:
        programme = self._load(Programme, programme_id)
        organisation = self._load(Organisation, organisation_id, field="organisation_id")
        self._check_acts_for(by, organisation_id, "propose decisions")
        with acting_as(by):
            decision = Decision.propose(
                programme=programme,
                organisation=organisation,
                title=title,
                rationale=rationale,
                options=options,
                components=components,
                workstream_id=workstream_id,
                occurred_at=occurred_at,
            )
        self._save(decision)
        return decision

    def consult_on_decision(
        self,
        *,
        by: UUID | None,
        decision_id: UUID,
        organisation_id: UUID,
        occurred_at: datetime | None = None,
        expected_version: int | None = None,
    ) -> Decision:
        decision, programme = self._open_for_writing(decision_id, expected_version)
        organisation = self._load(Organisation, organisation_id, field="organisation_id")
        self._participating_organisation(by, programme, "consult on its decisions")
        with acting_as(by):
            decision.consult(organisation, programme, occurred_at)
        self._save(decision)
        return decision

    def record_decision_response(
        self,
        *,
        by: UUID | None,
        decision_id: UUID,
        organisation_id: UUID,
        stance: str,
        reason: str = "",
        occurred_at: datetime | None = None,
        expected_version: int | None = None,
    ) -> Decision:
        decision = self._load(Decision, decision_id)
        self._check_version(decision, expected_version)
        organisation = self._load(Organisation, organisation_id, field="organisation_id")
        self._check_acts_for(by, organisation_id, "respond")
        with acting_as(by):
            decision.respond(organisation, stance, reason, occurred_at)
        self._save(decision)
        return decision

    def take_decision(
        self,
        *,
        by: UUID | None,
        decision_id: UUID,
        authority: str,
        occurred_at: datetime | None = None,
        expected_version: int | None = None,
    ) -> Decision:
        decision, programme = self._open_for_writing(decision_id, expected_version)
        organisation_id = self._participating_organisation(by, programme, "take its decisions")
        with acting_as(by):
            decision.take(authority, occurred_at, decided_by_organisation_id=organisation_id)
        self._save(decision)
        return decision

    def amend_decision(
        self,
        *,
        by: UUID | None,
        decision_id: UUID,
        reason: str,
        title: str | None = None,
        rationale: str | None = None,
        options: Sequence[str] | None = None,
        components: Sequence[str] | None = None,
        occurred_at: datetime | None = None,
        expected_version: int | None = None,
    ) -> Decision:
        decision, programme = self._open_for_writing(decision_id, expected_version)
        self._participating_organisation(by, programme, "amend its decisions")
        with acting_as(by):
            decision.amend(
                reason=reason,
                title=title,
                rationale=rationale,
                options=options,
                components=components,
                occurred_at=occurred_at,
            )
        self._save(decision)
        return decision

    def supersede_decision(
        self,
        *,
        by: UUID | None,
        decision_id: UUID,
        superseded_by: UUID,
        expected_version: int | None = None,
    ) -> Decision:
        """Link the decision to the later one that replaces it; both saved in one transaction."""
        decision, programme = self._open_for_writing(decision_id, expected_version)
        successor = self._load(Decision, superseded_by, field="superseded_by")
        self._participating_organisation(by, programme, "supersede its decisions")
        with acting_as(by):
            decision.supersede_with(successor)
        self._save(decision, successor)
        return decision

    def revoke_decision(
        self,
        *,
        by: UUID | None,
        decision_id: UUID,
        reason: str,
        occurred_at: datetime | None = None,
        expected_version: int | None = None,
    ) -> Decision:
        """Revoke a taken decision, or withdraw a proposal that was never taken."""
        decision, programme = self._open_for_writing(decision_id, expected_version)
        self._participating_organisation(by, programme, "revoke its decisions")
        with acting_as(by):
            decision.revoke(reason, occurred_at)
        self._save(decision)
        return decision

    # Reads

    def read_decision(
        self, decision_id: UUID, *, version: int | None = None, at: datetime | None = None
    ) -> DecisionRead:
        """The decision at a version or recorded time (default: now), with its lineage.

        Linked decisions are read as they were when the decision was: at ``at``, or at the
        recorded time of the version read.
        """
        decision = self.as_of(Decision, decision_id, version=version, at=at)
        cutoff = at if at is not None else (decision.modified_on if version is not None else None)

        def linked(record_id: UUID) -> Decision | None:
            try:
                return self.as_of(Decision, record_id, at=cutoff)
            except NotFound:
                # Recorded an instant after the cutoff, in the same transaction.
                return None

        backwards: list[Decision] = []
        seen = {decision.id}
        frontier = list(decision.supersedes)
        while frontier:
            record_id = frontier.pop(0)
            if record_id in seen:
                continue
            seen.add(record_id)
            earlier = linked(record_id)
            if earlier is not None:
                backwards.append(earlier)
                frontier.extend(earlier.supersedes)

        forwards: list[Decision] = []
        following = decision.superseded_by
        while following is not None and following not in seen:
            seen.add(following)
            later = linked(following)
            if later is None:
                break
            forwards.append(later)
            following = later.superseded_by

        timeline = [
            entry
            for entry in self.history(Decision, decision_id)
            if entry.version <= decision.version
        ]
        return DecisionRead(decision, backwards, forwards, timeline)
