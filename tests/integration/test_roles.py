"""Role use cases and the roles view against real stores (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from domain.errors import (
    Forbidden,
    NotFound,
    ReferenceNotFound,
    RuleViolation,
    StaleVersion,
    UniquenessConflict,
)
from domain.role import Role
from infra.bootstrap import Container
from projections.timefmt import iso
from tests.integration.role_support import Board, roles, row, view_rows
from tests.integration.support import events_after, head, names_after


@pytest.fixture
def board(container: Container) -> Board:
    return Board(container)


# Defining


def test_defining_records_the_role_and_its_uniqueness_claim_by_the_actor(
    container: Container, board: Board
) -> None:
    before = head(container)

    role = board.role("sro", critical=True)

    events = events_after(container, before)
    assert [type(e).__qualname__ for e in events] == ["Role.Defined", "UniqueValue.Claimed"]
    assert {e.actor_id for e in events} == {board.chair}
    assert events[1].owner_id == role.id


def test_the_view_shows_a_defined_role_vacant_and_unflagged(
    container: Container, board: Board
) -> None:
    role = board.role("organisation_lead", organisation_id=board.trust, critical=True)

    found = row(container, role.id)

    assert (found["programme_id"], found["kind"], found["organisation_id"]) == (
        str(board.programme),
        "organisation_lead",
        str(board.trust),
    )
    assert (found["critical"], found["vacant"], found["flagged"], found["holder_id"]) == (
        True,
        True,
        False,
        None,
    )
    assert (found["version"], found["handover_count"]) == (1, 0)


def test_a_second_role_of_a_standard_kind_is_refused_naming_the_first_and_records_nothing(
    container: Container, board: Board
) -> None:
    first = board.role("sro")
    before = head(container)

    with pytest.raises(UniquenessConflict) as refused:
        board.role("sro", title="Deputy SRO")

    assert (refused.value.field, refused.value.existing_id) == ("kind", first.id)
    assert head(container) == before


def test_a_second_named_lead_for_one_organisation_is_refused_naming_organisation_id(
    board: Board,
) -> None:
    board.role("organisation_lead", organisation_id=board.trust)

    with pytest.raises(UniquenessConflict) as refused:
        board.role("organisation_lead", organisation_id=board.trust, title="Other")

    assert refused.value.field == "organisation_id"


def test_each_participating_organisation_may_have_its_own_named_lead(
    container: Container, board: Board
) -> None:
    board.role("organisation_lead", organisation_id=board.trust)
    board.role("organisation_lead", organisation_id=board.icb)

    page = roles(container).list_roles(programme_id=str(board.programme))

    assert sorted(r["organisation_id"] for r in page.items) == sorted(
        [str(board.trust), str(board.icb)]
    )


def test_custom_roles_with_the_same_title_in_another_case_are_refused_naming_title(
    board: Board,
) -> None:
    board.role("custom", title="Data lead")

    with pytest.raises(UniquenessConflict) as refused:
        board.role("custom", title="DATA LEAD")

    assert refused.value.field == "title"


def test_the_same_kind_may_be_defined_in_another_programme(board: Board) -> None:
    board.role("sro")

    board.role("sro", programme=board.second_programme())


def test_a_named_lead_for_an_unknown_organisation_is_refused_naming_organisation_id(
    board: Board,
) -> None:
    with pytest.raises(ReferenceNotFound) as refused:
        board.role("organisation_lead", organisation_id=board.programme)

    assert refused.value.field == "organisation_id"


def test_defining_in_an_unknown_programme_is_not_found(board: Board) -> None:
    with pytest.raises(NotFound):
        board.role("sro", programme=board.trust)


def test_someone_outside_the_participating_organisations_may_not_define_roles(
    container: Container, board: Board
) -> None:
    outsider = board.member(board.outsider, "Outsider")
    before = head(container)

    with pytest.raises(Forbidden, match="not a member of an organisation taking part"):
        board.app.define_role(by=outsider, programme_id=board.programme, kind="sro")

    assert head(container) == before


def test_someone_with_no_organisation_may_not_define_roles(board: Board) -> None:
    with pytest.raises(Forbidden):
        board.app.define_role(by=board.member(), programme_id=board.programme, kind="sro")


def test_the_platform_itself_may_define_roles(board: Board) -> None:
    role = board.app.define_role(by=None, programme_id=board.programme, kind="sro")

    assert role.version == 1


# Assigning, vacating, critical


def test_assigning_shows_the_holder_and_deputy_with_their_organisations_in_the_view(
    container: Container, board: Board
) -> None:
    role = board.role()
    holder, deputy = board.member(board.icb), board.member(board.trust)
    before = head(container)

    assigned = board.app.assign_role(
        by=board.chair, role_id=role.id, holder_id=holder, deputy_id=deputy, expected_version=1
    )

    assert names_after(container, before) == ["Role.Assigned"]
    found = row(container, role.id)
    assert (found["holder_id"], found["holder_organisation_id"]) == (str(holder), str(board.icb))
    assert (found["deputy_id"], found["deputy_organisation_id"]) == (str(deputy), str(board.trust))
    assert (found["vacant"], found["version"]) == (False, assigned.version)


def test_assigning_an_unknown_holder_is_refused_naming_holder_id(board: Board) -> None:
    role = board.role()

    with pytest.raises(ReferenceNotFound) as refused:
        board.app.assign_role(by=board.chair, role_id=role.id, holder_id=board.icb)

    assert refused.value.field == "holder_id"


def test_assigning_an_unknown_deputy_is_refused_naming_deputy_id(board: Board) -> None:
    role = board.role()

    with pytest.raises(ReferenceNotFound) as refused:
        board.app.assign_role(
            by=board.chair, role_id=role.id, holder_id=board.chair, deputy_id=board.icb
        )

    assert refused.value.field == "deputy_id"


def test_assigning_an_unknown_role_is_not_found(board: Board) -> None:
    with pytest.raises(NotFound):
        board.app.assign_role(by=board.chair, role_id=board.icb, holder_id=board.chair)


def test_assigning_based_on_an_old_version_is_refused_as_stale_and_records_nothing(
    container: Container, board: Board
) -> None:
    role = board.role()
    board.app.set_role_critical(by=board.chair, role_id=role.id, critical=True)
    before = head(container)

    with pytest.raises(StaleVersion):
        board.app.assign_role(
            by=board.chair, role_id=role.id, holder_id=board.chair, expected_version=1
        )

    assert head(container) == before


def test_someone_outside_the_programme_may_not_assign_its_roles(board: Board) -> None:
    role = board.role()

    with pytest.raises(Forbidden):
        board.app.assign_role(
            by=board.member(board.outsider), role_id=role.id, holder_id=board.chair
        )


def test_a_holder_outside_the_participating_organisations_is_refused(board: Board) -> None:
    role = board.role()

    with pytest.raises(RuleViolation, match="does not participate"):
        board.app.assign_role(
            by=board.chair, role_id=role.id, holder_id=board.member(board.outsider)
        )


def test_vacating_empties_the_role_in_the_view(container: Container, board: Board) -> None:
    role_id, _, _ = board.held()

    board.app.vacate_role(by=board.chair, role_id=role_id, reason="restructure")

    found = row(container, role_id)
    assert (found["holder_id"], found["deputy_id"], found["vacant"]) == (None, None, True)


def test_marking_critical_and_unmarking_shows_in_the_view(
    container: Container, board: Board
) -> None:
    role = board.role()

    board.app.set_role_critical(by=board.chair, role_id=role.id, critical=True)
    assert row(container, role.id)["critical"] is True

    board.app.set_role_critical(by=board.chair, role_id=role.id, critical=False)
    assert row(container, role.id)["critical"] is False


# Lists


def test_a_programmes_roles_are_filtered_by_critical_vacant_and_kind(
    container: Container, board: Board
) -> None:
    sro_id, _, _ = board.held("sro", critical=True)
    facilitator = board.role("programme_facilitator", critical=True)
    board.role("custom", title="Data lead")
    queries = roles(container)
    programme = str(board.programme)

    def ids(**filters: Any) -> set[str]:
        return {r["id"] for r in queries.list_roles(programme_id=programme, **filters).items}

    assert ids(critical=True) == {str(sro_id), str(facilitator.id)}
    assert ids(critical=True, vacant=True) == {str(facilitator.id)}
    assert ids(vacant=False) == {str(sro_id)}
    assert ids(kind="custom") != set()
    assert len(ids()) == 3


def test_a_programmes_roles_are_paginated_oldest_first(container: Container, board: Board) -> None:
    defined = [board.role(kind).id for kind in ("sro", "clinical_lead", "measurement_lead")]

    page = roles(container).list_roles(programme_id=str(board.programme), limit=2, offset=1)

    assert [r["id"] for r in page.items] == [str(i) for i in defined[1:]]
    assert page.total == 3


def test_a_persons_roles_span_programmes_and_say_whether_they_hold_or_deputise(
    container: Container, board: Board
) -> None:
    person = board.member(board.icb, "Busy")
    sro = board.role("sro", critical=True)
    lead = board.role("clinical_lead", programme=board.second_programme())
    board.app.assign_role(by=board.chair, role_id=sro.id, holder_id=person)
    board.app.assign_role(by=board.chair, role_id=lead.id, holder_id=board.chair, deputy_id=person)

    page = roles(container).roles_of_person(person_id=str(person))

    assert {(r["id"], r["position"]) for r in page.items} == {
        (str(sro.id), "holder"),
        (str(lead.id), "deputy"),
    }
    critical = roles(container).roles_of_person(person_id=str(person), critical=True)
    assert [r["id"] for r in critical.items] == [str(sro.id)]


# A person leaving their organisation


def test_a_holder_leaving_flags_their_roles_in_the_same_transaction_without_reassigning(
    container: Container, board: Board
) -> None:
    role_id, holder, deputy = board.held()
    before = head(container)

    board.leave(holder)

    events = events_after(container, before)
    assert [type(e).__qualname__ for e in events] == [
        "Person.LeftOrganisation",
        "Role.HandoverFlagged",
    ]
    assert (events[1].person_id, events[1].position) == (holder, "holder")
    found = row(container, role_id)
    assert (found["flagged"], found["holder_id"], found["deputy_id"]) == (
        True,
        str(holder),
        str(deputy),
    )
    flags = roles(container).flags(str(role_id))
    assert [(f["person_id"], f["position"], f["organisation_id"]) for f in flags] == [
        (str(holder), "holder", str(board.icb))
    ]


def test_a_person_leaving_flags_every_role_they_hold_or_deputise_across_programmes(
    container: Container, board: Board
) -> None:
    person = board.member(board.icb, "Busy")
    sro = board.role("sro")
    lead = board.role("clinical_lead", programme=board.second_programme())
    untouched = board.role("measurement_lead")
    board.app.assign_role(by=board.chair, role_id=sro.id, holder_id=person)
    board.app.assign_role(by=board.chair, role_id=lead.id, holder_id=board.chair, deputy_id=person)
    board.app.assign_role(by=board.chair, role_id=untouched.id, holder_id=board.chair)

    board.leave(person)

    flagged = roles(container).list_roles(programme_id=str(board.programme), flagged=True)
    assert [r["id"] for r in flagged.items] == [str(sro.id)]
    assert row(container, lead.id)["flagged"] is True
    assert row(container, untouched.id)["flagged"] is False


def test_a_flag_clears_when_the_role_is_handed_over(container: Container, board: Board) -> None:
    role_id, holder, _ = board.held()
    board.leave(holder)

    board.app.hand_over_role(
        by=board.chair,
        role_id=role_id,
        to_person_id=board.member(board.trust, "Newcomer"),
        knowledge_items=["stakeholder map"],
        outgoing_reachable=True,
    )

    assert row(container, role_id)["flagged"] is False
    assert roles(container).flags(str(role_id)) == []


def test_a_flag_clears_when_the_role_is_reassigned(container: Container, board: Board) -> None:
    role_id, holder, _ = board.held()
    board.leave(holder)

    board.app.assign_role(by=board.chair, role_id=role_id, holder_id=board.chair)

    assert row(container, role_id)["flagged"] is False


def test_a_flag_clears_when_the_role_is_vacated(container: Container, board: Board) -> None:
    role_id, holder, _ = board.held()
    board.leave(holder)

    board.app.vacate_role(by=board.chair, role_id=role_id)

    assert row(container, role_id)["flagged"] is False


def test_a_flag_for_a_deputy_who_left_stays_through_a_handover_of_the_holders_place(
    container: Container, board: Board
) -> None:
    role_id, _, deputy = board.held()
    board.leave(deputy)

    board.app.hand_over_role(
        by=board.chair,
        role_id=role_id,
        to_person_id=board.member(board.icb),
        knowledge_items=[],
        outgoing_reachable=True,
    )

    assert row(container, role_id)["flagged"] is True
    assert [f["person_id"] for f in roles(container).flags(str(role_id))] == [str(deputy)]


# Handovers


def test_a_handover_is_listed_with_its_knowledge_items_and_both_times(
    container: Container, board: Board
) -> None:
    role_id, holder, deputy = board.held()
    newcomer = board.member(board.trust, "Newcomer")
    when = datetime.now(UTC) - timedelta(days=3)

    handed = board.app.hand_over_role(
        by=board.chair,
        role_id=role_id,
        to_person_id=newcomer,
        knowledge_items=["stakeholder map", "CQUIN negotiation history"],
        outgoing_reachable=False,
        occurred_at=when,
        expected_version=2,
    )

    found = row(container, role_id)
    assert (found["holder_id"], found["holder_organisation_id"], found["deputy_id"]) == (
        str(newcomer),
        str(board.trust),
        str(deputy),
    )
    assert found["handover_count"] == 1
    [handover] = roles(container).handovers(str(role_id))
    assert (handover["from_person_id"], handover["to_person_id"]) == (str(holder), str(newcomer))
    assert handover["knowledge_items"] == ["stakeholder map", "CQUIN negotiation history"]
    assert (handover["outgoing_reachable"], handover["occurred_at"]) == (False, iso(when))
    assert handover["recorded_at"] > handover["occurred_at"]
    assert (handover["version"], handover["programme_id"]) == (handed.version, str(board.programme))


def test_handing_over_to_the_current_holder_is_refused_and_records_nothing(
    container: Container, board: Board
) -> None:
    role_id, holder, _ = board.held()
    before = head(container)

    with pytest.raises(RuleViolation, match="already holds"):
        board.app.hand_over_role(
            by=board.chair,
            role_id=role_id,
            to_person_id=holder,
            knowledge_items=["map"],
            outgoing_reachable=True,
        )

    assert head(container) == before


def test_handing_over_to_an_unknown_person_is_refused_naming_to_person_id(board: Board) -> None:
    role_id, _, _ = board.held()

    with pytest.raises(ReferenceNotFound) as refused:
        board.app.hand_over_role(
            by=board.chair,
            role_id=role_id,
            to_person_id=board.icb,
            knowledge_items=[],
            outgoing_reachable=True,
        )

    assert refused.value.field == "to_person_id"


# An organisation merging


def test_merging_passes_the_named_lead_roles_to_the_successor_with_the_merge(
    container: Container, board: Board
) -> None:
    lead = board.role("organisation_lead", organisation_id=board.trust)
    sro = board.role("sro")
    successor = board.app.register_organisation(by=None, name="New Trust", kind="provider").id
    before = head(container)

    board.app.merge_organisation(
        by=None, organisation_id=board.trust, successor_id=successor, expected_version=None
    )

    names = names_after(container, before)
    assert names[0] == "Organisation.Merged"
    assert sorted(names[1:]) == sorted(
        ["Programme.ParticipationTransferred", "Role.PassedToSuccessor", "UniqueValue.Claimed"]
    )
    found = row(container, lead.id)
    assert (found["organisation_id"], found["title"]) == (
        str(successor),
        "Named lead for New Trust",
    )
    assert row(container, sro.id)["version"] == 1
    merged = board.app.as_of(Role, lead.id)
    assert merged.organisation_id == successor


def test_after_a_merge_the_successor_cannot_be_given_a_second_named_lead(board: Board) -> None:
    board.role("organisation_lead", organisation_id=board.trust)
    successor = board.app.register_organisation(by=None, name="New Trust", kind="provider").id
    board.app.merge_organisation(
        by=None, organisation_id=board.trust, successor_id=successor, expected_version=None
    )

    with pytest.raises(UniquenessConflict):
        board.role("organisation_lead", organisation_id=successor)


def test_a_merge_into_a_participant_that_has_its_own_named_lead_keeps_both_roles(
    container: Container, board: Board
) -> None:
    old = board.role("organisation_lead", organisation_id=board.trust)
    existing = board.role("organisation_lead", organisation_id=board.icb)

    board.app.merge_organisation(
        by=None, organisation_id=board.trust, successor_id=board.icb, expected_version=None
    )

    page = roles(container).list_roles(programme_id=str(board.programme), kind="organisation_lead")
    assert {(r["id"], r["organisation_id"]) for r in page.items} == {
        (str(old.id), str(board.icb)),
        (str(existing.id), str(board.icb)),
    }


# The view itself


def test_rebuilding_the_roles_view_gives_the_same_rows(container: Container, board: Board) -> None:
    role_id, holder, _ = board.held(critical=True)
    board.role("organisation_lead", organisation_id=board.trust)
    board.leave(holder)
    board.app.hand_over_role(
        by=board.chair,
        role_id=role_id,
        to_person_id=board.member(board.icb),
        knowledge_items=["stakeholder map", "risk log"],
        outgoing_reachable=True,
    )
    container.catch_up()
    live = view_rows(container)

    container.processors["roles"].rebuild()

    assert view_rows(container) == live
    assert len(live["rol_knowledge_items"]) == 2
