"""Building SVG markup safely: every text and attribute value is escaped here, once."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from markupsafe import Markup, escape


def _attributes(attrs: Mapping[str, Any]) -> str:
    parts = []
    for name, value in attrs.items():
        if value is None or value is False:
            continue
        # Python names can't hold hyphens: stroke_width becomes stroke-width.
        key = name.rstrip("_").replace("_", "-")
        if isinstance(value, float):
            value = f"{value:.2f}".rstrip("0").rstrip(".")
        parts.append(f' {key}="{escape(str(value))}"')
    return "".join(parts)


def element(tag: str, attrs: Mapping[str, Any] | None = None, *children: str | Markup) -> Markup:
    """``<tag attrs>children</tag>``; plain-string children are escaped, Markup is kept."""
    inner = "".join(str(escape(child)) for child in children)
    if not children:
        return Markup(f"<{tag}{_attributes(attrs or {})}/>")  # noqa: S704 - escaped above
    return Markup(f"<{tag}{_attributes(attrs or {})}>{inner}</{tag}>")  # noqa: S704 - escaped


def text(x: float, y: float, content: str, **attrs: Any) -> Markup:
    return element("text", {"x": x, "y": y, **attrs}, content)


def chart(
    width: float,
    height: float,
    title: str,
    description: str,
    body: Iterable[Markup],
    *,
    chart_id: str,
    class_: str = "chart",
) -> Markup:
    """A whole chart: an accessible, scalable ``<svg>``."""
    return element(
        "svg",
        {
            "xmlns": "http://www.w3.org/2000/svg",
            "viewBox": f"0 0 {width:g} {height:g}",
            # Drawn at its natural size (text stays legible), shrunk to fit narrow screens.
            "width": f"{width:g}",
            "height": f"{height:g}",
            "role": "img",
            "aria-labelledby": f"{chart_id}-title {chart_id}-desc",
            "class": class_,
            "id": chart_id,
        },
        element("title", {"id": f"{chart_id}-title"}, title),
        element("desc", {"id": f"{chart_id}-desc"}, description),
        *body,
    )
