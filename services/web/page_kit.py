"""What every page is made of: tables that also download as CSV, the as-of date, and links.

A page handler builds its tables once; ``respond`` renders them into the page's template, or,
when the URL asks for ``?csv=<table name>``, answers that one table as a CSV file. So every
table on every page can be downloaded, with exactly the rows the page shows.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any
from urllib.parse import urlencode

from litestar import Request, Response
from litestar.response import Template

from domain.errors import InvalidValue, NotFound
from projections.temporal import Moment
from services.api.common import moment

#: A cell that starts like a formula is prefixed, so a spreadsheet shows it as text rather
#: than running it (CSV injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    numeric: bool = False
    #: The row's key holding this cell's link, if the cell links somewhere.
    link: str | None = None
    #: The sort this column's heading asks for (a sortable table only).
    sort: str | None = None


@dataclass(frozen=True)
class Table:
    """A table as the page shows it and as its CSV holds it: one row per mapping."""

    name: str
    caption: str
    columns: Sequence[Column]
    rows: Sequence[Mapping[str, Any]]
    empty: str = "Nothing to show."
    #: Pagination: the rows are items offset..offset+len(rows) of total.
    total: int | None = None
    limit: int | None = None
    offset: int = 0
    #: The sort in force (sortable tables only) and whether it is descending.
    sort: str | None = None
    descending: bool = False


@dataclass(frozen=True)
class AsOf:
    """When a page reads the views: now, or the end of a past date (what the board could
    have seen on that day)."""

    raw: str | None
    moment: Moment
    label: str | None = None

    @property
    def date_value(self) -> str:
        return self.moment.as_of.date().isoformat() if self.moment.as_of else ""


def as_of_from(value: str | None) -> AsOf:
    """``as_of`` from a page's URL: a date (its end, UTC) or an ISO 8601 time with a zone."""
    value = (value or "").strip()
    if not value:
        return AsOf(None, moment(None))
    try:
        day = date.fromisoformat(value)
    except ValueError:
        day = None
    if day is not None and len(value) == 10:
        end = datetime.combine(day, time.max, tzinfo=UTC)
        at = moment(end.isoformat())
        return AsOf(value, at, f"as of the end of {day.isoformat()} (UTC)")
    try:
        at = moment(value)
    except InvalidValue:
        raise InvalidValue("as_of", "must be a date like 2026-05-01") from None
    assert at.as_of is not None
    return AsOf(value, at, f"as of {at.as_of.astimezone(UTC).isoformat()}")


@dataclass
class Page:
    """One rendered page: its template, title, tables and anything else its template needs."""

    template: str
    title: str
    as_of: AsOf
    tables: list[Table] = field(default_factory=list)
    context: dict[str, Any] = field(default_factory=dict)
    status: int = 200

    def table(self, name: str) -> Table:
        for table in self.tables:
            if table.name == name:
                return table
        raise NotFound("table", name)


def with_query(path: str, params: Mapping[str, Any]) -> str:
    """``path`` with the given query parameters; None values are left out, and a list
    value repeats its parameter (``?leaving=a&leaving=b``)."""
    kept = {key: value for key, value in params.items() if value not in (None, "", [])}
    return f"{path}?{urlencode(kept, doseq=True)}" if kept else path


def days(value: float | None) -> str:
    """A number of days as people read it: to one decimal place, without a trailing .0."""
    return "" if value is None else f"{round(value, 1):g}"


def csv_cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def csv_response(page: Page, table: Table, slug: str) -> Response[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([column.label for column in table.columns])
    for row in table.rows:
        writer.writerow([csv_cell(row.get(column.key)) for column in table.columns])
    stamp = f"-as-of-{page.as_of.date_value}" if page.as_of.raw else ""
    filename = f"{slug}-{table.name}{stamp}.csv"
    return Response(
        # A byte-order mark, so spreadsheet programs read the names' accents correctly.
        content=("\ufeff" + buffer.getvalue()).encode("utf-8"),
        media_type="text/csv",  # Litestar adds "; charset=utf-8"
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )


def respond(
    request: Request[Any, Any, Any], page: Page, slug: str, frame: Mapping[str, Any]
) -> Response[Any]:
    """The page as HTML, or one of its tables as CSV when asked with ``?csv=NAME``."""
    from services.web.pages import PAGE_HEADERS

    wanted = request.query_params.get("csv")
    if wanted:
        return csv_response(page, page.table(wanted), slug)
    context = {**frame, **page.context, "page": page, "title": page.title}
    return Template(page.template, context=context, status_code=page.status, headers=PAGE_HEADERS)
