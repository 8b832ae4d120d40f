"""Programme roles: who holds them, who deputises, how knowledge is handed over.

The seed evaluation found use of the Change Model "easily lost as individuals change roles
and organisations", held by people "difficult to replace", and organisations with no named
lead at all. A role is therefore a record of its own: defined once per programme, assigned
to a holder and optionally a deputy, handed over with the knowledge that went with it, and
flagged when its holder or deputy leaves their organisation. Nothing is reassigned silently.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from eventsourcing.domain import event

from domain.base import LedgerAggregate
from domain.errors import InvalidValue, RuleViolation
from domain.organisation import Organisation
from domain.person import Person
from domain.programme import Programme
from domain.timing import check_occurred_at
from domain.values import TEXT_MAX, check_choice, check_text

#: At most this many knowledge items in one handover.
KNOWLEDGE_ITEMS_MAX = 100


class RoleKind(StrEnum):
    SRO = "sro"
    CLINICAL_LEAD = "clinical_lead"
    PROGRAMME_FACILITATOR = "programme_facilitator"
    MEASUREMENT_LEAD = "measurement_lead"
    ORGANISATION_LEAD = "organisation_lead"
    CUSTOM = "custom"


#: Titles of the kinds a programme has at most one of, used when no title is given.
STANDARD_TITLES: dict[RoleKind, str] = {
    RoleKind.SRO: "Senior responsible owner",
    RoleKind.CLINICAL_LEAD: "Clinical lead",
    RoleKind.PROGRAMME_FACILITATOR: "Programme facilitator",
    RoleKind.MEASUREMENT_LEAD: "Measurement lead",
}


class Position(StrEnum):
    """Where a person stands in a role."""

    HOLDER = "holder"
    DEPUTY = "deputy"


def organisation_lead_title(organisation: Organisation) -> str:
    return f"Named lead for {organisation.name}"


@dataclass(frozen=True)
class HandoverFlag:
    """A holder or deputy left their organisation: the role needs a handover."""

    person_id: UUID
    position: Position
    organisation_id: UUID
    reason: str
    left_at: datetime | None
    version: int


@dataclass(frozen=True)
class Handover:
    """One handover, with what knowledge went with it. ``version`` is the role's version."""

    version: int
    from_person_id: UUID
    to_person_id: UUID
    knowledge_items: tuple[str, ...]
    outgoing_reachable: bool
    occurred_at: datetime


def uniqueness_key(
    programme_id: UUID, kind: RoleKind, title: str, organisation_id: UUID | None
) -> str:
    """What must be unique among a programme's roles.

    One SRO, clinical lead, facilitator and measurement lead per programme; one named lead
    per participating organisation; custom roles by title (compared without case).
    """
    if kind is RoleKind.ORGANISATION_LEAD:
        return f"{programme_id}/{kind.value}/{organisation_id}"
    if kind is RoleKind.CUSTOM:
        return f"{programme_id}/{kind.value}/{title}"
    return f"{programme_id}/{kind.value}"


def check_participant_member(programme: Programme, person: Person, field: str) -> UUID:
    """The person's current organisation, which must take part in the programme."""
    organisation_id = person.current_organisation_id
    if organisation_id is None:
        raise RuleViolation(
            f"{field}: {person.name} is not a member of any organisation, so cannot take a role"
            f" in programme '{programme.title}'"
        )
    if organisation_id not in programme.participants:
        raise RuleViolation(
            f"{field}: {person.name}'s organisation {organisation_id} does not participate in"
            f" programme '{programme.title}', so they cannot take a role in it"
        )
    return organisation_id


