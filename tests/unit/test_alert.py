"""Alert: raised for one episode of a condition, cleared when resolved, reopened, in memory.
Also the pure rules the jobs judge by (services/use_cases/alert_findings.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from types import SimpleNamespace
from typing import Any
from uuid import uuid4

import pytest

from domain.actor import acting_as
from domain.alert import Alert, AlertKind, SubjectKind, alert_id
from domain.errors import InvalidValue, RuleViolation
from services.use_cases.alert_findings import (
    HOLDER_LEFT,
    NO_HOLDER,
    ComponentReview,
    vacancy_of,
)
from tests.unit.support import collected, recorded, settled

KEY = "commitment_overdue:c1:2026-10-31"


def raised(**overrides: Any) -> Alert:
    arguments: dict[str, Any] = {
        "kind": "commitment_overdue",
        "key": KEY,
        "programme_id": uuid4(),
        "subject_id": "c1",
        "summary": "Commitment 'Handovers' was due on 2026-10-31 and is still accepted",
        "detected_on": date(2026, 11, 23),
        "details": {"due_date": "2026-10-31"},
    }
    arguments.update(overrides)
    return Alert.raise_for(**arguments)


def test_an_alert_id_derives_from_its_episode_key_so_every_process_finds_the_same_one() -> None:
    first, second = raised(), raised()

    assert first.id == second.id == alert_id(KEY)
    assert raised(key="commitment_overdue:c1:2026-12-31").id != first.id


def test_a_raised_alert_is_open_with_what_the_job_found() -> None:
    alert = raised()

    events = collected(alert)

    assert [type(e).__qualname__ for e in events] == ["Alert.Raised"]
    assert alert.is_open
    assert alert.kind is AlertKind.COMMITMENT_OVERDUE
    assert alert.subject_kind is SubjectKind.COMMITMENT
    assert alert.detected_on == date(2026, 11, 23)
    assert events[0].detected_on == "2026-11-23"
    assert alert.details == {"due_date": "2026-10-31"}


def test_the_platform_raises_alerts_so_no_person_is_recorded_as_acting() -> None:
    with acting_as(None):
        alert = raised()

    assert collected(alert)[0].actor_id is None


def test_an_alert_of_an_unknown_kind_is_refused_naming_the_field() -> None:
    with pytest.raises(InvalidValue) as refused:
        raised(kind="budget_overspent")

    assert refused.value.field == "kind"


def test_a_key_that_does_not_name_the_alerts_kind_is_refused() -> None:
    with pytest.raises(InvalidValue) as refused:
        raised(key="component_stale:p1:measurement:never")

    assert refused.value.field == "key"


def test_an_alert_needs_a_summary() -> None:
    with pytest.raises(InvalidValue) as refused:
        raised(summary="   ")

    assert refused.value.field == "summary"


def test_clearing_records_what_resolved_it() -> None:
    alert = settled(raised())

    alert.clear("the commitment was delivered")

    assert recorded(alert) == ["Cleared"]
    assert not alert.is_open
    assert alert.cleared_reason == "the commitment was delivered"


def test_a_cleared_alert_cannot_be_cleared_again() -> None:
    alert = raised()
    alert.clear("the commitment was delivered")
    settled(alert)

    with pytest.raises(RuleViolation, match="already cleared"):
        alert.clear("again")
    assert recorded(alert) == []


def test_a_cleared_alert_reopens_when_its_episode_holds_again() -> None:
    alert = raised()
    alert.clear("the role is no longer marked critical")
    settled(alert)

    alert.reopen("Critical role 'SRO' has had no holder since 2026-11-01", date(2026, 12, 1))

    assert recorded(alert) == ["Reopened"]
    assert alert.is_open
    assert alert.cleared_reason is None
    assert alert.detected_on == date(2026, 12, 1)
    assert alert.times_reopened == 1


def test_an_open_alert_cannot_be_reopened() -> None:
    alert = settled(raised())

    with pytest.raises(RuleViolation, match="only a cleared alert"):
        alert.reopen("again", date(2026, 12, 1))


# The rules the jobs judge by


def component(last_reviewed_on: date | None, interval: int = 90) -> ComponentReview:
    return ComponentReview(
        programme_id="p1",
        component="measurement",
        label="Measurement",
        framework_key="nhs-change-model-2018",
        review_interval_days=interval,
        last_review_id="r1" if last_reviewed_on else None,
        last_reviewed_on=last_reviewed_on,
        programme_created_on=date(2026, 1, 1),
    )


def test_a_component_becomes_stale_the_day_after_its_interval_runs_out() -> None:
    reviewed = component(date(2026, 3, 1), interval=30)

    assert reviewed.review_due_on == date(2026, 3, 31)
    assert not reviewed.is_stale(date(2026, 3, 31))
    assert reviewed.is_stale(date(2026, 4, 1))


def test_a_never_reviewed_component_is_judged_from_the_day_the_programme_began() -> None:
    never = component(None, interval=90)

    assert never.review_due_on == date(2026, 4, 1)
    assert never.is_stale(date(2026, 4, 2))
    assert never.key == "component_stale:p1:measurement:never"


def event(name: str, version: int, **data: Any) -> Any:
    """A stand-in for a role's event: vacancy_of reads only the name and a few fields."""
    cls = type(name, (SimpleNamespace,), {})
    at = datetime(2026, 11, version, tzinfo=UTC)
    return cls(originator_version=version, timestamp=at, **data)


def test_a_role_is_vacant_from_its_definition_until_it_is_assigned() -> None:
    defined = event("Defined", 1)

    vacancy = vacancy_of([defined])

    assert vacancy is not None
    assert (vacancy.since_version, vacancy.reason) == (1, NO_HOLDER)
    assert vacancy_of([defined, event("Assigned", 2)]) is None


def test_a_role_vacated_again_starts_a_new_vacancy() -> None:
    events = [event("Defined", 1), event("Assigned", 2), event("Vacated", 3)]

    vacancy = vacancy_of(events)

    assert vacancy is not None
    assert vacancy.since_version == 3


def test_a_holder_leaving_their_organisation_leaves_the_role_vacant_in_effect() -> None:
    events = [
        event("Defined", 1),
        event("Assigned", 2),
        event("HandoverFlagged", 3, position="deputy"),
        event("HandoverFlagged", 4, position="holder"),
    ]

    vacancy = vacancy_of(events)

    assert vacancy is not None
    assert (vacancy.since_version, vacancy.reason) == (4, HOLDER_LEFT)
    assert vacancy_of([*events, event("HandedOver", 5)]) is None
