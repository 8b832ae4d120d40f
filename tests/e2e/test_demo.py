"""`changeledger demo`: the walkthrough's story, seeded in-process, recorded once."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any
from uuid import UUID

import httpx
import pytest
from litestar.testing import TestClient

from infra.bootstrap import Container
from services.api.app import create_app
from services.walkthrough import (
    GARETH,
    HELEN,
    JAMES,
    PEOPLE,
    PRIYA,
    TOM,
    ApiProblem,
    ApiStoryClient,
    demo_authenticator,
    ensure_people,
    seed_in_process,
)

CLI = str(Path(sys.executable).parent / "changeledger")

Read = Callable[[str], dict[str, Any]]


def _quiet(line: str) -> None:
    pass


def _head(container: Container) -> int:
    return container.app.recorder.max_notification_id() or 0


@pytest.fixture
def people(container: Container) -> dict[str, UUID]:
    return ensure_people(container.app)


@pytest.fixture
def read(container: Container, people: dict[str, UUID]) -> Iterator[Read]:
    """GET through the API as Helen, with the demo's authenticator."""
    app = create_app(container, authenticate=demo_authenticator(people))
    with TestClient(app=app) as client:
        client.headers["Authorization"] = f"Bearer demo:{people[HELEN]}"

        def get(path: str) -> dict[str, Any]:
            response = client.get(path)
            assert response.status_code == 200, response.text
            body: dict[str, Any] = response.json()
            return body

        yield get


def test_telling_the_story_a_second_time_records_nothing(container: Container) -> None:
    lines: list[str] = []
    ids, first = seed_in_process(container, lines.append)
    after_first = _head(container)

    ids_again, second = seed_in_process(container, _quiet)

    assert _head(container) == after_first
    assert ids_again == ids
    assert first.replays == 0
    assert second.replays == second.writes == first.writes
    assert len(lines) > 20
    assert all(line.startswith("✓ ") for line in lines)


def test_ensuring_the_people_registers_each_once(container: Container) -> None:
    first = ensure_people(container.app)
    head = _head(container)

    again = ensure_people(container.app)

    assert again == first
    assert set(first) == {person.email for person in PEOPLE}
    assert _head(container) == head


def test_the_story_leaves_the_history_the_walkthrough_describes(
    container: Container, people: dict[str, UUID], read: Read
) -> None:
    ids, _ = seed_in_process(container, _quiet)

    # Shared purpose: v1 disputed by the acute trust (kept), revised, endorsed, adopted.
    purpose = read(f"/programmes/{ids['uec']}/shared-purpose")
    assert purpose["version_count"] == 2
    assert purpose["current_version"]["adopted"] is True
    assert purpose["aligned"] is True
    assert len(purpose["positions"]) == 3
    v1 = read(f"/programmes/{ids['uec']}/shared-purpose/versions/1")
    disputes = [p for p in v1["position_history"] if p["position"] == "disputed"]
    assert [d["organisation_id"] for d in disputes] == [ids["acute"]]
    assert "A&E attendances" in disputes[0]["reason"]
    assert v1["statement_version"]["current"] is False

    # A decision objected to, taken, then superseded: linked both ways.
    old = read(f"/decisions/{ids['decision_front_door']}")
    new = read(f"/decisions/{ids['decision_crisis_door']}")
    assert old["status"] == "superseded"
    assert old["superseded_by"] == new["id"]
    assert [d["id"] for d in old["lineage"]["superseded_by"]] == [new["id"]]
    assert new["status"] == "decided"
    assert new["supersedes"] == [old["id"]]
    assert [d["id"] for d in new["lineage"]["supersedes"]] == [old["id"]]
    objections = [c for c in old["consultations"] if c["stance"] == "object"]
    assert [c["organisation_id"] for c in objections] == [ids["mh"]]
    assert old["latency_days"] > 20

    # The clinical lead handed over to the deputy, with what they knew.
    role = read(f"/roles/{ids['role_clinical_lead']}")
    assert role["critical"] is True
    [handover] = role["handovers"]
    assert handover["from_person_id"] == str(people[PRIYA])
    assert handover["to_person_id"] == role["holder_id"] == str(people[JAMES])
    assert len(handover["knowledge_items"]) == 4
    assert role["deputy_id"] is None
    sro = read(f"/roles/{ids['role_sro']}")
    assert (sro["holder_id"], sro["deputy_id"]) == (str(people[HELEN]), str(people[TOM]))

    # Two reviews of the urgent care programme about three months apart, one of the other.
    reviews = read(f"/programmes/{ids['uec']}/reviews")["items"]
    assert {r["id"] for r in reviews} == {ids["review_uec_1"], ids["review_uec_2"]}
    held = sorted(date.fromisoformat(r["held_on"]) for r in reviews)
    assert 80 <= (held[1] - held[0]).days <= 100
    assert all(r["unevidenced_count"] == 1 for r in reviews)
    assert read(f"/programmes/{ids['cmh']}/reviews")["total"] == 1
    first = read(f"/reviews/{ids['review_uec_1']}")
    assert first["unevidenced_components"] == ["system_drivers"]

    # Commitments: renegotiated (original date kept), delivered, at risk, overdue.
    renegotiated = read(f"/commitments/{ids['commitment_sdec']}")
    assert renegotiated["status"] == "renegotiated"
    assert renegotiated["renegotiation_count"] == 1
    assert renegotiated["contract_lever"] == "CQUIN"
    assert renegotiated["original_due_date"] == renegotiated["due_dates"][0]["due_date"]
    assert renegotiated["due_date"] > renegotiated["original_due_date"]
    assert [p["percent"] for p in renegotiated["progress"]] == [40]
    delivered = read(f"/commitments/{ids['commitment_crisis']}")
    assert delivered["status"] == "delivered"
    assert delivered["delivered_on_time"] is True
    assert delivered["decision_id"] == ids["decision_crisis_door"]
    assert read(f"/commitments/{ids['commitment_handovers']}")["status"] == "at_risk"
    overdue = read("/commitments?overdue=true")["items"]
    assert [c["id"] for c in overdue] == [ids["commitment_hubs"]]

    # The other programme's purpose is not shared yet: the ICB has taken no position.
    community = read(f"/programmes/{ids['cmh']}/shared-purpose")
    assert [p["organisation_id"] for p in community["not_aligned"]] == [ids["icb"]]
    assert read(f"/people/{people[GARETH]}")["organisation_id"] == ids["mh"]


