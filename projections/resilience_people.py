"""The people of a programme at a moment, for the resilience page: who could leave, where they
work and which roles they hold or deputise in.

A programme's people are the members of its participating organisations, the holders and
deputies of its roles and everyone who contributed to its knowledge areas (a contributor may
since have moved elsewhere: they still hold what they know).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from projections.programme_facts import ORGANISATIONS, PARTICIPANTS, PEOPLE
from projections.resilience import CONTRIBUTIONS, ROLES
from projections.store import ViewStore
from projections.temporal import Moment, in_clause

HOLDER = "holder"
DEPUTY = "deputy"


@dataclass(frozen=True)
class HeldRole:
    role_id: str
    title: str
    critical: bool
    #: "holder" or "deputy".
    position: str


@dataclass(frozen=True)
class ProgrammePerson:
    person_id: str
    name: str
    organisation_id: str | None
    organisation_name: str
    #: The roles they hold or deputise in, in this programme, by title.
    roles: list[HeldRole] = field(default_factory=list)


def programme_people(views: ViewStore, moment: Moment, programme_id: str) -> list[ProgrammePerson]:
    """Everyone with a place in the programme at the moment, by organisation then name."""
    params = {"p": programme_id, **moment.params}
    members = views.fetch_all(
        f"""SELECT pe.id FROM {moment.table(PEOPLE.name, "pe")}
            JOIN {moment.table(PARTICIPANTS.name, "pa")} ON pa.organisation_id = pe.organisation_id
            WHERE pa.programme_id = %(p)s""",
        params,
    )
    contributors = views.fetch_all(
        f"""SELECT DISTINCT person_id FROM {moment.appended(CONTRIBUTIONS)}
            WHERE programme_id = %(p)s""",
        params,
    )
    roles = views.fetch_all(
        f"""SELECT id, title, critical, holder_id, deputy_id FROM {moment.table(ROLES.name)}
            WHERE programme_id = %(p)s ORDER BY title, id""",
        params,
    )
    held: dict[str, list[HeldRole]] = {}
    for row in roles:
        for position in (HOLDER, DEPUTY):
            person = row[f"{position}_id"]
            if person is not None:
                role = HeldRole(row["id"], row["title"], bool(row["critical"]), position)
                held.setdefault(person, []).append(role)
    ids = {row["id"] for row in members} | {row["person_id"] for row in contributors} | set(held)
    if not ids:
        return []
    listed, listed_params = in_clause("person", sorted(ids))
    rows = views.fetch_all(
        f"""SELECT pe.id, pe.name, pe.organisation_id, o.name AS organisation_name
            FROM {moment.table(PEOPLE.name, "pe")}
            LEFT JOIN {moment.table(ORGANISATIONS.name, "o")} ON o.id = pe.organisation_id
            WHERE pe.id IN {listed}""",
        {**listed_params, **moment.params},
    )
    people = [
        ProgrammePerson(
            person_id=row["id"],
            name=row["name"],
            organisation_id=row["organisation_id"],
            organisation_name=row["organisation_name"] or "",
            roles=held.get(row["id"], []),
        )
        for row in rows
    ]
    return sorted(people, key=lambda p: (p.organisation_name, p.name, p.person_id))
