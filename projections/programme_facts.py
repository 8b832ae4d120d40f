"""Versioned facts every report shares: organisations, people, programmes, participants.

The directory views (projections/directory.py) serve the API's lists with current rows only.
These tables keep each row's versions (projections/temporal.py), so a report read as of a
past date sees the organisations, people and participants of that date.

- ``pf_organisations``: id; name, kind, status
- ``pf_people``: id; name, organisation_id (NULL between organisations)
- ``pf_programmes``: id; title, lead_commissioner_id
- ``pf_participants``: programme_id, organisation_id; role, kind (the organisation's kind)
- ``pf_workstreams``: id; programme_id, name
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from domain.person import erased_name
from projections.projection import EventHandlers, Projection
from projections.store import ViewTransaction
from projections.temporal import VersionedTable, recorded_at

ORGANISATIONS = VersionedTable(
    "pf_organisations",
    key=("id",),
    columns=("name TEXT NOT NULL", "kind TEXT NOT NULL", "status TEXT NOT NULL"),
)
PEOPLE = VersionedTable(
    "pf_people",
    key=("id",),
    columns=("name TEXT NOT NULL", "organisation_id TEXT"),
    indexes=(("organisation_id",),),
)
PROGRAMMES = VersionedTable(
    "pf_programmes",
    key=("id",),
    columns=("title TEXT NOT NULL", "lead_commissioner_id TEXT NOT NULL"),
)
PARTICIPANTS = VersionedTable(
    "pf_participants",
    key=("programme_id", "organisation_id"),
    columns=("role TEXT NOT NULL", "kind TEXT NOT NULL"),
    indexes=(("organisation_id",),),
)
WORKSTREAMS = VersionedTable(
    "pf_workstreams",
    key=("id",),
    columns=("programme_id TEXT NOT NULL", "name TEXT NOT NULL"),
    indexes=(("programme_id",),),
)
TABLES = (ORGANISATIONS, PEOPLE, PROGRAMMES, PARTICIPANTS, WORKSTREAMS)


class ProgrammeFactsProjection(Projection):
    name = "programme_facts"
    tables = tuple(table.name for table in TABLES)
    handlers = EventHandlers()

    def create_statements(self) -> Sequence[str]:
        return [statement for table in TABLES for statement in table.create_statements()]

    @handlers.on("Organisation.Registered")
    def on_organisation_registered(self, tx: ViewTransaction, event: Any, position: int) -> None:
        ORGANISATIONS.insert(
            tx,
            {
                "id": str(event.originator_id),
                "name": event.name,
                "kind": event.kind,
                "status": "active",
            },
            recorded_at(event),
        )

    @handlers.on("Organisation.Renamed")
    def on_organisation_renamed(self, tx: ViewTransaction, event: Any, position: int) -> None:
        ORGANISATIONS.update(tx, _id(event), {"name": event.name}, recorded_at(event))

    @handlers.on("Organisation.Merged")
    def on_organisation_merged(self, tx: ViewTransaction, event: Any, position: int) -> None:
        ORGANISATIONS.update(tx, _id(event), {"status": "merged"}, recorded_at(event))

    @handlers.on("Organisation.Dissolved")
    def on_organisation_dissolved(self, tx: ViewTransaction, event: Any, position: int) -> None:
        ORGANISATIONS.update(tx, _id(event), {"status": "dissolved"}, recorded_at(event))

    @handlers.on("Person.Registered")
    def on_person_registered(self, tx: ViewTransaction, event: Any, position: int) -> None:
        PEOPLE.insert(
            tx,
            {"id": str(event.originator_id), "name": event.name, "organisation_id": None},
            recorded_at(event),
        )

    @handlers.on("Person.JoinedOrganisation")
    def on_person_joined_organisation(self, tx: ViewTransaction, event: Any, position: int) -> None:
        PEOPLE.update(
            tx, _id(event), {"organisation_id": str(event.organisation_id)}, recorded_at(event)
        )

    @handlers.on("Person.LeftOrganisation")
    def on_person_left_organisation(self, tx: ViewTransaction, event: Any, position: int) -> None:
        PEOPLE.update(tx, _id(event), {"organisation_id": None}, recorded_at(event))

    @handlers.on("Person.Erased")
    def on_person_erased(self, tx: ViewTransaction, event: Any, position: int) -> None:
        # Every version of the row, in place, opening none: reports as of any date show the
        # placeholder, and a rebuild (which reads the placeholder from the log) gives the
        # same rows.
        tx.execute(
            f"UPDATE {PEOPLE.name} SET name = %(name)s WHERE id = %(id)s",
            {"name": erased_name(event.number), "id": str(event.originator_id)},
        )

    @handlers.on("Programme.Created")
    def on_programme_created(self, tx: ViewTransaction, event: Any, position: int) -> None:
        at = recorded_at(event)
        programme_id = str(event.originator_id)
        lead = str(event.lead_commissioner_id)
        PROGRAMMES.insert(
            tx, {"id": programme_id, "title": event.title, "lead_commissioner_id": lead}, at
        )
        self._join(tx, programme_id, lead, "lead_commissioner", at)

    @handlers.on("Programme.DetailsUpdated")
    def on_programme_details_updated(self, tx: ViewTransaction, event: Any, position: int) -> None:
        PROGRAMMES.update(tx, _id(event), {"title": event.title}, recorded_at(event))

    @handlers.on("Programme.ParticipantAdded")
    def on_participant_added(self, tx: ViewTransaction, event: Any, position: int) -> None:
        self._join(
            tx,
            str(event.originator_id),
            str(event.organisation_id),
            event.role,
            recorded_at(event),
        )

    @handlers.on("Programme.ParticipantRemoved")
    def on_participant_removed(self, tx: ViewTransaction, event: Any, position: int) -> None:
        PARTICIPANTS.end(
            tx,
            {
                "programme_id": str(event.originator_id),
                "organisation_id": str(event.organisation_id),
            },
            recorded_at(event),
        )

    @handlers.on("Programme.ParticipationTransferred")
    def on_participation_transferred(self, tx: ViewTransaction, event: Any, position: int) -> None:
        at = recorded_at(event)
        programme_id = str(event.originator_id)
        successor = str(event.to_organisation_id)
        PARTICIPANTS.end(
            tx,
            {"programme_id": programme_id, "organisation_id": str(event.from_organisation_id)},
            at,
        )
        self._join(tx, programme_id, successor, event.role, at)
        if event.role == "lead_commissioner":
            PROGRAMMES.update(tx, _id(event), {"lead_commissioner_id": successor}, at)

    @handlers.on("Programme.WorkstreamAdded")
    def on_workstream_added(self, tx: ViewTransaction, event: Any, position: int) -> None:
        WORKSTREAMS.insert(
            tx,
            {
                "id": str(event.workstream_id),
                "programme_id": str(event.originator_id),
                "name": event.name,
            },
            recorded_at(event),
        )

    @staticmethod
    def _join(
        tx: ViewTransaction, programme_id: str, organisation_id: str, role: str, at: str
    ) -> None:
        organisation = ORGANISATIONS.current(tx, {"id": organisation_id})
        kind = organisation["kind"] if organisation is not None else "unknown"
        PARTICIPANTS.insert(
            tx,
            {
                "programme_id": programme_id,
                "organisation_id": organisation_id,
                "role": role,
                "kind": kind,
            },
            at,
        )


def _id(event: Any) -> dict[str, str]:
    return {"id": str(event.originator_id)}


#: The projections this module defines; infra.bootstrap runs them all.
PROJECTIONS: list[Projection] = [ProgrammeFactsProjection()]