def test_the_demo_client_lets_in_only_the_storys_people(
    container: Container, people: dict[str, UUID]
) -> None:
    stranger = container.app.register_person(by=None, name="Ada Admin", email="ada@example.org")
    secret, _ = container.app.issue_token(by=None, person_id=stranger.id, label="tests")
    demo_app = create_app(container, authenticate=demo_authenticator(people))

    with TestClient(app=demo_app) as demo, TestClient(app=create_app(container)) as default:
        as_helen = {"Authorization": f"Bearer demo:{people[HELEN]}"}
        assert demo.get("/people/me", headers=as_helen).json()["id"] == str(people[HELEN])
        for bearer in (f"demo:{stranger.id}", secret, str(people[HELEN])):
            response = demo.get("/people/me", headers={"Authorization": f"Bearer {bearer}"})
            assert response.status_code == 401, bearer
        # Without an authenticator, the app takes API tokens only, as before.
        assert default.get("/people/me", headers=as_helen).status_code == 401
        response = default.get("/people/me", headers={"Authorization": f"Bearer {secret}"})
        assert response.json()["id"] == str(stranger.id)


def test_a_busy_store_is_retried_with_the_same_key_and_a_refusal_explained() -> None:
    seen: list[tuple[str, str | None]] = []
    answers = iter([503, 503, 201, 422])

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append((request.url.path, request.headers.get("Idempotency-Key")))
        status = next(answers)
        body = {"id": "x"} if status == 201 else {"detail": "busy or bad", "errors": []}
        return httpx.Response(status, json=body, headers={"Retry-After": "5"})

    waits: list[float] = []
    with httpx.Client(transport=httpx.MockTransport(answer), base_url="http://x") as http:
        client = ApiStoryClient(http, lambda email: "token", sleep=waits.append)
        assert client.post("/things", {}, as_person=HELEN, key="walkthrough-a") == {"id": "x"}
        with pytest.raises(ApiProblem, match="POST /things answered 422: busy or bad"):
            client.post("/things", {}, as_person=HELEN, key="walkthrough-b")

    assert seen == [("/things", "walkthrough-a")] * 3 + [("/things", "walkthrough-b")]
    assert waits == [5.0, 5.0]
    assert (client.retries, client.writes) == (2, 1)


# The command line, as a newcomer runs it


@pytest.fixture
def run(tmp_path: Path):  # type: ignore[no-untyped-def]
    env = {"CHANGELEDGER_DATA_DIR": str(tmp_path / "data"), "PATH": "/usr/bin:/bin"}

    def run(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        result = subprocess.run([CLI, *args], env=env, capture_output=True, text=True, timeout=120)
        if check and result.returncode != 0:
            raise AssertionError(f"{args} failed:\n{result.stdout}\n{result.stderr}")
        return result

    return run


def test_running_the_demo_twice_records_nothing_the_second_time(run) -> None:  # type: ignore[no-untyped-def]
    first = run("demo")
    second = run("demo")

    assert "✓ Leeds Teaching Hospitals disputes shared purpose v1" in first.stdout
    assert "Recorded " in first.stdout
    assert "0 replayed" in first.stdout
    assert "Nothing new was recorded" in second.stdout
    assert "run bin/run and open http://127.0.0.1:8000/schema" in second.stdout
    assert f"changeledger tokens issue --email {HELEN}" in second.stdout
    # The story's people can then be given a token, as the summary says.
    assert run("tokens", "issue", "--email", HELEN).stdout.startswith("clg_")


def test_the_walkthrough_says_when_no_server_answers(run) -> None:  # type: ignore[no-untyped-def]
    result = run("walkthrough", "--url", "http://127.0.0.1:9", check=False)

    assert result.returncode == 1
    assert "no Changeledger server answers at http://127.0.0.1:9" in result.stderr


def test_the_new_commands_explain_themselves(run) -> None:  # type: ignore[no-untyped-def]
    for command in ("demo", "walkthrough"):
        result = run(command, "--help")

        assert "Usage: changeledger" in result.stdout
        assert "docs/walkthrough.md" in result.stdout
