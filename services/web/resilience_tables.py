"""The resilience page's tables and heat map, built from the report the API answers with.

Nothing here decides what is a risk: coverage, islands, the bus factor and the what-if all
come from projections/resilience_*.py through services.api.resilience. This module only lays
the report out: people against knowledge areas, and one table per finding.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup

from projections.resilience import WORKSTREAM
from projections.resilience_areas import KnowledgeArea
from projections.resilience_offboarding import OffboardingImpact, RoleImpact
from projections.resilience_people import ProgrammePerson
from projections.resilience_report import ProgrammeResilience
from services.web.charts.heatmap import Cell, heat_map
from services.web.page_kit import Column, Table

#: The heat map draws at most this many people (the busiest); the table holds everyone.
HEATMAP_ROWS = 40

_OUTCOMES = {
    "orphaned": "Orphaned: nobody left to hold it",
    "deputised": "Deputy steps in",
    "loses_deputy": "Loses its deputy",
}
_POSITIONS = {"holder": "holds", "deputy": "deputises"}


@dataclass(frozen=True)
class Load:
    """One person's share of the programme's knowledge: a row of the heat map."""

    person_id: str
    name: str
    #: Areas they cover (resilience_bus_factor.coverers) and contributions overall.
    covering: int
    contributions: int


def loads(areas: Sequence[KnowledgeArea]) -> list[Load]:
    """Everyone who contributed to an area, busiest first: most areas covered, then most
    contributions, then by name."""
    names: dict[str, str] = {}
    covering: dict[str, int] = {}
    made: dict[str, int] = {}
    for area in areas:
        for c in area.contributors:
            names[c.person_id] = c.name
            covering[c.person_id] = covering.get(c.person_id, 0) + int(c.covers)
            made[c.person_id] = made.get(c.person_id, 0) + c.contributions
    people = [Load(p, names[p], covering[p], made[p]) for p in names]
    return sorted(people, key=lambda p: (-p.covering, -p.contributions, p.name, p.person_id))


def _area_key(area: KnowledgeArea) -> str:
    return f"area:{area.kind}:{area.key}"


def _percent(share: float) -> str:
    return f"{round(share * 100)}%"


def _cell(person: Load, area: KnowledgeArea) -> Cell:
    found = next((c for c in area.contributors if c.person_id == person.person_id), None)
    if found is None:
        return Cell(0.0, "", note=f"{person.name} · {area.name}: no contributions")
    sole = area.sole_coverer is not None and area.sole_coverer.person_id == person.person_id
    note = (
        f"{person.name} · {area.name}: {found.contributions} of {area.contribution_count}"
        f" contributions ({_percent(found.share)})"
        + ("; the only person covering it" if sole else "; covers it" if found.covers else "")
    )
    return Cell(found.share, str(found.contributions), marked=sole, note=note)


def knowledge_heat_map(areas: Sequence[KnowledgeArea], people: Sequence[Load]) -> Markup:
    shown = people[:HEATMAP_ROWS]
    dividers = [
        index
        for index in range(1, len(areas))
        if areas[index].kind != areas[index - 1].kind and areas[index].kind == WORKSTREAM
    ]
    return heat_map(
        [p.name for p in shown],
        [a.name for a in areas],
        [[_cell(p, a) for a in areas] for p in shown],
        title="Who holds the programme's knowledge",
        description=(
            "People (rows, busiest first) against knowledge areas (columns: the framework's"
            " components, then workstreams). Each cell gives the person's contributions to the"
            " area, shaded by their share of its contributions; a hatched cell with a diamond"
            " marks the only person covering that area. The knowledge table gives the same"
            " figures."
        ),
        chart_id="knowledge-heatmap",
        scale_label="Share of the area's contributions",
        marked_label="the only person covering the area (a single point of knowledge)",
        dividers=dividers,
    )


def knowledge_table(
    areas: Sequence[KnowledgeArea], people: Sequence[Load], limit: int, offset: int
) -> Table:
    columns = [Column("name", "Person"), Column("covering", "Areas covered", numeric=True)]
    columns += [Column(_area_key(a), a.name, numeric=True) for a in areas]
    rows = []
    for person in people[offset : offset + limit]:
        row: dict[str, object] = {"name": person.name, "covering": person.covering}
        for area in areas:
            cell = _cell(person, area)
            row[_area_key(area)] = cell.shown + (" (only coverer)" if cell.marked else "")
        rows.append(row)
    return Table(
        name="knowledge",
        caption="Contributions per person and knowledge area",
        columns=columns,
        rows=rows,
        empty="Nobody has contributed to this programme's knowledge areas yet.",
        total=len(people),
        limit=limit,
        offset=offset,
    )


def _roles_text(person: ProgrammePerson | None) -> str:
    if person is None or not person.roles:
        return "none"
    return "; ".join(f"{_POSITIONS[r.position]} {r.title}" for r in person.roles)


def single_points_table(
    areas: Sequence[KnowledgeArea], people: dict[str, ProgrammePerson]
) -> Table:
    rows = []
    for area in areas:
        sole = area.sole_coverer
        if sole is None:
            continue
        person = people.get(sole.person_id)
        rows.append(
            {
                "area": area.name,
                "kind": area.kind,
                "person": sole.name,
                "organisation": person.organisation_name if person else "",
                "roles": _roles_text(person),
                "contributions": f"{sole.contributions} of {area.contribution_count}",
            }
        )
    return Table(
        name="single_points",
        caption="Single points of knowledge: areas only one person covers",
        columns=(
            Column("area", "Knowledge area"),
            Column("kind", "Kind"),
            Column("person", "The one person"),
            Column("organisation", "Their organisation"),
            Column("roles", "Their roles here"),
            Column("contributions", "Their contributions", numeric=True),
        ),
        rows=rows,
        empty="No knowledge area rests on one person.",
    )


def finding_tables(report: ProgrammeResilience) -> list[Table]:
    """One table per finding of the report, in the order of its key figures."""
    bus = report.bus_factor
    return [
        Table(
            "bus_factor",
            f"Who the bus factor counts: losing them leaves over half of the"
            f" {bus.knowledge_area_count} areas with knowledge uncovered",
            (
                Column("order", "Order", numeric=True),
                Column("name", "Person"),
                Column("areas", "Areas covered", numeric=True),
            ),
            [
                {"order": i, "name": p.name, "areas": p.areas_covered}
                for i, p in enumerate(bus.removed, start=1)
            ],
            empty="No area has any contributions yet, so there is no knowledge to lose.",
        ),
        Table(
            "critical_roles",
            "Critical roles without a deputy",
            (Column("title", "Role"), Column("holder", "Holder")),
            [
                {"title": r.title, "holder": "vacant" if r.vacant else r.holder_name or ""}
                for r in report.critical_roles_without_deputy
            ],
            empty="Every critical role has a deputy.",
        ),
        Table(
            "several_roles",
            "People holding or deputising in several critical roles",
            (
                Column("name", "Person"),
                Column("count", "Critical roles (all programmes)", numeric=True),
                Column("roles", "Those you can see"),
            ),
            [
                {
                    "name": p.name,
                    "count": p.critical_role_count,
                    "roles": "; ".join(
                        f"{_POSITIONS[r.position]} {r.title} ({r.programme_title})" for r in p.roles
                    ),
                }
                for p in report.people_with_several_critical_roles
            ],
            empty="Nobody here holds several critical roles.",
        ),
        Table(
            "islands",
            "Knowledge islands: one person made nearly all of an area's contributions",
            (
                Column("area", "Knowledge area"),
                Column("person", "Person"),
                Column("contributions", "Contributions", numeric=True),
                Column("share", "Share", numeric=True),
            ),
            [
                {
                    "area": i.name,
                    "person": i.person_name,
                    "contributions": f"{i.contributions} of {i.contribution_count}",
                    "share": _percent(i.share),
                }
                for i in report.knowledge_islands
            ],
            empty="No knowledge islands.",
        ),
        Table(
            "no_lead",
            "Organisations with no named lead",
            (Column("name", "Organisation"), Column("role", "Takes part as")),
            [
                {"name": o.name, "role": o.participant_role.replace("_", " ")}
                for o in report.organisations_without_named_lead
            ],
            empty="Every organisation has a named lead.",
        ),
        Table(
            "empty_handovers",
            "Handovers that passed on no knowledge items",
            (
                Column("role", "Role"),
                Column("from", "From"),
                Column("to", "To"),
                Column("occurred", "On"),
            ),
            [
                {
                    "role": h.role_title,
                    "from": h.from_name,
                    "to": h.to_name,
                    "occurred": h.occurred_at[:10],
                }
                for h in report.handovers_without_knowledge
            ],
            empty="Every handover passed on knowledge items.",
        ),
    ]


def _role_row(role: RoleImpact) -> dict[str, object]:
    return {
        "title": role.title,
        "outcome": _OUTCOMES.get(role.outcome, role.outcome),
        "critical": "critical" if role.critical else "",
        "holder": role.holder_name or "vacant",
        "deputy": role.deputy_name or "none",
    }


def whatif_tables(impact: OffboardingImpact) -> list[Table]:
    """What the off-boarding what-if found, one table per kind of thing orphaned."""
    roles = impact.orphaned_roles + impact.deputised_roles + impact.roles_losing_deputy
    return [
        Table(
            "whatif_roles",
            "Roles they hold or deputise in",
            (
                Column("title", "Role"),
                Column("outcome", "If they left"),
                Column("critical", "Critical"),
                Column("holder", "Holder"),
                Column("deputy", "Deputy"),
            ),
            [_role_row(role) for role in roles],
            empty="They hold and deputise in no role here.",
        ),
        Table(
            "whatif_areas",
            "Knowledge areas nobody left would cover",
            (
                Column("area", "Knowledge area"),
                Column("contributions", "Contributions", numeric=True),
                Column("ask", "Who else contributed (who to ask)"),
            ),
            [
                {
                    "area": a.name,
                    "contributions": a.contribution_count,
                    "ask": ", ".join(c.name for c in a.remaining_contributors) or "nobody",
                }
                for a in impact.orphaned_knowledge_areas
            ],
            empty="Every knowledge area would still be covered.",
        ),
        Table(
            "whatif_commitments",
            "Open commitments nobody left would be looking after",
            (
                Column("what", "Commitment"),
                Column("status", "Status"),
                Column("basis", "Whose care"),
            ),
            [
                {
                    "what": c.what,
                    "status": c.status.replace("_", " "),
                    "basis": "made or accepted it"
                    if c.basis == "made_or_accepted"
                    else "the provider's named lead",
                }
                for c in impact.orphaned_commitments
            ],
            empty="Every open commitment would still have someone looking after it.",
        ),
    ]
