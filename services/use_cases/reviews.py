"""Use cases: component reviews against a versioned change framework, and programme labels."""

from __future__ import annotations

from services.use_cases.base import LedgerBase


class ReviewUseCases(LedgerBase):
    pass
