"""The programme dashboard's reads and tables: the Change Model, the shared purpose, recent
decisions and role holders, each read through the function its API operation uses, now or
as of a past time.

The decision and role lists of the API are read now; as of a past time, each listed record
recorded by then is read as it was (the API's ``?as_of=`` read of that record).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from uuid import UUID

from domain.errors import NotFound
from domain.role import Role as RoleAggregate
from infra.bootstrap import Container
from projections.alignment_report import AlignmentDashboard
from services.api import decisions as decisions_api
from services.api import roles as roles_api
from services.api import shared_purpose as purpose_api
from services.api.common import parse_datetime
from services.api.shared_purpose_schemas import SharedPurpose, StatementVersion
from services.web.charts.wheel import Segment
from services.web.page_kit import Column, Table
from services.web.readable import Names

RECENT_DECISIONS = 10
#: The API's largest page, used to walk a whole list when reading it as of a past time.
_WALK = 200
_ROLE_CHANGES = {"Assigned", "HandedOver", "PassedToSuccessor"}
POSITIONS = {"endorsed": "Endorsed", "disputed": "Disputed", "none": "No position"}


def names_for_tables(container: Container) -> Names:
    """Names for the dashboard's tables: an id the directory does not know shows as the id."""
    return Names(container, unknown_person=None, unknown_organisation=None)


def day(value: str | None) -> str:
    """The date part of a UTC ISO 8601 time, for tables meant to be read."""
    return value[:10] if value else ""


def yes_no(value: bool) -> str:
    return "Yes" if value else "No"


# The Change Model


def segments(report: AlignmentDashboard) -> list[Segment]:
    return [
        Segment(
            key=c.key,
            label=c.label,
            rating=c.latest_rating,
            stale=c.stale,
            evidenced=c.evidenced,
            last_reviewed_on=c.last_reviewed_on,
        )
        for c in report.components
    ]


COMPONENT_COLUMNS = (
    Column("label", "Component"),
    Column("key", "Framework key"),
    Column("side", "Side"),
    Column("rating", "Latest rating", numeric=True),
    Column("trend", "Trend"),
    Column("last_reviewed_on", "Last reviewed"),
    Column("stale", "Stale"),
    Column("evidenced", "Evidenced"),
    Column("open_actions", "Open actions", numeric=True),
)


def components_table(report: AlignmentDashboard) -> Table:
    rows = [
        {
            "key": c.key,
            "label": c.label,
            "side": c.side,
            "rating": c.latest_rating if c.latest_rating is not None else "not reviewed",
            "trend": c.trend or "",
            "last_reviewed_on": c.last_reviewed_on or "never",
            "stale": yes_no(c.stale),
            "evidenced": yes_no(c.evidenced) if c.reviewed else "",
            "open_actions": c.open_actions,
        }
        for c in report.components
    ]
    return Table("components", "The Change Model, component by component", COMPONENT_COLUMNS, rows)


# The shared purpose


def read_purpose(
    container: Container, programme_id: UUID, at: datetime | None
) -> tuple[SharedPurpose | None, list[StatementVersion]]:
    """The statement and its versions, or (None, []) while it has none (then or now)."""
    try:
        purpose = purpose_api.read_shared_purpose(container, programme_id, at)
    except NotFound:
        return None, []
    return purpose, purpose_api.statement_versions(container, programme_id, at)


def positions_table(purpose: SharedPurpose | None, names: Names) -> Table:
    rows = [
        {
            "organisation": names.organisation(p.organisation_id),
            "role": p.role or "",
            "position": POSITIONS.get(p.position, p.position),
            "reason": p.reason or "",
            "since": day(p.occurred_at),
        }
        for p in (purpose.positions if purpose else [])
    ]
    columns = (
        Column("organisation", "Organisation"),
        Column("role", "Role"),
        Column("position", "Position"),
        Column("reason", "Reason"),
        Column("since", "Since"),
    )
    version = f" on version {purpose.current_version.number}" if purpose else ""
    return Table(
        "positions",
        f"Each organisation's position{version}",
        columns,
        rows,
        empty="No shared purpose drafted yet.",
    )


def versions_table(versions: list[StatementVersion]) -> Table:
    rows = [
        {
            "number": v.number,
            "text": v.text,
            "recorded_at": day(v.recorded_at),
            "superseded_at": day(v.superseded_at) or ("current" if v.current else ""),
            "adopted": yes_no(v.adopted),
        }
        for v in reversed(versions)
    ]
    columns = (
        Column("number", "Version", numeric=True),
        Column("text", "Text"),
        Column("recorded_at", "Recorded"),
        Column("superseded_at", "Superseded"),
        Column("adopted", "Adopted"),
    )
    return Table(
        "versions", "Versions of the shared purpose, newest first", columns, rows, "No versions."
    )


