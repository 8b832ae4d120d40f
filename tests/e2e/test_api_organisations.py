"""Organisations through the HTTP API, on SQLite and PostgreSQL."""

from __future__ import annotations

from litestar.testing import TestClient


def test_registering_an_organisation_returns_it_with_its_version_as_etag(
    client: TestClient,
) -> None:
    response = client.post(
        "/organisations", json={"name": "Leeds Teaching Hospitals", "kind": "provider"}
    )

    assert response.status_code == 201
    assert response.headers["etag"] == '"1"'
    assert response.json()["status"] == "active"


def test_unknown_fields_are_refused_naming_the_field(client: TestClient) -> None:
    response = client.post(
        "/organisations", json={"name": "A", "kind": "provider", "colour": "blue"}
    )

    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["errors"][0]["field"] == "colour"
