"""The alignment operations of the API, by method and path (see test_api_operations)."""

OPERATIONS: dict[tuple[str, str], str] = {
    ("get", "/programmes/{programme_id}/alignment"): "getAlignmentDashboard",
}
