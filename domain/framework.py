"""Change frameworks as versioned data, and each programme's choice of one.

A framework version (e.g. the NHS Change Model 2012 or 2018) is a ``ChangeFramework`` whose id
derives from its key: its components, their labels and their side (centre, soft, hard) are
data registered once, never code. Adding a framework version needs no code change.

A programme reviews against one framework version: its ``ProgrammeFramework`` (id derived from
the programme's id) holds that choice, the programme's own display label per component (words
its audience accepts, e.g. clinicians) and how often components should be reviewed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import event

from domain.base import LedgerAggregate
from domain.errors import InvalidValue, RuleViolation
from domain.programme import Programme
from domain.values import NAME_MAX, check_choice, check_text

_FRAMEWORK_KEY = re.compile(r"^[a-z0-9]+(?:[-_.][a-z0-9]+)*$")
_COMPONENT_KEY = re.compile(r"^[a-z][a-z0-9_]*$")
KEY_MAX = 64
COMPONENTS_MAX = 50

DEFAULT_FRAMEWORK_KEY = "nhs-change-model-2018"
DEFAULT_REVIEW_INTERVAL_DAYS = 90
REVIEW_INTERVAL_MIN = 1
REVIEW_INTERVAL_MAX = 730


class ComponentSide(StrEnum):
    """Where a component sits in the model: shared purpose at the centre, soft or hard."""

    CENTRE = "centre"
    SOFT = "soft"
    HARD = "hard"


@dataclass(frozen=True)
class Component:
    key: str
    label: str
    side: ComponentSide

    def as_data(self) -> dict[str, str]:
        return {"key": self.key, "label": self.label, "side": self.side.value}


def framework_id(key: str) -> UUID:
    return uuid5(NAMESPACE_URL, f"changeledger:framework:{key.strip().casefold()}")


def programme_framework_id(programme_id: UUID) -> UUID:
    return uuid5(NAMESPACE_URL, f"changeledger:programme-framework:{programme_id}")


def check_framework_key(field: str, value: str) -> str:
    cleaned = check_text(field, value, max_length=KEY_MAX)
    if not _FRAMEWORK_KEY.match(cleaned):
        raise InvalidValue(
            field,
            "must be lower-case letters and digits separated by '-', '_' or '.',"
            " like nhs-change-model-2018",
        )
    return cleaned


def check_component_key(field: str, value: str) -> str:
    cleaned = check_text(field, value, max_length=KEY_MAX)
    if not _COMPONENT_KEY.match(cleaned):
        raise InvalidValue(
            field, "must be lower-case letters, digits and '_', starting with a letter"
        )
    return cleaned


def check_components(field: str, components: Sequence[Mapping[str, Any]]) -> list[Component]:
    """A framework's components from plain data, each checked, keys unique, order kept."""
    if not isinstance(components, Sequence) or isinstance(components, str):
        raise InvalidValue(field, "must be a list of components")
    if not components:
        raise InvalidValue(field, "must name at least one component")
    if len(components) > COMPONENTS_MAX:
        raise InvalidValue(field, f"must name at most {COMPONENTS_MAX} components")
    checked: list[Component] = []
    seen: set[str] = set()
    for index, item in enumerate(components):
        at = f"{field}[{index}]"
        if not isinstance(item, Mapping):
            raise InvalidValue(at, "must be an object with key, label and side")
        for name in ("key", "label", "side"):
            if not isinstance(item.get(name), str):
                raise InvalidValue(f"{at}.{name}", "is required and must be text")
        unknown = sorted(set(item) - {"key", "label", "side"})
        if unknown:
            raise InvalidValue(f"{at}.{unknown[0]}", "is not a field of a component")
        key = check_component_key(f"{at}.key", item["key"])
        if key in seen:
            raise InvalidValue(f"{at}.key", f"component '{key}' appears more than once")
        seen.add(key)
        checked.append(
            Component(
                key=key,
                label=check_text(f"{at}.label", item["label"]),
                side=check_choice(f"{at}.side", item["side"], ComponentSide),
            )
        )
    return checked


