"""The commitment timeline's geometry: where dates fall, what each row draws."""

from __future__ import annotations

import re
from datetime import date

from projections.commitment_marks import ProgressMark, Renegotiation
from services.web.charts.commitment_timeline import (
    LABEL_WIDTH,
    PADDING_DAYS,
    PLOT_WIDTH,
    Scale,
    TimelineRow,
    date_range,
    month_ticks,
    timeline_chart,
)

TODAY = date(2026, 12, 6)


def row(**changes: object) -> TimelineRow:
    values: dict[str, object] = {
        "label": "Ambulance handovers within 30 minutes",
        "made": date(2026, 8, 18),
        "due": date(2027, 1, 5),
        "original_due": date(2027, 1, 5),
        "status": "due",
        "status_text": "Due in 30 days",
    }
    values.update(changes)
    return TimelineRow(**values)  # type: ignore[arg-type]


def test_the_scale_puts_the_first_and_last_days_at_the_plots_edges() -> None:
    scale = Scale(date(2026, 1, 1), date(2026, 12, 31))

    assert scale.x(date(2026, 1, 1)) == LABEL_WIDTH
    assert scale.x(date(2026, 12, 31)) == LABEL_WIDTH + PLOT_WIDTH
    assert scale.x(date(2026, 7, 2)) == LABEL_WIDTH + PLOT_WIDTH / 2


def test_the_range_covers_every_date_drawn_and_today_with_a_margin() -> None:
    rows = [
        row(
            made=date(2026, 3, 1),
            due=date(2027, 2, 19),
            original_due=date(2026, 12, 20),
            renegotiations=[Renegotiation(TODAY, date(2026, 12, 20), date(2027, 2, 19))],
        ),
        row(made=date(2026, 9, 1), due=date(2026, 10, 1), original_due=date(2026, 10, 1)),
    ]

    start, end = date_range(rows, TODAY)

    assert (date(2026, 3, 1) - start).days == PADDING_DAYS
    assert (end - date(2027, 2, 19)).days == PADDING_DAYS


def test_an_empty_timeline_still_spans_today() -> None:
    start, end = date_range([], TODAY)

    assert start < TODAY < end


def test_month_ticks_are_first_days_inside_the_range_and_never_more_than_twelve() -> None:
    assert month_ticks(date(2026, 11, 15), date(2027, 2, 10)) == [
        date(2026, 12, 1),
        date(2027, 1, 1),
        date(2027, 2, 1),
    ]
    many = month_ticks(date(2020, 1, 1), date(2026, 1, 1))
    assert len(many) <= 12
    assert all(tick.day == 1 for tick in many)


def test_an_overdue_row_is_hatched_from_its_due_date_to_today_and_says_so_in_words() -> None:
    late = row(status="overdue", due=date(2026, 11, 22), status_text="Overdue by 14 days")

    svg = str(timeline_chart([late], TODAY, title="T", description="D", chart_id="t"))

    scale = Scale(*date_range([late], TODAY))
    hatched = re.search(r'<rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)"[^>]*fill="url\(#', svg)
    assert hatched is not None
    assert float(hatched.group(1)) == round(scale.x(date(2026, 11, 22)), 2)
    assert float(hatched.group(2)) == round(scale.x(TODAY) - scale.x(date(2026, 11, 22)), 2)
    assert "⚠ Overdue by 14 days" in svg
    assert 'data-status="overdue"' in svg


def test_a_renegotiated_row_draws_its_original_date_and_an_arrow_to_the_new_one() -> None:
    moved = row(
        status="renegotiated",
        due=date(2027, 2, 19),
        original_due=date(2026, 12, 20),
        renegotiations=[Renegotiation(TODAY, date(2026, 12, 20), date(2027, 2, 19))],
    )

    svg = str(timeline_chart([moved], TODAY, title="T", description="D", chart_id="t"))

    assert "Original due date 2026-12-20" in svg
    assert "Renegotiated on 2026-12-06: 2026-12-20 to 2027-02-19" in svg
    # The key has one arrow of its own; the row adds one per renegotiation.
    assert svg.count('class="tl-renegotiation"') == 2


def test_a_row_not_renegotiated_has_no_original_due_date_marker() -> None:
    svg = str(timeline_chart([row()], TODAY, title="T", description="D", chart_id="t"))

    assert "Original due date 2027" not in svg
    assert svg.count("tl-original-due") == 1  # the key's only


def test_progress_marks_sit_on_the_day_they_were_recorded_and_say_how_complete() -> None:
    marked = row(progress=[ProgressMark(date(2026, 10, 1), 40), ProgressMark(TODAY, 55)])

    svg = str(timeline_chart([marked], TODAY, title="T", description="D", chart_id="t"))

    scale = Scale(*date_range([marked], TODAY))
    circles = re.findall(r'<circle cx="([\d.]+)" cy="[\d.]+" r="4" class="tl-progress">', svg)
    assert [float(x) for x in circles] == [
        round(scale.x(date(2026, 10, 1)), 2),
        round(scale.x(TODAY), 2),
    ]
    assert "40% complete on 2026-10-01" in svg


def test_a_delivered_row_stops_on_the_day_it_was_delivered() -> None:
    done = row(status="delivered", ended=date(2026, 11, 12), due=date(2026, 11, 16))

    svg = str(timeline_chart([done], TODAY, title="T", description="D", chart_id="t"))

    scale = Scale(*date_range([done], TODAY))
    span = re.search(r'<rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)" height="10"', svg)
    assert span is not None
    # Both numbers are written with two decimals: their sum may differ by a rounding.
    assert abs(float(span.group(1)) + float(span.group(2)) - scale.x(date(2026, 11, 12))) < 0.02


def test_labels_and_text_are_escaped_and_long_labels_shortened_with_the_full_title() -> None:
    tricky = row(label="<script>alert(1)</script> & a very long commitment name indeed")

    svg = str(timeline_chart([tricky], TODAY, title="T", description="D", chart_id="t"))

    assert "<script>" not in svg
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; a very long commitment name indeed" in svg
    assert "…" in svg
