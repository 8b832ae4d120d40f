"""The commitment tracker operations of the API, by method and path (see test_api_operations)."""

OPERATIONS: dict[tuple[str, str], str] = {
    ("get", "/organisations/{organisation_id}/commitment-tracker"): "getCommitmentTracker",
}
