"""Off-boarding what-if: if these people left a programme, what would be orphaned?

- Roles: a role held by someone in the set is *orphaned* when it has no deputy outside the
  set, *deputised* when its deputy (outside the set) can step in; a role whose deputy is in
  the set (and holder is not) *loses its deputy*.
- Knowledge areas: orphaned when everyone who covers it (resilience_bus_factor.coverers) is
  in the set. Contributors left outside the set are listed: they are who to ask.
- Commitments: an open commitment of the programme is in the care of the people recorded as
  making it (the provider's member) and accepting it (the commissioner's member); it is
  orphaned when all of them are in the set. When neither act names a person (the platform
  acted), its care falls to the holder and deputy of the provider's named-lead role in the
  programme instead; with no such people either, nobody is recorded as caring for it and the
  what-if cannot orphan it (the report's "organisations without a named lead" shows that).
"""

from __future__ import annotations

from dataclasses import dataclass

from domain.commitment import OPEN_STATUSES
from projections.resilience import COMMITMENTS, ROLES
from projections.resilience_areas import Contributor, knowledge_areas, person_names
from projections.store import Row, ViewStore
from projections.temporal import Moment, in_clause
from projections.timefmt import iso

ORPHANED = "orphaned"
DEPUTISED = "deputised"
LOSES_DEPUTY = "loses_deputy"
#: How a commitment's people were found.
MADE_OR_ACCEPTED = "made_or_accepted"
PROVIDER_NAMED_LEAD = "provider_named_lead"


@dataclass(frozen=True)
class PersonRef:
    person_id: str
    name: str


@dataclass(frozen=True)
class RoleImpact:
    role_id: str
    kind: str
    title: str
    critical: bool
    holder_id: str | None
    holder_name: str | None
    deputy_id: str | None
    deputy_name: str | None
    #: orphaned, deputised or loses_deputy.
    outcome: str


@dataclass(frozen=True)
class AreaImpact:
    kind: str
    key: str
    name: str
    contribution_count: int
    coverer_ids: list[str]
    remaining_contributors: list[Contributor]


@dataclass(frozen=True)
class CommitmentImpact:
    commitment_id: str
    what: str
    status: str
    provider_id: str
    commissioner_id: str
    decision_id: str | None
    custodian_ids: list[str]
    #: made_or_accepted, or provider_named_lead when no person was recorded on it.
    basis: str


@dataclass(frozen=True)
class OffboardingImpact:
    programme_id: str
    as_of: str | None
    today: str
    people: list[PersonRef]
    orphaned_roles: list[RoleImpact]
    deputised_roles: list[RoleImpact]
    roles_losing_deputy: list[RoleImpact]
    orphaned_knowledge_areas: list[AreaImpact]
    orphaned_commitments: list[CommitmentImpact]


def _role_outcome(row: Row, leaving: set[str]) -> str | None:
    holder, deputy = row["holder_id"], row["deputy_id"]
    if holder in leaving:
        return DEPUTISED if deputy is not None and deputy not in leaving else ORPHANED
    if deputy in leaving:
        return LOSES_DEPUTY
    return None


def _role_impacts(
    views: ViewStore, moment: Moment, programme_id: str, leaving: set[str]
) -> list[RoleImpact]:
    rows = views.fetch_all(
        f"SELECT * FROM {moment.table(ROLES.name)} WHERE programme_id = %(p)s ORDER BY title, id",
        {"p": programme_id, **moment.params},
    )
    affected = [(row, outcome) for row in rows if (outcome := _role_outcome(row, leaving))]
    people = [row[c] for row, _ in affected for c in ("holder_id", "deputy_id") if row[c]]
    names = person_names(views, moment, people)
    return [
        RoleImpact(
            role_id=row["id"],
            kind=row["kind"],
            title=row["title"],
            critical=bool(row["critical"]),
            holder_id=row["holder_id"],
            holder_name=names.get(row["holder_id"]) if row["holder_id"] else None,
            deputy_id=row["deputy_id"],
            deputy_name=names.get(row["deputy_id"]) if row["deputy_id"] else None,
            outcome=outcome,
        )
        for row, outcome in affected
    ]


def _named_leads(views: ViewStore, moment: Moment, programme_id: str) -> dict[str, set[str]]:
    """Each organisation's named lead and deputy in the programme at the moment."""
    rows = views.fetch_all(
        f"""SELECT organisation_id, holder_id, deputy_id FROM {moment.table(ROLES.name)}
            WHERE programme_id = %(p)s AND kind = 'organisation_lead'""",
        {"p": programme_id, **moment.params},
    )
    return {
        row["organisation_id"]: {p for p in (row["holder_id"], row["deputy_id"]) if p}
        for row in rows
    }


def _commitment_impacts(
    views: ViewStore, moment: Moment, programme_id: str, leaving: set[str]
) -> list[CommitmentImpact]:
    statuses, params = in_clause("status", sorted(s.value for s in OPEN_STATUSES))
    rows = views.fetch_all(
        f"""SELECT * FROM {moment.table(COMMITMENTS.name)}
            WHERE programme_id = %(p)s AND status IN {statuses}
            ORDER BY valid_from, id""",
        {"p": programme_id, **params, **moment.params},
    )
    leads = _named_leads(views, moment, programme_id)
    impacts = []
    for row in rows:
        custodians = {p for p in (row["made_by"], row["accepted_by"]) if p}
        basis = MADE_OR_ACCEPTED
        if not custodians:
            custodians, basis = leads.get(row["provider_id"], set()), PROVIDER_NAMED_LEAD
        if custodians and custodians <= leaving:
            impacts.append(
                CommitmentImpact(
                    commitment_id=row["id"],
                    what=row["what"],
                    status=row["status"],
                    provider_id=row["provider_id"],
                    commissioner_id=row["commissioner_id"],
                    decision_id=row["decision_id"],
                    custodian_ids=sorted(custodians),
                    basis=basis,
                )
            )
    return impacts


def offboarding_impact(
    views: ViewStore, moment: Moment, programme_id: str, person_ids: list[str]
) -> OffboardingImpact:
    leaving = set(person_ids)
    roles = _role_impacts(views, moment, programme_id, leaving)
    areas, _ = knowledge_areas(views, moment, programme_id)
    orphaned_areas = [
        AreaImpact(
            kind=area.kind,
            key=area.key,
            name=area.name,
            contribution_count=area.contribution_count,
            coverer_ids=area.coverer_ids,
            remaining_contributors=[c for c in area.contributors if c.person_id not in leaving],
        )
        for area in areas
        if area.coverer_ids and set(area.coverer_ids) <= leaving
    ]
    names = person_names(views, moment, leaving)
    return OffboardingImpact(
        programme_id=programme_id,
        as_of=iso(moment.as_of),
        today=moment.today.isoformat(),
        people=sorted(
            (PersonRef(p, names.get(p, "")) for p in leaving), key=lambda p: (p.name, p.person_id)
        ),
        orphaned_roles=[r for r in roles if r.outcome == ORPHANED],
        deputised_roles=[r for r in roles if r.outcome == DEPUTISED],
        roles_losing_deputy=[r for r in roles if r.outcome == LOSES_DEPUTY],
        orphaned_knowledge_areas=orphaned_areas,
        orphaned_commitments=_commitment_impacts(views, moment, programme_id, leaving),
    )
