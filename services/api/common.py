"""Small helpers shared by the controllers: ids, versions, paging, read-your-writes."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated, Any
from uuid import UUID

import msgspec
from litestar import Request
from litestar.di import NamedDependency
from litestar.params import HeaderParameter, PathParameter, QueryParameter

from domain.errors import InvalidValue, NotFound
from infra.bootstrap import Container
from projections.temporal import Moment
from services.use_cases.positions import ViewsBehind, written_so_far

#: The range of times a report can be read as of (see ``moment``).
EARLIEST_AS_OF = datetime(1900, 1, 1, tzinfo=UTC)
LATEST_AS_OF = datetime(9000, 1, 1, tzinfo=UTC)

#: How long a request waits for the views to include a position before answering 503.
WAIT_SECONDS = 10.0

_ETAG = re.compile(r'^\s*(?:W/)?"?(\d+)"?\s*$')

#: The composition root, injected by name from the app's ``container`` dependency.
ContainerDep = NamedDependency[Container]

Limit = Annotated[int, QueryParameter(ge=1, le=200, description="Items per page (1 to 200).")]
#: Bounded so that the databases, whose integers are 64-bit at most, are never asked to
#: skip more rows than they can count (an unbounded offset was a 500).
OFFSET_MAX = 2**31 - 1
Offset = Annotated[int, QueryParameter(ge=0, le=OFFSET_MAX, description="Items to skip.")]
IfMatch = Annotated[
    str | None,
    HeaderParameter(
        name="If-Match",
        required=False,
        description="The version you read (its ETag). A write based on an older one gets 409.",
    ),
]
# Path ids are taken as text and parsed by ``parse_id``, so a malformed one is a 404 that
# says ids are UUIDs rather than a bare validation error.
# Reading one record as it was (ADR 6). Every single-record GET of the ledger takes these.
Version = Annotated[
    int | None,
    QueryParameter(ge=1, description="Read the record as it was at this version (1 = created)."),
]
AsOf = Annotated[
    str | None,
    QueryParameter(
        schema_extra={"format": "date-time"},
        description=(
            "Read the record as recorded up to this UTC time (ISO 8601, e.g."
            " 2026-11-23T10:00:00Z): what the board could have seen then."
        ),
    ),
]
#: Reading a report or dashboard as the board could have seen it at a past recorded time.
ViewAsOf = Annotated[
    str | None,
    QueryParameter(
        schema_extra={"format": "date-time"},
        description=(
            "Read the view as recorded up to this UTC time (ISO 8601, e.g."
            " 2026-11-23T10:00:00Z): what the board could have seen then. Overdue, stale and"
            " due-soon are judged on that date."
        ),
    ),
]
OrganisationId = Annotated[str, PathParameter(description="The organisation's id, a UUID.")]
PersonId = Annotated[str, PathParameter(description="The person's id, a UUID.")]
ProgrammeId = Annotated[str, PathParameter(description="The programme's id, a UUID.")]


def actor(request: Request[Any, Any, Any]) -> UUID:
    user: UUID = request.user
    return user


def parse_id(value: str, kind: str) -> UUID:
    """Ids in paths: a malformed one names no record, so it is a 404 that says why."""
    try:
        return UUID(value)
    except ValueError:
        raise NotFound(kind, f"{value!r} (ids are UUIDs)") from None


def expected_version(if_match: str | None) -> int | None:
    if if_match is None or if_match.strip() in ("", "*"):
        return None
    match = _ETAG.match(if_match)
    if match is None:
        raise InvalidValue("If-Match", 'must be the ETag you read, e.g. "3"')
    return int(match.group(1))


def parse_datetime(field: str, value: str | None) -> datetime | None:
    """An RFC 3339 date-time from a request body; the domain then insists on a timezone."""
    if value is None:
        return None
    try:
        parsed = msgspec.convert(value, datetime)
    except msgspec.ValidationError:
        raise InvalidValue(field, "must be a date and time like 2026-11-23T10:00:00Z") from None
    if parsed.tzinfo is not None:
        try:
            # 0001-01-01T00:00:00+14:00 parses, but its UTC time is before year 1: every
            # later comparison or conversion would overflow (a 500).
            parsed.astimezone(UTC)
        except OverflowError:
            raise InvalidValue(
                field, "must be a time between the years 1 and 9999 in UTC"
            ) from None
    return parsed


def moment(as_of: str | None) -> Moment:
    """When a report reads the views: now, or as of the given UTC time (``as_of``)."""
    at = parse_datetime("as_of", as_of)
    if at is not None and at.tzinfo is None:
        raise InvalidValue("as_of", "must include a timezone, e.g. 2026-11-23T10:00:00Z")
    if at is not None and not EARLIEST_AS_OF <= at < LATEST_AS_OF:
        # Reports count days from the as-of date (due within 3650 days, stale for N days):
        # near the ends of the calendar that arithmetic would overflow.
        raise InvalidValue("as_of", "must be a time from the year 1900 up to the year 9000")
    return Moment(at)


def etag(version: int) -> dict[str, str]:
    return {"ETag": f'"{version}"'}


def fresh(container: Container) -> Container:
    """The container, its views brought up to the head of the log when this process runs them.

    In the embedded mode every read sees every write before it. With workers the views are
    kept current by them: a request that wrote waits for its own events to reach them, and a
    client that has just written asks a later read to wait for its write with the
    ``Changeledger-Min-Position`` header (services/api/consistency.py).
    """
    if container.runs_views_in_process:
        container.catch_up()
        return container
    written = written_so_far()
    # A write answered from the views waits for its own events to reach them.
    if written is not None and not container.wait_for_views(written, WAIT_SECONDS):
        raise ViewsBehind(written)
    return container
