"""The directory view: organisations, people, programmes and tokens, for lists and lookups."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from domain.organisation import OrganisationStatus
from domain.person import erased_name
from infra.person_keys import TABLE as PERSON_KEYS
from projections.projection import EventHandlers, Projection
from projections.store import ViewTransaction
from projections.timefmt import iso

ORGANISATIONS = "dir_organisations"
PEOPLE = "dir_people"
MEMBERSHIPS = "dir_memberships"
PROGRAMMES = "dir_programmes"
PARTICIPANTS = "dir_participants"
WORKSTREAMS = "dir_workstreams"
TOKENS = "dir_tokens"
AUDITORS = "dir_auditors"


class DirectoryProjection(Projection):
    name = "directory"
    tables = (
        ORGANISATIONS,
        PEOPLE,
        MEMBERSHIPS,
        PROGRAMMES,
        PARTICIPANTS,
        WORKSTREAMS,
        TOKENS,
        AUDITORS,
    )

    def create_statements(self) -> Sequence[str]:
        return [
            f"""CREATE TABLE IF NOT EXISTS {ORGANISATIONS} (
                id TEXT PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL, ods_code TEXT,
                status TEXT NOT NULL, successor_id TEXT, version INTEGER NOT NULL,
                created_at TEXT NOT NULL, updated_at TEXT NOT NULL)""",
            f"CREATE INDEX IF NOT EXISTS {ORGANISATIONS}_name ON {ORGANISATIONS} (name, id)",
            # email and about are NULL once the person is erased (ADR 10).
            f"""CREATE TABLE IF NOT EXISTS {PEOPLE} (
                id TEXT PRIMARY KEY, name TEXT NOT NULL, email TEXT, about TEXT,
                erased BOOLEAN NOT NULL, organisation_id TEXT, version INTEGER NOT NULL,
                created_at TEXT NOT NULL, updated_at TEXT NOT NULL)""",
            f"CREATE INDEX IF NOT EXISTS {PEOPLE}_name ON {PEOPLE} (name, id)",
            f"""CREATE TABLE IF NOT EXISTS {MEMBERSHIPS} (
                person_id TEXT NOT NULL, joined_version INTEGER NOT NULL,
                organisation_id TEXT NOT NULL, joined_at TEXT NOT NULL, left_at TEXT,
                PRIMARY KEY (person_id, joined_version))""",
            f"""CREATE TABLE IF NOT EXISTS {PROGRAMMES} (
                id TEXT PRIMARY KEY, title TEXT NOT NULL, description TEXT NOT NULL,
                lead_commissioner_id TEXT NOT NULL, version INTEGER NOT NULL,
                created_at TEXT NOT NULL, updated_at TEXT NOT NULL)""",
            f"CREATE INDEX IF NOT EXISTS {PROGRAMMES}_title ON {PROGRAMMES} (title, id)",
            f"""CREATE TABLE IF NOT EXISTS {PARTICIPANTS} (
                programme_id TEXT NOT NULL, organisation_id TEXT NOT NULL, role TEXT NOT NULL,
                joined_at TEXT NOT NULL, PRIMARY KEY (programme_id, organisation_id))""",
            f"""CREATE INDEX IF NOT EXISTS {PARTICIPANTS}_org
                ON {PARTICIPANTS} (organisation_id, programme_id)""",
            f"""CREATE TABLE IF NOT EXISTS {WORKSTREAMS} (
                id TEXT PRIMARY KEY, programme_id TEXT NOT NULL, name TEXT NOT NULL,
                created_at TEXT NOT NULL)""",
            f"""CREATE TABLE IF NOT EXISTS {TOKENS} (
                id TEXT PRIMARY KEY, person_id TEXT NOT NULL, label TEXT NOT NULL,
                expires_at TEXT, revoked BOOLEAN NOT NULL, created_at TEXT NOT NULL)""",
            # Who audits which programme: the access policy lists the programmes a person
            # may read from here and from the participants.
            f"""CREATE TABLE IF NOT EXISTS {AUDITORS} (
                programme_id TEXT NOT NULL, person_id TEXT NOT NULL, appointed_at TEXT NOT NULL,
                PRIMARY KEY (person_id, programme_id))""",
        ]

    handlers = EventHandlers()

    # Organisations

    @handlers.on("Organisation.Registered")
    def on_organisation_registered(self, tx: ViewTransaction, event: Any, position: int) -> None:
        tx.execute(
            f"""INSERT INTO {ORGANISATIONS}
                (id, name, kind, ods_code, status, successor_id, version, created_at, updated_at)
                VALUES (%(id)s, %(name)s, %(kind)s, %(ods)s, %(status)s, NULL, %(v)s, %(t)s, %(t)s)
            """,
            {
                "id": str(event.originator_id),
                "name": event.name,
                "kind": event.kind,
                "ods": event.ods_code,
                "status": OrganisationStatus.ACTIVE.value,
                "v": event.originator_version,
                "t": iso(event.timestamp),
            },
        )

    @handlers.on("Organisation.Renamed")
    def on_organisation_renamed(self, tx: ViewTransaction, event: Any, position: int) -> None:
        self._touch(tx, ORGANISATIONS, event, name=event.name)

    @handlers.on("Organisation.Merged")
    def on_organisation_merged(self, tx: ViewTransaction, event: Any, position: int) -> None:
        self._touch(
            tx,
            ORGANISATIONS,
            event,
            status=OrganisationStatus.MERGED.value,
            successor_id=str(event.successor_id),
        )

    @handlers.on("Organisation.Dissolved")
    def on_organisation_dissolved(self, tx: ViewTransaction, event: Any, position: int) -> None:
        self._touch(tx, ORGANISATIONS, event, status=OrganisationStatus.DISSOLVED.value)

    # People

    @handlers.on("Person.Registered")
    def on_person_registered(self, tx: ViewTransaction, event: Any, position: int) -> None:
        tx.execute(
            f"""INSERT INTO {PEOPLE} (id, name, email, about, erased, organisation_id,
                    version, created_at, updated_at)
                VALUES (%(id)s, %(name)s, %(email)s, %(about)s, FALSE, NULL,
                    %(v)s, %(t)s, %(t)s)""",
            {
                "id": str(event.originator_id),
                "name": event.name,
                "email": event.email,
                # Events stored before ``about`` existed have none.
                "about": getattr(event, "about", None),
                "v": event.originator_version,
                "t": iso(event.timestamp),
            },
        )

    @handlers.on("Person.AboutChanged")
    def on_person_about_changed(self, tx: ViewTransaction, event: Any, position: int) -> None:
        self._touch(tx, PEOPLE, event, about=event.about)

    @handlers.on("Person.Erased")
    def on_person_erased(self, tx: ViewTransaction, event: Any, position: int) -> None:
        self._touch(
            tx, PEOPLE, event, name=erased_name(event.number), email=None, about=None, erased=True
        )
        # The use case destroys the key right after recording this event; doing it here as
        # well, in the view's transaction, finishes an erasure whose process died in between.
        tx.execute(
            f"UPDATE {PERSON_KEYS} SET key = NULL, erased_at = COALESCE(erased_at, %(t)s)"
            " WHERE person_id = %(p)s",
            {"p": str(event.originator_id), "t": iso(event.timestamp)},
        )

    @handlers.on("Person.JoinedOrganisation")
    def on_person_joined_organisation(self, tx: ViewTransaction, event: Any, position: int) -> None:
        organisation_id = str(event.organisation_id)
        self._touch(tx, PEOPLE, event, organisation_id=organisation_id)
        tx.execute(
            # Keyed by the joining event's version: one person may join and leave within
            # the same instant, so the time alone does not identify a membership.
            f"""INSERT INTO {MEMBERSHIPS}
                (person_id, joined_version, organisation_id, joined_at, left_at)
                VALUES (%(p)s, %(v)s, %(o)s, %(at)s, NULL)""",
            {
                "p": str(event.originator_id),
                "v": event.originator_version,
                "o": organisation_id,
                "at": iso(event.occurred_at),
            },
        )

    @handlers.on("Person.LeftOrganisation")
    def on_person_left_organisation(self, tx: ViewTransaction, event: Any, position: int) -> None:
        self._touch(tx, PEOPLE, event, organisation_id=None)
        tx.execute(
            f"""UPDATE {MEMBERSHIPS} SET left_at = %(at)s
                WHERE person_id = %(p)s AND organisation_id = %(o)s AND left_at IS NULL""",
            {
                "p": str(event.originator_id),
                "o": str(event.organisation_id),
                "at": iso(event.occurred_at),
            },
        )

    # Programmes

    @handlers.on("Programme.Created")
    def on_programme_created(self, tx: ViewTransaction, event: Any, position: int) -> None:
        params = {
            "id": str(event.originator_id),
            "title": event.title,
            "description": event.description,
            "lead": str(event.lead_commissioner_id),
            "v": event.originator_version,
            "t": iso(event.timestamp),
        }
        tx.execute(
            f"""INSERT INTO {PROGRAMMES}
                (id, title, description, lead_commissioner_id, version, created_at, updated_at)
                VALUES (%(id)s, %(title)s, %(description)s, %(lead)s, %(v)s, %(t)s, %(t)s)""",
            params,
        )
        tx.execute(
            f"""INSERT INTO {PARTICIPANTS} (programme_id, organisation_id, role, joined_at)
                VALUES (%(id)s, %(lead)s, 'lead_commissioner', %(t)s)""",
            params,
        )

    @handlers.on("Programme.DetailsUpdated")
    def on_programme_details_updated(self, tx: ViewTransaction, event: Any, position: int) -> None:
        self._touch(tx, PROGRAMMES, event, title=event.title, description=event.description)

    @handlers.on("Programme.ParticipantAdded")
    def on_programme_participant_added(
        self, tx: ViewTransaction, event: Any, position: int
    ) -> None:
        self._touch(tx, PROGRAMMES, event)
        tx.execute(
            f"""INSERT INTO {PARTICIPANTS} (programme_id, organisation_id, role, joined_at)
                VALUES (%(p)s, %(o)s, %(role)s, %(t)s)""",
            {
                "p": str(event.originator_id),
                "o": str(event.organisation_id),
                "role": event.role,
                "t": iso(event.timestamp),
            },
        )

    @handlers.on("Programme.ParticipantRemoved")
    def on_programme_participant_removed(
        self, tx: ViewTransaction, event: Any, position: int
    ) -> None:
        self._touch(tx, PROGRAMMES, event)
        tx.execute(
            f"DELETE FROM {PARTICIPANTS} WHERE programme_id = %(p)s AND organisation_id = %(o)s",
            {"p": str(event.originator_id), "o": str(event.organisation_id)},
        )

    @handlers.on("Programme.AuditorAppointed")
    def on_programme_auditor_appointed(
        self, tx: ViewTransaction, event: Any, position: int
    ) -> None:
        self._touch(tx, PROGRAMMES, event)
        tx.execute(
            f"""INSERT INTO {AUDITORS} (programme_id, person_id, appointed_at)
                VALUES (%(p)s, %(person)s, %(t)s)""",
            {
                "p": str(event.originator_id),
                "person": str(event.person_id),
                "t": iso(event.timestamp),
            },
        )

    @handlers.on("Programme.AuditorRemoved")
    def on_programme_auditor_removed(self, tx: ViewTransaction, event: Any, position: int) -> None:
        self._touch(tx, PROGRAMMES, event)
        tx.execute(
            f"DELETE FROM {AUDITORS} WHERE programme_id = %(p)s AND person_id = %(person)s",
            {"p": str(event.originator_id), "person": str(event.person_id)},
        )

    @handlers.on("Programme.ParticipationTransferred")
    def on_programme_participation_transferred(
        self, tx: ViewTransaction, event: Any, position: int
    ) -> None:
        params = {
            "p": str(event.originator_id),
            "from": str(event.from_organisation_id),
            "to": str(event.to_organisation_id),
            "role": event.role,
            "t": iso(event.timestamp),
        }
        changes = (
            {"lead_commissioner_id": params["to"]} if event.role == "lead_commissioner" else {}
        )
        self._touch(tx, PROGRAMMES, event, **changes)
        tx.execute(
            f"DELETE FROM {PARTICIPANTS} WHERE programme_id = %(p)s AND organisation_id = %(from)s",
            params,
        )
        tx.execute(
            f"""INSERT INTO {PARTICIPANTS} (programme_id, organisation_id, role, joined_at)
                VALUES (%(p)s, %(to)s, %(role)s, %(t)s)
                ON CONFLICT (programme_id, organisation_id) DO UPDATE SET role = %(role)s""",
            params,
        )

    @handlers.on("Programme.WorkstreamAdded")
    def on_programme_workstream_added(self, tx: ViewTransaction, event: Any, position: int) -> None:
        self._touch(tx, PROGRAMMES, event)
        tx.execute(
            f"""INSERT INTO {WORKSTREAMS} (id, programme_id, name, created_at)
                VALUES (%(id)s, %(p)s, %(name)s, %(t)s)""",
            {
                "id": str(event.workstream_id),
                "p": str(event.originator_id),
                "name": event.name,
                "t": iso(event.timestamp),
            },
        )

    # API tokens (never the hash: the view lists tokens for their owner and for revocation)

    @handlers.on("ApiToken.Issued")
    def on_api_token_issued(self, tx: ViewTransaction, event: Any, position: int) -> None:
        tx.execute(
            f"""INSERT INTO {TOKENS} (id, person_id, label, expires_at, revoked, created_at)
                VALUES (%(id)s, %(p)s, %(label)s, %(exp)s, FALSE, %(t)s)""",
            {
                "id": str(event.originator_id),
                "p": str(event.person_id),
                "label": event.label,
                "exp": iso(event.expires_at),
                "t": iso(event.timestamp),
            },
        )

    @handlers.on("ApiToken.Revoked")
    def on_api_token_revoked(self, tx: ViewTransaction, event: Any, position: int) -> None:
        tx.execute(
            f"UPDATE {TOKENS} SET revoked = TRUE WHERE id = %(id)s",
            {"id": str(event.originator_id)},
        )

    @staticmethod
    def _touch(tx: ViewTransaction, table: str, event: Any, **changes: Any) -> None:
        """Set the given columns plus the row's version and last-updated time."""
        assignments = "".join(f"{column} = %({column})s, " for column in changes)
        tx.execute(
            f"UPDATE {table} SET {assignments}version = %(v)s, updated_at = %(t)s "
            "WHERE id = %(id)s",
            {
                **changes,
                "v": event.originator_version,
                "t": iso(event.timestamp),
                "id": str(event.originator_id),
            },
        )
