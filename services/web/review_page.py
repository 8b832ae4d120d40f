"""Recording a review against the Change Model from a page: one row per component (a rating
or none, evidence, one optional action), through the same use case as ``recordReview``.

The use case names a refused field by its place in the request (``ratings[2].rating``); the
form maps it back to the component's row, since only the rated rows are sent.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.params import URLEncodedBody

from domain.errors import InvalidValue
from domain.review import ActionEntry, RatingEntry
from infra.bootstrap import Container
from services.api.alignment import read_alignment
from services.api.common import ContainerDep, ProgrammeId, actor, moment, parse_id
from services.api.reviews import parse_date, parse_required_date
from services.web.forms import FormState, submit
from services.web.frame import frame
from services.web.page_kit import Page, as_of_from, respond

REVIEW_FORM = "review"
RATING_CHOICES = [("", "Not rated"), *((str(n), f"{n} of 5") for n in range(1, 6))]
_RATING_FIELD = re.compile(r"^ratings\[(\d+)\]\.(\w+)(?:\[(\d+)\]\.?(\w+)?)?")
#: A refused part of a rating -> the form field of its row that shows the error.
_ROW_FIELDS = {
    "component": "rating",
    "rating": "rating",
    "evidence": "evidence",
    "description": "action",
    "owner_id": "owner",
    "due_on": "due_on",
}


def review_form(
    request: Request[Any, Any, Any],
    container: Container,
    programme_id: str,
    form: FormState | None = None,
) -> Response[Any]:
    pid = parse_id(programme_id, "programme")
    when = as_of_from(None)
    report = read_alignment(container, pid, moment(None))
    context = frame(request, container, when, f"/web/programmes/{pid}/reviews/new")
    if form is not None:
        _name_rows(form, {c.key: c.label for c in report.components})
    page = Page(
        "review_form.html",
        f"Record a review of {report.title}",
        when,
        context={
            "programme_id": str(pid),
            "report": report,
            "form": form,
            "form_name": REVIEW_FORM,
            "rating_choices": RATING_CHOICES,
            "people": _people(container, pid),
            "today": datetime.now(UTC).date().isoformat(),
        },
        status=form.status if form else 200,
    )
    return respond(request, page, f"programme-{pid}-review", context)


def _name_rows(form: FormState, labels: dict[str, str]) -> None:
    """The summary names a refused row by its component's label, not the field's key."""
    for key in form.errors:
        component, _, part = key.partition(".")
        if component in labels:
            form.labels[key] = f"{labels[component]} ({part.replace('_', ' ')})"


def _people(container: Container, programme_id: UUID) -> list[tuple[str, str]]:
    """Who may review or own an action: the people of the participating organisations."""
    programme = container.directory.programme(str(programme_id)) or {}
    people: list[tuple[str, str]] = []
    for participant in programme.get("participants", []):
        page = container.directory.list_people(
            organisation_id=participant["organisation_id"], limit=500, offset=0
        )
        people += [(row["id"], row["name"]) for row in page.items if not row["erased"]]
    return sorted(people, key=lambda person: person[1])


def ratings_from(values: dict[str, Any], keys: list[str]) -> tuple[list[RatingEntry], list[str]]:
    """The rated rows as the use case takes them, and the component key of each, in order."""
    entries: list[RatingEntry] = []
    rated: list[str] = []
    for key in keys:
        rating = str(values.get(f"{key}.rating", "")).strip()
        evidence = [line.strip() for line in str(values.get(f"{key}.evidence", "")).splitlines()]
        action = str(values.get(f"{key}.action", "")).strip()
        owner = str(values.get(f"{key}.owner", "")).strip()
        due_on = str(values.get(f"{key}.due_on", "")).strip()
        if not rating:
            if any(evidence) or action:
                raise InvalidValue(f"{key}.rating", "rate this component, or clear its row")
            continue
        if not rating.isdigit():
            raise InvalidValue(f"{key}.rating", "choose a rating from 1 to 5")
        actions = []
        if action or due_on:
            if not owner:
                raise InvalidValue(f"{key}.owner", "choose who owns the action")
            if not due_on:
                raise InvalidValue(f"{key}.due_on", "give the action's due date")
            if not action:
                raise InvalidValue(f"{key}.action", "say what the action is")
            actions.append(
                ActionEntry(
                    description=action,
                    owner_id=_person(owner, f"{key}.owner"),
                    due_on=parse_required_date(f"{key}.due_on", due_on),
                )
            )
        entries.append(
            RatingEntry(
                component=key,
                rating=int(rating),
                evidence=[note for note in evidence if note],
                actions=actions,
            )
        )
        rated.append(key)
    return entries, rated


def row_field(field: str, rated: list[str]) -> str:
    """The form field for a field the use case refused (``ratings[i]...`` -> ``key.part``)."""
    match = _RATING_FIELD.match(field)
    if match is None:
        if field == "ratings":
            return "ratings"
        return "reviewer_ids" if field.startswith("reviewer_ids") else field
    index, part, _, action_part = match.groups()
    key = rated[int(index)] if int(index) < len(rated) else ""
    return f"{key}.{_ROW_FIELDS.get(action_part or part, part)}"


class ReviewPage(Controller):
    path = "/programmes"

    @get("/{programme_id:str}/reviews/new", operation_id="reviewFormPage", sync_to_thread=True)
    def new(
        self, request: Request[Any, Any, Any], container: ContainerDep, programme_id: ProgrammeId
    ) -> Response[Any]:
        """The form to record a review against the programme's change framework."""
        return review_form(request, container, programme_id)

    @post("/{programme_id:str}/reviews", operation_id="recordReviewPage", sync_to_thread=True)
    def record(
        self,
        request: Request[Any, Any, Any],
        container: ContainerDep,
        programme_id: ProgrammeId,
        data: URLEncodedBody[dict[str, Any]],
    ) -> Response[Any]:
        """Record the review: each rated row becomes one rating of the review."""
        pid = parse_id(programme_id, "programme")
        reviewers = data.get("reviewer_ids", [])
        reviewers = [reviewers] if isinstance(reviewers, str) else list(reviewers)
        values: dict[str, Any] = {k: v for k, v in data.items() if isinstance(v, str)}
        values["reviewer_ids"] = reviewers
        keys = [c.key for c in read_alignment(container, pid, moment(None)).components]

        def record() -> None:
            entries, rated = ratings_from(values, keys)
            try:
                container.app.record_review(
                    by=actor(request),
                    programme_id=pid,
                    reviewer_ids=[_person(value, "reviewer_ids") for value in reviewers],
                    ratings=entries,
                    held_on=parse_date("held_on", values.get("held_on") or None),
                )
            except InvalidValue as exc:
                raise InvalidValue(row_field(exc.field, rated), exc.reason) from exc

        return submit(
            container,
            REVIEW_FORM,
            values,
            record,
            back_to=f"/web/programmes/{pid}",
            done="review",
            rerender=lambda form: review_form(request, container, programme_id, form),
        )


def _person(value: str, field: str) -> UUID:
    try:
        return UUID(value)
    except ValueError:
        raise InvalidValue(field, "choose a person from the list") from None
