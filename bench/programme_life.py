"""One programme's life, week by week: its board, shared purpose, roles and reviews.

Decisions and commitments live in ``bench/board_business.py``. Probabilities are per week and
chosen to echo the seeds: soft components reviewed far more than hard ones, some reviews
without evidence, some organisations with no named lead, disputes that stay on record.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from functools import partial
from typing import Any
from uuid import UUID

from bench import vocabulary as words
from bench.board_business import BoardBusiness
from bench.world import Area, Directory, Sim
from domain.framework import ChangeFramework, ProgrammeFramework
from domain.organisation import Organisation
from domain.person import Person
from domain.programme import Programme
from domain.review import ActionEntry, RatingEntry, Review
from domain.role import Role
from domain.shared_purpose import Position, SharedPurpose
from domain.uniqueness import UniqueValue
from services.use_cases.roles import ROLE_KEY

SOFT = {"shared_purpose", "leadership", "engagement"}


class ProgrammeLife:
    def __init__(
        self,
        sim: Sim,
        directory: Directory,
        area: Area,
        frameworks: list[ChangeFramework],
        number: int,
    ) -> None:
        self.sim, self.directory, self.area = sim, directory, area
        rng = sim.rng
        title = f"{words.PROGRAMMES[number % len(words.PROGRAMMES)]} in {area.name}"
        lead = area.commissioner
        with sim.acting(directory.member(area, lead.id)):
            self.programme = Programme.create(title, f"Programme {number}", lead)
            for provider in rng.sample(area.providers, rng.randint(2, len(area.providers))):
                self.programme.add_participant(provider, "provider")
            for partner in rng.sample(area.partners, rng.randint(0, len(area.partners))):
                self.programme.add_participant(partner, "partner")
            for name in rng.sample(words.WORKSTREAMS, rng.randint(2, 5)):
                self.programme.add_workstream(name)
        sim.touch(self.programme)
        self.framework = frameworks[-1]
        self.review_interval = timedelta(days=90)
        if sim.chance(0.3):
            self._configure_framework(frameworks)
        self.next_review = sim.clock.now + timedelta(days=rng.uniform(14, 60))
        self.statement = self._draft_statement()
        self.roles = self._define_roles()
        self.reviews_with_open_actions: list[Review] = []
        self.business = BoardBusiness(self)

    # Who is who

    def organisations(self) -> list[Organisation]:
        by_id = {o.id: o for o in self.area.organisations}
        return [by_id[i] for i in self.programme.participants if i in by_id]

    def member_of(self, organisation_id: UUID) -> Person | None:
        return self.directory.member(self.area, organisation_id)

    def any_member(self) -> Person | None:
        return self.member_of(self.sim.rng.choice(list(self.programme.participants)))

    # A week

    def week(self) -> None:
        self._purpose_week()
        self._roles_week()
        self._reviews_week()
        self.business.week()

    # Framework settings

    def _configure_framework(self, frameworks: list[ChangeFramework]) -> None:
        rng = self.sim.rng
        self.framework = rng.choice(frameworks)
        labels = {}
        if self.sim.chance(0.5):
            # Clinicians rewrite component names into words they accept.
            labels = {"improvement": "Quality improvement", "delivery": "Getting it done"}
        interval = rng.choice((60, 90, 120, 180))
        self.review_interval = timedelta(days=interval)
        with self.sim.acting(self.member_of(self.programme.lead_commissioner_id)):
            settings = ProgrammeFramework.configure(
                self.programme, self.framework, labels, interval
            )
        self.sim.touch(settings)

    # Shared purpose

    def _draft_statement(self) -> SharedPurpose:
        drafter = self.member_of(self.programme.lead_commissioner_id)
        text = self.sim.rng.choice(words.PURPOSE).format(area=self.area.name)
        with self.sim.acting(drafter):
            statement = SharedPurpose.draft(
                self.programme,
                text,
                drafter.id if drafter else None,
                occurred_at=self.sim.clock.now,
            )
        self.sim.clock.mark(statement.id, self.sim.clock.now)
        self.sim.touch(statement)
        return statement

    def _purpose_week(self) -> None:
        sim, statement = self.sim, self.statement
        version = statement.current.number
        for organisation in self.organisations():
            taken = statement.position_of(organisation.id)
            if taken is None and sim.chance(0.3):
                self._take_position(organisation, version, dispute=sim.chance(0.15))
            elif taken is not None and taken.position is Position.DISPUTED and sim.chance(0.05):
                self._take_position(organisation, version, dispute=False)
            elif taken is not None and taken.position is Position.ENDORSED and sim.chance(0.002):
                self._take_position(organisation, version, dispute=True)
        silent = [o for o in self.programme.participants if statement.position_of(o) is None]
        if not silent and statement.adoption_of(version) is None and sim.chance(0.3):
            disputed = statement.not_aligned(self.programme)
            rationale = "Adopted over recorded disputes; revisit at next review" if disputed else ""
            board = self.member_of(self.programme.lead_commissioner_id)
            with sim.acting(board):
                sim.attempt(
                    "adopt shared purpose",
                    lambda: statement.adopt(
                        self.programme,
                        version,
                        rationale,
                        board.id if board else None,
                        sim.occurred(statement),
                    ),
                )
            sim.touch(statement)
        if sim.chance(0.006):
            drafter = self.member_of(self.programme.lead_commissioner_id)
            text = f"{statement.current.text.split(' (rev')[0]} (rev {version + 1})"
            with sim.acting(drafter):
                statement.revise(text, drafter.id if drafter else None, sim.occurred(statement))
            sim.touch(statement)

    def _take_position(self, organisation: Organisation, version: int, *, dispute: bool) -> None:
        sim, statement = self.sim, self.statement
        person = self.member_of(organisation.id)
        person_id = person.id if person else None
        when = sim.occurred(statement)
        with sim.acting(person):
            if dispute:
                reason = sim.rng.choice(words.DISPUTES)
                sim.attempt(
                    "dispute shared purpose",
                    lambda: statement.dispute(
                        self.programme, organisation, version, reason, person_id, when
                    ),
                )
            else:
                statement.endorse(self.programme, organisation, version, person_id, when)
        sim.touch(statement)

    # Roles

    def _define_roles(self) -> list[Role]:
        sim = self.sim
        lead_id = self.programme.lead_commissioner_id
        plan_type = tuple[str, str | None, Organisation | None, bool, UUID]
        plan: list[plan_type] = [
            ("sro", None, None, True, lead_id),
            ("clinical_lead", None, None, True, self.sim.rng.choice(self._provider_ids())),
            ("programme_facilitator", None, None, False, lead_id),
            ("measurement_lead", None, None, sim.chance(0.3), lead_id),
        ]
        for organisation in self.organisations():
            # Some organisations never name a lead: the resilience report's point.
            if sim.chance(0.7):
                plan.append(("organisation_lead", None, organisation, False, organisation.id))
        if sim.chance(0.5):
            plan.append(("custom", "Patient voice lead", None, False, lead_id))
        roles = []
        for kind, title, named, critical, home in plan:
            with sim.acting(self.member_of(lead_id)):
                role = Role.define(self.programme, kind, title, named, critical)
            claim = UniqueValue(namespace=ROLE_KEY, value=role.uniqueness_key, owner_id=role.id)
            sim.touch(role, claim)
            if sim.chance(0.9):
                self._assign(role, home)
            roles.append(role)
        return roles

    def _provider_ids(self) -> list[UUID]:
        ids = [o.id for o in self.organisations() if o.kind.value == "provider"]
        return ids or [self.programme.lead_commissioner_id]

    def _assign(self, role: Role, home: UUID) -> None:
        holder = self.member_of(home)
        deputy = self.any_member() if self.sim.chance(0.5) else None
        if holder is None:
            return
        if deputy is not None and deputy.id == holder.id:
            deputy = None
        self.sim.attempt("assign role", lambda: role.assign(self.programme, holder, deputy))
        self.sim.touch(role)

    def _home_of(self, role: Role) -> UUID:
        if role.organisation_id is not None:
            return role.organisation_id
        return role.holder_organisation_id or self.programme.lead_commissioner_id

    def _roles_week(self) -> None:
        sim = self.sim
        for role in self.roles:
            if role.vacant:
                if sim.chance(0.1):
                    self._assign(role, self._home_of(role))
            elif role.flagged:
                if sim.chance(0.3):
                    self._replace_who_left(role)
            elif sim.chance(0.003):
                self._hand_over(role)
            elif sim.chance(0.0005):
                sim.attempt("vacate role", partial(role.vacate, "Post deleted in restructure"))
                sim.touch(role)
            elif sim.chance(0.001):
                role.set_critical(not role.critical)
                sim.touch(role)

    def _hand_over(self, role: Role) -> None:
        sim = self.sim
        to = self.member_of(self._home_of(role))
        if to is None or to.id == role.holder_id:
            return
        items = sim.rng.sample(words.KNOWLEDGE, sim.rng.randint(0, 3))
        with sim.acting(to):
            sim.attempt(
                "hand over role",
                lambda: role.hand_over(
                    self.programme, to, items, sim.chance(0.7), sim.occurred(role)
                ),
            )
        sim.touch(role)

    def _replace_who_left(self, role: Role) -> None:
        """A flagged role: hand it on if its holder left, else name a new deputy."""
        holder = self.directory.by_id[role.holder_id] if role.holder_id else None
        at = holder.current_organisation_id if holder is not None else None
        moved = at not in self.programme.participants or role.organisation_id not in (None, at)
        if holder is None or moved:
            self._hand_over(role)
            return
        deputy = self.any_member()
        if deputy is not None and deputy.id != holder.id:
            self.sim.attempt("assign role", lambda: role.assign(self.programme, holder, deputy))
            self.sim.touch(role)

    def person_left(self, person: Person, organisation_id: UUID) -> None:
        for role in self.roles:
            if role.flag_for_handover(person, organisation_id):
                self.sim.touch(role)
        for review in self.reviews_with_open_actions:
            if review.flag_owner_left(person.id, organisation_id):
                self.sim.touch(review)

    # Reviews

    def _reviews_week(self) -> None:
        sim = self.sim
        for review in list(self.reviews_with_open_actions):
            for action in review.actions:
                if action.completed_on is None and sim.chance(0.08):
                    done_on = max(review.held_on, sim.clock.occurred_on(sim.rng, review.id))
                    review.complete_action(action.index, done_on)
                    sim.touch(review)
            if all(action.completed_on is not None for action in review.actions):
                self.reviews_with_open_actions.remove(review)
        if sim.clock.now < self.next_review:
            return
        self.next_review = sim.clock.now + self.review_interval
        if sim.chance(0.15):
            return  # A review missed: the component goes stale.
        self._record_review()

    def _record_review(self) -> None:
        sim, rng = self.sim, self.sim.rng
        reviewers = {p.id: p for p in (self.any_member() for _ in range(rng.randint(1, 4))) if p}
        if not reviewers:
            return
        ratings = []
        for key in self.framework.component_keys:
            if not sim.chance(0.9 if key in SOFT else 0.4):
                continue
            # A fifth of ratings come with no evidence: a box ticked (the checklist risk).
            evidence = rng.sample(words.EVIDENCE, 0 if sim.chance(0.2) else rng.randint(1, 3))
            ratings.append(RatingEntry(key, rng.randint(1, 5), tuple(evidence)))
        if not ratings:
            ratings.append(RatingEntry("leadership", rng.randint(1, 5)))
        held_on = sim.clock.now.date() - timedelta(days=rng.randint(0, 10))
        ratings = [self._with_actions(rating, held_on) for rating in ratings]
        with sim.acting(next(iter(reviewers.values()))):
            review = Review.record(
                self.programme, self.framework, list(reviewers), ratings, held_on
            )
        sim.touch(review)
        if review.actions:
            self.reviews_with_open_actions = [*self.reviews_with_open_actions[-2:], review]

    def _with_actions(self, rating: RatingEntry, held_on: Any) -> RatingEntry:
        rng = self.sim.rng
        if not self.sim.chance(0.3):
            return rating
        actions = []
        for _ in range(rng.randint(1, 2)):
            owner = self.any_member()
            if owner is not None:
                due = held_on + timedelta(weeks=rng.randint(2, 12))
                actions.append(ActionEntry(rng.choice(words.ACTIONS), owner.id, due))
        return replace(rating, actions=tuple(actions))
