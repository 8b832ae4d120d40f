"""The frame around every page: who is signed in, the as-of date, links that keep it, and
the moment the page was made (printed on every sheet of a board pack)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from litestar import Request

from infra.bootstrap import Container
from services.web.page_kit import AsOf, with_query
from services.web.security import CSRF_FIELD
from services.web.sessions import Session

#: Query parameters that belong to one view of a page, not to the page: a link elsewhere,
#: or the as-of form, drops them.
_PER_VIEW = frozenset({"csv", "offset", "as_of", "done"})

NAVIGATION = (
    ("Portfolio", "/web/portfolio"),
    ("Commitments", "/web/commitments"),
    ("Resilience", "/web/resilience"),
)


def frame(
    request: Request[Any, Any, Any],
    container: Container,
    as_of: AsOf,
    page_path: str | None = None,
) -> dict[str, Any]:
    """The layout's context. ``page_path``: the page's own address, for a page re-rendered
    from a form's POST (its links and as-of picker must lead to the page, not the form)."""
    person = container.directory.person(str(request.user)) or {}
    session = request.auth if isinstance(request.auth, Session) else None
    kept = {} if page_path else kept_query(request)
    path = page_path or request.url.path
    return {
        "viewer_name": person.get("name", ""),
        "viewer_id": str(request.user),
        "csrf_field": CSRF_FIELD,
        "csrf_token": session.csrf_token if session else "",
        "as_of": as_of,
        "generated_at": datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
        "current_path": path,
        "kept_query": kept,
        # What a form just did (see services/web/forms.py), shown once as a notice.
        "done": request.query_params.get("done"),
        "navigation": NAVIGATION,
        "href": linker(as_of),
        "here": lambda **params: with_query(path, {**kept, "as_of": as_of.raw, **params}),
    }


def kept_query(request: Request[Any, Any, Any]) -> dict[str, str | list[str]]:
    """The query parameters a link to this page keeps; a repeated one (e.g. several people
    picked in a form) keeps all its values, as a list."""
    kept: dict[str, str | list[str]] = {}
    for key in dict.fromkeys(request.query_params.keys()):
        if key not in _PER_VIEW:
            values = request.query_params.getall(key)
            kept[key] = values[0] if len(values) == 1 else values
    return kept


def linker(as_of: AsOf) -> Callable[..., str]:
    """``href(path, **params)``: a link to another page at the same as-of date."""

    def href(path: str, **params: Any) -> str:
        return with_query(path, {"as_of": as_of.raw, **params})

    return href
