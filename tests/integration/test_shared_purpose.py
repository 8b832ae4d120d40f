"""Shared-purpose use cases and their view against real stores (SQLite and PostgreSQL)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

import pytest

from domain.errors import Forbidden, NotFound, ReferenceNotFound, RuleViolation, StaleVersion
from domain.shared_purpose import Position, SharedPurpose, StatementNotFound
from infra.bootstrap import Container
from projections.shared_purpose import SharedPurposeProjection
from projections.shared_purpose_queries import SharedPurposeQueries
from tests.integration.support import commissioner, head, names_after, person, provider

TEXT = "One front door for urgent care"


@dataclass
class Setting:
    programme: UUID
    lead: UUID
    trust: UUID
    chair: UUID  # a member of the lead commissioner
    nurse: UUID  # a member of the trust


def setting(container: Container, title: str = "Urgent Care") -> Setting:
    app = container.app
    lead = commissioner(container, f"{title} ICB")
    trust = provider(container, f"{title} Trust")
    programme = app.create_programme(
        by=None, title=title, description="", lead_commissioner_id=lead.id
    )
    app.add_participant(
        by=None, programme_id=programme.id, organisation_id=trust.id, role="provider"
    )
    slug = title.lower().replace(" ", "")
    chair = person(container, f"chair@{slug}.org", "Chair")
    nurse = person(container, f"nurse@{slug}.org", "Nurse")
    app.join_organisation(by=None, person_id=chair.id, organisation_id=lead.id)
    app.join_organisation(by=None, person_id=nurse.id, organisation_id=trust.id)
    return Setting(programme.id, lead.id, trust.id, chair.id, nurse.id)


def drafted(container: Container, s: Setting) -> SharedPurpose:
    return container.app.draft_shared_purpose(by=s.chair, programme_id=s.programme, text=TEXT)


def summary(container: Container, s: Setting) -> dict[str, Any]:
    container.catch_up()
    row = SharedPurposeQueries(container.views).statement(str(SharedPurpose.create_id(s.programme)))
    assert row is not None
    return row


def counts(row: dict[str, Any]) -> tuple[int, int, int, int, bool, bool]:
    return (
        row["current_version"],
        row["endorsed"],
        row["disputed"],
        row["none"],
        row["aligned"],
        row["adopted"],
    )


# Drafting and revising


def test_drafting_records_drafted_and_the_view_counts_every_participant_as_silent(
    container: Container,
) -> None:
    s = setting(container)
    before = head(container)

    statement = drafted(container, s)

    assert names_after(container, before) == ["SharedPurpose.Drafted"]
    assert statement.current.drafted_by == s.chair
    row = summary(container, s)
    assert (row["programme_id"], row["programme_title"], row["participants"]) == (
        str(s.programme),
        "Urgent Care",
        2,
    )
    assert counts(row) == (1, 0, 0, 2, False, False)


def test_a_second_draft_is_refused_saying_to_revise_and_records_nothing(
    container: Container,
) -> None:
    s = setting(container)
    drafted(container, s)
    before = head(container)

    with pytest.raises(RuleViolation, match="revision"):
        container.app.draft_shared_purpose(by=s.nurse, programme_id=s.programme, text="Other")

    assert head(container) == before


def test_drafting_for_an_unknown_programme_is_not_found(container: Container) -> None:
    s = setting(container)

    with pytest.raises(NotFound):
        container.app.draft_shared_purpose(by=None, programme_id=s.lead, text=TEXT)


def test_drafting_by_someone_outside_the_participating_organisations_is_forbidden(
    container: Container,
) -> None:
    s = setting(container)
    outsider = person(container, "outsider@example.org", "Outsider")

    with pytest.raises(Forbidden, match="not a member of an organisation participating"):
        container.app.draft_shared_purpose(by=outsider.id, programme_id=s.programme, text=TEXT)


def test_revising_without_a_statement_is_not_found_saying_to_draft_first(
    container: Container,
) -> None:
    s = setting(container)

    with pytest.raises(StatementNotFound, match="draft one first"):
        container.app.revise_shared_purpose(by=None, programme_id=s.programme, text=TEXT)


def test_revising_on_a_stale_version_is_refused_and_records_nothing(container: Container) -> None:
    s = setting(container)
    drafted(container, s)
    container.app.revise_shared_purpose(by=s.nurse, programme_id=s.programme, text="Second")
    before = head(container)

    with pytest.raises(StaleVersion):
        container.app.revise_shared_purpose(
            by=s.nurse, programme_id=s.programme, text="Third", expected_version=1
        )

    assert head(container) == before


def test_a_revision_resets_the_views_counts_for_the_new_text(container: Container) -> None:
    s = setting(container)
    drafted(container, s)
    container.app.endorse_shared_purpose(
        by=s.nurse, programme_id=s.programme, organisation_id=s.trust, version=1
    )

    container.app.revise_shared_purpose(by=s.nurse, programme_id=s.programme, text="Second")

    assert counts(summary(container, s)) == (2, 0, 0, 2, False, False)


# Positions


def test_an_endorsement_by_a_member_is_stored_and_counted(container: Container) -> None:
    s = setting(container)
    drafted(container, s)

    container.app.endorse_shared_purpose(
        by=s.nurse, programme_id=s.programme, organisation_id=s.trust, version=1
    )

    statement, _ = container.app.shared_purpose(s.programme)
    record = statement.position_of(s.trust)
    assert record is not None
    assert (record.position, record.person_id) == (Position.ENDORSED, s.nurse)
    assert counts(summary(container, s)) == (1, 1, 0, 1, False, False)


def test_endorsing_for_an_organisation_one_is_not_a_member_of_is_forbidden(
    container: Container,
) -> None:
    s = setting(container)
    drafted(container, s)
    before = head(container)

    with pytest.raises(Forbidden, match="not a member"):
        container.app.endorse_shared_purpose(
            by=s.nurse, programme_id=s.programme, organisation_id=s.lead, version=1
        )

    assert head(container) == before


def test_endorsing_for_an_unknown_organisation_is_refused_naming_organisation_id(
    container: Container,
) -> None:
    s = setting(container)
    drafted(container, s)

    with pytest.raises(ReferenceNotFound) as refused:
        container.app.endorse_shared_purpose(
            by=None, programme_id=s.programme, organisation_id=s.programme, version=1
        )

    assert refused.value.field == "organisation_id"


def test_an_organisation_that_does_not_participate_is_refused_even_for_its_member(
    container: Container,
) -> None:
    s = setting(container)
    drafted(container, s)
    charity = container.app.register_organisation(by=None, name="Age UK", kind="partner")
    volunteer = person(container, "volunteer@example.org", "Volunteer")
    container.app.join_organisation(by=None, person_id=volunteer.id, organisation_id=charity.id)

    with pytest.raises(RuleViolation, match="does not participate"):
        container.app.dispute_shared_purpose(
            by=volunteer.id,
            programme_id=s.programme,
            organisation_id=charity.id,
            version=1,
            reason="Leaves out social care",
        )


def test_a_dispute_is_counted_and_a_later_endorsement_replaces_it_in_the_counts(
    container: Container,
) -> None:
    s = setting(container)
    drafted(container, s)
    app = container.app
    app.dispute_shared_purpose(
        by=s.nurse, programme_id=s.programme, organisation_id=s.trust, version=1, reason="Vague"
    )
    assert counts(summary(container, s)) == (1, 0, 1, 1, False, False)

    app.endorse_shared_purpose(
        by=s.nurse, programme_id=s.programme, organisation_id=s.trust, version=1
    )

    assert counts(summary(container, s)) == (1, 1, 0, 1, False, False)
    statement, _ = app.shared_purpose(s.programme)
    assert [r.position for r in statement.position_log[1]] == [
        Position.DISPUTED,
        Position.ENDORSED,
    ]


# Adopting


def endorse_all(container: Container, s: Setting) -> None:
    app = container.app
    app.endorse_shared_purpose(
        by=s.chair, programme_id=s.programme, organisation_id=s.lead, version=1
    )
    app.endorse_shared_purpose(
        by=s.nurse, programme_id=s.programme, organisation_id=s.trust, version=1
    )


def test_adopting_by_a_member_of_the_lead_commissioner_marks_the_statement_adopted(
    container: Container,
) -> None:
    s = setting(container)
    drafted(container, s)
    endorse_all(container, s)

    statement = container.app.adopt_shared_purpose(by=s.chair, programme_id=s.programme, version=1)

    assert statement.adoptions[0].adopted_by == s.chair
    row = summary(container, s)
    assert counts(row) == (1, 2, 0, 0, True, True)
    assert row["adopted_version"] == 1


def test_adopting_by_someone_outside_the_lead_commissioner_is_forbidden(
    container: Container,
) -> None:
    s = setting(container)
    drafted(container, s)
    endorse_all(container, s)

    with pytest.raises(Forbidden, match="lead commissioner"):
        container.app.adopt_shared_purpose(by=s.nurse, programme_id=s.programme, version=1)


def test_an_adoption_over_disputes_keeps_who_disputed_through_the_store(
    container: Container,
) -> None:
    s = setting(container)
    drafted(container, s)
    app = container.app
    app.endorse_shared_purpose(
        by=s.chair, programme_id=s.programme, organisation_id=s.lead, version=1
    )
    app.dispute_shared_purpose(
        by=s.nurse, programme_id=s.programme, organisation_id=s.trust, version=1, reason="Vague"
    )

    app.adopt_shared_purpose(
        by=s.chair, programme_id=s.programme, version=1, rationale="The deadline is fixed"
    )

    statement, _ = app.shared_purpose(s.programme)
    (adoption,) = statement.adoptions
    assert (adoption.over_disputes, adoption.endorsed_by, adoption.disputed_by) == (
        True,
        [s.lead],
        [s.trust],
    )
    assert counts(summary(container, s)) == (1, 1, 1, 0, False, True)


# The list


def test_the_list_filters_by_alignment_and_adoption_and_orders_by_programme_title(
    container: Container,
) -> None:
    aligned = setting(container, "Beta Programme")
    drafted(container, aligned)
    endorse_all(container, aligned)
    open_ = setting(container, "Alpha Programme")
    drafted(container, open_)
    container.catch_up()
    queries = SharedPurposeQueries(container.views)

    def titles(**filters: Any) -> list[str]:
        page = queries.list_statements(limit=10, offset=0, **filters)
        return [row["programme_title"] for row in page.items]

    assert titles(aligned=None, adopted=None) == ["Alpha Programme", "Beta Programme"]
    assert titles(aligned=False, adopted=None) == ["Alpha Programme"]
    assert titles(aligned=True, adopted=None) == ["Beta Programme"]
    assert titles(aligned=None, adopted=True) == []
    assert titles(aligned=None, adopted=False) == ["Alpha Programme", "Beta Programme"]


def test_a_participant_removed_from_the_programme_no_longer_counts(container: Container) -> None:
    s = setting(container)
    drafted(container, s)
    container.app.endorse_shared_purpose(
        by=s.chair, programme_id=s.programme, organisation_id=s.lead, version=1
    )

    container.app.remove_participant(by=None, programme_id=s.programme, organisation_id=s.trust)

    row = summary(container, s)
    assert (row["participants"], row["none"], row["aligned"]) == (1, 0, True)


# Mergers


def test_merging_carries_the_position_to_the_successor_in_the_same_transaction(
    container: Container,
) -> None:
    s = setting(container)
    drafted(container, s)
    container.app.dispute_shared_purpose(
        by=s.nurse, programme_id=s.programme, organisation_id=s.trust, version=1, reason="Vague"
    )
    successor = provider(container, "New Trust")
    before = head(container)

    container.app.merge_organisation(
        by=None, organisation_id=s.trust, successor_id=successor.id, expected_version=None
    )

    assert sorted(names_after(container, before)) == [
        "Organisation.Merged",
        "Programme.ParticipationTransferred",
        "SharedPurpose.PositionCarriedOver",
    ]
    statement, programme = container.app.shared_purpose(s.programme)
    carried = statement.position_of(successor.id)
    assert carried is not None
    assert (carried.position, carried.reason, carried.carried_from) == (
        Position.DISPUTED,
        "Vague",
        s.trust,
    )
    assert statement.not_aligned(programme) == [s.lead, successor.id]
    row = summary(container, s)
    assert (row["participants"], row["disputed"], row["none"]) == (2, 1, 1)


def test_merging_into_a_successor_with_its_own_position_records_that_it_stands(
    container: Container,
) -> None:
    s = setting(container)
    drafted(container, s)
    app = container.app
    app.dispute_shared_purpose(
        by=s.nurse, programme_id=s.programme, organisation_id=s.trust, version=1, reason="Vague"
    )
    before = head(container)

    # The trust merges into the lead commissioner, which endorses.
    app.endorse_shared_purpose(
        by=s.chair, programme_id=s.programme, organisation_id=s.lead, version=1
    )
    app.merge_organisation(
        by=None, organisation_id=s.trust, successor_id=s.lead, expected_version=None
    )

    assert "SharedPurpose.PositionNotCarriedOver" in names_after(container, before)
    statement, _ = app.shared_purpose(s.programme)
    kept = statement.position_of(s.lead)
    assert kept is not None
    assert kept.position is Position.ENDORSED


def test_merging_an_organisation_with_no_position_changes_no_statement(
    container: Container,
) -> None:
    s = setting(container)
    drafted(container, s)
    successor = provider(container, "New Trust")
    before = head(container)

    container.app.merge_organisation(
        by=None, organisation_id=s.trust, successor_id=successor.id, expected_version=None
    )

    assert not [n for n in names_after(container, before) if n.startswith("SharedPurpose.")]


def test_merging_an_organisation_that_left_the_programme_carries_nothing(
    container: Container,
) -> None:
    s = setting(container)
    drafted(container, s)
    container.app.endorse_shared_purpose(
        by=s.nurse, programme_id=s.programme, organisation_id=s.trust, version=1
    )
    container.app.remove_participant(by=None, programme_id=s.programme, organisation_id=s.trust)
    successor = provider(container, "New Trust")
    before = head(container)

    container.app.merge_organisation(
        by=None, organisation_id=s.trust, successor_id=successor.id, expected_version=None
    )

    assert names_after(container, before) == ["Organisation.Merged"]


# Reading as it was


def test_reading_as_of_a_record_version_gives_the_text_and_participants_of_then(
    container: Container,
) -> None:
    s = setting(container)
    drafted(container, s)
    app = container.app
    app.endorse_shared_purpose(
        by=s.nurse, programme_id=s.programme, organisation_id=s.trust, version=1
    )
    app.revise_shared_purpose(by=s.nurse, programme_id=s.programme, text="Second")
    partner = app.register_organisation(by=None, name="Healthwatch", kind="partner")
    app.add_participant(
        by=None, programme_id=s.programme, organisation_id=partner.id, role="partner"
    )

    then, programme_then = app.shared_purpose(s.programme, version=2)
    now, programme_now = app.shared_purpose(s.programme)

    assert (then.current.text, then.version) == (TEXT, 2)
    assert then.position_of(s.trust) is not None
    assert partner.id not in programme_then.participants
    assert (now.current.text, now.version) == ("Second", 3)
    assert partner.id in programme_now.participants


def test_reading_as_of_a_time_before_the_draft_is_not_found(container: Container) -> None:
    s = setting(container)
    statement = drafted(container, s)

    with pytest.raises(StatementNotFound, match="had no shared-purpose statement as of"):
        container.app.shared_purpose(s.programme, at=statement.created_on.replace(year=2020))


# The view's processor


def test_a_rebuild_of_the_view_gives_exactly_the_rows_kept_up_incrementally(
    container: Container,
) -> None:
    s = setting(container)
    drafted(container, s)
    endorse_all(container, s)
    container.app.adopt_shared_purpose(by=s.chair, programme_id=s.programme, version=1)
    container.app.revise_shared_purpose(by=s.nurse, programme_id=s.programme, text="Second")
    container.app.merge_organisation(
        by=None,
        organisation_id=s.trust,
        successor_id=provider(container, "New Trust").id,
        expected_version=None,
    )

    def rows() -> dict[str, list[dict[str, Any]]]:
        container.catch_up()
        return {
            table: sorted(container.views.fetch_all(f"SELECT * FROM {table}"), key=repr)
            for table in SharedPurposeProjection.tables
        }

    incremental = rows()
    container.processors["shared_purpose"].rebuild()

    assert rows() == incremental
