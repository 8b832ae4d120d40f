"""Current single-record GETs read the views; ``?version=`` reads replay the record's events.

Two things are shown for each area: the current GET answers exactly what a read of the
record's latest version (its own events replayed) answers, so the view holds everything the
response needs; and once the view's row is gone (the view's position still at the head of
the log, so nothing brings it back) the current GET is a 404 while ``?version=`` still
answers from the log, so the current GET cannot be reading the log.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from infra.bootstrap import Container
from tests.e2e.commitment_support import accepted, days, make, ok, world
from tests.e2e.decisions_support import board, days_ago
from tests.e2e.reviews_support import Board, action, rating, review_body
from tests.e2e.reviews_support import board as reviews_board
from tests.e2e.support import Client, assert_problem, post_ok


def _remove_view_row(container: Container, projection: str, sql: str, record_id: str) -> None:
    container.catch_up()
    with container.views.write(projection) as tx:
        tx.execute(sql, {"id": record_id})


def _same_as_latest_version(client: Client, path: str) -> dict[str, Any]:
    current = client.get(path)
    assert current.status_code == 200, current.text
    body = current.json()
    replayed = client.get(path, params={"version": body["version"]})
    assert replayed.status_code == 200, replayed.text
    assert body == replayed.json()
    assert current.headers["ETag"] == replayed.headers["ETag"] == f'"{body["version"]}"'
    return body


def test_a_decision_read_now_from_the_view_equals_its_latest_version_replayed(
    client: Client, container: Container, ada_id: UUID
) -> None:
    b = board(client, container, ada_id)
    earlier = b.decided("Two numbers", days=8)
    later = b.propose(
        "One number",
        options=["one number", "two numbers"],
        components=["engagement", "system_drivers"],
        workstream_id=b.workstream["id"],
        occurred_at=days_ago(7),
    )
    path = f"/decisions/{later['id']}"
    post_ok(client, f"{path}/consultations", {"organisation_id": b.icb["id"]})
    post_ok(client, f"{path}/consultations", {"organisation_id": b.trust["id"]})
    post_ok(client, f"{path}/responses", {"organisation_id": b.trust["id"], "stance": "support"})
    objection = {"organisation_id": b.icb["id"], "stance": "object", "reason": "cost"}
    assert client.post(f"{path}/responses", json=objection, headers=b.grace).status_code == 200
    post_ok(client, f"{path}/amendments", {"reason": "clearer", "options": ["one number"]})
    post_ok(client, f"{path}/take", {"authority": "Programme board", "occurred_at": days_ago(6)})
    post_ok(client, f"/decisions/{earlier['id']}/supersede", {"superseded_by": later["id"]})

    body = _same_as_latest_version(client, path)
    assert body["options"] == ["one number"]
    assert [c["stance"] for c in body["consultations"]] == ["object", "support"]
    assert body["supersedes"] == [earlier["id"]]
    assert len(body["timeline"]) == body["version"]
    # Not compared with a replay: replaying the successor up to the recorded time of this
    # decision's last event misses the link the successor recorded an instant later.
    older = client.get(f"/decisions/{earlier['id']}").json()
    assert older["status"] == "superseded"
    (successor,) = older["lineage"]["superseded_by"]
    assert (successor["id"], successor["supersedes"]) == (later["id"], [earlier["id"]])


def test_a_decision_missing_from_the_view_is_not_found_now_but_readable_at_a_version(
    client: Client, container: Container, ada_id: UUID
) -> None:
    decision = board(client, container, ada_id).propose()
    path = f"/decisions/{decision['id']}"
    _remove_view_row(
        container, "decisions", "DELETE FROM dec_decisions WHERE id = %(id)s", decision["id"]
    )

    assert_problem(client.get(path), 404)
    assert client.get(path, params={"version": 1}).json()["title"] == decision["title"]


def _role_with_a_handover(client: Client, container: Container, ada_id: UUID) -> dict[str, Any]:
    b = board(client, container, ada_id)
    grace = client.get("/people/me", headers=b.grace).json()
    role = post_ok(
        client,
        f"/programmes/{b.programme['id']}/roles",
        {"kind": "sro", "critical": True},
        201,
    )
    path = f"/roles/{role['id']}"
    post_ok(client, f"{path}/assignment", {"holder_id": str(ada_id)})
    handover = {
        "to_person_id": grace["id"],
        "knowledge_items": ["board papers", "GP contacts"],
        "outgoing_reachable": True,
        "occurred_at": days_ago(1),
    }
    return post_ok(client, f"{path}/handovers", handover)


def test_a_role_read_now_from_the_view_equals_its_latest_version_replayed(
    client: Client, container: Container, ada_id: UUID
) -> None:
    role = _role_with_a_handover(client, container, ada_id)

    body = _same_as_latest_version(client, f"/roles/{role['id']}")
    assert [h["knowledge_items"] for h in body["handovers"]] == [["board papers", "GP contacts"]]


def test_a_role_missing_from_the_view_is_not_found_now_but_readable_at_a_version(
    client: Client, container: Container, ada_id: UUID
) -> None:
    role = _role_with_a_handover(client, container, ada_id)
    _remove_view_row(container, "roles", "DELETE FROM rol_roles WHERE id = %(id)s", role["id"])

    assert_problem(client.get(f"/roles/{role['id']}"), 404)
    assert client.get(f"/roles/{role['id']}", params={"version": 1}).status_code == 200


def test_a_commitment_read_now_from_the_view_equals_its_latest_version_replayed(
    client: Client, container: Container, ada_id: UUID
) -> None:
    w = world(container, ada_id)
    made = accepted(client, w, contract_lever="CQUIN")
    path = f"/commitments/{made['id']}"
    ok(client, f"{path}/progress", {"percent": 40, "note": "Pilot running"})
    ok(client, f"{path}/at-risk", {"reason": "Staffing"})
    ok(client, f"{path}/renegotiate", {"new_due_date": days(60), "reason": "Winter"}, headers=w.bea)
    ok(client, f"{path}/deliver", {"evidence": "Audit"})

    body = _same_as_latest_version(client, path)
    assert [s["status"] for s in body["statuses"]] == [
        "proposed",
        "accepted",
        "at_risk",
        "renegotiated",
        "delivered",
    ]
    assert [d["due_date"] for d in body["due_dates"]] == [days(30), days(60)]
    assert [p["note"] for p in body["progress"]] == ["Pilot running"]


def test_a_commitment_missing_from_the_view_is_not_found_now_but_readable_at_a_version(
    client: Client, container: Container, ada_id: UUID
) -> None:
    made = make(client, world(container, ada_id))
    path = f"/commitments/{made['id']}"
    sql = "DELETE FROM cmt_commitments WHERE id = %(id)s"
    _remove_view_row(container, "commitments", sql, made["id"])

    assert_problem(client.get(path), 404)
    assert client.get(path, params={"version": 1}).json()["what"] == made["what"]


def _review_with_a_completed_action(
    client: Client, container: Container, ada_id: UUID
) -> tuple[Board, dict[str, Any]]:
    at = reviews_board(client, container, ada_id)
    ratings = [
        rating("measurement", 4, evidence=["Dashboard live", "Audit"]),
        rating("spread", 2, actions=[action(at.ada), action(at.grace, text="Share the pilot")]),
        rating("system_drivers", 1),
    ]
    body = {**review_body(at, *ratings), "reviewer_ids": [at.ada, at.grace]}
    created = post_ok(client, f"{at.path}/reviews", body, status=201)
    done = {"completed_on": "2026-02-01", "note": "KPIs signed off"}
    post_ok(client, f"/reviews/{created['id']}/actions/0/complete", done)
    return at, created


def test_a_review_read_now_from_the_view_equals_its_latest_version_replayed(
    client: Client, container: Container, ada_id: UUID
) -> None:
    at, created = _review_with_a_completed_action(client, container, ada_id)

    body = _same_as_latest_version(client, f"/reviews/{created['id']}")
    assert body["reviewer_ids"] == [at.ada, at.grace]
    assert [r["evidence"] for r in body["ratings"]] == [["Dashboard live", "Audit"], [], []]
    first, second = body["ratings"][1]["actions"]
    assert (first["completion_note"], first["completed_on"]) == ("KPIs signed off", "2026-02-01")
    assert (second["index"], second["completed"]) == (1, False)
    assert body["ratings"][1]["framework_label"] == "Spread and adoption"
    assert body["unevidenced_components"] == ["system_drivers"]


def test_a_review_missing_from_the_view_is_not_found_now_but_readable_at_a_version(
    client: Client, container: Container, ada_id: UUID
) -> None:
    _, created = _review_with_a_completed_action(client, container, ada_id)
    path = f"/reviews/{created['id']}"
    _remove_view_row(
        container, "reviews", "DELETE FROM rev_reviews WHERE id = %(id)s", created["id"]
    )

    assert_problem(client.get(path), 404)
    assert client.get(path, params={"version": 1}).json()["held_on"] == created["held_on"]


def test_framework_settings_and_a_framework_read_now_equal_their_latest_version_replayed(
    client: Client, container: Container, ada_id: UUID
) -> None:
    at = reviews_board(client, container, ada_id)
    change = {"framework_key": "nhs-change-model-2012", "labels": {"spread": "Sharing what works"}}
    response = client.put(f"{at.path}/framework", json=change, headers={"If-Match": '"0"'})
    assert response.status_code == 200, response.text
    changed = {"review_interval_days": 30}
    response = client.put(f"{at.path}/framework", json=changed, headers={"If-Match": '"1"'})
    assert response.status_code == 200, response.text

    settings = _same_as_latest_version(client, f"{at.path}/framework")
    assert settings == response.json()
    assert (settings["framework_key"], settings["review_interval_days"]) == (
        "nhs-change-model-2012",
        30,
    )
    spread = next(c for c in settings["components"] if c["key"] == "spread")
    assert (spread["label"], spread["overridden"]) == ("Sharing what works", True)
    framework = _same_as_latest_version(client, "/frameworks/nhs-change-model-2012")
    assert [c["label"] for c in framework["components"]][3] == "Spread of innovation"


def test_a_framework_missing_from_the_view_is_not_found_now_but_readable_at_a_version(
    client: Client, container: Container
) -> None:
    container.app.ensure_builtin_frameworks()
    path = "/frameworks/nhs-change-model-2012"
    sql = "DELETE FROM rev_frameworks WHERE framework_key = %(id)s"
    _remove_view_row(container, "reviews", sql, "nhs-change-model-2012")

    assert_problem(client.get(path), 404)
    assert client.get(path, params={"version": 1}).json()["key"] == "nhs-change-model-2012"


def _adopted_over_a_dispute(client: Client, container: Container, ada_id: UUID) -> str:
    """Version 1 disputed then endorsed by the trust, version 2 adopted over its dispute."""
    b = board(client, container, ada_id)
    path = f"/programmes/{b.programme['id']}/shared-purpose"
    icb, trust = b.icb["id"], b.trust["id"]
    post_ok(client, path, {"text": "One front door"}, 201)
    dispute = {"organisation_id": trust, "version": 1, "reason": "Leaves out mental health"}
    post_ok(client, f"{path}/disputes", dispute, 201)
    post_ok(client, f"{path}/endorsements", {"organisation_id": trust, "version": 1}, 201)
    endorsement = {"organisation_id": icb, "version": 1}
    assert client.post(f"{path}/endorsements", json=endorsement, headers=b.grace).is_success
    post_ok(client, f"{path}/revisions", {"text": "One front door, crisis care included"}, 201)
    endorsement = {"organisation_id": icb, "version": 2}
    assert client.post(f"{path}/endorsements", json=endorsement, headers=b.grace).is_success
    post_ok(client, f"{path}/disputes", {**dispute, "version": 2, "reason": "Too late"}, 201)
    adoption = {"version": 2, "rationale": "The ICB must meet the deadline"}
    assert client.post(f"{path}/adoptions", json=adoption, headers=b.grace).status_code == 201
    return path


def test_a_shared_purpose_read_now_from_the_view_equals_its_latest_version_replayed(
    client: Client, container: Container, ada_id: UUID
) -> None:
    path = _adopted_over_a_dispute(client, container, ada_id)

    body = _same_as_latest_version(client, path)
    assert [(p["role"], p["position"]) for p in body["positions"]] == [
        ("lead_commissioner", "endorsed"),
        ("provider", "disputed"),
    ]
    assert [p["role"] for p in body["not_aligned"]] == ["provider"]
    (adoption,) = body["adoptions"]
    assert (adoption["version"], adoption["over_disputes"]) == (2, True)
    first = _same_as_latest_version(client, f"{path}/versions/1")
    assert first["statement_version"]["superseded_at"] == body["current_version"]["recorded_at"]
    assert [p["position"] for p in first["position_history"]] == [
        "disputed",
        "endorsed",
        "endorsed",
    ]
    assert [p["position"] for p in first["positions"]] == ["endorsed", "endorsed"]
    assert first["adoption"] is None


def test_a_shared_purpose_missing_from_the_view_is_not_found_now_but_readable_at_a_version(
    client: Client, container: Container, ada_id: UUID
) -> None:
    path = _adopted_over_a_dispute(client, container, ada_id)
    statement = client.get(path).json()
    sql = "DELETE FROM sp_statements WHERE id = %(id)s"
    _remove_view_row(container, "shared_purpose", sql, statement["id"])

    assert_problem(client.get(path), 404)
    assert_problem(client.get(f"{path}/versions/1"), 404)
    at_1 = client.get(path, params={"version": 1}).json()
    assert at_1["current_version"]["text"] == "One front door"
