"""Decision lineage and coordination, computed from the lineage views at a ``Moment``.

Definitions (docs/reports/lineage.md explains them for readers):

- A *chain* is the set of decisions joined by supersession links, ordered from the first to
  the one that replaced the others; its *in force* decision is the last one when it still
  stands (status ``decided``). A decision never superseded nor superseding is a chain of one.
- *Latency* is proposal to decision by OCCURRED times, in days; summarised as the median and
  the 90th percentile (nearest rank) of the decisions taken.
- *Participants* of a workstream are the distinct people who proposed, consulted, responded
  to, took or amended its decisions; *participant organisations* are the distinct
  organisations that proposed, were consulted on, responded to or took them.
- A workstream is *crowded* when it has more participants than the median active workstream
  of its programme AND its median latency is above the programme's median latency.
- An *objection* is a decision on which an organisation recorded at least one response with
  stance ``object`` (responding again does not count twice).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from domain.decision import Stance
from projections import lineage as views
from projections.lineage_results import (
    Amendment,
    Chain,
    ChainDecision,
    Counts,
    DecisionLineage,
    KindCounts,
    OrganisationCounts,
    ProgrammeLineage,
    TimelineEntry,
    WorkstreamCoordination,
    median_or_none,
    summarise,
)
from projections.programme_facts import ORGANISATIONS, PEOPLE, WORKSTREAMS
from projections.store import Row, ViewStore
from projections.temporal import Moment, in_clause

SECONDS_PER_DAY = 86400
#: Entries recorded at least this many days after they occurred are flagged back-dated.
BACK_DATED_AFTER_DAYS = 1.0
#: Activity that makes a person a participant of a workstream.
PARTICIPATING = (views.PROPOSED, views.CONSULTED, views.RESPONDED, views.TAKEN, views.AMENDED)
#: Activity that makes an organisation a participant (consulted: it was asked).
ORGANISATION_PARTICIPATING = (views.PROPOSED, views.CONSULTED, views.RESPONDED, views.TAKEN)
#: The kind shown for decisions taken without a recorded organisation (platform imports).
UNRECORDED = "unrecorded"


def _days_between(start: str, end: str) -> float:
    seconds = (datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds()
    return seconds / SECONDS_PER_DAY


@dataclass
class _Facts:
    """Everything the report reads for one programme, at one moment."""

    decisions: dict[str, Row]
    activity: list[Row]
    organisations: dict[str, Row] = field(default_factory=dict)
    #: Indexes built once, so that a large programme costs linear time.
    supersedes: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    amended_at: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    def __post_init__(self) -> None:
        for decision in self.decisions.values():
            if decision["superseded_by"] is not None:
                self.supersedes[decision["superseded_by"]].append(decision["id"])
        for row in self.activity:
            if row["kind"] == views.AMENDED:
                self.amended_at[row["decision_id"]].append(row["occurred_at"])

    def latency(self, decision: Row) -> float | None:
        if decision["decided_at"] is None:
            return None
        return _days_between(decision["proposed_at"], decision["decided_at"])

    def kind(self, organisation_id: str | None) -> str:
        if organisation_id is None:
            return UNRECORDED
        found = self.organisations.get(organisation_id)
        return str(found["kind"]) if found else "unknown"


class DecisionLineageReport:
    """Lineage and coordination of a programme's decisions, read at ``moment``."""

    def __init__(self, store: ViewStore, moment: Moment) -> None:
        self.store = store
        self.moment = moment

    # Reading

    def _facts(self, programme_id: str) -> _Facts:
        params = {"p": programme_id, **self.moment.params}
        decisions = self.store.fetch_all(
            f"SELECT * FROM {self.moment.table(views.DECISIONS.name)} WHERE programme_id = %(p)s"
            " ORDER BY proposed_at, id",
            params,
        )
        activity = self.store.fetch_all(
            f"SELECT * FROM {self.moment.appended(views.ACTIVITY)} WHERE programme_id = %(p)s"
            " ORDER BY recorded_at, decision_id, version",
            params,
        )
        facts = _Facts({row["id"]: row for row in decisions}, activity)
        ids = {row["organisation_id"] for row in activity if row["organisation_id"]}
        facts.organisations = self._by_id(ORGANISATIONS.name, "name, kind", ids)
        return facts

    def _by_id(self, table: str, columns: str, ids: Iterable[str]) -> dict[str, Row]:
        clause, params = in_clause("i", sorted(ids))
        rows = self.store.fetch_all(
            f"SELECT id, {columns} FROM {self.moment.table(table)} WHERE id IN {clause}",
            {**params, **self.moment.params},
        )
        return {row["id"]: row for row in rows}

    def workstreams(self, programme_id: str) -> dict[str, str]:
        """The programme's workstreams at the moment, id to name."""
        rows = self.store.fetch_all(
            f"SELECT id, name FROM {self.moment.table(WORKSTREAMS.name)}"
            " WHERE programme_id = %(p)s ORDER BY name, id",
            {"p": programme_id, **self.moment.params},
        )
        return {row["id"]: row["name"] for row in rows}

    def programme_of(self, decision_id: str) -> str | None:
        row = self.store.fetch_one(
            f"SELECT programme_id FROM {self.moment.table(views.DECISIONS.name)} WHERE id = %(d)s",
            {"d": decision_id, **self.moment.params},
        )
        return None if row is None else str(row["programme_id"])

    # Chains

    def _chain_decision(self, facts: _Facts, decision: Row) -> ChainDecision:
        amended = facts.amended_at.get(decision["id"], [])
        latency = facts.latency(decision)
        return ChainDecision(
            id=decision["id"],
            title=decision["title"],
            status=decision["status"],
            workstream_id=decision["workstream_id"],
            proposing_organisation_id=decision["proposing_organisation_id"],
            proposed_at=decision["proposed_at"],
            decided_at=decision["decided_at"],
            latency_days=None if latency is None else round(latency, 2),
            supersedes=list(facts.supersedes.get(decision["id"], [])),
            superseded_by=decision["superseded_by"],
            superseded_at=decision["superseded_at"],
            amendment_count=len(amended),
            amended_at=sorted(amended),
        )

    @staticmethod
    def _depths(facts: _Facts) -> dict[str, int]:
        """How many supersessions lie before each decision (0 for a first decision)."""
        depth: dict[str, int] = {}

        def of(decision_id: str) -> int:
            if decision_id not in depth:
                depth[decision_id] = 0  # guards against a cycle, which the domain forbids
                earlier = facts.supersedes.get(decision_id, [])
                depth[decision_id] = max((of(d) + 1 for d in earlier), default=0)
            return depth[decision_id]

        for decision_id in facts.decisions:
            of(decision_id)
        return depth

    def _chains(self, facts: _Facts) -> list[Chain]:
        root = {decision_id: decision_id for decision_id in facts.decisions}

        def find(decision_id: str) -> str:
            while root[decision_id] != decision_id:
                decision_id = root[decision_id]
            return decision_id

        for decision in facts.decisions.values():
            later = decision["superseded_by"]
            if later in root:
                root[find(decision["id"])] = find(later)
        members: dict[str, list[Row]] = defaultdict(list)
        for decision in facts.decisions.values():
            members[find(decision["id"])].append(decision)
        depth = self._depths(facts)
        chains = []
        for group in members.values():
            group.sort(key=lambda d: (depth[d["id"]], d["decided_at"] or d["proposed_at"], d["id"]))
            items = [self._chain_decision(facts, d) for d in group]
            head = group[-1]
            chains.append(
                Chain(
                    first_id=group[0]["id"],
                    in_force_id=head["id"] if head["status"] == "decided" else None,
                    length=len(items),
                    amendment_count=sum(item.amendment_count for item in items),
                    decisions=items,
                )
            )
        first_proposed = {d["id"]: (d["proposed_at"], d["id"]) for d in facts.decisions.values()}
        chains.sort(key=lambda chain: first_proposed[chain.first_id])
        return chains

    # Coordination

    def _counts_by_organisation(
        self, facts: _Facts, decision_ids: set[str]
    ) -> dict[str | None, Counts]:
        counts: dict[str | None, Counts] = defaultdict(Counts)
        for decision_id in decision_ids:
            decision = facts.decisions[decision_id]
            counts[decision["proposing_organisation_id"]].proposals += 1
            if decision["decided_at"] is not None:
                counts[decision["decided_by_organisation_id"]].decisions += 1
        objected = {
            (row["decision_id"], row["organisation_id"])
            for row in facts.activity
            if row["kind"] == views.RESPONDED
            and row["stance"] == Stance.OBJECT.value
            and row["decision_id"] in decision_ids
        }
        for _, organisation_id in objected:
            counts[organisation_id].objections += 1
        return counts

    @staticmethod
    def _by_kind(facts: _Facts, counts: dict[str | None, Counts]) -> list[KindCounts]:
        totals: dict[str, Counts] = defaultdict(Counts)
        for organisation_id, count in counts.items():
            total = totals[facts.kind(organisation_id)]
            total.proposals += count.proposals
            total.objections += count.objections
            total.decisions += count.decisions
        return [
            KindCounts(kind, c.proposals, c.objections, c.decisions)
            for kind, c in sorted(totals.items())
        ]

    def _coordination(
        self, facts: _Facts, workstream_id: str | None, name: str | None, programme: _Medians
    ) -> WorkstreamCoordination:
        ids = _in_workstream(facts, workstream_id)
        people, organisations = _participants(facts, ids)
        latency = summarise(_latencies(facts, ids))
        crowded = (
            workstream_id is not None
            and programme.participants is not None
            and programme.latency is not None
            and latency.median_days is not None
            and len(people) > programme.participants
            and latency.median_days > round(programme.latency, 2)
        )
        return WorkstreamCoordination(
            workstream_id=workstream_id,
            name=name,
            decisions=len(ids),
            participants=len(people),
            participant_organisations=len(organisations),
            latency=latency,
            crowded=crowded,
            by_kind=self._by_kind(facts, self._counts_by_organisation(facts, ids)),
        )

    def programme(self, programme_id: str, workstream_id: str | None = None) -> ProgrammeLineage:
        """The programme's chains, latency and coordination; ``workstream_id`` narrows it."""
        facts = self._facts(programme_id)
        names = self.workstreams(programme_id)
        active = [ids for w in names if (ids := _in_workstream(facts, w))]
        medians = _Medians(
            participants=median_or_none([len(_participants(facts, ids)[0]) for ids in active]),
            latency=median_or_none(_latencies(facts, set(facts.decisions))),
        )
        rows = [self._coordination(facts, w, names[w], medians) for w in names]
        if any(d["workstream_id"] is None for d in facts.decisions.values()):
            rows.append(self._coordination(facts, None, None, medians))
        chains = self._chains(facts)
        ids = set(facts.decisions)
        if workstream_id is not None:
            ids = {d for d in ids if facts.decisions[d]["workstream_id"] == workstream_id}
            rows = [row for row in rows if row.workstream_id == workstream_id]
            chains = [
                c for c in chains if any(d.workstream_id == workstream_id for d in c.decisions)
            ]
        counts = self._counts_by_organisation(facts, ids)
        by_organisation = [
            OrganisationCounts(
                organisation_id=organisation_id,
                name=facts.organisations[organisation_id]["name"]
                if organisation_id in facts.organisations
                else None,
                kind=facts.kind(organisation_id),
                proposals=count.proposals,
                objections=count.objections,
                decisions=count.decisions,
            )
            for organisation_id, count in counts.items()
        ]
        by_organisation.sort(key=lambda o: (o.kind, o.name or "", o.organisation_id or ""))
        return ProgrammeLineage(
            programme_id=programme_id,
            workstream_id=workstream_id,
            chains=chains,
            latency=summarise(_latencies(facts, ids)),
            participants_median=medians.participants,
            latency_median_days=None if medians.latency is None else round(medians.latency, 2),
            workstreams=rows,
            by_kind=self._by_kind(facts, counts),
            by_organisation=by_organisation,
        )

    # One decision

    def decision(self, decision_id: str) -> DecisionLineage | None:
        """One decision's chain both ways, its amendments and its timeline; None if unknown."""
        programme_id = self.programme_of(decision_id)
        if programme_id is None:
            return None
        facts = self._facts(programme_id)
        own = facts.decisions[decision_id]
        backwards: list[ChainDecision] = []
        frontier, seen = [decision_id], {decision_id}
        while frontier:
            current = frontier.pop(0)
            for earlier in facts.supersedes.get(current, []):
                if earlier not in seen:
                    seen.add(earlier)
                    backwards.append(self._chain_decision(facts, facts.decisions[earlier]))
                    frontier.append(earlier)
        forwards: list[ChainDecision] = []
        head = own
        while head["superseded_by"] in facts.decisions and head["superseded_by"] not in seen:
            seen.add(head["superseded_by"])
            head = facts.decisions[head["superseded_by"]]
            forwards.append(self._chain_decision(facts, head))
        rows = [row for row in facts.activity if row["decision_id"] == decision_id]
        rows.sort(key=lambda row: row["version"])
        people = self._by_id(PEOPLE.name, "name", {r["person_id"] for r in rows if r["person_id"]})
        return DecisionLineage(
            programme_id=programme_id,
            decision=self._chain_decision(facts, own),
            supersedes=backwards,
            superseded_by=forwards,
            in_force_id=head["id"] if head["status"] == "decided" else None,
            amendments=[
                Amendment(
                    r["occurred_at"], r["recorded_at"], r["reason"], r["person_id"], r["title"]
                )
                for r in rows
                if r["kind"] == views.AMENDED
            ],
            timeline=[_entry(facts, people, row) for row in rows],
        )