# Decisions


def recent_decisions(
    container: Container, programme_id: str, at: datetime | None
) -> tuple[list[Any], int]:
    """The latest decisions by proposal, newest first, and how many there are (then)."""
    if at is None:
        total = decisions_api.list_programme_decisions(container, programme_id, limit=1).total
        start = max(total - RECENT_DECISIONS, 0)
        page = decisions_api.list_programme_decisions(
            container, programme_id, limit=RECENT_DECISIONS, offset=start
        )
        return list(reversed(page.items)), total
    recorded = [
        item
        for item in _walk(
            lambda offset: decisions_api.list_programme_decisions(
                container, programme_id, limit=_WALK, offset=offset
            )
        )
        if _recorded_by(item.created_at, at)
    ]
    then = [
        decisions_api.render(container.app.read_decision(item.id, at=at))
        for item in recorded[-RECENT_DECISIONS:]
    ]
    return list(reversed(then)), len(recorded)


def decisions_table(decisions: list[Any], total: int, href: Callable[..., str]) -> Table:
    rows = [
        {
            "title": d.title,
            "href": href(f"/web/decisions/{d.id}"),
            "status": d.status.replace("_", " "),
            "proposed_at": day(d.proposed_at),
            "decided_at": day(d.decided_at),
        }
        for d in decisions
    ]
    columns = (
        Column("title", "Decision", link="href"),
        Column("status", "Status"),
        Column("proposed_at", "Proposed"),
        Column("decided_at", "Decided"),
    )
    shown = f"the latest {len(rows)} of {total}" if total > len(rows) else "all"
    return Table("decisions", f"Recent decisions ({shown})", columns, rows, "No decisions yet.")


# Roles


def role_holders(
    container: Container, programme_id: str, at: datetime | None, limit: int, offset: int
) -> tuple[list[Any], int]:
    """The programme's roles (a page of them), as they are or were."""
    if at is None:
        page = roles_api.list_programme_roles(container, programme_id, limit=limit, offset=offset)
        return list(page.items), page.total
    recorded = [
        item
        for item in _walk(
            lambda start: roles_api.list_programme_roles(
                container, programme_id, limit=_WALK, offset=start
            )
        )
        if _recorded_by(item.created_at, at)
    ]
    then = [
        roles_api.render(container, item.id, at=at).content
        for item in recorded[offset : offset + limit]
    ]
    return then, len(recorded)


def holder_since(container: Container, role_id: UUID, at: datetime | None) -> str:
    """When the role's current holder took it: its latest assignment or handover then."""
    changes = [
        entry
        for entry in container.app.history(RoleAggregate, role_id)
        if (at is None or entry.recorded_at <= at) and entry.type in _ROLE_CHANGES | {"Vacated"}
    ]
    if not changes or changes[-1].type == "Vacated":
        return ""
    latest = changes[-1]
    occurred = latest.data.get("occurred_at")
    when = occurred if isinstance(occurred, datetime) else latest.recorded_at
    return when.date().isoformat()


def roles_table(
    container: Container,
    roles: list[Any],
    total: int,
    names: Names,
    at: datetime | None,
    limit: int,
    offset: int,
) -> Table:
    rows = [
        {
            "title": r.title,
            "holder": names.person(r.holder_id) or "vacant",
            "deputy": names.person(r.deputy_id) or "none",
            "critical": yes_no(r.critical),
            "since": holder_since(container, r.id, at) if r.holder_id else "",
        }
        for r in roles
    ]
    columns = (
        Column("title", "Role"),
        Column("holder", "Holder"),
        Column("deputy", "Deputy"),
        Column("critical", "Critical"),
        Column("since", "Holder since"),
    )
    return Table(
        "roles",
        "Role holders and deputies",
        columns,
        rows,
        "No roles defined yet.",
        total=total,
        limit=limit,
        offset=offset,
    )


def _walk(read: Callable[[int], Any]) -> list[Any]:
    items: list[Any] = []
    while True:
        page = read(len(items))
        items.extend(page.items)
        if not page.items or len(items) >= page.total:
            return items


def _recorded_by(created_at: str, at: datetime) -> bool:
    created = parse_datetime("created_at", created_at)
    return created is not None and created <= at
