"""Decision lineage and coordination, hand-computed, on both stores."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID

import pytest

from domain.decision import Decision
from infra.bootstrap import Container
from projections.lineage_report import DecisionLineageReport
from projections.lineage_results import ProgrammeLineage, percentile
from projections.temporal import Moment
from tests.integration.decisions_support import Board, board
from tests.integration.support import person

#: Every occurred time in these tests is a whole number of days after this instant.
BASE = (datetime.now(UTC) - timedelta(days=90)).replace(microsecond=0)


def day(n: float) -> datetime:
    return BASE + timedelta(days=n)


@pytest.fixture
def b(container: Container) -> Board:
    return board(container)


def member(b: Board, name: str, organisation: UUID) -> UUID:
    someone = person(b.container, f"{name.lower()}@example.org", name)
    b.container.app.join_organisation(by=None, person_id=someone.id, organisation_id=organisation)
    return someone.id


def propose(
    b: Board,
    title: str,
    on: float,
    *,
    by: UUID | None = None,
    organisation: UUID | None = None,
    workstream: UUID | None = None,
) -> Decision:
    return b.container.app.propose_decision(
        by=by or b.bob,
        programme_id=b.programme,
        organisation_id=organisation or b.trust,
        title=title,
        rationale="Because",
        workstream_id=workstream,
        occurred_at=day(on),
    )


def take(b: Board, decision: Decision, on: float, by: UUID | None = None) -> Decision:
    return b.container.app.take_decision(
        by=by or b.ada, decision_id=decision.id, authority="Board", occurred_at=day(on)
    )


def supersede(b: Board, old: Decision, new: Decision) -> None:
    b.container.app.supersede_decision(by=b.ada, decision_id=old.id, superseded_by=new.id)


def consult_and_respond(
    b: Board, decision: Decision, organisation: UUID, responder: UUID, *stances: str
) -> None:
    app = b.container.app
    app.consult_on_decision(
        by=b.ada, decision_id=decision.id, organisation_id=organisation, occurred_at=day(60)
    )
    for stance in stances:
        app.record_decision_response(
            by=responder,
            decision_id=decision.id,
            organisation_id=organisation,
            stance=stance,
            reason="Not like this",
            occurred_at=day(61),
        )


def report(b: Board, moment: Moment | None = None) -> DecisionLineageReport:
    b.container.catch_up()
    return DecisionLineageReport(b.container.views, moment or Moment())


def programme(b: Board, workstream: UUID | None = None) -> ProgrammeLineage:
    return report(b).programme(str(b.programme), str(workstream) if workstream else None)


def chain_of_three_with_an_amendment(b: Board) -> tuple[Decision, Decision, Decision]:
    """First superseded by second (amended on day 14), second superseded by third."""
    first = take(b, propose(b, "Two hubs", 0), 1)
    second = take(b, propose(b, "One hub", 10), 12)
    third = take(b, propose(b, "One hub and a phone line", 20), 25)
    b.container.app.amend_decision(
        by=b.ada,
        decision_id=second.id,
        reason="Name the hub",
        title="One hub at LGI",
        occurred_at=day(14),
    )
    supersede(b, first, second)
    supersede(b, second, third)
    return first, second, third


# Chains


def test_a_chain_of_three_runs_from_the_first_decision_to_the_one_in_force(b: Board) -> None:
    first, second, third = chain_of_three_with_an_amendment(b)
    unrelated = propose(b, "Unrelated", 30)

    lineage = programme(b)

    chain, alone = lineage.chains
    assert [d.id for d in chain.decisions] == [str(first.id), str(second.id), str(third.id)]
    assert (chain.first_id, chain.in_force_id, chain.length) == (str(first.id), str(third.id), 3)
    assert chain.amendment_count == 1
    middle = chain.decisions[1]
    assert (middle.title, middle.supersedes, middle.superseded_by) == (
        "One hub at LGI",
        [str(first.id)],
        str(third.id),
    )
    assert middle.amended_at == [day(14).strftime("%Y-%m-%dT%H:%M:%S.%fZ")]
    assert [d.status for d in chain.decisions] == ["superseded", "superseded", "decided"]
    assert (alone.first_id, alone.in_force_id, alone.length) == (str(unrelated.id), None, 1)


def test_one_decisions_lineage_reads_both_ways_with_amendments_and_timeline(b: Board) -> None:
    first, second, third = chain_of_three_with_an_amendment(b)

    lineage = report(b).decision(str(second.id))

    assert lineage is not None
    assert [d.id for d in lineage.supersedes] == [str(first.id)]
    assert [d.id for d in lineage.superseded_by] == [str(third.id)]
    assert lineage.in_force_id == str(third.id)
    [amendment] = lineage.amendments
    assert (amendment.reason, amendment.title, amendment.amended_by) == (
        "Name the hub",
        "One hub at LGI",
        str(b.ada),
    )
    assert [e.kind for e in lineage.timeline] == [
        "proposed",
        "taken",
        "amended",
        "superseded_another",
        "superseded",
    ]
    proposed = lineage.timeline[0]
    # Occurred 80 days ago, recorded just now: the back-dating is visible.
    assert (proposed.person_name, proposed.organisation_kind) == ("Bob", "provider")
    assert proposed.back_dated
    assert proposed.recorded_after_days >= 79
    assert report(b).decision("00000000-0000-4000-8000-000000000000") is None


def test_as_of_before_a_supersession_the_old_decision_is_in_force(b: Board) -> None:
    old = take(b, propose(b, "Two hubs", 0), 1)
    new = take(b, propose(b, "One hub", 10), 12)
    before = b.container.app.repository.get(new.id).modified_on
    supersede(b, old, new)

    then = report(b, Moment(before)).programme(str(b.programme))
    now = programme(b)

    assert [(c.first_id, c.in_force_id) for c in then.chains] == [
        (str(old.id), str(old.id)),
        (str(new.id), str(new.id)),
    ]
    assert [(c.first_id, c.in_force_id, c.length) for c in now.chains] == [
        (str(old.id), str(new.id), 2)
    ]
    old_then = report(b, Moment(before)).decision(str(old.id))
    assert old_then is not None
    assert old_then.in_force_id == str(old.id)
    assert report(b, Moment(BASE - timedelta(days=1))).decision(str(old.id)) is None


# Latency


def test_latency_is_proposal_to_decision_by_occurred_time_with_median_and_p90(b: Board) -> None:
    for start, days in ((0, 2), (1, 4), (2, 10), (3, 20)):
        take(b, propose(b, f"Took {days} days", start), start + days)
    propose(b, "Never taken", 5)

    lineage = programme(b)

    assert (lineage.latency.decisions_taken, lineage.latency.median_days) == (4, 7.0)
    assert lineage.latency.p90_days == 20.0
    assert sorted(d.decisions[0].latency_days or 0 for d in lineage.chains) == [
        0,
        2.0,
        4.0,
        10.0,
        20.0,
    ]


def test_the_90th_percentile_is_the_nearest_rank() -> None:
    assert percentile([2, 4, 10], 90) == 10
    assert percentile(list(range(1, 21)), 90) == 18
    assert percentile([], 90) is None


# Coordination


def test_a_workstream_with_more_people_and_slower_decisions_is_crowded(b: Board) -> None:
    app = b.container.app
    _, hospital = app.add_workstream(by=None, programme_id=b.programme, name="Hospital")
    carol, dan = member(b, "Carol", b.trust), member(b, "Dan", b.trust)
    # Hospital: four people (Bob, Carol propose; Ada consults and takes; Dan objects),
    # latencies 20 and 30 days.
    h1 = propose(b, "Ward moves", 0, workstream=hospital.id)
    h2 = propose(b, "Theatre list", 0, by=carol, workstream=hospital.id)
    consult_and_respond(b, h1, b.trust, dan, "object")
    take(b, h1, 20)
    take(b, h2, 30)
    # Mental health: two people (Bob proposes, Ada takes), latencies 2 and 4 days.
    take(b, propose(b, "Crisis line", 0, workstream=b.workstream), 2)
    take(b, propose(b, "Crisis cafe", 0, workstream=b.workstream), 4)
    # Community: one person (Bob proposes and takes), slow (40 days) but not crowded.
    _, community = app.add_workstream(by=None, programme_id=b.programme, name="Community")
    take(b, propose(b, "Night nurses", 0, workstream=community.id), 40, by=b.bob)

    lineage = programme(b)

    rows = {row.name: row for row in lineage.workstreams}
    # Medians of participants (4, 2, 1) and of latencies (2, 4, 20, 30, 40).
    assert (lineage.participants_median, lineage.latency_median_days) == (2, 20.0)
    hospital_row, mental_health = rows["Hospital"], rows["Mental Health"]
    assert (hospital_row.participants, hospital_row.participant_organisations) == (4, 2)
    assert (hospital_row.latency.median_days, hospital_row.crowded) == (25.0, True)
    assert (mental_health.participants, mental_health.latency.median_days) == (2, 3.0)
    assert mental_health.crowded is False
    assert (rows["Community"].participants, rows["Community"].latency.median_days) == (1, 40.0)
    assert rows["Community"].crowded is False
    narrowed = programme(b, b.workstream)
    assert [row.name for row in narrowed.workstreams] == ["Mental Health"]
    assert narrowed.latency.median_days == 3.0
    assert len(narrowed.chains) == 2


def test_a_workstream_with_many_people_that_decides_quickly_is_not_crowded(b: Board) -> None:
    app = b.container.app
    _, community = app.add_workstream(by=None, programme_id=b.programme, name="Community")
    carol = member(b, "Carol", b.trust)
    # Mental health: Carol proposes, Ada takes, Bob objects: three people, 3 days.
    quick = propose(b, "Crisis line", 59, by=carol, workstream=b.workstream)
    consult_and_respond(b, quick, b.trust, b.bob, "object")
    take(b, quick, 62)
    # Community: Bob alone, 40 days.
    take(b, propose(b, "Night nurses", 0, workstream=community.id), 40, by=b.bob)

    lineage = programme(b)

    rows = {row.name: row for row in lineage.workstreams}
    assert (lineage.participants_median, lineage.latency_median_days) == (2, 21.5)
    assert (rows["Mental Health"].participants, rows["Community"].participants) == (3, 1)
    assert rows["Mental Health"].crowded is False
    assert rows["Community"].crowded is False


def test_commissioners_and_providers_are_counted_for_proposals_objections_and_decisions(
    b: Board,
) -> None:
    by_icb = propose(b, "ICB idea", 0, by=b.ada, organisation=b.icb)
    by_trust = propose(b, "Trust idea", 0)
    also_trust = propose(b, "Trust idea two", 0)
    consult_and_respond(b, by_icb, b.trust, b.bob, "object", "object")
    consult_and_respond(b, by_trust, b.icb, b.ada, "object")
    consult_and_respond(b, also_trust, b.trust, b.bob, "support")
    take(b, by_icb, 62, by=b.ada)
    take(b, by_trust, 62, by=b.ada)
    take(b, also_trust, 62, by=b.bob)

    lineage = programme(b)

    assert [(k.kind, k.proposals, k.objections, k.decisions) for k in lineage.by_kind] == [
        ("commissioner", 1, 1, 2),
        ("provider", 2, 1, 1),
    ]
    assert [
        (o.name, o.kind, o.proposals, o.objections, o.decisions) for o in lineage.by_organisation
    ] == [
        ("NHS West Yorkshire ICB", "commissioner", 1, 1, 2),
        ("Leeds Teaching Hospitals", "provider", 2, 1, 1),
    ]


def test_a_consultation_carried_to_a_merged_organisations_successor_is_on_the_timeline(
    b: Board,
) -> None:
    app = b.container.app
    proposal = propose(b, "Single point of access", 0, by=b.ada, organisation=b.icb)
    consult_and_respond(b, proposal, b.trust, b.bob, "object")
    successor = app.register_organisation(by=None, name="Leeds and York Trust", kind="provider")
    app.merge_organisation(
        by=None, organisation_id=b.trust, successor_id=successor.id, expected_version=None
    )

    lineage = report(b).decision(str(proposal.id))

    assert lineage is not None
    carried = lineage.timeline[-1]
    assert (carried.kind, carried.organisation_id, carried.related_id) == (
        "consultation_carried_over",
        str(successor.id),
        str(b.trust),
    )
    assert carried.back_dated is False
    objections = {o.name: o.objections for o in programme(b).by_organisation}
    assert objections["Leeds Teaching Hospitals"] == 1
