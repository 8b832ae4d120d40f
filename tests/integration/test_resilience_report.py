"""The resilience report on both stores, on small boards whose answers are worked out by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime
from uuid import UUID

from domain.commitment import Commitment
from domain.review import ActionEntry, RatingEntry
from infra.bootstrap import Container
from projections.resilience_report import ProgrammeResilience, ResilienceReport
from projections.temporal import Moment
from tests.integration.commitment_support import days
from tests.integration.role_support import Board


def report(container: Container, moment: Moment | None = None) -> ResilienceReport:
    container.catch_up()
    return ResilienceReport(container.views, moment or Moment())


def now() -> datetime:
    return datetime.now(UTC)


def review(
    board: Board, reviewers: list[UUID], *ratings: RatingEntry, programme: UUID | None = None
) -> None:
    board.app.record_review(
        by=None,
        programme_id=programme or board.programme,
        reviewer_ids=reviewers,
        ratings=list(ratings),
        held_on=date(2026, 1, 10),
    )


def rated(
    component: str, evidence: tuple[str, ...] = (), owners: tuple[UUID, ...] = ()
) -> RatingEntry:
    actions = [ActionEntry("Follow up", owner, date(2026, 3, 1)) for owner in owners]
    return RatingEntry(component=component, rating=3, evidence=evidence, actions=actions)


def commit(board: Board, by: UUID | None, what: str) -> Commitment:
    """A commitment of the trust to the ICB within the board's programme."""
    return board.app.make_commitment(
        by=by,
        provider_id=board.trust,
        commissioner_id=board.icb,
        what=what,
        measure="Monthly report",
        due_date=days(30),
        programme_id=board.programme,
    )


def programme_report(
    container: Container, board: Board, moment: Moment | None = None
) -> ProgrammeResilience:
    found = report(container, moment).for_programme(str(board.programme))
    assert found is not None
    return found


# Critical roles without a deputy


def test_a_critical_role_shows_without_deputy_as_of_before_its_deputy_was_named(
    container: Container,
) -> None:
    board = Board(container)
    role = board.role("sro", critical=True)
    board.role("clinical_lead")  # not critical: never listed
    holder, deputy = board.member(board.icb, "Hana Holder"), board.member(board.icb, "Dev Deputy")
    board.app.assign_role(by=None, role_id=role.id, holder_id=holder)
    before_deputy = now()
    board.app.assign_role(by=None, role_id=role.id, holder_id=holder, deputy_id=deputy)

    then = programme_report(container, board, Moment(before_deputy))
    current = programme_report(container, board)

    assert [
        (r.role_id, r.holder_id, r.holder_name, r.vacant)
        for r in then.critical_roles_without_deputy
    ] == [(str(role.id), str(holder), "Hana Holder", False)]
    assert then.as_of is not None
    assert current.critical_roles_without_deputy == []
    assert current.as_of is None


def test_a_vacant_critical_role_has_no_deputy_either(container: Container) -> None:
    board = Board(container)
    role = board.role("measurement_lead", critical=True)

    listed = programme_report(container, board).critical_roles_without_deputy

    assert [(r.role_id, r.holder_id, r.vacant) for r in listed] == [(str(role.id), None, True)]


# People with several critical roles


def test_a_person_holding_and_deputising_critical_roles_in_two_programmes_is_listed(
    container: Container,
) -> None:
    board = Board(container)
    other = board.second_programme()
    busy, calm = board.member(board.icb, "Busy Bee"), board.member(board.icb, "Calm Cat")
    sro = board.role("sro", critical=True)
    board.app.assign_role(by=None, role_id=sro.id, holder_id=busy)
    elsewhere = board.role("clinical_lead", programme=other, critical=True)
    board.app.assign_role(by=None, role_id=elsewhere.id, holder_id=calm, deputy_id=busy)
    # A non-critical role does not count towards Calm's load.
    facilitator = board.role("programme_facilitator")
    board.app.assign_role(by=None, role_id=facilitator.id, holder_id=calm)

    here = programme_report(container, board).people_with_several_critical_roles
    portfolio = report(container).portfolio(limit=50, offset=0)

    assert [(p.person_id, p.name, p.critical_role_count) for p in here] == [
        (str(busy), "Busy Bee", 2)
    ]
    assert {(r.programme_id, r.role_id, r.position) for r in here[0].roles} == {
        (str(board.programme), str(sro.id), "holder"),
        (str(other), str(elsewhere.id), "deputy"),
    }
    assert [p.person_id for p in portfolio.people_with_several_critical_roles] == [str(busy)]


# Knowledge areas and islands


