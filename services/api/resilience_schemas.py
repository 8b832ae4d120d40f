"""Response bodies of the resilience report (definitions: docs/reports/resilience.md).

They mirror the dataclasses of projections.resilience_report / _areas / _offboarding field
for field, so a report becomes a body with ``msgspec.convert(..., from_attributes=True)``.
Times are UTC ISO 8601; shares are fractions from 0 to 1.
"""

from __future__ import annotations

import msgspec


class Contributor(msgspec.Struct):
    person_id: str
    name: str
    contributions: int
    #: This person's share of the area's contributions (0 to 1).
    share: float
    #: Counts as covering the area for the bus factor.
    covers: bool


class KnowledgeArea(msgspec.Struct):
    #: "component" (of the programme's framework) or "workstream".
    kind: str
    #: The component key, or the workstream id.
    key: str
    name: str
    contribution_count: int
    contributors: list[Contributor]
    coverer_ids: list[str]


class RemovedPerson(msgspec.Struct):
    person_id: str
    name: str
    areas_covered: int


class BusFactor(msgspec.Struct):
    value: int
    #: Areas with at least one contribution: what the bus factor is computed over.
    knowledge_area_count: int
    #: The people removed, busiest first, until more than half the areas had nobody left.
    removed: list[RemovedPerson]


class CriticalRoleWithoutDeputy(msgspec.Struct):
    role_id: str
    kind: str
    title: str
    organisation_id: str | None
    holder_id: str | None
    holder_name: str | None
    vacant: bool


class CriticalRoleHeld(msgspec.Struct):
    role_id: str
    programme_id: str
    programme_title: str
    title: str
    #: "holder" or "deputy".
    position: str


class PersonWithCriticalRoles(msgspec.Struct):
    person_id: str
    name: str
    #: Critical roles held or deputised, across all programmes.
    critical_role_count: int
    roles: list[CriticalRoleHeld]


class KnowledgeIsland(msgspec.Struct):
    kind: str
    key: str
    name: str
    contribution_count: int
    person_id: str
    person_name: str
    contributions: int
    share: float


class OrganisationWithoutLead(msgspec.Struct):
    organisation_id: str
    name: str
    participant_role: str
    kind: str


class HandoverWithoutKnowledge(msgspec.Struct):
    role_id: str
    role_title: str
    #: The role's version the handover made.
    version: int
    from_person_id: str
    from_name: str
    to_person_id: str
    to_name: str
    occurred_at: str
    recorded_at: str


class ProgrammeResilience(msgspec.Struct):
    programme_id: str
    title: str
    as_of: str | None
    today: str
    bus_factor: BusFactor
    critical_roles_without_deputy: list[CriticalRoleWithoutDeputy]
    #: People with a critical role here and at least two across all programmes.
    people_with_several_critical_roles: list[PersonWithCriticalRoles]
    knowledge_islands: list[KnowledgeIsland]
    organisations_without_named_lead: list[OrganisationWithoutLead]
    handovers_without_knowledge: list[HandoverWithoutKnowledge]
    knowledge_areas: list[KnowledgeArea]


class ProgrammeBusFactor(msgspec.Struct):
    programme_id: str
    title: str
    bus_factor: int
    knowledge_area_count: int


class PortfolioResilience(msgspec.Struct):
    as_of: str | None
    today: str
    #: Programmes by title, paginated.
    items: list[ProgrammeBusFactor]
    total: int
    limit: int
    offset: int
    #: Everyone holding or deputising in at least two critical roles, across programmes.
    people_with_several_critical_roles: list[PersonWithCriticalRoles]


class PersonRef(msgspec.Struct):
    person_id: str
    name: str


class RoleImpact(msgspec.Struct):
    role_id: str
    kind: str
    title: str
    critical: bool
    holder_id: str | None
    holder_name: str | None
    deputy_id: str | None
    deputy_name: str | None
    #: "orphaned", "deputised" or "loses_deputy".
    outcome: str


class AreaImpact(msgspec.Struct):
    kind: str
    key: str
    name: str
    contribution_count: int
    coverer_ids: list[str]
    #: Contributors who stay: who to ask.
    remaining_contributors: list[Contributor]


class CommitmentImpact(msgspec.Struct):
    commitment_id: str
    what: str
    status: str
    provider_id: str
    commissioner_id: str
    decision_id: str | None
    custodian_ids: list[str]
    #: "made_or_accepted", or "provider_named_lead" when no person is recorded on it.
    basis: str


class OffboardingImpact(msgspec.Struct):
    programme_id: str
    as_of: str | None
    today: str
    people: list[PersonRef]
    orphaned_roles: list[RoleImpact]
    deputised_roles: list[RoleImpact]
    roles_losing_deputy: list[RoleImpact]
    orphaned_knowledge_areas: list[AreaImpact]
    orphaned_commitments: list[CommitmentImpact]
