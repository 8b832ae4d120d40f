"""The Changeledger application: one method per use case, over the event-sourced aggregates.

Each area's use cases live in ``services/use_cases/``; this class combines them into the one
``eventsourcing`` Application that every entry point (API, CLI, worker) uses.
"""

from __future__ import annotations

from services.use_cases.base import ConcurrentWrite, HistoryEntry, LedgerBase
from services.use_cases.directory import DirectoryUseCases
from services.use_cases.tokens import TokenUseCases

__all__ = ["Changeledger", "ConcurrentWrite", "HistoryEntry", "LedgerBase"]


class Changeledger(DirectoryUseCases, TokenUseCases):
    name = "changeledger"
