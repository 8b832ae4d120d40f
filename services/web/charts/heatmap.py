"""A heat map: rows against columns, each cell shaded by a measure from 0 to 1.

Shade is never the only signal: every cell prints its figure, and a *marked* cell (e.g. the
only person covering an area) is hatched, outlined and carries a symbol as well. Column
labels are drawn at an angle so long names stay readable; names too long are shortened with
the whole name in a tooltip.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup

from services.web.charts.svg import chart, element, text

CELL_WIDTH = 56.0
CELL_HEIGHT = 28.0
#: Room for each character of a label (13px sans-serif, generously).
CHAR_WIDTH = 7.2
ROW_LABEL_CHARS = 28
COLUMN_LABEL_CHARS = 40
#: Column labels rise at this angle (degrees) from the top of their column.
LABEL_ANGLE = 45.0
MARGIN = 8.0
LEGEND_HEIGHT = 72.0
#: Room for each of the legend's shade bands, side by side.
LEGEND_STEP = 100.0
#: Upper bounds of the shade bands 1 to 5 (band 0 is exactly nothing).
BANDS = (0.1, 0.2, 0.35, 0.5, 1.0)
BAND_LABELS = ("none", "up to 10%", "up to 20%", "up to 35%", "up to 50%", "over 50%")
#: A marked cell's symbol, after its figure.
MARKER = "◆"


@dataclass(frozen=True)
class Cell:
    #: The measure that sets the shade, from 0 to 1.
    value: float
    #: The figure printed in the cell ("" for nothing).
    shown: str
    #: Drawn distinctly: hatched, outlined and with the marker.
    marked: bool = False
    #: The cell's tooltip.
    note: str = ""


def band(value: float) -> int:
    """The shade band of a value: 0 for nothing, then 1 to 5."""
    if value <= 0:
        return 0
    for index, upper in enumerate(BANDS, start=1):
        if value <= upper:
            return index
    return len(BANDS)


def shorten(label: str, limit: int) -> str:
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


@dataclass(frozen=True)
class Layout:
    """Where the grid sits in the drawing, from the labels' lengths."""

    left: float
    top: float
    width: float
    height: float

    def cell_x(self, column: int) -> float:
        return self.left + column * CELL_WIDTH

    def cell_y(self, row: int) -> float:
        return self.top + row * CELL_HEIGHT


def layout(rows: Sequence[str], columns: Sequence[str]) -> Layout:
    row_chars = max((len(shorten(r, ROW_LABEL_CHARS)) for r in rows), default=0)
    column_chars = max((len(shorten(c, COLUMN_LABEL_CHARS)) for c in columns), default=0)
    rise = column_chars * CHAR_WIDTH * math.sin(math.radians(LABEL_ANGLE))
    run = column_chars * CHAR_WIDTH * math.cos(math.radians(LABEL_ANGLE))
    left = MARGIN + row_chars * CHAR_WIDTH + 10
    top = MARGIN + rise + 10
    grid_width = len(columns) * CELL_WIDTH
    # The last column's label leans right, past the grid: leave room for it.
    legend_width = len(BAND_LABELS) * LEGEND_STEP
    width = left + max(grid_width, grid_width - CELL_WIDTH / 2 + run, legend_width) + MARGIN
    height = top + len(rows) * CELL_HEIGHT + LEGEND_HEIGHT
    return Layout(left, top, width, height)


