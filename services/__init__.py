"""Application services (one method per use case) and the entry points: HTTP API, CLI, tasks."""
