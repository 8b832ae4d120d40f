"""The resilience report: where a programme's knowledge and roles rest on too few people.

Read at a ``Moment`` (now, or as of a past recorded time) from versioned tables only
(projections/resilience.py and the shared pf_* facts). Formulas and thresholds are in
docs/reports/resilience.md; the bus factor itself is projections/resilience_bus_factor.py.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from projections.programme_facts import ORGANISATIONS, PARTICIPANTS, PROGRAMMES
from projections.resilience import HANDOVERS, ROLES
from projections.resilience_areas import (
    KnowledgeArea,
    knowledge_areas,
    person_names,
    programme_bus_factor,
)
from projections.resilience_bus_factor import bus_factor
from projections.resilience_offboarding import OffboardingImpact, offboarding_impact
from projections.store import Row, ViewStore
from projections.temporal import Moment, in_clause
from projections.timefmt import iso

#: A person holding or deputising in at least this many critical roles is listed.
SEVERAL_CRITICAL_ROLES = 2


@dataclass(frozen=True)
class RemovedPerson:
    person_id: str
    name: str
    #: Areas they covered at the start (the bus factor removes the busiest first).
    areas_covered: int


@dataclass(frozen=True)
class BusFactorResult:
    value: int
    #: Areas with at least one contribution: the ones the bus factor is computed over.
    knowledge_area_count: int
    removed: list[RemovedPerson]


@dataclass(frozen=True)
class CriticalRoleWithoutDeputy:
    role_id: str
    kind: str
    title: str
    organisation_id: str | None
    holder_id: str | None
    holder_name: str | None
    vacant: bool


@dataclass(frozen=True)
class CriticalRoleHeld:
    role_id: str
    programme_id: str
    programme_title: str
    title: str
    #: "holder" or "deputy": both count towards a person's critical roles.
    position: str


@dataclass(frozen=True)
class PersonWithCriticalRoles:
    person_id: str
    name: str
    #: Across all programmes.
    critical_role_count: int
    roles: list[CriticalRoleHeld]


@dataclass(frozen=True)
class KnowledgeIsland:
    kind: str
    key: str
    name: str
    contribution_count: int
    person_id: str
    person_name: str
    contributions: int
    share: float


@dataclass(frozen=True)
class OrganisationWithoutLead:
    organisation_id: str
    name: str
    participant_role: str
    kind: str


@dataclass(frozen=True)
class HandoverWithoutKnowledge:
    role_id: str
    role_title: str
    version: int
    from_person_id: str
    from_name: str
    to_person_id: str
    to_name: str
    occurred_at: str
    recorded_at: str


@dataclass(frozen=True)
class ProgrammeResilience:
    programme_id: str
    title: str
    as_of: str | None
    today: str
    bus_factor: BusFactorResult
    critical_roles_without_deputy: list[CriticalRoleWithoutDeputy]
    people_with_several_critical_roles: list[PersonWithCriticalRoles]
    knowledge_islands: list[KnowledgeIsland]
    organisations_without_named_lead: list[OrganisationWithoutLead]
    handovers_without_knowledge: list[HandoverWithoutKnowledge]
    knowledge_areas: list[KnowledgeArea]


@dataclass(frozen=True)
class ProgrammeBusFactor:
    programme_id: str
    title: str
    bus_factor: int
    knowledge_area_count: int


@dataclass(frozen=True)
class PortfolioResilience:
    as_of: str | None
    today: str
    items: list[ProgrammeBusFactor]
    total: int
    limit: int
    offset: int
    people_with_several_critical_roles: list[PersonWithCriticalRoles]


class ResilienceReport:
    """The report at one moment. ``bus_factor`` alone is cheap, for portfolio summaries."""

    def __init__(
        self, views: ViewStore, moment: Moment, within: frozenset[str] | None = None
    ) -> None:
        self.views = views
        self.moment = moment
        #: The programmes the reader may see (None: all). Roles elsewhere count towards a
        #: person's critical-role total but are not named, so no hidden programme leaks.
        self.within = within

    def _params(self, **params: object) -> dict[str, object]:
        return {**params, **self.moment.params}

    def programme_title(self, programme_id: str) -> str | None:
        """The programme's title at the moment; None if it did not exist then."""
        row = self.views.fetch_one(
            f"SELECT title FROM {self.moment.table(PROGRAMMES.name)} WHERE id = %(p)s",
            self._params(p=programme_id),
        )
        return None if row is None else str(row["title"])

    def bus_factor(self, programme_id: str, moment: Moment | None = None) -> int:
        """The programme's bus factor at ``moment`` (default: the report's)."""
        return programme_bus_factor(self.views, moment or self.moment, programme_id).value

    # The programme report

    def for_programme(self, programme_id: str) -> ProgrammeResilience | None:
        """The whole report; None if the programme did not exist at the moment."""
        title = self.programme_title(programme_id)
        if title is None:
            return None
        areas, names = knowledge_areas(self.views, self.moment, programme_id)
        return ProgrammeResilience(
            programme_id=programme_id,
            title=title,
            as_of=iso(self.moment.as_of),
            today=self.moment.today.isoformat(),
            bus_factor=_bus_factor(areas, names),
            critical_roles_without_deputy=self.critical_roles_without_deputy(programme_id),
            people_with_several_critical_roles=[
                person
                for person in self.people_with_several_critical_roles(
                    self._critical_role_people(programme_id)
                )
                if any(role.programme_id == programme_id for role in person.roles)
            ],
            knowledge_islands=_islands(areas),
            organisations_without_named_lead=self.organisations_without_named_lead(programme_id),
            handovers_without_knowledge=self.handovers_without_knowledge(programme_id),
            knowledge_areas=areas,
        )

    def critical_roles_without_deputy(self, programme_id: str) -> list[CriticalRoleWithoutDeputy]:
        """Critical roles with nobody deputising (a vacant critical role has none either)."""
        rows = self.views.fetch_all(
            f"""SELECT * FROM {self.moment.table(ROLES.name)}
                WHERE programme_id = %(p)s AND critical = TRUE AND deputy_id IS NULL
                ORDER BY title, id""",
            self._params(p=programme_id),
        )
        names = person_names(
            self.views, self.moment, (r["holder_id"] for r in rows if r["holder_id"])
        )
        return [
            CriticalRoleWithoutDeputy(
                role_id=row["id"],
                kind=row["kind"],
                title=row["title"],
                organisation_id=row["organisation_id"],
                holder_id=row["holder_id"],
                holder_name=names.get(row["holder_id"]) if row["holder_id"] else None,
                vacant=row["holder_id"] is None,
            )
            for row in rows
        ]

    def people_with_several_critical_roles(
        self, among: Collection[str] | None = None
    ) -> list[PersonWithCriticalRoles]:
        """People holding or deputising in several critical roles, across all programmes;
        only those ``among`` the given people when given (a programme's report asks about its
        own role holders, so its cost does not grow with the portfolio)."""
        among_clause, among_params = "", dict[str, str]()
        if among is not None:
            if not among:
                return []
            listed, among_params = in_clause("_person", sorted(among))
            among_clause = f" AND (r.holder_id IN {listed} OR r.deputy_id IN {listed})"
        rows = self.views.fetch_all(
            f"""SELECT r.id, r.programme_id, r.title, r.holder_id, r.deputy_id,
                    pg.title AS programme_title
                FROM {self.moment.table(ROLES.name, "r")}
                LEFT JOIN {self.moment.table(PROGRAMMES.name, "pg")} ON pg.id = r.programme_id
                WHERE r.critical = TRUE{among_clause}
                ORDER BY pg.title, r.title, r.id""",
            self._params(**among_params),
        )
        held: dict[str, list[CriticalRoleHeld]] = {}
        for row in rows:
            for position in ("holder", "deputy"):
                person = row[f"{position}_id"]
                if person is not None:
                    held.setdefault(person, []).append(_held(row, position))
        several = {
            person: roles for person, roles in held.items() if len(roles) >= SEVERAL_CRITICAL_ROLES
        }
        names = person_names(self.views, self.moment, several)
        people = [
            PersonWithCriticalRoles(person, names.get(person, ""), len(roles), shown)
            for person, roles in several.items()
            if (shown := self._visible(roles))
        ]
        return sorted(people, key=lambda p: (-p.critical_role_count, p.name, p.person_id))

    def _visible(self, roles: list[CriticalRoleHeld]) -> list[CriticalRoleHeld]:
        if self.within is None:
            return roles
        return [role for role in roles if role.programme_id in self.within]

    def _critical_role_people(self, programme_id: str) -> set[str]:
        """Who holds or deputises in the programme's critical roles at the moment."""
        rows = self.views.fetch_all(
            f"""SELECT r.holder_id, r.deputy_id FROM {self.moment.table(ROLES.name, "r")}
                WHERE r.programme_id = %(p)s AND r.critical = TRUE""",
            self._params(p=programme_id),
        )
        return {row[c] for row in rows for c in ("holder_id", "deputy_id") if row[c] is not None}

    def organisations_without_named_lead(self, programme_id: str) -> list[OrganisationWithoutLead]:
        """Participants with no held organisation_lead role for them in the programme."""
        m = self.moment
        rows = self.views.fetch_all(
            f"""SELECT pa.organisation_id, pa.role, pa.kind, o.name
                FROM {m.table(PARTICIPANTS.name, "pa")}
                LEFT JOIN {m.table(ORGANISATIONS.name, "o")} ON o.id = pa.organisation_id
                WHERE pa.programme_id = %(p)s AND NOT EXISTS (
                    SELECT 1 FROM {m.table(ROLES.name, "r")}
                    WHERE r.programme_id = pa.programme_id AND r.kind = 'organisation_lead'
                      AND r.organisation_id = pa.organisation_id AND r.holder_id IS NOT NULL)
                ORDER BY o.name, pa.organisation_id""",
            self._params(p=programme_id),
        )
        return [
            OrganisationWithoutLead(
                organisation_id=row["organisation_id"],
                name=row["name"] or "",
                participant_role=row["role"],
                kind=row["kind"],
            )
            for row in rows
        ]

    def handovers_without_knowledge(self, programme_id: str) -> list[HandoverWithoutKnowledge]:
        """Handovers recorded by the moment that transferred no knowledge items."""
        m = self.moment
        rows = self.views.fetch_all(
            f"""SELECT h.*, r.title AS role_title FROM {m.appended(HANDOVERS, "h")}
                LEFT JOIN {m.table(ROLES.name, "r")} ON r.id = h.role_id
                WHERE h.programme_id = %(p)s AND h.knowledge_item_count = 0
                ORDER BY h.recorded_at, h.role_id, h.version""",
            self._params(p=programme_id),
        )
        people = [row[f"{side}_person_id"] for row in rows for side in ("from", "to")]
        names = person_names(self.views, m, people)
        return [
            HandoverWithoutKnowledge(
                role_id=row["role_id"],
                role_title=row["role_title"] or "",
                version=int(row["version"]),
                from_person_id=row["from_person_id"],
                from_name=names.get(row["from_person_id"], ""),
                to_person_id=row["to_person_id"],
                to_name=names.get(row["to_person_id"], ""),
                occurred_at=row["occurred_at"],
                recorded_at=row["recorded_at"],
            )
            for row in rows
        ]

    # What-if and portfolio

    def offboarding(self, programme_id: str, person_ids: list[str]) -> OffboardingImpact:
        """What would be orphaned if these people left the programme at the moment."""
        return offboarding_impact(self.views, self.moment, programme_id, person_ids)

    def portfolio(self, limit: int, offset: int) -> PortfolioResilience:
        """Every programme's bus factor (by title), and people with several critical roles."""
        m = self.moment
        condition, listed = "", dict[str, str]()
        if self.within is not None:
            clause, listed = in_clause("_within", sorted(self.within))
            condition = f" WHERE id IN {clause}"
        total = self.views.fetch_one(
            f"SELECT COUNT(*) AS n FROM {m.table(PROGRAMMES.name)}{condition}",
            self._params(**listed),
        )
        rows = self.views.fetch_all(
            f"""SELECT id, title FROM {m.table(PROGRAMMES.name)}{condition} ORDER BY title, id
                LIMIT %(limit)s OFFSET %(offset)s""",
            self._params(limit=limit, offset=offset, **listed),
        )
        items = []
        for row in rows:
            result = programme_bus_factor(self.views, m, row["id"])
            items.append(
                ProgrammeBusFactor(row["id"], row["title"], result.value, result.area_count)
            )
        return PortfolioResilience(
            as_of=iso(m.as_of),
            today=m.today.isoformat(),
            items=items,
            total=int(total["n"]) if total is not None else 0,
            limit=limit,
            offset=offset,
            people_with_several_critical_roles=self.people_with_several_critical_roles(),
        )


