"""The resilience report, the portfolio summary and the off-boarding what-if over HTTP."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from infra.bootstrap import Container
from tests.e2e.role_support import Board
from tests.e2e.support import UNKNOWN_ID, Client, assert_problem, assert_utc_iso, post_ok


def get_ok(client: Client, path: str, **params: Any) -> dict[str, Any]:
    response = client.get(path, params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def now() -> str:
    return datetime.now(UTC).isoformat().replace("+00:00", "Z")


def review(board: Board, reviewers: list[str], *components: str) -> None:
    post_ok(
        board.client,
        f"/programmes/{board.programme}/reviews",
        {
            "reviewer_ids": reviewers,
            "held_on": "2026-01-10",
            "ratings": [{"component": c, "rating": 3, "evidence": ["Notes"]} for c in components],
        },
        status=201,
    )


def test_the_report_shows_a_critical_role_without_deputy_as_of_before_the_deputy_was_named(
    client: Client, ada_id: UUID
) -> None:
    board = Board(client, ada_id)
    role = board.role("sro", critical=True)
    holder, deputy = board.member(board.icb, "Hana"), board.member(board.icb, "Dev")
    post_ok(client, f"/roles/{role['id']}/assignment", {"holder_id": holder})
    before = now()
    post_ok(client, f"/roles/{role['id']}/assignment", {"holder_id": holder, "deputy_id": deputy})
    path = f"/programmes/{board.programme}/resilience"

    then = get_ok(client, path, as_of=before)
    current = get_ok(client, path)

    assert [(r["role_id"], r["holder_name"]) for r in then["critical_roles_without_deputy"]] == [
        (role["id"], "Hana")
    ]
    assert_utc_iso(then["as_of"])
    assert datetime.fromisoformat(then["as_of"]) == datetime.fromisoformat(before)
    assert current["critical_roles_without_deputy"] == []
    assert current["as_of"] is None
    assert current["today"] == datetime.now(UTC).date().isoformat()


def test_the_report_gives_the_bus_factor_islands_and_organisations_without_a_named_lead(
    client: Client, container: Container, ada_id: UUID
) -> None:
    container.app.ensure_builtin_frameworks()
    board = Board(client, ada_id)
    # Ada reviews three components with evidence: 2 contributions each, all hers.
    review(board, [board.ada], "leadership", "delivery", "measurement")

    body = get_ok(client, f"/programmes/{board.programme}/resilience")

    assert body["programme_id"] == board.programme
    assert body["bus_factor"]["value"] == 1
    assert body["bus_factor"]["knowledge_area_count"] == 3
    assert [p["person_id"] for p in body["bus_factor"]["removed"]] == [board.ada]
    # 2 contributions are fewer than the 3 an island needs.
    assert body["knowledge_islands"] == []
    assert {o["organisation_id"] for o in body["organisations_without_named_lead"]} == {
        board.icb,
        board.trust,
    }
    areas = {a["key"]: a for a in body["knowledge_areas"]}
    assert areas["delivery"]["contributors"] == [
        {
            "person_id": board.ada,
            "name": "Ada Admin",
            "contributions": 2,
            "share": 1.0,
            "covers": True,
        }
    ]
    assert areas["system_drivers"]["contribution_count"] == 0


def test_an_unknown_or_malformed_programme_is_a_404(client: Client) -> None:
    for path in (f"/programmes/{UNKNOWN_ID}/resilience", "/programmes/nope/resilience"):
        assert_problem(client.get(path), 404)
    assert_problem(
        client.get(
            f"/programmes/{UNKNOWN_ID}/offboarding-impact", params={"person_id": UNKNOWN_ID}
        ),
        404,
    )


def test_a_report_as_of_before_the_programme_existed_is_a_404(client: Client, ada_id: UUID) -> None:
    before = now()
    board = Board(client, ada_id)

    assert_problem(
        client.get(f"/programmes/{board.programme}/resilience", params={"as_of": before}), 404
    )


def test_a_bad_as_of_is_a_422_naming_it(client: Client, ada_id: UUID) -> None:
    board = Board(client, ada_id)

    for path in (f"/programmes/{board.programme}/resilience", "/resilience"):
        assert_problem(client.get(path, params={"as_of": "yesterday"}), 422, field="as_of")


def test_the_portfolio_pages_programmes_and_lists_people_with_several_critical_roles(
    client: Client, ada_id: UUID
) -> None:
    board = Board(client, ada_id)
    busy = board.member(board.icb, "Busy")
    for kind in ("sro", "clinical_lead"):
        role = board.role(kind, critical=True)
        post_ok(client, f"/roles/{role['id']}/assignment", {"holder_id": busy})

    first = get_ok(client, "/resilience", limit=1, offset=0)
    beyond = get_ok(client, "/resilience", limit=1, offset=1)

    assert (first["total"], first["limit"], first["offset"]) == (1, 1, 0)
    assert [(p["programme_id"], p["bus_factor"]) for p in first["items"]] == [(board.programme, 0)]
    assert beyond["items"] == []
    people = first["people_with_several_critical_roles"]
    assert [(p["person_id"], p["critical_role_count"]) for p in people] == [(busy, 2)]
    assert {r["position"] for r in people[0]["roles"]} == {"holder"}


def test_offboarding_a_holder_orphans_their_undeputised_role_and_their_areas(
    client: Client, ada_id: UUID
) -> None:
    board = Board(client, ada_id)
    role_id, holder, deputy = board.held("sro", critical=True)
    lone = board.role("clinical_lead")
    post_ok(client, f"/roles/{lone['id']}/assignment", {"holder_id": holder})
    review(board, [holder], "spread")

    body = get_ok(
        client,
        f"/programmes/{board.programme}/offboarding-impact",
        person_id=[holder, holder],
    )
    both = get_ok(
        client,
        f"/programmes/{board.programme}/offboarding-impact",
        person_id=[holder, deputy],
    )

    assert [p["person_id"] for p in body["people"]] == [holder]
    assert [r["role_id"] for r in body["orphaned_roles"]] == [lone["id"]]
    assert [(r["role_id"], r["outcome"]) for r in body["deputised_roles"]] == [
        (role_id, "deputised")
    ]
    assert [a["key"] for a in body["orphaned_knowledge_areas"]] == ["spread"]
    assert {r["role_id"] for r in both["orphaned_roles"]} == {role_id, lone["id"]}


def test_offboarding_needs_a_known_well_formed_person(client: Client, ada_id: UUID) -> None:
    board = Board(client, ada_id)
    path = f"/programmes/{board.programme}/offboarding-impact"

    assert_problem(client.get(path), 422, field="person_id")
    assert_problem(client.get(path, params={"person_id": "bob"}), 422, field="person_id")
    assert_problem(client.get(path, params={"person_id": UNKNOWN_ID}), 422, field="person_id")
