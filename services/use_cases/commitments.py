"""Use cases: commitments providers make to commissioners, and their lifecycle."""

from __future__ import annotations

from services.use_cases.base import LedgerBase


class CommitmentUseCases(LedgerBase):
    pass
