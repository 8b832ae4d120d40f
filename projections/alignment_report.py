"""The alignment dashboard of a programme, read now or as of a past recorded time.

``AlignmentReport(store).dashboard(programme_id, moment)`` computes the whole dashboard;
``headline(programme_id, moment)`` the few figures a portfolio list shows. Every definition
and threshold here is documented in docs/reports/alignment.md.

Facts come from versioned tables (projections/alignment.py, projections/programme_facts.py);
the programme's framework, labels and review interval are read as current (reviews.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from domain.errors import NotFound
from domain.framework import DEFAULT_FRAMEWORK_KEY, DEFAULT_REVIEW_INTERVAL_DAYS
from infra.frameworks import builtin_framework
from projections import alignment, programme_facts, reviews
from projections.alignment_rules import (
    COUNTED_STATUSES,
    Balance,
    ComponentAlignment,
    OrganisationPosition,
    SharedPurposeAlignment,
    TunnelVision,
    balance,
    component_alignment,
    is_stale,
    share,
    summarise,
    tunnel_vision,
)
from projections.store import ViewStore
from projections.temporal import Moment
from projections.timefmt import iso


@dataclass(frozen=True)
class AlignmentDashboard:
    programme_id: str
    title: str
    as_of: str | None
    today: str
    framework_key: str
    review_interval_days: int
    components: list[ComponentAlignment]
    never_reviewed: list[str]
    stale: list[str]
    weak: list[str]
    balance: Balance
    tunnel_vision: TunnelVision
    shared_purpose: SharedPurposeAlignment
    summary: str


@dataclass(frozen=True)
class AlignmentHeadline:
    programme_id: str
    components: int
    reviewed: int
    stale: int
    endorsement_share: float | None


@dataclass(frozen=True)
class _Framework:
    key: str
    interval_days: int
    #: (key, display label, side) in the framework's order.
    components: list[tuple[str, str, str]]


class AlignmentReport:
    def __init__(self, store: ViewStore) -> None:
        self.store = store

    def dashboard(self, programme_id: UUID | str, moment: Moment) -> AlignmentDashboard:
        programme = str(programme_id)
        title = self._title(programme, moment)
        framework = self._framework(programme)
        ratings = self._ratings(programme, moment)
        open_actions = self._open_actions(programme, moment)
        decisions = self._decisions(programme, moment, {key for key, _, _ in framework.components})
        today = moment.today
        components = [
            component_alignment(
                key,
                label,
                side,
                ratings=ratings.get(key, []),
                open_actions=open_actions.get(key, 0),
                decision_count=sum(1 for touched in decisions if key in touched),
                today=today,
                interval_days=framework.interval_days,
            )
            for key, label, side in framework.components
        ]
        overall = balance(components, decisions)
        tunnel = tunnel_vision(components, decisions)
        purpose = self._shared_purpose(programme, moment)
        return AlignmentDashboard(
            programme_id=programme,
            title=title,
            as_of=iso(moment.as_of),
            today=today.isoformat(),
            framework_key=framework.key,
            review_interval_days=framework.interval_days,
            components=components,
            never_reviewed=[c.key for c in components if not c.reviewed],
            stale=[c.key for c in components if c.stale],
            weak=[c.key for c in components if c.weak],
            balance=overall,
            tunnel_vision=tunnel,
            shared_purpose=purpose,
            summary=summarise(components, overall, tunnel, purpose, framework.interval_days),
        )

    def headline(self, programme_id: UUID | str, moment: Moment) -> AlignmentHeadline:
        """Components reviewed and stale, and the endorsement share: for a portfolio list."""
        programme = str(programme_id)
        self._title(programme, moment)
        framework = self._framework(programme)
        ratings = self._ratings(programme, moment)
        latest = [ratings[key][-1] for key, _, _ in framework.components if key in ratings]
        stale = sum(1 for row in latest if is_stale(row, moment.today, framework.interval_days))
        return AlignmentHeadline(
            programme_id=programme,
            components=len(framework.components),
            reviewed=len(latest),
            stale=stale,
            endorsement_share=self._shared_purpose(programme, moment).endorsement_share,
        )

    # Reading

    def _title(self, programme: str, moment: Moment) -> str:
        row = self.store.fetch_one(
            f"SELECT title FROM {moment.table(programme_facts.PROGRAMMES.name)} WHERE id = %(p)s",
            {"p": programme, **moment.params},
        )
        if row is None:
            raise NotFound("programme", programme)
        return str(row["title"])

    def _framework(self, programme: str) -> _Framework:
        """The programme's framework, labels and interval, as now (defaults without settings)."""
        settings = self.store.fetch_one(
            f"SELECT framework_key, review_interval_days FROM {reviews.PROGRAMME_SETTINGS}"
            " WHERE programme_id = %(p)s",
            {"p": programme},
        )
        key = settings["framework_key"] if settings else DEFAULT_FRAMEWORK_KEY
        interval = (
            int(settings["review_interval_days"]) if settings else DEFAULT_REVIEW_INTERVAL_DAYS
        )
        labels = {
            row["component"]: row["label"]
            for row in self.store.fetch_all(
                f"SELECT component, label FROM {reviews.PROGRAMME_LABELS}"
                " WHERE programme_id = %(p)s",
                {"p": programme},
            )
        }
        rows = self.store.fetch_all(
            f"SELECT component AS key, label, side FROM {reviews.FRAMEWORK_COMPONENTS}"
            " WHERE framework_key = %(f)s ORDER BY position",
            {"f": key},
        )
        if not rows:
            # A shipped framework not yet registered in the log still has its definition.
            definition = builtin_framework(key) or {"components": []}
            rows = definition["components"]
        components = [
            (str(r["key"]), str(labels.get(r["key"], r["label"])), str(r["side"])) for r in rows
        ]
        return _Framework(key=key, interval_days=interval, components=components)

    def _ratings(self, programme: str, moment: Moment) -> dict[str, list[dict[str, Any]]]:
        """Each component's ratings, oldest first by review date, then by recorded time."""
        rows = self.store.fetch_all(
            "SELECT component, rating, held_on, evidenced"
            f" FROM {moment.table(alignment.RATINGS.name)}"
            " WHERE programme_id = %(p)s ORDER BY component, held_on, valid_from, review_id",
            {"p": programme, **moment.params},
        )
        by_component: dict[str, list[dict[str, Any]]] = {}
        for row in rows:
            by_component.setdefault(row["component"], []).append(row)
        return by_component

    def _open_actions(self, programme: str, moment: Moment) -> dict[str, int]:
        rows = self.store.fetch_all(
            f"SELECT component, COUNT(*) AS open FROM {moment.table(alignment.ACTIONS.name)}"
            " WHERE programme_id = %(p)s AND completed = FALSE GROUP BY component",
            {"p": programme, **moment.params},
        )
        return {row["component"]: int(row["open"]) for row in rows}

    def _decisions(self, programme: str, moment: Moment, keys: set[str]) -> list[set[str]]:
        """The components each counted decision touches (those of the framework only)."""
        rows = self.store.fetch_all(
            f"SELECT status, components FROM {moment.table(alignment.DECISIONS.name)}"
            " WHERE programme_id = %(p)s ORDER BY id",
            {"p": programme, **moment.params},
        )
        return [
            set(alignment.split_components(row["components"])) & keys
            for row in rows
            if row["status"] in COUNTED_STATUSES
        ]

    def _shared_purpose(self, programme: str, moment: Moment) -> SharedPurposeAlignment:
        participants = self.store.fetch_all(
            f"SELECT p.organisation_id, o.name"
            f" FROM {moment.table(programme_facts.PARTICIPANTS.name, 'p')}"
            f" LEFT JOIN {moment.table(programme_facts.ORGANISATIONS.name, 'o')}"
            " ON o.id = p.organisation_id"
            " WHERE p.programme_id = %(p)s ORDER BY o.name, p.organisation_id",
            {"p": programme, **moment.params},
        )
        statement = self.store.fetch_one(
            f"SELECT id, version, text FROM {moment.table(alignment.STATEMENTS.name)}"
            " WHERE programme_id = %(p)s",
            {"p": programme, **moment.params},
        )
        if statement is None:
            return SharedPurposeAlignment(None, None, None, len(participants), 0, None, [], [])
        positions = {
            row["organisation_id"]: row
            for row in self.store.fetch_all(
                f"SELECT organisation_id, position, reason"
                f" FROM {moment.table(alignment.POSITIONS.name)}"
                " WHERE statement_id = %(s)s AND version = %(v)s",
                {"s": statement["id"], "v": str(statement["version"]), **moment.params},
            )
        }
        endorsing, disputes, silent = 0, [], []
        for participant in participants:
            organisation_id = participant["organisation_id"]
            name = participant["name"] or organisation_id
            taken = positions.get(organisation_id)
            if taken is None:
                silent.append(OrganisationPosition(organisation_id, name))
            elif taken["position"] == "endorsed":
                endorsing += 1
            else:
                disputes.append(OrganisationPosition(organisation_id, name, taken["reason"]))
        return SharedPurposeAlignment(
            statement_id=statement["id"],
            version=int(statement["version"]),
            text=statement["text"],
            participants=len(participants),
            endorsing=endorsing,
            endorsement_share=share(endorsing, len(participants)),
            disputes=disputes,
            not_responded=silent,
        )
