"""The resilience operations of the API, by method and path (see test_api_operations)."""

OPERATIONS: dict[tuple[str, str], str] = {
    ("get", "/programmes/{programme_id}/resilience"): "getResilienceReport",
    ("get", "/resilience"): "getPortfolioResilience",
    ("get", "/programmes/{programme_id}/offboarding-impact"): "getOffboardingImpact",
}
