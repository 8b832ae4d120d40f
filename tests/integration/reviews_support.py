"""Helpers for the reviews use-case tests: a programme with a member to act, and its reviews."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from domain.review import ActionEntry, RatingEntry, Review
from infra.bootstrap import Container
from projections.reviews import ReviewsProjection
from tests.integration.support import commissioner, person


@dataclass(frozen=True)
class Board:
    """A programme led by an ICB, with Ada (a member of the ICB) and Bob (in no organisation)."""

    programme_id: UUID
    icb_id: UUID
    ada: UUID
    bob: UUID


def board(container: Container, *, frameworks: bool = True) -> Board:
    app = container.app
    if frameworks:
        app.ensure_builtin_frameworks()
    icb = commissioner(container)
    ada = person(container, "ada@example.org", "Ada").id
    bob = person(container, "bob@example.org", "Bob").id
    app.join_organisation(by=None, person_id=ada, organisation_id=icb.id)
    programme = app.create_programme(
        by=None, title="Urgent Care", description="", lead_commissioner_id=icb.id
    )
    return Board(programme_id=programme.id, icb_id=icb.id, ada=ada, bob=bob)


def rating(component: str = "measurement", value: int = 3, **extra: Any) -> RatingEntry:
    return RatingEntry(component=component, rating=value, **extra)


def action(owner: UUID, due_on: date = date(2026, 3, 1), text: str = "Agree KPIs") -> ActionEntry:
    return ActionEntry(description=text, owner_id=owner, due_on=due_on)


def record(
    container: Container,
    at: Board,
    *ratings: RatingEntry,
    held_on: date | None = date(2026, 1, 10),
    by: UUID | None = None,
) -> Review:
    return container.app.record_review(
        by=by,
        programme_id=at.programme_id,
        reviewer_ids=[at.ada],
        ratings=list(ratings) or [rating(evidence=["Dashboard live"])],
        held_on=held_on,
    )


def rows(container: Container, table: str, order: str) -> list[dict[str, Any]]:
    container.catch_up()
    return container.views.fetch_all(f"SELECT * FROM {table} ORDER BY {order}")


def view_rows(container: Container) -> dict[str, list[dict[str, Any]]]:
    """Every row of every reviews table, in a stable order, for comparing whole views."""
    container.catch_up()
    return {
        table: sorted(container.views.fetch_all(f"SELECT * FROM {table}"), key=repr)
        for table in ReviewsProjection.tables
    }
