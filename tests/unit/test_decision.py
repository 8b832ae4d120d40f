"""Decision: proposing, taking, amending and revoking, in memory."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import pytest

from domain.actor import acting_as
from domain.decision import Decision, DecisionStatus
from domain.errors import InvalidValue, RuleViolation
from domain.values import CHANGE_MODEL_KEYS
from tests.unit.decisions_support import Board
from tests.unit.support import ago, ahead, collected, dissolved, merged, pending, recorded

ACTOR = uuid4()


@pytest.fixture
def board() -> Board:
    return Board()


def propose(board: Board, **changes: Any) -> Decision:
    arguments: dict[str, Any] = {
        "programme": board.programme,
        "organisation": board.trust,
        "title": "Open a single point of access",
        "rationale": "Patients call four numbers today",
    }
    arguments.update(changes)
    return Decision.propose(**arguments)


# Proposing


def test_proposing_records_one_proposed_event_with_what_was_proposed(board: Board) -> None:
    with acting_as(ACTOR):
        decision = propose(
            board,
            title=" Open a single point of access ",
            options=["Do nothing", "One number for all"],
            components=["delivery", "engagement"],
            workstream_id=board.workstream.id,
        )

    events = pending(decision)
    assert [type(e).__name__ for e in events] == ["Proposed"]
    assert events[0].actor_id == ACTOR
    assert (decision.title, decision.options, decision.components) == (
        "Open a single point of access",
        ("Do nothing", "One number for all"),
        ("delivery", "engagement"),
    )
    assert (decision.programme_id, decision.workstream_id) == (
        board.programme.id,
        board.workstream.id,
    )
    assert (decision.proposing_organisation_id, decision.proposed_by) == (board.trust.id, ACTOR)
    assert decision.status is DecisionStatus.PROPOSED


def test_a_proposal_may_carry_the_meeting_date_as_its_occurred_time(board: Board) -> None:
    meeting = datetime(2026, 1, 12, 14, 0, tzinfo=UTC)

    decision = propose(board, occurred_at=meeting)

    assert decision.proposed_at == meeting


def test_a_proposal_without_occurred_time_happened_now(board: Board) -> None:
    decision = propose(board)

    assert abs(decision.proposed_at - datetime.now(UTC)) < timedelta(seconds=5)


def test_every_change_model_component_may_be_named(board: Board) -> None:
    decision = propose(board, components=list(CHANGE_MODEL_KEYS))

    assert decision.components == CHANGE_MODEL_KEYS


def test_a_component_named_twice_is_kept_once_in_the_order_given(board: Board) -> None:
    decision = propose(board, components=["spread", "delivery", "spread"])

    assert decision.components == ("spread", "delivery")


@pytest.mark.parametrize("components", [["finance"], ["delivery", "Delivery"], [""]])
def test_an_unknown_component_is_refused_naming_components(
    board: Board, components: list[str]
) -> None:
    with pytest.raises(InvalidValue) as refused:
        propose(board, components=components)

    assert refused.value.field == "components"


@pytest.mark.parametrize(
    ("field", "value"),
    [("title", ""), ("title", "x" * 201), ("rationale", "  "), ("rationale", "x" * 5001)],
)
def test_an_invalid_title_or_rationale_is_refused_naming_the_field(
    board: Board, field: str, value: str
) -> None:
    with pytest.raises(InvalidValue) as refused:
        propose(board, **{field: value})

    assert refused.value.field == field


@pytest.mark.parametrize("options", [["Do nothing", " "], ["option"] * 51])
def test_blank_or_too_many_options_are_refused_naming_options(
    board: Board, options: list[str]
) -> None:
    with pytest.raises(InvalidValue) as refused:
        propose(board, options=options)

    assert refused.value.field == "options"


def test_a_workstream_of_another_programme_is_refused_naming_workstream_id(board: Board) -> None:
    with pytest.raises(InvalidValue) as refused:
        propose(board, workstream_id=uuid4())

    assert refused.value.field == "workstream_id"


def test_an_organisation_not_participating_cannot_propose(board: Board) -> None:
    with pytest.raises(RuleViolation, match="does not participate"):
        propose(board, organisation=board.outsider)


@pytest.mark.parametrize("ended", [merged, dissolved], ids=["merged", "dissolved"])
def test_an_organisation_no_longer_active_cannot_propose(
    board: Board, ended: Callable[[str], Any]
) -> None:
    gone = ended("provider")
    board.programme.participants[gone.id] = board.programme.participants[board.trust.id]

    with pytest.raises(RuleViolation):
        propose(board, organisation=gone)


@pytest.mark.parametrize("when", [ahead(hours=1), datetime(2026, 1, 1)])  # noqa: DTZ001
def test_a_proposal_dated_in_the_future_or_without_timezone_is_refused_naming_occurred_at(
    board: Board, when: datetime
) -> None:
    with pytest.raises(InvalidValue) as refused:
        propose(board, occurred_at=when)

    assert refused.value.field == "occurred_at"


# Taking


def test_taking_records_who_decided_on_whose_authority_and_when(board: Board) -> None:
    decision = board.propose(occurred_at=ago(days=10))
    meeting = ago(days=3)
    organisation_id = uuid4()

    with acting_as(ACTOR):
        decision.take(" Programme board 2026-11-12 ", meeting, organisation_id)

    assert recorded(decision) == ["Taken"]
    assert decision.status is DecisionStatus.DECIDED
    assert (decision.authority, decision.decided_by, decision.decided_at) == (
        "Programme board 2026-11-12",
        ACTOR,
        meeting,
    )
    assert decision.decided_by_organisation_id == organisation_id


def test_latency_is_the_days_from_proposal_to_decision_by_occurred_time(board: Board) -> None:
    proposed = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)
    decision = board.propose(occurred_at=proposed)

    decision.take("Programme board", proposed + timedelta(days=7, hours=12))

    assert decision.latency_days == 7.5


def test_a_proposal_has_no_latency_until_it_is_taken(board: Board) -> None:
    assert board.propose().latency_days is None


def test_taking_a_decision_twice_is_refused_saying_it_was_already_taken(board: Board) -> None:
    decision = board.decided()

    with pytest.raises(RuleViolation, match="already taken"):
        decision.take("Programme board", ago(days=1))

    assert recorded(decision) == []


@pytest.mark.parametrize(
    ("state", "why"),
    [
        ("revoked", "it was revoked"),
        ("withdrawn", "it was withdrawn"),
        ("superseded", "it was superseded by decision"),
    ],
)
def test_a_closed_decision_cannot_be_taken_and_the_refusal_says_why(
    board: Board, state: str, why: str
) -> None:
    decision: Decision = getattr(board, state)()

    with pytest.raises(RuleViolation, match=why):
        decision.take("Programme board", ago(hours=1))


def test_taking_dated_before_the_proposal_is_refused_naming_occurred_at(board: Board) -> None:
    decision = board.propose(occurred_at=ago(days=10))

    with pytest.raises(InvalidValue) as refused:
        decision.take("Programme board", ago(days=11))

    assert refused.value.field == "occurred_at"
    assert "before the proposal" in refused.value.reason


def test_taking_dated_in_the_future_is_refused_naming_occurred_at(board: Board) -> None:
    decision = board.propose()

    with pytest.raises(InvalidValue) as refused:
        decision.take("Programme board", ahead(days=1))

    assert refused.value.field == "occurred_at"


def test_taking_without_an_authority_is_refused_naming_authority(board: Board) -> None:
    with pytest.raises(InvalidValue) as refused:
        board.propose().take("  ")

    assert refused.value.field == "authority"


# Amending


def test_amending_a_decision_records_only_what_changed_and_it_stays_decided(
    board: Board,
) -> None:
    decision = board.decided()

    with acting_as(ACTOR):
        decision.amend(
            reason="Board asked for a clearer rationale",
            title="Open a single point of access",
            rationale="One number, triaged by clinicians",
        )

    events = collected(decision)
    assert [type(e).__name__ for e in events] == ["Amended"]
    assert (events[0].title, events[0].rationale, events[0].options) == (
        None,
        "One number, triaged by clinicians",
        None,
    )
    assert decision.rationale == "One number, triaged by clinicians"
    assert decision.status is DecisionStatus.DECIDED
    assert decision.amendments[0].reason == "Board asked for a clearer rationale"
    assert decision.amendments[0].amended_by == ACTOR


def test_a_proposal_may_be_amended_before_it_is_taken(board: Board) -> None:
    decision = board.propose()

    decision.amend(reason="Wider scope", title="Single point of access for all ages")

    assert (decision.title, decision.status) == (
        "Single point of access for all ages",
        DecisionStatus.PROPOSED,
    )


def test_amending_options_and_components_replaces_them(board: Board) -> None:
    decision = board.decided()

    decision.amend(reason="Added measures", options=[], components=["measurement"])

    assert (decision.options, decision.components) == ((), ("measurement",))


def test_an_amendment_without_a_reason_is_refused_naming_reason(board: Board) -> None:
    with pytest.raises(InvalidValue) as refused:
        board.decided().amend(reason=" ", title="Another title")

    assert refused.value.field == "reason"


def test_an_amendment_that_names_no_change_is_refused(board: Board) -> None:
    with pytest.raises(InvalidValue) as refused:
        board.decided().amend(reason="Because")

    assert refused.value.field == "body"


def test_an_amendment_to_what_the_decision_already_says_is_refused(board: Board) -> None:
    decision = board.decided()

    with pytest.raises(RuleViolation, match="changes nothing"):
        decision.amend(reason="Because", title=decision.title)


def test_an_amendment_with_an_unknown_component_is_refused_naming_components(
    board: Board,
) -> None:
    with pytest.raises(InvalidValue) as refused:
        board.decided().amend(reason="Because", components=["money"])

    assert refused.value.field == "components"


@pytest.mark.parametrize("state", ["revoked", "withdrawn", "superseded"])
def test_a_closed_decision_cannot_be_amended(board: Board, state: str) -> None:
    decision: Decision = getattr(board, state)()

    with pytest.raises(RuleViolation, match="cannot amend"):
        decision.amend(reason="Because", title="Another title")

    assert recorded(decision) == []


def test_an_amendment_dated_before_the_decision_was_taken_is_refused(board: Board) -> None:
    decision = board.decided(days=5)

    with pytest.raises(InvalidValue) as refused:
        decision.amend(reason="Because", title="Another title", occurred_at=ago(days=6))

    assert refused.value.field == "occurred_at"


# Revoking and withdrawing


def test_revoking_a_decision_records_revoked_with_the_reason(board: Board) -> None:
    decision = board.decided()
    when = ago(days=1)

    decision.revoke(" No longer affordable ", when)

    assert recorded(decision) == ["Revoked"]
    assert (decision.status, decision.revocation_reason, decision.revoked_at) == (
        DecisionStatus.REVOKED,
        "No longer affordable",
        when,
    )


def test_revoking_a_proposal_never_taken_withdraws_it(board: Board) -> None:
    decision = board.propose()

    decision.revoke("Overtaken by events")

    assert recorded(decision) == ["Withdrawn"]
    assert decision.status is DecisionStatus.WITHDRAWN


def test_revoking_without_a_reason_is_refused_naming_reason(board: Board) -> None:
    with pytest.raises(InvalidValue) as refused:
        board.decided().revoke("")

    assert refused.value.field == "reason"


@pytest.mark.parametrize(
    ("state", "why"),
    [
        ("revoked", "it was revoked"),
        ("withdrawn", "it was withdrawn"),
        ("superseded", "it was superseded by decision"),
    ],
)
def test_a_closed_decision_cannot_be_revoked_and_the_refusal_says_why(
    board: Board, state: str, why: str
) -> None:
    decision: Decision = getattr(board, state)()

    with pytest.raises(RuleViolation, match=why):
        decision.revoke("Because")

    assert recorded(decision) == []


def test_revoking_dated_before_the_decision_was_taken_is_refused(board: Board) -> None:
    decision = board.decided(days=5)

    with pytest.raises(InvalidValue) as refused:
        decision.revoke("Because", ago(days=7))

    assert refused.value.field == "occurred_at"


# Replaying


def test_replaying_a_decisions_events_rebuilds_the_same_state(board: Board) -> None:
    decision = propose(board, occurred_at=ago(days=9))
    decision.consult(board.icb, board.programme, ago(days=8))
    decision.respond(board.icb, "object", "Too costly", ago(days=7))
    decision.take("Programme board", ago(days=5))
    decision.amend(reason="Costed", rationale="Costed at £1m", components=["delivery"])
    events = decision.collect_events()

    replayed: Any = None
    for event in events:
        replayed = event.mutate(replayed)

    assert isinstance(replayed, Decision)
    assert vars(replayed) == vars(decision)
