"""The heat map's geometry and marks: one cell per row and column, shades by band, marked
cells hatched with a symbol, labels shortened but kept whole in tooltips, nothing clipped."""

from __future__ import annotations

import itertools
import math
import re
import xml.etree.ElementTree as ET

import pytest

from projections.resilience_areas import Contributor, KnowledgeArea
from services.web.charts.heatmap import (
    CELL_HEIGHT,
    CELL_WIDTH,
    CHAR_WIDTH,
    COLUMN_LABEL_CHARS,
    LABEL_ANGLE,
    MARKER,
    Cell,
    band,
    heat_map,
    layout,
)
from services.web.resilience_tables import (
    HEATMAP_ROWS,
    knowledge_heat_map,
    knowledge_table,
    loads,
)

SVG = "{http://www.w3.org/2000/svg}"


def draw(
    rows: list[str], columns: list[str], cells: list[list[Cell]], **kwargs: object
) -> ET.Element:
    markup = heat_map(
        rows,
        columns,
        cells,
        title="Who holds what",
        description="People against areas.",
        chart_id="hm",
        scale_label="Share",
        marked_label="only holder",
        **kwargs,  # type: ignore[arg-type]
    )
    return ET.fromstring(str(markup))  # noqa: S314 - markup this test just drew


def grid_cells(svg: ET.Element) -> list[ET.Element]:
    return [r for r in svg.iter(f"{SVG}rect") if "cell" in r.get("class", "").split()]


def test_the_heat_map_draws_one_cell_per_person_and_area_in_a_regular_grid() -> None:
    cells = [[Cell(0.5, "1"), Cell(0.0, ""), Cell(1.0, "3")], [Cell(0.2, "2")] * 3]

    svg = draw(["Ann", "Bob"], ["Purpose", "Leadership", "Measurement"], cells)

    drawn = grid_cells(svg)
    assert len(drawn) == 6
    xs = sorted({float(r.get("x", "0")) for r in drawn})
    ys = sorted({float(r.get("y", "0")) for r in drawn})
    assert [round(b - a, 2) for a, b in itertools.pairwise(xs)] == [CELL_WIDTH] * 2
    assert [round(b - a, 2) for a, b in itertools.pairwise(ys)] == [CELL_HEIGHT]


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0.0, 0), (0.05, 1), (0.1, 1), (0.15, 2), (0.3, 3), (0.5, 4), (0.51, 5), (1.0, 5)],
)
def test_a_cells_shade_band_follows_its_share(value: float, expected: int) -> None:
    assert band(value) == expected


def test_a_marked_cell_is_hatched_outlined_and_carries_the_symbol_not_just_a_colour() -> None:
    svg = draw(["Ann"], ["Purpose", "Measurement"], [[Cell(1.0, "4", marked=True), Cell(0.5, "2")]])

    marked = [r for r in grid_cells(svg) if "marked" in r.get("class", "")]
    assert len(marked) == 1
    hatches = [r for r in svg.iter(f"{SVG}rect") if r.get("fill") == "url(#hm-hatch)"]
    # One over the marked cell, one in the legend's key.
    assert len(hatches) == 2
    assert svg.find(f".//{SVG}pattern[@id='hm-hatch']") is not None
    texts = [t.text for t in svg.iter(f"{SVG}text") if "cell-value" in t.get("class", "")]
    assert texts == [f"4 {MARKER}", "2"]


def test_long_labels_are_shortened_with_the_whole_name_in_the_tooltip() -> None:
    long_area = "Project and performance management across every partner organisation"

    svg = draw(["Ann"], [long_area], [[Cell(1.0, "1")]])

    label = next(t for t in svg.iter(f"{SVG}text") if "column-label" in t.get("class", ""))
    title = label.find(f"{SVG}title")
    assert title is not None
    assert title.text == long_area
    shown = "".join(label.itertext()).replace(long_area, "")
    assert shown.endswith("…")
    assert len(shown) == COLUMN_LABEL_CHARS
    assert label.get("transform", "").startswith(f"rotate(-{LABEL_ANGLE:g}")


