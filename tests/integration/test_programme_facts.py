"""Versioned facts: reading them now and as of a past recorded time."""

from __future__ import annotations

from datetime import timedelta

from infra.bootstrap import Container
from projections.programme_facts import PARTICIPANTS, PROGRAMMES
from projections.temporal import Moment
from tests.integration.support import commissioner, provider


def participants(container: Container, programme_id: str, moment: Moment) -> dict[str, str]:
    rows = container.views.fetch_all(
        f"SELECT organisation_id, role FROM {moment.table(PARTICIPANTS.name)}"
        " WHERE programme_id = %(p)s",
        {"p": programme_id, **moment.params},
    )
    return {row["organisation_id"]: row["role"] for row in rows}


def test_a_participant_who_left_is_gone_now_but_there_as_of_before_they_left(
    container: Container,
) -> None:
    icb, trust = commissioner(container), provider(container)
    programme = container.app.create_programme(
        by=None, title="UEC", description="", lead_commissioner_id=icb.id
    )
    container.app.add_participant(
        by=None, programme_id=programme.id, organisation_id=trust.id, role="provider"
    )
    joined = container.app.repository.get(programme.id).version
    container.app.remove_participant(by=None, programme_id=programme.id, organisation_id=trust.id)
    container.catch_up()
    history = list(container.app.events.get(programme.id))
    added_at, removed_at = history[joined - 1].timestamp, history[joined].timestamp

    now = participants(container, str(programme.id), Moment())
    while_there = participants(container, str(programme.id), Moment(added_at))
    before = participants(
        container, str(programme.id), Moment(added_at - timedelta(microseconds=1))
    )
    after = participants(container, str(programme.id), Moment(removed_at))

    assert now == {str(icb.id): "lead_commissioner"}
    assert while_there == {str(icb.id): "lead_commissioner", str(trust.id): "provider"}
    assert before == {str(icb.id): "lead_commissioner"}
    assert after == {str(icb.id): "lead_commissioner"}


def test_a_renamed_programme_keeps_its_old_title_as_of_before_the_rename(
    container: Container,
) -> None:
    icb = commissioner(container)
    programme = container.app.create_programme(
        by=None, title="Old title", description="", lead_commissioner_id=icb.id
    )
    container.app.update_programme(
        by=None,
        programme_id=programme.id,
        title="New title",
        description=None,
        expected_version=None,
    )
    container.catch_up()
    created_at = container.app.repository.get(programme.id, version=1).modified_on

    def title(moment: Moment) -> str:
        row = container.views.fetch_one(
            f"SELECT title FROM {moment.table(PROGRAMMES.name)} WHERE id = %(id)s",
            {"id": str(programme.id), **moment.params},
        )
        assert row is not None
        return str(row["title"])

    assert title(Moment()) == "New title"
    assert title(Moment(created_at)) == "Old title"
