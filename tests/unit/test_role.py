"""Role: definition, holder and deputy, handovers, flags for handover, in memory."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from domain.errors import InvalidValue, RuleViolation
from domain.organisation import Organisation
from domain.person import Person
from domain.programme import Programme
from domain.role import KNOWLEDGE_ITEMS_MAX, STANDARD_TITLES, Role, RoleKind, uniqueness_key
from domain.timing import utc_now
from domain.uniqueness import unique_value_id
from tests.unit.support import ago, ahead, collected, organisation, recorded, settled


class Board:
    """A programme led by a commissioner with a provider taking part, and their members."""

    def __init__(self) -> None:
        self.icb = organisation("commissioner", "West Yorkshire ICB")
        self.trust = organisation("provider", "Leeds Teaching Hospitals")
        self.outsider = organisation("partner", "Not In It")
        self.programme = Programme.create("Urgent Care", "", self.icb)
        self.programme.add_participant(self.trust, "provider")
        settled(self.programme)
        self._n = 0

    def member(self, org: Organisation | None = None, name: str = "") -> Person:
        self._n += 1
        person = Person.register(name or f"Person {self._n}", f"p{self._n}@example.org")
        person.join(org or self.icb, occurred_at=ago(days=30))
        settled(person)
        return person

    def role(self, kind: str = "sro", **kwargs: Any) -> Role:
        role = Role.define(self.programme, kind, **kwargs)
        settled(role)
        return role

    def held(self, kind: str = "sro", deputy: bool = True) -> tuple[Role, Person, Person | None]:
        role = self.role(kind)
        holder = self.member(name="Holder")
        second = self.member(name="Deputy") if deputy else None
        role.assign(self.programme, holder, second)
        settled(role)
        return role, holder, second

    def leave(self, person: Person) -> None:
        organisation_id = person.current_organisation_id
        assert organisation_id is not None
        person.leave(organisation_id, occurred_at=ago(days=1))
        settled(person)


@pytest.fixture
def board() -> Board:
    return Board()


def replayed(role: Role, events: list[Any]) -> Role:
    rebuilt: Any = None
    for e in events:
        rebuilt = e.mutate(rebuilt)
    assert isinstance(rebuilt, Role)
    return rebuilt


# Defining


def test_defining_records_one_defined_event_with_the_programme_kind_and_default_title(
    board: Board,
) -> None:
    role = Role.define(board.programme, "sro")

    events = collected(role)
    assert [type(e).__name__ for e in events] == ["Defined"]
    assert (events[0].programme_id, events[0].kind, events[0].title) == (
        board.programme.id,
        "sro",
        "Senior responsible owner",
    )
    assert (events[0].organisation_id, events[0].critical) == (None, False)


@pytest.mark.parametrize("kind", list(STANDARD_TITLES), ids=[k.value for k in STANDARD_TITLES])
def test_each_standard_kind_defaults_to_its_own_title(board: Board, kind: RoleKind) -> None:
    role = Role.define(board.programme, kind.value)

    assert role.title == STANDARD_TITLES[kind]


def test_a_given_title_replaces_the_default_trimmed(board: Board) -> None:
    role = Role.define(board.programme, "clinical_lead", title="  Clinical lead for MH  ")

    assert role.title == "Clinical lead for MH"


def test_a_new_role_is_vacant_unflagged_and_has_no_handovers(board: Board) -> None:
    role = Role.define(board.programme, "sro")

    assert (role.vacant, role.flagged, role.holder_id, role.deputy_id) == (True, False, None, None)
    assert role.handovers == []


def test_a_role_may_be_defined_critical(board: Board) -> None:
    role = Role.define(board.programme, "sro", critical=True)

    assert role.critical is True


def test_a_custom_role_takes_its_title(board: Board) -> None:
    role = Role.define(board.programme, "custom", title="Data lead")

    assert (role.kind, role.title) == (RoleKind.CUSTOM, "Data lead")


def test_a_custom_role_without_a_title_is_refused_naming_title(board: Board) -> None:
    with pytest.raises(InvalidValue) as refused:
        Role.define(board.programme, "custom")

    assert refused.value.field == "title"


@pytest.mark.parametrize("title", ["", "   ", "x" * 201, "Data\x00lead"])
def test_an_invalid_title_is_refused_naming_title(board: Board, title: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        Role.define(board.programme, "custom", title=title)

    assert refused.value.field == "title"


def test_an_unknown_kind_is_refused_naming_kind_and_listing_the_kinds(board: Board) -> None:
    with pytest.raises(InvalidValue) as refused:
        Role.define(board.programme, "chief_wizard")

    assert refused.value.field == "kind"
    assert "organisation_lead" in refused.value.reason


def test_an_organisation_lead_names_its_participating_organisation(board: Board) -> None:
    role = Role.define(board.programme, "organisation_lead", organisation=board.trust)

    assert role.organisation_id == board.trust.id
    assert role.title == "Named lead for Leeds Teaching Hospitals"


def test_an_organisation_lead_without_an_organisation_is_refused_naming_organisation_id(
    board: Board,
) -> None:
    with pytest.raises(InvalidValue) as refused:
        Role.define(board.programme, "organisation_lead")

    assert refused.value.field == "organisation_id"


def test_an_organisation_lead_for_an_organisation_not_taking_part_is_refused_saying_so(
    board: Board,
) -> None:
    with pytest.raises(RuleViolation, match="does not participate"):
        Role.define(board.programme, "organisation_lead", organisation=board.outsider)


def test_an_organisation_lead_for_a_dissolved_participant_is_refused(board: Board) -> None:
    board.trust.dissolve()

    with pytest.raises(RuleViolation, match="dissolved"):
        Role.define(board.programme, "organisation_lead", organisation=board.trust)


@pytest.mark.parametrize("kind", ["sro", "custom"])
def test_only_an_organisation_lead_names_an_organisation(board: Board, kind: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        Role.define(board.programme, kind, title="T", organisation=board.trust)

    assert refused.value.field == "organisation_id"


def test_a_programme_has_one_role_of_each_standard_kind(board: Board) -> None:
    first = Role.define(board.programme, "sro")
    second = Role.define(board.programme, "sro", title="Another SRO")

    assert first.uniqueness_key == second.uniqueness_key
    assert first.uniqueness_key != Role.define(board.programme, "clinical_lead").uniqueness_key


def test_a_programme_has_one_named_lead_per_organisation(board: Board) -> None:
    trust = Role.define(board.programme, "organisation_lead", organisation=board.trust)
    icb = Role.define(board.programme, "organisation_lead", organisation=board.icb)

    assert trust.uniqueness_key != icb.uniqueness_key
    assert trust.uniqueness_key == uniqueness_key(
        board.programme.id, RoleKind.ORGANISATION_LEAD, "other title", board.trust.id
    )


def test_custom_roles_are_unique_by_title_whatever_its_case(board: Board) -> None:
    first = Role.define(board.programme, "custom", title="Data lead")
    second = Role.define(board.programme, "custom", title="DATA LEAD")

    # Claims compare keys without case.
    assert unique_value_id("k", first.uniqueness_key) == unique_value_id("k", second.uniqueness_key)
    assert (
        first.uniqueness_key != Role.define(board.programme, "custom", title="Other").uniqueness_key
    )


def test_the_same_kind_in_another_programme_is_another_role(board: Board) -> None:
    other = Programme.create("Mental Health", "", board.icb)

    assert Role.define(board.programme, "sro").uniqueness_key != (
        Role.define(other, "sro").uniqueness_key
    )


# Critical


def test_marking_a_role_critical_records_marked_critical(board: Board) -> None:
    role = board.role()

    role.set_critical(True)

    assert recorded(role) == ["MarkedCritical"]
    assert role.critical is True


def test_unmarking_a_critical_role_records_unmarked_critical(board: Board) -> None:
    role = board.role(critical=True)

    role.set_critical(False)

    assert recorded(role) == ["UnmarkedCritical"]
    assert role.critical is False


@pytest.mark.parametrize("critical", [True, False])
def test_asking_for_the_criticality_a_role_already_has_records_nothing(
    board: Board, critical: bool
) -> None:
    role = board.role(critical=critical)

    role.set_critical(critical)

    assert recorded(role) == []


# Assigning


def test_assigning_records_the_holder_and_deputy_with_their_organisations(board: Board) -> None:
    role = board.role()
    holder, deputy = board.member(board.icb), board.member(board.trust)

    role.assign(board.programme, holder, deputy)

    events = collected(role)
    assert [type(e).__name__ for e in events] == ["Assigned"]
    assert (events[0].holder_id, events[0].holder_organisation_id) == (holder.id, board.icb.id)
    assert (events[0].deputy_id, events[0].deputy_organisation_id) == (deputy.id, board.trust.id)
    assert (role.holder_id, role.deputy_id, role.vacant) == (holder.id, deputy.id, False)


def test_a_holder_may_be_assigned_without_a_deputy(board: Board) -> None:
    role = board.role()

    role.assign(board.programme, board.member())

    assert role.deputy_id is None


def test_the_holder_cannot_also_be_the_deputy(board: Board) -> None:
    role = board.role()
    person = board.member()

    with pytest.raises(InvalidValue) as refused:
        role.assign(board.programme, person, person)

    assert refused.value.field == "deputy_id"
    assert recorded(role) == []


def test_a_holder_who_belongs_to_no_organisation_is_refused_saying_so(board: Board) -> None:
    role = board.role()
    nobody = Person.register("Nobody", "nobody@example.org")

    with pytest.raises(RuleViolation, match="not a member of any organisation"):
        role.assign(board.programme, nobody)


def test_a_holder_from_an_organisation_not_taking_part_is_refused_saying_so(board: Board) -> None:
    role = board.role()

    with pytest.raises(RuleViolation, match="does not participate"):
        role.assign(board.programme, board.member(board.outsider))


def test_a_deputy_from_an_organisation_not_taking_part_is_refused_naming_deputy_id(
    board: Board,
) -> None:
    role = board.role()

    with pytest.raises(RuleViolation, match="deputy_id"):
        role.assign(board.programme, board.member(), board.member(board.outsider))


def test_a_named_lead_must_be_held_by_a_member_of_that_organisation(board: Board) -> None:
    role = board.role("organisation_lead", organisation=board.trust)

    with pytest.raises(RuleViolation, match="must be one of its members"):
        role.assign(board.programme, board.member(board.icb))


def test_a_named_lead_may_have_a_deputy_from_another_participating_organisation(
    board: Board,
) -> None:
    role = board.role("organisation_lead", organisation=board.trust)
    deputy = board.member(board.icb)

    role.assign(board.programme, board.member(board.trust), deputy)

    assert role.deputy_id == deputy.id


def test_assigning_the_same_holder_and_deputy_again_records_nothing(board: Board) -> None:
    role, holder, deputy = board.held()

    role.assign(board.programme, holder, deputy)

    assert recorded(role) == []


def test_reassigning_replaces_the_holder_and_without_a_deputy_leaves_none(board: Board) -> None:
    role, _, _ = board.held()
    newcomer = board.member()

    role.assign(board.programme, newcomer)

    assert recorded(role) == ["Assigned"]
    assert (role.holder_id, role.deputy_id) == (newcomer.id, None)


def test_a_role_cannot_be_assigned_through_another_programme(board: Board) -> None:
    role = board.role()
    other = Programme.create("Other", "", board.icb)

    with pytest.raises(RuleViolation, match="belongs to programme"):
        role.assign(other, board.member())


def test_reassigning_clears_the_flag_for_handover(board: Board) -> None:
    role, holder, _ = board.held()
    board.leave(holder)
    role.flag_for_handover(holder, board.icb.id)
    settled(role)

    role.assign(board.programme, board.member())

    assert (role.flagged, role.flags) == (False, [])


def test_reassigning_the_same_people_to_a_flagged_role_records_the_assignment(
    board: Board,
) -> None:
    role, holder, deputy = board.held()
    assert deputy is not None
    board.leave(deputy)
    role.flag_for_handover(deputy, board.icb.id)
    deputy.join(board.icb)
    settled(role)

    role.assign(board.programme, holder, deputy)

    assert recorded(role) == ["Assigned"]
    assert role.flagged is False


# Vacating


def test_vacating_records_the_reason_and_who_held_it_and_leaves_nobody(board: Board) -> None:
    role, holder, deputy = board.held()
    assert deputy is not None

    role.vacate("  Restructure  ")

    events = collected(role)
    assert [type(e).__name__ for e in events] == ["Vacated"]
    assert (events[0].reason, events[0].previous_holder_id, events[0].previous_deputy_id) == (
        "Restructure",
        holder.id,
        deputy.id,
    )
    assert (role.vacant, role.holder_id, role.deputy_id) == (True, None, None)


def test_vacating_without_a_reason_records_an_empty_reason(board: Board) -> None:
    role, _, _ = board.held()

    role.vacate()

    assert collected(role)[0].reason == ""


def test_vacating_a_vacant_role_is_refused_saying_it_is_vacant(board: Board) -> None:
    role = board.role()

    with pytest.raises(RuleViolation, match="already vacant"):
        role.vacate()


def test_a_reason_over_5000_characters_is_refused_naming_reason(board: Board) -> None:
    role, _, _ = board.held()

    with pytest.raises(InvalidValue) as refused:
        role.vacate("x" * 5001)

    assert refused.value.field == "reason"


def test_vacating_clears_the_flag_for_handover(board: Board) -> None:
    role, holder, _ = board.held()
    board.leave(holder)
    role.flag_for_handover(holder, board.icb.id)

    role.vacate("left")

    assert role.flagged is False


# Handing over


def test_a_handover_records_the_knowledge_reachability_and_when_it_happened(
    board: Board,
) -> None:
    role, holder, deputy = board.held()
    successor = board.member(board.trust)
    when = ago(days=2)

    role.hand_over(board.programme, successor, [" stakeholder map ", "CQUIN history"], True, when)

    events = collected(role)
    assert [type(e).__name__ for e in events] == ["HandedOver"]
    e = events[0]
    assert (e.from_person_id, e.to_person_id, e.to_organisation_id) == (
        holder.id,
        successor.id,
        board.trust.id,
    )
    assert (e.knowledge_items, e.outgoing_reachable, e.occurred_at) == (
        ["stakeholder map", "CQUIN history"],
        True,
        when,
    )
    assert (role.holder_id, role.deputy_id) == (successor.id, deputy.id if deputy else None)


def test_a_handover_is_kept_in_the_roles_list_of_handovers(board: Board) -> None:
    role, holder, _ = board.held()
    successor = board.member()

    handover = role.hand_over(board.programme, successor, ["stakeholder map"], False)

    assert role.handovers == [handover]
    assert (handover.version, handover.from_person_id, handover.to_person_id) == (
        role.version,
        holder.id,
        successor.id,
    )
    assert (handover.knowledge_items, handover.outgoing_reachable) == (("stakeholder map",), False)


def test_a_handover_without_occurred_at_happened_now(board: Board) -> None:
    role, _, _ = board.held()
    before = utc_now()

    handover = role.hand_over(board.programme, board.member(), [], True)

    assert before <= handover.occurred_at <= utc_now()


def test_a_handover_with_no_knowledge_items_is_recorded_as_such(board: Board) -> None:
    role, _, _ = board.held()

    handover = role.hand_over(board.programme, board.member(), [], False)

    assert handover.knowledge_items == ()


def test_handing_over_to_the_current_holder_is_refused_saying_they_already_hold_it(
    board: Board,
) -> None:
    role, holder, _ = board.held()

    with pytest.raises(RuleViolation, match="already holds"):
        role.hand_over(board.programme, holder, ["map"], True)

    assert recorded(role) == []


def test_handing_over_a_vacant_role_is_refused_saying_it_is_vacant(board: Board) -> None:
    role = board.role()

    with pytest.raises(RuleViolation, match="vacant"):
        role.hand_over(board.programme, board.member(), ["map"], True)


def test_handing_over_to_the_deputy_promotes_them_and_leaves_no_deputy(board: Board) -> None:
    role, _, deputy = board.held()
    assert deputy is not None

    role.hand_over(board.programme, deputy, ["map"], True)

    assert collected(role)[0].deputy_id is None
    assert (role.holder_id, role.deputy_id, role.deputy_organisation_id) == (
        deputy.id,
        None,
        None,
    )


def test_handing_over_to_someone_outside_the_programme_is_refused_naming_to_person_id(
    board: Board,
) -> None:
    role, _, _ = board.held()

    with pytest.raises(RuleViolation, match="to_person_id"):
        role.hand_over(board.programme, board.member(board.outsider), ["map"], True)


def test_a_named_lead_is_handed_over_only_within_its_organisation(board: Board) -> None:
    role = board.role("organisation_lead", organisation=board.trust)
    role.assign(board.programme, board.member(board.trust))

    with pytest.raises(RuleViolation, match="must be one of its members"):
        role.hand_over(board.programme, board.member(board.icb), ["map"], True)


def test_a_handover_dated_in_the_future_is_refused_naming_occurred_at(board: Board) -> None:
    role, _, _ = board.held()

    with pytest.raises(InvalidValue) as refused:
        role.hand_over(board.programme, board.member(), ["map"], True, ahead(days=1))

    assert refused.value.field == "occurred_at"


def test_a_handover_dated_without_a_timezone_is_refused_naming_occurred_at(board: Board) -> None:
    role, _, _ = board.held()

    with pytest.raises(InvalidValue) as refused:
        role.hand_over(board.programme, board.member(), [], True, datetime(2026, 1, 1))  # noqa: DTZ001

    assert refused.value.field == "occurred_at"


@pytest.mark.parametrize(
    ("items", "field"),
    [
        (["map", "  "], "knowledge_items[1]"),
        (["map", "MAP"], "knowledge_items[1]"),
        (["x" * 201], "knowledge_items[0]"),
        ([f"item {i}" for i in range(KNOWLEDGE_ITEMS_MAX + 1)], "knowledge_items"),
    ],
    ids=["blank", "repeated", "too-long", "too-many"],
)
def test_invalid_knowledge_items_are_refused_naming_the_item(
    board: Board, items: list[str], field: str
) -> None:
    role, _, _ = board.held()

    with pytest.raises(InvalidValue) as refused:
        role.hand_over(board.programme, board.member(), items, True)

    assert refused.value.field == field


def test_a_handover_clears_the_flag_raised_for_the_outgoing_holder(board: Board) -> None:
    role, holder, _ = board.held()
    board.leave(holder)
    role.flag_for_handover(holder, board.icb.id)

    role.hand_over(board.programme, board.member(), ["map"], False)

    assert role.flagged is False


def test_a_handover_keeps_the_flag_raised_for_a_deputy_who_left_and_stays_in_place(
    board: Board,
) -> None:
    role, _, deputy = board.held()
    assert deputy is not None
    board.leave(deputy)
    role.flag_for_handover(deputy, board.icb.id)

    role.hand_over(board.programme, board.member(), ["map"], True)

    assert [f.person_id for f in role.flags] == [deputy.id]


# Flagged for handover when a person leaves


def test_a_holder_leaving_flags_the_role_as_the_holders_with_a_reason(board: Board) -> None:
    role, holder, deputy = board.held()
    board.leave(holder)

    assert role.flag_for_handover(holder, board.icb.id) is True

    events = collected(role)
    assert [type(e).__name__ for e in events] == ["HandoverFlagged"]
    assert (events[0].person_id, events[0].position, events[0].organisation_id) == (
        holder.id,
        "holder",
        board.icb.id,
    )
    assert "Holder" in events[0].reason
    assert "left organisation" in events[0].reason
    assert events[0].left_at == holder.memberships[-1].left_at
    # Nothing is reassigned.
    assert (role.holder_id, role.deputy_id, role.flagged) == (
        holder.id,
        deputy.id if deputy else None,
        True,
    )


def test_a_deputy_leaving_flags_the_role_as_the_deputys(board: Board) -> None:
    role, _, deputy = board.held()
    assert deputy is not None
    board.leave(deputy)

    role.flag_for_handover(deputy, board.icb.id)

    assert [(f.person_id, f.position.value) for f in role.flags] == [(deputy.id, "deputy")]


def test_someone_with_no_place_in_the_role_leaving_flags_nothing(board: Board) -> None:
    role, _, _ = board.held()
    other = board.member()
    board.leave(other)

    assert role.flag_for_handover(other, board.icb.id) is False
    assert recorded(role) == []


def test_a_person_already_flagged_on_a_role_is_not_flagged_twice(board: Board) -> None:
    role, holder, _ = board.held()
    board.leave(holder)
    role.flag_for_handover(holder, board.icb.id)
    settled(role)

    assert role.flag_for_handover(holder, board.icb.id) is False
    assert recorded(role) == []


# Merged organisations


def test_a_named_lead_passes_to_the_successor_of_its_merged_organisation(board: Board) -> None:
    role = board.role("organisation_lead", organisation=board.trust)
    successor = organisation("provider", "New Trust")

    role.pass_to_successor(board.trust, successor)

    events = collected(role)
    assert [type(e).__name__ for e in events] == ["PassedToSuccessor"]
    assert (events[0].from_organisation_id, events[0].to_organisation_id) == (
        board.trust.id,
        successor.id,
    )
    assert (role.organisation_id, role.title) == (successor.id, "Named lead for New Trust")


def test_a_named_lead_with_its_own_title_keeps_it_when_passed_to_a_successor(
    board: Board,
) -> None:
    role = board.role("organisation_lead", organisation=board.trust, title="Trust change lead")

    role.pass_to_successor(board.trust, organisation("provider", "New Trust"))

    assert role.title == "Trust change lead"


def test_a_role_that_is_not_the_merged_organisations_named_lead_is_not_passed(
    board: Board,
) -> None:
    role = board.role("sro")

    with pytest.raises(RuleViolation, match="not the named lead"):
        role.pass_to_successor(board.trust, organisation("provider", "New Trust"))


# The log


def test_replaying_a_roles_events_rebuilds_the_same_role(board: Board) -> None:
    role = Role.define(board.programme, "organisation_lead", organisation=board.trust)
    holder, deputy = board.member(board.trust), board.member(board.icb)
    role.set_critical(True)
    role.assign(board.programme, holder, deputy)
    board.leave(deputy)
    role.flag_for_handover(deputy, board.icb.id)
    role.hand_over(
        board.programme, board.member(board.trust), ["stakeholder map"], True, ago(hours=1)
    )
    role.pass_to_successor(board.trust, organisation("provider", "New Trust"))

    rebuilt = replayed(role, collected(role))

    assert vars(rebuilt) == vars(role)
