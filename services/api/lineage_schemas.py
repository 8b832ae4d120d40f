"""Response bodies of the decision lineage report (definitions: docs/reports/lineage.md).

They mirror the dataclasses of projections.lineage_report field for field, so a report is
turned into a body with ``msgspec.convert(..., from_attributes=True)``. Times are UTC ISO
8601; latencies are days by occurred time.
"""

from __future__ import annotations

import msgspec


class LineageAmendment(msgspec.Struct):
    occurred_at: str
    recorded_at: str
    reason: str | None
    amended_by: str | None
    #: The new title, when the amendment changed it.
    title: str | None


class LineageDecision(msgspec.Struct):
    id: str
    title: str
    status: str
    workstream_id: str | None
    proposing_organisation_id: str
    proposed_at: str
    decided_at: str | None
    latency_days: float | None
    supersedes: list[str]
    superseded_by: str | None
    superseded_at: str | None
    amendment_count: int
    amended_at: list[str]


class LineageChain(msgspec.Struct):
    first_id: str
    #: The last decision of the chain when it still stands; null if revoked or not taken.
    in_force_id: str | None
    length: int
    amendment_count: int
    decisions: list[LineageDecision]


class LineageChainPage(msgspec.Struct):
    items: list[LineageChain]
    total: int
    limit: int
    offset: int


class LineageLatency(msgspec.Struct):
    decisions_taken: int
    median_days: float | None
    p90_days: float | None


class LineageKindCounts(msgspec.Struct):
    kind: str
    proposals: int
    objections: int
    decisions: int


class LineageOrganisationCounts(msgspec.Struct):
    organisation_id: str | None
    name: str | None
    kind: str
    proposals: int
    objections: int
    decisions: int


class LineageWorkstream(msgspec.Struct):
    #: Null for the row of decisions made outside any workstream (never crowded).
    workstream_id: str | None
    name: str | None
    decisions: int
    participants: int
    participant_organisations: int
    latency: LineageLatency
    crowded: bool
    by_kind: list[LineageKindCounts]


class ProgrammeDecisionLineage(msgspec.Struct):
    programme_id: str
    workstream_id: str | None
    as_of: str | None
    today: str
    chains: LineageChainPage
    latency: LineageLatency
    participants_median: float | None
    latency_median_days: float | None
    workstreams: list[LineageWorkstream]
    by_kind: list[LineageKindCounts]
    by_organisation: list[LineageOrganisationCounts]


class LineageTimelineEntry(msgspec.Struct):
    version: int
    kind: str
    person_id: str | None
    person_name: str | None
    organisation_id: str | None
    organisation_name: str | None
    organisation_kind: str | None
    related_id: str | None
    stance: str | None
    reason: str | None
    occurred_at: str
    recorded_at: str
    recorded_after_days: float
    back_dated: bool


class DecisionChainLineage(msgspec.Struct):
    programme_id: str
    as_of: str | None
    today: str
    decision: LineageDecision
    supersedes: list[LineageDecision]
    superseded_by: list[LineageDecision]
    in_force_id: str | None
    amendments: list[LineageAmendment]
    timeline: list[LineageTimelineEntry]
