"""Change frameworks as data, and a programme's framework settings, in memory."""

from __future__ import annotations

from typing import Any

import pytest

from domain.errors import InvalidValue, RuleViolation
from domain.framework import (
    DEFAULT_REVIEW_INTERVAL_DAYS,
    ChangeFramework,
    ComponentSide,
    ProgrammeFramework,
    framework_id,
    programme_framework_id,
)
from domain.programme import Programme
from domain.values import CHANGE_MODEL_KEYS
from infra.frameworks import builtin_framework, builtin_frameworks
from tests.unit.support import organisation, pending, recorded

COMPONENTS = [
    {"key": "shared_purpose", "label": "Our shared purpose", "side": "centre"},
    {"key": "leadership", "label": "Leadership by all", "side": "soft"},
    {"key": "measurement", "label": "Measurement", "side": "hard"},
]


def framework(key: str = "test-model-1", components: list[dict[str, Any]] | None = None) -> Any:
    made = ChangeFramework.define(
        key, "Test model", COMPONENTS if components is None else components
    )
    made.collect_events()
    return made


def programme() -> Programme:
    made = Programme.create("Urgent Care", "", organisation("commissioner", "ICB"))
    made.collect_events()
    return made


def with_component(**changes: Any) -> list[dict[str, Any]]:
    return [{**COMPONENTS[0], **changes}, *COMPONENTS[1:]]


# Defining a framework version


def test_defining_a_framework_records_its_key_title_and_components_in_order() -> None:
    made = ChangeFramework.define(" test-model-1 ", " Test model ", COMPONENTS)

    events = pending(made)
    assert [type(e).__name__ for e in events] == ["Registered"]
    assert (events[0].key, events[0].title, events[0].components) == (
        "test-model-1",
        "Test model",
        COMPONENTS,
    )
    assert made.component_keys == ["shared_purpose", "leadership", "measurement"]
    assert made.components[2].side is ComponentSide.HARD


def test_a_framework_id_derives_from_its_key() -> None:
    made = framework("test-model-1")

    assert made.id == framework_id("test-model-1")
    assert framework_id("test-model-1") != framework_id("test-model-2")


@pytest.mark.parametrize("key", ["", "Has Space", "UPPER", "-leading", "trailing-", "a" * 65])
def test_a_malformed_framework_key_is_refused_naming_key(key: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        ChangeFramework.define(key, "Title", COMPONENTS)

    assert refused.value.field == "key"


def test_an_empty_title_is_refused_naming_title() -> None:
    with pytest.raises(InvalidValue) as refused:
        ChangeFramework.define("test-model", "  ", COMPONENTS)

    assert refused.value.field == "title"


def test_a_framework_without_components_is_refused_naming_components() -> None:
    with pytest.raises(InvalidValue) as refused:
        ChangeFramework.define("test-model", "Title", [])

    assert refused.value.field == "components"


def test_a_component_key_listed_twice_is_refused_naming_the_second() -> None:
    with pytest.raises(InvalidValue) as refused:
        ChangeFramework.define("test-model", "Title", [*COMPONENTS, COMPONENTS[1]])

    assert refused.value.field == "components[3].key"
    assert "more than once" in refused.value.reason


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"side": "middle"}, "components[0].side"),
        ({"label": " "}, "components[0].label"),
        ({"key": "Shared Purpose"}, "components[0].key"),
        ({"key": None}, "components[0].key"),
        ({"colour": "blue"}, "components[0].colour"),
    ],
)
def test_a_malformed_component_is_refused_naming_its_field(
    changes: dict[str, Any], field: str
) -> None:
    with pytest.raises(InvalidValue) as refused:
        ChangeFramework.define("test-model", "Title", with_component(**changes))

    assert refused.value.field == field


def test_a_framework_may_have_components_beyond_the_nhs_change_model() -> None:
    made = framework(
        components=[{"key": "co_production", "label": "Co-production", "side": "soft"}]
    )

    assert made.component_keys == ["co_production"]


def test_the_same_definition_is_accepted_as_already_registered() -> None:
    framework().check_same_definition(framework())


def test_a_different_definition_under_the_same_key_is_a_rule_violation_saying_why() -> None:
    registered = framework()
    other = framework(components=with_component(label="Why we are here"))

    with pytest.raises(RuleViolation) as refused:
        registered.check_same_definition(other)

    assert "new key" in refused.value.message


def test_checking_an_unknown_component_names_the_field_and_the_known_ones() -> None:
    with pytest.raises(InvalidValue) as refused:
        framework().check_component("ratings[0].component", "spread")

    assert refused.value.field == "ratings[0].component"
    assert "measurement" in refused.value.reason


# The shipped framework versions


def test_the_nhs_change_model_ships_in_its_2012_and_2018_versions() -> None:
    keys = [definition["key"] for definition in builtin_frameworks()]

    assert keys == ["nhs-change-model-2012", "nhs-change-model-2018"]


