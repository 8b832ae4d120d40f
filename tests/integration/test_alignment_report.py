"""The alignment dashboard, computed from the real views, now and as of a past recorded time."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from uuid import UUID

import pytest

from domain.errors import NotFound
from domain.review import ActionEntry, RatingEntry
from infra.bootstrap import Container
from projections.alignment_report import AlignmentDashboard, AlignmentReport
from projections.alignment_rules import ComponentAlignment
from projections.temporal import Moment
from tests.integration.support import commissioner, person, provider


@dataclass(frozen=True)
class Board:
    container: Container
    programme: UUID
    icb: UUID
    trust: UUID
    charity: UUID
    owner: UUID

    def review(self, held_days_ago: int, **ratings: tuple[int, Sequence[str], int]) -> UUID:
        """Rate components as (rating, evidence notes, number of actions)."""
        held_on = today() - timedelta(days=held_days_ago)
        entries = [
            RatingEntry(
                component=key,
                rating=value,
                evidence=list(evidence),
                actions=[ActionEntry(f"Action {i}", self.owner, held_on) for i in range(actions)],
            )
            for key, (value, evidence, actions) in ratings.items()
        ]
        review = self.container.app.record_review(
            by=None,
            programme_id=self.programme,
            reviewer_ids=[self.owner],
            ratings=entries,
            held_on=held_on,
        )
        return review.id

    def decide(self, *components: str) -> UUID:
        decision = self.container.app.propose_decision(
            by=None,
            programme_id=self.programme,
            organisation_id=self.icb,
            title="A decision",
            rationale="Because",
            components=list(components),
        )
        return decision.id

    def dashboard(self, moment: Moment | None = None) -> AlignmentDashboard:
        self.container.catch_up()
        return AlignmentReport(self.container.views).dashboard(self.programme, moment or Moment())

    def component(self, key: str, moment: Moment | None = None) -> ComponentAlignment:
        return next(c for c in self.dashboard(moment).components if c.key == key)

    def recorded(self, record_id: UUID) -> datetime:
        """When the record's latest event was recorded: an as-of time that includes it."""
        moment: datetime = self.container.app.repository.get(record_id).modified_on
        return moment


def today() -> date:
    return datetime.now(UTC).date()


def evidenced(rating: int) -> tuple[int, list[str], int]:
    return (rating, ["Minutes of the board"], 0)


def board(container: Container, *, frameworks: bool = True) -> Board:
    app = container.app
    if frameworks:
        app.ensure_builtin_frameworks()
    icb, trust = commissioner(container), provider(container)
    charity = app.register_organisation(by=None, name="Carers Charity", kind="partner")
    programme = app.create_programme(
        by=None, title="Urgent Care", description="", lead_commissioner_id=icb.id
    )
    app.add_participant(
        by=None, programme_id=programme.id, organisation_id=trust.id, role="provider"
    )
    app.add_participant(
        by=None, programme_id=programme.id, organisation_id=charity.id, role="partner"
    )
    return Board(container, programme.id, icb.id, trust.id, charity.id, person(container).id)


def test_trend_compares_the_latest_rating_by_review_date_with_the_one_before(
    container: Container,
) -> None:
    at = board(container)
    at.review(20, leadership=evidenced(2), measurement=evidenced(4), engagement=evidenced(3))
    at.review(10, leadership=evidenced(4), measurement=evidenced(3), engagement=evidenced(3))
    # Recorded last but held first: it is the oldest rating, not the latest.
    at.review(30, leadership=evidenced(5), delivery=evidenced(3))

    found = {
        c.key: (c.latest_rating, c.previous_rating, c.trend) for c in at.dashboard().components
    }

    assert found["leadership"] == (4, 2, "improving")
    assert found["measurement"] == (3, 4, "declining")
    assert found["engagement"] == (3, 3, "steady")
    assert found["delivery"] == (3, None, "first")
    assert found["spread"] == (None, None, None)
    assert at.component("leadership").last_reviewed_on == (today() - timedelta(10)).isoformat()


