"""A horizontal bar chart: one labelled bar per item, values from 0 to a maximum."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup

from services.web.charts.svg import chart, element, text

_LABEL_WIDTH = 260.0
_BAR_SPACE = 300.0
_ROW = 26.0


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None
    #: What the bar says in words, e.g. "67%" or "not known".
    shown: str
    #: A CSS class for the bar's colour (e.g. "good", "warn", "bad").
    tone: str = ""


def bar_chart(
    bars: Sequence[Bar], *, maximum: float, title: str, description: str, chart_id: str
) -> Markup:
    height = max(len(bars), 1) * _ROW + 8
    width = _LABEL_WIDTH + _BAR_SPACE + 60
    body: list[Markup] = []
    for index, bar in enumerate(bars):
        y = 4 + index * _ROW
        label = bar.label if len(bar.label) <= 30 else bar.label[:29] + "…"
        body.append(
            element(
                "text",
                {"x": _LABEL_WIDTH - 8, "y": y + 17, "text-anchor": "end", "class": "label"},
                element("title", {}, bar.label),
                label,
            )
        )
        length = 0.0 if not bar.value or maximum <= 0 else _BAR_SPACE * bar.value / maximum
        body.append(
            element(
                "rect",
                {
                    "x": _LABEL_WIDTH,
                    "y": y + 4,
                    "width": max(length, 1.0),
                    "height": _ROW - 8,
                    "class": f"bar {bar.tone}".strip(),
                },
            )
        )
        body.append(text(_LABEL_WIDTH + length + 6, y + 17, bar.shown, class_="value"))
    return chart(width, height, title, description, body, chart_id=chart_id)
