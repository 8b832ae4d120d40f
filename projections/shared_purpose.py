"""Views: shared-purpose statements: drafts, revisions, endorsements, disputes, adoption.

One row per statement (its current version and adoption), the latest position of each
organisation on each version, and the programmes' titles and participants (with their role,
in the order they joined), so the list can count endorsed, disputed and silent organisations
against the current text. ``sp_versions`` keeps every numbered text with its times,
``sp_position_log`` every position taken (changes of mind included) and ``sp_adoptions``
every adoption, so a statement and each of its versions render from the view alone. The
organisations an adoption names are JSON text, written and read only through this module's
``to_json``/``from_json``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from projections.projection import EventHandlers, Projection
from projections.store import ViewTransaction
from projections.timefmt import iso

STATEMENTS = "sp_statements"
POSITIONS = "sp_positions"
PROGRAMMES = "sp_programmes"
PARTICIPANTS = "sp_participants"
VERSIONS = "sp_versions"
POSITION_LOG = "sp_position_log"
ADOPTIONS = "sp_adoptions"

#: The role the organisation that leads a programme takes in it (ParticipationRole).
LEAD_COMMISSIONER = "lead_commissioner"


def to_json(ids: Sequence[Any]) -> str:
    return json.dumps([str(value) for value in ids])


def from_json(text: str | None) -> list[str]:
    return list(json.loads(text)) if text else []


def _id(value: Any) -> str | None:
    return str(value) if value else None


class SharedPurposeProjection(Projection):
    name = "shared_purpose"
    tables = (
        STATEMENTS,
        POSITIONS,
        PROGRAMMES,
        PARTICIPANTS,
        VERSIONS,
        POSITION_LOG,
        ADOPTIONS,
    )

    def create_statements(self) -> Sequence[str]:
        return [
            f"""CREATE TABLE IF NOT EXISTS {STATEMENTS} (
                id TEXT PRIMARY KEY, programme_id TEXT NOT NULL,
                current_version INTEGER NOT NULL, text TEXT NOT NULL,
                adopted_version INTEGER, current_adopted BOOLEAN NOT NULL,
                version INTEGER NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL)""",
            f"""CREATE INDEX IF NOT EXISTS {STATEMENTS}_programme
                ON {STATEMENTS} (programme_id)""",
            f"""CREATE TABLE IF NOT EXISTS {POSITIONS} (
                statement_id TEXT NOT NULL, version_number INTEGER NOT NULL,
                organisation_id TEXT NOT NULL, position TEXT NOT NULL, reason TEXT,
                person_id TEXT, carried_from TEXT, occurred_at TEXT NOT NULL,
                recorded_at TEXT NOT NULL, seq INTEGER NOT NULL,
                PRIMARY KEY (statement_id, version_number, organisation_id))""",
            f"""CREATE INDEX IF NOT EXISTS {POSITIONS}_org
                ON {POSITIONS} (organisation_id, statement_id)""",
            f"""CREATE TABLE IF NOT EXISTS {PROGRAMMES} (
                id TEXT PRIMARY KEY, title TEXT NOT NULL)""",
            # seq: the log position the organisation joined at, so the order they joined.
            f"""CREATE TABLE IF NOT EXISTS {PARTICIPANTS} (
                programme_id TEXT NOT NULL, organisation_id TEXT NOT NULL,
                role TEXT NOT NULL, seq INTEGER NOT NULL,
                PRIMARY KEY (programme_id, organisation_id))""",
            f"""CREATE TABLE IF NOT EXISTS {VERSIONS} (
                statement_id TEXT NOT NULL, number INTEGER NOT NULL, text TEXT NOT NULL,
                drafted_by TEXT, occurred_at TEXT NOT NULL, recorded_at TEXT NOT NULL,
                PRIMARY KEY (statement_id, number))""",
            # seq: the statement's version that recorded the position.
            f"""CREATE TABLE IF NOT EXISTS {POSITION_LOG} (
                statement_id TEXT NOT NULL, seq INTEGER NOT NULL,
                version_number INTEGER NOT NULL, organisation_id TEXT NOT NULL,
                position TEXT NOT NULL, reason TEXT, person_id TEXT, carried_from TEXT,
                occurred_at TEXT NOT NULL, recorded_at TEXT NOT NULL,
                PRIMARY KEY (statement_id, seq))""",
            f"""CREATE TABLE IF NOT EXISTS {ADOPTIONS} (
                statement_id TEXT NOT NULL, seq INTEGER NOT NULL,
                version_number INTEGER NOT NULL, rationale TEXT NOT NULL,
                over_disputes BOOLEAN NOT NULL, endorsed_by TEXT NOT NULL,
                disputed_by TEXT NOT NULL, adopted_by TEXT, occurred_at TEXT NOT NULL,
                recorded_at TEXT NOT NULL, PRIMARY KEY (statement_id, seq))""",
        ]

    handlers = EventHandlers()

    # Programmes: titles and participants, for counting who has no position

    @handlers.on("Programme.Created")
    def on_programme_created(self, tx: ViewTransaction, event: Any, position: int) -> None:
        params = {"p": str(event.originator_id), "title": event.title}
        tx.execute(f"INSERT INTO {PROGRAMMES} (id, title) VALUES (%(p)s, %(title)s)", params)
        self._join(tx, event, event.lead_commissioner_id, LEAD_COMMISSIONER, position)

    @handlers.on("Programme.DetailsUpdated")
    def on_programme_details_updated(self, tx: ViewTransaction, event: Any, position: int) -> None:
        tx.execute(
            f"UPDATE {PROGRAMMES} SET title = %(title)s WHERE id = %(p)s",
            {"p": str(event.originator_id), "title": event.title},
        )

    @handlers.on("Programme.ParticipantAdded")
    def on_participant_added(self, tx: ViewTransaction, event: Any, position: int) -> None:
        self._join(tx, event, event.organisation_id, event.role, position)

    @handlers.on("Programme.ParticipantRemoved")
    def on_participant_removed(self, tx: ViewTransaction, event: Any, position: int) -> None:
        tx.execute(
            f"DELETE FROM {PARTICIPANTS} WHERE programme_id = %(p)s AND organisation_id = %(o)s",
            {"p": str(event.originator_id), "o": str(event.organisation_id)},
        )

    @handlers.on("Programme.ParticipationTransferred")
    def on_participation_transferred(self, tx: ViewTransaction, event: Any, position: int) -> None:
        tx.execute(
            f"DELETE FROM {PARTICIPANTS} WHERE programme_id = %(p)s AND organisation_id = %(from)s",
            {"p": str(event.originator_id), "from": str(event.from_organisation_id)},
        )
        self._join(tx, event, event.to_organisation_id, event.role, position)

    @staticmethod
    def _join(
        tx: ViewTransaction, event: Any, organisation_id: Any, role: str, position: int
    ) -> None:
        """The organisation takes part with this role; one already taking part keeps its
        place in the order (as the programme's own record of participants does)."""
        tx.execute(
            f"""INSERT INTO {PARTICIPANTS} (programme_id, organisation_id, role, seq)
                VALUES (%(p)s, %(o)s, %(role)s, %(seq)s)
                ON CONFLICT (programme_id, organisation_id) DO UPDATE SET role = %(role)s""",
            {
                "p": str(event.originator_id),
                "o": str(organisation_id),
                "role": str(role),
                "seq": position,
            },
        )

    # Statements

    @handlers.on("SharedPurpose.Drafted")
    def on_drafted(self, tx: ViewTransaction, event: Any, position: int) -> None:
        tx.execute(
            f"""INSERT INTO {STATEMENTS} (id, programme_id, current_version, text,
                    adopted_version, current_adopted, version, created_at, updated_at)
                VALUES (%(id)s, %(p)s, 1, %(text)s, NULL, FALSE, %(v)s, %(t)s, %(t)s)""",
            {
                "id": str(event.originator_id),
                "p": str(event.programme_id),
                "text": event.text,
                "v": event.originator_version,
                "t": iso(event.timestamp),
            },
        )
        self._add_version(tx, event, 1)

    @handlers.on("SharedPurpose.Revised")
    def on_revised(self, tx: ViewTransaction, event: Any, position: int) -> None:
        tx.execute(
            f"""UPDATE {STATEMENTS} SET current_version = current_version + 1, text = %(text)s,
                    current_adopted = FALSE, version = %(v)s, updated_at = %(t)s
                WHERE id = %(id)s""",
            {
                "id": str(event.originator_id),
                "text": event.text,
                "v": event.originator_version,
                "t": iso(event.timestamp),
            },
        )
        row = tx.fetch_all(
            f"SELECT current_version FROM {STATEMENTS} WHERE id = %(id)s",
            {"id": str(event.originator_id)},
        )
        if row:
            self._add_version(tx, event, row[0]["current_version"])

    @staticmethod
    def _add_version(tx: ViewTransaction, event: Any, number: int) -> None:
        tx.execute(
            f"""INSERT INTO {VERSIONS} (statement_id, number, text, drafted_by, occurred_at,
                    recorded_at)
                VALUES (%(s)s, %(n)s, %(text)s, %(by)s, %(at)s, %(t)s)""",
            {
                "s": str(event.originator_id),
                "n": number,
                "text": event.text,
                "by": _id(event.drafted_by),
                "at": iso(event.occurred_at),
                "t": iso(event.timestamp),
            },
        )

    @handlers.on("SharedPurpose.Endorsed")
    def on_endorsed(self, tx: ViewTransaction, event: Any, position: int) -> None:
        self._position(tx, event, "endorsed", event.organisation_id, None, None)

    @handlers.on("SharedPurpose.Disputed")
    def on_disputed(self, tx: ViewTransaction, event: Any, position: int) -> None:
        self._position(tx, event, "disputed", event.organisation_id, event.reason, None)

    @handlers.on("SharedPurpose.PositionCarriedOver")
    def on_position_carried_over(self, tx: ViewTransaction, event: Any, position: int) -> None:
        self._position(
            tx,
            event,
            event.position,
            event.to_organisation_id,
            event.reason,
            event.from_organisation_id,
        )

    @handlers.on("SharedPurpose.PositionNotCarriedOver")
    def on_position_not_carried_over(self, tx: ViewTransaction, event: Any, position: int) -> None:
        self._touch(tx, event)

    @handlers.on("SharedPurpose.Adopted")
    def on_adopted(self, tx: ViewTransaction, event: Any, position: int) -> None:
        # Only the current version can be adopted, so the current text is now adopted.
        self._touch(tx, event, adopted_version=event.version, current_adopted=True)
        tx.execute(
            f"""INSERT INTO {ADOPTIONS} (statement_id, seq, version_number, rationale,
                    over_disputes, endorsed_by, disputed_by, adopted_by, occurred_at,
                    recorded_at)
                VALUES (%(s)s, %(seq)s, %(n)s, %(rationale)s, %(over)s, %(endorsed)s,
                    %(disputed)s, %(by)s, %(at)s, %(t)s)""",
            {
                "s": str(event.originator_id),
                "seq": event.originator_version,
                "n": event.version,
                "rationale": event.rationale,
                "over": bool(event.over_disputes),
                "endorsed": to_json(event.endorsed_by),
                "disputed": to_json(event.disputed_by),
                "by": _id(event.adopted_by),
                "at": iso(event.occurred_at),
                "t": iso(event.timestamp),
            },
        )

    def _position(
        self,
        tx: ViewTransaction,
        event: Any,
        stance: str,
        organisation_id: Any,
        reason: str | None,
        carried_from: Any,
    ) -> None:
        self._touch(tx, event)
        params = {
            "s": str(event.originator_id),
            "n": event.version,
            "o": str(organisation_id),
            "position": stance,
            "reason": reason,
            "person": _id(event.person_id),
            "from": _id(carried_from),
            "at": iso(event.occurred_at),
            "t": iso(event.timestamp),
            "seq": event.originator_version,
        }
        # seq is kept on a change of mind: an organisation keeps its place among positions.
        tx.execute(
            f"""INSERT INTO {POSITIONS} (statement_id, version_number, organisation_id, position,
                    reason, person_id, carried_from, occurred_at, recorded_at, seq)
                VALUES (%(s)s, %(n)s, %(o)s, %(position)s, %(reason)s, %(person)s, %(from)s,
                    %(at)s, %(t)s, %(seq)s)
                ON CONFLICT (statement_id, version_number, organisation_id) DO UPDATE SET
                    position = %(position)s, reason = %(reason)s, person_id = %(person)s,
                    carried_from = %(from)s, occurred_at = %(at)s, recorded_at = %(t)s""",
            params,
        )
        tx.execute(
            f"""INSERT INTO {POSITION_LOG} (statement_id, seq, version_number, organisation_id,
                    position, reason, person_id, carried_from, occurred_at, recorded_at)
                VALUES (%(s)s, %(seq)s, %(n)s, %(o)s, %(position)s, %(reason)s, %(person)s,
                    %(from)s, %(at)s, %(t)s)""",
            params,
        )

    @staticmethod
    def _touch(tx: ViewTransaction, event: Any, **changes: Any) -> None:
        assignments = "".join(f"{column} = %({column})s, " for column in changes)
        tx.execute(
            f"UPDATE {STATEMENTS} SET {assignments}version = %(v)s, updated_at = %(t)s "
            "WHERE id = %(id)s",
            {
                **changes,
                "v": event.originator_version,
                "t": iso(event.timestamp),
                "id": str(event.originator_id),
            },
        )


#: The projections this module defines; infra.bootstrap runs them all.
PROJECTIONS: list[Projection] = [SharedPurposeProjection()]
