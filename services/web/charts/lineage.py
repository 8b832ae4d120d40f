"""A decision's lineage as a graph: what it superseded, what superseded it, its amendments.

Nodes are laid out in columns by how many links lie before them (earliest on the left), and
in rows within a column in the order given, so boxes never overlap and every edge runs left to
right. Each node links to its own page; the current decision is drawn with a heavier border
and says so in words, and each node states its status in text (colour is never the only sign).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup

from services.web.charts.svg import chart, element, text

NODE_WIDTH = 270.0
NODE_HEIGHT = 84.0
#: Room between columns for an edge and its label.
COLUMN_GAP = 110.0
ROW_GAP = 26.0
MARGIN = 12.0
_TITLE_LINE = 30


@dataclass(frozen=True)
class Node:
    id: str
    #: First line(s): the title (a decision) or what changed (an amendment).
    title: str
    #: The second line, e.g. "Superseded · decided 2026-07-26".
    note: str
    #: A CSS class: the decision's status ("decided", "superseded", ...) or "amendment".
    tone: str
    href: str | None = None
    current: bool = False


@dataclass(frozen=True)
class Edge:
    #: The earlier node and the later one.
    source: str
    target: str
    label: str


@dataclass(frozen=True)
class Box:
    node: Node
    column: int
    row: int

    @property
    def x(self) -> float:
        return MARGIN + self.column * (NODE_WIDTH + COLUMN_GAP)

    @property
    def y(self) -> float:
        return MARGIN + self.row * (NODE_HEIGHT + ROW_GAP)


def layout(nodes: Sequence[Node], edges: Sequence[Edge]) -> dict[str, Box]:
    """Each node's column (the longest run of edges leading to it) and row in that column."""
    ids = {node.id for node in nodes}
    before: dict[str, list[str]] = {node.id: [] for node in nodes}
    for edge in edges:
        if edge.source in ids and edge.target in ids:
            before[edge.target].append(edge.source)
    column: dict[str, int] = {}

    def depth(node_id: str, seen: frozenset[str]) -> int:
        if node_id not in column:
            # ``seen`` stops a cycle (the domain forbids one; a drawing must still end).
            earlier = [d for d in before[node_id] if d not in seen]
            column[node_id] = max((depth(d, seen | {node_id}) + 1 for d in earlier), default=0)
        return column[node_id]

    boxes: dict[str, Box] = {}
    filled: dict[int, int] = {}
    for node in nodes:
        col = depth(node.id, frozenset())
        boxes[node.id] = Box(node, col, filled.get(col, 0))
        filled[col] = filled.get(col, 0) + 1
    return boxes


def _lines(title: str) -> list[str]:
    """The title in at most two lines that fit a box; the full title is the node's tooltip."""
    words, lines, line = title.split(), [], ""
    for word in words:
        candidate = f"{line} {word}".strip()
        if len(candidate) <= _TITLE_LINE or not line:
            line = candidate
        else:
            lines.append(line)
            line = word
    lines.append(line)
    if len(lines) > 2:
        lines = [lines[0], lines[1][: _TITLE_LINE - 1] + "…"]
    return [each if len(each) <= _TITLE_LINE else each[: _TITLE_LINE - 1] + "…" for each in lines]


def _node(box: Box) -> Markup:
    node = box.node
    classes = f"node {node.tone}" + (" current" if node.current else "")
    parts = [
        element("title", {}, node.title),
        element(
            "rect",
            {
                "x": box.x,
                "y": box.y,
                "width": NODE_WIDTH,
                "height": NODE_HEIGHT,
                "rx": 4,
                "class": classes,
            },
        ),
    ]
    for index, line in enumerate(_lines(node.title)):
        parts.append(text(box.x + 10, box.y + 20 + index * 16, line, class_="node-title"))
    parts.append(text(box.x + 10, box.y + 58, node.note, class_="node-note"))
    if node.current:
        parts.append(text(box.x + 10, box.y + 76, "▶ this decision", class_="node-current"))
    group = element("g", {"class": "lineage-node", "data-node": node.id}, *parts)
    return element("a", {"href": node.href}, group) if node.href else group


def _edge(source: Box, target: Box, label: str, marker: str) -> Markup:
    x1, y1 = source.x + NODE_WIDTH, source.y + NODE_HEIGHT / 2
    x2, y2 = target.x - 4, target.y + NODE_HEIGHT / 2
    middle = (x1 + x2) / 2
    path = f"M{x1:g},{y1:g} C{middle:g},{y1:g} {middle:g},{y2:g} {x2:g},{y2:g}"
    kind = "edge amended" if label == "amended" else "edge"
    return element(
        "g",
        {"class": kind},
        element("path", {"d": path, "marker-end": f"url(#{marker})"}),
        text(middle, min(y1, y2) - 6, label, text_anchor="middle", class_="edge-label"),
    )


def lineage_chart(
    nodes: Sequence[Node], edges: Sequence[Edge], *, title: str, description: str, chart_id: str
) -> Markup:
    boxes = layout(nodes, edges)
    columns = max((box.column for box in boxes.values()), default=0) + 1
    rows = max((box.row for box in boxes.values()), default=0) + 1
    width = 2 * MARGIN + columns * NODE_WIDTH + (columns - 1) * COLUMN_GAP
    height = 2 * MARGIN + rows * NODE_HEIGHT + (rows - 1) * ROW_GAP
    marker = f"{chart_id}-arrow"
    defs = element(
        "defs",
        {},
        element(
            "marker",
            {
                "id": marker,
                "viewBox": "0 0 10 10",
                "refX": 9,
                "refY": 5,
                "markerWidth": 7,
                "markerHeight": 7,
                "orient": "auto",
            },
            element("path", {"d": "M0,0 L10,5 L0,10 z", "class": "arrow"}),
        ),
    )
    body = [defs]
    for edge in edges:
        if edge.source in boxes and edge.target in boxes:
            body.append(_edge(boxes[edge.source], boxes[edge.target], edge.label, marker))
    body.extend(_node(box) for box in boxes.values())
    return chart(width, height, title, description, body, chart_id=chart_id, class_="chart lineage")
