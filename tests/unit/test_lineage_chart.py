"""The decision lineage graph and the timeline chart: where things are drawn."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from services.web.charts.event_timeline import (
    LABEL_WIDTH,
    PLOT_WIDTH,
    Happening,
    timeline_chart,
    x_of,
)
from services.web.charts.lineage import (
    NODE_HEIGHT,
    NODE_WIDTH,
    Box,
    Edge,
    Node,
    layout,
    lineage_chart,
)


def node(node_id: str, *, current: bool = False) -> Node:
    return Node(node_id, f"Decision {node_id}", "Decided", "decided", f"/d/{node_id}", current)


def overlaps(a: Box, b: Box) -> bool:
    return not (
        a.x + NODE_WIDTH <= b.x
        or b.x + NODE_WIDTH <= a.x
        or a.y + NODE_HEIGHT <= b.y
        or b.y + NODE_HEIGHT <= a.y
    )


def test_a_chain_of_three_supersessions_is_laid_out_left_to_right_without_overlaps() -> None:
    nodes = [node("a"), node("b", current=True), node("c"), node("d")]
    edges = [Edge("a", "b", "superseded by"), Edge("b", "c", "superseded by")]
    edges.append(Edge("c", "d", "superseded by"))

    boxes = layout(nodes, edges)

    xs = [boxes[n].x for n in "abcd"]
    assert xs == sorted(xs)
    assert len(set(xs)) == 4
    assert {boxes[n].y for n in "abcd"} == {boxes["a"].y}
    pairs = [(p, q) for p in "abcd" for q in "abcd" if p < q]
    assert not any(overlaps(boxes[p], boxes[q]) for p, q in pairs)


def test_two_decisions_superseded_by_one_share_a_column_one_above_the_other() -> None:
    nodes = [node("a"), node("b"), node("c", current=True)]
    edges = [Edge("a", "c", "superseded by"), Edge("b", "c", "superseded by")]

    boxes = layout(nodes, edges)

    assert boxes["a"].x == boxes["b"].x < boxes["c"].x
    assert boxes["a"].y != boxes["b"].y
    assert not overlaps(boxes["a"], boxes["b"])


def test_an_amendment_is_drawn_after_its_decision_beside_the_superseding_one() -> None:
    nodes = [node("a", current=True), node("b"), Node("a-1", "New title", "Amended", "amendment")]
    edges = [Edge("a", "b", "superseded by"), Edge("a", "a-1", "amended")]

    boxes = layout(nodes, edges)

    assert boxes["b"].column == boxes["a-1"].column == boxes["a"].column + 1
    assert not overlaps(boxes["b"], boxes["a-1"])


def test_the_chart_links_every_decision_labels_edges_and_marks_the_current_one() -> None:
    nodes = [node("a"), node("b", current=True)]

    svg = str(
        lineage_chart(
            nodes,
            [Edge("a", "b", "superseded by")],
            title="Lineage <of> it",
            description="d",
            chart_id="lin",
        )
    )

    assert '<a href="/d/a">' in svg
    assert '<a href="/d/b">' in svg
    assert ">superseded by</text>" in svg
    assert svg.count("this decision") == 1
    assert "Lineage &lt;of&gt; it" in svg
    width = float(re.search(r'viewBox="0 0 ([\d.]+) ', svg).group(1))  # type: ignore[union-attr]
    assert width >= 2 * NODE_WIDTH


def test_a_cycle_in_the_links_still_lays_out_every_node() -> None:
    nodes = [node("a"), node("b")]
    boxes = layout(nodes, [Edge("a", "b", "superseded by"), Edge("b", "a", "superseded by")])
    assert set(boxes) == {"a", "b"}
    assert not overlaps(boxes["a"], boxes["b"])


def test_timeline_places_events_in_time_order_within_the_plot() -> None:
    start = datetime(2026, 6, 1, tzinfo=UTC)
    end = start + timedelta(days=100)
    middle = start + timedelta(days=50)

    first, centre, last = (x_of(t, start, end) for t in (start, middle, end))

    assert LABEL_WIDTH <= first < centre < last <= LABEL_WIDTH + PLOT_WIDTH
    assert abs(centre - (first + last) / 2) < 0.01


def test_timeline_with_one_moment_puts_its_events_in_the_middle_not_dividing_by_zero() -> None:
    at = datetime(2026, 6, 1, tzinfo=UTC)
    svg = str(
        timeline_chart(
            [Happening(at, "Proposed", "proposed"), Happening(at, "Objected: LYPFT", "object")],
            title="t",
            description="d",
            chart_id="tl",
        )
    )
    assert x_of(at, at, at) == LABEL_WIDTH + PLOT_WIDTH / 2
    assert svg.count('class="timeline-row"') == 2
    assert 'class="marker object"' in svg
