"""The forms that update a commitment: each runs the same use case as its API operation
(services/api/commitments.py), with the version the page showed, so a change someone made
meanwhile is refused with the API's 409 rather than silently overwritten."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime, time
from typing import Any
from uuid import UUID

from litestar import Request, Response, post
from litestar.handlers import HTTPRouteHandler
from litestar.params import FromPath, URLEncodedBody

from domain.errors import InvalidValue
from infra.bootstrap import Container
from services.api.commitments import KIND, parse_date
from services.api.common import ContainerDep, actor, parse_id
from services.application import Changeledger
from services.web.commitment_page import commitment_page
from services.web.forms import required, submit
from services.web.page_kit import as_of_from

FormBody = URLEncodedBody[dict[str, str]]


def ticked(values: Mapping[str, str], key: str = "confidential") -> bool:
    return key in values and values[key] not in ("", "false", "off")


def whole_percent(values: Mapping[str, str]) -> int:
    raw = str(values.get("percent", "")).strip()
    if not raw:
        raise InvalidValue("percent", "enter how complete it is, from 0 to 100")
    try:
        return int(raw)
    except ValueError:
        raise InvalidValue("percent", "must be a whole number from 0 to 100") from None


def shown_version(values: Mapping[str, str]) -> int | None:
    """The version the page showed (a hidden field): the form's If-Match."""
    raw = str(values.get("version", "")).strip()
    return int(raw) if raw.isdigit() else None


def day_delivered(values: Mapping[str, str]) -> datetime | None:
    """An optional date of delivery: its start, UTC (today's start is never in the future)."""
    raw = str(values.get("occurred_at", "")).strip()
    if not raw:
        return None
    return datetime.combine(parse_date("occurred_at", raw), time.min, tzinfo=UTC)


def new_due_date(values: Mapping[str, str]) -> date:
    return parse_date("new_due_date", required(values, "new_due_date", "the new due date"))


Change = Callable[[Container, UUID, UUID, Mapping[str, str], int | None], object]


def reasoned(use_case: Callable[[Changeledger], Callable[..., object]]) -> Change:
    """A form whose only text is a reason (flag at risk, record a miss, withdraw)."""
    return lambda c, by, key, v, version: use_case(c.app)(
        by=by,
        commitment_id=key,
        reason=v.get("reason", ""),
        confidential=ticked(v),
        expected_version=version,
    )


#: Each form's use case, called as the API calls it.
CHANGES: dict[str, Change] = {
    "accept": lambda c, by, key, v, version: c.app.accept_commitment(
        by=by, commitment_id=key, expected_version=version
    ),
    "progress": lambda c, by, key, v, version: c.app.record_commitment_progress(
        by=by,
        commitment_id=key,
        percent=whole_percent(v),
        note=v.get("note", ""),
        confidential=ticked(v),
        expected_version=version,
    ),
    "at_risk": reasoned(lambda app: app.flag_commitment_at_risk),
    "deliver": lambda c, by, key, v, version: c.app.deliver_commitment(
        by=by,
        commitment_id=key,
        evidence=v.get("evidence", ""),
        occurred_at=day_delivered(v),
        confidential=ticked(v),
        expected_version=version,
    ),
    "renegotiate": lambda c, by, key, v, version: c.app.renegotiate_commitment(
        by=by,
        commitment_id=key,
        new_due_date=new_due_date(v),
        reason=v.get("reason", ""),
        confidential=ticked(v),
        expected_version=version,
    ),
    "missed": reasoned(lambda app: app.record_commitment_missed),
    "withdraw": reasoned(lambda app: app.withdraw_commitment),
}


def act(
    request: Request[Any, Any, Any],
    container: Container,
    commitment_id: str,
    name: str,
    values: Mapping[str, str],
) -> Response[Any]:
    key = parse_id(commitment_id, KIND)
    change = CHANGES[name]
    return submit(
        container,
        name,
        values,
        lambda: change(container, actor(request), key, values, shown_version(values)),
        back_to=f"/web/commitments/{key}",
        done=name,
        rerender=lambda form: commitment_page(
            request, container, commitment_id, as_of_from(None), form
        ),
    )


#: (form, path, operation id): each form posts to its own address, with the operation id of
#: the API operation it mirrors plus "Page", and the same access rule.
FORMS = (
    ("accept", "accept", "acceptCommitmentPage"),
    ("progress", "progress", "recordCommitmentProgressPage"),
    ("at_risk", "at-risk", "flagCommitmentAtRiskPage"),
    ("deliver", "deliver", "deliverCommitmentPage"),
    ("renegotiate", "renegotiate", "renegotiateCommitmentPage"),
    ("missed", "missed", "recordCommitmentMissedPage"),
    ("withdraw", "withdraw", "withdrawCommitmentPage"),
)


def form_handler(name: str, path: str, operation_id: str) -> HTTPRouteHandler:
    """``POST /web/commitments/{id}/<path>``: runs the form's use case."""

    @post(
        f"/commitments/{{commitment_id:str}}/{path}",
        operation_id=operation_id,
        sync_to_thread=True,
        name=operation_id,
    )
    def handler(
        request: Request[Any, Any, Any],
        container: ContainerDep,
        commitment_id: FromPath[str],
        data: FormBody,
    ) -> Response[Any]:
        return act(request, container, commitment_id, name, data)

    return handler


def commitment_forms() -> list[HTTPRouteHandler]:
    return [form_handler(*form) for form in FORMS]
