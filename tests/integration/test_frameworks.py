"""Framework versions registered as data, against real stores (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest

from domain.errors import RuleViolation
from domain.framework import ChangeFramework, framework_id
from infra.bootstrap import Container
from projections.reviews_queries import ReviewQueries
from tests.integration.support import head, names_after

COMPONENTS = [
    {"key": "shared_purpose", "label": "Why we are here", "side": "centre"},
    {"key": "co_production", "label": "Co-production", "side": "soft"},
]


def test_ensuring_the_builtin_frameworks_registers_the_2012_and_2018_versions(
    container: Container,
) -> None:
    before = head(container)

    registered = container.app.ensure_builtin_frameworks()

    assert [f.key for f in registered] == ["nhs-change-model-2012", "nhs-change-model-2018"]
    assert names_after(container, before) == ["ChangeFramework.Registered"] * 2
    history = container.app.history(ChangeFramework, framework_id("nhs-change-model-2018"))
    assert history[0].actor_id is None


def test_ensuring_the_builtin_frameworks_again_records_nothing(container: Container) -> None:
    container.app.ensure_builtin_frameworks()
    before = head(container)

    assert container.app.ensure_builtin_frameworks() == []
    assert head(container) == before


def test_ensuring_registers_only_the_builtin_versions_still_missing(container: Container) -> None:
    container.app.register_framework(
        by=None,
        key="nhs-change-model-2012",
        title="NHS Change Model (2012)",
        components=[{"key": "leadership", "label": "Leadership for change", "side": "soft"}],
    )

    registered = container.app.ensure_builtin_frameworks()

    assert [f.key for f in registered] == ["nhs-change-model-2018"]


def test_registering_a_new_version_needs_no_code_and_the_view_lists_it_with_its_components(
    container: Container,
) -> None:
    framework, created = container.app.register_framework(
        by=None, key="local-model-2026", title="Our local model", components=COMPONENTS
    )
    container.catch_up()

    page = ReviewQueries(container.views).list_frameworks(limit=10, offset=0)

    assert created
    assert framework.id == framework_id("local-model-2026")
    assert [(row["framework_key"], row["title"], row["version"]) for row in page.items] == [
        ("local-model-2026", "Our local model", 1)
    ]
    assert page.items[0]["components"] == COMPONENTS


def test_registering_the_identical_definition_again_changes_nothing(container: Container) -> None:
    container.app.register_framework(
        by=None, key="local-model-2026", title="Our local model", components=COMPONENTS
    )
    before = head(container)

    framework, created = container.app.register_framework(
        by=None, key="local-model-2026", title=" Our local model ", components=COMPONENTS
    )

    assert not created
    assert framework.version == 1
    assert head(container) == before


def test_registering_a_different_definition_under_a_registered_key_is_refused(
    container: Container,
) -> None:
    container.app.register_framework(
        by=None, key="local-model-2026", title="Our local model", components=COMPONENTS
    )
    before = head(container)

    with pytest.raises(RuleViolation) as refused:
        container.app.register_framework(
            by=None, key="local-model-2026", title="Our local model", components=COMPONENTS[:1]
        )

    assert "different definition" in refused.value.message
    assert head(container) == before
