"""A world for the access matrix: two programmes that must not see each other, and a caller
for every kind of standing.

Programme P ("Urgent care"): led by the ICB, with providers A and B; a workstream, a shared
purpose, a decision, a critical role left vacant (so an alert), a review with an action, and
a commitment that A made to the ICB. An auditor from an audit organisation is appointed to P.
Programme Q ("Elective recovery"): led by another commissioner, D, with provider E; the same
kinds of record. Nobody in P's organisations belongs to Q's, and the other way round.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from uuid import UUID

from domain.review import ActionEntry, RatingEntry
from infra.bootstrap import Container
from projections.alerts_queries import AlertFilter, AlertQueries
from projections.temporal import Moment

#: The callers of the matrix, by the standing they have.
ANONYMOUS = "anonymous"
ADMINISTRATOR = "administrator"
LEAD_MEMBER = "lead commissioner's member"
PROVIDER_ON_COMMITMENT = "provider on the commitment"
OTHER_PROVIDER = "other provider in the programme"
AUDITOR = "auditor of the programme"
OUTSIDER = "member of the other programme"
CALLERS = (
    ANONYMOUS,
    ADMINISTRATOR,
    LEAD_MEMBER,
    PROVIDER_ON_COMMITMENT,
    OTHER_PROVIDER,
    AUDITOR,
    OUTSIDER,
)


@dataclass
class Programme:
    """One programme's ids, by the path parameter that names them."""

    ids: dict[str, str] = field(default_factory=dict)

    def __getitem__(self, name: str) -> str:
        return self.ids[name]


@dataclass
class World:
    p: Programme
    q: Programme
    people: dict[str, UUID]
    tokens: dict[str, str]
    #: Ids that belong to each programme's records, to look for in responses.
    secrets_of_p: set[str]
    secrets_of_q: set[str]
    #: A provider in each programme other than its lead (one that could be removed).
    providers: dict[str, UUID]
    #: Each confidential note's id, by the one caller whose organisation owns it.
    notes: dict[str, str]

    def other_provider_id(self, target: str) -> UUID:
        return self.providers[target]

    def spare_token_id(self, container: Container) -> str:
        """A token of the lead's member that the matrix may revoke."""
        _, token = container.app.issue_token(
            by=None, person_id=self.people[LEAD_MEMBER], label="spare"
        )
        return str(token.id)


def _days_ahead(days: int) -> date:
    return datetime.now(UTC).date() + timedelta(days=days)


def _person(container: Container, name: str, email: str, organisation_id: UUID | None) -> UUID:
    app = container.app
    person = app.register_person(by=None, name=name, email=email)
    if organisation_id is not None:
        app.join_organisation(by=None, person_id=person.id, organisation_id=organisation_id)
    return person.id


def _programme(
    container: Container,
    *,
    title: str,
    lead_id: UUID,
    provider_id: UUID,
    member: UUID,
    provider_member: UUID,
    others: tuple[UUID, ...] = (),
) -> Programme:
    app = container.app
    programme = app.create_programme(
        by=None, title=title, description="", lead_commissioner_id=lead_id
    )
    pid = programme.id
    for organisation_id in (provider_id, *others):
        app.add_participant(
            by=None, programme_id=pid, organisation_id=organisation_id, role="provider"
        )
    _, workstream = app.add_workstream(by=None, programme_id=pid, name="Front door")
    statement = app.draft_shared_purpose(by=member, programme_id=pid, text=f"{title}: one plan")
    decision = app.propose_decision(
        by=member,
        programme_id=pid,
        organisation_id=lead_id,
        title=f"{title}: single front door",
        rationale="Fewer handoffs",
        workstream_id=workstream.id,
    )
    role = app.define_role(by=member, programme_id=pid, kind="sro", critical=True)
    review = app.record_review(
        by=member,
        programme_id=pid,
        reviewer_ids=[member],
        ratings=[
            RatingEntry(
                component="measurement",
                rating=3,
                evidence=["Dashboard live"],
                actions=[ActionEntry("Agree KPIs", member, _days_ahead(30))],
            )
        ],
    )
    commitment = app.make_commitment(
        by=provider_member,
        provider_id=provider_id,
        commissioner_id=lead_id,
        what=f"{title}: 24/7 streaming",
        measure="Streaming in place",
        due_date=_days_ahead(60),
        programme_id=pid,
    )
    # The lead commissioner's own assessment of its provider: for its members only.
    note = app.write_confidential_note(
        by=member,
        organisation_id=lead_id,
        subject_kind="organisation",
        subject_id=provider_id,
        title="Provider assessment",
        text=f"{title}: delivery risk is high",
    )
    return Programme(
        {
            "programme_id": str(pid),
            "decision_id": str(decision.id),
            "role_id": str(role.id),
            "review_id": str(review.id),
            "commitment_id": str(commitment.id),
            "statement_id": str(statement.id),
            "lead_id": str(lead_id),
            "note_id": str(note.id),
        }
    )


