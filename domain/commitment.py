"""Commitments: what a provider commits to deliver to a commissioner, by when, how measured.

Status model
============

A commitment is *open* until it is delivered, missed or withdrawn; those three are closed and
final (the record stays, nothing is erased)::

    proposed ──accept──► accepted ──at-risk──► at_risk
       │                    │  ▲                  │
       │                    │  └──renegotiate─────┤      renegotiate (new due date):
       │                    ▼                     ▼      accepted / at_risk / renegotiated
       │                renegotiated ──at-risk──► at_risk      ──► renegotiated
       │
       └─ withdraw (any open status) ──► withdrawn
          deliver  (accepted, at_risk, renegotiated) ──► delivered
          missed   (accepted, at_risk, renegotiated; only once the due date has passed) ──► missed

- ``renegotiated`` is an open status: accepted, with a due date changed by agreement. Every
  due date is kept (``due_dates``), so the original one and the number of renegotiations are
  always known. Renegotiating an at-risk commitment is how the risk is resolved.
- Nothing but acceptance leaves ``proposed``, except withdrawal: a commitment the commissioner
  has not accepted cannot be delivered, missed, flagged at risk or renegotiated. Progress may
  be recorded on any open commitment (work often starts before acceptance).
- *Overdue* is not a status. It is derived, never recorded: an open commitment whose due date
  is before today (``is_overdue(today)``). Views compute it at read time.

Who acts
========

The provider's members make, update progress, deliver and withdraw. The commissioner's members
accept, record a miss and record a renegotiation (recording it *is* the commissioner's
agreement; the provider asks for it, e.g. in a progress note or by flagging it at risk). Either
side may flag it at risk. The use cases enforce membership; the domain records which side
flagged a risk.

Confidential notes
==================

Progress notes, delivery evidence and the reasons for a risk, a miss, a renegotiation or a
withdrawal may be marked ``confidential``: for the provider and the commissioner only. The
flag is recorded in the event (events recorded before it existed decode as not
confidential); the read side withholds such text from everyone else
(services/api/commitment_redaction.py).

Dates
=====

Due dates are calendar dates. "Today" is the UTC date unless a caller passes one. Events hold
dates as ISO text (``2026-12-31``), since the event store's JSON transcoder has no date type.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from uuid import UUID

from eventsourcing.domain import event

from domain.base import LedgerAggregate
from domain.errors import InvalidValue, RuleViolation
from domain.organisation import Organisation
from domain.programme import Programme
from domain.timing import check_occurred_at, utc_now
from domain.values import NAME_MAX, TEXT_MAX, OrganisationKind, check_text


class CommitmentStatus(StrEnum):
    PROPOSED = "proposed"
    ACCEPTED = "accepted"
    AT_RISK = "at_risk"
    DELIVERED = "delivered"
    MISSED = "missed"
    RENEGOTIATED = "renegotiated"
    WITHDRAWN = "withdrawn"


#: Statuses in which a commitment is still to be delivered.
OPEN_STATUSES = frozenset(
    {
        CommitmentStatus.PROPOSED,
        CommitmentStatus.ACCEPTED,
        CommitmentStatus.AT_RISK,
        CommitmentStatus.RENEGOTIATED,
    }
)
#: Final statuses: nothing changes a commitment after these.
CLOSED_STATUSES = frozenset(set(CommitmentStatus) - OPEN_STATUSES)
#: Open statuses the commissioner has agreed to.
AGREED_STATUSES = OPEN_STATUSES - {CommitmentStatus.PROPOSED}


class Party(StrEnum):
    """The two sides of a commitment."""

    PROVIDER = "provider"
    COMMISSIONER = "commissioner"


#: Contract levers in common use. The vocabulary is open: any other short text is kept as
#: given; one of these, in any letter case, is stored in the spelling below.
CONTRACT_LEVERS = (
    "CQUIN",
    "KPI",
    "SDIP",
    "contract variation",
    "quality schedule",
    "local incentive scheme",
)
_LEVERS_BY_FOLDED = {lever.casefold(): lever for lever in CONTRACT_LEVERS}

PERCENT_MIN = 0
PERCENT_MAX = 100


@dataclass(frozen=True)
class DueDateChange:
    """A due date in force from the event at ``version``; the first is the original."""

    due_date: date
    previous_due_date: date | None
    reason: str | None
    version: int
    #: The reason is for the two sides only (see ``confidential`` in the module docstring).
    confidential: bool = False


@dataclass(frozen=True)
class ProgressUpdate:
    percent: int
    note: str
    version: int
    confidential: bool = False


@dataclass(frozen=True)
class StatusChange:
    status: CommitmentStatus
    #: The side that made the change (None: the platform itself flagged a risk).
    party: Party | None
    #: The reason, or the evidence of delivery.
    note: str | None
    #: When it happened in the world, where the client says (delivery).
    occurred_at: datetime | None
    version: int
    #: The note is for the two sides only.
    confidential: bool = False


@dataclass(frozen=True)
class CarryOver:
    """A side of the commitment passed to the successor of a merged organisation."""

    role: Party
    from_organisation_id: UUID
    to_organisation_id: UUID
    version: int


def utc_today() -> date:
    return utc_now().date()


def check_date(field: str, value: date) -> date:
    if isinstance(value, datetime) or not isinstance(value, date):
        raise InvalidValue(field, "must be a calendar date like 2026-12-31")
    return value


def check_flag(field: str, value: bool) -> bool:
    if not isinstance(value, bool):
        raise InvalidValue(field, "must be true or false")
    return value


def check_percent(value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidValue("percent", "must be a whole number from 0 to 100")
    if not PERCENT_MIN <= value <= PERCENT_MAX:
        raise InvalidValue("percent", f"must be from 0 to 100, not {value}")
    return value


def check_contract_lever(value: str | None) -> str | None:
    """An open vocabulary: known levers in their usual spelling, anything else as given."""
    if value is None:
        return None
    cleaned = check_text("contract_lever", value, max_length=NAME_MAX, required=False)
    if not cleaned:
        return None
    return _LEVERS_BY_FOLDED.get(cleaned.casefold(), cleaned)


class Commitment(LedgerAggregate):
    RECORD_KIND = "commitment"

    @classmethod
    def make(
        cls,
        *,
        provider: Organisation,
        commissioner: Organisation,
        what: str,
        measure: str,
        due_date: date,
        contract_lever: str | None = None,
        programme: Programme | None = None,
        decision_id: UUID | None = None,
        occurred_at: datetime | None = None,
    ) -> Commitment:
        """A provider commits to a commissioner. ``occurred_at`` is when it was made."""
        if provider.kind is not OrganisationKind.PROVIDER:
            raise InvalidValue(
                "provider_id", f"must be a provider; '{provider.name}' is a {provider.kind.value}"
            )
        if commissioner.kind is not OrganisationKind.COMMISSIONER:
            raise InvalidValue(
                "commissioner_id",
                f"must be a commissioner; '{commissioner.name}' is a {commissioner.kind.value}",
            )
        what = check_text("what", what, max_length=TEXT_MAX)
        measure = check_text("measure", measure, max_length=TEXT_MAX)
        lever = check_contract_lever(contract_lever)
        due = check_date("due_date", due_date)
        made_at = check_occurred_at("occurred_at", occurred_at)
        if due < made_at.date():
            raise InvalidValue(
                "due_date",
                f"must not be before the day the commitment was made ({made_at.date()})",
            )
        provider.check_accepts_activity()
        commissioner.check_accepts_activity()
        if programme is not None:
            for organisation in (provider, commissioner):
                if organisation.id not in programme.participants:
                    raise RuleViolation(
                        f"'{organisation.name}' does not take part in programme"
                        f" '{programme.title}'; add it as a participant first"
                    )
        return cls(
            provider_id=provider.id,
            commissioner_id=commissioner.id,
            what=what,
            measure=measure,
            due_date=due.isoformat(),
            contract_lever=lever,
            programme_id=programme.id if programme is not None else None,
            decision_id=decision_id,
            occurred_at=made_at,
        )

    @event("Made")
    def __init__(
        self,
        provider_id: UUID,
        commissioner_id: UUID,
        what: str,
        measure: str,
        due_date: str,
        contract_lever: str | None,
        programme_id: UUID | None,
        decision_id: UUID | None,
        occurred_at: datetime,
    ) -> None:
        self.provider_id = provider_id
        self.commissioner_id = commissioner_id
        self.what = what
        self.measure = measure
        self.contract_lever = contract_lever
        self.programme_id = programme_id
        self.decision_id = decision_id
        self.made_at = occurred_at
        self.status = CommitmentStatus.PROPOSED
        self.due_date = date.fromisoformat(due_date)
        self.due_dates = [DueDateChange(self.due_date, None, None, 1)]
        self.progress: list[ProgressUpdate] = []
        self.statuses = [
            StatusChange(CommitmentStatus.PROPOSED, Party.PROVIDER, None, occurred_at, 1)
        ]
        self.carried_over: list[CarryOver] = []
        self.delivered_on: date | None = None
        self.delivered_on_time: bool | None = None

    # Derived, never recorded

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def original_due_date(self) -> date:
        return self.due_dates[0].due_date

    @property
    def renegotiation_count(self) -> int:
        return len(self.due_dates) - 1

    @property
    def percent_complete(self) -> int | None:
        return self.progress[-1].percent if self.progress else None

    @property
    def status_note(self) -> str | None:
        """Why it has its current status: the reason, or the evidence of delivery."""
        return self.statuses[-1].note

    def is_overdue(self, today: date) -> bool:
        """Open with its due date before ``today``. Pass today in: it is never stored."""
        return self.is_open and self.due_date < today

    def days_overdue(self, today: date) -> int | None:
        return (today - self.due_date).days if self.is_overdue(today) else None

    # Guards

    def _check_open(self, action: str) -> None:
        if self.status in CLOSED_STATUSES:
            note = self.status_note
            why = f" ({note})" if note and self.status is not CommitmentStatus.DELIVERED else ""
            raise RuleViolation(
                f"cannot {action} this commitment: it was {self.status.value}{why}"
                " and is closed for good"
            )

    def _check_agreed(self, action: str) -> None:
        self._check_open(action)
        if self.status is CommitmentStatus.PROPOSED:
            raise RuleViolation(
                f"cannot {action} this commitment: the commissioner has not accepted it yet"
            )

    @property
    def _next_version(self) -> int:
        # Event bodies run before the aggregate's version moves on to the event's.
        return self.version + 1

    # Accepting

    def accept(self) -> None:
        """The commissioner agrees to the commitment as proposed."""
        self._check_open("accept")
        if self.status is not CommitmentStatus.PROPOSED:
            raise RuleViolation(
                "the commissioner has already accepted this commitment; it cannot be accepted twice"
            )
        self._accepted()

    @event("Accepted")
    def _accepted(self) -> None:
        self.status = CommitmentStatus.ACCEPTED
        self.statuses.append(
            StatusChange(
                CommitmentStatus.ACCEPTED, Party.COMMISSIONER, None, None, self._next_version
            )
        )

    # Progress

    def record_progress(self, percent: int, note: str, confidential: bool = False) -> None:
        percent = check_percent(percent)
        note = check_text("note", note, max_length=TEXT_MAX)
        self._check_open("record progress on")
        self._progress_recorded(
            percent=percent, note=note, confidential=check_flag("confidential", confidential)
        )

    @event("ProgressRecorded")
    def _progress_recorded(self, percent: int, note: str, confidential: bool = False) -> None:
        self.progress.append(ProgressUpdate(percent, note, self._next_version, confidential))

    # At risk

    def flag_at_risk(self, reason: str, party: Party | None, confidential: bool = False) -> None:
        """Either side flags that delivery by the due date is in doubt."""
        reason = check_text("reason", reason, max_length=TEXT_MAX)
        self._check_agreed("flag at risk")
        if self.status is CommitmentStatus.AT_RISK:
            raise RuleViolation(
                f"this commitment is already flagged at risk ({self.status_note});"
                " renegotiate it, deliver it or record the outcome"
            )
        self._flagged_at_risk(
            reason=reason,
            party=party.value if party is not None else None,
            confidential=check_flag("confidential", confidential),
        )

    @event("FlaggedAtRisk")
    def _flagged_at_risk(self, reason: str, party: str | None, confidential: bool = False) -> None:
        self.status = CommitmentStatus.AT_RISK
        self.statuses.append(
            StatusChange(
                CommitmentStatus.AT_RISK,
                Party(party) if party is not None else None,
                reason,
                None,
                self._next_version,
                confidential,
            )
        )

    # Outcomes

    def deliver(
        self, evidence: str, occurred_at: datetime | None = None, confidential: bool = False
    ) -> None:
        """The provider delivered; on time if delivered on or before the due date in force."""
        evidence = check_text("evidence", evidence, max_length=TEXT_MAX)
        when = check_occurred_at("occurred_at", occurred_at)
        self._check_agreed("deliver")
        if when < self.made_at:
            raise RuleViolation(
                "delivery must not be dated before the commitment was made"
                f" ({self.made_at.isoformat()})"
            )
        self._delivered(
            evidence=evidence,
            occurred_at=when,
            on_time=when.date() <= self.due_date,
            confidential=check_flag("confidential", confidential),
        )

    @event("Delivered")
    def _delivered(
        self, evidence: str, occurred_at: datetime, on_time: bool, confidential: bool = False
    ) -> None:
        self.status = CommitmentStatus.DELIVERED
        self.delivered_on = occurred_at.date()
        self.delivered_on_time = on_time
        self.statuses.append(
            StatusChange(
                CommitmentStatus.DELIVERED,
                Party.PROVIDER,
                evidence,
                occurred_at,
                self._next_version,
                confidential,
            )
        )

    def record_missed(
        self, reason: str, today: date | None = None, confidential: bool = False
    ) -> None:
        """The commissioner records that it was not delivered; only after its due date."""
        reason = check_text("reason", reason, max_length=TEXT_MAX)
        self._check_agreed("record a miss of")
        today = today or utc_today()
        if self.due_date >= today:
            raise RuleViolation(
                f"this commitment is due on {self.due_date}, which has not passed yet"
                f" (today is {today}); record a miss only after the due date, and flag it"
                " at risk meanwhile"
            )
        self._missed(reason=reason, confidential=check_flag("confidential", confidential))

    @event("Missed")
    def _missed(self, reason: str, confidential: bool = False) -> None:
        self.status = CommitmentStatus.MISSED
        self.statuses.append(
            StatusChange(
                CommitmentStatus.MISSED,
                Party.COMMISSIONER,
                reason,
                None,
                self._next_version,
                confidential,
            )
        )

    def renegotiate(
        self,
        new_due_date: date,
        reason: str,
        today: date | None = None,
        confidential: bool = False,
    ) -> None:
        """The commissioner agrees a new due date. The old one stays in ``due_dates``."""
        new_due = check_date("new_due_date", new_due_date)
        reason = check_text("reason", reason, max_length=TEXT_MAX)
        self._check_agreed("renegotiate")
        today = today or utc_today()
        if new_due == self.due_date:
            raise RuleViolation(
                f"this commitment is already due on {new_due}; a renegotiation must change"
                " the due date"
            )
        if new_due < today:
            raise RuleViolation(
                f"the new due date {new_due} lies in the past (today is {today});"
                " a renegotiated date must be today or later"
            )
        self._renegotiated(
            new_due_date=new_due.isoformat(),
            previous_due_date=self.due_date.isoformat(),
            reason=reason,
            confidential=check_flag("confidential", confidential),
        )

    @event("Renegotiated")
    def _renegotiated(
        self, new_due_date: str, previous_due_date: str, reason: str, confidential: bool = False
    ) -> None:
        self.status = CommitmentStatus.RENEGOTIATED
        self.due_date = date.fromisoformat(new_due_date)
        version = self._next_version
        self.due_dates.append(
            DueDateChange(
                self.due_date, date.fromisoformat(previous_due_date), reason, version, confidential
            )
        )
        self.statuses.append(
            StatusChange(
                CommitmentStatus.RENEGOTIATED,
                Party.COMMISSIONER,
                reason,
                None,
                version,
                confidential,
            )
        )

    def withdraw(self, reason: str, confidential: bool = False) -> None:
        """The provider withdraws the commitment, proposed or agreed."""
        reason = check_text("reason", reason, max_length=TEXT_MAX)
        self._check_open("withdraw")
        self._withdrawn(reason=reason, confidential=check_flag("confidential", confidential))

    @event("Withdrawn")
    def _withdrawn(self, reason: str, confidential: bool = False) -> None:
        self.status = CommitmentStatus.WITHDRAWN
        self.statuses.append(
            StatusChange(
                CommitmentStatus.WITHDRAWN,
                Party.PROVIDER,
                reason,
                None,
                self._next_version,
                confidential,
            )
        )

    # Organisations merging

    def carry_over(self, merged_id: UUID, successor: Organisation) -> None:
        """The merged organisation's side of an open commitment passes to its successor."""
        if successor.id == merged_id:
            raise InvalidValue("successor_id", "an organisation cannot succeed itself")
        roles = [
            role
            for role, holder in (
                (Party.PROVIDER, self.provider_id),
                (Party.COMMISSIONER, self.commissioner_id),
            )
            if holder == merged_id
        ]
        if not roles:
            raise RuleViolation(
                f"organisation {merged_id} is neither the provider nor the commissioner"
                " of this commitment"
            )
        if not self.is_open:
            raise RuleViolation(
                f"this commitment was {self.status.value}; closed commitments stay with the"
                " organisations that held them"
            )
        for role in roles:
            self._carried_over(
                role=role.value, from_organisation_id=merged_id, to_organisation_id=successor.id
            )

    @event("CarriedOver")
    def _carried_over(
        self, role: str, from_organisation_id: UUID, to_organisation_id: UUID
    ) -> None:
        party = Party(role)
        if party is Party.PROVIDER:
            self.provider_id = to_organisation_id
        else:
            self.commissioner_id = to_organisation_id
        self.carried_over.append(
            CarryOver(party, from_organisation_id, to_organisation_id, self._next_version)
        )
