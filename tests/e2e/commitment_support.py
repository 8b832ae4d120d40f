"""Helpers for the commitment API tests: two sides, a member of each, and an outsider.

The client's own person, Ada, joins the provider; Bea joins the commissioner and Olly joins
neither. Requests as Bea or Olly pass their token in ``headers=``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from domain.commitment import utc_today
from infra.bootstrap import Container
from tests.e2e.support import Client


def days(n: int) -> str:
    """The UTC date ``n`` days from today, as the API takes it."""
    return (utc_today() + timedelta(days=n)).isoformat()


def today() -> date:
    return utc_today()


@dataclass(frozen=True)
class World:
    provider_id: str
    commissioner_id: str
    bea_id: str
    #: Headers to act as Bea (a commissioner member) or Olly (a member of neither).
    bea: dict[str, str]
    olly: dict[str, str]


def bearer(container: Container, person_id: UUID) -> dict[str, str]:
    secret, _ = container.app.issue_token(by=None, person_id=person_id, label="tests")
    return {"Authorization": f"Bearer {secret}"}


def world(container: Container, ada_id: UUID) -> World:
    app = container.app
    trust = app.register_organisation(by=None, name="Leeds Teaching Hospitals", kind="provider")
    icb = app.register_organisation(by=None, name="West Yorkshire ICB", kind="commissioner")
    elsewhere = app.register_organisation(by=None, name="York Trust", kind="provider")
    bea = app.register_person(by=None, name="Bea Buyer", email="bea@example.org")
    olly = app.register_person(by=None, name="Olly Outsider", email="olly@example.org")
    app.join_organisation(by=None, person_id=ada_id, organisation_id=trust.id)
    app.join_organisation(by=None, person_id=bea.id, organisation_id=icb.id)
    app.join_organisation(by=None, person_id=olly.id, organisation_id=elsewhere.id)
    return World(
        provider_id=str(trust.id),
        commissioner_id=str(icb.id),
        bea_id=str(bea.id),
        bea=bearer(container, bea.id),
        olly=bearer(container, olly.id),
    )


def body(w: World, **overrides: Any) -> dict[str, Any]:
    made: dict[str, Any] = {
        "provider_id": w.provider_id,
        "commissioner_id": w.commissioner_id,
        "what": "Ambulance handovers within 30 minutes",
        "measure": "95% of handovers under 30 minutes, monthly",
        "due_date": days(30),
    }
    made.update(overrides)
    return {k: v for k, v in made.items() if v is not None}


def make(client: Client, w: World, **overrides: Any) -> dict[str, Any]:
    response = client.post("/commitments", json=body(w, **overrides))
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def accepted(client: Client, w: World, **overrides: Any) -> dict[str, Any]:
    made = make(client, w, **overrides)
    response = client.post(f"/commitments/{made['id']}/accept", headers=w.bea)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


def back_dated(n: int = 20) -> str:
    """A time ``n`` days ago, for commitments made (and so due) in the past."""
    return f"{(utc_today() - timedelta(days=n)).isoformat()}T09:00:00Z"


def ok(
    client: Client,
    path: str,
    json: Any = None,
    *,
    headers: dict[str, str] | None = None,
    status: int = 200,
) -> dict[str, Any]:
    """POST, expecting success; ``headers`` to act as someone else or send If-Match."""
    response = client.post(path, json=json, headers=headers)
    assert response.status_code == status, response.text
    result: dict[str, Any] = response.json()
    return result
