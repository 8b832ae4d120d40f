"""The portfolio operations of the API, by method and path (see test_api_operations)."""

OPERATIONS: dict[tuple[str, str], str] = {("get", "/portfolio"): "getPortfolio"}
