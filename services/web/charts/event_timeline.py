"""A timeline: one row per event, placed on a shared time axis by when it occurred.

One row per event means labels never collide however close the dates are. The marker's shape
says what kind of event it is (an objection is a cross, support a circle, anything else a
diamond) and the row's label says it in words too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from markupsafe import Markup

from services.web.charts.svg import chart, element, text

LABEL_WIDTH = 340.0
PLOT_WIDTH = 420.0
ROW = 24.0
AXIS = 34.0
_LABEL_CHARACTERS = 44


@dataclass(frozen=True)
class Happening:
    when: datetime
    label: str
    #: "object", "support" or another event kind; it picks the marker and its colour.
    shape: str


def x_of(when: datetime, start: datetime, end: datetime) -> float:
    """Where ``when`` falls on the plot (from LABEL_WIDTH to LABEL_WIDTH + PLOT_WIDTH)."""
    span = (end - start).total_seconds()
    share = 0.5 if span <= 0 else (when - start).total_seconds() / span
    return LABEL_WIDTH + 10 + share * (PLOT_WIDTH - 20)


def _marker(x: float, y: float, shape: str) -> Markup:
    if shape == "object":
        d = f"M{x - 5:g},{y - 5:g} L{x + 5:g},{y + 5:g} M{x - 5:g},{y + 5:g} L{x + 5:g},{y - 5:g}"
        return element("path", {"d": d, "class": "marker object"})
    if shape == "support":
        return element("circle", {"cx": x, "cy": y, "r": 5, "class": "marker support"})
    d = f"M{x:g},{y - 6:g} L{x + 6:g},{y:g} L{x:g},{y + 6:g} L{x - 6:g},{y:g} z"
    return element("path", {"d": d, "class": f"marker {shape}"})


def timeline_chart(
    happenings: Sequence[Happening], *, title: str, description: str, chart_id: str
) -> Markup:
    width = LABEL_WIDTH + PLOT_WIDTH + 10
    height = AXIS + max(len(happenings), 1) * ROW + 6
    body: list[Markup] = []
    if not happenings:
        body.append(text(LABEL_WIDTH, AXIS, "Nothing recorded yet.", class_="label"))
        return chart(width, height, title, description, body, chart_id=chart_id)
    start = min(h.when for h in happenings)
    end = max(h.when for h in happenings)
    axis = {"x1": LABEL_WIDTH, "y1": AXIS - 8, "x2": LABEL_WIDTH + PLOT_WIDTH, "y2": AXIS - 8}
    body.append(element("line", {**axis, "class": "axis"}))
    first, last = x_of(start, start, end), x_of(end, start, end)
    body.append(text(first, AXIS - 14, start.date().isoformat(), class_="axis-label"))
    # Both ends are dated unless they are too close to print two dates side by side.
    if last - first > 90:
        body.append(
            text(last, AXIS - 14, end.date().isoformat(), text_anchor="end", class_="axis-label")
        )
    for index, happening in enumerate(happenings):
        y = AXIS + index * ROW + ROW / 2
        label = happening.label
        shown = label if len(label) <= _LABEL_CHARACTERS else label[: _LABEL_CHARACTERS - 1] + "…"
        x = x_of(happening.when, start, end)
        body.append(
            element(
                "g",
                {"class": "timeline-row", "data-row": index},
                element("title", {}, f"{happening.when.date().isoformat()}: {label}"),
                element(
                    "line",
                    {"x1": LABEL_WIDTH, "y1": y, "x2": x, "y2": y, "class": "lane"},
                ),
                text(LABEL_WIDTH - 8, y + 4, shown, text_anchor="end", class_="label"),
                _marker(x, y, happening.shape),
            )
        )
    return chart(
        width, height, title, description, body, chart_id=chart_id, class_="chart timeline"
    )
