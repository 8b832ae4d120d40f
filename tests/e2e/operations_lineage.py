"""The lineage operations of the API, by method and path (see test_api_operations)."""

OPERATIONS: dict[tuple[str, str], str] = {
    ("get", "/programmes/{programme_id}/decision-lineage"): "getDecisionLineage",
    ("get", "/decisions/{decision_id}/lineage"): "getDecisionChain",
}
