"""Small helpers shared by the controllers: ids, versions, paging, read-your-writes."""

from __future__ import annotations

import re
from typing import Annotated, Any
from uuid import UUID

from litestar import Request
from litestar.params import Parameter

from domain.errors import InvalidValue, NotFound
from infra.bootstrap import Container

_ETAG = re.compile(r'^\s*(?:W/)?"?(\d+)"?\s*$')

Limit = Annotated[int, Parameter(ge=1, le=200, description="Items per page (1 to 200).")]
Offset = Annotated[int, Parameter(ge=0, description="Items to skip.")]
IfMatch = Annotated[
    str | None,
    Parameter(
        header="If-Match",
        required=False,
        description="The version you read (its ETag). A write based on an older one gets 409.",
    ),
]


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


def etag(version: int) -> dict[str, str]:
    return {"ETag": f'"{version}"'}


def fresh(container: Container) -> Container:
    """Read-your-writes: bring the views up to the head of the log before reading them."""
    container.catch_up()
    return container