@pytest.mark.parametrize("key", ["nhs-change-model-2012", "nhs-change-model-2018"])
def test_each_shipped_version_has_the_eight_change_model_components(key: str) -> None:
    definition = builtin_framework(key)
    assert definition is not None

    made = ChangeFramework.define(definition["key"], definition["title"], definition["components"])

    assert tuple(made.component_keys) == CHANGE_MODEL_KEYS
    assert made.components[0].side is ComponentSide.CENTRE
    sides = {c.key: c.side.value for c in made.components}
    assert [k for k, side in sides.items() if side == "soft"] == ["leadership", "engagement"]


def test_the_2018_version_renames_components_the_2012_version_named_otherwise() -> None:
    old, new = (builtin_framework(f"nhs-change-model-{year}") for year in (2012, 2018))
    assert old is not None
    assert new is not None

    labels = {
        c["key"]: (c["label"], n["label"])
        for c, n in zip(old["components"], new["components"], strict=True)
    }

    assert labels["leadership"] == ("Leadership for change", "Leadership by all")
    assert labels["delivery"] == ("Rigorous delivery", "Project and performance management")
    assert labels["system_drivers"] == ("System drivers", "System drivers")


def test_an_unknown_shipped_key_has_no_definition() -> None:
    assert builtin_framework("nhs-change-model-2030") is None


# A programme's framework settings


def test_configuring_a_programme_takes_the_defaults_for_what_is_not_given() -> None:
    prog = programme()

    settings = ProgrammeFramework.configure(prog, framework())

    assert recorded(settings) == ["Configured"]
    assert settings.id == programme_framework_id(prog.id)
    assert (settings.framework_key, settings.labels, settings.review_interval_days) == (
        "test-model-1",
        {},
        DEFAULT_REVIEW_INTERVAL_DAYS,
    )


def test_a_programme_may_label_components_in_its_own_words() -> None:
    settings = ProgrammeFramework.configure(
        programme(), framework(), labels={"measurement": " Data we trust "}
    )

    assert settings.labels == {"measurement": "Data we trust"}


def test_a_label_for_a_component_outside_the_framework_is_refused_naming_it() -> None:
    with pytest.raises(InvalidValue) as refused:
        ProgrammeFramework.configure(programme(), framework(), labels={"spread": "Scaling up"})

    assert refused.value.field == "labels.spread"


def test_an_empty_label_is_refused_naming_its_component() -> None:
    with pytest.raises(InvalidValue) as refused:
        ProgrammeFramework.configure(programme(), framework(), labels={"measurement": " "})

    assert refused.value.field == "labels.measurement"


def test_a_label_equal_to_the_frameworks_own_is_not_kept_as_an_override() -> None:
    settings = ProgrammeFramework.configure(
        programme(), framework(), labels={"measurement": "Measurement"}
    )

    assert settings.labels == {}


@pytest.mark.parametrize("days", [0, 731, -1, True])
def test_a_review_interval_outside_1_to_730_days_is_refused_naming_it(days: int) -> None:
    with pytest.raises(InvalidValue) as refused:
        ProgrammeFramework.configure(programme(), framework(), review_interval_days=days)

    assert refused.value.field == "review_interval_days"


@pytest.mark.parametrize("days", [1, 730])
def test_a_review_interval_of_1_or_730_days_is_accepted(days: int) -> None:
    settings = ProgrammeFramework.configure(programme(), framework(), review_interval_days=days)

    assert settings.review_interval_days == days


def test_changing_records_one_event_per_aspect_that_changes() -> None:
    settings = ProgrammeFramework.configure(programme(), framework("test-model-1"))
    settings.collect_events()

    settings.change(framework("test-model-2"), {"leadership": "Clinical leadership"}, 30)

    assert recorded(settings) == ["FrameworkChosen", "LabelsChanged", "ReviewIntervalChanged"]
    assert (settings.framework_key, settings.labels, settings.review_interval_days) == (
        "test-model-2",
        {"leadership": "Clinical leadership"},
        30,
    )


def test_changing_nothing_records_nothing() -> None:
    settings = ProgrammeFramework.configure(
        programme(), framework(), {"measurement": "Data"}, review_interval_days=30
    )
    settings.collect_events()

    settings.change(framework(), None, 30)
    settings.change(framework(), {"measurement": "Data"}, None)

    assert recorded(settings) == []


def test_labels_given_replace_every_display_label() -> None:
    settings = ProgrammeFramework.configure(
        programme(), framework(), {"measurement": "Data", "leadership": "Leading"}
    )
    settings.collect_events()

    settings.change(framework(), {"leadership": "Clinical leadership"})

    assert settings.labels == {"leadership": "Clinical leadership"}


def test_choosing_a_framework_without_a_labelled_component_drops_that_label() -> None:
    settings = ProgrammeFramework.configure(
        programme(), framework(), {"measurement": "Data", "leadership": "Leading"}
    )
    settings.collect_events()
    smaller = framework("test-model-2", components=COMPONENTS[:2])

    settings.change(smaller)

    assert recorded(settings) == ["FrameworkChosen", "LabelsChanged"]
    assert settings.labels == {"leadership": "Leading"}
