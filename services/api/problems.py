"""Every error leaves as RFC 9457 problem details, mapped from exception classes in one place."""

from __future__ import annotations

import logging
import re
from typing import Any

from eventsourcing.persistence import IntegrityError, OperationalError
from eventsourcing.persistence import InterfaceError as StoreInterfaceError
from litestar import Request, Response
from litestar.exceptions import (
    HTTPException,
    NotAuthorizedException,
    SerializationException,
    ValidationException,
)
from litestar.status_codes import (
    HTTP_400_BAD_REQUEST,
    HTTP_401_UNAUTHORIZED,
    HTTP_403_FORBIDDEN,
    HTTP_404_NOT_FOUND,
    HTTP_409_CONFLICT,
    HTTP_413_REQUEST_ENTITY_TOO_LARGE,
    HTTP_422_UNPROCESSABLE_ENTITY,
    HTTP_500_INTERNAL_SERVER_ERROR,
    HTTP_503_SERVICE_UNAVAILABLE,
)
from redis.exceptions import RedisError

from domain.errors import (
    DomainError,
    Forbidden,
    InvalidValue,
    NotAuthenticated,
    NotFound,
    RuleViolation,
    StaleVersion,
    UniquenessConflict,
)
from services.use_cases.positions import ViewsBehind, written_so_far

PROBLEM_JSON = "application/problem+json"
log = logging.getLogger("changeledger.api")

_AT_PATH = re.compile(r"at `\$\.?([^`]*)`")
_UNKNOWN_FIELD = re.compile(r"unknown field `([^`]*)`")
_MISSING_FIELD = re.compile(r"missing required field `([^`]*)`")
# What Litestar reports when a handler that takes a body was sent none at all.
_NO_BODY = "'data'"


