"""The bus factor on small cases worked out by hand."""

from __future__ import annotations

from projections.resilience_bus_factor import BusFactor, bus_factor, coverers


def test_no_areas_have_a_bus_factor_of_zero() -> None:
    assert bus_factor({}) == BusFactor(value=0, removed=(), area_count=0)


def test_one_person_covering_everything_is_a_bus_factor_of_one() -> None:
    result = bus_factor({"leadership": {"ann"}, "delivery": {"ann"}, "measurement": {"ann"}})

    assert result == BusFactor(value=1, removed=("ann",), area_count=3)


def test_two_people_covering_disjoint_halves_is_a_bus_factor_of_two() -> None:
    # Removing Ann leaves exactly half uncovered, which is not more than half: Bob goes too.
    result = bus_factor(
        {"leadership": {"ann"}, "delivery": {"ann"}, "spread": {"bob"}, "measurement": {"bob"}},
        names={"ann": "Ann", "bob": "Bob"},
    )

    assert result.value == 2
    assert result.removed == ("ann", "bob")


def test_the_person_covering_most_areas_is_removed_first() -> None:
    # Cat covers 3 of 5; without her 2 of 5 are uncovered (not more than half). Ann and Bob
    # then cover 2 each; Ann goes by name, leaving 3 of 5 uncovered.
    result = bus_factor(
        {
            "leadership": {"cat"},
            "engagement": {"cat"},
            "measurement": {"cat", "bob"},
            "spread": {"ann"},
            "delivery": {"ann", "bob"},
        },
        names={"ann": "Ann", "bob": "Bob", "cat": "Cat"},
    )

    assert result.removed == ("cat", "ann")
    assert result.value == 2


def test_ties_are_broken_by_name_then_by_id() -> None:
    covered = {"a": {"p2"}, "b": {"p1"}, "c": {"p3"}}

    by_name = bus_factor(covered, names={"p1": "Zoe", "p2": "Adam", "p3": "Adam"})
    by_id = bus_factor(covered)

    # Three areas, one each: two must go before more than half (2 of 3) are uncovered.
    assert by_name.removed == ("p2", "p3")
    assert by_id.removed == ("p1", "p2")


def test_areas_nobody_covers_count_as_already_lost() -> None:
    mostly_empty = bus_factor({"a": set(), "b": set(), "c": {"ann"}})
    half_empty = bus_factor({"a": set(), "b": {"ann"}})

    assert mostly_empty.value == 0
    assert half_empty.value == 1


def test_an_area_with_a_deputy_coverer_needs_both_removed() -> None:
    result = bus_factor({"a": {"ann", "bob"}})

    assert result.value == 2


def test_a_person_covers_an_area_with_at_least_half_the_top_contributors_count() -> None:
    assert coverers({"ann": 4, "bob": 2, "cat": 1}) == {"ann", "bob"}
    assert coverers({"ann": 3, "bob": 1}) == {"ann"}
    assert coverers({"ann": 1, "bob": 1}) == {"ann", "bob"}


def test_nobody_covers_an_area_without_contributions() -> None:
    assert coverers({}) == frozenset()
    assert coverers({"ann": 0}) == frozenset()
