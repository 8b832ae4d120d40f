"""The bus factor (truck factor) of a set of knowledge areas: pure functions, no storage.

Follows Avelino et al. (2016), "A novel approach for estimating truck factors": each area
has the people who cover it; repeatedly remove the person who covers the most areas until
more than half of the areas have nobody left; the bus factor is how many were removed.

Coverage (our analogue of their normalised degree of authorship): a person covers an area
when they made at least ``COVERAGE_SHARE_OF_TOP`` of the contributions its top contributor
made, so the top contributor always covers it and occasional contributors do not.

Edge cases (see tests/unit/test_bus_factor.py):

- no areas: 0 (there is no knowledge to lose);
- areas that start with nobody covering them count as already uncovered; if they are more
  than half of all areas the bus factor is 0;
- ties (same number of areas covered) are broken by name, then by id, so the result is
  the same on every run and on both databases.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

#: A person covers an area with at least this share of its top contributor's count.
COVERAGE_SHARE_OF_TOP = 0.5


@dataclass(frozen=True)
class BusFactor:
    #: How many people had to leave before more than half of the areas had nobody left.
    value: int
    #: Who was removed, in order (person ids).
    removed: tuple[str, ...]
    #: How many areas were considered.
    area_count: int


def coverers(contributions: Mapping[str, int]) -> frozenset[str]:
    """Who covers an area, given each person's number of contributions to it."""
    counted = {person: count for person, count in contributions.items() if count > 0}
    if not counted:
        return frozenset()
    top = max(counted.values())
    return frozenset(
        person for person, count in counted.items() if count >= COVERAGE_SHARE_OF_TOP * top
    )


def bus_factor(
    covered_by: Mapping[str, Collection[str]], names: Mapping[str, str] | None = None
) -> BusFactor:
    """The bus factor of areas (area key -> ids of the people covering it).

    ``names`` (person id -> name) only breaks ties; people without a name come first, by id.
    """
    names = names or {}
    areas = {area: set(people) for area, people in covered_by.items()}
    total = len(areas)
    removed: list[str] = []

    def uncovered() -> int:
        return sum(1 for people in areas.values() if not people)

    while total and uncovered() * 2 <= total:
        load: dict[str, int] = {}
        for people in areas.values():
            for person in people:
                load[person] = load.get(person, 0) + 1
        # Areas are still covered, so someone covers one; the loop cannot spin.
        chosen = min(load, key=lambda person: (-load[person], names.get(person, ""), person))
        removed.append(chosen)
        for people in areas.values():
            people.discard(chosen)
    return BusFactor(value=len(removed), removed=tuple(removed), area_count=total)
