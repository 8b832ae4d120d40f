"""Views: shared-purpose statements: drafts, revisions, endorsements, disputes, adoption.

One row per statement (its current version and adoption), the latest position of each
organisation on each version, and the programmes' titles and participants, so the list can
count endorsed, disputed and silent organisations against the current text.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from projections.projection import EventHandlers, Projection
from projections.store import ViewTransaction
from projections.timefmt import iso

STATEMENTS = "sp_statements"
POSITIONS = "sp_positions"
PROGRAMMES = "sp_programmes"
PARTICIPANTS = "sp_participants"


class SharedPurposeProjection(Projection):
    name = "shared_purpose"
    tables = (STATEMENTS, POSITIONS, PROGRAMMES, PARTICIPANTS)

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
                recorded_at TEXT NOT NULL,
                PRIMARY KEY (statement_id, version_number, organisation_id))""",
            f"""CREATE INDEX IF NOT EXISTS {POSITIONS}_org
                ON {POSITIONS} (organisation_id, statement_id)""",
            f"""CREATE TABLE IF NOT EXISTS {PROGRAMMES} (
                id TEXT PRIMARY KEY, title TEXT NOT NULL)""",
            f"""CREATE TABLE IF NOT EXISTS {PARTICIPANTS} (
                programme_id TEXT NOT NULL, organisation_id TEXT NOT NULL,
                PRIMARY KEY (programme_id, organisation_id))""",
        ]

    handlers = EventHandlers()

    # Programmes: titles and participants, for counting who has no position

    @handlers.on("Programme.Created")
    def on_programme_created(self, tx: ViewTransaction, event: Any, position: int) -> None:
        params = {
            "p": str(event.originator_id),
            "title": event.title,
            "o": str(event.lead_commissioner_id),
        }
        tx.execute(f"INSERT INTO {PROGRAMMES} (id, title) VALUES (%(p)s, %(title)s)", params)
        tx.execute(
            f"INSERT INTO {PARTICIPANTS} (programme_id, organisation_id) VALUES (%(p)s, %(o)s)",
            params,
        )

    @handlers.on("Programme.DetailsUpdated")
    def on_programme_details_updated(self, tx: ViewTransaction, event: Any, position: int) -> None:
        tx.execute(
            f"UPDATE {PROGRAMMES} SET title = %(title)s WHERE id = %(p)s",
            {"p": str(event.originator_id), "title": event.title},
        )

    @handlers.on("Programme.ParticipantAdded")
    def on_participant_added(self, tx: ViewTransaction, event: Any, position: int) -> None:
        tx.execute(
            f"INSERT INTO {PARTICIPANTS} (programme_id, organisation_id) VALUES (%(p)s, %(o)s)",
            {"p": str(event.originator_id), "o": str(event.organisation_id)},
        )

    @handlers.on("Programme.ParticipantRemoved")
    def on_participant_removed(self, tx: ViewTransaction, event: Any, position: int) -> None:
        tx.execute(
            f"DELETE FROM {PARTICIPANTS} WHERE programme_id = %(p)s AND organisation_id = %(o)s",
            {"p": str(event.originator_id), "o": str(event.organisation_id)},
        )

    @handlers.on("Programme.ParticipationTransferred")
    def on_participation_transferred(self, tx: ViewTransaction, event: Any, position: int) -> None:
        params = {
            "p": str(event.originator_id),
            "from": str(event.from_organisation_id),
            "to": str(event.to_organisation_id),
        }
        tx.execute(
            f"DELETE FROM {PARTICIPANTS} WHERE programme_id = %(p)s AND organisation_id = %(from)s",
            params,
        )
        tx.execute(
            f"""INSERT INTO {PARTICIPANTS} (programme_id, organisation_id) VALUES (%(p)s, %(to)s)
                ON CONFLICT (programme_id, organisation_id) DO NOTHING""",
            params,
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
            "person": str(event.person_id) if event.person_id else None,
            "from": str(carried_from) if carried_from else None,
            "at": iso(event.occurred_at),
            "t": iso(event.timestamp),
        }
        tx.execute(
            f"""INSERT INTO {POSITIONS} (statement_id, version_number, organisation_id, position,
                    reason, person_id, carried_from, occurred_at, recorded_at)
                VALUES (%(s)s, %(n)s, %(o)s, %(position)s, %(reason)s, %(person)s, %(from)s,
                    %(at)s, %(t)s)
                ON CONFLICT (statement_id, version_number, organisation_id) DO UPDATE SET
                    position = %(position)s, reason = %(reason)s, person_id = %(person)s,
                    carried_from = %(from)s, occurred_at = %(at)s, recorded_at = %(t)s""",
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
