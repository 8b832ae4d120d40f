"""Shared-purpose statements: versions, positions, adoption and mergers, in memory."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from uuid import uuid4

import pytest

from domain.errors import InvalidValue, NotFound, RuleViolation
from domain.organisation import Organisation
from domain.programme import Programme
from domain.shared_purpose import Position, SharedPurpose, VersionNotFound
from domain.values import TEXT_MAX
from tests.unit.support import ago, ahead, collected, organisation, pending, recorded, settled

TEXT = "One front door for urgent care"


@dataclass
class Board:
    """A programme with a lead commissioner and a provider, and its statement at version 1."""

    lead: Organisation
    trust: Organisation
    programme: Programme
    statement: SharedPurpose


def board(*, drafted_at: Any = None) -> Board:
    lead = organisation("commissioner", "West Yorkshire ICB")
    trust = organisation("provider", "Leeds Teaching Hospitals")
    programme = Programme.create("Urgent Care", "", lead)
    programme.add_participant(trust, "provider")
    settled(programme)
    statement = SharedPurpose.draft(programme, TEXT, drafted_by=None, occurred_at=drafted_at)
    settled(statement)
    return Board(lead, trust, programme, statement)


def replayed(statement: SharedPurpose, events: list[Any]) -> SharedPurpose:
    aggregate: Any = None
    for event in events:
        aggregate = event.mutate(aggregate)
    assert isinstance(aggregate, SharedPurpose)
    return aggregate


# Drafting


def test_drafting_records_one_drafted_event_with_the_trimmed_text_as_version_1() -> None:
    b = board()
    drafter = uuid4()

    statement = SharedPurpose.draft(b.programme, f"  {TEXT}  ", drafted_by=drafter)

    events = pending(statement)
    assert [type(e).__name__ for e in events] == ["Drafted"]
    assert (events[0].programme_id, events[0].text, events[0].drafted_by) == (
        b.programme.id,
        TEXT,
        drafter,
    )
    assert [(v.number, v.text, v.drafted_by) for v in statement.versions] == [(1, TEXT, drafter)]


def test_a_statements_id_derives_from_its_programmes_id() -> None:
    b = board()

    again = SharedPurpose.draft(b.programme, "Another text", drafted_by=None)

    assert again.id == b.statement.id == SharedPurpose.create_id(b.programme.id)


def test_each_version_carries_its_events_recorded_time() -> None:
    statement = SharedPurpose.draft(board().programme, TEXT, drafted_by=None)

    (event,) = pending(statement)

    assert statement.current.recorded_at == event.timestamp


def test_a_back_dated_draft_keeps_the_time_it_was_drafted_in_the_world() -> None:
    when = ago(days=3)

    statement = board(drafted_at=when).statement

    assert statement.current.occurred_at == when


@pytest.mark.parametrize("text", ["", "   ", "x" * (TEXT_MAX + 1), "One\x00door"])
def test_an_invalid_text_is_refused_naming_the_text_field(text: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        SharedPurpose.draft(board().programme, text, drafted_by=None)

    assert refused.value.field == "text"


def test_a_draft_dated_in_the_future_is_refused_naming_occurred_at() -> None:
    with pytest.raises(InvalidValue) as refused:
        SharedPurpose.draft(board().programme, TEXT, drafted_by=None, occurred_at=ahead(days=1))

    assert refused.value.field == "occurred_at"


# Revising


def test_revising_adds_a_numbered_version_and_keeps_the_old_text_readable() -> None:
    b = board()

    b.statement.revise("One front door for everyone", drafted_by=None)

    assert recorded(b.statement) == ["Revised"]
    assert b.statement.current.number == 2
    assert b.statement.version_numbered(1).text == TEXT
    assert b.statement.version_numbered(2).text == "One front door for everyone"


def test_a_revision_resets_positions_but_keeps_those_on_the_old_version() -> None:
    b = board()
    b.statement.endorse(b.programme, b.lead, 1, person_id=None)
    b.statement.dispute(b.programme, b.trust, 1, "Leaves out mental health", person_id=None)

    b.statement.revise("One front door, including mental health", drafted_by=None)

    assert b.statement.positions[2] == {}
    assert b.statement.not_aligned(b.programme) == [b.lead.id, b.trust.id]
    old = b.statement.positions[1]
    assert (old[b.lead.id].position, old[b.trust.id].position) == (
        Position.ENDORSED,
        Position.DISPUTED,
    )


def test_a_superseded_version_says_when_the_next_one_was_recorded() -> None:
    b = board()
    b.statement.revise("One front door for everyone", drafted_by=None)

    assert b.statement.superseded_at(1) == b.statement.version_numbered(2).recorded_at
    assert b.statement.superseded_at(2) is None


def test_revising_to_the_same_text_is_refused() -> None:
    b = board()

    with pytest.raises(RuleViolation, match="same as version 1"):
        b.statement.revise(f" {TEXT} ", drafted_by=None)

    assert recorded(b.statement) == []


def test_a_revision_dated_before_the_current_version_was_drafted_is_refused() -> None:
    b = board(drafted_at=ago(days=1))

    with pytest.raises(RuleViolation, match="before version 1 was drafted"):
        b.statement.revise("Another text", drafted_by=None, occurred_at=ago(days=2))


@pytest.mark.parametrize("number", [0, 2, -1])
def test_reading_a_version_that_does_not_exist_is_not_found(number: int) -> None:
    with pytest.raises(VersionNotFound) as refused:
        board().statement.version_numbered(number)

    assert isinstance(refused.value, NotFound)
    assert f"no version {number}" in refused.value.message


# Endorsing


def test_endorsing_records_the_organisation_version_and_person() -> None:
    b = board()
    person = uuid4()

    b.statement.endorse(b.programme, b.trust, 1, person_id=person)

    (event,) = collected(b.statement)
    assert type(event).__name__ == "Endorsed"
    assert (event.organisation_id, event.version, event.person_id) == (b.trust.id, 1, person)
    record = b.statement.position_of(b.trust.id)
    assert record is not None
    assert (record.position, record.reason, record.person_id) == (Position.ENDORSED, None, person)
    assert record.recorded_at == event.timestamp


def test_endorsing_a_superseded_version_is_refused_naming_the_current_one() -> None:
    b = board()
    b.statement.revise("One front door for everyone", drafted_by=None)
    b.statement.collect_events()

    with pytest.raises(RuleViolation, match="version 1 was superseded by version 2"):
        b.statement.endorse(b.programme, b.trust, 1, person_id=None)

    assert recorded(b.statement) == []


@pytest.mark.parametrize("version", [0, 2])
def test_endorsing_a_version_that_does_not_exist_is_refused_naming_version(version: int) -> None:
    b = board()

    with pytest.raises(InvalidValue) as refused:
        b.statement.endorse(b.programme, b.trust, version, person_id=None)

    assert refused.value.field == "version"


def test_an_organisation_that_does_not_participate_cannot_take_a_position() -> None:
    b = board()
    outsider = organisation("partner", "Age UK Leeds")

    with pytest.raises(RuleViolation, match="does not participate"):
        b.statement.endorse(b.programme, outsider, 1, person_id=None)


def test_a_dissolved_organisation_cannot_take_a_position() -> None:
    b = board()
    b.trust.dissolve()

    with pytest.raises(RuleViolation, match="dissolved"):
        b.statement.dispute(b.programme, b.trust, 1, "Too late", person_id=None)


def test_endorsing_a_version_the_organisation_already_endorses_is_refused() -> None:
    b = board()
    b.statement.endorse(b.programme, b.trust, 1, person_id=None)
    b.statement.collect_events()

    with pytest.raises(RuleViolation, match="already endorses version 1"):
        b.statement.endorse(b.programme, b.trust, 1, person_id=None)


def test_a_position_dated_before_its_version_was_drafted_is_refused() -> None:
    b = board(drafted_at=ago(days=1))

    with pytest.raises(RuleViolation, match="before it was drafted"):
        b.statement.endorse(b.programme, b.trust, 1, person_id=None, occurred_at=ago(days=2))


def test_a_position_dated_in_the_future_is_refused_naming_occurred_at() -> None:
    b = board()

    with pytest.raises(InvalidValue) as refused:
        b.statement.endorse(b.programme, b.trust, 1, person_id=None, occurred_at=ahead(hours=1))

    assert refused.value.field == "occurred_at"


def test_a_position_on_another_programmes_statement_is_refused() -> None:
    b, other = board(), board()

    with pytest.raises(RuleViolation, match="belongs to programme"):
        b.statement.endorse(other.programme, other.trust, 1, person_id=None)


# Disputing


def test_disputing_records_the_reason() -> None:
    b = board()

    b.statement.dispute(b.programme, b.trust, 1, "  Leaves out mental health  ", person_id=None)

    (event,) = collected(b.statement)
    assert (type(event).__name__, event.reason) == ("Disputed", "Leaves out mental health")
    record = b.statement.position_of(b.trust.id)
    assert record is not None
    assert (record.position, record.reason) == (Position.DISPUTED, "Leaves out mental health")


@pytest.mark.parametrize("reason", ["", "   ", "x" * (TEXT_MAX + 1)])
def test_disputing_without_a_reason_is_refused_naming_the_reason_field(reason: str) -> None:
    b = board()

    with pytest.raises(InvalidValue) as refused:
        b.statement.dispute(b.programme, b.trust, 1, reason, person_id=None)

    assert refused.value.field == "reason"
    assert recorded(b.statement) == []


def test_disputing_again_for_the_same_reason_is_refused() -> None:
    b = board()
    b.statement.dispute(b.programme, b.trust, 1, "Too vague", person_id=None)

    with pytest.raises(RuleViolation, match="already disputes version 1"):
        b.statement.dispute(b.programme, b.trust, 1, "Too vague", person_id=None)


def test_disputing_again_for_a_new_reason_records_it_and_keeps_the_first() -> None:
    b = board()
    b.statement.dispute(b.programme, b.trust, 1, "Too vague", person_id=None)

    b.statement.dispute(b.programme, b.trust, 1, "Leaves out mental health", person_id=None)

    assert [r.reason for r in b.statement.position_log[1]] == [
        "Too vague",
        "Leaves out mental health",
    ]


def test_an_organisation_may_change_its_mind_and_the_dispute_stays_on_record() -> None:
    b = board()
    b.statement.dispute(b.programme, b.trust, 1, "Too vague", person_id=None)

    b.statement.endorse(b.programme, b.trust, 1, person_id=None)

    record = b.statement.position_of(b.trust.id)
    assert record is not None
    assert record.position is Position.ENDORSED
    assert [(r.position, r.reason) for r in b.statement.position_log[1]] == [
        (Position.DISPUTED, "Too vague"),
        (Position.ENDORSED, None),
    ]


# Alignment


def test_organisations_that_dispute_or_have_no_position_are_not_aligned() -> None:
    b = board()
    b.statement.dispute(b.programme, b.lead, 1, "Too vague", person_id=None)

    assert b.statement.not_aligned(b.programme) == [b.lead.id, b.trust.id]


def test_when_every_participant_endorses_nobody_is_not_aligned() -> None:
    b = board()
    b.statement.endorse(b.programme, b.lead, 1, person_id=None)
    b.statement.endorse(b.programme, b.trust, 1, person_id=None)

    assert b.statement.not_aligned(b.programme) == []


# Adopting


def endorsed_by_all(b: Board) -> Board:
    b.statement.endorse(b.programme, b.lead, 1, person_id=None)
    b.statement.endorse(b.programme, b.trust, 1, person_id=None)
    settled(b.statement)
    return b


def test_adopting_a_version_every_participant_endorses_records_who_endorsed() -> None:
    b = endorsed_by_all(board())
    chair = uuid4()

    adoption = b.statement.adopt(b.programme, 1, "", adopted_by=chair)

    (event,) = collected(b.statement)
    assert type(event).__name__ == "Adopted"
    assert (event.over_disputes, event.endorsed_by, event.disputed_by) == (
        False,
        [b.lead.id, b.trust.id],
        [],
    )
    assert (adoption.version, adoption.adopted_by, adoption.recorded_at) == (
        1,
        chair,
        event.timestamp,
    )
    assert b.statement.adopted_version == 1


def test_adopting_over_a_dispute_with_a_rationale_records_who_disputed() -> None:
    b = board()
    b.statement.endorse(b.programme, b.lead, 1, person_id=None)
    b.statement.dispute(b.programme, b.trust, 1, "Too vague", person_id=None)

    adoption = b.statement.adopt(b.programme, 1, " The deadline is fixed ", adopted_by=None)

    assert (adoption.over_disputes, adoption.disputed_by, adoption.rationale) == (
        True,
        [b.trust.id],
        "The deadline is fixed",
    )
    # The dispute is not deleted by being overruled.
    record = b.statement.position_of(b.trust.id)
    assert record is not None
    assert record.position is Position.DISPUTED


@pytest.mark.parametrize("rationale", ["", "   "])
def test_adopting_over_a_dispute_without_a_rationale_is_refused_naming_rationale(
    rationale: str,
) -> None:
    b = board()
    b.statement.endorse(b.programme, b.lead, 1, person_id=None)
    b.statement.dispute(b.programme, b.trust, 1, "Too vague", person_id=None)
    b.statement.collect_events()

    with pytest.raises(InvalidValue) as refused:
        b.statement.adopt(b.programme, 1, rationale, adopted_by=None)

    assert refused.value.field == "rationale"
    assert str(b.trust.id) in refused.value.reason
    assert recorded(b.statement) == []


def test_adopting_while_a_participant_has_taken_no_position_is_refused() -> None:
    b = board()
    b.statement.endorse(b.programme, b.lead, 1, person_id=None)

    with pytest.raises(RuleViolation, match="neither endorsed nor disputed"):
        b.statement.adopt(b.programme, 1, "Enough support", adopted_by=None)


def test_adopting_a_superseded_version_is_refused() -> None:
    b = endorsed_by_all(board())
    b.statement.revise("Another text", drafted_by=None)

    with pytest.raises(RuleViolation, match="superseded"):
        b.statement.adopt(b.programme, 1, "", adopted_by=None)


def test_adopting_the_same_version_twice_is_refused() -> None:
    b = endorsed_by_all(board())
    b.statement.adopt(b.programme, 1, "", adopted_by=None)

    with pytest.raises(RuleViolation, match="already been adopted"):
        b.statement.adopt(b.programme, 1, "", adopted_by=None)


def test_an_adoption_dated_before_its_version_was_drafted_is_refused() -> None:
    b = board(drafted_at=ago(days=1))
    b.statement.endorse(b.programme, b.lead, 1, person_id=None)
    b.statement.endorse(b.programme, b.trust, 1, person_id=None)

    with pytest.raises(RuleViolation, match="before it was drafted"):
        b.statement.adopt(b.programme, 1, "", adopted_by=None, occurred_at=ago(days=2))


def test_a_participant_added_after_endorsements_must_take_a_position_before_adoption() -> None:
    b = endorsed_by_all(board())
    b.programme.add_participant(organisation("partner", "Healthwatch"), "partner")

    with pytest.raises(RuleViolation, match="neither endorsed nor disputed"):
        b.statement.adopt(b.programme, 1, "", adopted_by=None)


def test_a_revision_after_adoption_leaves_the_adoption_on_its_version() -> None:
    b = endorsed_by_all(board())
    b.statement.adopt(b.programme, 1, "", adopted_by=None)

    b.statement.revise("Another text", drafted_by=None)

    assert b.statement.adoption_of(1) is not None
    assert b.statement.adoption_of(2) is None
    assert b.statement.adopted_version == 1


# Mergers


def test_a_merged_organisations_position_is_carried_to_a_successor_without_one() -> None:
    b = board()
    successor = organisation("provider", "New Trust")
    person = uuid4()
    b.statement.dispute(b.programme, b.trust, 1, "Too vague", person_id=person)
    settled(b.statement)

    assert b.statement.carry_position(b.trust.id, successor.id) is True

    (event,) = collected(b.statement)
    assert type(event).__name__ == "PositionCarriedOver"
    assert (event.from_organisation_id, event.to_organisation_id, event.position) == (
        b.trust.id,
        successor.id,
        "disputed",
    )
    carried = b.statement.position_of(successor.id)
    assert carried is not None
    assert (carried.position, carried.reason, carried.person_id, carried.carried_from) == (
        Position.DISPUTED,
        "Too vague",
        person,
        b.trust.id,
    )


def test_a_successors_own_position_stands_and_the_statement_says_so() -> None:
    b = board()
    successor = organisation("commissioner", "New ICB")
    b.programme.add_participant(successor, "commissioner")
    b.statement.dispute(b.programme, b.trust, 1, "Too vague", person_id=None)
    b.statement.endorse(b.programme, successor, 1, person_id=None)
    settled(b.statement)

    assert b.statement.carry_position(b.trust.id, successor.id) is True

    (event,) = collected(b.statement)
    assert type(event).__name__ == "PositionNotCarriedOver"
    assert (event.position, event.successor_position) == ("disputed", "endorsed")
    kept = b.statement.position_of(successor.id)
    assert kept is not None
    assert kept.position is Position.ENDORSED


def test_a_merged_organisation_with_no_position_on_the_current_text_changes_nothing() -> None:
    b = board()
    b.statement.endorse(b.programme, b.trust, 1, person_id=None)
    b.statement.revise("Another text", drafted_by=None)
    settled(b.statement)

    assert b.statement.carry_position(b.trust.id, uuid4()) is False
    assert recorded(b.statement) == []


# Replaying


@pytest.mark.parametrize(
    "story",
    [
        lambda b: b.statement.endorse(b.programme, b.trust, 1, person_id=None),
        lambda b: b.statement.dispute(b.programme, b.trust, 1, "Too vague", person_id=None),
        lambda b: b.statement.revise("Another text", drafted_by=None),
        lambda b: (
            b.statement.endorse(b.programme, b.lead, 1, person_id=None),
            b.statement.dispute(b.programme, b.trust, 1, "Too vague", person_id=None),
            b.statement.adopt(b.programme, 1, "Deadline", adopted_by=None),
            b.statement.carry_position(b.trust.id, uuid4()),
        ),
    ],
    ids=["endorsed", "disputed", "revised", "adopted-and-merged"],
)
def test_replaying_the_events_rebuilds_the_same_statement_with_recorded_times(
    story: Callable[[Board], object],
) -> None:
    lead = organisation("commissioner", "ICB")
    trust = organisation("provider", "Trust")
    programme = Programme.create("Urgent Care", "", lead)
    programme.add_participant(trust, "provider")
    statement = SharedPurpose.draft(programme, TEXT, drafted_by=None)
    story(Board(lead, trust, programme, statement))

    rebuilt = replayed(statement, list(statement.collect_events()))

    assert rebuilt.versions == statement.versions
    assert rebuilt.positions == statement.positions
    assert rebuilt.position_log == statement.position_log
    assert rebuilt.adoptions == statement.adoptions
    assert all(v.recorded_at is not None for v in rebuilt.versions)
