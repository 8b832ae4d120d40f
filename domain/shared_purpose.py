"""Shared-purpose statements: one per programme, versioned, endorsed or disputed by each
participating organisation, and adopted by the board.

The seeds found multi-agency groups "still talking at cross purposes", and shared purpose used
to silence opposition. So every revision is a new numbered version whose old text stays
readable; each organisation's position (endorsed, or disputed with a reason) is kept per
version, with every change of position; a revision resets positions for the new text; and the
board may adopt over recorded disputes only with a rationale. Nothing is ever deleted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import event

from domain.base import LedgerAggregate
from domain.errors import InvalidValue, NotFound, RuleViolation
from domain.organisation import Organisation
from domain.programme import Programme
from domain.timing import check_occurred_at
from domain.values import TEXT_MAX, check_text


class Position(StrEnum):
    ENDORSED = "endorsed"
    DISPUTED = "disputed"


#: How a participating organisation with no position on a version is shown.
NO_POSITION = "none"


@dataclass
class StatementVersion:
    """One numbered text of the statement. ``recorded_at`` is its event's timestamp."""

    number: int
    text: str
    drafted_by: UUID | None
    occurred_at: datetime
    recorded_at: datetime | None = None


@dataclass
class PositionRecord:
    """An organisation's position on one version, as taken by one of its members."""

    organisation_id: UUID
    version: int
    position: Position
    reason: str | None
    person_id: UUID | None
    occurred_at: datetime
    #: Set when the position was carried over from an organisation merged into this one.
    carried_from: UUID | None = None
    recorded_at: datetime | None = None


@dataclass
class Adoption:
    """The board adopting one version, with whom it was endorsed and disputed by then."""

    version: int
    rationale: str
    over_disputes: bool
    endorsed_by: list[UUID]
    disputed_by: list[UUID]
    adopted_by: UUID | None
    occurred_at: datetime
    recorded_at: datetime | None = None


class StatementNotFound(NotFound):
    """The programme has no shared-purpose statement yet (404)."""

    def __init__(self, programme_id: UUID, as_of: datetime | None = None) -> None:
        super().__init__(SharedPurpose.RECORD_KIND, programme_id)
        if as_of is None:
            self._say(
                f"programme {programme_id} has no shared-purpose statement yet; draft one first"
            )
        else:
            self._say(
                f"programme {programme_id} had no shared-purpose statement"
                f" as of {as_of.isoformat()}"
            )

    def _say(self, message: str) -> None:
        self.message = message
        self.args = (message,)


class VersionNotFound(StatementNotFound):
    """The statement has no version with that number (404)."""

    def __init__(self, programme_id: UUID, number: int, latest: int) -> None:
        super().__init__(programme_id)
        self._say(
            f"the shared-purpose statement of programme {programme_id} has no version {number};"
            f" its versions are 1 to {latest}"
        )


def statement_id(programme_id: UUID) -> UUID:
    """Each programme has at most one statement, whose id derives from the programme's."""
    return uuid5(NAMESPACE_URL, f"changeledger:shared-purpose:{programme_id}")


