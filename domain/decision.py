"""Decisions: proposed, consulted on, taken, amended, superseded and revoked; never erased.

The life of a decision::

    proposed ──take──► decided ──supersede──► superseded
        │                 │  ▲
        │                 │  └─ amend (stays decided; a proposal may be amended too)
        │                 └──revoke──► revoked
        └──revoke──► withdrawn   (a proposal that was never taken)

Choices made here (documented for the API):

- Consultation is explicit: an organisation is consulted first, then it may respond. A
  response from an organisation that was not consulted is refused (409), so "who was asked"
  and "who answered" are both on the record. An organisation may respond again; every
  response is kept and the latest is its current stance.
- Revoking a proposal that was never taken withdraws it (status ``withdrawn``); revoking a
  taken decision revokes it (status ``revoked``). Both need a reason.
- Supersession links two *taken* decisions of the same programme: the old one records
  ``superseded_by``, the new one adds the old one to ``supersedes`` (a new decision may
  replace several). The supersession happened when the new decision was taken, so its
  occurred time is the new decision's decided time.
- Occurred times (``occurred_at``) are the client's, default to now, may not lie in the
  future, and may not lie before the proposal (nor, once taken, before the decision).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from eventsourcing.domain import event

from domain.actor import current_actor
from domain.base import LedgerAggregate
from domain.errors import InvalidValue, RuleViolation
from domain.organisation import Organisation
from domain.programme import Programme
from domain.timing import check_occurred_at
from domain.values import CHANGE_MODEL_KEYS, NAME_MAX, TEXT_MAX, check_choice, check_text

#: At most this many options considered, each at most OPTION_MAX characters.
OPTIONS_MAX = 50
OPTION_MAX = 1000


class DecisionStatus(StrEnum):
    PROPOSED = "proposed"
    DECIDED = "decided"
    SUPERSEDED = "superseded"
    REVOKED = "revoked"
    WITHDRAWN = "withdrawn"


#: Statuses in which a decision still stands or may still be taken.
OPEN = (DecisionStatus.PROPOSED, DecisionStatus.DECIDED)


class Stance(StrEnum):
    SUPPORT = "support"
    OBJECT = "object"


@dataclass(frozen=True)
class Response:
    stance: Stance
    reason: str
    responded_by: UUID | None
    occurred_at: datetime


@dataclass(frozen=True)
class Consultation:
    organisation_id: UUID
    consulted_by: UUID | None
    occurred_at: datetime
    responses: tuple[Response, ...] = ()
    #: The merged organisation this consultation was carried over from, if any.
    carried_from: UUID | None = None

    @property
    def latest(self) -> Response | None:
        return self.responses[-1] if self.responses else None


@dataclass(frozen=True)
class Amendment:
    reason: str
    amended_by: UUID | None
    occurred_at: datetime
    title: str | None
    rationale: str | None
    options: tuple[str, ...] | None
    components: tuple[str, ...] | None


def check_components(values: Sequence[str]) -> list[str]:
    """Change Model component keys, each known, without repeats, in the order given."""
    unknown = [value for value in values if value not in CHANGE_MODEL_KEYS]
    if unknown:
        raise InvalidValue(
            "components",
            f"unknown Change Model component(s) {', '.join(map(repr, unknown))};"
            f" use: {', '.join(CHANGE_MODEL_KEYS)}",
        )
    return list(dict.fromkeys(values))


def check_options(values: Sequence[str]) -> list[str]:
    if len(values) > OPTIONS_MAX:
        raise InvalidValue("options", f"at most {OPTIONS_MAX} options may be listed")
    return [check_text("options", value, max_length=OPTION_MAX) for value in values]


def _day(value: datetime) -> str:
    return value.isoformat().replace("+00:00", "Z")


class Decision(LedgerAggregate):
    RECORD_KIND = "decision"

    # Proposing

    @classmethod
    def propose(
        cls,
        *,
        programme: Programme,
        organisation: Organisation,
        title: str,
        rationale: str,
        options: Sequence[str] = (),
        components: Sequence[str] = (),
        workstream_id: UUID | None = None,
        occurred_at: datetime | None = None,
    ) -> Decision:
        """Propose a decision for a programme, by a participating organisation."""
        title = check_text("title", title)
        rationale = check_text("rationale", rationale, max_length=TEXT_MAX)
        checked_options = check_options(options)
        checked_components = check_components(components)
        if workstream_id is not None and workstream_id not in {w.id for w in programme.workstreams}:
            raise InvalidValue(
                "workstream_id", f"programme '{programme.title}' has no workstream {workstream_id}"
            )
        when = check_occurred_at("occurred_at", occurred_at)
        _check_participates(programme, organisation, "propose decisions in it")
        organisation.check_accepts_activity()
        return cls(
            programme_id=programme.id,
            workstream_id=workstream_id,
            title=title,
            rationale=rationale,
            options=checked_options,
            components=checked_components,
            proposing_organisation_id=organisation.id,
            proposed_by=current_actor(),
            occurred_at=when,
        )

    @event("Proposed")
    def __init__(
        self,
        programme_id: UUID,
        workstream_id: UUID | None,
        title: str,
        rationale: str,
        options: list[str],
        components: list[str],
        proposing_organisation_id: UUID,
        proposed_by: UUID | None,
        occurred_at: datetime,
    ) -> None:
        self.programme_id = programme_id
        self.workstream_id = workstream_id
        self.title = title
        self.rationale = rationale
        self.options: tuple[str, ...] = tuple(options)
        self.components: tuple[str, ...] = tuple(components)
        self.proposing_organisation_id = proposing_organisation_id
        self.proposed_by = proposed_by
        self.proposed_at = occurred_at
        self.status = DecisionStatus.PROPOSED
        self.consultations: dict[UUID, Consultation] = {}
        self.amendments: list[Amendment] = []
        self.authority: str | None = None
        self.decided_by: UUID | None = None
        self.decided_by_organisation_id: UUID | None = None
        self.decided_at: datetime | None = None
        self.superseded_by: UUID | None = None
        self.superseded_at: datetime | None = None
        self.supersedes: list[UUID] = []
        self.revoked_at: datetime | None = None
        self.revocation_reason: str | None = None

    @property
    def latency_days(self) -> float | None:
        """Days from proposal to decision, by occurred time (meeting dates), not recorded."""
        if self.decided_at is None:
            return None
        return round((self.decided_at - self.proposed_at).total_seconds() / 86400, 2)

    # Guards

    def _describe_closed(self) -> str:
        if self.status is DecisionStatus.SUPERSEDED:
            return f"it was superseded by decision {self.superseded_by}"
        if self.status is DecisionStatus.REVOKED:
            return "it was revoked"
        if self.status is DecisionStatus.WITHDRAWN:
            return "it was withdrawn before it was taken"
        return f"it is {self.status.value}"

    def check_open(self, action: str) -> None:
        """Only a proposal or a decision that still stands can be changed."""
        if self.status not in OPEN:
            raise RuleViolation(
                f"cannot {action}: {self._describe_closed()}; nothing more can be recorded"
                " on it except as history"
            )

    def _check_not_before(self, when: datetime, *, since_decision: bool = False) -> None:
        if when < self.proposed_at:
            raise InvalidValue(
                "occurred_at", f"must not be before the proposal ({_day(self.proposed_at)})"
            )
        if since_decision and self.decided_at is not None and when < self.decided_at:
            raise InvalidValue(
                "occurred_at",
                f"must not be before the decision was taken ({_day(self.decided_at)})",
            )

    # Consultation

    def consult(
        self, organisation: Organisation, programme: Programme, occurred_at: datetime | None = None
    ) -> None:
        """Ask a participating organisation for its view."""
        self.check_open("consult on this decision")
        if organisation.id in self.consultations:
            raise RuleViolation(
                f"organisation '{organisation.name}' has already been consulted on this decision"
            )
        _check_participates(programme, organisation, "be consulted on its decisions")
        organisation.check_accepts_activity()
        when = check_occurred_at("occurred_at", occurred_at)
        self._check_not_before(when)
        self._consulted(
            organisation_id=organisation.id, consulted_by=current_actor(), occurred_at=when
        )

    @event("Consulted")
    def _consulted(
        self, organisation_id: UUID, consulted_by: UUID | None, occurred_at: datetime
    ) -> None:
        self.consultations[organisation_id] = Consultation(
            organisation_id, consulted_by, occurred_at
        )

    def respond(
        self,
        organisation: Organisation,
        stance: str,
        reason: str = "",
        occurred_at: datetime | None = None,
    ) -> None:
        """Record a consulted organisation's support or objection (an objection needs a reason)."""
        chosen = check_choice("stance", stance, Stance)
        reason = check_text("reason", reason, max_length=TEXT_MAX, required=chosen is Stance.OBJECT)
        self.check_open("record a response")
        consultation = self.consultations.get(organisation.id)
        if consultation is None:
            raise RuleViolation(
                f"organisation '{organisation.name}' was not consulted on this decision;"
                " consult it first, then record its response"
            )
        organisation.check_accepts_activity()
        when = check_occurred_at("occurred_at", occurred_at)
        if when < consultation.occurred_at:
            raise InvalidValue(
                "occurred_at",
                f"must not be before the organisation was consulted"
                f" ({_day(consultation.occurred_at)})",
            )
        self._response_recorded(
            organisation_id=organisation.id,
            stance=chosen.value,
            reason=reason,
            responded_by=current_actor(),
            occurred_at=when,
        )

    @event("ResponseRecorded")
    def _response_recorded(
        self,
        organisation_id: UUID,
        stance: str,
        reason: str,
        responded_by: UUID | None,
        occurred_at: datetime,
    ) -> None:
        consultation = self.consultations[organisation_id]
        response = Response(Stance(stance), reason, responded_by, occurred_at)
        self.consultations[organisation_id] = replace(
            consultation, responses=(*consultation.responses, response)
        )

    # Taking the decision

    def take(
        self,
        authority: str,
        occurred_at: datetime | None = None,
        decided_by_organisation_id: UUID | None = None,
    ) -> None:
        """Take the proposed decision, on an authority such as 'Programme board 2026-11-12'."""
        authority = check_text("authority", authority, max_length=NAME_MAX)
        if self.status is DecisionStatus.DECIDED:
            assert self.decided_at is not None
            raise RuleViolation(
                f"this decision was already taken on {_day(self.decided_at)}"
                f" ({self.authority}); amend it or supersede it instead"
            )
        self.check_open("take this decision")
        when = check_occurred_at("occurred_at", occurred_at)
        self._check_not_before(when)
        self._taken(
            authority=authority,
            decided_by=current_actor(),
            decided_by_organisation_id=decided_by_organisation_id,
            occurred_at=when,
        )

    @event("Taken")
    def _taken(
        self,
        authority: str,
        decided_by: UUID | None,
        decided_by_organisation_id: UUID | None,
        occurred_at: datetime,
    ) -> None:
        self.status = DecisionStatus.DECIDED
        self.authority = authority
        self.decided_by = decided_by
        self.decided_by_organisation_id = decided_by_organisation_id
        self.decided_at = occurred_at

    # Amending

    def amend(
        self,
        *,
        reason: str,
        title: str | None = None,
        rationale: str | None = None,
        options: Sequence[str] | None = None,
        components: Sequence[str] | None = None,
        occurred_at: datetime | None = None,
    ) -> None:
        """Change the title, rationale, options or components, saying why."""
        reason = check_text("reason", reason, max_length=TEXT_MAX)
        new_title = None if title is None else check_text("title", title)
        new_rationale = (
            None if rationale is None else check_text("rationale", rationale, max_length=TEXT_MAX)
        )
        new_options = None if options is None else check_options(options)
        new_components = None if components is None else check_components(components)
        if (new_title, new_rationale, new_options, new_components) == (None, None, None, None):
            raise InvalidValue(
                "body", "an amendment must change title, rationale, options or components"
            )
        self.check_open("amend this decision")
        when = check_occurred_at("occurred_at", occurred_at)
        self._check_not_before(when, since_decision=True)
        # Only what differs from the current wording is recorded as changed.
        changed_title = None if new_title == self.title else new_title
        changed_rationale = None if new_rationale == self.rationale else new_rationale
        changed_options = (
            None if new_options is None or tuple(new_options) == self.options else new_options
        )
        changed_components = (
            None
            if new_components is None or tuple(new_components) == self.components
            else new_components
        )
        changes = (changed_title, changed_rationale, changed_options, changed_components)
        if all(change is None for change in changes):
            raise RuleViolation("the amendment changes nothing: the decision already says that")
        self._amended(
            reason=reason,
            amended_by=current_actor(),
            occurred_at=when,
            title=changed_title,
            rationale=changed_rationale,
            options=changed_options,
            components=changed_components,
        )

    @event("Amended")
    def _amended(
        self,
        reason: str,
        amended_by: UUID | None,
        occurred_at: datetime,
        title: str | None,
        rationale: str | None,
        options: list[str] | None,
        components: list[str] | None,
    ) -> None:
        amendment = Amendment(
            reason=reason,
            amended_by=amended_by,
            occurred_at=occurred_at,
            title=title,
            rationale=rationale,
            options=None if options is None else tuple(options),
            components=None if components is None else tuple(components),
        )
        self.amendments.append(amendment)
        if amendment.title is not None:
            self.title = amendment.title
        if amendment.rationale is not None:
            self.rationale = amendment.rationale
        if amendment.options is not None:
            self.options = amendment.options
        if amendment.components is not None:
            self.components = amendment.components

    # Superseding

    def supersede_with(self, successor: Decision) -> None:
        """This decision is replaced by ``successor``, a later decision of the same programme.

        Records the link on both: call it, then save both decisions in one transaction.
        """
        if successor.id == self.id:
            raise RuleViolation("a decision cannot supersede itself")
        if successor.programme_id != self.programme_id:
            raise InvalidValue(
                "superseded_by",
                f"decision {successor.id} belongs to another programme; a decision can only be"
                " superseded by one of its own programme",
            )
        if self.status is DecisionStatus.PROPOSED:
            raise RuleViolation(
                "cannot supersede this decision: it is still a proposal; withdraw it instead"
            )
        if self.status is not DecisionStatus.DECIDED:
            raise RuleViolation(f"cannot supersede this decision: {self._describe_closed()}")
        if successor.status is DecisionStatus.PROPOSED:
            raise RuleViolation(
                f"decision {successor.id} is still a proposal; take it before it supersedes another"
            )
        if successor.status is not DecisionStatus.DECIDED:
            raise RuleViolation(
                f"decision {successor.id} cannot supersede another: {successor._describe_closed()}"
            )
        assert self.decided_at is not None
        assert successor.decided_at is not None
        if successor.decided_at < self.decided_at:
            raise RuleViolation(
                f"decision {successor.id} was taken on {_day(successor.decided_at)}, before this"
                f" one ({_day(self.decided_at)}); only a later decision can supersede it"
            )
        self._superseded(superseded_by=successor.id, occurred_at=successor.decided_at)
        successor._superseded_another(supersedes=self.id, occurred_at=successor.decided_at)

    @event("Superseded")
    def _superseded(self, superseded_by: UUID, occurred_at: datetime) -> None:
        self.status = DecisionStatus.SUPERSEDED
        self.superseded_by = superseded_by
        self.superseded_at = occurred_at

    @event("SupersededAnother")
    def _superseded_another(self, supersedes: UUID, occurred_at: datetime) -> None:
        self.supersedes.append(supersedes)

    # Revoking (or withdrawing a proposal)

    def revoke(self, reason: str, occurred_at: datetime | None = None) -> None:
        """Revoke a taken decision, or withdraw a proposal never taken; the record stays."""
        reason = check_text("reason", reason, max_length=TEXT_MAX)
        self.check_open("revoke this decision")
        when = check_occurred_at("occurred_at", occurred_at)
        self._check_not_before(when, since_decision=True)
        if self.status is DecisionStatus.PROPOSED:
            self._withdrawn(reason=reason, occurred_at=when)
        else:
            self._revoked(reason=reason, occurred_at=when)

    @event("Revoked")
    def _revoked(self, reason: str, occurred_at: datetime) -> None:
        self.status = DecisionStatus.REVOKED
        self.revoked_at = occurred_at
        self.revocation_reason = reason

    @event("Withdrawn")
    def _withdrawn(self, reason: str, occurred_at: datetime) -> None:
        self.status = DecisionStatus.WITHDRAWN
        self.revoked_at = occurred_at
        self.revocation_reason = reason

    # Organisations merging

    def carry_consultation(self, merged_id: UUID, successor: Organisation) -> bool:
        """A merged organisation's consultation on an open decision passes to its successor.

        Returns whether anything was carried over: nothing is when the decision is closed,
        the merged organisation was not consulted, or the successor was consulted already.
        """
        if self.status not in OPEN or merged_id not in self.consultations:
            return False
        if successor.id in self.consultations:
            return False
        self._consultation_carried_over(
            from_organisation_id=merged_id, to_organisation_id=successor.id
        )
        return True

    @event("ConsultationCarriedOver")
    def _consultation_carried_over(
        self, from_organisation_id: UUID, to_organisation_id: UUID
    ) -> None:
        consultation = self.consultations.pop(from_organisation_id)
        self.consultations[to_organisation_id] = replace(
            consultation, organisation_id=to_organisation_id, carried_from=from_organisation_id
        )


def _check_participates(programme: Programme, organisation: Organisation, action: str) -> None:
    if organisation.id not in programme.participants:
        raise RuleViolation(
            f"organisation '{organisation.name}' does not participate in programme"
            f" '{programme.title}', so cannot {action}"
        )
