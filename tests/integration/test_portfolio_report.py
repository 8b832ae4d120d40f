"""The portfolio summary: each programme's alignment, overdue commitments and bus factor."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from infra.bootstrap import Container
from projections.portfolio_report import Portfolio, PortfolioReport, PortfolioSort
from projections.temporal import Moment
from tests.integration import commitment_support as cs
from tests.integration import reviews_support as rs


def summary(
    container: Container,
    moment: Moment | None = None,
    *,
    commissioner_id: str | None = None,
    sort: PortfolioSort = PortfolioSort.TITLE,
    descending: bool = False,
) -> Portfolio:
    container.catch_up()
    return PortfolioReport(container.views, moment or Moment()).summary(
        commissioner_id=commissioner_id,
        sort=sort,
        descending=descending,
        limit=50,
        offset=0,
        views_version=tuple(sorted(container.view_positions().items())),
    )


def two_programmes(container: Container) -> tuple[rs.Board, str, datetime]:
    """Urgent Care, led by the board's ICB: one review (measurement, evidenced) by Ada, long
    ago. Elective Recovery, created afterwards, led by another ICB with a trust taking part:
    one commitment due in 30 days. Returns the board, the second
    programme's id and a moment between the two programmes' creation."""
    board = rs.board(container)
    rs.record(container, board, rs.rating("measurement", 4, evidence=["Dashboard live"]))
    between = datetime.now(UTC)
    on = cs.sides(container)
    elective = container.app.create_programme(
        by=None, title="Elective Recovery", description="", lead_commissioner_id=on.commissioner_id
    )
    container.app.add_participant(
        by=None, programme_id=elective.id, organisation_id=on.provider_id, role="provider"
    )
    cs.make(container, on, programme_id=elective.id, due_date=cs.days(30))
    return board, str(elective.id), between


def test_each_programme_shows_its_alignment_overdue_commitments_and_bus_factor(
    container: Container,
) -> None:
    board, elective, _ = two_programmes(container)
    in_forty_days = Moment(datetime.now(UTC) + timedelta(days=40))

    rows = {row.title: row for row in summary(container, in_forty_days).items}

    urgent = rows["Urgent Care"]
    assert (urgent.components, urgent.reviewed, urgent.never_reviewed) == (8, 1, 7)
    assert urgent.stale == 1  # held on 2026-01-10, interval 90 days
    assert urgent.overdue_commitments == 0
    assert urgent.bus_factor == 1  # Ada alone covers the one knowledge area there is
    assert urgent.lead_commissioner_id == str(board.icb_id)
    assert urgent.participants == 1
    assert rows["Elective Recovery"].participants == 2
    assert rows["Elective Recovery"].overdue_commitments == 1  # due in 30 days, read at +40
    assert rows["Elective Recovery"].bus_factor == 0  # no contributions, no knowledge areas
    assert rows["Elective Recovery"].programme_id == elective


def test_totals_cover_the_whole_list_when_sorted_by_a_figure(container: Container) -> None:
    two_programmes(container)

    totals = summary(container, sort=PortfolioSort.STALE).totals

    assert totals.programmes == 2
    assert totals.overdue_commitments == 0  # the commitment falls due next month
    assert totals.stale_components == 1
    assert totals.never_reviewed_components == 15
    assert totals.bus_factor_one == 1


def test_in_title_order_only_the_cheap_totals_are_counted(container: Container) -> None:
    two_programmes(container)
    in_forty_days = Moment(datetime.now(UTC) + timedelta(days=40))

    totals = summary(container, in_forty_days).totals

    assert (totals.programmes, totals.overdue_commitments) == (2, 1)
    assert (totals.stale_components, totals.never_reviewed_components) == (None, None)
    assert totals.bus_factor_one is None


def test_programmes_sort_by_title_or_by_any_figure_either_way(container: Container) -> None:
    two_programmes(container)
    later = Moment(datetime.now(UTC) + timedelta(days=40))

    def titles(**how: object) -> list[str]:
        return [row.title for row in summary(container, later, **how).items]  # type: ignore[arg-type]

    assert titles() == ["Elective Recovery", "Urgent Care"]
    assert titles(descending=True) == ["Urgent Care", "Elective Recovery"]
    assert titles(sort=PortfolioSort.OVERDUE, descending=True)[0] == "Elective Recovery"
    assert titles(sort=PortfolioSort.BUS_FACTOR, descending=True)[0] == "Urgent Care"
    assert titles(sort=PortfolioSort.STALE) == ["Elective Recovery", "Urgent Care"]


def test_a_commissioner_sees_only_the_programmes_it_takes_part_in(container: Container) -> None:
    board, _, _ = two_programmes(container)
    container.app.create_programme(
        by=None, title="Community Beds", description="", lead_commissioner_id=board.icb_id
    )

    mine = summary(container, commissioner_id=str(board.icb_id))

    assert [row.title for row in mine.items] == ["Community Beds", "Urgent Care"]
    assert mine.totals.programmes == 2
    assert summary(container).total == 3


def test_as_of_before_a_programme_was_created_it_is_not_listed(container: Container) -> None:
    _, _, between = two_programmes(container)

    then = summary(container, Moment(between))

    assert [row.title for row in then.items] == ["Urgent Care"]
    assert then.as_of is not None


def test_a_programme_created_after_a_summary_is_in_the_next_one(container: Container) -> None:
    board, _, _ = two_programmes(container)
    before = summary(container)

    container.app.create_programme(
        by=None, title="Community Beds", description="", lead_commissioner_id=board.icb_id
    )

    assert (before.total, summary(container).total) == (2, 3)
