"""Small helpers for the API tests: making records through the API and checking problems."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any, TypeAlias

from httpx import Response
from litestar import Litestar
from litestar.testing import TestClient

Client: TypeAlias = TestClient[Litestar]

UNKNOWN_ID = "00000000-0000-4000-8000-000000000000"

_UTC_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$")


def register_organisation(
    client: Client, name: str = "Leeds Teaching Hospitals", kind: str = "provider", **extra: Any
) -> dict[str, Any]:
    response = client.post("/organisations", json={"name": name, "kind": kind, **extra})
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def register_person(
    client: Client, name: str = "Grace Hopper", email: str = "grace@example.org"
) -> dict[str, Any]:
    response = client.post("/people", json={"name": name, "email": email})
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def create_programme(
    client: Client, lead_commissioner_id: str, title: str = "Urgent care redesign", **extra: Any
) -> dict[str, Any]:
    response = client.post(
        "/programmes",
        json={"title": title, "lead_commissioner_id": lead_commissioner_id, **extra},
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def commissioner(client: Client, name: str = "West Yorkshire ICB") -> dict[str, Any]:
    return register_organisation(client, name=name, kind="commissioner")


def post_ok(client: Client, path: str, json: Any = None, status: int = 200) -> dict[str, Any]:
    response = client.post(path, json=json)
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    return body


def event_count(client: Client) -> int:
    """How many events the store holds, from the public health endpoint."""
    count: int = client.get("/health").json()["events"]
    return count


def history(client: Client, path: str) -> list[dict[str, Any]]:
    response = client.get(f"{path}/history")
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


def assert_problem(
    response: Response, status: int, *, field: str | None = None, detail: str | None = None
) -> dict[str, Any]:
    """The response is an RFC 9457 problem with this status (and this field, for 422s)."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert isinstance(body["title"], str)
    assert body["title"]
    assert isinstance(body["detail"], str)
    assert body["detail"]
    assert isinstance(body["type"], str)
    if field is not None:
        assert body["errors"][0]["field"] == field, body
    if detail is not None:
        assert detail in body["detail"], body
    return body


def assert_utc_iso(value: Any) -> None:
    """A UTC ISO 8601 timestamp ending in Z."""
    assert isinstance(value, str)
    assert _UTC_ISO.match(value), value
    assert datetime.fromisoformat(value).utcoffset() == UTC.utcoffset(None)
