"""Occurred time: when a thing happened in the world, as the client says. It may not lie ahead."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from domain.errors import InvalidValue

# Clocks on client machines drift; a few minutes ahead is still "now".
CLOCK_SKEW = timedelta(minutes=5)


def utc_now() -> datetime:
    return datetime.now(UTC)


def check_occurred_at(field: str, value: datetime | None) -> datetime:
    """Default to now; require a timezone; refuse the future."""
    now = utc_now()
    if value is None:
        return now
    if value.tzinfo is None or value.utcoffset() is None:
        raise InvalidValue(field, "must include a timezone, e.g. 2026-11-23T10:00:00Z")
    value = value.astimezone(UTC)
    if value > now + CLOCK_SKEW:
        raise InvalidValue(field, "must not lie in the future")
    return value