def heat_map(
    rows: Sequence[str],
    columns: Sequence[str],
    cells: Sequence[Sequence[Cell]],
    *,
    title: str,
    description: str,
    chart_id: str,
    scale_label: str,
    marked_label: str,
    dividers: Sequence[int] = (),
) -> Markup:
    """``cells[r][c]`` for row ``r`` and column ``c``; ``dividers`` are column indexes before
    which a rule separates groups of columns."""
    at = layout(rows, columns)
    hatch = f"{chart_id}-hatch"
    body: list[Markup] = [_hatch_pattern(hatch)]
    for c, label in enumerate(columns):
        x, y = at.cell_x(c) + CELL_WIDTH / 2, at.top - 6
        body.append(
            element(
                "text",
                {
                    "x": x,
                    "y": y,
                    "transform": f"rotate(-{LABEL_ANGLE:g} {x:g} {y:g})",
                    "class": "label column-label",
                },
                element("title", {}, label),
                shorten(label, COLUMN_LABEL_CHARS),
            )
        )
    for r, label in enumerate(rows):
        body.append(
            element(
                "text",
                {
                    "x": at.left - 8,
                    "y": at.cell_y(r) + CELL_HEIGHT / 2 + 4,
                    "text-anchor": "end",
                    "class": "label row-label",
                },
                element("title", {}, label),
                shorten(label, ROW_LABEL_CHARS),
            )
        )
        for c, cell in enumerate(cells[r]):
            body.extend(_cell(at.cell_x(c), at.cell_y(r), cell, hatch))
    bottom = at.cell_y(len(rows))
    for c in dividers:
        x = at.cell_x(c)
        body.append(
            element("line", {"x1": x, "y1": at.top, "x2": x, "y2": bottom, "class": "divider"})
        )
    body.append(_legend(at.left, bottom + 18, scale_label, marked_label, hatch))
    return chart(
        at.width,
        at.height,
        title,
        description,
        body,
        chart_id=chart_id,
        class_="chart heatmap",
    )


def _hatch_pattern(pattern_id: str) -> Markup:
    return element(
        "defs",
        {},
        element(
            "pattern",
            {
                "id": pattern_id,
                "width": 6,
                "height": 6,
                "patternUnits": "userSpaceOnUse",
                "patternTransform": "rotate(45)",
            },
            element("line", {"x1": 0, "y1": 0, "x2": 0, "y2": 6, "class": "hatch-line"}),
        ),
    )


def _cell(x: float, y: float, cell: Cell, hatch: str) -> list[Markup]:
    shade = band(cell.value)
    # A one-pixel gap between cells, so neighbours of the same shade stay apart.
    box = {"x": x + 1, "y": y + 1, "width": CELL_WIDTH - 2, "height": CELL_HEIGHT - 2}
    marked = " marked" if cell.marked else ""
    parts = [
        element(
            "rect",
            {**box, "class": f"cell shade-{shade}{marked}"},
            element("title", {}, cell.note or cell.shown),
        )
    ]
    if cell.marked:
        parts.append(element("rect", {**box, "fill": f"url(#{hatch})", "class": "hatch"}))
    shown = f"{cell.shown} {MARKER}".strip() if cell.marked else cell.shown
    if shown:
        tone = "on-dark" if shade >= 4 else "on-light"
        parts.append(
            text(
                x + CELL_WIDTH / 2,
                y + CELL_HEIGHT / 2 + 4,
                shown,
                text_anchor="middle",
                class_=f"cell-value {tone}",
            )
        )
    return parts


def _legend(x: float, y: float, scale_label: str, marked_label: str, hatch: str) -> Markup:
    parts = [text(x, y, scale_label, class_="label legend-title")]
    for index, label in enumerate(BAND_LABELS):
        left = x + index * LEGEND_STEP
        parts.append(
            element(
                "rect",
                {
                    "x": left,
                    "y": y + 8,
                    "width": 16,
                    "height": 14,
                    "class": f"swatch shade-{index}",
                },
            )
        )
        parts.append(text(left + 20, y + 19, label, class_="value"))
    # The marked cells' key on a line of its own, below the bands.
    swatch = {"x": x, "y": y + 30, "width": 16, "height": 14}
    parts.append(element("rect", {**swatch, "class": "swatch shade-0 marked"}))
    parts.append(element("rect", {**swatch, "fill": f"url(#{hatch})"}))
    parts.append(text(x + 20, y + 41, f"{MARKER} {marked_label}", class_="value"))
    return element("g", {"class": "legend"}, *parts)
