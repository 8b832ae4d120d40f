"""Schemathesis against the app's own OpenAPI document, on a seeded store, on both stores.

Every operation gets generated requests, valid and invalid, aimed at real records: the path
ids come from the seed most of the time. Each answer must be no server error, a documented
status code, a documented content type, and a body (and headers) that conform to the schema.
Bounded and deterministic: a derandomised run with a small number of examples per operation,
so a failure found once is found again.

The run goes through schemathesis's engine (what its CLI runs), in-process over ASGI: its
pytest plugin's lazy loader does not work with pytest 9.2, whose test nodes no longer keep a
``_nodeid`` attribute to rename.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from schemathesis.config import SchemathesisConfig
from schemathesis.engine import Status, from_schema
from schemathesis.engine.events import (
    EngineFinished,
    FatalError,
    NonFatalError,
    ScenarioFinished,
)
from schemathesis.python import asgi

from infra.bootstrap import Container
from services.api.app import create_app
from tests.e2e.fuzz_support import Seeded, seed

CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
    "ignored_auth",
    "unsupported_method",
)
#: Examples per operation in the fuzzing phase, by store. The coverage phase, whose boundary
#: cases (and unexpected methods) are most of the run, is whole on both stores. A request
#: costs PostgreSQL about twice what it costs SQLite, so PostgreSQL gets half the examples,
#: from its own seed: together the two runs try 15 inputs per operation, not the same 10
#: twice. Every operation still gets examples on both (at 5, as at 10, all 103 did).
EXAMPLES = {"sqlite": 10, "postgres": 5}
#: How often a path parameter takes a seeded record's id rather than a generated value.
REAL_ID_PROBABILITY = 0.9
#: A fixed seed per store: the same requests on every run.
SEEDS = {"sqlite": 20261206, "postgres": 20261207}


@pytest.fixture
def seeded(container: Container) -> Seeded:
    return seed(container)


@pytest.fixture
def fuzz_token(container: Container, seeded: Seeded) -> str:
    """Whose credentials the fuzzer sends: re-point here to fuzz as another role."""
    secret, _ = container.app.issue_token(by=None, person_id=seeded.actor_id, label="fuzz")
    return secret


def fuzz_config(seeded: Seeded, token: str, store: str) -> SchemathesisConfig:
    return SchemathesisConfig.from_dict(
        {
            "seed": SEEDS[store],
            "workers": 1,
            # Its cache replays what earlier runs observed: runs would differ, and it writes
            # into the work tree.
            "cache": {"enabled": False},
            "headers": {"Authorization": f"Bearer {token}"},
            "generation": {
                "max-examples": EXAMPLES[store],
                "deterministic": True,
                "database": "none",
                "mode": "all",
            },
            "checks": {"enabled": False, **{name: {"enabled": True} for name in CHECKS}},
            "dictionaries": {
                name: {"values": values} for name, values in seeded.path_values.items()
            },
            "parameters": {
                f"path.{name}": {"dictionary": name, "probability": REAL_ID_PROBABILITY}
                for name in seeded.path_values
            },
        }
    )


@pytest.fixture
def api_schema(container: Container, seeded: Seeded, fuzz_token: str) -> Iterator[Any]:
    app = create_app(container)
    store = "postgres" if container.settings.database.is_postgres else "sqlite"
    config = fuzz_config(seeded, fuzz_token, store)
    yield schemathesis.openapi.from_asgi("/schema/openapi.json", app, config=config)
    # The ASGI transport keeps each app's lifespan running until told otherwise.
    asgi.shutdown_lifespans()


def test_every_operation_answers_generated_requests_as_its_schema_says(api_schema: Any) -> None:
    problems: list[str] = []
    operations: set[str] = set()
    finished: EngineFinished | None = None
    for event in from_schema(api_schema).execute():
        if isinstance(event, ScenarioFinished):
            if event.label:
                operations.add(event.label)
            if event.status in (Status.FAILURE, Status.ERROR):
                problems.extend(_failures(event))
        elif isinstance(event, NonFatalError):
            problems.append(f"{event.label}: error {event.info.format()}")
        elif isinstance(event, FatalError):
            problems.append(f"fatal: {event.exception!r}")
        elif isinstance(event, EngineFinished):
            finished = event

    assert finished is not None
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)
    assert len(operations) >= 80, sorted(operations)


def _failures(event: ScenarioFinished) -> list[str]:
    found = []
    for case_id, checks in event.recorder.checks.items():
        for check in checks:
            if check.failure_info is None:
                continue
            failure = check.failure_info.failure
            interaction = event.recorder.interactions.get(case_id)
            status = (
                interaction.response.status_code if interaction and interaction.response else None
            )
            sample = check.failure_info.code_sample[:600]
            found.append(
                f"- {event.label} [{event.phase.value}] {check.name} -> {status}: "
                f"{failure.title}: {failure.message[:400]}\n    {sample}"
            )
    return found
