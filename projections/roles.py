"""Views: programme roles: definition, holders and deputies, handovers, flags for handover.

One row per role (``rol_roles``) with what the resilience report needs: programme, kind,
named organisation, critical, holder and deputy with their organisations, flagged. Open
handover flags are rows of ``rol_flags``; every handover is a row of ``rol_handovers``, with
the knowledge that went with it in ``rol_knowledge_items``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from projections.projection import EventHandlers, Projection
from projections.store import ViewTransaction
from projections.timefmt import iso

ROLES = "rol_roles"
FLAGS = "rol_flags"
HANDOVERS = "rol_handovers"
KNOWLEDGE_ITEMS = "rol_knowledge_items"


def _id(value: Any) -> str | None:
    return None if value is None else str(value)


class RolesProjection(Projection):
    name = "roles"
    tables = (ROLES, FLAGS, HANDOVERS, KNOWLEDGE_ITEMS)

    def create_statements(self) -> Sequence[str]:
        return [
            f"""CREATE TABLE IF NOT EXISTS {ROLES} (
                id TEXT PRIMARY KEY, programme_id TEXT NOT NULL, kind TEXT NOT NULL,
                title TEXT NOT NULL, organisation_id TEXT, critical BOOLEAN NOT NULL,
                holder_id TEXT, holder_organisation_id TEXT,
                deputy_id TEXT, deputy_organisation_id TEXT,
                flagged BOOLEAN NOT NULL, handover_count INTEGER NOT NULL,
                version INTEGER NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL)""",
            f"""CREATE INDEX IF NOT EXISTS {ROLES}_programme
                ON {ROLES} (programme_id, created_at, id)""",
            f"CREATE INDEX IF NOT EXISTS {ROLES}_holder ON {ROLES} (holder_id)",
            f"CREATE INDEX IF NOT EXISTS {ROLES}_deputy ON {ROLES} (deputy_id)",
            f"CREATE INDEX IF NOT EXISTS {ROLES}_organisation ON {ROLES} (organisation_id)",
            f"""CREATE TABLE IF NOT EXISTS {FLAGS} (
                role_id TEXT NOT NULL, person_id TEXT NOT NULL, position TEXT NOT NULL,
                organisation_id TEXT NOT NULL, reason TEXT NOT NULL, left_at TEXT,
                flagged_version INTEGER NOT NULL, flagged_at TEXT NOT NULL,
                PRIMARY KEY (role_id, person_id))""",
            f"""CREATE TABLE IF NOT EXISTS {HANDOVERS} (
                role_id TEXT NOT NULL, version INTEGER NOT NULL, programme_id TEXT NOT NULL,
                from_person_id TEXT NOT NULL, to_person_id TEXT NOT NULL,
                outgoing_reachable BOOLEAN NOT NULL, occurred_at TEXT NOT NULL,
                recorded_at TEXT NOT NULL, PRIMARY KEY (role_id, version))""",
            f"""CREATE INDEX IF NOT EXISTS {HANDOVERS}_programme
                ON {HANDOVERS} (programme_id, occurred_at)""",
            f"""CREATE TABLE IF NOT EXISTS {KNOWLEDGE_ITEMS} (
                role_id TEXT NOT NULL, version INTEGER NOT NULL, position INTEGER NOT NULL,
                item TEXT NOT NULL, PRIMARY KEY (role_id, version, position))""",
        ]

    handlers = EventHandlers()

    @handlers.on("Role.Defined")
    def on_defined(self, tx: ViewTransaction, event: Any, position: int) -> None:
        tx.execute(
            f"""INSERT INTO {ROLES}
                (id, programme_id, kind, title, organisation_id, critical,
                 holder_id, holder_organisation_id, deputy_id, deputy_organisation_id,
                 flagged, handover_count, version, created_at, updated_at)
                VALUES (%(id)s, %(p)s, %(kind)s, %(title)s, %(o)s, %(critical)s,
                 NULL, NULL, NULL, NULL, FALSE, 0, %(v)s, %(t)s, %(t)s)""",
            {
                "id": str(event.originator_id),
                "p": str(event.programme_id),
                "kind": event.kind,
                "title": event.title,
                "o": _id(event.organisation_id),
                "critical": bool(event.critical),
                "v": event.originator_version,
                "t": iso(event.timestamp),
            },
        )

    @handlers.on("Role.MarkedCritical")
    def on_marked_critical(self, tx: ViewTransaction, event: Any, position: int) -> None:
        self._touch(tx, event, critical=True)

    @handlers.on("Role.UnmarkedCritical")
    def on_unmarked_critical(self, tx: ViewTransaction, event: Any, position: int) -> None:
        self._touch(tx, event, critical=False)

    @handlers.on("Role.Assigned")
    def on_assigned(self, tx: ViewTransaction, event: Any, position: int) -> None:
        self._clear_flags(tx, event)
        self._touch(
            tx,
            event,
            holder_id=str(event.holder_id),
            holder_organisation_id=str(event.holder_organisation_id),
            deputy_id=_id(event.deputy_id),
            deputy_organisation_id=_id(event.deputy_organisation_id),
            flagged=False,
        )

    @handlers.on("Role.Vacated")
    def on_vacated(self, tx: ViewTransaction, event: Any, position: int) -> None:
        self._clear_flags(tx, event)
        self._touch(
            tx,
            event,
            holder_id=None,
            holder_organisation_id=None,
            deputy_id=None,
            deputy_organisation_id=None,
            flagged=False,
        )

    @handlers.on("Role.HandedOver")
    def on_handed_over(self, tx: ViewTransaction, event: Any, position: int) -> None:
        role_id = str(event.originator_id)
        row = tx.fetch_all(
            f"SELECT programme_id, handover_count FROM {ROLES} WHERE id = %(id)s",
            {"id": role_id},
        )[0]
        tx.execute(
            f"""INSERT INTO {HANDOVERS}
                (role_id, version, programme_id, from_person_id, to_person_id,
                 outgoing_reachable, occurred_at, recorded_at)
                VALUES (%(r)s, %(v)s, %(p)s, %(from)s, %(to)s, %(reachable)s, %(at)s, %(t)s)""",
            {
                "r": role_id,
                "v": event.originator_version,
                "p": row["programme_id"],
                "from": str(event.from_person_id),
                "to": str(event.to_person_id),
                "reachable": bool(event.outgoing_reachable),
                "at": iso(event.occurred_at),
                "t": iso(event.timestamp),
            },
        )
        for index, item in enumerate(event.knowledge_items):
            tx.execute(
                f"""INSERT INTO {KNOWLEDGE_ITEMS} (role_id, version, position, item)
                    VALUES (%(r)s, %(v)s, %(i)s, %(item)s)""",
                {"r": role_id, "v": event.originator_version, "i": index, "item": item},
            )
        changes: dict[str, Any] = {
            "holder_id": str(event.to_person_id),
            "holder_organisation_id": str(event.to_organisation_id),
            "handover_count": int(row["handover_count"]) + 1,
        }
        if event.deputy_id is None:
            changes.update(deputy_id=None, deputy_organisation_id=None)
        # A flag stays only for someone still in the role (a deputy who left stays flagged).
        tx.execute(
            f"""DELETE FROM {FLAGS} WHERE role_id = %(r)s
                AND person_id <> %(holder)s AND person_id <> %(deputy)s""",
            {"r": role_id, "holder": str(event.to_person_id), "deputy": str(event.deputy_id)},
        )
        remaining = tx.fetch_all(
            f"SELECT COUNT(*) AS n FROM {FLAGS} WHERE role_id = %(r)s", {"r": role_id}
        )
        changes["flagged"] = int(remaining[0]["n"]) > 0
        self._touch(tx, event, **changes)

    @handlers.on("Role.HandoverFlagged")
    def on_handover_flagged(self, tx: ViewTransaction, event: Any, position: int) -> None:
        tx.execute(
            f"""INSERT INTO {FLAGS}
                (role_id, person_id, position, organisation_id, reason, left_at,
                 flagged_version, flagged_at)
                VALUES (%(r)s, %(p)s, %(pos)s, %(o)s, %(reason)s, %(left)s, %(v)s, %(t)s)""",
            {
                "r": str(event.originator_id),
                "p": str(event.person_id),
                "pos": event.position,
                "o": str(event.organisation_id),
                "reason": event.reason,
                "left": iso(event.left_at),
                "v": event.originator_version,
                "t": iso(event.timestamp),
            },
        )
        self._touch(tx, event, flagged=True)

    @handlers.on("Role.PassedToSuccessor")
    def on_passed_to_successor(self, tx: ViewTransaction, event: Any, position: int) -> None:
        self._touch(tx, event, organisation_id=str(event.to_organisation_id), title=event.title)

    @staticmethod
    def _clear_flags(tx: ViewTransaction, event: Any) -> None:
        tx.execute(f"DELETE FROM {FLAGS} WHERE role_id = %(r)s", {"r": str(event.originator_id)})

    @staticmethod
    def _touch(tx: ViewTransaction, event: Any, **changes: Any) -> None:
        """Set the given columns plus the row's version and last-updated time."""
        assignments = "".join(f"{column} = %({column})s, " for column in changes)
        tx.execute(
            f"UPDATE {ROLES} SET {assignments}version = %(_v)s, updated_at = %(_t)s "
            "WHERE id = %(_id)s",
            {
                **changes,
                "_v": event.originator_version,
                "_t": iso(event.timestamp),
                "_id": str(event.originator_id),
            },
        )


#: The projections this module defines; infra.bootstrap runs them all.
PROJECTIONS: list[Projection] = [RolesProjection()]
