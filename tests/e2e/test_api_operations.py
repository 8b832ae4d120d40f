"""Health and the OpenAPI schema."""

from __future__ import annotations

from typing import Any

from litestar import Litestar
from litestar.routes import HTTPRoute

from tests.e2e import (
    operations_alerts,
    operations_alignment,
    operations_commitment_tracker,
    operations_lineage,
    operations_portfolio,
    operations_resilience,
)
from tests.e2e.support import Client, register_organisation

# Every operation of the API, by method and path. A new endpoint must be added here (the
# reports' operations are listed in their own modules, tests/e2e/operations_*.py).
CORE_OPERATIONS = {
    ("get", "/health"): "health",
    ("get", "/organisations"): "listOrganisations",
    ("post", "/organisations"): "registerOrganisation",
    ("get", "/organisations/{organisation_id}"): "getOrganisation",
    ("get", "/organisations/{organisation_id}/history"): "organisationHistory",
    ("post", "/organisations/{organisation_id}/rename"): "renameOrganisation",
    ("post", "/organisations/{organisation_id}/merge"): "mergeOrganisation",
    ("post", "/organisations/{organisation_id}/dissolve"): "dissolveOrganisation",
    ("get", "/people"): "listPeople",
    ("post", "/people"): "registerPerson",
    ("get", "/people/me"): "getMe",
    ("get", "/people/{person_id}"): "getPerson",
    ("get", "/people/{person_id}/history"): "personHistory",
    ("post", "/people/{person_id}/join"): "joinOrganisation",
    ("post", "/people/{person_id}/leave"): "leaveOrganisation",
    ("put", "/people/{person_id}/about"): "setPersonAbout",
    ("post", "/people/{person_id}/erasure"): "erasePerson",
    ("post", "/people/me/password"): "changeMyPassword",
    ("get", "/programmes"): "listProgrammes",
    ("post", "/programmes"): "createProgramme",
    ("get", "/programmes/{programme_id}"): "getProgramme",
    ("patch", "/programmes/{programme_id}"): "updateProgramme",
    ("get", "/programmes/{programme_id}/history"): "programmeHistory",
    ("post", "/programmes/{programme_id}/participants"): "addParticipant",
    (
        "delete",
        "/programmes/{programme_id}/participants/{organisation_id}",
    ): "removeParticipant",
    ("post", "/programmes/{programme_id}/workstreams"): "addWorkstream",
    # Shared purpose
    ("post", "/programmes/{programme_id}/shared-purpose"): "draftSharedPurpose",
    ("get", "/programmes/{programme_id}/shared-purpose"): "getSharedPurpose",
    ("post", "/programmes/{programme_id}/shared-purpose/revisions"): "reviseSharedPurpose",
    ("post", "/programmes/{programme_id}/shared-purpose/endorsements"): "endorseSharedPurpose",
    ("post", "/programmes/{programme_id}/shared-purpose/disputes"): "disputeSharedPurpose",
    ("post", "/programmes/{programme_id}/shared-purpose/adoptions"): "adoptSharedPurpose",
    (
        "get",
        "/programmes/{programme_id}/shared-purpose/versions/{number}",
    ): "getSharedPurposeVersion",
    ("get", "/programmes/{programme_id}/shared-purpose/history"): "sharedPurposeHistory",
    ("get", "/shared-purposes"): "listSharedPurposes",
    # Decisions
    ("post", "/programmes/{programme_id}/decisions"): "proposeDecision",
    ("get", "/programmes/{programme_id}/decisions"): "listDecisions",
    ("get", "/decisions/{decision_id}"): "getDecision",
    ("get", "/decisions/{decision_id}/history"): "decisionHistory",
    ("post", "/decisions/{decision_id}/consultations"): "consultOnDecision",
    ("post", "/decisions/{decision_id}/responses"): "respondToDecision",
    ("post", "/decisions/{decision_id}/take"): "takeDecision",
    ("post", "/decisions/{decision_id}/amendments"): "amendDecision",
    ("post", "/decisions/{decision_id}/supersede"): "supersedeDecision",
    ("post", "/decisions/{decision_id}/revoke"): "revokeDecision",
    # Roles
    ("post", "/programmes/{programme_id}/roles"): "defineRole",
    ("get", "/programmes/{programme_id}/roles"): "listProgrammeRoles",
    ("get", "/people/{person_id}/roles"): "listPersonRoles",
    ("get", "/roles/{role_id}"): "getRole",
    ("get", "/roles/{role_id}/history"): "roleHistory",
    ("post", "/roles/{role_id}/assignment"): "assignRole",
    ("post", "/roles/{role_id}/vacate"): "vacateRole",
    ("post", "/roles/{role_id}/handovers"): "handOverRole",
    ("post", "/roles/{role_id}/critical"): "setRoleCritical",
    # Frameworks and reviews
    ("get", "/frameworks"): "listFrameworks",
    ("post", "/frameworks"): "registerFramework",
    ("get", "/frameworks/{key}"): "getFramework",
    ("get", "/frameworks/{key}/history"): "frameworkHistory",
    ("get", "/programmes/{programme_id}/framework"): "getProgrammeFramework",
    ("put", "/programmes/{programme_id}/framework"): "setProgrammeFramework",
    ("get", "/programmes/{programme_id}/framework/history"): "programmeFrameworkHistory",
    ("get", "/programmes/{programme_id}/components"): "programmeComponents",
    ("get", "/programmes/{programme_id}/reviews"): "listReviews",
    ("post", "/programmes/{programme_id}/reviews"): "recordReview",
    ("get", "/reviews/{review_id}"): "getReview",
    ("get", "/reviews/{review_id}/history"): "reviewHistory",
    ("post", "/reviews/{review_id}/actions/{index}/complete"): "completeReviewAction",
    # Commitments
    ("post", "/commitments"): "makeCommitment",
    ("get", "/commitments"): "listCommitments",
    ("get", "/commitments/{commitment_id}"): "getCommitment",
    ("get", "/commitments/{commitment_id}/history"): "commitmentHistory",
    ("post", "/commitments/{commitment_id}/accept"): "acceptCommitment",
    ("post", "/commitments/{commitment_id}/progress"): "recordCommitmentProgress",
    ("post", "/commitments/{commitment_id}/at-risk"): "flagCommitmentAtRisk",
    ("post", "/commitments/{commitment_id}/deliver"): "deliverCommitment",
    ("post", "/commitments/{commitment_id}/missed"): "recordCommitmentMissed",
    ("post", "/commitments/{commitment_id}/renegotiate"): "renegotiateCommitment",
    ("post", "/commitments/{commitment_id}/withdraw"): "withdrawCommitment",
    # Administration
    ("get", "/administrators"): "listAdministrators",
    ("post", "/administrators"): "grantAdministrator",
    ("delete", "/administrators/{person_id}"): "revokeAdministrator",
    ("post", "/programmes/{programme_id}/auditors"): "appointAuditor",
    ("delete", "/programmes/{programme_id}/auditors/{person_id}"): "removeAuditor",
    ("get", "/people/{person_id}/tokens"): "listPersonTokens",
    ("post", "/people/{person_id}/tokens"): "issueToken",
    ("post", "/tokens/{token_id}/revoke"): "revokeToken",
    # Organisation-confidential notes
    ("post", "/organisations/{organisation_id}/confidential-notes"): "writeConfidentialNote",
    ("get", "/organisations/{organisation_id}/confidential-notes"): "listConfidentialNotes",
    ("get", "/confidential-notes/{note_id}"): "getConfidentialNote",
    ("get", "/confidential-notes/{note_id}/history"): "confidentialNoteHistory",
    ("post", "/confidential-notes/{note_id}/revise"): "reviseConfidentialNote",
    ("post", "/confidential-notes/{note_id}/withdraw"): "withdrawConfidentialNote",
}
# The browser sign-in pages: HTML forms, not API operations, so not in the schema (ADR 11).
PAGES = {("get", "/"), ("get", "/login"), ("post", "/login"), ("post", "/logout")}
OPERATIONS = {
    **CORE_OPERATIONS,
    **operations_alignment.OPERATIONS,
    **operations_commitment_tracker.OPERATIONS,
    **operations_lineage.OPERATIONS,
    **operations_resilience.OPERATIONS,
    **operations_portfolio.OPERATIONS,
    **operations_alerts.OPERATIONS,
}


