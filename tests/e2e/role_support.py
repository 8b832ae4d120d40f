"""A programme board made through the API, for the role endpoint tests."""

from __future__ import annotations

import itertools
from typing import Any
from uuid import UUID

from tests.e2e.support import (
    Client,
    commissioner,
    create_programme,
    post_ok,
    register_organisation,
    register_person,
)

_emails = itertools.count(1)


class Board:
    """An ICB-led programme with a trust taking part and a partner outside it.

    Ada (the token's person) is made a member of the ICB, so she may act on its roles.
    """

    def __init__(self, client: Client, ada_id: UUID) -> None:
        self.client = client
        self.ada = str(ada_id)
        self.icb = commissioner(client)["id"]
        self.trust = register_organisation(client, "Leeds Teaching Hospitals", "provider")["id"]
        self.outsider = register_organisation(client, "Outside Charity", "partner")["id"]
        self.programme = create_programme(client, self.icb)["id"]
        post_ok(
            client,
            f"/programmes/{self.programme}/participants",
            {"organisation_id": self.trust, "role": "provider"},
            status=201,
        )
        post_ok(client, f"/people/{self.ada}/join", {"organisation_id": self.icb})

    @property
    def roles_path(self) -> str:
        return f"/programmes/{self.programme}/roles"

    def member(self, organisation_id: str | None = None, name: str = "Grace") -> str:
        person = register_person(self.client, name, f"member{next(_emails)}@example.org")
        if organisation_id is not None:
            post_ok(
                self.client, f"/people/{person['id']}/join", {"organisation_id": organisation_id}
            )
        return str(person["id"])

    def role(self, kind: str = "sro", **extra: Any) -> dict[str, Any]:
        return post_ok(self.client, self.roles_path, {"kind": kind, **extra}, status=201)

    def held(self, kind: str = "sro", **extra: Any) -> tuple[str, str, str]:
        """A role with a holder and a deputy from the ICB: (role id, holder, deputy)."""
        role = self.role(kind, **extra)
        holder, deputy = self.member(self.icb, "Holder"), self.member(self.icb, "Deputy")
        post_ok(
            self.client,
            f"/roles/{role['id']}/assignment",
            {"holder_id": holder, "deputy_id": deputy},
        )
        return role["id"], holder, deputy

    def handover(self, role_id: str, to: str, **extra: Any) -> Any:
        body = {
            "to_person_id": to,
            "knowledge_items": ["stakeholder map"],
            "outgoing_reachable": True,
        }
        return self.client.post(f"/roles/{role_id}/handovers", json={**body, **extra})
