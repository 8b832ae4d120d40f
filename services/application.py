"""The Changeledger application: one method per use case, over the event-sourced aggregates.

Each area's use cases live in ``services/use_cases/``; this class combines them into the one
``eventsourcing`` Application that every entry point (API, CLI, worker) uses.
"""

from __future__ import annotations

from services.use_cases.access import AccessUseCases
from services.use_cases.alerts import AlertUseCases
from services.use_cases.base import ConcurrentWrite, HistoryEntry, LedgerBase
from services.use_cases.commitments import CommitmentUseCases
from services.use_cases.confidential_notes import ConfidentialNoteUseCases
from services.use_cases.credentials import CredentialUseCases
from services.use_cases.decisions import DecisionUseCases
from services.use_cases.directory import DirectoryUseCases
from services.use_cases.personal_data import PersonalDataUseCases
from services.use_cases.reviews import ReviewUseCases
from services.use_cases.roles import RoleUseCases
from services.use_cases.shared_purpose import SharedPurposeUseCases
from services.use_cases.tokens import TokenUseCases

__all__ = ["Changeledger", "ConcurrentWrite", "HistoryEntry", "LedgerBase"]


class Changeledger(
    AccessUseCases,
    DirectoryUseCases,
    PersonalDataUseCases,
    TokenUseCases,
    CredentialUseCases,
    SharedPurposeUseCases,
    DecisionUseCases,
    RoleUseCases,
    ReviewUseCases,
    CommitmentUseCases,
    ConfidentialNoteUseCases,
    AlertUseCases,
):
    name = "changeledger"
