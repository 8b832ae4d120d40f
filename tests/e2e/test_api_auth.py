"""Bearer-token authentication: every API request except health and the schema is a person's."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID

import pytest
from httpx import Response

from domain.api_token import ApiToken, new_secret, token_id_for
from infra.bootstrap import Container
from tests.e2e.support import Client, assert_problem, event_count

CHALLENGE = 'Bearer realm="changeledger"'


def assert_challenged(response: Response, detail: str) -> None:
    assert_problem(response, 401, detail=detail)
    assert response.headers["www-authenticate"] == CHALLENGE


def test_a_request_without_a_token_is_refused_with_401_and_a_challenge(
    anonymous: Client,
) -> None:
    assert_challenged(anonymous.get("/organisations"), detail="Bearer")


def test_a_request_with_another_authorisation_scheme_is_refused_with_401(
    anonymous: Client,
) -> None:
    response = anonymous.get("/organisations", headers={"Authorization": "Basic YWRhOnNlY3JldA=="})

    assert_challenged(response, detail="Bearer")


def test_a_request_with_an_empty_bearer_token_is_refused_with_401(anonymous: Client) -> None:
    response = anonymous.get("/organisations", headers={"Authorization": "Bearer   "})

    assert_challenged(response, detail="Bearer")


def test_a_request_with_a_wrong_token_is_refused_with_401(anonymous: Client) -> None:
    response = anonymous.get("/organisations", headers={"Authorization": f"Bearer {new_secret()}"})

    assert_challenged(response, detail="not recognised")


def test_a_request_with_a_revoked_token_is_refused_with_401(
    anonymous: Client, container: Container, token: str
) -> None:
    container.app.revoke_token(by=None, token_id=token_id_for(token))

    response = anonymous.get("/people/me", headers={"Authorization": f"Bearer {token}"})

    assert_challenged(response, detail="revoked")


def test_a_request_with_an_expired_token_is_refused_with_401(
    anonymous: Client, container: Container, ada_id: UUID
) -> None:
    secret = new_secret()
    yesterday = datetime.now(UTC) - timedelta(days=1)
    # The application refuses to issue a token that has already expired, so record one
    # that expired yesterday straight into the log, as if it had been issued a week ago.
    container.app.save(ApiToken.issue(secret, ada_id, "old laptop", yesterday))

    response = anonymous.get("/people/me", headers={"Authorization": f"Bearer {secret}"})

    assert_challenged(response, detail="expired")


def test_a_token_that_expires_later_still_works(
    anonymous: Client, container: Container, ada_id: UUID
) -> None:
    tomorrow = datetime.now(UTC) + timedelta(days=1)
    secret, _ = container.app.issue_token(
        by=None, person_id=ada_id, label="laptop", expires_at=tomorrow
    )

    response = anonymous.get("/people/me", headers={"Authorization": f"Bearer {secret}"})

    assert response.status_code == 200
    assert response.json()["id"] == str(ada_id)


def test_the_bearer_scheme_is_matched_without_regard_to_case(anonymous: Client, token: str) -> None:
    response = anonymous.get("/people/me", headers={"Authorization": f"bearer {token}"})

    assert response.status_code == 200


def test_a_write_without_a_token_records_nothing(anonymous: Client) -> None:
    before = event_count(anonymous)

    response = anonymous.post("/organisations", json={"name": "Leeds", "kind": "provider"})

    assert_problem(response, 401)
    assert event_count(anonymous) == before


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/organisations"),
        ("POST", "/organisations"),
        ("GET", "/people"),
        ("GET", "/people/me"),
        ("POST", "/people"),
        ("GET", "/programmes"),
        ("POST", "/programmes"),
        ("PATCH", "/programmes/00000000-0000-4000-8000-000000000000"),
        ("DELETE", "/programmes/00000000-0000-4000-8000-000000000000/participants/x"),
    ],
)
def test_every_api_endpoint_needs_a_token(anonymous: Client, method: str, path: str) -> None:
    response = anonymous.request(method, path, json={})

    assert_challenged(response, detail="Bearer")


def test_health_needs_no_token(anonymous: Client) -> None:
    assert anonymous.get("/health").status_code == 200


def test_the_schema_needs_no_token(anonymous: Client) -> None:
    assert anonymous.get("/schema/openapi.json").status_code == 200
