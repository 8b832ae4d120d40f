"""Helpers for commitment use-case tests: two sides, a member of each, a commitment."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from domain.base import LedgerAggregate
from domain.commitment import Commitment, utc_today
from infra.bootstrap import Container
from projections.commitments import COMMITMENTS


def days(n: int) -> date:
    return utc_today() + timedelta(days=n)


class Decision(LedgerAggregate):
    """Stands in for the decisions area's aggregate: commitments only check its class name."""

    @event("StoodInForTests")
    def __init__(self, title: str, programme_id: UUID | None = None) -> None:
        self.title = title
        self.programme_id = programme_id


@dataclass(frozen=True)
class Sides:
    provider_id: UUID
    commissioner_id: UUID
    #: A current member of the provider, and of the commissioner.
    supplier: UUID
    buyer: UUID


def sides(
    container: Container, provider: str = "Leeds Teaching Hospitals", commissioner: str = "WY ICB"
) -> Sides:
    app = container.app
    trust = app.register_organisation(by=None, name=provider, kind="provider")
    icb = app.register_organisation(by=None, name=commissioner, kind="commissioner")
    slug = provider.split()[0].lower()
    supplier = app.register_person(by=None, name="Sam Supplier", email=f"sam@{slug}.example.org")
    buyer = app.register_person(by=None, name="Bea Buyer", email=f"bea@{slug}.icb.example.org")
    app.join_organisation(by=None, person_id=supplier.id, organisation_id=trust.id)
    app.join_organisation(by=None, person_id=buyer.id, organisation_id=icb.id)
    return Sides(trust.id, icb.id, supplier.id, buyer.id)


def make(container: Container, on: Sides, **overrides: Any) -> Commitment:
    arguments: dict[str, Any] = {
        "by": on.supplier,
        "provider_id": on.provider_id,
        "commissioner_id": on.commissioner_id,
        "what": "Ambulance handovers within 30 minutes",
        "measure": "95% of handovers under 30 minutes, monthly",
        "due_date": days(30),
    }
    arguments.update(overrides)
    return container.app.make_commitment(**arguments)


def accepted(container: Container, on: Sides, **overrides: Any) -> Commitment:
    made = make(container, on, **overrides)
    return container.app.accept_commitment(by=on.buyer, commitment_id=made.id)


def row(container: Container, commitment_id: UUID) -> dict[str, Any]:
    """The commitment's raw row in the view, after catching up."""
    container.catch_up()
    found = container.views.fetch_one(
        f"SELECT * FROM {COMMITMENTS} WHERE id = %(id)s", {"id": str(commitment_id)}
    )
    assert found is not None
    return found
