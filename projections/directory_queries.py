"""Reads from the directory view. API queries come here, never to the aggregates."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from projections.directory import (
    AUDITORS,
    MEMBERSHIPS,
    ORGANISATIONS,
    PARTICIPANTS,
    PEOPLE,
    PROGRAMMES,
    TOKENS,
    WORKSTREAMS,
)
from projections.store import Row, ViewStore
from projections.temporal import in_clause


@dataclass(frozen=True)
class Page:
    items: list[Row]
    total: int
    limit: int
    offset: int


class DirectoryQueries:
    def __init__(self, store: ViewStore) -> None:
        self.store = store

    def _page(self, table: str, where: dict[str, Any], order: str, limit: int, offset: int) -> Page:
        clauses = [f"{column} = %({column})s" for column in where]
        condition = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        total_row = self.store.fetch_one(f"SELECT COUNT(*) AS n FROM {table} {condition}", where)
        items = self.store.fetch_all(
            f"SELECT * FROM {table} {condition} ORDER BY {order} "
            "LIMIT %(_limit)s OFFSET %(_offset)s",
            {**where, "_limit": limit, "_offset": offset},
        )
        return Page(items, int(total_row["n"]) if total_row else 0, limit, offset)

    # Organisations

    def list_organisations(
        self, *, kind: str | None, status: str | None, limit: int, offset: int
    ) -> Page:
        where = {k: v for k, v in {"kind": kind, "status": status}.items() if v is not None}
        return self._page(ORGANISATIONS, where, "name, id", limit, offset)

    def organisation(self, organisation_id: str) -> Row | None:
        return self.store.fetch_one(
            f"SELECT * FROM {ORGANISATIONS} WHERE id = %(id)s", {"id": organisation_id}
        )

    # People

    def list_people(self, *, organisation_id: str | None, limit: int, offset: int) -> Page:
        where = {"organisation_id": organisation_id} if organisation_id else {}
        page = self._page(PEOPLE, where, "name, id", limit, offset)
        for row in page.items:
            self._complete_person(row)
        return page

    def person(self, person_id: str) -> Row | None:
        row = self.store.fetch_one(f"SELECT * FROM {PEOPLE} WHERE id = %(id)s", {"id": person_id})
        if row is not None:
            self._complete_person(row)
        return row

    def _complete_person(self, row: Row) -> None:
        row["erased"] = bool(row["erased"])  # SQLite answers 0 or 1
        row["memberships"] = self._memberships(row["id"])

    def _memberships(self, person_id: str) -> list[Row]:
        return self.store.fetch_all(
            f"SELECT organisation_id, joined_at, left_at FROM {MEMBERSHIPS} "
            "WHERE person_id = %(p)s ORDER BY joined_version",
            {"p": person_id},
        )

    def person_by_email(self, email: str) -> Row | None:
        return self.store.fetch_one(
            f"SELECT * FROM {PEOPLE} WHERE email = %(email)s", {"email": email}
        )

    # Programmes

    def list_programmes(
        self,
        *,
        organisation_id: str | None,
        limit: int,
        offset: int,
        within: Sequence[str] | None = None,
    ) -> Page:
        """Programmes by title; only ``within`` these ids when given (what the reader sees)."""
        if organisation_id is None and within is None:
            page = self._page(PROGRAMMES, {}, "title, id", limit, offset)
        else:
            clauses: list[str] = []
            params: dict[str, Any] = {}
            if organisation_id is not None:
                clauses.append(
                    f"id IN (SELECT programme_id FROM {PARTICIPANTS} WHERE organisation_id = %(o)s)"
                )
                params["o"] = organisation_id
            if within is not None:
                listed, names = in_clause("_within", within)
                clauses.append(f"id IN {listed}")
                params.update(names)
            condition = "WHERE " + " AND ".join(clauses)
            total = self.store.fetch_one(
                f"SELECT COUNT(*) AS n FROM {PROGRAMMES} {condition}", params
            )
            items = self.store.fetch_all(
                f"SELECT * FROM {PROGRAMMES} {condition} ORDER BY title, id "
                "LIMIT %(_limit)s OFFSET %(_offset)s",
                {**params, "_limit": limit, "_offset": offset},
            )
            page = Page(items, int(total["n"]) if total else 0, limit, offset)
        for row in page.items:
            self._add_programme_parts(row)
        return page

    def programme(self, programme_id: str) -> Row | None:
        row = self.store.fetch_one(
            f"SELECT * FROM {PROGRAMMES} WHERE id = %(id)s", {"id": programme_id}
        )
        if row is not None:
            self._add_programme_parts(row)
        return row

    def programme_titles(self, programme_ids: Sequence[str]) -> dict[str, str]:
        """The titles of these programmes, in one query (unknown ids are left out)."""
        if not programme_ids:
            return {}
        listed, params = in_clause("_p", programme_ids)
        rows = self.store.fetch_all(
            f"SELECT id, title FROM {PROGRAMMES} WHERE id IN {listed}", params
        )
        return {str(row["id"]): str(row["title"]) for row in rows}

    def programmes_visible_to(self, person_id: str, organisation_id: str | None) -> list[str]:
        """Ids of the programmes a person reads: their organisation's, and those they audit."""
        rows = self.store.fetch_all(
            f"""SELECT programme_id FROM {PARTICIPANTS} WHERE organisation_id = %(o)s
                UNION SELECT programme_id FROM {AUDITORS} WHERE person_id = %(p)s""",
            {"o": organisation_id or "", "p": person_id},
        )
        return sorted(row["programme_id"] for row in rows)

    def programmes_audited_by(self, person_id: str) -> list[str]:
        rows = self.store.fetch_all(
            f"SELECT programme_id FROM {AUDITORS} WHERE person_id = %(p)s ORDER BY programme_id",
            {"p": person_id},
        )
        return [row["programme_id"] for row in rows]

    def _add_programme_parts(self, row: Row) -> None:
        row["participants"] = self.store.fetch_all(
            f"SELECT organisation_id, role, joined_at FROM {PARTICIPANTS} "
            "WHERE programme_id = %(p)s ORDER BY joined_at, organisation_id",
            {"p": row["id"]},
        )
        row["auditors"] = self.store.fetch_all(
            f"SELECT person_id, appointed_at FROM {AUDITORS} "
            "WHERE programme_id = %(p)s ORDER BY appointed_at, person_id",
            {"p": row["id"]},
        )
        row["workstreams"] = self.store.fetch_all(
            f"SELECT id, name, created_at FROM {WORKSTREAMS} "
            "WHERE programme_id = %(p)s ORDER BY created_at, id",
            {"p": row["id"]},
        )

    # Tokens

    def tokens_of(self, person_id: str) -> list[Row]:
        rows = self.store.fetch_all(
            f"SELECT * FROM {TOKENS} WHERE person_id = %(p)s ORDER BY created_at",
            {"p": person_id},
        )
        for row in rows:
            row["revoked"] = bool(row["revoked"])
        return rows