def test_a_component_one_reviewer_rated_evidenced_and_owns_actions_for_is_an_island(
    container: Container,
) -> None:
    container.app.ensure_builtin_frameworks()
    board = Board(container)
    ann, bob = board.member(board.icb, "Ann"), board.member(board.icb, "Bob")
    # measurement: Ann reviewed (1), evidenced (1), owns an action (1) = 3 of 3 -> island.
    # leadership: Ann and Bob reviewed, no evidence = 1 each of 2 -> too few to judge.
    # delivery: Ann reviewed twice with evidence (4), Bob owns one action (1): 4 of 5 = 80%.
    review(board, [ann], rated("measurement", ("Dashboard",), (ann,)))
    review(board, [ann, bob], rated("leadership"))
    review(board, [ann], rated("delivery", ("Plan",)))
    review(board, [ann], rated("delivery", ("Plan v2",), (bob,)))

    result = programme_report(container, board)
    areas = {area.key: area for area in result.knowledge_areas}

    assert sorted(
        (i.key, i.person_id, i.contributions, i.contribution_count, i.share)
        for i in result.knowledge_islands
    ) == [("delivery", str(ann), 4, 5, 0.8), ("measurement", str(ann), 3, 3, 1.0)]
    assert [(c.person_id, c.contributions) for c in areas["leadership"].contributors] == [
        (str(ann), 1),
        (str(bob), 1),
    ]
    # Every component of the 2018 framework is an area, reviewed or not.
    assert areas["system_drivers"].contribution_count == 0
    assert areas["measurement"].name == "Measurement"


def test_decisions_credit_the_proposer_decider_and_amender_with_components_and_workstream(
    container: Container,
) -> None:
    board = Board(container)
    _, workstream = board.app.add_workstream(
        by=None, programme_id=board.programme, name="Mental Health"
    )
    proposer = board.member(board.trust, "Pat Proposer")
    decider = board.member(board.icb, "Dee Decider")
    decision = board.app.propose_decision(
        by=proposer,
        programme_id=board.programme,
        organisation_id=board.trust,
        title="Single point of access",
        rationale="Four numbers today",
        components=["delivery"],
        workstream_id=workstream.id,
    )
    board.app.take_decision(by=decider, decision_id=decision.id, authority="Board")
    board.app.amend_decision(
        by=decider, decision_id=decision.id, reason="Scope grew", components=["delivery", "spread"]
    )

    areas = {area.key: area for area in programme_report(container, board).knowledge_areas}
    contributions = {
        key: {c.name: c.contributions for c in area.contributors} for key, area in areas.items()
    }

    assert contributions["delivery"] == {"Dee Decider": 2, "Pat Proposer": 1}
    assert contributions["spread"] == {"Dee Decider": 1}
    assert contributions[str(workstream.id)] == {"Dee Decider": 2, "Pat Proposer": 1}
    assert areas[str(workstream.id)].name == "Mental Health"
    assert areas[str(workstream.id)].kind == "workstream"


# Named leads and handovers


def test_a_participant_without_a_held_named_lead_role_is_listed(container: Container) -> None:
    board = Board(container)
    lead = board.role("organisation_lead", organisation_id=board.trust)
    before = now()
    board.app.assign_role(by=None, role_id=lead.id, holder_id=board.member(board.trust, "Tia"))

    then = programme_report(container, board, Moment(before)).organisations_without_named_lead
    current = programme_report(container, board).organisations_without_named_lead

    assert {o.organisation_id for o in then} == {str(board.icb), str(board.trust)}
    assert [(o.organisation_id, o.participant_role, o.kind) for o in current] == [
        (str(board.icb), "lead_commissioner", "commissioner")
    ]


def test_only_a_handover_that_transferred_no_knowledge_is_listed(container: Container) -> None:
    board = Board(container)
    role_id, holder, deputy = board.held("sro")
    successor = board.member(board.icb, "Sam Successor")
    board.app.hand_over_role(
        by=None,
        role_id=role_id,
        to_person_id=deputy,
        knowledge_items=["Contacts"],
        outgoing_reachable=True,
    )
    board.app.hand_over_role(
        by=None,
        role_id=role_id,
        to_person_id=successor,
        knowledge_items=[],
        outgoing_reachable=False,
    )

    listed = programme_report(container, board).handovers_without_knowledge

    assert [(h.role_id, h.from_person_id, h.to_person_id, h.to_name) for h in listed] == [
        (str(role_id), str(deputy), str(successor), "Sam Successor")
    ]
    assert holder != deputy


# Bus factor


def test_one_person_covering_every_area_is_a_bus_factor_of_one(container: Container) -> None:
    board = Board(container)
    ann = board.member(board.icb, "Ann")
    review(board, [ann], rated("leadership"), rated("delivery"), rated("spread"))

    result = programme_report(container, board).bus_factor

    assert (result.value, result.knowledge_area_count) == (1, 3)
    assert [(p.person_id, p.areas_covered) for p in result.removed] == [(str(ann), 3)]
    assert report(container).bus_factor(str(board.programme), Moment()) == 1


def test_two_people_covering_disjoint_halves_is_a_bus_factor_of_two_and_zero_before(
    container: Container,
) -> None:
    board = Board(container)
    ann, bob = board.member(board.icb, "Ann"), board.member(board.icb, "Bob")
    before = now()
    review(board, [ann], rated("leadership"), rated("delivery"))
    review(board, [bob], rated("spread"), rated("measurement"))

    reading = report(container)

    assert reading.bus_factor(str(board.programme), Moment()) == 2
    assert reading.bus_factor(str(board.programme), Moment(before)) == 0
    assert [p.name for p in programme_report(container, board).bus_factor.removed] == ["Ann", "Bob"]