def test_a_component_reviewed_longer_ago_than_the_interval_is_stale(
    container: Container,
) -> None:
    at = board(container)
    container.app.set_programme_framework(
        by=None, programme_id=at.programme, review_interval_days=30
    )
    at.review(31, leadership=evidenced(3))
    at.review(30, engagement=evidenced(3))

    dashboard = at.dashboard()
    later = at.dashboard(Moment(now=datetime.now(UTC) + timedelta(days=5)))

    assert dashboard.review_interval_days == 30
    assert dashboard.stale == ["leadership"]
    assert later.stale == ["leadership", "engagement"]
    assert "shared_purpose" in dashboard.never_reviewed
    assert "leadership" not in dashboard.never_reviewed


def test_a_review_recorded_after_the_as_of_time_is_not_seen(container: Container) -> None:
    at = board(container)
    first = at.review(5, measurement=evidenced(2))
    second = at.review(1, measurement=evidenced(4))

    before = at.component("measurement", Moment(at.recorded(first)))
    now = at.component("measurement")

    assert (before.latest_rating, before.trend, before.weak) == (2, "first", True)
    assert (now.latest_rating, now.previous_rating, now.trend, now.weak) == (
        4,
        2,
        "improving",
        False,
    )
    assert at.dashboard(Moment(at.recorded(second))).components == at.dashboard().components


def test_a_rating_without_evidence_or_actions_or_rated_two_or_less_is_weak(
    container: Container,
) -> None:
    at = board(container)
    at.review(
        3,
        leadership=(5, [], 0),
        engagement=(2, ["Survey"], 0),
        delivery=(3, ["Plan"], 0),
        measurement=(3, [], 1),
    )

    dashboard = at.dashboard()
    evidence = {c.key: c.evidenced for c in dashboard.components if c.reviewed}

    assert dashboard.weak == ["leadership", "engagement"]
    assert evidence == {
        "leadership": False,
        "engagement": True,
        "delivery": True,
        "measurement": True,
    }


def test_open_actions_count_until_completed_and_as_of_before_completion(
    container: Container,
) -> None:
    at = board(container)
    review = at.review(2, measurement=(3, [], 2), delivery=(3, [], 1))
    opened = at.recorded(review)
    container.app.complete_review_action(by=None, review_id=review, index=0)

    assert at.component("measurement").open_actions == 1
    assert at.component("delivery").open_actions == 1
    assert at.component("measurement", Moment(opened)).open_actions == 2
    assert at.component("leadership").open_actions == 0


def test_the_hard_side_is_neglected_when_few_of_its_components_were_reviewed_lately(
    container: Container,
) -> None:
    at = board(container)
    at.review(200, spread=evidenced(5))  # stale: reviewed, but not within 90 days
    at.review(5, leadership=evidenced(4), engagement=evidenced(2), measurement=evidenced(3))
    at.decide("leadership", "delivery")
    at.decide("engagement")

    balance = at.dashboard().balance

    assert (balance.soft.components, balance.soft.reviewed) == (2, 2)
    assert balance.soft.reviewed_within_interval == 2
    assert balance.soft.mean_latest_rating == 3.0
    assert balance.soft.decisions == 2
    assert (balance.hard.components, balance.hard.reviewed) == (5, 2)
    assert balance.hard.reviewed_within_interval == 1
    assert balance.hard.mean_latest_rating == 4.0
    assert balance.hard.decisions == 1
    assert balance.neglected_side == "hard"


def test_no_side_is_neglected_when_both_are_reviewed_alike(container: Container) -> None:
    at = board(container)
    at.review(
        5,
        leadership=evidenced(3),
        spread=evidenced(3),
        improvement=evidenced(3),
        delivery=evidenced(3),
    )

    assert at.dashboard().balance.neglected_side is None


