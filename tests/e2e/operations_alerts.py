"""The alerts operations of the API, by method and path (see test_api_operations)."""

OPERATIONS: dict[tuple[str, str], str] = {
    ("get", "/alerts"): "listAlerts",
    ("get", "/alerts/{alert_id}"): "getAlert",
    ("get", "/alerts/{alert_id}/history"): "alertHistory",
}
