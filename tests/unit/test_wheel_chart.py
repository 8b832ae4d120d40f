"""The Change Model wheel's geometry and markup (services/web/charts/wheel.py)."""

from __future__ import annotations

import itertools
import math
import re

import pytest

from services.web.charts.wheel import (
    CENTRE_X,
    CENTRE_Y,
    GAP_DEGREES,
    HATCH_ID,
    INNER_RADIUS,
    OUTER_RADIUS,
    Segment,
    label_anchor,
    polar,
    sector_path,
    segment_angles,
    wheel_chart,
    wrap,
)


def segment(
    key: str, rating: int | None, *, stale: bool = False, evidenced: bool = True
) -> Segment:
    return Segment(key, key.title(), rating, stale, evidenced)


def test_eight_segments_share_the_circle_equally_starting_at_twelve_o_clock() -> None:
    angles = segment_angles(8)

    assert len(angles) == 8
    first_start, first_end = angles[0]
    assert (first_start + first_end) / 2 == pytest.approx(0)
    for start, end in angles:
        assert end - start == pytest.approx(45 - GAP_DEGREES)
    for (_, end), (next_start, _) in itertools.pairwise(angles):
        assert next_start - end == pytest.approx(GAP_DEGREES)


def test_twelve_o_clock_is_straight_above_the_centre_and_angles_run_clockwise() -> None:
    x, y = polar(100, 0)
    assert (x, y) == pytest.approx((CENTRE_X, CENTRE_Y - 100))
    x, y = polar(100, 90)
    assert (x, y) == pytest.approx((CENTRE_X + 100, CENTRE_Y))


def test_a_sector_path_runs_along_both_radii_between_its_angles() -> None:
    path = sector_path(10, 50, INNER_RADIUS, OUTER_RADIUS)

    points = [tuple(map(float, p.split(","))) for p in re.findall(r"-?\d+\.\d+,-?\d+\.\d+", path)]
    radii = [math.dist(point, (CENTRE_X, CENTRE_Y)) for point in points]
    assert radii == pytest.approx(
        [OUTER_RADIUS, OUTER_RADIUS, INNER_RADIUS, INNER_RADIUS], abs=0.01
    )
    assert points[0] == pytest.approx(polar(OUTER_RADIUS, 10), abs=0.01)
    assert points[1] == pytest.approx(polar(OUTER_RADIUS, 50), abs=0.01)
    assert path.startswith("M")
    assert path.endswith("Z")


def test_labels_on_the_right_start_at_their_point_and_those_on_the_left_end_there() -> None:
    assert label_anchor(0) == "middle"
    assert label_anchor(90) == "start"
    assert label_anchor(180) == "middle"
    assert label_anchor(270) == "end"
    assert label_anchor(-45) == "end"


def test_wrapping_keeps_lines_short_and_marks_text_cut_off() -> None:
    words = "Everyone in Leeds who needs urgent care gets the right care first time"

    lines = wrap(words, 18, 3)

    assert len(lines) == 3
    assert all(len(line) <= 18 for line in lines)
    assert lines[-1].endswith("…")
    assert wrap("Measurement", 18) == ["Measurement"]


def test_a_segment_is_hatched_when_stale_or_unevidenced_and_never_when_unreviewed() -> None:
    assert segment("a", 4, stale=True).hatched
    assert segment("b", 4, evidenced=False).hatched
    assert not segment("c", 4).hatched
    assert not segment("d", None, evidenced=False).hatched


def test_the_wheel_colours_each_segment_by_rating_and_says_it_in_words() -> None:
    svg = str(
        wheel_chart(
            [segment("lead", 2), segment("spread", None), segment("drive", 5, stale=True)],
            "One front door",
            title="Wheel",
            chart_id="w",
        )
    )

    assert 'data-component="lead"' in svg
    assert 'class="seg r2"' in svg
    assert 'class="seg unrated"' in svg
    assert ">none</text>" in svg
    assert 'class="seg r5"' in svg
    assert ">5/5</text>" in svg
    # One hatch overlay: the stale segment's (the legend's sample is a rect, not a path).
    assert svg.count('<path d="M') == 4
    assert svg.count(f'fill="url(#{HATCH_ID})" class="hatch"') == 1
    assert f'<pattern id="{HATCH_ID}"' in svg
    assert ">One front door</text>" in svg
    assert 'role="img"' in svg
    assert "<desc" in svg
    assert "Drive: rated 5 of 5" in svg


def test_labels_and_purpose_are_escaped_in_the_markup() -> None:
    svg = str(
        wheel_chart(
            [Segment("x", "<script>alert(1)</script>", 3, False, True)],
            "A & B <b>",
            title="Wheel",
            chart_id="w",
        )
    )

    assert "<script>" not in svg
    assert "<b>" not in svg
    assert "&lt;script&gt;" in svg
    assert "A &amp; B" in svg