def _held(row: Row, position: str) -> CriticalRoleHeld:
    return CriticalRoleHeld(
        role_id=row["id"],
        programme_id=row["programme_id"],
        programme_title=row["programme_title"] or "",
        title=row["title"],
        position=position,
    )


def _bus_factor(areas: list[KnowledgeArea], names: dict[str, str]) -> BusFactorResult:
    """The bus factor over the areas anyone contributed to (untouched ones hold no knowledge)."""
    touched = [area for area in areas if area.contribution_count]
    result = bus_factor({f"{a.kind}:{a.key}": a.coverer_ids for a in touched}, names)
    covered = {person: sum(person in a.coverer_ids for a in touched) for person in result.removed}
    removed = [RemovedPerson(p, names.get(p, ""), covered[p]) for p in result.removed]
    return BusFactorResult(value=result.value, knowledge_area_count=len(touched), removed=removed)


def _islands(areas: list[KnowledgeArea]) -> list[KnowledgeIsland]:
    islands = []
    for area in areas:
        holder = area.island_holder
        if holder is not None:
            islands.append(
                KnowledgeIsland(
                    kind=area.kind,
                    key=area.key,
                    name=area.name,
                    contribution_count=area.contribution_count,
                    person_id=holder.person_id,
                    person_name=holder.name,
                    contributions=holder.contributions,
                    share=holder.share,
                )
            )
    return islands
