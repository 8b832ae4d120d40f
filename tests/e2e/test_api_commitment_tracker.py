"""The commitment tracker over HTTP: both sides, filters, pages, as of, and bad input."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import pytest

from infra.bootstrap import Container
from tests.e2e.support import UNKNOWN_ID, Client, assert_problem
from tests.integration.commitment_support import days
from tests.unit.support import ago


class Board:
    """A commissioner and two providers; commitments recorded as the platform."""

    def __init__(self, container: Container) -> None:
        self.app = container.app
        self.icb = self.register("West Yorkshire ICB", "commissioner")
        self.leeds = self.register("Leeds Teaching Hospitals", "provider")
        self.york = self.register("York Trust", "provider")

    def register(self, name: str, kind: str) -> UUID:
        return self.app.register_organisation(by=None, name=name, kind=kind).id

    def agreed(self, provider: UUID, what: str, due_in: int, **extra: Any) -> UUID:
        made = self.app.make_commitment(
            by=None,
            provider_id=provider,
            commissioner_id=self.icb,
            what=what,
            measure="Monthly audit",
            due_date=days(due_in),
            **extra,
        )
        self.app.accept_commitment(by=None, commitment_id=made.id)
        return made.id

    def deliver(self, commitment: UUID) -> datetime:
        """Deliver it now; returns the last moment before the delivery was recorded."""
        before = datetime.now(UTC)
        self.app.deliver_commitment(by=None, commitment_id=commitment, evidence="Audit")
        return before


def tracker(client: Client, organisation: UUID | str, **query: Any) -> dict[str, Any]:
    response = client.get(f"/organisations/{organisation}/commitment-tracker", params=query)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def whats(body: dict[str, Any]) -> list[str]:
    return [item["what"] for item in body["items"]]


def test_a_commissioner_sees_its_providers_commitments_totals_and_rates(
    client: Client, container: Container
) -> None:
    board = Board(container)
    board.deliver(board.agreed(board.leeds, "Delivered", 10))
    board.agreed(board.leeds, "Overdue", -2, occurred_at=ago(days=30))
    rescheduled = board.agreed(board.york, "Renegotiated", 5)
    board.app.renegotiate_commitment(
        by=None, commitment_id=rescheduled, new_due_date=days(45), reason="Agreed"
    )

    body = tracker(client, board.icb)

    assert (body["side"], body["organisation_name"], body["as_of"]) == (
        "commissioner",
        "West Yorkshire ICB",
        None,
    )
    assert body["today"] == days(0).isoformat()
    assert whats(body) == ["Overdue", "Renegotiated", "Delivered"]
    assert [item["tracker_status"] for item in body["items"]] == [
        "overdue",
        "renegotiated",
        "delivered",
    ]
    assert body["items"][0]["provider_name"] == "Leeds Teaching Hospitals"
    assert body["items"][0]["days_overdue"] == 2
    assert body["totals"] == {
        "due": 0,
        "at_risk": 0,
        "overdue": 1,
        "renegotiated": 1,
        "delivered": 1,
        "missed": 0,
        "withdrawn": 0,
        "open": 2,
        "closed": 1,
        "total": 3,
    }
    assert body["delivery"]["on_time_rate"] == 1.0
    assert body["renegotiations"] == {"total": 1, "commitments": 1}
    assert body["due_next_30_days"] == {
        "from_date": days(0).isoformat(),
        "to_date": days(30).isoformat(),
        "count": 0,
    }
    leeds, york = body["counterparts"]
    assert (leeds["name"], leeds["totals"]["total"], leeds["delivery"]["delivered"]) == (
        "Leeds Teaching Hospitals",
        2,
        1,
    )
    assert (york["name"], york["renegotiations"]["total"], york["delivery"]["on_time_rate"]) == (
        "York Trust",
        1,
        None,
    )


def test_a_provider_sees_the_commitments_it_made_per_commissioner(
    client: Client, container: Container
) -> None:
    board = Board(container)
    board.agreed(board.leeds, "Leeds one", 10)
    board.agreed(board.york, "York one", 10)

    as_provider = tracker(client, board.leeds)
    as_commissioner = tracker(client, board.leeds, side="commissioner")

    assert (as_provider["side"], whats(as_provider)) == ("provider", ["Leeds one"])
    assert [c["name"] for c in as_provider["counterparts"]] == ["West Yorkshire ICB"]
    assert (as_commissioner["side"], as_commissioner["total"]) == ("commissioner", 0)


def test_items_are_paged_and_filtered_while_the_totals_stay_whole(
    client: Client, container: Container
) -> None:
    board = Board(container)
    for due_in in (3, 1, 40, 2, 20):
        board.agreed(board.leeds, f"Due in {due_in}", due_in)

    second_page = tracker(client, board.icb, limit=2, offset=2)
    soon = tracker(client, board.icb, due_next_30_days="true")
    none_overdue = tracker(client, board.icb, status="overdue")

    assert (whats(second_page), second_page["total"]) == (["Due in 3", "Due in 20"], 5)
    assert (second_page["limit"], second_page["offset"]) == (2, 2)
    assert second_page["totals"]["due"] == 5
    assert (soon["total"], soon["due_next_30_days"]["count"]) == (4, 4)
    assert "Due in 40" not in whats(soon)
    assert (none_overdue["items"], none_overdue["total"], none_overdue["totals"]["total"]) == (
        [],
        0,
        5,
    )


def test_a_programme_filter_narrows_everything_to_that_programme(
    client: Client, container: Container
) -> None:
    board = Board(container)
    programme = board.app.create_programme(
        by=None, title="UEC", description="", lead_commissioner_id=board.icb
    )
    board.app.add_participant(
        by=None, programme_id=programme.id, organisation_id=board.leeds, role="provider"
    )
    board.agreed(board.leeds, "In UEC", 10, programme_id=programme.id)
    board.agreed(board.leeds, "Elsewhere", 10)

    body = tracker(client, board.icb, programme_id=str(programme.id))

    assert (body["programme_id"], whats(body), body["totals"]["total"]) == (
        str(programme.id),
        ["In UEC"],
        1,
    )


def test_as_of_before_delivery_the_commitment_reads_as_it_was_then(
    client: Client, container: Container
) -> None:
    board = Board(container)
    late = board.agreed(board.leeds, "Handovers", -3, occurred_at=ago(days=30))
    before = board.deliver(late)
    as_of = before.isoformat().replace("+00:00", "Z")

    then = tracker(client, board.icb, as_of=as_of)
    now = tracker(client, board.icb)

    assert then["as_of"] is not None
    assert then["as_of"].startswith(before.strftime("%Y-%m-%dT%H:%M:%S"))
    assert [i["tracker_status"] for i in then["items"]] == ["overdue"]
    assert then["delivery"]["delivered"] == 0
    assert [i["tracker_status"] for i in now["items"]] == ["delivered"]
    assert now["delivery"]["on_time_rate"] == 0.0


def test_as_of_before_the_organisation_was_registered_the_tracker_is_empty(
    client: Client, container: Container
) -> None:
    before = datetime.now(UTC).isoformat().replace("+00:00", "Z")
    board = Board(container)
    board.agreed(board.leeds, "Handovers", 10)

    then = tracker(client, board.icb, as_of=before)

    assert (then["organisation_name"], then["total"], then["counterparts"]) == (
        "West Yorkshire ICB",
        0,
        [],
    )


def test_an_unknown_or_malformed_organisation_is_not_found(client: Client) -> None:
    for organisation in (UNKNOWN_ID, "not-a-uuid"):
        response = client.get(f"/organisations/{organisation}/commitment-tracker")

        assert_problem(response, 404, detail="organisation")


def test_an_unknown_programme_is_not_found(client: Client, container: Container) -> None:
    board = Board(container)

    response = client.get(
        f"/organisations/{board.icb}/commitment-tracker", params={"programme_id": UNKNOWN_ID}
    )

    assert_problem(response, 404, detail="programme")


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"as_of": "yesterday"}, "as_of"),
        ({"as_of": "2026-01-01T10:00:00"}, "as_of"),
        ({"side": "partner"}, "side"),
        ({"status": "late"}, "status"),
        ({"programme_id": "not-a-uuid"}, "programme_id"),
        ({"limit": "0"}, "limit"),
    ],
)
def test_bad_query_values_are_refused_naming_the_field(
    client: Client, container: Container, query: dict[str, str], field: str
) -> None:
    board = Board(container)

    response = client.get(f"/organisations/{board.icb}/commitment-tracker", params=query)

    assert_problem(response, 422, field=field)


def test_a_partner_must_say_which_side_it_reads(client: Client, container: Container) -> None:
    charity = Board(container).register("Leeds Mind", "partner")

    refused = client.get(f"/organisations/{charity}/commitment-tracker")
    allowed = client.get(
        f"/organisations/{charity}/commitment-tracker", params={"side": "provider"}
    )

    assert_problem(refused, 422, field="side", detail="is a partner")
    assert (allowed.status_code, allowed.json()["total"]) == (200, 0)
