"""The OpenAPI document declares the problem-details answers of each operation."""

from __future__ import annotations

from typing import Any

from tests.e2e.support import UNKNOWN_ID, Client, assert_problem

PROBLEM = {"$ref": "#/components/schemas/Problem"}


def operation(client: Client, method: str, path: str) -> dict[str, Any]:
    document: dict[str, Any] = client.get("/schema/openapi.json").json()
    found: dict[str, Any] = document["paths"][path][method]
    return found


def problem_statuses(op: dict[str, Any]) -> set[str]:
    return {
        status
        for status, response in op["responses"].items()
        if response.get("content", {}).get("application/problem+json", {}).get("schema") == PROBLEM
    }


def test_a_write_with_a_body_and_a_path_id_declares_every_problem_it_can_answer(
    client: Client,
) -> None:
    rename = operation(client, "post", "/organisations/{organisation_id}/rename")

    assert problem_statuses(rename) == {"400", "401", "403", "404", "409", "413", "422", "503"}
    assert set(rename["responses"]) == problem_statuses(rename) | {"200"}


def test_a_read_declares_no_write_problems(client: Client) -> None:
    read = operation(client, "get", "/organisations/{organisation_id}")

    assert problem_statuses(read) == {"400", "401", "404", "422", "503"}


def test_a_read_the_access_policy_may_refuse_declares_403(client: Client) -> None:
    tracker = operation(client, "get", "/organisations/{organisation_id}/commitment-tracker")

    assert "403" in problem_statuses(tracker)


def test_a_read_without_inputs_declares_only_authentication_and_availability(
    client: Client,
) -> None:
    assert problem_statuses(operation(client, "get", "/people/me")) == {"401", "503"}


def test_the_public_health_check_declares_no_authentication_problem(client: Client) -> None:
    assert problem_statuses(operation(client, "get", "/health")) == {"503"}


def test_a_filter_naming_a_record_declares_404(client: Client) -> None:
    listed = operation(client, "get", "/alerts")

    assert "404" in problem_statuses(listed)
    assert_problem(client.get("/alerts", params={"programme_id": UNKNOWN_ID}), 404)


def test_the_problem_schema_requires_the_rfc_9457_members(client: Client) -> None:
    document = client.get("/schema/openapi.json").json()
    problem = document["components"]["schemas"]["Problem"]

    assert set(problem["required"]) == {"type", "title", "status", "detail"}
    assert "errors" in problem["properties"]


def test_no_operation_documents_litestar_s_own_error_shape(client: Client) -> None:
    text = client.get("/schema/openapi.json").text

    assert '"status_code"' not in text
