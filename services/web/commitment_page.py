"""One commitment: its details, its history (progress, risks, renegotiations, outcome), and
the forms its two sides update it with (services/web/commitment_forms.py).

Read through ``services.api.commitments.read_commitment``, as ``getCommitment`` answers, so
confidential notes are withheld from anyone who is neither side exactly as the API does.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from litestar import Controller, Request, Response, get
from litestar.params import FromPath, FromQuery

from infra.bootstrap import Container
from services.api import commitments_schemas as cs
from services.api.commitments import KIND, read_commitment
from services.api.common import ContainerDep, Limit, Offset, actor, fresh, parse_id
from services.web.commitment_tracker_page import STATUS_WORDS, days
from services.web.forms import FormState
from services.web.frame import frame
from services.web.page_kit import AsOf, Column, Page, Table, as_of_from, respond
from services.web.readable import Names

HISTORY_COLUMNS = (
    Column("recorded_at", "Recorded (UTC)"),
    Column("event", "What happened"),
    Column("party", "Side"),
    Column("by", "By"),
    Column("note", "Note, reason or evidence"),
    Column("confidential", "Confidential"),
)
EVENT_WORDS = {
    "proposed": "Made (proposed)",
    "accepted": "Accepted",
    "at_risk": "Flagged at risk",
    "renegotiated": "Due date renegotiated",
    "delivered": "Delivered",
    "missed": "Missed",
    "withdrawn": "Withdrawn",
}
#: What each form did, shown once after it succeeds.
DONE = {
    "accept": "The commitment is accepted.",
    "progress": "Progress recorded.",
    "at_risk": "The commitment is flagged at risk.",
    "deliver": "Delivery recorded.",
    "renegotiate": "The new due date is recorded.",
    "missed": "The commitment is recorded as missed.",
    "withdraw": "The commitment is withdrawn.",
}
#: The forms each side may use on an open commitment.
PROVIDER_FORMS = ("progress", "at_risk", "deliver", "withdraw")
COMMISSIONER_FORMS = ("accept", "at_risk", "renegotiate", "missed")


def withheld(text: str | None, confidential: bool) -> str:
    if text is None and confidential:
        return "Withheld: for the provider and the commissioner only"
    return text or ""


def history_rows(body: cs.Commitment, name_of: Any) -> list[dict[str, Any]]:
    """Every change the commitment has had, oldest first, one row per event."""
    moved = {d.version: d for d in body.due_dates if d.previous_due_date is not None}
    rows = []
    for status in body.statuses:
        event = EVENT_WORDS.get(status.status, status.status)
        if status.version in moved:
            change = moved[status.version]
            event = f"Due date moved from {change.previous_due_date} to {change.due_date}"
        elif status.status == "proposed":
            event = f"Made (proposed), due {body.original_due_date}"
        rows.append(_row(status, event, status.party, status.note, name_of))
    for progress in body.progress:
        rows.append(
            _row(
                progress,
                f"Progress: {progress.percent}% complete",
                "provider",
                progress.note,
                name_of,
            )
        )
    for carried in body.carried_over:
        rows.append(
            _row(
                carried,
                f"The {carried.role} side passed to"
                f" {name_of.organisation(carried.to_organisation_id)}",
                carried.role,
                None,
                name_of,
            )
        )
    return sorted(rows, key=lambda row: row["version"])


def _row(
    entry: Any, event: str, party: str | None, note: str | None, name_of: Any
) -> dict[str, Any]:
    confidential = bool(getattr(entry, "confidential", False))
    return {
        "version": entry.version,
        "recorded_at": entry.recorded_at.replace("T", " ")[:19],
        "event": event,
        "party": (party or "platform").capitalize(),
        "by": name_of.person(entry.actor_id),
        "note": withheld(note, confidential),
        "confidential": "Yes" if confidential else "No",
    }


def status_words(body: cs.Commitment) -> str:
    if body.overdue and body.days_overdue is not None:
        return f"Overdue by {days(body.days_overdue)}"
    words = {**STATUS_WORDS, "proposed": "Proposed", "accepted": "Accepted"}
    return words.get(body.status, body.status)


def forms_for(
    request: Request[Any, Any, Any], container: Container, body: cs.Commitment
) -> tuple[str, ...]:
    """The forms the viewer's side may use now: none on a closed one, none for a reader who
    is neither side (the use cases would refuse them)."""
    if not body.open:
        return ()
    mine = container.app.current_organisation_of(actor(request))
    offered: list[str] = []
    if mine == body.provider_id:
        offered += PROVIDER_FORMS
    if mine == body.commissioner_id:
        offered += [name for name in COMMISSIONER_FORMS if name not in offered]
    if body.status == "proposed":
        return tuple(name for name in offered if name in ("accept", "progress", "withdraw"))
    return tuple(name for name in offered if name != "accept")


def commitment_page(
    request: Request[Any, Any, Any],
    container: Container,
    commitment_id: FromPath[str],
    when: AsOf,
    form: FormState | None = None,
    *,
    limit: int = 50,
    offset: int = 0,
) -> Response[Any]:
    """The page, fresh or re-rendered with a refused form (and the form's status code)."""
    key = parse_id(commitment_id, KIND)
    reader = container.app.commitment_reader(actor(request))
    body = read_commitment(fresh(container), reader, key, at=when.moment.as_of)
    # Unknown names show as blank; an event with no person was the platform's own.
    names = Names(container, unknown_person="", unknown_organisation="", nobody="the platform")
    context = frame(request, container, when, f"/web/commitments/{key}" if form else None)
    everything = history_rows(body, names)
    history = Table(
        name="history",
        caption="History, oldest first",
        columns=HISTORY_COLUMNS,
        rows=everything[offset : offset + limit],
        total=len(everything),
        limit=limit,
        offset=offset,
    )
    page = Page(
        "commitment.html",
        body.what,
        when,
        tables=[history],
        context={
            "commitment": body,
            "provider_name": names.organisation(body.provider_id),
            "commissioner_name": names.organisation(body.commissioner_id),
            "status_words": status_words(body),
            "status_note": withheld(body.status_note, body.status_note_confidential),
            "made_on": datetime.fromisoformat(body.made_at).date().isoformat(),
            # Nobody acts in the past: an as-of view shows no forms.
            "forms": () if when.raw else forms_for(request, container, body),
            "form": form,
            "done_messages": DONE,
        },
        status=form.status if form else 200,
    )
    return respond(request, page, f"commitment-{key}", context)


class CommitmentPage(Controller):
    path = "/commitments"

    @get("/{commitment_id:str}", operation_id="commitmentPage", sync_to_thread=True)
    def commitment(
        self,
        request: Request[Any, Any, Any],
        container: ContainerDep,
        commitment_id: FromPath[str],
        as_of: FromQuery[str] = "",
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> Response[Any]:
        """One commitment, its history and the forms to update it."""
        return commitment_page(
            request, container, commitment_id, as_of_from(as_of), limit=limit, offset=offset
        )
