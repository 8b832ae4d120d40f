"""Decision supersession: links both ways, within one programme, between taken decisions."""

from __future__ import annotations

import pytest

from domain.decision import Decision, DecisionStatus
from domain.errors import InvalidValue, RuleViolation
from tests.unit.decisions_support import Board
from tests.unit.support import recorded


@pytest.fixture
def board() -> Board:
    return Board()


def test_superseding_links_the_old_decision_to_the_new_and_the_new_to_the_old(
    board: Board,
) -> None:
    old, new = board.decided(days=6), board.decided("A better plan", days=2)

    old.supersede_with(new)

    assert recorded(old) == ["Superseded"]
    assert recorded(new) == ["SupersededAnother"]
    assert (old.status, old.superseded_by, old.superseded_at) == (
        DecisionStatus.SUPERSEDED,
        new.id,
        new.decided_at,
    )
    assert (new.status, new.supersedes) == (DecisionStatus.DECIDED, [old.id])


def test_one_decision_may_supersede_several(board: Board) -> None:
    first, second = board.decided("First", days=6), board.decided("Second", days=5)
    new = board.decided("Both in one", days=2)

    first.supersede_with(new)
    second.supersede_with(new)

    assert new.supersedes == [first.id, second.id]


def test_a_decision_taken_the_same_day_may_supersede(board: Board) -> None:
    old, new = board.decided(days=3), board.decided("Same meeting", days=3)

    old.supersede_with(new)

    assert old.superseded_by == new.id


def test_a_decision_cannot_supersede_itself(board: Board) -> None:
    decision = board.decided()

    with pytest.raises(RuleViolation, match="cannot supersede itself"):
        decision.supersede_with(decision)

    assert recorded(decision) == []


def test_a_decision_of_another_programme_cannot_supersede_naming_superseded_by(
    board: Board,
) -> None:
    old, other = board.decided(days=6), Board().decided(days=2)

    with pytest.raises(InvalidValue) as refused:
        old.supersede_with(other)

    assert refused.value.field == "superseded_by"
    assert "another programme" in refused.value.reason
    assert (recorded(old), recorded(other)) == ([], [])


@pytest.mark.parametrize(
    ("state", "why"),
    [
        ("revoked", "it was revoked"),
        ("withdrawn", "it was withdrawn"),
        ("superseded", "it was superseded by decision"),
    ],
)
def test_a_closed_decision_cannot_be_superseded_and_the_refusal_says_why(
    board: Board, state: str, why: str
) -> None:
    old: Decision = getattr(board, state)()
    new = board.decided("Later", days=1)

    with pytest.raises(RuleViolation, match=why):
        old.supersede_with(new)

    assert (recorded(old), recorded(new)) == ([], [])


def test_a_proposal_cannot_be_superseded_but_may_be_withdrawn(board: Board) -> None:
    old, new = board.propose(), board.decided("Later", days=1)

    with pytest.raises(RuleViolation, match="still a proposal; withdraw it"):
        old.supersede_with(new)


def test_a_proposal_cannot_supersede_a_decision_until_it_is_taken(board: Board) -> None:
    old, new = board.decided(), board.propose("Not yet taken")

    with pytest.raises(RuleViolation, match="take it before it supersedes"):
        old.supersede_with(new)


@pytest.mark.parametrize("state", ["revoked", "withdrawn", "superseded"])
def test_a_closed_decision_cannot_supersede_another(board: Board, state: str) -> None:
    new: Decision = getattr(board, state)()
    old = board.decided("Older", days=9)

    with pytest.raises(RuleViolation, match="cannot supersede another"):
        old.supersede_with(new)

    assert (recorded(old), recorded(new)) == ([], [])


def test_a_decision_taken_earlier_cannot_supersede_a_later_one(board: Board) -> None:
    old, earlier = board.decided(days=2), board.decided("Earlier", days=6)

    with pytest.raises(RuleViolation, match="only a later decision"):
        old.supersede_with(earlier)


def test_a_superseded_decision_cannot_be_superseded_again(board: Board) -> None:
    old = board.superseded()

    with pytest.raises(RuleViolation, match=f"superseded by decision {old.superseded_by}"):
        old.supersede_with(board.decided("Yet another", days=1))