class SharedPurpose(LedgerAggregate):
    RECORD_KIND = "shared-purpose statement"

    class Event(LedgerAggregate.Event):
        def mutate(self, aggregate: Any) -> Any:
            """After applying, stamp the records the event made with its recorded time."""
            result = super().mutate(aggregate)
            if isinstance(result, SharedPurpose):
                result._stamp(self.timestamp)
            return result

    class Created(Event, LedgerAggregate.Created):
        pass

    @staticmethod
    def create_id(programme_id: UUID) -> UUID:
        return statement_id(programme_id)

    # Drafting and revising

    @classmethod
    def draft(
        cls,
        programme: Programme,
        text: str,
        drafted_by: UUID | None,
        occurred_at: datetime | None = None,
    ) -> SharedPurpose:
        text = check_text("text", text, max_length=TEXT_MAX)
        when = check_occurred_at("occurred_at", occurred_at)
        return cls(programme_id=programme.id, text=text, drafted_by=drafted_by, occurred_at=when)

    @event("Drafted")
    def __init__(
        self, programme_id: UUID, text: str, drafted_by: UUID | None, occurred_at: datetime
    ) -> None:
        self.programme_id = programme_id
        self.versions: list[StatementVersion] = []
        #: Per version number: each organisation's latest position.
        self.positions: dict[int, dict[UUID, PositionRecord]] = {}
        #: Per version number: every position taken, oldest first (disputes are never lost).
        self.position_log: dict[int, list[PositionRecord]] = {}
        self.adoptions: list[Adoption] = []
        self._unstamped: list[StatementVersion | PositionRecord | Adoption] = []
        self._add_version(text, drafted_by, occurred_at)

    def revise(
        self, text: str, drafted_by: UUID | None, occurred_at: datetime | None = None
    ) -> None:
        text = check_text("text", text, max_length=TEXT_MAX)
        when = check_occurred_at("occurred_at", occurred_at)
        current = self.current
        if text == current.text:
            raise RuleViolation(
                f"the text is the same as version {current.number}; a revision must change it"
            )
        if when < current.occurred_at:
            raise RuleViolation(
                f"a revision must not be dated before version {current.number} was drafted"
                f" ({current.occurred_at.isoformat()})"
            )
        self._revised(text=text, drafted_by=drafted_by, occurred_at=when)

    @event("Revised")
    def _revised(self, text: str, drafted_by: UUID | None, occurred_at: datetime) -> None:
        # The new text starts with no positions; those on older versions stay with them.
        self._add_version(text, drafted_by, occurred_at)

    def _add_version(self, text: str, drafted_by: UUID | None, occurred_at: datetime) -> None:
        number = len(self.versions) + 1
        version = StatementVersion(number, text, drafted_by, occurred_at)
        self.versions.append(version)
        self.positions[number] = {}
        self.position_log[number] = []
        self._unstamped.append(version)

    # Reading

    @property
    def current(self) -> StatementVersion:
        return self.versions[-1]

    def version_numbered(self, number: int) -> StatementVersion:
        if not 1 <= number <= len(self.versions):
            raise VersionNotFound(self.programme_id, number, len(self.versions))
        return self.versions[number - 1]

    def superseded_at(self, number: int) -> datetime | None:
        """When the version after this one was recorded (None for the current version)."""
        return self.versions[number].recorded_at if number < len(self.versions) else None

    def position_of(
        self, organisation_id: UUID, number: int | None = None
    ) -> PositionRecord | None:
        return self.positions[number or self.current.number].get(organisation_id)

    def adoption_of(self, number: int) -> Adoption | None:
        return next((a for a in self.adoptions if a.version == number), None)

    def not_aligned(self, programme: Programme) -> list[UUID]:
        """Participating organisations that do not endorse the current text."""
        current = self.positions[self.current.number]
        return [
            organisation_id
            for organisation_id in programme.participants
            if (record := current.get(organisation_id)) is None
            or record.position is not Position.ENDORSED
        ]

    # Endorsing and disputing

    def endorse(
        self,
        programme: Programme,
        organisation: Organisation,
        version: int,
        person_id: UUID | None,
        occurred_at: datetime | None = None,
    ) -> None:
        when = check_occurred_at("occurred_at", occurred_at)
        self._check_may_take_position(programme, organisation, version, when)
        existing = self.position_of(organisation.id)
        if existing is not None and existing.position is Position.ENDORSED:
            raise RuleViolation(f"'{organisation.name}' already endorses version {version}")
        self._endorsed(
            organisation_id=organisation.id, version=version, person_id=person_id, occurred_at=when
        )

    @event("Endorsed")
    def _endorsed(
        self, organisation_id: UUID, version: int, person_id: UUID | None, occurred_at: datetime
    ) -> None:
        self._record_position(
            PositionRecord(
                organisation_id, version, Position.ENDORSED, None, person_id, occurred_at
            )
        )

    def dispute(
        self,
        programme: Programme,
        organisation: Organisation,
        version: int,
        reason: str,
        person_id: UUID | None,
        occurred_at: datetime | None = None,
    ) -> None:
        reason = check_text("reason", reason, max_length=TEXT_MAX)
        when = check_occurred_at("occurred_at", occurred_at)
        self._check_may_take_position(programme, organisation, version, when)
        existing = self.position_of(organisation.id)
        if (
            existing is not None
            and existing.position is Position.DISPUTED
            and existing.reason == reason
        ):
            raise RuleViolation(
                f"'{organisation.name}' already disputes version {version} for this reason"
            )
        self._disputed(
            organisation_id=organisation.id,
            version=version,
            reason=reason,
            person_id=person_id,
            occurred_at=when,
        )

    @event("Disputed")
    def _disputed(
        self,
        organisation_id: UUID,
        version: int,
        reason: str,
        person_id: UUID | None,
        occurred_at: datetime,
    ) -> None:
        self._record_position(
            PositionRecord(
                organisation_id, version, Position.DISPUTED, reason, person_id, occurred_at
            )
        )

    def _record_position(self, record: PositionRecord) -> None:
        self.positions[record.version][record.organisation_id] = record
        self.position_log[record.version].append(record)
        self._unstamped.append(record)

    def _check_may_take_position(
        self, programme: Programme, organisation: Organisation, version: int, when: datetime
    ) -> None:
        self._check_programme(programme)
        organisation.check_accepts_activity()
        if organisation.id not in programme.participants:
            raise RuleViolation(
                f"'{organisation.name}' does not participate in programme '{programme.title}',"
                " so it has no position on its shared purpose"
            )
        drafted = self._check_is_current(version)
        if when < drafted.occurred_at:
            raise RuleViolation(
                f"a position on version {version} must not be dated before it was drafted"
                f" ({drafted.occurred_at.isoformat()})"
            )

    def _check_is_current(self, version: int) -> StatementVersion:
        current = self.current
        if version < 1 or version > current.number:
            raise InvalidValue(
                "version", f"there is no version {version}; the current version is {current.number}"
            )
        if version != current.number:
            raise RuleViolation(
                f"version {version} was superseded by version {current.number}; positions apply"
                f" only to the current text, so read version {current.number} and send that"
            )
        return current

    def _check_programme(self, programme: Programme) -> None:
        if programme.id != self.programme_id:
            raise RuleViolation(
                f"this shared-purpose statement belongs to programme {self.programme_id},"
                f" not {programme.id}"
            )

    # Adopting

    def adopt(
        self,
        programme: Programme,
        version: int,
        rationale: str,
        adopted_by: UUID | None,
        occurred_at: datetime | None = None,
    ) -> Adoption:
        """The board adopts the current version: endorsed by every participant, or over
        recorded disputes with a rationale. Every participant must have taken a position."""
        rationale = check_text("rationale", rationale, max_length=TEXT_MAX, required=False)
        when = check_occurred_at("occurred_at", occurred_at)
        self._check_programme(programme)
        drafted = self._check_is_current(version)
        if self.adoption_of(version) is not None:
            raise RuleViolation(f"version {version} has already been adopted")
        if when < drafted.occurred_at:
            raise RuleViolation(
                f"adopting version {version} must not be dated before it was drafted"
                f" ({drafted.occurred_at.isoformat()})"
            )
        positions = self.positions[version]
        silent = [o for o in programme.participants if o not in positions]
        if silent:
            names = ", ".join(str(o) for o in silent)
            raise RuleViolation(
                f"organisations {names} have neither endorsed nor disputed version {version};"
                " every participating organisation must take a position before the board adopts"
            )
        endorsed = [o for o in programme.participants if positions[o].position is Position.ENDORSED]
        disputed = [o for o in programme.participants if positions[o].position is Position.DISPUTED]
        if disputed and not rationale:
            raise InvalidValue(
                "rationale",
                f"is required to adopt version {version} over the disputes of"
                f" {', '.join(str(o) for o in disputed)}",
            )
        self._adopted(
            version=version,
            rationale=rationale,
            over_disputes=bool(disputed),
            endorsed_by=endorsed,
            disputed_by=disputed,
            adopted_by=adopted_by,
            occurred_at=when,
        )
        return self.adoptions[-1]

    @event("Adopted")
    def _adopted(
        self,
        version: int,
        rationale: str,
        over_disputes: bool,
        endorsed_by: list[UUID],
        disputed_by: list[UUID],
        adopted_by: UUID | None,
        occurred_at: datetime,
    ) -> None:
        adoption = Adoption(
            version,
            rationale,
            over_disputes,
            list(endorsed_by),
            list(disputed_by),
            adopted_by,
            occurred_at,
        )
        self.adoptions.append(adoption)
        self._unstamped.append(adoption)

    @property
    def adopted_version(self) -> int | None:
        """The most recently adopted version's number, if any."""
        return self.adoptions[-1].version if self.adoptions else None

    # Organisations merging

    def carry_position(self, merged_id: UUID, successor_id: UUID) -> bool:
        """A merged organisation's position on the current text passes to its successor,
        unless the successor has its own. Either way the statement records what happened.

        Returns whether anything was recorded (nothing, if the merged organisation had no
        position on the current version).
        """
        number = self.current.number
        record = self.positions[number].get(merged_id)
        if record is None:
            return False
        own = self.positions[number].get(successor_id)
        if own is not None:
            self._position_not_carried_over(
                from_organisation_id=merged_id,
                to_organisation_id=successor_id,
                version=number,
                position=record.position.value,
                successor_position=own.position.value,
            )
            return True
        self._position_carried_over(
            from_organisation_id=merged_id,
            to_organisation_id=successor_id,
            version=number,
            position=record.position.value,
            reason=record.reason,
            person_id=record.person_id,
            occurred_at=record.occurred_at,
        )
        return True

    @event("PositionCarriedOver")
    def _position_carried_over(
        self,
        from_organisation_id: UUID,
        to_organisation_id: UUID,
        version: int,
        position: str,
        reason: str | None,
        person_id: UUID | None,
        occurred_at: datetime,
    ) -> None:
        self._record_position(
            PositionRecord(
                to_organisation_id,
                version,
                Position(position),
                reason,
                person_id,
                occurred_at,
                carried_from=from_organisation_id,
            )
        )

    @event("PositionNotCarriedOver")
    def _position_not_carried_over(
        self,
        from_organisation_id: UUID,
        to_organisation_id: UUID,
        version: int,
        position: str,
        successor_position: str,
    ) -> None:
        """The successor already had its own position on this version, which stands."""

    # Recorded time

    def _stamp(self, recorded_at: datetime) -> None:
        for record in self._unstamped:
            record.recorded_at = recorded_at
        self._unstamped.clear()
