"""Decision consultation: consulting organisations and recording support or objection."""

from __future__ import annotations

from uuid import uuid4

import pytest

from domain.actor import acting_as
from domain.decision import Decision, Stance
from domain.errors import InvalidValue, RuleViolation
from tests.unit.decisions_support import Board
from tests.unit.support import ago, collected, organisation, recorded, settled

ACTOR = uuid4()


@pytest.fixture
def board() -> Board:
    return Board()


def consulted(board: Board) -> Decision:
    decision = board.propose(occurred_at=ago(days=10))
    decision.consult(board.icb, board.programme, ago(days=9))
    settled(decision)
    return decision


# Consulting


def test_consulting_records_the_organisation_who_asked_and_when(board: Board) -> None:
    decision = board.propose(occurred_at=ago(days=10))
    when = ago(days=9)

    with acting_as(ACTOR):
        decision.consult(board.charity, board.programme, when)

    events = collected(decision)
    assert [type(e).__name__ for e in events] == ["Consulted"]
    assert events[0].organisation_id == board.charity.id
    consultation = decision.consultations[board.charity.id]
    assert (consultation.consulted_by, consultation.occurred_at, consultation.latest) == (
        ACTOR,
        when,
        None,
    )


def test_a_taken_decision_may_still_be_consulted_on(board: Board) -> None:
    decision = board.decided()

    decision.consult(board.charity, board.programme)

    assert recorded(decision) == ["Consulted"]


def test_consulting_the_same_organisation_twice_is_refused(board: Board) -> None:
    decision = consulted(board)

    with pytest.raises(RuleViolation, match="already been consulted"):
        decision.consult(board.icb, board.programme)


def test_an_organisation_not_participating_cannot_be_consulted(board: Board) -> None:
    decision = board.propose()

    with pytest.raises(RuleViolation, match="does not participate"):
        decision.consult(board.outsider, board.programme)


@pytest.mark.parametrize("state", ["revoked", "withdrawn", "superseded"])
def test_a_closed_decision_cannot_be_consulted_on(board: Board, state: str) -> None:
    decision: Decision = getattr(board, state)()

    with pytest.raises(RuleViolation, match="cannot consult"):
        decision.consult(board.charity, board.programme)


def test_consulting_dated_before_the_proposal_is_refused_naming_occurred_at(
    board: Board,
) -> None:
    decision = board.propose(occurred_at=ago(days=10))

    with pytest.raises(InvalidValue) as refused:
        decision.consult(board.charity, board.programme, ago(days=11))

    assert refused.value.field == "occurred_at"


# Responding


def test_support_is_recorded_without_a_reason(board: Board) -> None:
    decision = consulted(board)

    with acting_as(ACTOR):
        decision.respond(board.icb, "support")

    events = collected(decision)
    assert [type(e).__name__ for e in events] == ["ResponseRecorded"]
    assert (events[0].organisation_id, events[0].stance, events[0].reason) == (
        board.icb.id,
        "support",
        "",
    )
    latest = decision.consultations[board.icb.id].latest
    assert latest is not None
    assert (latest.stance, latest.responded_by) == (Stance.SUPPORT, ACTOR)


def test_an_objection_is_recorded_with_its_reason(board: Board) -> None:
    decision = consulted(board)

    decision.respond(board.icb, "object", " Unaffordable this year ")

    latest = decision.consultations[board.icb.id].latest
    assert latest is not None
    assert (latest.stance, latest.reason) == (Stance.OBJECT, "Unaffordable this year")


def test_an_objection_without_a_reason_is_refused_naming_reason(board: Board) -> None:
    decision = consulted(board)

    with pytest.raises(InvalidValue) as refused:
        decision.respond(board.icb, "object", "  ")

    assert refused.value.field == "reason"
    assert recorded(decision) == []


@pytest.mark.parametrize("stance", ["", "abstain", "Support"])
def test_a_stance_other_than_support_or_object_is_refused_naming_stance(
    board: Board, stance: str
) -> None:
    with pytest.raises(InvalidValue) as refused:
        consulted(board).respond(board.icb, stance, "Because")

    assert refused.value.field == "stance"


def test_a_response_from_an_organisation_not_consulted_is_refused_saying_so(
    board: Board,
) -> None:
    decision = consulted(board)

    with pytest.raises(RuleViolation, match="was not consulted"):
        decision.respond(board.charity, "support")


def test_a_later_response_becomes_the_stance_and_the_earlier_one_is_kept(board: Board) -> None:
    decision = consulted(board)
    decision.respond(board.icb, "object", "Unaffordable", ago(days=8))

    decision.respond(board.icb, "support", "Funding found", ago(days=7))

    consultation = decision.consultations[board.icb.id]
    assert [r.stance for r in consultation.responses] == [Stance.OBJECT, Stance.SUPPORT]
    assert consultation.latest is not None
    assert consultation.latest.reason == "Funding found"


def test_a_response_dated_before_the_consultation_is_refused_naming_occurred_at(
    board: Board,
) -> None:
    decision = consulted(board)

    with pytest.raises(InvalidValue) as refused:
        decision.respond(board.icb, "support", "", ago(days=9, hours=1))

    assert refused.value.field == "occurred_at"


def test_a_closed_decision_takes_no_more_responses(board: Board) -> None:
    decision = consulted(board)
    decision.revoke("Withdrawn by the proposer")

    with pytest.raises(RuleViolation, match="cannot record a response"):
        decision.respond(board.icb, "support")


# Merging organisations


def test_a_merged_organisations_consultation_passes_to_its_successor_with_its_responses(
    board: Board,
) -> None:
    decision = consulted(board)
    decision.respond(board.icb, "object", "Unaffordable")
    settled(decision)
    successor = organisation("commissioner", "NHS North ICB")

    carried = decision.carry_consultation(board.icb.id, successor)

    assert carried is True
    assert recorded(decision) == ["ConsultationCarriedOver"]
    assert board.icb.id not in decision.consultations
    consultation = decision.consultations[successor.id]
    assert (consultation.carried_from, consultation.responses[0].reason) == (
        board.icb.id,
        "Unaffordable",
    )


def test_a_closed_decisions_consultation_stays_with_the_merged_organisation(
    board: Board,
) -> None:
    decision = consulted(board)
    decision.revoke("Withdrawn")
    settled(decision)

    carried = decision.carry_consultation(board.icb.id, organisation("commissioner", "New"))

    assert carried is False
    assert recorded(decision) == []


def test_nothing_is_carried_when_the_successor_was_consulted_already(board: Board) -> None:
    decision = consulted(board)
    decision.consult(board.trust, board.programme)
    settled(decision)

    assert decision.carry_consultation(board.icb.id, board.trust) is False
    assert recorded(decision) == []