class ChangeFramework(LedgerAggregate):
    """One version of a change framework: its components, labels and sides, as data."""

    RECORD_KIND = "change framework"

    @staticmethod
    def create_id(key: str) -> UUID:
        return framework_id(key)

    @classmethod
    def define(
        cls, key: str, title: str, components: Sequence[Mapping[str, Any]]
    ) -> ChangeFramework:
        """A framework version from its definition {key, title, components:[{key,label,side}]}."""
        checked_key = check_framework_key("key", key)
        checked_title = check_text("title", title)
        checked = check_components("components", components)
        return cls(
            key=checked_key,
            title=checked_title,
            components=[component.as_data() for component in checked],
        )

    @event("Registered")
    def __init__(self, key: str, title: str, components: list[dict[str, str]]) -> None:
        self.key = key
        self.title = title
        self.components: list[Component] = [
            Component(c["key"], c["label"], ComponentSide(c["side"])) for c in components
        ]

    @property
    def component_keys(self) -> list[str]:
        return [component.key for component in self.components]

    def definition(self) -> dict[str, Any]:
        """The definition this framework was registered from, as plain data."""
        return {
            "key": self.key,
            "title": self.title,
            "components": [component.as_data() for component in self.components],
        }

    def component(self, key: str) -> Component | None:
        return next((c for c in self.components if c.key == key), None)

    def check_component(self, field: str, key: str) -> str:
        """The key of one of this framework's components, or invalid input naming the field."""
        if not isinstance(key, str) or self.component(key) is None:
            known = ", ".join(self.component_keys)
            raise InvalidValue(
                field, f"'{key}' is not a component of framework {self.key} (known: {known})"
            )
        return key

    def check_same_definition(self, other: ChangeFramework) -> None:
        """Registering a key again is only accepted with the identical definition."""
        if other.definition() != self.definition():
            raise RuleViolation(
                f"framework {self.key} is already registered with a different definition;"
                " a framework version never changes: register the new one under a new key"
            )


def check_review_interval(field: str, value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidValue(field, "must be a whole number of days")
    if not REVIEW_INTERVAL_MIN <= value <= REVIEW_INTERVAL_MAX:
        raise InvalidValue(
            field, f"must be between {REVIEW_INTERVAL_MIN} and {REVIEW_INTERVAL_MAX} days"
        )
    return value


def check_labels(
    field: str, labels: Mapping[str, str], framework: ChangeFramework
) -> dict[str, str]:
    """Display labels keyed by component: each a component of the framework, each non-empty.

    A label equal to the framework's own is not an override, so it is not kept.
    """
    if not isinstance(labels, Mapping):
        raise InvalidValue(field, "must be an object of component key to label")
    checked: dict[str, str] = {}
    for key, label in labels.items():
        at = f"{field}.{key}"
        framework.check_component(at, key)
        if not isinstance(label, str):
            raise InvalidValue(at, "must be text")
        cleaned = check_text(at, label, max_length=NAME_MAX)
        component = framework.component(key)
        if component is not None and cleaned != component.label:
            checked[key] = cleaned
    return dict(sorted(checked.items(), key=lambda item: framework.component_keys.index(item[0])))


class ProgrammeFramework(LedgerAggregate):
    """A programme's framework version, its display labels and its review interval."""

    RECORD_KIND = "programme framework"

    @staticmethod
    def create_id(programme_id: UUID) -> UUID:
        return programme_framework_id(programme_id)

    @classmethod
    def configure(
        cls,
        programme: Programme,
        framework: ChangeFramework,
        labels: Mapping[str, str] | None = None,
        review_interval_days: int | None = None,
    ) -> ProgrammeFramework:
        """The programme's first settings; what is not given takes the defaults."""
        return cls(
            programme_id=programme.id,
            framework_key=framework.key,
            labels=check_labels("labels", labels or {}, framework),
            review_interval_days=check_review_interval(
                "review_interval_days",
                DEFAULT_REVIEW_INTERVAL_DAYS
                if review_interval_days is None
                else review_interval_days,
            ),
        )

    @event("Configured")
    def __init__(
        self,
        programme_id: UUID,
        framework_key: str,
        labels: dict[str, str],
        review_interval_days: int,
    ) -> None:
        self.programme_id = programme_id
        self.framework_key = framework_key
        self.labels = dict(labels)
        self.review_interval_days = review_interval_days

    def change(
        self,
        framework: ChangeFramework,
        labels: Mapping[str, str] | None = None,
        review_interval_days: int | None = None,
    ) -> None:
        """Change what is given; records one event per aspect that actually changes.

        ``framework`` is the framework the programme is to use (its current one when the
        request does not choose another). ``labels`` replaces all display labels. Labels of
        components the newly chosen framework does not have are dropped with the change.
        """
        interval = (
            self.review_interval_days
            if review_interval_days is None
            else check_review_interval("review_interval_days", review_interval_days)
        )
        if labels is not None:
            new_labels = check_labels("labels", labels, framework)
        else:
            new_labels = {
                key: label
                for key, label in self.labels.items()
                if (component := framework.component(key)) is not None and component.label != label
            }
        if framework.key != self.framework_key:
            self._framework_chosen(framework_key=framework.key)
        if new_labels != self.labels:
            self._labels_changed(labels=new_labels)
        if interval != self.review_interval_days:
            self._review_interval_changed(review_interval_days=interval)

    @event("FrameworkChosen")
    def _framework_chosen(self, framework_key: str) -> None:
        self.framework_key = framework_key

    @event("LabelsChanged")
    def _labels_changed(self, labels: dict[str, str]) -> None:
        self.labels = dict(labels)

    @event("ReviewIntervalChanged")
    def _review_interval_changed(self, review_interval_days: int) -> None:
        self.review_interval_days = review_interval_days
