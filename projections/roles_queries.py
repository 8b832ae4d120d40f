"""Reads from the roles view: a programme's roles, the roles a person holds, handovers."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from projections.directory_queries import Page
from projections.roles import FLAGS, HANDOVERS, KNOWLEDGE_ITEMS, ROLES
from projections.store import Row, ViewStore
from projections.temporal import in_clause

#: Roles one person holds or deputises in, for the consequences of their leaving.
ROLES_OF_PERSON_SQL = (
    f"SELECT id FROM {ROLES} WHERE holder_id = %(p)s OR deputy_id = %(p)s ORDER BY created_at, id"
)
#: The named-lead roles of one organisation, for the consequences of its merging.
LEAD_ROLES_OF_ORGANISATION_SQL = (
    f"SELECT id FROM {ROLES} WHERE kind = 'organisation_lead' AND organisation_id = %(o)s"
    " ORDER BY created_at, id"
)

_BOOLEANS = ("critical", "flagged")


def _row(row: Row) -> Row:
    for column in _BOOLEANS:
        row[column] = bool(row[column])
    row["vacant"] = row["holder_id"] is None
    return row


class RoleQueries:
    def __init__(self, store: ViewStore) -> None:
        self.store = store

    def _page(self, condition: str, params: dict[str, Any], limit: int, offset: int) -> Page:
        total = self.store.fetch_one(f"SELECT COUNT(*) AS n FROM {ROLES} WHERE {condition}", params)
        items = self.store.fetch_all(
            f"SELECT * FROM {ROLES} WHERE {condition} ORDER BY created_at, id "
            "LIMIT %(_limit)s OFFSET %(_offset)s",
            {**params, "_limit": limit, "_offset": offset},
        )
        return Page([_row(r) for r in items], int(total["n"]) if total else 0, limit, offset)

    @staticmethod
    def _filters(
        clauses: list[str],
        params: dict[str, Any],
        *,
        critical: bool | None,
        vacant: bool | None,
        flagged: bool | None,
        kind: str | None,
    ) -> None:
        if critical is not None:
            clauses.append("critical = %(critical)s")
            params["critical"] = critical
        if flagged is not None:
            clauses.append("flagged = %(flagged)s")
            params["flagged"] = flagged
        if vacant is not None:
            clauses.append("holder_id IS NULL" if vacant else "holder_id IS NOT NULL")
        if kind is not None:
            clauses.append("kind = %(kind)s")
            params["kind"] = kind

    def list_roles(
        self,
        *,
        programme_id: str,
        critical: bool | None = None,
        vacant: bool | None = None,
        flagged: bool | None = None,
        kind: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> Page:
        """A programme's roles, oldest first, optionally filtered."""
        clauses = ["programme_id = %(programme_id)s"]
        params: dict[str, Any] = {"programme_id": programme_id}
        self._filters(clauses, params, critical=critical, vacant=vacant, flagged=flagged, kind=kind)
        return self._page(" AND ".join(clauses), params, limit, offset)

    def roles_of_person(
        self,
        *,
        person_id: str,
        critical: bool | None = None,
        flagged: bool | None = None,
        limit: int = 50,
        offset: int = 0,
        within: Sequence[str] | None = None,
    ) -> Page:
        """The roles a person holds or deputises in, across programmes, with their position;
        only in the programmes ``within`` when given (those the reader may see)."""
        clauses = ["(holder_id = %(person_id)s OR deputy_id = %(person_id)s)"]
        params: dict[str, Any] = {"person_id": person_id}
        if within is not None:
            listed, names = in_clause("_within", within)
            clauses.append(f"programme_id IN {listed}")
            params.update(names)
        self._filters(clauses, params, critical=critical, vacant=None, flagged=flagged, kind=None)
        page = self._page(" AND ".join(clauses), params, limit, offset)
        for row in page.items:
            row["position"] = "holder" if row["holder_id"] == person_id else "deputy"
        return page

    def role(self, role_id: str) -> Row | None:
        row = self.store.fetch_one(f"SELECT * FROM {ROLES} WHERE id = %(id)s", {"id": role_id})
        return None if row is None else _row(row)

    def flags(self, role_id: str) -> list[Row]:
        return self.store.fetch_all(
            f"SELECT * FROM {FLAGS} WHERE role_id = %(r)s ORDER BY flagged_version",
            {"r": role_id},
        )

    def handovers(self, role_id: str) -> list[Row]:
        """A role's handovers in the order recorded, each with its knowledge items."""
        rows = self.store.fetch_all(
            f"SELECT * FROM {HANDOVERS} WHERE role_id = %(r)s ORDER BY version", {"r": role_id}
        )
        items = self.store.fetch_all(
            f"SELECT version, item FROM {KNOWLEDGE_ITEMS} WHERE role_id = %(r)s"
            " ORDER BY version, position",
            {"r": role_id},
        )
        for row in rows:
            row["outgoing_reachable"] = bool(row["outgoing_reachable"])
            row["knowledge_items"] = [i["item"] for i in items if i["version"] == row["version"]]
        return rows
