"""The Change Model wheel: one ring segment per framework component around a centre circle
holding the shared purpose.

A segment's colour is its latest rating (1 to 5; grey when never reviewed) and it says the
rating in words too; a segment is hatched when its rating is stale or unevidenced, so colour
is never the only signal. Labels sit outside the ring, in the programme's own words.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup

from services.web.charts.svg import chart, element, text

WIDTH = 820.0
HEIGHT = 560.0
CENTRE_X = WIDTH / 2
CENTRE_Y = 250.0
INNER_RADIUS = 92.0
OUTER_RADIUS = 185.0
LABEL_RADIUS = 200.0
#: Degrees left empty between neighbouring segments, so each reads as its own shape.
GAP_DEGREES = 1.5
LABEL_CHARACTERS = 20
#: Line height of labels, in user units (the text is 13px).
LINE = 15.0
CENTRE_CHARACTERS = 18
CENTRE_LINES = 5
HATCH_ID = "wheel-hatch"


@dataclass(frozen=True)
class Segment:
    key: str
    label: str
    rating: int | None
    stale: bool
    evidenced: bool
    last_reviewed_on: str | None = None

    @property
    def hatched(self) -> bool:
        """Stale, or rated without evidence: a rating the board should not lean on."""
        return self.rating is not None and (self.stale or not self.evidenced)

    @property
    def tone(self) -> str:
        return f"r{self.rating}" if self.rating is not None else "unrated"

    @property
    def rating_text(self) -> str:
        return f"{self.rating}/5" if self.rating is not None else "none"

    def description(self) -> str:
        if self.rating is None:
            return f"{self.label}: never reviewed"
        notes = [f"rated {self.rating} of 5"]
        if self.last_reviewed_on:
            notes.append(f"last reviewed {self.last_reviewed_on}")
        if self.stale:
            notes.append("stale")
        if not self.evidenced:
            notes.append("unevidenced")
        return f"{self.label}: " + ", ".join(notes)


def polar(radius: float, degrees: float) -> tuple[float, float]:
    """A point at ``radius`` from the centre; 0 degrees is twelve o'clock, clockwise."""
    radians = math.radians(degrees - 90)
    return CENTRE_X + radius * math.cos(radians), CENTRE_Y + radius * math.sin(radians)


def segment_angles(count: int) -> list[tuple[float, float]]:
    """Each segment's start and end angle: the first centred at twelve o'clock, clockwise."""
    if count <= 0:
        return []
    step = 360.0 / count
    gap = GAP_DEGREES if count > 1 else 0.0
    return [
        (index * step - step / 2 + gap / 2, index * step + step / 2 - gap / 2)
        for index in range(count)
    ]


def sector_path(start: float, end: float, inner: float, outer: float) -> str:
    """An annular sector between two angles and two radii, as SVG path data."""
    large = 1 if end - start > 180 else 0
    if end - start >= 360:
        # A single segment is the whole ring: two half circles each way.
        end = start + 359.99
    ox1, oy1 = polar(outer, start)
    ox2, oy2 = polar(outer, end)
    ix2, iy2 = polar(inner, end)
    ix1, iy1 = polar(inner, start)
    return (
        f"M{ox1:.2f},{oy1:.2f} A{outer:g},{outer:g} 0 {large} 1 {ox2:.2f},{oy2:.2f} "
        f"L{ix2:.2f},{iy2:.2f} A{inner:g},{inner:g} 0 {large} 0 {ix1:.2f},{iy1:.2f} Z"
    )


def wrap(words: str, width: int, lines: int | None = None) -> list[str]:
    """Words wrapped to lines of at most ``width`` characters; cut with … after ``lines``."""
    wrapped: list[str] = []
    for word in words.split():
        if wrapped and len(wrapped[-1]) + 1 + len(word) <= width:
            wrapped[-1] += " " + word
        else:
            wrapped.append(word if len(word) <= width else word[: width - 1] + "…")
    if lines is not None and len(wrapped) > lines:
        wrapped = wrapped[:lines]
        last = wrapped[-1]
        wrapped[-1] = (last if len(last) < width else last[: width - 1]) + "…"
    return wrapped


def label_anchor(degrees: float) -> str:
    """Labels on the right start at their point, those on the left end there."""
    middle = degrees % 360
    if middle < 10 or middle > 350 or 170 < middle < 190:
        return "middle"
    return "start" if middle < 180 else "end"