def test_tunnel_vision_when_most_decisions_touch_only_the_same_two_components(
    container: Container,
) -> None:
    at = board(container)
    for components in (["leadership"], ["leadership", "engagement"], ["engagement"]):
        at.decide(*components)
    at.decide("measurement", "leadership")
    withdrawn = at.decide("system_drivers")
    container.app.revoke_decision(by=None, decision_id=withdrawn, reason="Not now")

    dashboard = at.dashboard()
    tunnel = dashboard.tunnel_vision
    counts = {c.key: c.decision_count for c in dashboard.components}

    assert counts["leadership"] == 3
    assert counts["engagement"] == 2
    assert counts["measurement"] == 1
    assert counts["system_drivers"] == 0
    assert (tunnel.flag, tunnel.decisions, tunnel.share) == (True, 4, 0.75)
    assert tunnel.concentrated_on == ["leadership", "engagement"]
    assert tunnel.without_decisions == [
        "shared_purpose",
        "spread",
        "improvement",
        "delivery",
        "system_drivers",
    ]
    assert dashboard.summary.endswith(
        "decisions concentrate on Leadership by all and Motivate and mobilise"
    )


def test_an_amendment_moves_a_decisions_components_and_as_of_shows_the_old_ones(
    container: Container,
) -> None:
    at = board(container)
    at.decide("leadership")
    at.decide("engagement")
    moved = at.decide("leadership", "engagement")
    before = at.recorded(moved)
    container.app.amend_decision(
        by=None, decision_id=moved, reason="It is about data", components=["measurement"]
    )

    now = at.dashboard().tunnel_vision
    then = at.dashboard(Moment(before)).tunnel_vision

    assert (now.flag, now.share, now.concentrated_on) == (True, 0.67, ["leadership", "engagement"])
    assert "measurement" not in now.without_decisions
    assert (then.flag, then.share) == (True, 1.0)
    assert "measurement" in then.without_decisions


def test_fewer_than_three_decisions_are_not_tunnel_vision(container: Container) -> None:
    at = board(container)
    at.decide("leadership")
    at.decide("leadership")

    tunnel = at.dashboard().tunnel_vision

    assert (tunnel.flag, tunnel.decisions, tunnel.share, tunnel.concentrated_on) == (
        False,
        2,
        1.0,
        [],
    )


def test_endorsement_share_counts_participants_and_names_disputes_and_the_silent(
    container: Container,
) -> None:
    at = board(container)
    app = container.app
    app.draft_shared_purpose(by=None, programme_id=at.programme, text="Care closer to home")
    drafted = at.recorded(app.shared_purpose_id(at.programme))
    app.endorse_shared_purpose(
        by=None, programme_id=at.programme, organisation_id=at.icb, version=1
    )
    app.dispute_shared_purpose(
        by=None, programme_id=at.programme, organisation_id=at.trust, version=1, reason="Beds"
    )

    purpose = at.dashboard().shared_purpose
    before = at.dashboard(Moment(drafted)).shared_purpose

    assert (purpose.version, purpose.text) == (1, "Care closer to home")
    assert (purpose.participants, purpose.endorsing, purpose.endorsement_share) == (3, 1, 0.33)
    assert [(d.organisation_id, d.name, d.reason) for d in purpose.disputes] == [
        (str(at.trust), "Leeds Teaching Hospitals", "Beds")
    ]
    assert [(o.organisation_id, o.name) for o in purpose.not_responded] == [
        (str(at.charity), "Carers Charity")
    ]
    assert (before.endorsing, before.endorsement_share, before.disputes) == (0, 0.0, [])
    assert len(before.not_responded) == 3


