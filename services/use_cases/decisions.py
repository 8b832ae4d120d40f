"""Use cases: decisions: proposal, consultation, decision, amendment, supersession, revocation."""

from __future__ import annotations

from services.use_cases.base import LedgerBase


class DecisionUseCases(LedgerBase):
    pass
