"""A seeded store for fuzzing: records of every kind, and the real ids the fuzzer aims at.

Re-pointable on purpose: ``seed`` fills any container (the fixtures give SQLite and
PostgreSQL) and answers which real ids each path parameter may take; whoever calls the API is
chosen by the token fixture in the test module, not here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from litestar.testing import TestClient

from infra.bootstrap import Container
from services.api.app import create_app
from services.jobs import run_jobs
from services.walkthrough import HELEN, ensure_people, seed_in_process

#: The story's id names by the path parameter that takes them ("uec" is a programme, ...).
_PREFIXES = {
    "programme_id": ("uec", "cmh"),
    "organisation_id": ("icb", "acute", "mh"),
    "decision_id": ("decision_",),
    "role_id": ("role_",),
    "review_id": ("review_",),
    "commitment_id": ("commitment_",),
}


@dataclass(frozen=True)
class Seeded:
    #: Real values for each path parameter, by its name in the OpenAPI document.
    path_values: dict[str, list[str | int]]
    #: The person the fuzzer acts as: the urgent-care programme's senior responsible owner.
    actor_id: UUID


def seed(container: Container) -> Seeded:
    """The walkthrough's two programmes, recorded through the API, plus the alerts the jobs
    raise on them: organisations, people, programmes, shared purposes, decisions, roles,
    frameworks, reviews, commitments and alerts all exist."""
    story_ids, _ = seed_in_process(container, lambda line: None)
    run_jobs(container)
    people = ensure_people(container.app)
    values: dict[str, list[str | int]] = {
        name: [value for key, value in story_ids.items() if key.startswith(prefixes)]
        for name, prefixes in _PREFIXES.items()
    }
    values["person_id"] = [str(person_id) for person_id in people.values()]
    secret, _ = container.app.issue_token(by=None, person_id=people[HELEN], label="seed")
    with TestClient(app=create_app(container)) as client:
        client.headers["Authorization"] = f"Bearer {secret}"
        values["key"] = [item["key"] for item in _items(client, "/frameworks")]
        values["alert_id"] = [item["id"] for item in _items(client, "/alerts")]
    # Review actions and shared-purpose versions are numbered from 0 and 1.
    values["index"] = [0, 1, 2]
    values["number"] = [1, 2, 3]
    empty = [name for name, found in values.items() if not found]
    assert not empty, f"the seed made no record for {empty}"
    return Seeded(path_values=values, actor_id=people[HELEN])


def _items(client: TestClient[Any], path: str) -> list[dict[str, Any]]:
    response = client.get(path, params={"limit": 200})
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items
