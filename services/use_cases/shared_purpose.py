"""Use cases: shared-purpose statements: drafts, revisions, endorsements, disputes, adoption."""

from __future__ import annotations

from services.use_cases.base import LedgerBase


class SharedPurposeUseCases(LedgerBase):
    pass