@dataclass(frozen=True)
class _Medians:
    participants: float | None = None
    latency: float | None = None


def _in_workstream(facts: _Facts, workstream_id: str | None) -> set[str]:
    return {d["id"] for d in facts.decisions.values() if d["workstream_id"] == workstream_id}


def _participants(facts: _Facts, decision_ids: set[str]) -> tuple[set[str], set[str]]:
    """The people and the organisations active on these decisions (see the module's doc)."""
    rows = [row for row in facts.activity if row["decision_id"] in decision_ids]
    people = {r["person_id"] for r in rows if r["kind"] in PARTICIPATING and r["person_id"]}
    organisations = {
        r["organisation_id"]
        for r in rows
        if r["kind"] in ORGANISATION_PARTICIPATING and r["organisation_id"]
    }
    return people, organisations


def _latencies(facts: _Facts, decision_ids: set[str]) -> list[float]:
    found = (facts.latency(facts.decisions[d]) for d in sorted(decision_ids))
    return [latency for latency in found if latency is not None]


def _entry(facts: _Facts, people: dict[str, Row], row: Row) -> TimelineEntry:
    organisation = facts.organisations.get(row["organisation_id"] or "")
    person = people.get(row["person_id"] or "")
    lag = round(_days_between(row["occurred_at"], row["recorded_at"]), 2)
    return TimelineEntry(
        version=int(row["version"]),
        kind=row["kind"],
        person_id=row["person_id"],
        person_name=person["name"] if person else None,
        organisation_id=row["organisation_id"],
        organisation_name=organisation["name"] if organisation else None,
        organisation_kind=organisation["kind"] if organisation else None,
        related_id=row["related_id"],
        stance=row["stance"],
        reason=row["reason"],
        occurred_at=row["occurred_at"],
        recorded_at=row["recorded_at"],
        recorded_after_days=lag,
        back_dated=lag >= BACK_DATED_AFTER_DAYS,
    )
