"""Turning ids and stored times into what a reader can use: names, and times to the second."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from infra.bootstrap import Container


def short_time(value: str | datetime | None) -> str:
    """A stored UTC time to the second, still ISO 8601: ``2026-07-01T10:00:00Z``."""
    if value is None or value == "":
        return ""
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def day(value: str | datetime | None) -> str:
    return short_time(value)[:10]


class Names:
    """People's and organisations' names from the directory view, each looked up once."""

    def __init__(self, container: Container) -> None:
        self.container = container
        self._people: dict[str, str] = {}
        self._organisations: dict[str, str] = {}

    def person(self, person_id: Any) -> str:
        if not person_id:
            return ""
        return self.known_person(person_id) or "someone no longer listed"

    def known_person(self, person_id: Any) -> str | None:
        """The person's name, or None when the id names no person in the directory."""
        key = str(person_id)
        if key not in self._people:
            row = self.container.directory.person(key)
            found = row.get("name") if row else None
            self._people[key] = str(found) if found else ""
        return self._people[key] or None

    def organisation(self, organisation_id: Any) -> str:
        if not organisation_id:
            return ""
        key = str(organisation_id)
        if key not in self._organisations:
            row = self.container.directory.organisation(key)
            self._organisations[key] = str(row["name"]) if row else "an organisation not listed"
        return self._organisations[key]