def build(container: Container) -> World:
    app = container.app
    app.ensure_builtin_frameworks(by=None)
    register = app.register_organisation
    icb = register(by=None, name="West Yorkshire ICB", kind="commissioner").id
    provider_a = register(by=None, name="Leeds Teaching Hospitals", kind="provider").id
    provider_b = register(by=None, name="Leeds Community Healthcare", kind="provider").id
    commissioner_d = register(by=None, name="Humber ICB", kind="commissioner").id
    provider_e = register(by=None, name="Hull University Teaching Hospitals", kind="provider").id
    audit_body = register(by=None, name="Audit Yorkshire", kind="partner").id

    people = {
        ADMINISTRATOR: _person(container, "Ada Admin", "ada@example.org", None),
        LEAD_MEMBER: _person(container, "Helen Lead", "helen@icb.example.org", icb),
        PROVIDER_ON_COMMITMENT: _person(container, "Priya A", "priya@a.example.org", provider_a),
        OTHER_PROVIDER: _person(container, "Bola B", "bola@b.example.org", provider_b),
        AUDITOR: _person(container, "Arun Auditor", "arun@audit.example.org", audit_body),
        OUTSIDER: _person(container, "Dana D", "dana@d.example.org", commissioner_d),
    }
    e_member = _person(container, "Eli E", "eli@e.example.org", provider_e)
    app.grant_administrator(by=None, person_id=people[ADMINISTRATOR])

    p = _programme(
        container,
        title="Urgent care",
        lead_id=icb,
        provider_id=provider_a,
        member=people[LEAD_MEMBER],
        provider_member=people[PROVIDER_ON_COMMITMENT],
        others=(provider_b,),
    )
    q = _programme(
        container,
        title="Elective recovery",
        lead_id=commissioner_d,
        provider_id=provider_e,
        member=people[OUTSIDER],
        provider_member=e_member,
    )
    app.appoint_auditor(by=None, programme_id=UUID(p["programme_id"]), person_id=people[AUDITOR])
    # The critical roles are vacant: the scheduled job raises an alert in each programme.
    app.flag_vacant_critical_roles(now=datetime.now(UTC))
    container.catch_up()
    alerts = AlertQueries(container.views)
    for programme in (p, q):
        where = AlertFilter(programme_id=programme["programme_id"])
        page = alerts.list_alerts(where, Moment(None), limit=1, offset=0)
        programme.ids["alert_id"] = str(page.items[0]["id"])
    tokens = {
        caller: app.issue_token(by=None, person_id=person_id, label="matrix")[0]
        for caller, person_id in people.items()
    }
    return World(
        p=p,
        q=q,
        people=people,
        tokens=tokens,
        secrets_of_p={v for k, v in p.ids.items() if k not in ("lead_id", "note_id")},
        secrets_of_q={v for k, v in q.ids.items() if k not in ("lead_id", "note_id")},
        notes={LEAD_MEMBER: p["note_id"], OUTSIDER: q["note_id"]},
        providers={"p": provider_b, "q": provider_e},
    )
