"""Errors on a page are pages too: the same status codes as the API, in HTML a person can
read, and a signed-out browser is sent to sign in and brought back."""

from __future__ import annotations

import logging
from typing import Any

from eventsourcing.persistence import IntegrityError, OperationalError
from eventsourcing.persistence import InterfaceError as StoreInterfaceError
from litestar import Request, Response
from litestar.exceptions import (
    HTTPException,
    NotAuthorizedException,
    ValidationException,
)
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_303_SEE_OTHER
from redis.exceptions import RedisError

from domain.errors import (
    DomainError,
    Forbidden,
    InvalidValue,
    NotAuthenticated,
    NotFound,
)
from services.use_cases.positions import ViewsBehind
from services.web.page_kit import with_query

log = logging.getLogger("changeledger.web")

_TITLES = {
    400: "Bad request",
    403: "Not allowed",
    404: "Not found",
    409: "Conflict",
    413: "Too large",
    422: "Invalid input",
    429: "Too many attempts",
    503: "Not available just now",
}


def error_page(
    status: int, detail: str, errors: list[dict[str, str]] | None = None
) -> Response[Any]:
    from services.web.pages import PAGE_HEADERS

    return Template(
        "error.html",
        context={
            "status": status,
            "title": _TITLES.get(status, "Something went wrong"),
            "detail": detail,
            "errors": errors or [],
        },
        status_code=status,
        headers=PAGE_HEADERS,
    )


def to_sign_in(request: Request[Any, Any, Any], _: Exception) -> Response[Any]:
    target = with_query(request.url.path, dict(request.query_params))
    return Redirect(with_query("/login", {"next": target}), status_code=HTTP_303_SEE_OTHER)


def domain_error_page(request: Request[Any, Any, Any], exc: DomainError) -> Response[Any]:
    if isinstance(exc, NotAuthenticated):
        return to_sign_in(request, exc)
    if isinstance(exc, NotFound):
        return error_page(404, exc.message.capitalize() + ".")
    if isinstance(exc, Forbidden):
        return error_page(403, exc.message.capitalize() + ".")
    if isinstance(exc, InvalidValue):
        return error_page(422, exc.message, [{"field": exc.field, "message": exc.reason}])
    # Stale versions, duplicates and rule violations: the API's 409s.
    return error_page(409, exc.message.capitalize() + ".")


def validation_error_page(
    request: Request[Any, Any, Any], exc: ValidationException
) -> Response[Any]:
    errors = [
        {"field": str(item.get("key") or ""), "message": str(item.get("message", ""))}
        for item in (exc.extra if isinstance(exc.extra, list) else [])
    ]
    return error_page(422, "Some of the values in the address are not valid.", errors)


def http_error_page(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    if exc.status_code >= 500:
        log.error("page %s failed: %s", request.url.path, exc.detail)
        return error_page(exc.status_code, "The page could not be made. Please try again.")
    return error_page(exc.status_code, exc.detail)


def unavailable_page(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    log.warning("page %s: store unavailable: %s", request.url.path, exc)
    response = error_page(503, "The ledger is not reachable just now; try again in a moment.")
    response.headers["Retry-After"] = "5"
    return response


def conflict_page(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    return error_page(
        409, "Someone else changed this record at the same moment; reload it and try again."
    )


def unexpected_page(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    log.exception("page %s failed", request.url.path, exc_info=exc)
    return error_page(500, "The page could not be made. The error has been logged.")


PAGE_EXCEPTION_HANDLERS: dict[Any, Any] = {
    IntegrityError: conflict_page,
    OperationalError: unavailable_page,
    StoreInterfaceError: unavailable_page,
    ViewsBehind: unavailable_page,
    RedisError: unavailable_page,
    NotAuthorizedException: to_sign_in,
    DomainError: domain_error_page,
    ValidationException: validation_error_page,
    HTTPException: http_error_page,
    Exception: unexpected_page,
}
