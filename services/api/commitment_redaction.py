"""Withholding a commitment's confidential text from readers who are neither side.

Progress notes, delivery evidence and the reasons for a risk, a miss, a renegotiation or a
withdrawal may be marked confidential: for the provider and the commissioner only. Anyone
else who may read the commitment sees that it exists, its parties, dates, status and the
rest of its record, and each confidential entry with its text absent (null in the record,
left out of the history's event data): nothing stands in for the text, so nothing hints at
it. Every read of a commitment (one, a page of them, as of a past moment, its history and
the response to a write) goes through ``withhold_confidential``; who sees confidential
text is decided by the caller (``CommitmentReader.sees_confidential``).

The commitment tracker shows no notes at all, so it has nothing to withhold.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any, TypeVar, overload

from msgspec.structs import replace

from services.api import commitments_schemas as cs
from services.use_cases.base import HistoryEntry

#: The event fields that carry a commitment's free text that may be confidential.
TEXT_FIELDS = ("note", "reason", "evidence")

C = TypeVar("C", bound=cs.CommitmentSummary)


@overload
def withhold_confidential(record: C, *, sees_confidential: bool) -> C: ...


@overload
def withhold_confidential(
    record: Sequence[HistoryEntry], *, sees_confidential: bool
) -> list[HistoryEntry]: ...


def withhold_confidential(record: Any, *, sees_confidential: bool) -> Any:
    """The commitment, or its history, as this reader may see it."""
    if isinstance(record, cs.CommitmentSummary):
        return record if sees_confidential else _withheld_record(record)
    entries = list(record)
    if sees_confidential:
        return entries
    return [_withheld_event(entry) for entry in entries]


def _withheld_record(record: C) -> C:
    changes: dict[str, Any] = {}
    if record.status_note_confidential:
        changes["status_note"] = None
    if isinstance(record, cs.Commitment):
        changes["due_dates"] = [
            replace(d, reason=None) if d.confidential else d for d in record.due_dates
        ]
        changes["progress"] = [
            replace(p, note=None) if p.confidential else p for p in record.progress
        ]
        changes["statuses"] = [
            replace(s, note=None) if s.confidential else s for s in record.statuses
        ]
    return replace(record, **changes)


def _withheld_event(entry: HistoryEntry) -> HistoryEntry:
    if not entry.data.get("confidential"):
        return entry
    data = {key: value for key, value in entry.data.items() if key not in TEXT_FIELDS}
    return dataclasses.replace(entry, data=data)


def programme_in(entries: Sequence[HistoryEntry]) -> object:
    """The programme a commitment was made in (None for none), from its history."""
    made = next((entry for entry in entries if entry.type == "Made"), None)
    return made.data.get("programme_id") if made is not None else None


def parties_in(entries: Sequence[HistoryEntry]) -> tuple[object, object]:
    """The provider and commissioner a commitment's history leaves it with (merges move them)."""
    provider: object = None
    commissioner: object = None
    for entry in entries:
        if entry.type == "Made":
            provider, commissioner = entry.data["provider_id"], entry.data["commissioner_id"]
        elif entry.type == "CarriedOver":
            if entry.data["role"] == "provider":
                provider = entry.data["to_organisation_id"]
            else:
                commissioner = entry.data["to_organisation_id"]
    return provider, commissioner