def test_the_drawing_leaves_room_for_the_slanted_column_labels_and_the_row_labels() -> None:
    rows, columns = ["Dr Priya Raman"], ["Our shared purpose", "System drivers"]

    at = layout(rows, columns)
    svg = draw(rows, columns, [[Cell(0.0, ""), Cell(0.0, "")]])

    rise = len("Our shared purpose") * CHAR_WIDTH * math.sin(math.radians(LABEL_ANGLE))
    assert at.top >= rise
    assert at.left >= len("Dr Priya Raman") * CHAR_WIDTH
    # The last label leans right from its column's middle: the drawing is wide enough.
    run = len("System drivers") * CHAR_WIDTH * math.cos(math.radians(LABEL_ANGLE))
    assert at.width >= at.cell_x(1) + CELL_WIDTH / 2 + run
    assert svg.get("viewBox") == f"0 0 {at.width:g} {at.height:g}"


def test_names_are_escaped_and_the_chart_is_labelled_for_screen_readers() -> None:
    svg = draw(["<Ann & Co>"], ["Purpose"], [[Cell(0.5, "1", note="Ann <b>")]])

    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "hm-title hm-desc"
    label = next(t for t in svg.iter(f"{SVG}text") if "row-label" in t.get("class", ""))
    assert "<Ann & Co>" in "".join(label.itertext())


def test_a_divider_separates_the_components_from_the_workstreams() -> None:
    svg = draw(["Ann"], ["Purpose", "Ward flow"], [[Cell(0.5, "1"), Cell(0.5, "1")]], dividers=[1])

    lines = [line for line in svg.iter(f"{SVG}line") if line.get("class") == "divider"]
    assert len(lines) == 1
    assert float(lines[0].get("x1", "0")) == layout(["Ann"], ["Purpose", "Ward flow"]).cell_x(1)


def _area(key: str, *people: tuple[str, int, bool]) -> KnowledgeArea:
    total = sum(count for _, count, _ in people)
    return KnowledgeArea(
        "component",
        key,
        key.title(),
        total,
        [Contributor(p, p.title(), n, round(n / total, 4), covers) for p, n, covers in people],
    )


def test_the_busiest_people_come_first_and_a_sole_coverer_is_marked_in_the_table() -> None:
    areas = [
        _area("purpose", ("ann", 4, True), ("bob", 1, False)),
        _area("measurement", ("ann", 2, True), ("bob", 2, True)),
    ]

    people = loads(areas)
    table = knowledge_table(areas, people, limit=50, offset=0)

    assert [p.name for p in people] == ["Ann", "Bob"]
    assert [(p.covering, p.contributions) for p in people] == [(2, 6), (1, 3)]
    assert table.rows[0]["area:component:purpose"] == "4 (only coverer)"
    assert table.rows[1]["area:component:purpose"] == "1"
    assert re.fullmatch(r"\d+", str(table.rows[0]["area:component:measurement"]))


def test_a_large_programme_draws_its_busiest_people_and_pages_the_table_of_everyone() -> None:
    people = [(f"p{index:02}", 50 - index, True) for index in range(HEATMAP_ROWS + 5)]
    areas = [_area("purpose", *people)]

    busiest = loads(areas)
    svg = ET.fromstring(str(knowledge_heat_map(areas, busiest)))  # noqa: S314 - drawn here
    second_page = knowledge_table(areas, busiest, limit=20, offset=40)

    assert len(grid_cells(svg)) == HEATMAP_ROWS
    rows = [t for t in svg.iter(f"{SVG}text") if "row-label" in t.get("class", "")]
    assert rows[0].find(f"{SVG}title").text == "P00"  # type: ignore[union-attr]
    assert [row["name"] for row in second_page.rows] == [f"P{i:02}" for i in range(40, 45)]
    assert (second_page.total, second_page.offset) == (HEATMAP_ROWS + 5, 40)
