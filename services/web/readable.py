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
    """People's and organisations' names from the directory view, each looked up once.

    What a page shows for an id the directory does not know, or for no person at all,
    differs by page: ``unknown_person`` / ``unknown_organisation`` (None shows the id
    itself) and ``nobody``.
    """

    def __init__(
        self,
        container: Container,
        *,
        unknown_person: str | None = "someone no longer listed",
        unknown_organisation: str | None = "an organisation not listed",
        nobody: str = "",
    ) -> None:
        self.container = container
        self._unknown_person = unknown_person
        self._unknown_organisation = unknown_organisation
        self._nobody = nobody
        self._people: dict[str, str] = {}
        self._organisations: dict[str, str] = {}

    def person(self, person_id: Any) -> str:
        if not person_id:
            return self._nobody
        found = self.known_person(person_id)
        if found:
            return found
        return str(person_id) if self._unknown_person is None else self._unknown_person

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
            self._organisations[key] = str(row["name"]) if row else ""
        if self._organisations[key]:
            return self._organisations[key]
        unknown = self._unknown_organisation
        return key if unknown is None else unknown
