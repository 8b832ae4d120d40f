"""The review form's rows become the use case's ratings, and its refusals find their row."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

import pytest

from domain.errors import InvalidValue
from services.web.review_page import ratings_from, row_field

KEYS = ["shared_purpose", "leadership", "engagement"]


def test_only_rated_rows_become_ratings_with_evidence_one_note_per_line() -> None:
    owner = uuid4()
    values = {
        "leadership.rating": "3",
        "leadership.evidence": "Board minutes\n\n  Sponsor named  ",
        "engagement.rating": "4",
        "engagement.action": "Run a carers' session",
        "engagement.owner": str(owner),
        "engagement.due_on": "2026-12-31",
    }

    entries, rated = ratings_from(values, KEYS)

    assert rated == ["leadership", "engagement"]
    assert entries[0].component == "leadership"
    assert entries[0].rating == 3
    assert list(entries[0].evidence) == ["Board minutes", "Sponsor named"]
    assert entries[0].actions == []
    action = entries[1].actions[0]
    assert (action.description, action.owner_id, action.due_on) == (
        "Run a carers' session",
        owner,
        date(2026, 12, 31),
    )


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"leadership.evidence": "notes but no rating"}, "leadership.rating"),
        ({"leadership.rating": "x"}, "leadership.rating"),
        ({"leadership.rating": "3", "leadership.action": "Do it"}, "leadership.owner"),
        (
            {"leadership.rating": "3", "leadership.action": "Do it", "leadership.owner": "nope"},
            "leadership.due_on",
        ),
        (
            {
                "leadership.rating": "3",
                "leadership.action": "Do it",
                "leadership.owner": "not-an-id",
                "leadership.due_on": "2026-12-31",
            },
            "leadership.owner",
        ),
        (
            {
                "leadership.rating": "3",
                "leadership.action": "Do it",
                "leadership.owner": str(uuid4()),
                "leadership.due_on": "31/12/2026",
            },
            "leadership.due_on",
        ),
    ],
)
def test_an_incomplete_row_is_refused_on_the_field_to_fix(
    values: dict[str, str], field: str
) -> None:
    with pytest.raises(InvalidValue) as refused:
        ratings_from(values, KEYS)

    assert refused.value.field == field


def test_a_field_the_use_case_refuses_is_shown_on_its_components_row() -> None:
    rated = ["leadership", "engagement"]

    assert row_field("ratings[1].rating", rated) == "engagement.rating"
    assert row_field("ratings[0].evidence[2]", rated) == "leadership.evidence"
    assert row_field("ratings[1].actions[0].due_on", rated) == "engagement.due_on"
    assert row_field("ratings[0].actions[0].owner_id", rated) == "leadership.owner"
    assert row_field("ratings[0].actions[0].description", rated) == "leadership.action"
    assert row_field("reviewer_ids[1]", rated) == "reviewer_ids"
    assert row_field("held_on", rated) == "held_on"
