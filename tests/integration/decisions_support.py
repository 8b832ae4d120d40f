"""A programme board on a real store, for decision use-case tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import UUID

from domain.decision import Decision
from infra.bootstrap import Container
from tests.integration.support import commissioner, person, provider


def days_ago(days: float) -> datetime:
    return datetime.now(UTC) - timedelta(days=days)


@dataclass
class Board:
    container: Container
    icb: UUID
    trust: UUID
    outsider: UUID
    programme: UUID
    workstream: UUID
    #: A member of the ICB and a member of the trust.
    ada: UUID
    bob: UUID
    #: A member of an organisation that does not take part.
    eve: UUID

    def propose(self, title: str = "Single point of access", days: float = 10) -> Decision:
        return self.container.app.propose_decision(
            by=self.bob,
            programme_id=self.programme,
            organisation_id=self.trust,
            title=title,
            rationale="Patients call four numbers today",
            components=["delivery"],
            occurred_at=days_ago(days),
        )

    def decided(self, title: str = "Single point of access", days: float = 5) -> Decision:
        decision = self.propose(title, days=days + 5)
        return self.container.app.take_decision(
            by=self.ada,
            decision_id=decision.id,
            authority="Programme board",
            occurred_at=days_ago(days),
        )


def board(container: Container) -> Board:
    app = container.app
    icb = commissioner(container)
    trust = provider(container)
    outsider = provider(container, "York Hospital")
    programme = app.create_programme(
        by=None, title="Urgent Care", description="", lead_commissioner_id=icb.id
    )
    app.add_participant(
        by=None, programme_id=programme.id, organisation_id=trust.id, role="provider"
    )
    _, workstream = app.add_workstream(by=None, programme_id=programme.id, name="Mental Health")
    people = {}
    for name, organisation in (("ada", icb), ("bob", trust), ("eve", outsider)):
        member = person(container, f"{name}@example.org", name.title())
        app.join_organisation(by=None, person_id=member.id, organisation_id=organisation.id)
        people[name] = member.id
    return Board(
        container=container,
        icb=icb.id,
        trust=trust.id,
        outsider=outsider.id,
        programme=programme.id,
        workstream=workstream.id,
        **people,
    )