class Role(LedgerAggregate):
    RECORD_KIND = "role"

    @classmethod
    def define(
        cls,
        programme: Programme,
        kind: str,
        title: str | None = None,
        organisation: Organisation | None = None,
        critical: bool = False,
    ) -> Role:
        chosen = check_choice("kind", kind, RoleKind)
        given_title = None if title is None else check_text("title", title)
        if chosen is RoleKind.ORGANISATION_LEAD:
            if organisation is None:
                raise InvalidValue("organisation_id", "is required for an organisation_lead role")
            if organisation.id not in programme.participants:
                raise RuleViolation(
                    f"'{organisation.name}' does not participate in programme"
                    f" '{programme.title}', so it cannot have a named lead there"
                )
            organisation.check_accepts_activity()
            final_title = given_title or organisation_lead_title(organisation)
            organisation_id: UUID | None = organisation.id
        else:
            if organisation is not None:
                raise InvalidValue(
                    "organisation_id", "only an organisation_lead role names an organisation"
                )
            organisation_id = None
            if chosen is RoleKind.CUSTOM:
                if given_title is None:
                    raise InvalidValue("title", "is required for a custom role")
                final_title = given_title
            else:
                final_title = given_title or STANDARD_TITLES[chosen]
        return cls(
            programme_id=programme.id,
            kind=chosen.value,
            title=final_title,
            organisation_id=organisation_id,
            critical=bool(critical),
        )

    @event("Defined")
    def __init__(
        self,
        programme_id: UUID,
        kind: str,
        title: str,
        organisation_id: UUID | None,
        critical: bool,
    ) -> None:
        self.programme_id = programme_id
        self.kind = RoleKind(kind)
        self.title = title
        self.organisation_id = organisation_id
        self.critical = critical
        self.holder_id: UUID | None = None
        self.holder_organisation_id: UUID | None = None
        self.deputy_id: UUID | None = None
        self.deputy_organisation_id: UUID | None = None
        self.flags: list[HandoverFlag] = []
        self.handovers: list[Handover] = []

    @property
    def vacant(self) -> bool:
        return self.holder_id is None

    @property
    def flagged(self) -> bool:
        return bool(self.flags)

    @property
    def uniqueness_key(self) -> str:
        return uniqueness_key(self.programme_id, self.kind, self.title, self.organisation_id)

    def _check_programme(self, programme: Programme) -> None:
        if programme.id != self.programme_id:
            raise RuleViolation(
                f"role '{self.title}' belongs to programme {self.programme_id}, not {programme.id}"
            )

    def _check_holder(self, programme: Programme, person: Person, field: str) -> UUID:
        organisation_id = check_participant_member(programme, person, field)
        if self.kind is RoleKind.ORGANISATION_LEAD and organisation_id != self.organisation_id:
            raise RuleViolation(
                f"{field}: the named lead of organisation {self.organisation_id} must be one of"
                f" its members; {person.name} is a member of {organisation_id}"
            )
        return organisation_id

    # Criticality

    def set_critical(self, critical: bool) -> None:
        """Mark or un-mark the role as critical; asking for what already holds records nothing."""
        if critical and not self.critical:
            self._marked_critical()
        elif not critical and self.critical:
            self._unmarked_critical()

    @event("MarkedCritical")
    def _marked_critical(self) -> None:
        self.critical = True

    @event("UnmarkedCritical")
    def _unmarked_critical(self) -> None:
        self.critical = False

    # Holder and deputy

    def assign(self, programme: Programme, holder: Person, deputy: Person | None = None) -> None:
        """Set the holder and the deputy (none if not given). Clears any handover flag."""
        self._check_programme(programme)
        if deputy is not None and deputy.id == holder.id:
            raise InvalidValue("deputy_id", "must be a different person from the holder")
        holder_organisation_id = self._check_holder(programme, holder, "holder_id")
        deputy_organisation_id = (
            None if deputy is None else check_participant_member(programme, deputy, "deputy_id")
        )
        unchanged = (
            holder.id == self.holder_id
            and holder_organisation_id == self.holder_organisation_id
            and (deputy.id if deputy else None) == self.deputy_id
            and deputy_organisation_id == self.deputy_organisation_id
        )
        if unchanged and not self.flagged:
            return
        self._assigned(
            holder_id=holder.id,
            holder_organisation_id=holder_organisation_id,
            deputy_id=deputy.id if deputy else None,
            deputy_organisation_id=deputy_organisation_id,
        )

    @event("Assigned")
    def _assigned(
        self,
        holder_id: UUID,
        holder_organisation_id: UUID,
        deputy_id: UUID | None,
        deputy_organisation_id: UUID | None,
    ) -> None:
        self.holder_id = holder_id
        self.holder_organisation_id = holder_organisation_id
        self.deputy_id = deputy_id
        self.deputy_organisation_id = deputy_organisation_id
        self.flags = []

    def vacate(self, reason: str | None = None) -> None:
        """Nobody holds the role any more (nor deputises). Clears any handover flag."""
        if self.vacant:
            raise RuleViolation(f"role '{self.title}' is already vacant: nobody holds it")
        cleaned = (
            ""
            if reason is None
            else check_text("reason", reason, max_length=TEXT_MAX, required=False)
        )
        self._vacated(
            reason=cleaned, previous_holder_id=self.holder_id, previous_deputy_id=self.deputy_id
        )

    @event("Vacated")
    def _vacated(
        self, reason: str, previous_holder_id: UUID | None, previous_deputy_id: UUID | None
    ) -> None:
        self.holder_id = None
        self.holder_organisation_id = None
        self.deputy_id = None
        self.deputy_organisation_id = None
        self.flags = []

    # Handover

    def hand_over(
        self,
        programme: Programme,
        to: Person,
        knowledge_items: list[str],
        outgoing_reachable: bool,
        occurred_at: datetime | None = None,
    ) -> Handover:
        """The holder hands the role to another person, with the knowledge that went too.

        Handing over to the deputy promotes them: the role then has no deputy. A flag raised
        for the outgoing holder clears; one raised for a deputy who stays in place does not.
        """
        self._check_programme(programme)
        if self.holder_id is None:
            raise RuleViolation(
                f"role '{self.title}' is vacant: there is nobody to hand over from;"
                " assign a holder instead"
            )
        if to.id == self.holder_id:
            raise RuleViolation(
                f"{to.name} already holds role '{self.title}';"
                " a handover needs a different person to take it on"
            )
        items = check_knowledge_items(knowledge_items)
        when = check_occurred_at("occurred_at", occurred_at)
        to_organisation_id = self._check_holder(programme, to, "to_person_id")
        promoted = to.id == self.deputy_id
        self._handed_over(
            from_person_id=self.holder_id,
            to_person_id=to.id,
            to_organisation_id=to_organisation_id,
            deputy_id=None if promoted else self.deputy_id,
            knowledge_items=items,
            outgoing_reachable=bool(outgoing_reachable),
            occurred_at=when,
        )
        return self.handovers[-1]

    @event("HandedOver")
    def _handed_over(
        self,
        from_person_id: UUID,
        to_person_id: UUID,
        to_organisation_id: UUID,
        deputy_id: UUID | None,
        knowledge_items: list[str],
        outgoing_reachable: bool,
        occurred_at: datetime,
    ) -> None:
        self.handovers.append(
            Handover(
                version=self.version + 1,
                from_person_id=from_person_id,
                to_person_id=to_person_id,
                knowledge_items=tuple(knowledge_items),
                outgoing_reachable=outgoing_reachable,
                occurred_at=occurred_at,
            )
        )
        self.holder_id = to_person_id
        self.holder_organisation_id = to_organisation_id
        if deputy_id is None:
            self.deputy_id = None
            self.deputy_organisation_id = None
        self.flags = [f for f in self.flags if f.person_id in (self.holder_id, self.deputy_id)]

    # Consequences of changes elsewhere

    def flag_for_handover(self, person: Person, organisation_id: UUID) -> bool:
        """The person left their organisation; if they hold or deputise, flag the role.

        Returns whether a flag was recorded. A person already flagged is not flagged twice.
        """
        if person.id == self.holder_id:
            position = Position.HOLDER
        elif person.id == self.deputy_id:
            position = Position.DEPUTY
        else:
            return False
        if any(f.person_id == person.id for f in self.flags):
            return False
        last = person.memberships[-1] if person.memberships else None
        left_at = last.left_at if last and last.organisation_id == organisation_id else None
        reason = (
            f"{person.name}, the {position.value} of role '{self.title}',"
            f" left organisation {organisation_id}; the role needs a handover"
        )
        self._handover_flagged(
            person_id=person.id,
            position=position.value,
            organisation_id=organisation_id,
            reason=reason,
            left_at=left_at,
        )
        return True

    @event("HandoverFlagged")
    def _handover_flagged(
        self,
        person_id: UUID,
        position: str,
        organisation_id: UUID,
        reason: str,
        left_at: datetime | None,
    ) -> None:
        self.flags.append(
            HandoverFlag(
                person_id=person_id,
                position=Position(position),
                organisation_id=organisation_id,
                reason=reason,
                left_at=left_at,
                version=self.version + 1,
            )
        )

    def pass_to_successor(self, merged: Organisation, successor: Organisation) -> None:
        """A named lead's organisation merged: the role is now the successor's named lead."""
        if self.kind is not RoleKind.ORGANISATION_LEAD or self.organisation_id != merged.id:
            raise RuleViolation(
                f"role '{self.title}' is not the named lead of organisation {merged.id}"
            )
        title = (
            organisation_lead_title(successor)
            if self.title == organisation_lead_title(merged)
            else self.title
        )
        self._passed_to_successor(
            from_organisation_id=merged.id, to_organisation_id=successor.id, title=title
        )

    @event("PassedToSuccessor")
    def _passed_to_successor(
        self, from_organisation_id: UUID, to_organisation_id: UUID, title: str
    ) -> None:
        self.organisation_id = to_organisation_id
        self.title = title


def check_knowledge_items(items: list[str]) -> list[str]:
    """Named items of knowledge, each non-empty, none repeated (compared without case)."""
    if len(items) > KNOWLEDGE_ITEMS_MAX:
        raise InvalidValue("knowledge_items", f"must list at most {KNOWLEDGE_ITEMS_MAX} items")
    cleaned: list[str] = []
    seen: set[str] = set()
    for index, item in enumerate(items):
        name = check_text(f"knowledge_items[{index}]", item)
        if name.casefold() in seen:
            raise InvalidValue(f"knowledge_items[{index}]", f"'{name}' is listed twice")
        seen.add(name.casefold())
        cleaned.append(name)
    return cleaned