def label_top(degrees: float, lines: int) -> float:
    """The baseline of a label's first line: labels above the wheel end at their point,
    those below start there, those at the sides are centred on it."""
    _, y = polar(LABEL_RADIUS, degrees)
    middle = degrees % 360
    if 60 <= middle <= 120 or 240 <= middle <= 300:
        return y - LINE * (lines - 1) / 2 + 4
    if 90 < middle < 270:
        return y + LINE
    return y - LINE * (lines - 1) - 4


def _segment(segment: Segment, start: float, end: float) -> Markup:
    path = sector_path(start, end, INNER_RADIUS, OUTER_RADIUS)
    middle = (start + end) / 2
    rx, ry = polar((INNER_RADIUS + OUTER_RADIUS) / 2, middle)
    parts = [
        element("title", {}, segment.description()),
        element("path", {"d": path, "class": f"seg {segment.tone}"}),
    ]
    if segment.hatched:
        parts.append(element("path", {"d": path, "fill": f"url(#{HATCH_ID})", "class": "hatch"}))
    parts.append(text(rx, ry + 6, segment.rating_text, text_anchor="middle", class_="seg-rating"))
    lx, _ = polar(LABEL_RADIUS, middle)
    lines = wrap(segment.label, LABEL_CHARACTERS, 3)
    for index, line in enumerate(lines):
        parts.append(
            text(
                lx,
                label_top(middle, len(lines)) + LINE * index,
                line,
                text_anchor=label_anchor(middle),
                class_="seg-label",
            )
        )
    return element("g", {"class": "segment", "data-component": segment.key}, *parts)


def _centre(purpose: str | None) -> list[Markup]:
    circle = element(
        "circle", {"cx": CENTRE_X, "cy": CENTRE_Y, "r": INNER_RADIUS - 6, "class": "centre"}
    )
    words = purpose or "No shared purpose drafted yet"
    lines = wrap(words, CENTRE_CHARACTERS, CENTRE_LINES)
    first = CENTRE_Y - 8 * (len(lines) - 1) + 4
    body = [
        text(CENTRE_X, first + 16 * index, line, text_anchor="middle", class_="centre-text")
        for index, line in enumerate(lines)
    ]
    title = element("title", {}, f"Shared purpose: {purpose}" if purpose else words)
    return [element("g", {"class": "centre-purpose"}, title, circle, *body)]


def _legend() -> list[Markup]:
    items: list[tuple[str, str, bool]] = [(f"r{n}", f"Rated {n}", False) for n in range(1, 6)]
    items += [("unrated", "Never reviewed", False), ("r3", "Stale or unevidenced", True)]
    y = HEIGHT - 44
    parts: list[Markup] = []
    x = 20.0
    for tone, label, hatched in items:
        parts.append(
            element("rect", {"x": x, "y": y, "width": 16, "height": 16, "class": f"seg {tone}"})
        )
        if hatched:
            parts.append(
                element(
                    "rect",
                    {"x": x, "y": y, "width": 16, "height": 16, "fill": f"url(#{HATCH_ID})"},
                )
            )
        parts.append(text(x + 22, y + 13, label, class_="legend-label"))
        x += 30 + 7.2 * len(label)
    return [element("g", {"class": "legend"}, *parts)]


def _hatch_pattern() -> Markup:
    return element(
        "defs",
        {},
        element(
            "pattern",
            {
                "id": HATCH_ID,
                "patternUnits": "userSpaceOnUse",
                "width": 8,
                "height": 8,
                "patternTransform": "rotate(45)",
            },
            element("rect", {"width": 8, "height": 8, "fill": "#ffffff", "fill-opacity": 0.35}),
            element(
                "line",
                {"x1": 0, "y1": 0, "x2": 0, "y2": 8, "stroke": "#212b32", "stroke_width": 2.5},
            ),
        ),
    )


def wheel_chart(
    segments: Sequence[Segment], purpose: str | None, *, title: str, chart_id: str
) -> Markup:
    """The wheel: ``segments`` clockwise from twelve o'clock, ``purpose`` in the centre."""
    hatched = [s.label for s in segments if s.hatched]
    description = (
        f"{len(segments)} components of the change framework around the shared purpose. "
        + " ".join(segment.description() + "." for segment in segments)
        + (f" Hatched (stale or unevidenced): {', '.join(hatched)}." if hatched else "")
    )
    body: list[Markup] = [_hatch_pattern()]
    for segment, (start, end) in zip(segments, segment_angles(len(segments)), strict=True):
        body.append(_segment(segment, start, end))
    body += _centre(purpose)
    body += _legend()
    return chart(WIDTH, HEIGHT, title, description, body, chart_id=chart_id, class_="chart wheel")
