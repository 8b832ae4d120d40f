"""Helpers for domain unit tests: aggregates in memory, events read from their pending list."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from eventsourcing.domain import Aggregate

from domain.organisation import Organisation


def recorded(aggregate: Aggregate) -> list[str]:
    """Names of the events the aggregate has recorded since last asked, oldest first."""
    return [type(event).__name__ for event in aggregate.collect_events()]


def collected(aggregate: Aggregate) -> list[Any]:
    """The events recorded since last asked, oldest first, taken from the aggregate."""
    return list(aggregate.collect_events())


def pending(aggregate: Aggregate) -> list[Any]:
    """The events recorded and not yet collected, left in place."""
    return list(aggregate.pending_events)


def settled(aggregate: Aggregate) -> Aggregate:
    """Forget the events recorded so far, as if they had been saved."""
    aggregate.collect_events()
    return aggregate


def ago(**delta: float) -> datetime:
    return datetime.now(UTC) - timedelta(**delta)


def ahead(**delta: float) -> datetime:
    return datetime.now(UTC) + timedelta(**delta)


def organisation(kind: str = "provider", name: str = "Leeds Teaching Hospitals") -> Organisation:
    org = Organisation.register(name=name, kind=kind)
    settled(org)
    return org


def merged(kind: str = "provider") -> Organisation:
    org = organisation(kind, "Old Trust")
    org.merge_into(organisation(kind, "New Trust"))
    settled(org)
    return org


def dissolved(kind: str = "provider") -> Organisation:
    org = organisation(kind, "Gone Trust")
    org.dissolve()
    settled(org)
    return org
