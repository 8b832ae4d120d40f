"""Knowledge areas of a programme and who contributed to each, read at a moment.

A knowledge area is a component of the programme's framework or one of its workstreams.
Contributions come from ``res_contributions`` (see projections/resilience.py); an area is a
*knowledge island* when one person made at least ``ISLAND_SHARE`` of at least
``ISLAND_MIN_CONTRIBUTIONS`` contributions.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from domain.framework import DEFAULT_FRAMEWORK_KEY
from projections.programme_facts import PEOPLE, WORKSTREAMS
from projections.resilience import COMPONENT, CONTRIBUTIONS, FRAMEWORKS, WORKSTREAM
from projections.resilience_bus_factor import BusFactor, bus_factor, coverers
from projections.reviews import FRAMEWORK_COMPONENTS
from projections.store import ViewStore
from projections.temporal import Moment, in_clause

#: One person made at least this share of an area's contributions...
ISLAND_SHARE = 0.8
#: ...of at least this many: then the area is a knowledge island.
ISLAND_MIN_CONTRIBUTIONS = 3


@dataclass(frozen=True)
class Contributor:
    person_id: str
    name: str
    contributions: int
    share: float
    #: Counts as covering the area for the bus factor (resilience_bus_factor.coverers).
    covers: bool


@dataclass(frozen=True)
class KnowledgeArea:
    kind: str
    key: str
    name: str
    contribution_count: int
    #: Most contributions first, then by name and id.
    contributors: list[Contributor] = field(default_factory=list)

    @property
    def coverer_ids(self) -> list[str]:
        return [c.person_id for c in self.contributors if c.covers]

    @property
    def sole_coverer(self) -> Contributor | None:
        """The one person covering the area, if only one does: a single point of knowledge
        (the off-boarding what-if orphans the area if they alone leave)."""
        covering = [c for c in self.contributors if c.covers]
        return covering[0] if len(covering) == 1 else None

    @property
    def island_holder(self) -> Contributor | None:
        """The one person who made nearly all contributions, if the area is an island."""
        if self.contribution_count < ISLAND_MIN_CONTRIBUTIONS or not self.contributors:
            return None
        top = self.contributors[0]
        return top if top.contributions >= ISLAND_SHARE * self.contribution_count else None


def person_names(views: ViewStore, moment: Moment, person_ids: Iterable[str]) -> dict[str, str]:
    """People's names as of the moment (a person unknown then is left out)."""
    ids = sorted(set(person_ids))
    if not ids:
        return {}
    clause, params = in_clause("person", ids)
    rows = views.fetch_all(
        f"SELECT id, name FROM {moment.table(PEOPLE.name)} WHERE id IN {clause}",
        {**params, **moment.params},
    )
    return {row["id"]: row["name"] for row in rows}


def _counts(
    views: ViewStore, moment: Moment, programme_id: str
) -> tuple[dict[tuple[str, str], dict[str, int]], dict[str, str]]:
    """Contributions per area and person, recorded by the moment; and those people's names."""
    rows = views.fetch_all(
        f"""SELECT c.area_kind, c.area_key, c.person_id, p.name AS person_name,
                COUNT(*) AS n
            FROM {moment.appended(CONTRIBUTIONS, "c")}
            LEFT JOIN {moment.table(PEOPLE.name, "p")} ON p.id = c.person_id
            WHERE c.programme_id = %(p)s
            GROUP BY c.area_kind, c.area_key, c.person_id, p.name""",
        {"p": programme_id, **moment.params},
    )
    counts: dict[tuple[str, str], dict[str, int]] = {}
    names: dict[str, str] = {}
    for row in rows:
        counts.setdefault((row["area_kind"], row["area_key"]), {})[row["person_id"]] = int(row["n"])
        names[row["person_id"]] = row["person_name"] or ""
    return counts, names


def programme_bus_factor(views: ViewStore, moment: Moment, programme_id: str) -> BusFactor:
    """The bus factor over the areas anyone has contributed to (two small queries' worth)."""
    counts, names = _counts(views, moment, programme_id)
    covered = {f"{kind}:{key}": coverers(people) for (kind, key), people in counts.items()}
    return bus_factor(covered, names)


def _area_names(views: ViewStore, moment: Moment, programme_id: str) -> list[tuple[str, str, str]]:
    """Every area of the programme as (kind, key, name): components in framework order,
    then workstreams by name."""
    framework = views.fetch_one(
        f"SELECT framework_key FROM {moment.table(FRAMEWORKS.name)} WHERE programme_id = %(p)s",
        {"p": programme_id, **moment.params},
    )
    key = framework["framework_key"] if framework is not None else DEFAULT_FRAMEWORK_KEY
    # Framework definitions are registered once and never change: read as current.
    components = views.fetch_all(
        f"SELECT component, label FROM {FRAMEWORK_COMPONENTS}"
        " WHERE framework_key = %(f)s ORDER BY position",
        {"f": key},
    )
    workstreams = views.fetch_all(
        f"SELECT id, name FROM {moment.table(WORKSTREAMS.name)}"
        " WHERE programme_id = %(p)s ORDER BY name, id",
        {"p": programme_id, **moment.params},
    )
    return [(COMPONENT, row["component"], row["label"]) for row in components] + [
        (WORKSTREAM, row["id"], row["name"]) for row in workstreams
    ]


def knowledge_areas(
    views: ViewStore, moment: Moment, programme_id: str
) -> tuple[list[KnowledgeArea], dict[str, str]]:
    """Every area (untouched ones too) with its contributors; and the contributors' names.

    Areas someone contributed to that the framework no longer lists (a framework changed
    since) are kept, named by their key.
    """
    counts, names = _counts(views, moment, programme_id)
    listed = _area_names(views, moment, programme_id)
    known = {(kind, key) for kind, key, _ in listed}
    extra = sorted((kind, key, key) for kind, key in counts if (kind, key) not in known)
    areas = []
    for kind, key, name in listed + extra:
        people = counts.get((kind, key), {})
        total = sum(people.values())
        covering = coverers(people)
        contributors = [
            Contributor(
                person_id=person,
                name=names.get(person, ""),
                contributions=count,
                share=round(count / total, 4),
                covers=person in covering,
            )
            for person, count in sorted(
                people.items(), key=lambda item: (-item[1], names.get(item[0], ""), item[0])
            )
        ]
        areas.append(KnowledgeArea(kind, key, name, total, contributors))
    return areas, names
