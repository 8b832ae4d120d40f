"""Programmes: change programmes run jointly by participating organisations."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID, uuid4

from eventsourcing.domain import event

from domain.base import LedgerAggregate
from domain.errors import InvalidValue, RuleViolation, UniquenessConflict
from domain.organisation import Organisation
from domain.values import (
    TEXT_MAX,
    OrganisationKind,
    ParticipationRole,
    check_choice,
    check_text,
)


@dataclass(frozen=True)
class Workstream:
    id: UUID
    name: str


class Programme(LedgerAggregate):
    @classmethod
    def create(cls, title: str, description: str, lead_commissioner: Organisation) -> Programme:
        title = check_text("title", title)
        description = check_text("description", description, max_length=TEXT_MAX, required=False)
        if lead_commissioner.kind is not OrganisationKind.COMMISSIONER:
            raise InvalidValue(
                "lead_commissioner_id",
                f"must be a commissioner; '{lead_commissioner.name}'"
                f" is a {lead_commissioner.kind.value}",
            )
        lead_commissioner.check_accepts_activity()
        return cls(title=title, description=description, lead_commissioner_id=lead_commissioner.id)

    @event("Created")
    def __init__(self, title: str, description: str, lead_commissioner_id: UUID) -> None:
        self.title = title
        self.description = description
        self.lead_commissioner_id = lead_commissioner_id
        self.participants: dict[UUID, ParticipationRole] = {
            lead_commissioner_id: ParticipationRole.LEAD_COMMISSIONER
        }
        self.workstreams: list[Workstream] = []
        #: People appointed to audit this programme: they read everything in it, write nothing.
        self.auditor_ids: set[UUID] = set()

    def update_details(self, title: str | None = None, description: str | None = None) -> None:
        new_title = self.title if title is None else check_text("title", title)
        new_description = (
            self.description
            if description is None
            else check_text("description", description, max_length=TEXT_MAX, required=False)
        )
        if (new_title, new_description) != (self.title, self.description):
            self._details_updated(title=new_title, description=new_description)

    @event("DetailsUpdated")
    def _details_updated(self, title: str, description: str) -> None:
        self.title = title
        self.description = description

    def add_participant(self, organisation: Organisation, role: str) -> None:
        chosen = check_choice("role", role, ParticipationRole)
        if chosen is ParticipationRole.LEAD_COMMISSIONER:
            raise InvalidValue("role", "a programme has one lead commissioner, set when created")
        if organisation.id in self.participants:
            raise RuleViolation(f"'{organisation.name}' already participates in this programme")
        organisation.check_accepts_activity()
        self._participant_added(organisation_id=organisation.id, role=chosen.value)

    @event("ParticipantAdded")
    def _participant_added(self, organisation_id: UUID, role: str) -> None:
        self.participants[organisation_id] = ParticipationRole(role)

    def remove_participant(self, organisation_id: UUID) -> None:
        if organisation_id not in self.participants:
            raise RuleViolation(f"organisation {organisation_id} does not participate")
        if organisation_id == self.lead_commissioner_id:
            raise RuleViolation("the lead commissioner cannot be removed from its programme")
        self._participant_removed(organisation_id=organisation_id)

    @event("ParticipantRemoved")
    def _participant_removed(self, organisation_id: UUID) -> None:
        del self.participants[organisation_id]

    def transfer_participation(self, merged_id: UUID, successor: Organisation) -> None:
        """The merged organisation's place passes to its successor (its role, or the lead)."""
        if merged_id not in self.participants:
            raise RuleViolation(f"organisation {merged_id} does not participate")
        role = self.participants[merged_id]
        if successor.id in self.participants and role is not ParticipationRole.LEAD_COMMISSIONER:
            # The successor already takes part: its own role stands.
            role = self.participants[successor.id]
        self._participation_transferred(
            from_organisation_id=merged_id, to_organisation_id=successor.id, role=role.value
        )

    @event("ParticipationTransferred")
    def _participation_transferred(
        self, from_organisation_id: UUID, to_organisation_id: UUID, role: str
    ) -> None:
        del self.participants[from_organisation_id]
        self.participants[to_organisation_id] = ParticipationRole(role)
        if role == ParticipationRole.LEAD_COMMISSIONER.value:
            self.lead_commissioner_id = to_organisation_id

    def add_workstream(self, name: str) -> Workstream:
        name = check_text("name", name)
        if any(w.name.casefold() == name.casefold() for w in self.workstreams):
            raise UniquenessConflict("name", f"this programme already has a workstream '{name}'")
        workstream_id = uuid4()
        self._workstream_added(workstream_id=workstream_id, name=name)
        return self.workstreams[-1]

    @event("WorkstreamAdded")
    def _workstream_added(self, workstream_id: UUID, name: str) -> None:
        self.workstreams.append(Workstream(workstream_id, name))

    def appoint_auditor(self, person_id: UUID) -> None:
        if person_id in self.auditor_ids:
            raise RuleViolation(f"person {person_id} is already an auditor of this programme")
        self._auditor_appointed(person_id=person_id)

    @event("AuditorAppointed")
    def _auditor_appointed(self, person_id: UUID) -> None:
        self.auditor_ids.add(person_id)

    def remove_auditor(self, person_id: UUID) -> None:
        if person_id not in self.auditor_ids:
            raise RuleViolation(f"person {person_id} is not an auditor of this programme")
        self._auditor_removed(person_id=person_id)

    @event("AuditorRemoved")
    def _auditor_removed(self, person_id: UUID) -> None:
        self.auditor_ids.discard(person_id)