def problem(
    status: int,
    title: str,
    detail: str,
    *,
    type_: str = "about:blank",
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> Response[dict[str, Any]]:
    body: dict[str, Any] = {"type": type_, "title": title, "status": status, "detail": detail}
    body.update(extra)
    return Response(content=body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def _type(slug: str) -> str:
    return f"https://changeledger.example/problems/{slug}"


def domain_error(request: Request[Any, Any, Any], exc: DomainError) -> Response[dict[str, Any]]:
    if isinstance(exc, NotFound):
        return problem(HTTP_404_NOT_FOUND, "Not found", exc.message, type_=_type("not-found"))
    if isinstance(exc, InvalidValue):
        return problem(
            HTTP_422_UNPROCESSABLE_ENTITY,
            "Invalid input",
            exc.message,
            type_=_type("invalid-input"),
            errors=[{"field": exc.field, "message": exc.reason}],
        )
    if isinstance(exc, NotAuthenticated):
        return problem(
            HTTP_401_UNAUTHORIZED,
            "Not authenticated",
            exc.message,
            type_=_type("not-authenticated"),
            headers={"WWW-Authenticate": 'Bearer realm="changeledger"'},
        )
    if isinstance(exc, Forbidden):
        return problem(HTTP_403_FORBIDDEN, "Forbidden", exc.message, type_=_type("forbidden"))
    if isinstance(exc, StaleVersion):
        return problem(
            HTTP_409_CONFLICT,
            "Stale version",
            exc.message,
            type_=_type("stale-version"),
            current_version=exc.actual,
        )
    if isinstance(exc, UniquenessConflict):
        extra: dict[str, Any] = {"errors": [{"field": exc.field, "message": exc.message}]}
        if exc.existing_id is not None:
            extra["existing_id"] = str(exc.existing_id)
        return problem(
            HTTP_409_CONFLICT, "Already exists", exc.message, type_=_type("duplicate"), **extra
        )
    if isinstance(exc, RuleViolation):
        return problem(HTTP_409_CONFLICT, "Conflict", exc.message, type_=_type("conflict"))
    return unexpected(request, exc)


def validation_error(
    request: Request[Any, Any, Any], exc: ValidationException
) -> Response[dict[str, Any]]:
    errors = []
    for item in exc.extra if isinstance(exc.extra, list) else []:
        message = str(item.get("message", "invalid value"))
        key = item.get("key") if item.get("key") != "data" else None
        if message == _NO_BODY and key is None:
            message = "a JSON request body is required"
        field = (
            _named_field(_UNKNOWN_FIELD, message, key)
            or _named_field(_MISSING_FIELD, message, key)
            or _field_from_message(message)
            or key
            or "body"
        )
        errors.append({"field": field, "message": message, "source": item.get("source", "body")})
    if not errors:
        message = str(exc.detail)
        errors.append({"field": _field_from_message(message) or "body", "message": message})
    detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
    return problem(
        HTTP_422_UNPROCESSABLE_ENTITY,
        "Invalid input",
        detail,
        type_=_type("invalid-input"),
        errors=errors,
    )


def _named_field(pattern: re.Pattern[str], message: str, key: str | None) -> str | None:
    """A field the message names (unknown, missing), within the object at ``key`` if any."""
    match = pattern.search(message)
    if match is None:
        return None
    return f"{key}.{match.group(1)}" if key else match.group(1)


def _field_from_message(message: str) -> str | None:
    match = _AT_PATH.search(message)
    if match is None:
        return None
    return match.group(1) or "body"


def http_error(request: Request[Any, Any, Any], exc: HTTPException) -> Response[dict[str, Any]]:
    if isinstance(exc, ValidationException):
        return validation_error(request, exc)
    if isinstance(exc, NotAuthorizedException):
        return problem(
            HTTP_401_UNAUTHORIZED,
            "Not authenticated",
            str(exc.detail),
            type_=_type("not-authenticated"),
            headers={"WWW-Authenticate": 'Bearer realm="changeledger"'},
        )
    if exc.status_code >= HTTP_500_INTERNAL_SERVER_ERROR:
        return unexpected(request, exc)
    if exc.status_code == HTTP_400_BAD_REQUEST and isinstance(
        exc.__cause__, SerializationException
    ):
        # Litestar wraps the decoder's error; say plainly that the body is not JSON.
        return problem(
            HTTP_400_BAD_REQUEST,
            "Malformed JSON",
            f"the request body is not valid JSON: {exc.detail}",
            type_=_type("malformed-json"),
        )
    if exc.status_code == HTTP_413_REQUEST_ENTITY_TOO_LARGE:
        limit = request.app.request_max_body_size
        return problem(
            exc.status_code,
            "Request body too large",
            f"the request body is larger than the {limit} bytes accepted; nothing was recorded",
            type_=_type("too-large"),
        )
    return problem(
        exc.status_code,
        _title(exc.status_code),
        str(exc.detail),
        headers=dict(exc.headers or {}),
    )


def conflict(request: Request[Any, Any, Any], exc: IntegrityError) -> Response[dict[str, Any]]:
    return problem(
        HTTP_409_CONFLICT,
        "Conflict",
        "another request changed this record at the same moment; read it again and retry",
        type_=_type("conflict"),
    )


def unavailable(request: Request[Any, Any, Any], exc: Exception) -> Response[dict[str, Any]]:
    log.warning("database unavailable: %s", exc)
    written = written_so_far()
    if written is not None:
        # The change was recorded; reading it back failed.
        return problem(
            HTTP_503_SERVICE_UNAVAILABLE,
            "Service unavailable",
            f"your change was recorded (log position {written}), but reading it back failed;"
            " read it again shortly",
            type_=_type("unavailable"),
            headers={"Retry-After": "5", "Changeledger-Position": str(written)},
        )
    return problem(
        HTTP_503_SERVICE_UNAVAILABLE,
        "Service unavailable",
        "the database is not reachable; nothing was recorded, retry shortly",
        type_=_type("unavailable"),
        headers={"Retry-After": "5"},
    )


def sessions_unavailable(
    request: Request[Any, Any, Any], exc: RedisError
) -> Response[dict[str, Any]]:
    log.warning("session store unavailable: %s", exc)
    return problem(
        HTTP_503_SERVICE_UNAVAILABLE,
        "Service unavailable",
        "the session store is not reachable; sign-in is unavailable, API tokens still work;"
        " retry shortly",
        type_=_type("unavailable"),
        headers={"Retry-After": "5"},
    )


def views_behind(request: Request[Any, Any, Any], exc: ViewsBehind) -> Response[dict[str, Any]]:
    return problem(
        HTTP_503_SERVICE_UNAVAILABLE,
        "Views not yet current",
        f"{exc}; what was written is recorded",
        type_=_type("views-behind"),
        headers={"Retry-After": "1", "Changeledger-Position": str(exc.position)},
    )


def unexpected(request: Request[Any, Any, Any], exc: Exception) -> Response[dict[str, Any]]:
    log.exception("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
    return problem(
        HTTP_500_INTERNAL_SERVER_ERROR,
        "Internal server error",
        "something went wrong on our side; it has been logged",
    )


def _title(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


EXCEPTION_HANDLERS: dict[int | type[Exception], Any] = {
    DomainError: domain_error,
    HTTPException: http_error,
    IntegrityError: conflict,
    OperationalError: unavailable,
    ViewsBehind: views_behind,
    StoreInterfaceError: unavailable,
    # Browser sessions and failed-login counts live in Redis in production (ADR 11).
    RedisError: sessions_unavailable,
    Exception: unexpected,
}
