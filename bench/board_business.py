"""A programme board's business, week by week: decisions and provider commitments.

Decision latency grows with the number of organisations consulted and is longest in the
hospital workstream (the seeds: many eager change agents stall; few evenly matched ones move).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from typing import TYPE_CHECKING
from uuid import UUID

from bench import vocabulary as words
from domain.commitment import Commitment, CommitmentStatus, Party
from domain.decision import Decision, DecisionStatus
from domain.organisation import Organisation
from domain.person import Person
from domain.programme import Programme
from domain.values import CHANGE_MODEL_KEYS

if TYPE_CHECKING:
    from bench.programme_life import ProgrammeLife

STANDING_KEPT = 12


@dataclass
class OpenDecision:
    decision: Decision
    to_consult: list[Organisation]
    weeks_to_decide: float


class BoardBusiness:
    """The decisions and commitments of one programme's life."""

    def __init__(self, life: ProgrammeLife) -> None:
        self.life, self.sim, self.area = life, life.sim, life.area
        self.open_decisions: list[OpenDecision] = []
        #: Decisions taken and still standing, newest last (older ones are only in the log).
        self.standing: list[Decision] = []
        self.open_commitments: list[Commitment] = []

    @property
    def programme(self) -> Programme:
        return self.life.programme

    def organisations(self) -> list[Organisation]:
        return self.life.organisations()

    def member_of(self, organisation_id: UUID) -> Person | None:
        return self.life.member_of(organisation_id)

    def week(self) -> None:
        if self.sim.chance(0.35):
            self._propose()
        for entry in list(self.open_decisions):
            self._advance(entry)
        self._standing_week()
        if self.sim.chance(0.3):
            self._make_commitment()
        for commitment in list(self.open_commitments):
            self._commitment_week(commitment)

    # Decisions

    def _propose(self) -> None:
        sim, rng = self.sim, self.sim.rng
        organisations = self.organisations()
        proposer_org = rng.choice(organisations)
        workstreams = self.programme.workstreams
        workstream = rng.choice(workstreams) if workstreams and sim.chance(0.8) else None
        when = sim.clock.occurred(rng, None)
        with sim.acting(self.member_of(proposer_org.id)):
            decision = Decision.propose(
                programme=self.programme,
                organisation=proposer_org,
                title=rng.choice(words.DECISION_TOPICS),
                rationale="Discussed at the board; see the options paper",
                options=rng.sample(words.OPTIONS, rng.randint(2, 4)),
                components=rng.sample(CHANGE_MODEL_KEYS, rng.randint(1, 3)),
                workstream_id=workstream.id if workstream else None,
                occurred_at=when,
            )
        sim.clock.mark(decision.id, when)
        sim.touch(decision)
        others = [o for o in organisations if o.id != proposer_org.id]
        to_consult = rng.sample(others, min(len(others), rng.randint(0, 4)))
        slow = 2.0 if workstream is not None and workstream.name == "Hospital flow" else 1.0
        weeks = (1.5 + 1.2 * len(to_consult)) * slow
        self.open_decisions.append(OpenDecision(decision, to_consult, weeks))

    def _advance(self, entry: OpenDecision) -> None:
        sim, decision = self.sim, entry.decision
        for organisation in list(entry.to_consult):
            if sim.chance(0.6):
                with sim.acting(self.member_of(self.programme.lead_commissioner_id)):
                    sim.attempt(
                        "consult",
                        partial(
                            decision.consult, organisation, self.programme, sim.occurred(decision)
                        ),
                    )
                entry.to_consult.remove(organisation)
                sim.touch(decision)
        for organisation_id, consultation in decision.consultations.items():
            if consultation.latest is None and sim.chance(0.5):
                self._respond(decision, organisation_id)
        if sim.chance(0.01):
            sim.attempt(
                "withdraw", lambda: decision.revoke("Overtaken by events", sim.occurred(decision))
            )
            sim.touch(decision)
            self._close(entry)
        elif not entry.to_consult and sim.chance(1 / entry.weeks_to_decide):
            self._take(entry)

    def _respond(self, decision: Decision, organisation_id: UUID) -> None:
        sim = self.sim
        organisation = next((o for o in self.organisations() if o.id == organisation_id), None)
        if organisation is None:
            return
        objects = sim.chance(0.2)
        reason = sim.rng.choice(words.OBJECTIONS) if objects else ""
        with sim.acting(self.member_of(organisation_id)):
            sim.attempt(
                "respond",
                lambda: decision.respond(
                    organisation, "object" if objects else "support", reason, sim.occurred(decision)
                ),
            )
        sim.touch(decision)

    def _take(self, entry: OpenDecision) -> None:
        sim, decision = self.sim, entry.decision
        lead = self.programme.lead_commissioner_id
        decider = lead if sim.chance(0.75) else decision.proposing_organisation_id
        with sim.acting(self.member_of(decider)):
            sim.attempt(
                "take",
                lambda: decision.take(
                    f"Programme board {sim.clock.now.date().isoformat()}",
                    sim.occurred(decision),
                    decider,
                ),
            )
        sim.touch(decision)
        self._close(entry)
        if decision.status is not DecisionStatus.DECIDED:
            return
        assert decision.decided_at is not None
        earlier = [d for d in self.standing if d.decided_at and d.decided_at <= decision.decided_at]
        if earlier and sim.chance(0.12):
            replaced = sim.rng.choice(earlier)
            replaced.supersede_with(decision)
            sim.touch(replaced, decision)
            self.standing.remove(replaced)
            sim.clock.forget(replaced.id)
        self.standing = [*self.standing[-(STANDING_KEPT - 1) :], decision]

    def _close(self, entry: OpenDecision) -> None:
        self.open_decisions.remove(entry)
        if entry.decision.status is not DecisionStatus.DECIDED:
            self.sim.clock.forget(entry.decision.id)

    def _standing_week(self) -> None:
        sim = self.sim
        for decision in list(self.standing):
            if sim.chance(0.004):
                with sim.acting(self.member_of(self.programme.lead_commissioner_id)):
                    sim.attempt(
                        "amend",
                        partial(
                            decision.amend,
                            reason="Scope narrowed after consultation",
                            rationale=f"{decision.rationale} (amended {sim.clock.now.date()})",
                            occurred_at=sim.occurred(decision),
                        ),
                    )
                sim.touch(decision)
            elif sim.chance(0.001):
                sim.attempt(
                    "revoke", partial(decision.revoke, "Funding withdrawn", sim.occurred(decision))
                )
                sim.touch(decision)
                self.standing.remove(decision)

    # Commitments

    def _make_commitment(self) -> None:
        sim, rng = self.sim, self.sim.rng
        providers = [o for o in self.organisations() if o.kind.value == "provider"]
        commissioner = self.area.commissioner
        if not providers or commissioner.id not in self.programme.participants:
            return
        provider = rng.choice(providers)
        when = sim.clock.occurred(rng, None)
        linked = rng.choice(self.standing) if self.standing and sim.chance(0.3) else None
        with sim.acting(self.member_of(provider.id)):
            commitment = Commitment.make(
                provider=provider,
                commissioner=commissioner,
                what=rng.choice(words.COMMITMENTS),
                measure="Monthly figure in the contract performance report",
                due_date=when.date() + timedelta(weeks=rng.randint(6, 40)),
                contract_lever=rng.choice(words.LEVERS),
                programme=self.programme,
                decision_id=linked.id if linked else None,
                occurred_at=when,
            )
        sim.clock.mark(commitment.id, when)
        sim.touch(commitment)
        self.open_commitments.append(commitment)

    def _commitment_week(self, commitment: Commitment) -> None:
        sim, rng = self.sim, self.sim.rng
        today = sim.clock.now.date()
        status = commitment.status
        if status is CommitmentStatus.PROPOSED:
            if sim.chance(0.4):
                self._act(commitment, commitment.commissioner_id, "accept", commitment.accept)
            elif sim.chance(0.01):
                self._act(
                    commitment,
                    commitment.provider_id,
                    "withdraw",
                    lambda: commitment.withdraw("Not affordable"),
                )
        elif commitment.due_date < today:
            roll = rng.random()
            if roll < 0.3:
                self._deliver(commitment)
            elif roll < 0.4:
                self._act(
                    commitment,
                    commitment.commissioner_id,
                    "record missed",
                    lambda: commitment.record_missed("Not delivered by the due date", today),
                )
            elif roll < 0.5:
                new_due = today + timedelta(weeks=rng.randint(4, 16))
                self._act(
                    commitment,
                    commitment.commissioner_id,
                    "renegotiate",
                    lambda: commitment.renegotiate(new_due, "Winter pressures", today),
                )
        elif sim.chance(0.2):
            percent = min(100, (commitment.percent_complete or 0) + rng.randint(5, 25))
            self._act(
                commitment,
                commitment.provider_id,
                "record progress",
                lambda: commitment.record_progress(percent, "Monthly update"),
            )
        elif status is not CommitmentStatus.AT_RISK and sim.chance(0.02):
            party = rng.choice((Party.PROVIDER, Party.COMMISSIONER))
            self._act(
                commitment,
                commitment.provider_id,
                "flag at risk",
                lambda: commitment.flag_at_risk("Recruitment behind plan", party),
            )
        elif sim.chance(0.03):
            self._deliver(commitment)
        if not commitment.is_open:
            self.open_commitments.remove(commitment)
            sim.clock.forget(commitment.id)

    def _deliver(self, commitment: Commitment) -> None:
        when = self.sim.occurred(commitment)
        self._act(
            commitment,
            commitment.provider_id,
            "deliver",
            lambda: commitment.deliver("Figures in the quality report", when),
        )

    def _act(
        self,
        commitment: Commitment,
        side: UUID,
        what: str,
        action: Callable[[], None],
    ) -> None:
        with self.sim.acting(self.member_of(side)):
            self.sim.attempt(f"commitment {what}", action)
        self.sim.touch(commitment)
