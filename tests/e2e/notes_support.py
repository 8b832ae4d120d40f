"""Helpers for the confidentiality tests: a programme with a commissioner and two providers.

The client's own person, Ada, joins the commissioner (the ICB). Pat joins the provider on
the commitments (the trust), Rita a rival provider in the same programme, and Nora no
organisation at all. Requests as them pass their headers with ``headers=``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID, uuid4

from infra.bootstrap import Container
from tests.e2e.commitment_support import bearer, days
from tests.e2e.support import Client


@dataclass(frozen=True)
class Programme:
    programme_id: str
    icb_id: str
    trust_id: str
    rival_id: str
    ada_id: str
    pat_id: str
    #: Headers to act as Pat (the trust), Rita (the rival provider) or Nora (no organisation).
    pat: dict[str, str]
    rita: dict[str, str]
    nora: dict[str, str]


def programme(container: Container, ada_id: UUID) -> Programme:
    app = container.app
    icb = app.register_organisation(by=None, name="West Yorkshire ICB", kind="commissioner")
    trust = app.register_organisation(by=None, name="Leeds Teaching Hospitals", kind="provider")
    rival = app.register_organisation(by=None, name="York Trust", kind="provider")
    pat = app.register_person(by=None, name="Pat Provider", email="pat@example.org")
    rita = app.register_person(by=None, name="Rita Rival", email="rita@example.org")
    nora = app.register_person(by=None, name="Nora Nobody", email="nora@example.org")
    app.join_organisation(by=None, person_id=ada_id, organisation_id=icb.id)
    app.join_organisation(by=None, person_id=pat.id, organisation_id=trust.id)
    app.join_organisation(by=None, person_id=rita.id, organisation_id=rival.id)
    made = app.create_programme(
        by=None, title="Urgent care", description="", lead_commissioner_id=icb.id
    )
    for organisation in (trust, rival):
        app.add_participant(
            by=None, programme_id=made.id, organisation_id=organisation.id, role="provider"
        )
    return Programme(
        programme_id=str(made.id),
        icb_id=str(icb.id),
        trust_id=str(trust.id),
        rival_id=str(rival.id),
        ada_id=str(ada_id),
        pat_id=str(pat.id),
        pat=bearer(container, pat.id),
        rita=bearer(container, rita.id),
        nora=bearer(container, nora.id),
    )


def marker(label: str) -> str:
    """Text found nowhere else, so finding it anywhere is a leak."""
    return f"{label}-{uuid4().hex}"


def ok(
    client: Client, path: str, json: Any = None, status: int = 200, **kwargs: Any
) -> dict[str, Any]:
    response = client.post(path, json=json, **kwargs)
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    return body


def commitment(client: Client, p: Programme) -> dict[str, Any]:
    """A commitment of the trust to the ICB in the programme, accepted by the ICB."""
    made = ok(
        client,
        "/commitments",
        {
            "provider_id": p.trust_id,
            "commissioner_id": p.icb_id,
            "programme_id": p.programme_id,
            "what": "Ambulance handovers within 30 minutes",
            "measure": "95% monthly",
            "due_date": days(30),
        },
        status=201,
        headers=p.pat,
    )
    ok(client, f"/commitments/{made['id']}/accept")
    return made


def write_note(client: Client, p: Programme, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "subject_kind": "organisation",
        "subject_id": p.trust_id,
        "title": "Assessment of Leeds",
        "text": "Delivery risk is high",
    }
    body.update(overrides)
    return ok(client, f"/organisations/{p.icb_id}/confidential-notes", body, status=201)
