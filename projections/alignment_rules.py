"""The alignment dashboard's rules: trend, stale, weak, balance, tunnel vision, summary.

Pure functions over rows the report has read (projections/alignment_report.py). Every
definition and threshold is documented in docs/reports/alignment.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from itertools import combinations
from typing import Any

#: A latest rating at or below this (on the 1-5 scale) makes a component weak.
WEAK_RATING_MAX = 2
#: Decision statuses that count towards decisions per component (withdrawn/revoked do not).
COUNTED_STATUSES = ("proposed", "decided", "superseded")
#: Tunnel vision: at least this many decisions touch components, and at least this share of
#: them touch nothing outside the same two components.
TUNNEL_MIN_DECISIONS = 3
TUNNEL_SHARE = 0.6
#: A side is neglected when under this share of its components were reviewed within the
#: interval, and the other side's share is higher.
NEGLECT_BELOW = 0.5
SIDES = ("soft", "hard")


@dataclass(frozen=True)
class ComponentAlignment:
    key: str
    label: str
    side: str
    latest_rating: int | None
    previous_rating: int | None
    #: improving, declining, steady, first; None when never reviewed.
    trend: str | None
    last_reviewed_on: str | None
    evidenced: bool
    open_actions: int
    reviewed: bool
    stale: bool
    weak: bool
    decision_count: int


@dataclass(frozen=True)
class SideBalance:
    components: int
    reviewed: int
    #: Reviewed and not stale: reviewed within the programme's review interval.
    reviewed_within_interval: int
    mean_latest_rating: float | None
    decisions: int


@dataclass(frozen=True)
class Balance:
    soft: SideBalance
    hard: SideBalance
    neglected_side: str | None


@dataclass(frozen=True)
class TunnelVision:
    flag: bool
    #: Counted decisions that touch at least one of the framework's components.
    decisions: int
    #: The largest share of those decisions touching nothing outside one pair of components.
    share: float | None
    concentrated_on: list[str]
    without_decisions: list[str]


@dataclass(frozen=True)
class OrganisationPosition:
    organisation_id: str
    name: str
    reason: str | None = None


@dataclass(frozen=True)
class SharedPurposeAlignment:
    statement_id: str | None
    version: int | None
    text: str | None
    participants: int
    endorsing: int
    endorsement_share: float | None
    disputes: list[OrganisationPosition]
    not_responded: list[OrganisationPosition]


# The rules


def share(part: int, whole: int) -> float | None:
    return round(part / whole, 2) if whole else None


def is_stale(latest: dict[str, Any], today: date, interval_days: int) -> bool:
    return (today - date.fromisoformat(latest["held_on"])).days > interval_days


def _trend(latest: int, previous: int | None) -> str:
    if previous is None:
        return "first"
    if latest > previous:
        return "improving"
    return "declining" if latest < previous else "steady"


def component_alignment(
    key: str,
    label: str,
    side: str,
    ratings: list[dict[str, Any]],
    open_actions: int,
    decision_count: int,
    today: date,
    interval_days: int,
) -> ComponentAlignment:
    latest = ratings[-1] if ratings else None
    previous = int(ratings[-2]["rating"]) if len(ratings) > 1 else None
    rating = int(latest["rating"]) if latest else None
    evidenced = bool(latest["evidenced"]) if latest else False
    return ComponentAlignment(
        key=key,
        label=label,
        side=side,
        latest_rating=rating,
        previous_rating=previous,
        trend=_trend(rating, previous) if rating is not None else None,
        last_reviewed_on=latest["held_on"] if latest else None,
        evidenced=evidenced,
        open_actions=open_actions,
        reviewed=latest is not None,
        stale=latest is not None and is_stale(latest, today, interval_days),
        weak=rating is not None and (not evidenced or rating <= WEAK_RATING_MAX),
        decision_count=decision_count,
    )


def _side(
    side: str, components: list[ComponentAlignment], decisions: list[set[str]]
) -> SideBalance:
    members = [c for c in components if c.side == side]
    keys = {c.key for c in members}
    ratings = [c.latest_rating for c in members if c.latest_rating is not None]
    return SideBalance(
        components=len(members),
        reviewed=len(ratings),
        reviewed_within_interval=sum(1 for c in members if c.reviewed and not c.stale),
        mean_latest_rating=round(sum(ratings) / len(ratings), 2) if ratings else None,
        decisions=sum(1 for touched in decisions if touched & keys),
    )


def balance(components: list[ComponentAlignment], decisions: list[set[str]]) -> Balance:
    soft, hard = (_side(side, components, decisions) for side in SIDES)
    coverage = {
        side: figures.reviewed_within_interval / figures.components
        for side, figures in zip(SIDES, (soft, hard), strict=True)
        if figures.components
    }
    neglected = None
    if len(coverage) == 2:
        low, high = sorted(SIDES, key=lambda side: coverage[side])
        if coverage[low] < NEGLECT_BELOW and coverage[low] < coverage[high]:
            neglected = low
    return Balance(soft=soft, hard=hard, neglected_side=neglected)


def tunnel_vision(components: list[ComponentAlignment], decisions: list[set[str]]) -> TunnelVision:
    keys = [c.key for c in components]
    touching = [touched for touched in decisions if touched]
    # Every pair of components in framework order; the first pair covering most decisions wins.
    pairs = [set(pair) for pair in combinations(keys, 2)] or [set(keys)]
    best: set[str] = set()
    covered = 0
    for pair in pairs:
        count = sum(1 for touched in touching if touched <= pair)
        if count > covered:
            best, covered = pair, count
    flag = len(touching) >= TUNNEL_MIN_DECISIONS and covered / len(touching) >= TUNNEL_SHARE
    return TunnelVision(
        flag=flag,
        decisions=len(touching),
        share=share(covered, len(touching)),
        concentrated_on=[c.key for c in components if flag and c.key in best and c.decision_count],
        without_decisions=[c.key for c in components if c.decision_count == 0],
    )


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


def summarise(
    components: list[ComponentAlignment],
    balance: Balance,
    tunnel: TunnelVision,
    purpose: SharedPurposeAlignment,
    interval_days: int,
) -> str:
    """One line a board chair can read (see docs/reports/alignment.md for its parts)."""
    total = len(components)
    counts = [
        (sum(1 for c in components if not c.reviewed), "never reviewed"),
        (sum(1 for c in components if c.stale), "stale"),
        (sum(1 for c in components if c.weak), "weak"),
    ]
    found = [f"{number} {word}" for number, word in counts if number]
    if found:
        found[0] = found[0].replace(" ", f" of {_count(total, 'component', 'components')} ", 1)
        reviews_part = ", ".join(found)
    else:
        reviews_part = f"all {total} components reviewed in the last {interval_days} days"
    if balance.neglected_side is not None:
        side = balance.hard if balance.neglected_side == "hard" else balance.soft
        reviews_part += (
            f", {balance.neglected_side} side neglected ({side.reviewed_within_interval}"
            f" of {side.components} reviewed in the last {interval_days} days)"
        )
    parts = [reviews_part]
    if purpose.statement_id is None:
        parts.append("no shared-purpose statement yet")
    else:
        line = (
            f"{purpose.endorsing} of {purpose.participants} organisations"
            " endorse the shared purpose"
        )
        aside = []
        if purpose.disputes:
            aside.append(_count(len(purpose.disputes), "disputes", "dispute"))
        if purpose.not_responded:
            aside.append(
                _count(len(purpose.not_responded), "has not responded", "have not responded")
            )
        parts.append(f"{line} ({', '.join(aside)})" if aside else line)
    if tunnel.flag:
        labels = [c.label for c in components if c.key in tunnel.concentrated_on]
        parts.append("decisions concentrate on " + " and ".join(labels))
    return "; ".join(parts)
