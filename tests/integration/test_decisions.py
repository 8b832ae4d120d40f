"""Decision use cases against real stores (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest

from domain.decision import Decision, DecisionStatus
from domain.errors import (
    Forbidden,
    InvalidValue,
    NotFound,
    ReferenceNotFound,
    RuleViolation,
    StaleVersion,
)
from infra.bootstrap import Container
from projections.decisions import DecisionProjection
from projections.decisions_queries import DecisionQueries
from tests.integration.decisions_support import Board, board, days_ago
from tests.integration.support import head, names_after


@pytest.fixture
def b(container: Container) -> Board:
    return board(container)


def decisions(container: Container, programme: object, **filters: str | None) -> list[dict]:
    container.catch_up()
    page = DecisionQueries(container.views).list_decisions(
        programme_id=str(programme),
        workstream_id=filters.get("workstream_id"),
        status=filters.get("status"),
        limit=50,
        offset=0,
    )
    return page.items


# Proposing


def test_proposing_records_proposed_by_the_actor_and_lists_it(b: Board) -> None:
    before = head(b.container)

    decision = b.container.app.propose_decision(
        by=b.bob,
        programme_id=b.programme,
        organisation_id=b.trust,
        title="Single point of access",
        rationale="Four numbers today",
        components=["delivery", "engagement"],
        workstream_id=b.workstream,
        occurred_at=days_ago(3),
    )

    assert names_after(b.container, before) == ["Decision.Proposed"]
    [row] = decisions(b.container, b.programme)
    assert (row["id"], row["status"], row["proposed_by"], row["workstream_id"]) == (
        str(decision.id),
        "proposed",
        str(b.bob),
        str(b.workstream),
    )
    assert (row["latency_days"], row["consulted"], row["supersedes"]) == (None, 0, [])


def test_proposing_for_an_organisation_one_is_not_a_member_of_is_forbidden(b: Board) -> None:
    before = head(b.container)

    with pytest.raises(Forbidden):
        b.container.app.propose_decision(
            by=b.ada,
            programme_id=b.programme,
            organisation_id=b.trust,
            title="T",
            rationale="R",
        )

    assert head(b.container) == before


def test_proposing_for_an_organisation_not_participating_is_refused(b: Board) -> None:
    with pytest.raises(RuleViolation, match="does not participate"):
        b.container.app.propose_decision(
            by=b.eve,
            programme_id=b.programme,
            organisation_id=b.outsider,
            title="T",
            rationale="R",
        )


def test_proposing_with_an_unknown_organisation_is_refused_naming_organisation_id(
    b: Board,
) -> None:
    with pytest.raises(ReferenceNotFound) as refused:
        b.container.app.propose_decision(
            by=None, programme_id=b.programme, organisation_id=b.programme, title="T", rationale="R"
        )

    assert refused.value.field == "organisation_id"


def test_proposing_in_an_unknown_programme_is_not_found(b: Board) -> None:
    with pytest.raises(NotFound):
        b.container.app.propose_decision(
            by=None, programme_id=b.trust, organisation_id=b.trust, title="T", rationale="R"
        )


# Consultation


def test_consulting_then_responding_records_both_and_counts_the_stance(b: Board) -> None:
    app = b.container.app
    decision = b.propose()
    before = head(b.container)

    app.consult_on_decision(by=b.bob, decision_id=decision.id, organisation_id=b.icb)
    app.record_decision_response(
        by=b.ada, decision_id=decision.id, organisation_id=b.icb, stance="object", reason="Cost"
    )

    assert names_after(b.container, before) == ["Decision.Consulted", "Decision.ResponseRecorded"]
    [row] = decisions(b.container, b.programme)
    assert (row["consulted"], row["supporting"], row["objecting"]) == (1, 0, 1)


def test_responding_for_an_organisation_one_is_not_a_member_of_is_forbidden(b: Board) -> None:
    app = b.container.app
    decision = b.propose()
    app.consult_on_decision(by=b.bob, decision_id=decision.id, organisation_id=b.icb)

    with pytest.raises(Forbidden):
        app.record_decision_response(
            by=b.bob, decision_id=decision.id, organisation_id=b.icb, stance="support"
        )


def test_consulting_by_someone_outside_the_programme_is_forbidden(b: Board) -> None:
    decision = b.propose()

    with pytest.raises(Forbidden, match="not a member of an organisation participating"):
        b.container.app.consult_on_decision(
            by=b.eve, decision_id=decision.id, organisation_id=b.icb
        )


# Taking


def test_taking_records_the_decider_and_their_organisation_and_lists_the_latency(
    b: Board,
) -> None:
    decision = b.propose(days=10)

    taken = b.container.app.take_decision(
        by=b.ada, decision_id=decision.id, authority="Board", occurred_at=days_ago(2.5)
    )

    assert (taken.decided_by, taken.decided_by_organisation_id) == (b.ada, b.icb)
    [row] = decisions(b.container, b.programme)
    assert (row["status"], row["decided_by_organisation_id"], row["latency_days"]) == (
        "decided",
        str(b.icb),
        7.5,
    )


def test_taking_on_a_stale_version_is_refused_and_records_nothing(b: Board) -> None:
    decision = b.propose()
    b.container.app.consult_on_decision(by=None, decision_id=decision.id, organisation_id=b.icb)
    before = head(b.container)

    with pytest.raises(StaleVersion):
        b.container.app.take_decision(
            by=b.ada, decision_id=decision.id, authority="Board", expected_version=1
        )

    assert head(b.container) == before


def test_taking_an_unknown_decision_is_not_found(b: Board) -> None:
    with pytest.raises(NotFound, match="no decision"):
        b.container.app.take_decision(by=None, decision_id=b.programme, authority="Board")


# Amending and revoking


def test_amending_changes_the_listed_title_and_keeps_it_decided(b: Board) -> None:
    decision = b.decided()

    b.container.app.amend_decision(
        by=b.bob, decision_id=decision.id, reason="Clearer", title="One number for urgent care"
    )

    [row] = decisions(b.container, b.programme)
    assert (row["title"], row["status"], row["version"]) == (
        "One number for urgent care",
        "decided",
        3,
    )


def test_revoking_a_decision_and_withdrawing_a_proposal_are_listed_by_status(b: Board) -> None:
    app = b.container.app
    taken, proposal = b.decided("Taken"), b.propose("Proposal")

    app.revoke_decision(by=b.ada, decision_id=taken.id, reason="Unaffordable")
    app.revoke_decision(by=b.bob, decision_id=proposal.id, reason="Overtaken")

    assert [r["title"] for r in decisions(b.container, b.programme, status="revoked")] == ["Taken"]
    assert [r["title"] for r in decisions(b.container, b.programme, status="withdrawn")] == [
        "Proposal"
    ]


# Superseding


def test_superseding_saves_both_links_in_one_transaction(b: Board) -> None:
    old, new = b.decided("Old", days=6), b.decided("New", days=2)
    before = head(b.container)

    b.container.app.supersede_decision(by=b.ada, decision_id=old.id, superseded_by=new.id)

    assert names_after(b.container, before) == [
        "Decision.Superseded",
        "Decision.SupersededAnother",
    ]
    rows = {r["title"]: r for r in decisions(b.container, b.programme)}
    assert (rows["Old"]["status"], rows["Old"]["superseded_by"]) == ("superseded", str(new.id))
    assert rows["New"]["supersedes"] == [str(old.id)]


def test_a_refused_supersession_changes_neither_decision(b: Board) -> None:
    old, new = b.decided("Old", days=6), b.propose("Still a proposal")
    before = head(b.container)

    with pytest.raises(RuleViolation):
        b.container.app.supersede_decision(by=b.ada, decision_id=old.id, superseded_by=new.id)

    assert head(b.container) == before


def test_superseding_by_an_unknown_decision_is_refused_naming_superseded_by(b: Board) -> None:
    old = b.decided()

    with pytest.raises(ReferenceNotFound) as refused:
        b.container.app.supersede_decision(by=None, decision_id=old.id, superseded_by=b.icb)

    assert refused.value.field == "superseded_by"


def test_superseding_across_programmes_is_refused_naming_superseded_by(b: Board) -> None:
    app = b.container.app
    old = b.decided()
    other = app.create_programme(
        by=None, title="Elective care", description="", lead_commissioner_id=b.icb
    )
    elsewhere = app.propose_decision(
        by=None, programme_id=other.id, organisation_id=b.icb, title="T", rationale="R"
    )
    app.take_decision(by=None, decision_id=elsewhere.id, authority="Board")

    with pytest.raises(InvalidValue) as refused:
        app.supersede_decision(by=None, decision_id=old.id, superseded_by=elsewhere.id)

    assert refused.value.field == "superseded_by"


# Reading with lineage


def test_reading_a_decision_shows_the_whole_chain_back_and_forward(b: Board) -> None:
    app = b.container.app
    first, second = b.decided("First", days=9), b.decided("Second", days=6)
    third, fourth = b.decided("Third", days=3), b.decided("Fourth", days=1)
    app.supersede_decision(by=None, decision_id=first.id, superseded_by=second.id)
    app.supersede_decision(by=None, decision_id=second.id, superseded_by=third.id)
    app.supersede_decision(by=None, decision_id=third.id, superseded_by=fourth.id)

    read = app.read_decision(second.id)

    assert [d.title for d in read.supersedes] == ["First"]
    assert [d.title for d in read.superseded_by] == ["Third", "Fourth"]
    assert [d.title for d in app.read_decision(fourth.id).supersedes] == [
        "Third",
        "Second",
        "First",
    ]
    assert [e.type for e in read.timeline] == [
        "Proposed",
        "Taken",
        "SupersededAnother",
        "Superseded",
    ]


def test_reading_at_an_earlier_version_shows_the_lineage_as_it_was_then(b: Board) -> None:
    app = b.container.app
    old, new = b.decided("Old", days=6), b.decided("New", days=2)
    app.supersede_decision(by=None, decision_id=old.id, superseded_by=new.id)

    read = app.read_decision(old.id, version=2)

    assert read.decision.status is DecisionStatus.DECIDED
    assert (read.supersedes, read.superseded_by) == ([], [])
    assert [e.type for e in read.timeline] == ["Proposed", "Taken"]


def test_reading_as_of_a_recorded_time_shows_the_decision_as_it_was_then(b: Board) -> None:
    app = b.container.app
    decision = b.decided()
    taken_at = app.read_decision(decision.id).decision.modified_on
    app.revoke_decision(by=None, decision_id=decision.id, reason="Unaffordable")

    read = app.read_decision(decision.id, at=taken_at)

    assert read.decision.status is DecisionStatus.DECIDED
    assert app.read_decision(decision.id).decision.status is DecisionStatus.REVOKED


# Organisations merging


def test_a_merge_carries_open_consultations_to_the_successor_in_the_same_transaction(
    b: Board,
) -> None:
    app = b.container.app
    successor = app.register_organisation(by=None, name="NHS North ICB", kind="commissioner")
    open_one, closed_one = b.propose("Open"), b.decided("Closed")
    for decision in (open_one, closed_one):
        app.consult_on_decision(by=None, decision_id=decision.id, organisation_id=b.icb)
    app.revoke_decision(by=None, decision_id=closed_one.id, reason="Unaffordable")
    before = head(b.container)

    app.merge_organisation(
        by=None, organisation_id=b.icb, successor_id=successor.id, expected_version=None
    )

    assert "Decision.ConsultationCarriedOver" in names_after(b.container, before)
    carried: Decision = app.read_decision(open_one.id).decision
    assert list(carried.consultations) == [successor.id]
    assert list(app.read_decision(closed_one.id).decision.consultations) == [b.icb]


# The view


def test_rebuilding_the_decisions_view_from_the_log_gives_the_same_rows(b: Board) -> None:
    app = b.container.app
    old, new = b.decided("Old", days=6), b.decided("New", days=2)
    app.consult_on_decision(by=None, decision_id=new.id, organisation_id=b.icb)
    app.record_decision_response(
        by=None, decision_id=new.id, organisation_id=b.icb, stance="support"
    )
    app.amend_decision(by=None, decision_id=new.id, reason="Clearer", title="Newer")
    app.supersede_decision(by=None, decision_id=old.id, superseded_by=new.id)
    app.revoke_decision(by=None, decision_id=b.propose("Dropped").id, reason="Overtaken")
    b.container.catch_up()
    tables = DecisionProjection.tables
    before = {
        t: sorted(b.container.views.fetch_all(f"SELECT * FROM {t}"), key=repr) for t in tables
    }

    b.container.processors["decisions"].rebuild()

    after = {t: sorted(b.container.views.fetch_all(f"SELECT * FROM {t}"), key=repr) for t in tables}
    assert after == before
    assert len(before["dec_decisions"]) == 3
