"""The problem-details answers each operation can give, declared in its OpenAPI entry.

``problems.py`` maps every error to a status in one place; this declares those statuses in one
place too, from what each route takes (a body, path ids, parameters) and whether it writes, so
that a client reading the schema knows every answer it may get and the shape of each.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Annotated

import msgspec
from litestar import Litestar
from litestar.handlers import HTTPRouteHandler
from litestar.openapi.datastructures import ResponseSpec
from litestar.routes import HTTPRoute

from services.api.access import RULES, Rule
from services.api.problems import PROBLEM_JSON

#: What a handler may take that is not the client's input.
_NOT_INPUT = frozenset({"request", "container", "state", "scope"})
_READS = frozenset({"GET", "HEAD", "OPTIONS"})


class FieldError(msgspec.Struct, kw_only=True):
    field: Annotated[str, msgspec.Meta(description="The field at fault, e.g. 'name'.")]
    message: str
    source: str | None = None


class Problem(msgspec.Struct, kw_only=True):
    """RFC 9457 problem details. Other members may be present (RFC 9457 section 3.2)."""

    type: Annotated[str, msgspec.Meta(examples=["about:blank"])]
    title: str
    status: int
    detail: str
    errors: list[FieldError] | None = None
    current_version: Annotated[
        int | None, msgspec.Meta(description="With a stale version: the version now.")
    ] = None
    existing_id: Annotated[
        str | None, msgspec.Meta(description="With a duplicate: the record that has it.")
    ] = None


def _spec(description: str) -> ResponseSpec:
    return ResponseSpec(
        data_container=Problem,
        description=description,
        media_type=PROBLEM_JSON,
        generate_examples=False,
    )


BAD_REQUEST = _spec("The request could not be read, e.g. its body is not JSON.")
NOT_AUTHENTICATED = _spec("No API token, or one that is unknown, revoked or expired.")
FORBIDDEN = _spec("You may not take this action on this record.")
NOT_FOUND = _spec("No record has this id (ids are UUIDs).")
CONFLICT = _spec(
    "The record's current state forbids this, the version you sent is stale, another request"
    " changed it at the same moment, or the value is already taken."
)
TOO_LARGE = _spec("The body is larger than the server accepts; nothing was recorded.")
INVALID = _spec("A value is invalid; 'errors' names each field at fault.")
UNAVAILABLE = _spec("The database or the views are not available yet; retry after Retry-After.")
TOO_MANY = _spec("Too many failed attempts; retry after Retry-After.")

#: Operations that count failed attempts (services/web/throttle.py).
RATE_LIMITED = frozenset({"changeMyPassword"})


def problem_responses(
    handler: HTTPRouteHandler, *, path_ids: bool, public: bool
) -> dict[int, ResponseSpec]:
    """The problems ``handler`` can answer with, by status."""
    inputs = set(handler.parsed_fn_signature.parameters) - _NOT_INPUT
    writes = bool(set(handler.http_methods) - _READS)
    responses: dict[int, ResponseSpec] = {503: UNAVAILABLE}
    if not public:
        responses[401] = NOT_AUTHENTICATED
    if RULES.get(str(handler.operation_id)) not in (None, Rule.PUBLIC, Rule.SIGNED_IN):
        # The access policy (services/api/access.py) refuses some signed-in callers.
        responses[403] = FORBIDDEN
    if handler.operation_id in RATE_LIMITED:
        responses[429] = TOO_MANY
    if inputs:
        # Litestar documents a 400 of its own shape for any handler with inputs; ours is a
        # problem, and 422 is what invalid values get.
        responses[400] = BAD_REQUEST
        responses[422] = INVALID
    # An id in the path, or a filter naming a record (``?programme_id=``), may name none.
    if path_ids or any(name.endswith("_id") for name in inputs):
        responses[404] = NOT_FOUND
    if "data" in inputs:
        responses[413] = TOO_LARGE
    if writes:
        responses[403] = FORBIDDEN
        responses[409] = CONFLICT
    return responses


def document_problems(app: Litestar, public_paths: Iterable[str]) -> None:
    """Declare each operation's problem answers on the app's own copies of its handlers.

    ``public_paths`` are the patterns that need no token (as the authentication middleware
    is given them).
    """
    public = [re.compile(pattern) for pattern in public_paths]
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for handler in route.route_handlers:
            declared = problem_responses(
                handler,
                path_ids=bool(route.path_parameters),
                public=any(pattern.search(route.path) for pattern in public),
            )
            merged = {**declared, **(handler.responses or {})}
            handler.responses = dict(sorted(merged.items()))
