"""The benchmark's log generator (bench/generate.py) makes valid logs the views accept."""

from __future__ import annotations

from datetime import timedelta

from bench.generate import generate
from infra.bootstrap import Container

EXPECTED_KINDS = {
    "Organisation.Registered",
    "Person.JoinedOrganisation",
    "Programme.Created",
    "Programme.ParticipantAdded",
    "SharedPurpose.Drafted",
    "SharedPurpose.Endorsed",
    "Role.Defined",
    "Role.Assigned",
    "Decision.Proposed",
    "Decision.Taken",
    "Commitment.Made",
    "Commitment.Accepted",
}


def _log(container: Container) -> list:  # type: ignore[type-arg]
    app = container.app
    notifications = app.recorder.select_notifications(start=1, limit=100_000)
    return [app.mapper.to_domain_event(notification) for notification in notifications]


def test_a_generated_log_decodes_in_recorded_order_spread_over_months(
    container: Container,
) -> None:
    generated = generate(container.app, 300, seed=7, show_progress=False)

    events = _log(container)
    assert generated.refused == {}
    assert len(events) == generated.events >= 300
    assert {type(event).__qualname__ for event in events} >= EXPECTED_KINDS
    recorded = [event.timestamp for event in events]
    assert recorded == sorted(recorded)
    assert recorded[-1] - recorded[0] > timedelta(days=90)
    occurred = [e for e in events if getattr(e, "occurred_at", None) is not None]
    assert occurred
    assert all(e.occurred_at <= e.timestamp for e in occurred)


def test_every_projection_catches_up_on_a_generated_log(container: Container) -> None:
    generated = generate(container.app, 300, seed=7, show_progress=False)

    container.catch_up()

    head = container.app.recorder.max_notification_id()
    assert len(_log(container)) == generated.events
    for processor in container.processors.values():
        assert processor.position() == head, processor.name
    programmes = container.views.fetch_one("SELECT COUNT(*) AS n FROM pf_programmes")
    decisions = container.views.fetch_one("SELECT COUNT(*) AS n FROM dec_decisions")
    assert programmes is not None
    assert programmes["n"] == generated.programmes
    assert decisions is not None
    assert decisions["n"] > 0
