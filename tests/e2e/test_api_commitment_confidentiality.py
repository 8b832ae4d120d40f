"""Confidential notes on commitments: the provider and the commissioner see them; another
provider in the same programme sees the commitment, its status and its other notes only,
on every read path (one, the list, as of a version or time, history, the tracker)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import pytest

from infra.bootstrap import Container
from tests.e2e.commitment_support import days
from tests.e2e.notes_support import Programme, commitment, marker, ok, programme
from tests.e2e.support import Client, assert_problem


@dataclass(frozen=True)
class Recorded:
    p: Programme
    delivered: dict[str, Any]
    withdrawn: dict[str, Any]
    #: Every confidential text recorded, and a note recorded without the flag.
    secrets: list[str]
    public: str


@pytest.fixture
def recorded(client: Client, container: Container, ada_id: UUID) -> Recorded:
    """Two commitments of the trust to the ICB: one delivered after progress, a risk and a
    renegotiation, one withdrawn; every text confidential except one progress note."""
    p = programme(container, ada_id)
    secrets = [marker(label) for label in ("progress", "risk", "renegotiation", "evidence")]
    public = marker("public")
    withdrawal = marker("withdrawal")
    delivered = commitment(client, p)
    path = f"/commitments/{delivered['id']}"
    ok(client, f"{path}/progress", {"percent": 20, "note": public}, headers=p.pat)
    ok(
        client,
        f"{path}/progress",
        {"percent": 40, "note": secrets[0], "confidential": True},
        headers=p.pat,
    )
    ok(client, f"{path}/at-risk", {"reason": secrets[1], "confidential": True}, headers=p.pat)
    ok(
        client,
        f"{path}/renegotiate",
        {"new_due_date": days(60), "reason": secrets[2], "confidential": True},
    )
    ok(client, f"{path}/deliver", {"evidence": secrets[3], "confidential": True}, headers=p.pat)
    withdrawn = commitment(client, p)
    ok(
        client,
        f"/commitments/{withdrawn['id']}/withdraw",
        {"reason": withdrawal, "confidential": True},
        headers=p.pat,
    )
    return Recorded(p, delivered, withdrawn, [*secrets, withdrawal], public)


def read_paths(r: Recorded, who: str) -> dict[str, tuple[str, dict[str, Any]]]:
    """Every read of these commitments open to ``who`` (an organisation's commitment tracker
    is for its own members)."""
    own = {"ada": r.p.icb_id, "pat": r.p.trust_id, "rita": r.p.rival_id}[who]
    now = datetime.now(UTC).isoformat().replace("+00:00", "Z")
    one = f"/commitments/{r.delivered['id']}"
    other = f"/commitments/{r.withdrawn['id']}"
    return {
        "one": (one, {}),
        "one withdrawn": (other, {}),
        "list": ("/commitments", {}),
        "list of the programme": ("/commitments", {"programme_id": r.p.programme_id}),
        "at a version": (one, {"version": 7}),
        "as of now": (one, {"as_of": now}),
        "withdrawn as of now": (other, {"as_of": now}),
        "history": (f"{one}/history", {}),
        "withdrawn history": (f"{other}/history", {}),
        "own tracker": (f"/organisations/{own}/commitment-tracker", {}),
    }


def read(client: Client, r: Recorded, who: str, path: str, params: dict[str, Any]) -> str:
    headers = {"ada": {}, "pat": r.p.pat, "rita": r.p.rita}[who]
    response = client.get(path, params=params, headers=headers)
    assert response.status_code == 200, response.text
    return response.text


@pytest.mark.parametrize("who", ["ada", "pat"])
def test_the_provider_and_the_commissioner_see_every_confidential_text(
    client: Client, recorded: Recorded, who: str
) -> None:
    seen = {
        name: read(client, recorded, who, path, params)
        for name, (path, params) in read_paths(recorded, who).items()
    }

    everything = "".join(seen.values())
    for secret in recorded.secrets:
        assert secret in everything, secret
    assert all(secret in seen["one"] for secret in recorded.secrets[:4])
    assert all(secret in seen["history"] for secret in recorded.secrets[:4])
    assert all(secret in seen["as of now"] for secret in recorded.secrets[:4])
    assert recorded.secrets[4] in seen["withdrawn history"]


def test_another_provider_in_the_programme_sees_no_confidential_text_on_any_read_path(
    client: Client, recorded: Recorded
) -> None:
    for name, (path, params) in read_paths(recorded, "rita").items():
        body = read(client, recorded, "rita", path, params)
        for secret in recorded.secrets:
            assert secret not in body, (name, secret)


def test_another_provider_sees_the_commitment_its_status_and_its_other_notes(
    client: Client, recorded: Recorded
) -> None:
    body = client.get(f"/commitments/{recorded.delivered['id']}", headers=recorded.p.rita).json()

    assert (body["id"], body["provider_id"], body["commissioner_id"]) == (
        recorded.delivered["id"],
        recorded.p.trust_id,
        recorded.p.icb_id,
    )
    assert (body["status"], body["due_date"], body["what"]) == (
        "delivered",
        days(60),
        "Ambulance handovers within 30 minutes",
    )
    assert (body["status_note"], body["status_note_confidential"]) == (None, True)
    assert [(e["percent"], e["note"], e["confidential"]) for e in body["progress"]] == [
        (20, recorded.public, False),
        (40, None, True),
    ]
    assert [(s["status"], s["note"]) for s in body["statuses"]] == [
        ("proposed", None),
        ("accepted", None),
        ("at_risk", None),
        ("renegotiated", None),
        ("delivered", None),
    ]
    assert [d["reason"] for d in body["due_dates"]] == [None, None]


def test_the_history_leaves_confidential_text_out_of_the_events_for_another_provider(
    client: Client, recorded: Recorded
) -> None:
    items = client.get(
        f"/commitments/{recorded.delivered['id']}/history", headers=recorded.p.rita
    ).json()["items"]

    by_type = {item["type"]: item["data"] for item in items}
    assert [item["type"] for item in items] == [
        "Made",
        "Accepted",
        "ProgressRecorded",
        "ProgressRecorded",
        "FlaggedAtRisk",
        "Renegotiated",
        "Delivered",
    ]
    assert items[2]["data"] == {"percent": 20, "note": recorded.public, "confidential": False}
    assert items[3]["data"] == {"percent": 40, "confidential": True}
    assert by_type["Renegotiated"] == {
        "new_due_date": days(60),
        "previous_due_date": days(30),
        "confidential": True,
    }
    assert "evidence" not in by_type["Delivered"]
    assert by_type["Delivered"]["on_time"] is True


def test_the_list_withholds_a_confidential_status_note_from_another_provider_only(
    client: Client, recorded: Recorded
) -> None:
    def notes(headers: dict[str, str]) -> dict[str, Any]:
        page = client.get("/commitments", headers=headers).json()
        return {item["id"]: item["status_note"] for item in page["items"]}

    assert notes(recorded.p.rita) == {
        recorded.delivered["id"]: None,
        recorded.withdrawn["id"]: None,
    }
    assert notes(recorded.p.pat) == {
        recorded.delivered["id"]: recorded.secrets[3],
        recorded.withdrawn["id"]: recorded.secrets[4],
    }


def test_the_confidential_flag_must_be_true_or_false(client: Client, recorded: Recorded) -> None:
    response = client.post(
        f"/commitments/{recorded.withdrawn['id']}/progress",
        json={"percent": 10, "note": "x", "confidential": "yes"},
        headers=recorded.p.pat,
    )

    assert_problem(response, 422, field="confidential")


def test_an_auditor_of_the_programme_sees_every_confidential_text_and_a_revoked_one_nothing(
    client: Client, container: Container, recorded: Recorded
) -> None:
    app = container.app
    auditor = app.register_person(by=None, name="Arun Auditor", email="arun@example.org")
    app.appoint_auditor(by=None, programme_id=UUID(recorded.p.programme_id), person_id=auditor.id)
    secret, _ = app.issue_token(by=None, person_id=auditor.id, label="audit")
    headers = {"Authorization": f"Bearer {secret}"}
    one = f"/commitments/{recorded.delivered['id']}"

    seen = "".join(
        client.get(path, headers=headers).text for path in (one, f"{one}/history", "/commitments")
    )
    app.remove_auditor(by=None, programme_id=UUID(recorded.p.programme_id), person_id=auditor.id)
    after = client.get(one, headers=headers)

    for text in recorded.secrets[:4]:
        assert text in seen, text
    assert_problem(after, 404)