def test_the_portfolio_pages_every_programmes_bus_factor_by_title(container: Container) -> None:
    board = Board(container)  # "Urgent Care"
    other = board.second_programme()  # "Mental Health"
    ann = board.member(board.icb, "Ann")
    review(board, [ann], rated("leadership"))

    first = report(container).portfolio(limit=1, offset=0)
    second = report(container).portfolio(limit=1, offset=1)

    assert (first.total, [(p.programme_id, p.bus_factor) for p in first.items]) == (
        2,
        [(str(other), 0)],
    )
    assert [(p.programme_id, p.bus_factor, p.knowledge_area_count) for p in second.items] == [
        (str(board.programme), 1, 1)
    ]


# Off-boarding what-if


def test_offboarding_orphans_roles_without_a_deputy_outside_the_set(container: Container) -> None:
    board = Board(container)
    ann, bob, cat = (board.member(board.icb, name) for name in ("Ann", "Bob", "Cat"))
    alone = board.role("sro", critical=True)
    board.app.assign_role(by=None, role_id=alone.id, holder_id=ann)
    both_leave = board.role("clinical_lead")
    board.app.assign_role(by=None, role_id=both_leave.id, holder_id=ann, deputy_id=bob)
    covered = board.role("measurement_lead")
    board.app.assign_role(by=None, role_id=covered.id, holder_id=ann, deputy_id=cat)
    deputy_only = board.role("programme_facilitator")
    board.app.assign_role(by=None, role_id=deputy_only.id, holder_id=cat, deputy_id=bob)

    impact = report(container).offboarding(str(board.programme), [str(ann), str(bob)])

    assert {r.role_id for r in impact.orphaned_roles} == {str(alone.id), str(both_leave.id)}
    assert [r.role_id for r in impact.deputised_roles] == [str(covered.id)]
    assert [r.role_id for r in impact.roles_losing_deputy] == [str(deputy_only.id)]
    assert [p.name for p in impact.people] == ["Ann", "Bob"]


def test_offboarding_orphans_an_area_only_when_every_coverer_leaves(container: Container) -> None:
    board = Board(container)
    ann, bob = board.member(board.icb, "Ann"), board.member(board.icb, "Bob")
    review(board, [ann], rated("leadership", ("Notes",)))  # Ann 2
    review(board, [ann, bob], rated("delivery"))  # Ann 1, Bob 1: both cover
    review(board, [bob], rated("spread"))

    alone = report(container).offboarding(str(board.programme), [str(ann)])
    together = report(container).offboarding(str(board.programme), [str(ann), str(bob)])

    assert [a.key for a in alone.orphaned_knowledge_areas] == ["leadership"]
    assert sorted(a.key for a in together.orphaned_knowledge_areas) == [
        "delivery",
        "leadership",
        "spread",
    ]


def test_offboarding_orphans_an_open_commitment_when_its_maker_and_acceptor_leave(
    container: Container,
) -> None:
    board = Board(container)
    supplier, buyer = (
        board.member(board.trust, "Sam Supplier"),
        board.member(board.icb, "Bea Buyer"),
    )
    commitment = commit(board, supplier, "Handovers within 30 minutes")
    before_acceptance = now()
    board.app.accept_commitment(by=buyer, commitment_id=commitment.id)
    delivered = commit(board, supplier, "Discharge lounge open")
    board.app.accept_commitment(by=buyer, commitment_id=delivered.id)
    board.app.deliver_commitment(by=supplier, commitment_id=delivered.id, evidence="Opened")

    reading = report(container)
    programme = str(board.programme)
    only_supplier = reading.offboarding(programme, [str(supplier)])
    both = reading.offboarding(programme, [str(supplier), str(buyer)])
    earlier = report(container, Moment(before_acceptance)).offboarding(programme, [str(supplier)])

    assert only_supplier.orphaned_commitments == []
    assert [(c.commitment_id, c.basis) for c in both.orphaned_commitments] == [
        (str(commitment.id), "made_or_accepted")
    ]
    assert [(c.commitment_id, c.status) for c in earlier.orphaned_commitments] == [
        (str(commitment.id), "proposed")
    ]


def test_a_commitment_nobody_is_recorded_on_falls_to_the_providers_named_lead(
    container: Container,
) -> None:
    board = Board(container)
    tia = board.member(board.trust, "Tia")
    lead = board.role("organisation_lead", organisation_id=board.trust)
    board.app.assign_role(by=None, role_id=lead.id, holder_id=tia)
    commit(board, None, "Imported from the old log")

    impact = report(container).offboarding(str(board.programme), [str(tia)])

    assert [(c.custodian_ids, c.basis) for c in impact.orphaned_commitments] == [
        ([str(tia)], "provider_named_lead")
    ]


def test_a_programme_unknown_at_the_moment_has_no_report(container: Container) -> None:
    before = now()
    board = Board(container)

    assert report(container, Moment(before)).for_programme(str(board.programme)) is None
    assert report(container).for_programme("00000000-0000-4000-8000-000000000000") is None
