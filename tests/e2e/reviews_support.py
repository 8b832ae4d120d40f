"""Helpers for the review API tests: a programme whose board Ada sits on, and its reviews."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from infra.bootstrap import Container
from tests.e2e.support import Client, commissioner, create_programme, post_ok, register_person


@dataclass(frozen=True)
class Board:
    """A programme led by an ICB that Ada (the client) has joined, and Grace, in no organisation."""

    programme_id: str
    icb_id: str
    ada: str
    grace: str

    @property
    def path(self) -> str:
        return f"/programmes/{self.programme_id}"


def board(client: Client, container: Container, ada_id: UUID) -> Board:
    container.app.ensure_builtin_frameworks()
    icb = commissioner(client)
    post_ok(client, f"/people/{ada_id}/join", {"organisation_id": icb["id"]})
    programme = create_programme(client, icb["id"])
    grace = register_person(client)
    return Board(programme_id=programme["id"], icb_id=icb["id"], ada=str(ada_id), grace=grace["id"])


def rating(component: str = "measurement", value: float = 3, **extra: Any) -> dict[str, Any]:
    return {"component": component, "rating": value, **extra}


def action(owner: str, due_on: str = "2026-03-01", text: str = "Agree KPIs") -> dict[str, Any]:
    return {"description": text, "owner_id": owner, "due_on": due_on}


def review_body(at: Board, *ratings: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "reviewer_ids": [at.ada],
        "held_on": "2026-01-10",
        "ratings": list(ratings) or [rating(evidence=["Dashboard live"])],
        **extra,
    }


def record(client: Client, at: Board, *ratings: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return post_ok(client, f"{at.path}/reviews", review_body(at, *ratings, **extra), status=201)