def test_a_revision_resets_endorsements_and_the_old_text_is_seen_as_of_before(
    container: Container,
) -> None:
    at = board(container)
    app = container.app
    app.draft_shared_purpose(by=None, programme_id=at.programme, text="Care closer to home")
    for organisation in (at.icb, at.trust):
        app.endorse_shared_purpose(
            by=None, programme_id=at.programme, organisation_id=organisation, version=1
        )
    endorsed = at.recorded(app.shared_purpose_id(at.programme))
    app.revise_shared_purpose(by=None, programme_id=at.programme, text="Care at home first")
    app.endorse_shared_purpose(
        by=None, programme_id=at.programme, organisation_id=at.charity, version=2
    )

    now = at.dashboard().shared_purpose
    then = at.dashboard(Moment(endorsed)).shared_purpose

    assert (now.version, now.endorsing, now.endorsement_share) == (2, 1, 0.33)
    assert {o.name for o in now.not_responded} == {
        "NHS West Yorkshire ICB",
        "Leeds Teaching Hospitals",
    }
    assert (then.version, then.text, then.endorsing, then.endorsement_share) == (
        1,
        "Care closer to home",
        2,
        0.67,
    )


def test_a_programme_without_a_statement_says_so(container: Container) -> None:
    at = board(container, frameworks=False)

    dashboard = at.dashboard()

    assert dashboard.shared_purpose.statement_id is None
    assert dashboard.shared_purpose.participants == 3
    assert dashboard.shared_purpose.endorsement_share is None
    assert len(dashboard.components) == 8
    assert dashboard.summary == (
        "8 of 8 components never reviewed; no shared-purpose statement yet"
    )


def test_the_programmes_own_labels_name_its_components(container: Container) -> None:
    at = board(container)
    container.app.set_programme_framework(
        by=None, programme_id=at.programme, labels={"measurement": "Knowing how we are doing"}
    )

    labels = {c.key: c.label for c in at.dashboard().components}

    assert labels["measurement"] == "Knowing how we are doing"
    assert labels["leadership"] == "Leadership by all"
    assert at.dashboard().framework_key == "nhs-change-model-2018"


def test_the_summary_reads_stale_neglect_endorsement_and_disputes_in_one_line(
    container: Container,
) -> None:
    at = board(container)
    app = container.app
    at.review(100, delivery=evidenced(4))
    at.review(
        4,
        shared_purpose=evidenced(3),
        leadership=evidenced(4),
        engagement=evidenced(4),
        spread=evidenced(3),
        improvement=(1, ["Audit"], 0),
        measurement=evidenced(3),
        system_drivers=evidenced(3),
    )
    app.draft_shared_purpose(by=None, programme_id=at.programme, text="Care closer to home")
    app.endorse_shared_purpose(
        by=None, programme_id=at.programme, organisation_id=at.icb, version=1
    )
    app.dispute_shared_purpose(
        by=None, programme_id=at.programme, organisation_id=at.trust, version=1, reason="Beds"
    )

    assert at.dashboard().summary == (
        "1 of 8 components stale, 1 weak; 1 of 3 organisations endorse the shared purpose"
        " (1 disputes, 1 has not responded)"
    )


def test_the_headline_gives_reviewed_stale_and_endorsement_share(container: Container) -> None:
    at = board(container)
    app = container.app
    at.review(120, spread=evidenced(3))
    at.review(3, leadership=evidenced(3))
    app.draft_shared_purpose(by=None, programme_id=at.programme, text="Care closer to home")
    app.endorse_shared_purpose(
        by=None, programme_id=at.programme, organisation_id=at.icb, version=1
    )
    container.catch_up()

    headline = AlignmentReport(container.views).headline(at.programme, Moment())

    assert (headline.components, headline.reviewed, headline.stale) == (8, 2, 1)
    assert headline.endorsement_share == 0.33


def test_an_unknown_programme_or_one_not_yet_created_is_not_found(container: Container) -> None:
    before = datetime.now(UTC)
    at = board(container)
    container.catch_up()
    report = AlignmentReport(container.views)

    with pytest.raises(NotFound):
        report.dashboard(UUID(int=7), Moment())
    with pytest.raises(NotFound):
        report.dashboard(at.programme, Moment(before))
