"""A commitment timeline: one row per commitment along a shared date axis.

Each row runs from when the commitment was made to its due date (or the day it was
delivered); a filled diamond marks the due date in force, a hollow one the original due date
when it was renegotiated, with a dashed arrow for each renegotiation; dots are progress
updates; a vertical line is today (or the as-of date). An overdue row is red, hatched from its
due date to today and says "Overdue by N days": never colour alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from markupsafe import Markup

from projections.commitment_marks import ProgressMark, Renegotiation
from services.web.charts.svg import chart, element, text

LABEL_WIDTH = 270.0
PLOT_WIDTH = 580.0
STATUS_WIDTH = 230.0
ROW = 36.0
TOP = 34.0
AXIS = 30.0
LEGEND = 30.0
#: Days of margin either side of the dates drawn, so no marker sits on the plot's edge.
PADDING_DAYS = 7
_LABEL_CHARACTERS = 32
_HATCH = "timeline-hatch"
_ARROW = "timeline-arrow"


@dataclass(frozen=True)
class TimelineRow:
    label: str
    made: date
    due: date
    original_due: date
    #: The tracker status: due, at_risk, overdue, renegotiated, delivered, missed, withdrawn.
    status: str
    #: The status in words, written at the row's end.
    status_text: str
    #: The day it was delivered (or closed): where the row stops instead of the due date.
    ended: date | None = None
    progress: Sequence[ProgressMark] = field(default_factory=tuple)
    renegotiations: Sequence[Renegotiation] = field(default_factory=tuple)
    href: str | None = None


@dataclass(frozen=True)
class Scale:
    """Dates to x positions across the plot."""

    start: date
    end: date
    left: float = LABEL_WIDTH
    width: float = PLOT_WIDTH

    def x(self, day: date) -> float:
        span = max((self.end - self.start).days, 1)
        return self.left + self.width * (day - self.start).days / span


def date_range(rows: Sequence[TimelineRow], today: date) -> tuple[date, date]:
    """The days the axis covers: every date drawn, and today, with a margin either side."""
    days = [today]
    for row in rows:
        days += [row.made, row.due, row.original_due]
        days += [row.ended] if row.ended else []
        days += [mark.recorded_on for mark in row.progress]
        days += [day for r in row.renegotiations for day in (r.from_date, r.to_date)]
    margin = timedelta(days=PADDING_DAYS)
    return min(days) - margin, max(days) + margin


def month_ticks(start: date, end: date) -> list[date]:
    """The first day of each month within the range, thinned so labels never crowd."""
    first = date(start.year, start.month, 1)
    months = []
    while first <= end:
        if first >= start:
            months.append(first)
        first = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    step = max(1, -(-len(months) // 12))
    return months[::step]


def timeline_chart(
    rows: Sequence[TimelineRow],
    today: date,
    *,
    title: str,
    description: str,
    chart_id: str,
    today_label: str = "Today",
) -> Markup:
    start, end = date_range(rows, today)
    scale = Scale(start, end)
    bottom = TOP + len(rows) * ROW
    height = bottom + AXIS + LEGEND
    width = LABEL_WIDTH + PLOT_WIDTH + STATUS_WIDTH
    body: list[Markup] = [_definitions()]
    body += _axis(scale, bottom)
    for index, row in enumerate(rows):
        body.append(_row(row, scale, TOP + index * ROW, today))
    x_today = scale.x(today)
    body.append(
        element(
            "line",
            {"x1": x_today, "y1": TOP - 12, "x2": x_today, "y2": bottom, "class": "tl-today"},
        )
    )
    body.append(
        text(
            x_today,
            TOP - 16,
            f"{today_label} {today.isoformat()}",
            text_anchor="middle",
            class_="tl-today-label",
        )
    )
    body += _legend(bottom + AXIS + 18)
    return chart(width, height, title, description, body, chart_id=chart_id)


def _definitions() -> Markup:
    hatch = element(
        "pattern",
        {
            "id": _HATCH,
            "width": 6,
            "height": 6,
            "patternUnits": "userSpaceOnUse",
            "patternTransform": "rotate(45)",
        },
        element("rect", {"width": 6, "height": 6, "class": "tl-hatch-ground"}),
        element("line", {"x1": 0, "y1": 0, "x2": 0, "y2": 6, "class": "tl-hatch-line"}),
    )
    arrow = element(
        "marker",
        {
            "id": _ARROW,
            "viewBox": "0 0 10 10",
            "refX": 9,
            "refY": 5,
            "markerWidth": 7,
            "markerHeight": 7,
            "orient": "auto-start-reverse",
        },
        element("path", {"d": "M0,0 L10,5 L0,10 z", "class": "tl-arrow-head"}),
    )
    return element("defs", {}, hatch, arrow)


def _axis(scale: Scale, bottom: float) -> list[Markup]:
    parts = [
        element(
            "line",
            {
                "x1": scale.left,
                "y1": bottom,
                "x2": scale.left + scale.width,
                "y2": bottom,
                "class": "tl-axis",
            },
        )
    ]
    for month in month_ticks(scale.start, scale.end):
        x = scale.x(month)
        parts.append(
            element("line", {"x1": x, "y1": TOP - 4, "x2": x, "y2": bottom + 4, "class": "tl-grid"})
        )
        parts.append(text(x, bottom + 18, month.strftime("%b %Y"), text_anchor="middle"))
    return parts


def _diamond(x: float, y: float, css: str, tip: str) -> Markup:
    d = f"M{x:.1f},{y - 7:.1f} L{x + 7:.1f},{y:.1f} L{x:.1f},{y + 7:.1f} L{x - 7:.1f},{y:.1f} z"
    return element("path", {"d": d, "class": css}, element("title", {}, tip))


def _row(row: TimelineRow, scale: Scale, top: float, today: date) -> Markup:
    middle = top + ROW / 2
    label = (
        row.label
        if len(row.label) <= _LABEL_CHARACTERS
        else row.label[: _LABEL_CHARACTERS - 1] + "…"
    )
    name = element(
        "text",
        {"x": LABEL_WIDTH - 10, "y": middle + 4, "text-anchor": "end", "class": "label"},
        element("title", {}, row.label),
        label,
    )
    parts = [element("a", {"href": row.href}, name) if row.href else name]
    stop = row.ended or row.due
    x_made, x_stop = scale.x(row.made), scale.x(stop)
    parts.append(
        element(
            "rect",
            {
                "x": x_made,
                "y": middle - 5,
                "width": max(x_stop - x_made, 2.0),
                "height": 10,
                "class": f"tl-span {row.status}",
            },
            element("title", {}, f"Made {row.made.isoformat()}, due {row.due.isoformat()}"),
        )
    )
    if row.status == "overdue" and today > row.due:
        parts.append(
            element(
                "rect",
                {
                    "x": scale.x(row.due),
                    "y": middle - 7,
                    "width": scale.x(today) - scale.x(row.due),
                    "height": 14,
                    "fill": f"url(#{_HATCH})",
                    "class": "tl-late",
                },
                element("title", {}, f"Overdue since {row.due.isoformat()}"),
            )
        )
    for change in row.renegotiations:
        x_from, x_to = scale.x(change.from_date), scale.x(change.to_date)
        lift = middle - 14
        parts.append(
            element(
                "path",
                {
                    "d": f"M{x_from:.1f},{middle - 7:.1f} Q{(x_from + x_to) / 2:.1f},{lift - 6:.1f}"
                    f" {x_to:.1f},{middle - 7:.1f}",
                    "class": "tl-renegotiation",
                    "marker-end": f"url(#{_ARROW})",
                },
                element(
                    "title",
                    {},
                    f"Renegotiated on {change.recorded_on.isoformat()}:"
                    f" {change.from_date.isoformat()} to {change.to_date.isoformat()}",
                ),
            )
        )
    if row.original_due != row.due:
        parts.append(
            _diamond(
                scale.x(row.original_due),
                middle,
                "tl-original-due",
                f"Original due date {row.original_due.isoformat()}",
            )
        )
    parts.append(
        _diamond(scale.x(row.due), middle, f"tl-due {row.status}", f"Due {row.due.isoformat()}")
    )
    for mark in row.progress:
        parts.append(
            element(
                "circle",
                {"cx": scale.x(mark.recorded_on), "cy": middle, "r": 4, "class": "tl-progress"},
                element("title", {}, f"{mark.percent}% complete on {mark.recorded_on.isoformat()}"),
            )
        )
    marker = "⚠ " if row.status == "overdue" else ""
    parts.append(
        text(
            LABEL_WIDTH + PLOT_WIDTH + 12,
            middle + 4,
            marker + row.status_text,
            class_=f"tl-status {row.status}",
        )
    )
    return element("g", {"class": "tl-row", "data-status": row.status}, *parts)


def _legend(y: float) -> list[Markup]:
    x = LABEL_WIDTH
    parts = [text(x - 10, y + 4, "Key:", text_anchor="end", class_="label")]
    parts.append(_diamond(x + 8, y, "tl-due due", "Due date"))
    parts.append(text(x + 20, y + 4, "due date", class_="value"))
    parts.append(_diamond(x + 100, y, "tl-original-due", "Original due date"))
    parts.append(text(x + 112, y + 4, "original due date", class_="value"))
    parts.append(element("circle", {"cx": x + 240, "cy": y, "r": 4, "class": "tl-progress"}))
    parts.append(text(x + 250, y + 4, "progress update", class_="value"))
    parts.append(
        element(
            "rect",
            {
                "x": x + 370,
                "y": y - 7,
                "width": 24,
                "height": 14,
                "fill": f"url(#{_HATCH})",
                "class": "tl-late",
            },
        )
    )
    parts.append(text(x + 400, y + 4, "overdue (⚠)", class_="value"))
    parts.append(
        element(
            "path",
            {
                "d": f"M{x + 500},{y} L{x + 530},{y}",
                "class": "tl-renegotiation",
                "marker-end": f"url(#{_ARROW})",
            },
        )
    )
    parts.append(text(x + 538, y + 4, "renegotiated", class_="value"))
    return parts
