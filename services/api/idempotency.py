"""The Idempotency-Key header on POST requests: a retried request records once.

A replay answers with the record's current representation, the original status code and
``Idempotent-Replayed: true``. The same key with a different body is refused with 422.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Annotated, Any, TypeVar
from uuid import UUID

import msgspec
from litestar import Request, Response
from litestar.params import HeaderParameter
from litestar.status_codes import HTTP_200_OK

from infra.bootstrap import Container
from services.api.common import actor, etag
from services.use_cases.positions import written_version

T = TypeVar("T")

IdempotencyKey = Annotated[
    str | None,
    HeaderParameter(
        name="Idempotency-Key",
        required=False,
        description=(
            "Any unique string (e.g. a UUID). Retrying a request with the same key records "
            "it once and returns the same record."
        ),
    ),
]


def fingerprint(request: Request[Any, Any, Any], data: Any) -> str:
    body = msgspec.json.encode(data) if data is not None else b""
    digest = hashlib.sha256(f"{request.method} {request.url.path}\n".encode() + body)
    return digest.hexdigest()


def once(
    container: Container,
    request: Request[Any, Any, Any],
    key: str | None,
    data: Any,
    command: Callable[[], UUID],
    render: Callable[[UUID], Response[T]],
) -> Response[T]:
    """Run ``command`` (which returns the id of the record it changed) at most once per key."""
    if key is None:
        return answer(request, command(), render)
    person_id = actor(request)
    print_ = fingerprint(request, data)
    replayed = container.app.replay_of(person_id, key, print_)
    if replayed is not None:
        response = render(replayed)
        response.headers["Idempotent-Replayed"] = "true"
        return response
    with container.app.idempotent(person_id, key, print_):
        record_id = command()
    return answer(request, record_id, render)


def answer(
    request: Request[Any, Any, Any], record_id: UUID, render: Callable[[UUID], Response[T]]
) -> Response[Any]:
    """The record as the views show it, or with ``Prefer: return=minimal`` (RFC 7240) only
    its id and version, without waiting for the views: for clients that write in bulk."""
    version = written_version(record_id)
    if version is None or not prefers_minimal(request):
        return render(record_id)
    return Response(
        {"id": str(record_id), "version": version},
        # The status the handler answers with (201 for a create, 200 for a change).
        status_code=request.route_handler.status_code or HTTP_200_OK,
        headers={**etag(version), "Preference-Applied": "return=minimal"},
    )


def prefers_minimal(request: Request[Any, Any, Any]) -> bool:
    preferences = request.headers.get("prefer", "")
    return any(
        part.strip().lower() == "return=minimal"
        for value in preferences.split(",")
        for part in value.split(";")[:1]
    )
