"""A programme board made through the API, for the decision endpoint tests.

Ada (the client's token) is a member of the provider trust; Grace, with her own token, is a
member of the lead commissioner. Eve belongs to an organisation outside the programme.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from infra.bootstrap import Container
from tests.e2e.support import (
    Client,
    commissioner,
    create_programme,
    post_ok,
    register_organisation,
)


def days_ago(days: float) -> str:
    return (datetime.now(UTC) - timedelta(days=days)).isoformat().replace("+00:00", "Z")


@dataclass
class Board:
    client: Client
    icb: dict[str, Any]
    trust: dict[str, Any]
    outsider: dict[str, Any]
    programme: dict[str, Any]
    workstream: dict[str, Any]
    grace: dict[str, str]
    eve: dict[str, str]

    @property
    def decisions(self) -> str:
        return f"/programmes/{self.programme['id']}/decisions"

    def propose(self, title: str = "Single point of access", **extra: Any) -> dict[str, Any]:
        body = {
            "title": title,
            "rationale": "Patients call four numbers today",
            "organisation_id": self.trust["id"],
            "occurred_at": days_ago(10),
            **extra,
        }
        return post_ok(self.client, self.decisions, body, status=201)

    def decided(self, title: str = "Single point of access", days: float = 5) -> dict[str, Any]:
        proposed = self.propose(title, occurred_at=days_ago(days + 5))
        return post_ok(
            self.client,
            f"/decisions/{proposed['id']}/take",
            {"authority": "Programme board", "occurred_at": days_ago(days)},
        )


def _token_for(container: Container, name: str, organisation_id: str) -> dict[str, str]:
    app = container.app
    member = app.register_person(by=None, name=name, email=f"{name.lower()}@example.org")
    app.join_organisation(by=None, person_id=member.id, organisation_id=UUID(organisation_id))
    secret, _ = app.issue_token(by=None, person_id=member.id, label="tests")
    return {"Authorization": f"Bearer {secret}"}


def board(client: Client, container: Container, ada_id: UUID) -> Board:
    icb = commissioner(client)
    trust = register_organisation(client, name="Leeds Teaching Hospitals")
    outsider = register_organisation(client, name="York Hospital")
    programme = create_programme(client, icb["id"])
    path = f"/programmes/{programme['id']}"
    post_ok(
        client, f"{path}/participants", {"organisation_id": trust["id"], "role": "provider"}, 201
    )
    programme = post_ok(client, f"{path}/workstreams", {"name": "Mental Health"}, 201)
    post_ok(client, f"/people/{ada_id}/join", {"organisation_id": trust["id"]})
    return Board(
        client=client,
        icb=icb,
        trust=trust,
        outsider=outsider,
        programme=programme,
        workstream=programme["workstreams"][0],
        grace=_token_for(container, "Grace", icb["id"]),
        eve=_token_for(container, "Eve", outsider["id"]),
    )