def openapi(client: Client) -> dict[str, Any]:
    response = client.get("/schema/openapi.json")
    assert response.status_code == 200
    document: dict[str, Any] = response.json()
    return document


def operations(document: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {
        (method, path): operation
        for path, item in document["paths"].items()
        for method, operation in item.items()
    }


def test_health_answers_ok_with_the_number_of_events(client: Client) -> None:
    before = client.get("/health")
    register_organisation(client)
    after = client.get("/health")

    assert before.status_code == 200
    assert before.json()["status"] == "ok"
    assert after.json()["events"] == before.json()["events"] + 1


def test_the_schema_lists_every_operation_with_its_operation_id(client: Client) -> None:
    documented = operations(openapi(client))

    assert {key: op["operationId"] for key, op in documented.items()} == OPERATIONS


def test_the_schema_lists_every_route_the_app_serves(client: Client) -> None:
    app = client.app
    assert isinstance(app, Litestar)
    served = {
        (method.lower(), route.path_format)
        for route in app.routes
        # The pages under /web and their static files are HTML, not API operations (ADR 14).
        if isinstance(route, HTTPRoute)
        and not route.path.startswith(("/schema", "/docs-assets", "/web/", "/static"))
        for method in route.methods - {"HEAD", "OPTIONS"}
    }

    assert served == set(operations(openapi(client))) | PAGES


def test_the_schema_describes_every_operation(client: Client) -> None:
    for key, operation in operations(openapi(client)).items():
        assert operation.get("description"), key


def test_the_schema_declares_bearer_security_for_the_whole_api(client: Client) -> None:
    document = openapi(client)

    assert document["components"]["securitySchemes"]["bearer"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "API token",
    }
    assert document["security"] == [{"bearer": []}]


def test_the_schema_marks_health_as_public(client: Client) -> None:
    health = openapi(client)["paths"]["/health"]["get"]

    assert health["security"] == [{}]


def test_the_schema_documents_if_match_and_idempotency_key_on_writes(client: Client) -> None:
    rename = openapi(client)["paths"]["/organisations/{organisation_id}/rename"]["post"]

    headers = {p["name"] for p in rename["parameters"] if p["in"] == "header"}
    assert headers == {"If-Match", "Idempotency-Key"}


def test_the_schema_documents_path_ids_as_path_parameters(client: Client) -> None:
    read = openapi(client)["paths"]["/organisations/{organisation_id}"]["get"]

    assert [(p["name"], p["in"], p["required"]) for p in read["parameters"]] == [
        ("organisation_id", "path", True)
    ]


def test_the_schema_documents_the_status_each_write_answers_with(client: Client) -> None:
    documented = operations(openapi(client))

    assert "200" in documented[("post", "/organisations/{organisation_id}/rename")]["responses"]
    assert "201" in documented[("post", "/organisations")]["responses"]


def test_the_schema_documents_the_length_limits_of_request_fields(client: Client) -> None:
    schemas = openapi(client)["components"]["schemas"]

    assert schemas["OrganisationCreate"]["properties"]["name"]["maxLength"] == 200
    assert schemas["PersonCreate"]["properties"]["email"]["maxLength"] == 254
    assert schemas["ProgrammeCreate"]["properties"]["description"]["maxLength"] == 5000


def test_the_schema_has_a_browsable_page(client: Client) -> None:
    response = client.get("/schema")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")


def test_the_docs_page_loads_nothing_from_other_hosts(anonymous: Client) -> None:
    page = anonymous.get("/schema").text

    assert "swagger-ui-bundle.js" in page
    assert "http://" not in page
    assert "https://" not in page


def test_the_docs_scripts_are_served_locally_without_a_token(anonymous: Client) -> None:
    for asset in ("swagger-ui-bundle.js", "swagger-ui-standalone-preset.js", "swagger-ui.css"):
        response = anonymous.get(f"/docs-assets/{asset}")

        assert response.status_code == 200, asset
        assert len(response.content) > 10_000, asset
