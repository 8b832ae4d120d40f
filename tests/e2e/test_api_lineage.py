"""The decision lineage reports over HTTP: per programme and per decision."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import pytest

from infra.bootstrap import Container
from tests.e2e.decisions_support import Board, board, days_ago
from tests.e2e.support import UNKNOWN_ID, Client, assert_problem, assert_utc_iso, post_ok


@pytest.fixture
def b(client: Client, container: Container, ada_id: UUID) -> Board:
    return board(client, container, ada_id)


def lineage(b: Board, **params: str) -> dict[str, Any]:
    response = b.client.get(f"/programmes/{b.programme['id']}/decision-lineage", params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def chain_of(b: Board, decision_id: str, **params: str) -> dict[str, Any]:
    response = b.client.get(f"/decisions/{decision_id}/lineage", params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def supersede(b: Board, old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    return post_ok(b.client, f"/decisions/{old['id']}/supersede", {"superseded_by": new["id"]})


def test_a_superseded_decision_and_its_successor_form_one_chain_in_force_at_the_end(
    b: Board,
) -> None:
    old = b.decided("Two hubs", days=20)
    new = b.decided("One hub", days=4)
    supersede(b, old, new)

    body = lineage(b)

    assert (body["as_of"], body["programme_id"]) == (None, b.programme["id"])
    assert body["today"]
    [chain] = body["chains"]["items"]
    assert (chain["first_id"], chain["in_force_id"], chain["length"]) == (
        old["id"],
        new["id"],
        2,
    )
    assert [d["status"] for d in chain["decisions"]] == ["superseded", "decided"]
    assert chain["decisions"][1]["supersedes"] == [old["id"]]
    assert_utc_iso(chain["decisions"][0]["superseded_at"])
    # Each was proposed five days before it was taken.
    assert body["latency"] == {"decisions_taken": 2, "median_days": 5.0, "p90_days": 5.0}


def test_chains_are_paginated(b: Board) -> None:
    for title in ("One", "Two", "Three"):
        b.propose(title)

    page = lineage(b, limit="2", offset="2")["chains"]

    assert (page["total"], page["limit"], page["offset"], len(page["items"])) == (3, 2, 2, 1)


def test_as_of_before_the_supersession_shows_the_old_decision_still_in_force(b: Board) -> None:
    old = b.decided("Two hubs", days=20)
    new = b.decided("One hub", days=4)
    seen = new["updated_at"]
    supersede(b, old, new)

    then = lineage(b, as_of=seen)
    of_old_then = chain_of(b, old["id"], as_of=seen)

    assert then["as_of"] == seen
    assert [(c["first_id"], c["in_force_id"]) for c in then["chains"]["items"]] == [
        (old["id"], old["id"]),
        (new["id"], new["id"]),
    ]
    assert (of_old_then["in_force_id"], of_old_then["superseded_by"]) == (old["id"], [])
    assert chain_of(b, old["id"])["in_force_id"] == new["id"]


def test_commissioners_and_providers_are_counted_apart(b: Board) -> None:
    # Ada (the trust) proposes; the ICB is consulted and objects; Grace (the ICB) decides.
    proposal = b.propose("Single point of access", workstream_id=b.workstream["id"])
    path = f"/decisions/{proposal['id']}"
    post_ok(b.client, f"{path}/consultations", {"organisation_id": b.icb["id"]})
    objected = b.client.post(
        f"{path}/responses",
        json={"organisation_id": b.icb["id"], "stance": "object", "reason": "Cost"},
        headers=b.grace,
    )
    assert objected.status_code == 200, objected.text
    taken = b.client.post(f"{path}/take", json={"authority": "Board"}, headers=b.grace)
    assert taken.status_code == 200, taken.text

    body = lineage(b)

    counts = [(k["kind"], k["proposals"], k["objections"], k["decisions"]) for k in body["by_kind"]]
    assert counts == [("commissioner", 0, 1, 1), ("provider", 1, 0, 0)]
    [row] = body["workstreams"]
    assert (row["name"], row["decisions"], row["participants"]) == ("Mental Health", 1, 2)
    assert (row["participant_organisations"], row["crowded"]) == (2, False)
    assert row["by_kind"] == body["by_kind"]


def test_one_decisions_lineage_shows_its_chain_amendments_and_back_dated_timeline(
    b: Board,
) -> None:
    first = b.decided("Two hubs", days=30)
    second = b.decided("One hub", days=20)
    third = b.decided("One hub and a line", days=10)
    post_ok(
        b.client,
        f"/decisions/{second['id']}/amendments",
        {"reason": "Name it", "title": "One hub at LGI", "occurred_at": days_ago(18)},
    )
    supersede(b, first, second)
    supersede(b, second, third)

    body = chain_of(b, second["id"])

    assert [d["id"] for d in body["supersedes"]] == [first["id"]]
    assert [d["id"] for d in body["superseded_by"]] == [third["id"]]
    assert (body["in_force_id"], body["decision"]["amendment_count"]) == (third["id"], 1)
    assert [a["reason"] for a in body["amendments"]] == ["Name it"]
    timeline = body["timeline"]
    assert [e["kind"] for e in timeline] == [
        "proposed",
        "taken",
        "amended",
        "superseded_another",
        "superseded",
    ]
    proposed = timeline[0]
    assert_utc_iso(proposed["occurred_at"])
    assert_utc_iso(proposed["recorded_at"])
    assert proposed["back_dated"] is True
    assert proposed["recorded_after_days"] >= 24.9


def test_an_unknown_or_malformed_programme_or_decision_is_a_404(b: Board) -> None:
    for path in (
        f"/programmes/{UNKNOWN_ID}/decision-lineage",
        "/programmes/nope/decision-lineage",
        f"/decisions/{UNKNOWN_ID}/lineage",
        "/decisions/nope/lineage",
    ):
        assert_problem(b.client.get(path), 404)


def test_a_decision_not_yet_recorded_at_as_of_is_a_404(b: Board) -> None:
    proposal = b.propose()

    response = b.client.get(
        f"/decisions/{proposal['id']}/lineage", params={"as_of": "2000-01-01T00:00:00Z"}
    )

    assert_problem(response, 404)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"as_of": "yesterday"}, "as_of"),
        ({"as_of": "2026-01-01T00:00:00"}, "as_of"),
        ({"workstream_id": "nope"}, "workstream_id"),
        ({"workstream_id": UNKNOWN_ID}, "workstream_id"),
        ({"limit": "0"}, "limit"),
    ],
)
def test_a_bad_as_of_workstream_or_page_is_a_422(
    b: Board, params: dict[str, str], field: str
) -> None:
    response = b.client.get(f"/programmes/{b.programme['id']}/decision-lineage", params=params)

    assert_problem(response, 422, field=field)


def test_a_bad_as_of_on_one_decisions_lineage_is_a_422(b: Board) -> None:
    proposal = b.propose()

    response = b.client.get(f"/decisions/{proposal['id']}/lineage", params={"as_of": "soon"})

    assert_problem(response, 422, field="as_of")
