"""The audit view: the history of any record, version by version, with who changed what and
when, the record as it stood at any version, and the programme as the board saw it then.

Each kind of record has its own route, named like the API's history operation, so the access
guard applies the same rule from the same path parameter (a decision's history is read by
whoever reads its programme, a person's by anyone signed in). The events come from the same
reading functions as the API's, so a commitment's confidential parts stay withheld here too.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import msgspec
from litestar import Request, Response, get
from litestar.handlers import HTTPRouteHandler
from litestar.params import FromQuery

from domain.alert import Alert
from domain.base import LedgerAggregate
from domain.decision import Decision
from domain.errors import InvalidValue, NotFound
from domain.organisation import Organisation
from domain.person import Person
from domain.programme import Programme
from domain.review import Review
from domain.role import Role
from infra.bootstrap import Container
from projections.timefmt import iso
from services.api.commitments import commitment_history
from services.api.common import ContainerDep, Limit, Offset, parse_id
from services.api.shared_purpose import shared_purpose_history
from services.application import HistoryEntry
from services.web.frame import frame
from services.web.page_kit import AsOf, Column, Page, Table, as_of_from, respond, with_query
from services.web.readable import Names, short_time

Reader = Callable[[Request[Any, Any, Any], Container, str], list[HistoryEntry]]
_LONG = 140
#: Fields holding an organisation's or a person's id, shown by name.
_ORGANISATION_FIELDS = ("organisation_id", "provider_id", "commissioner_id", "successor_id")
_PERSON_FIELDS = ("_by", "person_id", "holder_id", "deputy_id")


def _events_of(cls: type[LedgerAggregate], kind: str) -> Reader:
    """The API's reading for most records: every event of the record, oldest first."""

    def read(_request: Request[Any, Any, Any], container: Container, record_id: str) -> Any:
        return container.app.history(cls, parse_id(record_id, kind))

    return read


@dataclass(frozen=True)
class Kind:
    #: In the URL (/web/history/<key>/<id>) and in words.
    key: str
    words: str
    read: Reader
    #: Where the record has a page of its own, shown as it was at a moment.
    page: str | None = None


KINDS = {
    kind.key: kind
    for kind in (
        Kind("programme", "programme", _events_of(Programme, "programme"), "/web/programmes/{}"),
        Kind("decision", "decision", _events_of(Decision, "decision"), "/web/decisions/{}"),
        Kind("role", "role", _events_of(Role, "role")),
        Kind("review", "review", _events_of(Review, "review")),
        Kind(
            "commitment",
            "commitment",
            lambda request, container, record_id: commitment_history(container, request, record_id),
        ),
        Kind("alert", "alert", _events_of(Alert, "alert")),
        Kind("organisation", "organisation", _events_of(Organisation, "organisation")),
        Kind("person", "person", _events_of(Person, "person")),
        Kind(
            "shared-purpose",
            "shared purpose",
            lambda _request, container, programme_id: shared_purpose_history(
                container, parse_id(programme_id, "programme")
            ),
        ),
    )
}


def event_words(event_type: str) -> str:
    """``ResponseRecorded`` -> ``Response recorded``."""
    words = re.sub(r"(?<!^)(?=[A-Z])", " ", event_type).lower()
    return words[:1].upper() + words[1:]


def shown(value: Any) -> str:
    plain = msgspec.to_builtins(value) if not isinstance(value, str) else value
    if isinstance(plain, (list, dict)):
        return json.dumps(plain, ensure_ascii=False)
    return "" if plain is None else str(plain)


def readable(key: str, value: Any, names: Names) -> str:
    """A field's value for a reader: people and organisations by name, not by id."""
    if value and key.endswith(_ORGANISATION_FIELDS):
        return names.organisation(value)
    if value and key.endswith(_PERSON_FIELDS):
        # "superseded_by" names a decision: only ids of people are shown by name.
        return names.known_person(value) or shown(value)
    return shown(value)


def _short(text: str) -> str:
    return text if len(text) <= _LONG else text[: _LONG - 1] + "…"


def changes(entry: HistoryEntry, names: Names) -> str:
    return "; ".join(
        f"{key}: {_short(readable(key, value, names))}" for key, value in entry.data.items()
    )


def programme_of(kind: Kind, record_id: str, entries: list[HistoryEntry]) -> str | None:
    if kind.key in ("programme", "shared-purpose"):
        return record_id
    for entry in entries:
        found = entry.data.get("programme_id")
        if found:
            return str(found)
    return None


def state_at(entries: list[HistoryEntry], version: int, names: Names) -> list[dict[str, Any]]:
    """Each field as the events up to ``version`` last recorded it, and at which version."""
    fields: dict[str, dict[str, Any]] = {}
    for entry in entries:
        if entry.version > version:
            break
        for key, value in entry.data.items():
            fields[key] = {
                "field": key,
                "value": readable(key, value, names),
                "version": entry.version,
            }
    return list(fields.values())


