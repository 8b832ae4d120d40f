"""Forms on the pages: the same use cases and the same validation as the API, with the
errors shown beside the fields, what was typed kept, and nothing half-written.

A form handler calls ``submit``: on success it waits for the views to include the change and
redirects (303) back to the page with ``?done=<what>``, so a reload never posts twice; on a
refusal it re-renders the page with the form's ``FormState`` and the API's status code (422
invalid, 403 not allowed, 409 conflict).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from litestar import Response
from litestar.response import Redirect
from litestar.status_codes import HTTP_303_SEE_OTHER

from domain.errors import DomainError, Forbidden, InvalidValue, NotFound, UniquenessConflict
from infra.bootstrap import Container
from services.api.common import fresh
from services.web.page_kit import with_query


@dataclass
class FormState:
    """A refused form: which one, what was typed, and what is wrong with it."""

    name: str
    values: Mapping[str, Any]
    #: Field name -> message, shown beside that field.
    errors: dict[str, str] = field(default_factory=dict)
    #: What went wrong as a whole, shown at the top of the form.
    summary: str = ""
    status: int = 422
    #: Field name -> what the error summary calls it (default: the name, humanised).
    labels: dict[str, str] = field(default_factory=dict)

    def value(self, key: str, default: Any = "") -> Any:
        return self.values.get(key, default)

    def label(self, key: str) -> str:
        """How the error summary names a field: "reason" -> "Reason"."""
        return self.labels.get(key) or key.replace("_", " ").replace(".", " ").capitalize()


def refused(name: str, values: Mapping[str, Any], exc: DomainError) -> FormState:
    """The FormState for a refusal, with the API's status code for the same error."""
    if isinstance(exc, InvalidValue):
        return FormState(name, values, {exc.field: exc.reason}, _sentence(exc.message), 422)
    if isinstance(exc, UniquenessConflict):
        return FormState(name, values, {exc.field: exc.message}, _sentence(exc.message), 409)
    if isinstance(exc, Forbidden):
        return FormState(name, values, {}, _sentence(exc.message), 403)
    if isinstance(exc, NotFound):
        return FormState(name, values, {}, _sentence(exc.message), 404)
    return FormState(name, values, {}, _sentence(exc.message), 409)


def submit(
    container: Container,
    name: str,
    values: Mapping[str, Any],
    action: Callable[[], object],
    back_to: str,
    done: str,
    rerender: Callable[[FormState], Response[Any]],
) -> Response[Any]:
    """Run ``action`` (one use case); redirect to ``back_to`` with ``done``, or re-render."""
    try:
        action()
    except DomainError as exc:
        return rerender(refused(name, values, exc))
    # The next page must show the change: wait until the views include it.
    fresh(container)
    return Redirect(with_query(back_to, {"done": done}), status_code=HTTP_303_SEE_OTHER)


def required(values: Mapping[str, Any], key: str, label: str) -> str:
    """A form field that must not be blank, trimmed."""
    value = str(values.get(key, "")).strip()
    if not value:
        raise InvalidValue(key, f"enter {label}")
    return value


def _sentence(message: str) -> str:
    message = message.strip()
    return message[:1].upper() + message[1:] + ("" if message.endswith(".") else ".")
