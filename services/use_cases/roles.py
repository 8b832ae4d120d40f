"""Use cases: programme roles: definition, holders and deputies, handovers, flags for handover."""

from __future__ import annotations

from services.use_cases.base import LedgerBase


class RoleUseCases(LedgerBase):
    pass