def versions_table(
    kind: Kind,
    record_id: str,
    entries: list[HistoryEntry],
    programme_id: str | None,
    here: Callable[..., str],
    names: Names,
    limit: int,
    offset: int,
) -> Table:
    def row(entry: HistoryEntry) -> dict[str, Any]:
        moment = iso(entry.recorded_at)
        dashboard = f"/web/programmes/{programme_id}" if programme_id else "/web/portfolio"
        return {
            "version": entry.version,
            "version_href": here(version=entry.version, offset=offset or None) + "#as-it-was",
            "recorded_at": short_time(entry.recorded_at),
            "event": event_words(entry.type),
            "by": names.person(entry.actor_id) if entry.actor_id else "the platform",
            "changes": changes(entry, names),
            "then": "the programme then" if programme_id else "the portfolio then",
            "then_href": with_query(dashboard, {"as_of": moment}),
        }

    return Table(
        name="versions",
        caption=f"Every recorded change to this {kind.words}, oldest first",
        columns=(
            Column("version", "Version", numeric=True, link="version_href"),
            Column("recorded_at", "Recorded (UTC)"),
            Column("event", "Event"),
            Column("by", "By"),
            Column("changes", "What changed"),
            Column("then", "See it as the board could", link="then_href"),
        ),
        rows=[row(entry) for entry in entries[offset : offset + limit]],
        empty="Nothing recorded.",
        total=len(entries),
        limit=limit,
        offset=offset,
    )


def _title(kind: Kind, record_id: str, entries: list[HistoryEntry], names: Names) -> str:
    if kind.key == "person":
        return names.person(record_id)
    if kind.key == "organisation":
        return names.organisation(record_id)
    latest = {key: value for entry in entries for key, value in entry.data.items()}
    for key in ("title", "name", "text"):
        if isinstance(latest.get(key), str) and latest[key]:
            return _short(str(latest[key]))
    return record_id


def history(
    request: Request[Any, Any, Any],
    container: Container,
    kind: Kind,
    record_id: str,
    when: AsOf,
    version: int | None,
    limit: int,
    offset: int,
) -> Response[Any]:
    entries = kind.read(request, container, record_id)
    if when.moment.as_of is not None:
        entries = [e for e in entries if e.recorded_at <= when.moment.as_of]
        if not entries:
            # As the API answers for a record not yet recorded at that moment.
            raise NotFound(kind.words, record_id)
    if version is not None and not 1 <= version <= entries[-1].version:
        raise InvalidValue("version", f"must be a version from 1 to {entries[-1].version}")
    context = frame(request, container, when)
    names = Names(container)
    programme_id = programme_of(kind, record_id, entries)
    tables = [
        versions_table(
            kind, record_id, entries, programme_id, context["here"], names, limit, offset
        )
    ]
    chosen = next((e for e in entries if e.version == version), None)
    if chosen is not None:
        tables.append(
            Table(
                name="as_it_was",
                caption=f"The {kind.words} as it was at version {chosen.version}",
                columns=(
                    Column("field", "Field"),
                    Column("value", "Value"),
                    Column("version", "Last set at version", numeric=True),
                ),
                rows=state_at(entries, chosen.version, names),
            )
        )
    title = _title(kind, record_id, entries, names)
    page = Page(
        "history.html",
        f"History of the {kind.words}: {title}",
        when,
        tables=tables,
        context={
            "kind": kind,
            "record_id": record_id,
            "programme_id": programme_id,
            "chosen": chosen,
            "chosen_at": iso(chosen.recorded_at) if chosen else None,
            "record_page": kind.page.format(record_id) if kind.page else None,
            "versions": len(entries),
            "last_recorded": short_time(entries[-1].recorded_at),
        },
    )
    return respond(request, page, f"history-{kind.key}-{record_id}", context)


Version = FromQuery[int | None]

#: Each kind's route: its path parameter (the API's name for it) and operation id.
ROUTES = (
    ("programme", "programme_id", "programmeHistoryPage"),
    ("decision", "decision_id", "decisionHistoryPage"),
    ("role", "role_id", "roleHistoryPage"),
    ("review", "review_id", "reviewHistoryPage"),
    ("commitment", "commitment_id", "commitmentHistoryPage"),
    ("alert", "alert_id", "alertHistoryPage"),
    ("organisation", "organisation_id", "organisationHistoryPage"),
    ("person", "person_id", "personHistoryPage"),
    ("shared-purpose", "programme_id", "sharedPurposeHistoryPage"),
)


def _route(key: str, parameter: str, operation_id: str) -> HTTPRouteHandler:
    kind = KINDS[key]

    def page(
        request: Request[Any, Any, Any],
        container: ContainerDep,
        as_of: FromQuery[str] = "",
        version: Version = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> Response[Any]:
        record_id = str(request.path_params[parameter])
        when = as_of_from(as_of)
        return history(request, container, kind, record_id, when, version, limit, offset)

    page.__doc__ = f"The history of a {kind.words}, version by version."
    return get(
        f"/history/{key}/{{{parameter}:str}}",
        operation_id=operation_id,
        name=operation_id,
        sync_to_thread=True,
    )(page)


def history_routes() -> list[HTTPRouteHandler]:
    return [_route(*route) for route in ROUTES]
