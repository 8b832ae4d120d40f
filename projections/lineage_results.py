"""What the decision lineage report answers: its result types and latency statistics.

projections.lineage_report computes them; services.api.lineage_schemas mirrors them as
response bodies. Definitions: docs/reports/lineage.md.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import median

#: The percentile reported beside the median.
PERCENTILE = 90


@dataclass(frozen=True)
class Amendment:
    occurred_at: str
    recorded_at: str
    reason: str | None
    amended_by: str | None
    title: str | None


@dataclass(frozen=True)
class ChainDecision:
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


@dataclass(frozen=True)
class Chain:
    first_id: str
    in_force_id: str | None
    length: int
    amendment_count: int
    decisions: list[ChainDecision]


@dataclass(frozen=True)
class LatencySummary:
    decisions_taken: int
    median_days: float | None
    p90_days: float | None


@dataclass
class Counts:
    """Proposals made, decisions objected to, decisions taken."""

    proposals: int = 0
    objections: int = 0
    decisions: int = 0


@dataclass(frozen=True)
class KindCounts:
    kind: str
    proposals: int
    objections: int
    decisions: int


@dataclass(frozen=True)
class OrganisationCounts:
    organisation_id: str | None
    name: str | None
    kind: str
    proposals: int
    objections: int
    decisions: int


@dataclass(frozen=True)
class WorkstreamCoordination:
    workstream_id: str | None
    name: str | None
    decisions: int
    participants: int
    participant_organisations: int
    latency: LatencySummary
    crowded: bool
    by_kind: list[KindCounts]


@dataclass(frozen=True)
class ProgrammeLineage:
    programme_id: str
    workstream_id: str | None
    chains: list[Chain]
    latency: LatencySummary
    #: The programme's medians the crowded rule compares against.
    participants_median: float | None
    latency_median_days: float | None
    workstreams: list[WorkstreamCoordination]
    by_kind: list[KindCounts]
    by_organisation: list[OrganisationCounts]


@dataclass(frozen=True)
class TimelineEntry:
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


@dataclass(frozen=True)
class DecisionLineage:
    programme_id: str
    decision: ChainDecision
    #: What it replaced, transitively, nearest first.
    supersedes: list[ChainDecision]
    #: What replaced it, then what replaced that, and so on.
    superseded_by: list[ChainDecision]
    in_force_id: str | None
    amendments: list[Amendment]
    timeline: list[TimelineEntry]


def percentile(values: Sequence[float], rank: int) -> float | None:
    """Nearest-rank percentile: the smallest value with at least ``rank``% at or below it."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(math.ceil(rank / 100 * len(ordered)), 1) - 1]


def summarise(latencies: Sequence[float]) -> LatencySummary:
    if not latencies:
        return LatencySummary(0, None, None)
    p90 = percentile(latencies, PERCENTILE)
    return LatencySummary(
        len(latencies), round(median(latencies), 2), None if p90 is None else round(p90, 2)
    )


def median_or_none(values: Sequence[float]) -> float | None:
    return median(values) if values else None
