"""Helpers for decision unit tests: a programme with participants, and decisions in each state."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from domain.decision import Decision
from domain.organisation import Organisation
from domain.programme import Programme
from tests.unit.support import ago, organisation, settled


class Board:
    """A programme led by a commissioner, with a provider and a partner taking part."""

    def __init__(self) -> None:
        self.icb = organisation("commissioner", "West Yorkshire ICB")
        self.trust = organisation("provider", "Leeds Teaching Hospitals")
        self.charity = organisation("partner", "Carers Leeds")
        self.outsider = organisation("provider", "York Hospital")
        self.programme = Programme.create("Urgent Care Redesign", "", self.icb)
        self.programme.add_participant(self.trust, "provider")
        self.programme.add_participant(self.charity, "partner")
        self.workstream = self.programme.add_workstream("Mental Health")
        settled(self.programme)

    def propose(
        self,
        title: str = "Open a single point of access",
        organisation: Organisation | None = None,
        occurred_at: datetime | None = None,
        **extra: Any,
    ) -> Decision:
        decision = Decision.propose(
            programme=self.programme,
            organisation=organisation or self.trust,
            title=title,
            rationale="Patients call four numbers today",
            occurred_at=occurred_at or ago(days=10),
            **extra,
        )
        settled(decision)
        return decision

    def decided(self, title: str = "Open a single point of access", **when: float) -> Decision:
        decision = self.propose(title, occurred_at=ago(days=10))
        decision.take("Programme board", ago(**(when or {"days": 5})))
        settled(decision)
        return decision

    def revoked(self) -> Decision:
        decision = self.decided()
        decision.revoke("No longer affordable")
        settled(decision)
        return decision

    def withdrawn(self) -> Decision:
        decision = self.propose()
        decision.revoke("Overtaken by events")
        settled(decision)
        return decision

    def superseded(self) -> Decision:
        decision = self.decided(days=6)
        decision.supersede_with(self.decided("A better plan", days=2))
        settled(decision)
        return decision
