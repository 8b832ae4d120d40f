"""The walkthrough's story: six months of a joint urgent-care programme, told as HTTP calls.

The story is written once, as the API calls a programme board's members would make, and run
two ways (see docs/walkthrough.md):

- ``changeledger demo`` tells it in-process, through Litestar's test client, to seed the
  embedded store, so that ``bin/run`` shows a populated product;
- ``changeledger walkthrough`` tells it over real HTTP to a live server.

Three organisations (an ICB, an acute trust and a mental-health trust) and six people run two
programmes. The story records what the seeds say goes wrong: a shared purpose disputed and
revised, a decision objected to and later superseded, knowledge handed over when a clinical
lead moves on, reviews with an unevidenced rating, and provider commitments that are
renegotiated, delivered, at risk and overdue.

Telling it again records nothing. Every write carries a deterministic ``Idempotency-Key``
(``walkthrough-<step>``), so a second telling against the same store replays each step. A
replay is only recognised when the request body is the same, so no body may depend on when
the story is told: every date counts back from an *anchor*, the day the story's first person
was registered, never from today. People are registered by :func:`ensure_people`, outside
the API, only if their email is new.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol
from uuid import UUID

import httpx

from domain.errors import NotAuthenticated, NotFound
from infra.bootstrap import Container
from services.application import Changeledger

# The cast


@dataclass(frozen=True)
class StoryPerson:
    name: str
    email: str


HELEN = "helen.ashworth@wy-icb.example.org"
TOM = "tom.okafor@wy-icb.example.org"
AISHA = "aisha.begum@wy-icb.example.org"
PRIYA = "priya.raman@lth.example.org"
JAMES = "james.mercer@lth.example.org"
GARETH = "gareth.lloyd@lypft.example.org"

PEOPLE: tuple[StoryPerson, ...] = (
    # ICB: Director of Strategy and Transformation, the urgent care programme's SRO.
    StoryPerson("Helen Ashworth", HELEN),
    # ICB: Senior Commissioning Manager for urgent care, the programme facilitator.
    StoryPerson("Tom Okafor", TOM),
    # ICB: Senior Analyst (business intelligence), the measurement lead.
    StoryPerson("Aisha Begum", AISHA),
    # Leeds Teaching Hospitals: Consultant in Emergency Medicine, the first clinical lead.
    StoryPerson("Dr Priya Raman", PRIYA),
    # Leeds Teaching Hospitals: Consultant in Acute Medicine, her deputy and successor.
    StoryPerson("Dr James Mercer", JAMES),
    # Leeds and York Partnership: Director of Strategy, the trust's named lead.
    StoryPerson("Gareth Lloyd", GARETH),
)

#: Every story person's email: the only people the in-process demo lets in.
EMAILS = frozenset(person.email for person in PEOPLE)

#: The person whose registration anchors the story's dates.
ANCHOR_PERSON = HELEN
#: The story's platform administrator.
ADMINISTRATOR = TOM


def ensure_people(app: Changeledger) -> dict[str, UUID]:
    """Register the story's people whose email is not registered yet. Returns every one's id.

    Recorded as the platform (``by=None``), as ``changeledger people register`` does; a
    second call registers nobody.
    """
    ids: dict[str, UUID] = {}
    for person in PEOPLE:
        try:
            ids[person.email] = app.person_id_by_email(person.email)
        except NotFound:
            ids[person.email] = app.register_person(
                by=None, name=person.name, email=person.email
            ).id
    # Tom keeps the platform's directory for the ICB, which hosts it: he registers the
    # organisations and records who joined them.
    if not app.is_administrator(ids[ADMINISTRATOR]):
        app.grant_administrator(by=None, person_id=ids[ADMINISTRATOR])
    return ids


# How the story talks to the API


class StoryClient(Protocol):
    """The API, as the story uses it. People are named by email; ``as_person`` picks whose
    credentials a request carries. Any answer other than 2xx raises :class:`ApiProblem`."""

    def post(self, path: str, json: Any, *, as_person: str, key: str) -> dict[str, Any]: ...

    def put(self, path: str, json: Any, *, as_person: str, key: str) -> dict[str, Any]: ...

    def get(self, path: str, *, as_person: str) -> dict[str, Any]: ...


class StoryError(Exception):
    """The story cannot go on."""


class ApiProblem(StoryError):
    """The API refused a request; ``problem`` is its RFC 9457 problem-details body."""

    def __init__(self, method: str, path: str, status: int, problem: dict[str, Any]) -> None:
        self.method = method
        self.path = path
        self.status = status
        self.problem = problem
        detail = problem.get("detail") or problem.get("title") or "no details"
        fields = "; ".join(
            f"{error.get('field')}: {error.get('message')}"
            for error in problem.get("errors", [])
            if isinstance(error, dict)
        )
        super().__init__(
            f"{method} {path} answered {status}: {detail}" + (f" ({fields})" if fields else "")
        )


class ApiStoryClient:
    """A :class:`StoryClient` over an ``httpx.Client``: a live server's, or Litestar's
    in-process ``TestClient`` (itself an ``httpx.Client``). ``bearer`` gives each person's
    bearer value: an API token, or what the in-process demo's authenticator accepts.

    A 503 answer (the store was busy; nothing was recorded) is retried after its
    Retry-After, up to ``attempts`` times in all: safe, since every write carries its
    Idempotency-Key. Counts the POSTs sent, the replays among them, and the retries.
    """

    def __init__(
        self,
        http: httpx.Client,
        bearer: Callable[[str], str],
        *,
        attempts: int = 4,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._http = http
        self._bearer = bearer
        self._attempts = attempts
        self._sleep = sleep
        self.writes = 0
        self.replays = 0
        self.retries = 0
        #: The log position of the story's latest write: every request asks the views to
        #: include it (read-your-writes when workers keep the views).
        self.position: str | None = None

    def post(self, path: str, json: Any, *, as_person: str, key: str) -> dict[str, Any]:
        return self._send("POST", path, as_person, json=json, key=key)

    def put(self, path: str, json: Any, *, as_person: str, key: str) -> dict[str, Any]:
        return self._send("PUT", path, as_person, json=json, key=key)

    def get(self, path: str, *, as_person: str) -> dict[str, Any]:
        return self._send("GET", path, as_person)

    def _send(
        self, method: str, path: str, as_person: str, *, json: Any = None, key: str | None = None
    ) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {self._bearer(as_person)}"}
        if key is not None:
            headers["Idempotency-Key"] = key
        if self.position is not None:
            headers["Changeledger-Min-Position"] = self.position
        for attempt in range(1, self._attempts + 1):
            response = self._http.request(method, path, json=json, headers=headers)
            if response.status_code != 503 or attempt == self._attempts:
                break
            self.retries += 1
            self._sleep(_retry_after(response))
        if not response.is_success:
            try:
                problem = response.json()
            except ValueError:
                problem = {"detail": response.text[:500]}
            raise ApiProblem(method, path, response.status_code, problem)
        self.position = response.headers.get("Changeledger-Position", self.position)
        if method == "POST":
            # PUTs need no key to be idempotent: the same settings again record nothing.
            self.writes += 1
            self.replays += response.headers.get("Idempotent-Replayed") == "true"
        body: dict[str, Any] = response.json()
        return body


def _retry_after(response: httpx.Response) -> float:
    """Seconds to wait before retrying, from Retry-After (1 to 10; 1 if absent)."""
    try:
        return min(max(float(response.headers.get("Retry-After", "1")), 1.0), 10.0)
    except ValueError:
        return 1.0


# Dates


@dataclass(frozen=True)
class Clock:
    """Dates counted back from the anchor (midnight UTC of the day the story began).

    Occurred times lie on earlier days, so they are never in the future, and are the same
    text each time the story is told, so replays are recognised.
    """

    anchor: datetime

    @classmethod
    def from_recorded(cls, recorded_at: str) -> Clock:
        moment = datetime.fromisoformat(recorded_at.replace("Z", "+00:00")).astimezone(UTC)
        return cls(moment.replace(hour=0, minute=0, second=0, microsecond=0))

    def at(self, days_ago: int, hour: int = 10, minute: int = 0) -> str:
        """A moment ``days_ago`` days before the anchor day (an occurred_at)."""
        moment = self.anchor - timedelta(days=days_ago) + timedelta(hours=hour, minutes=minute)
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")

    def day(self, days_ago: int) -> str:
        """The date ``days_ago`` days before the anchor day; negative: after it."""
        return (self.anchor - timedelta(days=days_ago)).date().isoformat()

    def spoken(self, days_ago: int) -> str:
        """The same date as a board minute would write it, e.g. '12 March 2026'."""
        moment = self.anchor - timedelta(days=days_ago)
        return f"{moment.day} {moment.strftime('%B %Y')}"


# The story


ICB_NAME = "NHS West Yorkshire ICB"
ACUTE_NAME = "Leeds Teaching Hospitals NHS Trust"
MH_NAME = "Leeds and York Partnership NHS Foundation Trust"
UEC_TITLE = "Urgent and emergency care pathway redesign"
CMH_TITLE = "Community mental health transformation"


def run_story(http: StoryClient, say: Callable[[str], None]) -> dict[str, str]:
    """Tell the story through ``http``, saying one line per step. Returns the ids of its
    main records by name (organisations, programmes, decisions, roles, reviews,
    commitments). Telling it again against the same store records nothing new.
    """
    return _Story(http, say).tell()


def _key(step: str) -> str:
    return f"walkthrough-{step}"


class _Story:
    def __init__(self, http: StoryClient, say: Callable[[str], None]) -> None:
        self.http = http
        self.say = say
        self.ids: dict[str, str] = {}
        self.person: dict[str, str] = {}
        self.clock = Clock(datetime.now(UTC))

    def post(self, path: str, body: Any, *, by: str, step: str) -> dict[str, Any]:
        return self.http.post(path, body, as_person=by, key=_key(step))

    def tell(self) -> dict[str, str]:
        self.meet_the_people()
        self.organisations()
        self.programmes()
        self.shared_purpose()
        self.first_decision()
        self.roles()
        self.first_review()
        self.replacement_decision()
        self.handover()
        self.commitments()
        self.second_review()
        self.community_programme()
        return dict(self.ids)

    # Directory

    def meet_the_people(self) -> None:
        for person in PEOPLE:
            me = self.http.get("/people/me", as_person=person.email)
            self.person[person.email] = me["id"]
            if person.email == ANCHOR_PERSON:
                # The first telling's day: every date of the story counts back from it.
                self.clock = Clock.from_recorded(me["created_at"])
        self.say(
            f"✓ {len(PEOPLE)} people, story dated back from {self.clock.spoken(0)}: "
            + ", ".join(person.name for person in PEOPLE)
        )

    def organisations(self) -> None:
        self.ids["icb"] = self.organisation("icb", ICB_NAME, "commissioner", "QWO")
        self.ids["acute"] = self.organisation("acute", ACUTE_NAME, "provider", "RR8")
        self.ids["mh"] = self.organisation("mh", MH_NAME, "provider", "RGD")
        members = (
            (HELEN, "icb", 0),
            (TOM, "icb", 1),
            (AISHA, "icb", 2),
            (PRIYA, "acute", 3),
            (JAMES, "acute", 4),
            (GARETH, "mh", 5),
        )
        for email, org, step in members:
            self.post(
                f"/people/{self.person[email]}/join",
                {"organisation_id": self.ids[org], "occurred_at": self.clock.at(190, 9 + step)},
                by=ADMINISTRATOR,
                step=f"join-{org}-{step}",
            )
        self.say(
            "✓ Helen, Tom and Aisha joined the ICB, Priya and James Leeds Teaching Hospitals,"
            f" Gareth LYPFT (on {self.clock.spoken(190)})"
        )

    def organisation(self, slug: str, name: str, kind: str, ods_code: str) -> str:
        """Register it, or use the organisation that already holds its ODS code (e.g. one
        registered by following the README's first steps)."""
        try:
            body = self.post(
                "/organisations",
                {"name": name, "kind": kind, "ods_code": ods_code},
                by=TOM,
                step=f"organisation-{slug}",
            )
        except ApiProblem as exc:
            existing = exc.problem.get("existing_id") if exc.status == 409 else None
            if existing is None:
                raise
            body = self.http.get(f"/organisations/{existing}", as_person=TOM)
            if body["kind"] != kind:
                raise StoryError(
                    f"ODS code {ods_code} is already registered to '{body['name']}', a"
                    f" {body['kind']}; the story needs it to be a {kind}"
                ) from None
            self.say(f"✓ {name}: ODS code {ods_code} already registered, so the story uses it")
            return str(body["id"])
        self.say(f"✓ Registered {name} ({kind}, ODS code {ods_code})")
        return str(body["id"])

    def programmes(self) -> None:
        uec = self.post(
            "/programmes",
            {
                "title": UEC_TITLE,
                "lead_commissioner_id": self.ids["icb"],
                "description": (
                    "Redesign urgent and emergency care across Leeds so that people reach the"
                    " right service first time: one front door at the hospitals, same-day"
                    " emergency care, and mental health crisis care alongside."
                ),
            },
            by=HELEN,
            step="programme-uec",
        )
        uec_id = self.ids["uec"] = uec["id"]
        for org in ("acute", "mh"):
            self.post(
                f"/programmes/{uec_id}/participants",
                {"organisation_id": self.ids[org], "role": "provider"},
                by=HELEN,
                step=f"uec-participant-{org}",
            )
        for slug, name in (
            ("hospital", "Hospital services"),
            ("community", "Community care"),
            ("mental-health", "Mental health"),
        ):
            uec = self.post(
                f"/programmes/{uec_id}/workstreams",
                {"name": name},
                by=TOM,
                step=f"uec-workstream-{slug}",
            )
        by_name = {w["name"]: w["id"] for w in uec["workstreams"]}
        self.ids["uec_hospital"] = by_name["Hospital services"]
        self.ids["uec_mental_health"] = by_name["Mental health"]
        self.say(
            f"✓ Programme '{UEC_TITLE}' led by the ICB with both trusts;"
            " workstreams: hospital services, community care, mental health"
        )

        cmh = self.post(
            "/programmes",
            {
                "title": CMH_TITLE,
                "lead_commissioner_id": self.ids["icb"],
                "description": (
                    "Community mental health hubs aligned to primary care networks, and"
                    " alternatives to admission for people in crisis."
                ),
            },
            by=HELEN,
            step="programme-cmh",
        )
        cmh_id = self.ids["cmh"] = cmh["id"]
        self.post(
            f"/programmes/{cmh_id}/participants",
            {"organisation_id": self.ids["mh"], "role": "provider"},
            by=HELEN,
            step="cmh-participant-mh",
        )
        for slug, name in (
            ("hubs", "Primary care mental health hubs"),
            ("crisis", "Crisis alternatives"),
        ):
            self.post(
                f"/programmes/{cmh_id}/workstreams",
                {"name": name},
                by=GARETH,
                step=f"cmh-workstream-{slug}",
            )
        self.say(f"✓ Programme '{CMH_TITLE}' led by the ICB with LYPFT")

    # Shared purpose: drafted, disputed, revised, endorsed by all, adopted

    def shared_purpose(self) -> None:
        c = self.clock
        path = f"/programmes/{self.ids['uec']}/shared-purpose"
        statement = self.post(
            path,
            {
                "text": (
                    "Reduce avoidable A&E attendances across Leeds by redirecting patients to"
                    " urgent treatment centres and primary care."
                ),
                "occurred_at": c.at(175),
            },
            by=HELEN,
            step="uec-purpose-draft",
        )
        self.ids["uec_shared_purpose"] = statement["id"]
        self.say(f"✓ Helen (ICB) drafts shared purpose v1 on {c.spoken(175)}")
        self.post(
            f"{path}/endorsements",
            {"organisation_id": self.ids["icb"], "version": 1, "occurred_at": c.at(168)},
            by=HELEN,
            step="uec-purpose-v1-icb",
        )
        self.post(
            f"{path}/endorsements",
            {"organisation_id": self.ids["mh"], "version": 1, "occurred_at": c.at(165)},
            by=GARETH,
            step="uec-purpose-v1-mh",
        )
        self.say("✓ The ICB and LYPFT endorse v1")
        reason = (
            "It measures success by fewer A&E attendances. That moves pressure onto the"
            " emergency department's front door without the community and mental health"
            " capacity to absorb it, and says nothing about what patients need."
        )
        self.post(
            f"{path}/disputes",
            {
                "organisation_id": self.ids["acute"],
                "version": 1,
                "reason": reason,
                "occurred_at": c.at(163),
            },
            by=PRIYA,
            step="uec-purpose-v1-acute-dispute",
        )
        self.say(
            "✓ Leeds Teaching Hospitals disputes shared purpose v1: judging success by fewer"
            " A&E attendances moves pressure onto its front door"
        )
        self.post(
            f"{path}/revisions",
            {
                "text": (
                    "Everyone in Leeds who needs urgent care, for their physical or mental"
                    " health, gets the right care first time and in the right place, with"
                    " hospital, community and mental health services working as one pathway."
                ),
                "occurred_at": c.at(150),
            },
            by=TOM,
            step="uec-purpose-revise",
        )
        self.say("✓ Tom (ICB) revises it: v2 speaks of the right care first time, as one pathway")
        for org, email, days in (("acute", PRIYA, 147), ("mh", GARETH, 146), ("icb", HELEN, 145)):
            self.post(
                f"{path}/endorsements",
                {"organisation_id": self.ids[org], "version": 2, "occurred_at": c.at(days)},
                by=email,
                step=f"uec-purpose-v2-{org}",
            )
        self.say("✓ Leeds Teaching Hospitals, LYPFT and the ICB endorse v2")
        self.post(
            f"{path}/adoptions",
            {
                "version": 2,
                "rationale": (
                    f"Endorsed by all three organisations; adopted at the programme board on"
                    f" {c.spoken(140)}."
                ),
                "occurred_at": c.at(140, 14),
            },
            by=HELEN,
            step="uec-purpose-adopt-v2",
        )
        self.say(f"✓ The board adopts v2 on {c.spoken(140)}, with every organisation aligned")

    # Decisions: one objected to and taken, later superseded by a better one

    def first_decision(self) -> None:
        c = self.clock
        decision = self.post(
            f"/programmes/{self.ids['uec']}/decisions",
            {
                "title": "One front door for walk-in urgent care at St James's and the LGI",
                "rationale": (
                    "Stream every walk-in patient at a single front door to the urgent"
                    " treatment centre, same-day emergency care or the emergency department,"
                    " so that the emergency department sees those who need it."
                ),
                "organisation_id": self.ids["icb"],
                "options": [
                    "Single front door with GP-led streaming",
                    "Separate urgent treatment centre entrance",
                    "No change",
                ],
                "components": ["delivery", "system_drivers"],
                "workstream_id": self.ids["uec_hospital"],
                "occurred_at": c.at(160),
            },
            by=TOM,
            step="decision-front-door-propose",
        )
        decision_id = self.ids["decision_front_door"] = decision["id"]
        path = f"/decisions/{decision_id}"
        for org in ("acute", "mh"):
            self.post(
                f"{path}/consultations",
                {"organisation_id": self.ids[org], "occurred_at": c.at(158)},
                by=TOM,
                step=f"decision-front-door-consult-{org}",
            )
        self.say("✓ The ICB proposes one front door; both trusts are consulted")
        self.post(
            f"{path}/responses",
            {"organisation_id": self.ids["acute"], "stance": "support", "occurred_at": c.at(152)},
            by=PRIYA,
            step="decision-front-door-acute-supports",
        )
        objection = (
            "People in mental health crisis would still be streamed into the emergency"
            " department's waiting room: the front door has no mental health assessment, and"
            " our liaison team was not part of the design."
        )
        self.post(
            f"{path}/responses",
            {
                "organisation_id": self.ids["mh"],
                "stance": "object",
                "reason": objection,
                "occurred_at": c.at(151),
            },
            by=GARETH,
            step="decision-front-door-mh-objects",
        )
        self.say("✓ Leeds Teaching Hospitals supports; LYPFT objects: no crisis assessment")
        self.post(
            f"{path}/take",
            {"authority": f"UEC programme board {c.day(133)}", "occurred_at": c.at(133, 15)},
            by=HELEN,
            step="decision-front-door-take",
        )
        self.say(f"✓ The board takes the decision on {c.spoken(133)}, over LYPFT's objection")

    def replacement_decision(self) -> None:
        c = self.clock
        decision = self.post(
            f"/programmes/{self.ids['uec']}/decisions",
            {
                "title": "One front door with a mental health crisis assessment service alongside",
                "rationale": (
                    "Keeps the single front door, and adds a crisis assessment space staffed"
                    " by the liaison psychiatry team around the clock, so that people in"
                    " crisis are seen there rather than streamed into the emergency department."
                ),
                "organisation_id": self.ids["mh"],
                "options": [
                    "Crisis assessment space beside the front door",
                    "Liaison team in the emergency department only",
                ],
                "components": ["delivery", "engagement", "system_drivers"],
                "workstream_id": self.ids["uec_mental_health"],
                "occurred_at": c.at(85),
            },
            by=GARETH,
            step="decision-crisis-door-propose",
        )
        decision_id = self.ids["decision_crisis_door"] = decision["id"]
        path = f"/decisions/{decision_id}"
        for org in ("icb", "acute"):
            self.post(
                f"{path}/consultations",
                {"organisation_id": self.ids[org], "occurred_at": c.at(84)},
                by=GARETH,
                step=f"decision-crisis-door-consult-{org}",
            )
        for org, email, days in (("icb", TOM, 80), ("acute", JAMES, 78)):
            self.post(
                f"{path}/responses",
                {"organisation_id": self.ids[org], "stance": "support", "occurred_at": c.at(days)},
                by=email,
                step=f"decision-crisis-door-{org}-supports",
            )
        self.say("✓ LYPFT proposes adding crisis assessment at the front door; all support")
        self.post(
            f"{path}/take",
            {"authority": f"UEC programme board {c.day(70)}", "occurred_at": c.at(70, 15)},
            by=HELEN,
            step="decision-crisis-door-take",
        )
        self.post(
            f"/decisions/{self.ids['decision_front_door']}/supersede",
            {"superseded_by": decision_id},
            by=HELEN,
            step="decision-front-door-superseded",
        )
        self.say(
            f"✓ Taken on {c.spoken(70)}; it supersedes the first front-door decision"
            " (linked both ways)"
        )

    # Roles, and the clinical lead's handover

    def roles(self) -> None:
        uec = self.ids["uec"]
        definitions: tuple[tuple[str, dict[str, Any], str, str | None], ...] = (
            ("sro", {"kind": "sro", "critical": True}, HELEN, TOM),
            ("clinical_lead", {"kind": "clinical_lead", "critical": True}, PRIYA, JAMES),
            ("facilitator", {"kind": "programme_facilitator"}, TOM, None),
            ("measurement_lead", {"kind": "measurement_lead"}, AISHA, None),
            (
                "lead_icb",
                {"kind": "organisation_lead", "organisation_id": self.ids["icb"]},
                TOM,
                None,
            ),
            (
                "lead_acute",
                {"kind": "organisation_lead", "organisation_id": self.ids["acute"]},
                PRIYA,
                None,
            ),
            (
                "lead_mh",
                {"kind": "organisation_lead", "organisation_id": self.ids["mh"]},
                GARETH,
                None,
            ),
        )
        for slug, definition, holder, deputy in definitions:
            role = self.post(
                f"/programmes/{uec}/roles", definition, by=HELEN, step=f"uec-role-{slug}"
            )
            self.ids[f"role_{slug}"] = role["id"]
            self.post(
                f"/roles/{role['id']}/assignment",
                {
                    "holder_id": self.person[holder],
                    "deputy_id": self.person[deputy] if deputy else None,
                },
                by=HELEN,
                step=f"uec-role-{slug}-assign",
            )
        self.say(
            "✓ Roles: SRO Helen (deputy Tom) and clinical lead Priya (deputy James), both"
            " critical; facilitator Tom; measurement lead Aisha; a named lead per organisation"
        )
        cmh_sro = self.post(
            f"/programmes/{self.ids['cmh']}/roles",
            {"kind": "sro", "critical": True},
            by=GARETH,
            step="cmh-role-sro",
        )
        self.ids["role_cmh_sro"] = cmh_sro["id"]
        self.post(
            f"/roles/{cmh_sro['id']}/assignment",
            {"holder_id": self.person[GARETH]},
            by=GARETH,
            step="cmh-role-sro-assign",
        )
        self.say("✓ Community mental health: Gareth is SRO, with no deputy")

    def handover(self) -> None:
        c = self.clock
        self.post(
            f"/roles/{self.ids['role_clinical_lead']}/handovers",
            {
                "to_person_id": self.person[JAMES],
                "knowledge_items": [
                    "Front-door streaming protocol and its agreed exceptions",
                    "Consultant rota agreements for the front door",
                    "Same-day emergency care pilot data and its caveats",
                    "Working relationship with the liaison psychiatry team",
                ],
                "outgoing_reachable": True,
                "occurred_at": c.at(50),
            },
            by=PRIYA,
            step="uec-clinical-lead-handover",
        )
        self.say(
            f"✓ Handover on {c.spoken(50)}: Priya hands the clinical lead to her deputy James"
            " with 4 knowledge items (she stays reachable); the role now has no deputy"
        )

    # Reviews against the NHS Change Model

    def first_review(self) -> None:
        c = self.clock
        uec = self.ids["uec"]
        self.http.put(
            f"/programmes/{uec}/framework",
            {
                "labels": {
                    "measurement": "Knowing how we are doing",
                    "system_drivers": "Contracts, money and rules",
                },
                "review_interval_days": 90,
            },
            as_person=TOM,
            key=_key("uec-framework"),
        )
        self.say(
            "✓ The programme reviews every 90 days, in its clinicians' words for two components"
        )
        review = self.post(
            f"/programmes/{uec}/reviews",
            {
                "held_on": c.day(120),
                "reviewer_ids": [self.person[e] for e in (TOM, PRIYA, GARETH, AISHA)],
                "ratings": [
                    {
                        "component": "shared_purpose",
                        "rating": 4,
                        "evidence": [
                            f"Version 2 endorsed by all three organisations; adopted on"
                            f" {c.spoken(140)}",
                            "The acute trust's dispute of version 1 is on record with its reason",
                        ],
                    },
                    {
                        "component": "leadership",
                        "rating": 3,
                        "evidence": ["SRO and clinical lead named, each with a deputy"],
                    },
                    {
                        "component": "engagement",
                        "rating": 4,
                        "evidence": [
                            "Front-door design workshops with emergency department nurses"
                            " and the liaison psychiatry team"
                        ],
                    },
                    {
                        "component": "measurement",
                        "rating": 2,
                        "evidence": [
                            "Each organisation reports its own figures; no shared definition"
                            " of a redirected attendance"
                        ],
                        "actions": [
                            {
                                "description": (
                                    "Agree one shared dashboard: 4-hour and 12-hour waits,"
                                    " ambulance handovers, crisis response times"
                                ),
                                "owner_id": self.person[AISHA],
                                "due_on": c.day(90),
                            }
                        ],
                    },
                    {
                        "component": "delivery",
                        "rating": 3,
                        "evidence": ["Milestone plan agreed; streaming pilot two weeks late"],
                    },
                    # Rated, but with neither evidence nor actions: counted as unevidenced.
                    {"component": "system_drivers", "rating": 2},
                ],
            },
            by=TOM,
            step="uec-review-1",
        )
        review_id = self.ids["review_uec_1"] = review["id"]
        self.say(
            f"✓ First review on {c.spoken(120)}: 6 components rated; measurement 2 with an"
            " action for Aisha; system drivers rated 2 with no evidence (unevidenced)"
        )
        rating = next(r for r in review["ratings"] if r["component"] == "measurement")
        index = rating["actions"][0]["index"]
        self.post(
            f"/reviews/{review_id}/actions/{index}/complete",
            {
                "completed_on": c.day(92),
                "note": "Dashboard agreed at the analysts' group; first release published",
            },
            by=AISHA,
            step="uec-review-1-dashboard-done",
        )
        self.say(f"✓ Aisha completes the dashboard action on {c.spoken(92)}")

    def second_review(self) -> None:
        c = self.clock
        review = self.post(
            f"/programmes/{self.ids['uec']}/reviews",
            {
                "held_on": c.day(28),
                "reviewer_ids": [self.person[e] for e in (HELEN, JAMES, GARETH, AISHA)],
                "ratings": [
                    {
                        "component": "shared_purpose",
                        "rating": 4,
                        "evidence": ["No organisation has disputed the adopted version"],
                    },
                    {
                        "component": "leadership",
                        "rating": 3,
                        "evidence": [
                            "Clinical lead handed over to Dr James Mercer with a recorded"
                            " handover; the role has had no deputy since"
                        ],
                        "actions": [
                            {
                                "description": "Name a deputy clinical lead",
                                "owner_id": self.person[JAMES],
                                "due_on": c.day(-14),
                            }
                        ],
                    },
                    {
                        "component": "measurement",
                        "rating": 4,
                        "evidence": [
                            "Shared urgent care dashboard published monthly to all three boards"
                        ],
                    },
                    {
                        "component": "delivery",
                        "rating": 3,
                        "evidence": [
                            "Front door live at St James's; the LGI go-live has slipped a month"
                        ],
                    },
                    {
                        "component": "system_drivers",
                        "rating": 3,
                        "evidence": [
                            "CQUIN for same-day emergency care opening hours in the contract"
                        ],
                        "actions": [
                            {
                                "description": (
                                    "Agree a contract lever for crisis assessment times in"
                                    " next year's mental health contract"
                                ),
                                "owner_id": self.person[HELEN],
                                "due_on": c.day(-60),
                            }
                        ],
                    },
                    # Unevidenced again: spread is the component nobody works on.
                    {"component": "spread", "rating": 2},
                ],
            },
            by=HELEN,
            step="uec-review-2",
        )
        self.ids["review_uec_2"] = review["id"]
        self.say(
            f"✓ Second review on {c.spoken(28)}: measurement up from 2 to 4; spread rated"
            " without evidence; an action to name a deputy clinical lead"
        )

    # Commitments from the providers to the ICB

    def commitments(self) -> None:
        c = self.clock
        icb, acute, mh, uec = (self.ids[k] for k in ("icb", "acute", "mh", "uec"))

        # Accepted, progressing, at risk, then renegotiated: the original date is kept.
        sdec = self.make(
            "sdec",
            PRIYA,
            {
                "provider_id": acute,
                "commissioner_id": icb,
                "what": "Open same-day emergency care 12 hours a day, 7 days a week",
                "measure": "Share of the medical take streamed to SDEC, monthly; target 30%",
                "due_date": c.day(-14),
                "contract_lever": "CQUIN",
                "programme_id": uec,
                "occurred_at": c.at(130),
            },
        )
        self.accept("sdec", sdec)
        self.post(
            f"/commitments/{sdec}/progress",
            {
                "percent": 40,
                "note": "Weekday 12-hour opening live; weekend consultant cover not recruited",
            },
            by=PRIYA,
            step="commitment-sdec-progress",
        )
        self.post(
            f"/commitments/{sdec}/at-risk",
            {"reason": "Two acute physician posts still unfilled after a second advert"},
            by=PRIYA,
            step="commitment-sdec-at-risk",
        )
        self.post(
            f"/commitments/{sdec}/renegotiate",
            {
                "new_due_date": c.day(-75),
                "reason": (
                    "Agreed at the contract review: weekend opening moves to the end of the"
                    " quarter once both posts are filled; the CQUIN milestone moves with it"
                ),
            },
            by=TOM,
            step="commitment-sdec-renegotiate",
        )
        self.say(
            "✓ Leeds Teaching Hospitals commits to 7-day SDEC (CQUIN); accepted, 40% done,"
            f" at risk, then renegotiated from {c.day(-14)} to {c.day(-75)}"
        )

        # Delivered on time, tied to the decision it came from.
        crisis = self.make(
            "crisis",
            GARETH,
            {
                "provider_id": mh,
                "commissioner_id": icb,
                "what": "Mental health crisis assessment at the front door within 1 hour",
                "measure": "% of front-door referrals to liaison psychiatry seen within 1 hour;"
                " target 90%",
                "due_date": c.day(20),
                "contract_lever": "KPI",
                "programme_id": uec,
                "decision_id": self.ids["decision_crisis_door"],
                "occurred_at": c.at(68),
            },
        )
        self.accept("crisis", crisis)
        self.post(
            f"/commitments/{crisis}/progress",
            {"percent": 70, "note": "Crisis assessment space open; night rota filled"},
            by=GARETH,
            step="commitment-crisis-progress",
        )
        self.post(
            f"/commitments/{crisis}/deliver",
            {
                "evidence": "Liaison audit: 92% of 611 referrals seen within 1 hour",
                "occurred_at": c.at(24),
            },
            by=GARETH,
            step="commitment-crisis-deliver",
        )
        self.say("✓ LYPFT commits to crisis assessment within 1 hour (KPI); delivered on time")

        # At risk, flagged by the commissioner.
        handovers = self.make(
            "handovers",
            PRIYA,
            {
                "provider_id": acute,
                "commissioner_id": icb,
                "what": "Ambulance handovers within 30 minutes",
                "measure": "95% of handovers under 30 minutes, monthly",
                "due_date": c.day(-30),
                "contract_lever": "KPI",
                "programme_id": uec,
                "occurred_at": c.at(110),
            },
        )
        self.accept("handovers", handovers)
        self.post(
            f"/commitments/{handovers}/progress",
            {"percent": 55, "note": "Handover cohorting area open at St James's"},
            by=PRIYA,
            step="commitment-handovers-progress",
        )
        self.post(
            f"/commitments/{handovers}/at-risk",
            {"reason": "Handover delays rising again with bed occupancy above 97%"},
            by=TOM,
            step="commitment-handovers-at-risk",
        )
        self.say(
            "✓ Leeds Teaching Hospitals commits to 30-minute ambulance handovers (KPI);"
            " 55% done; the ICB flags it at risk"
        )

        # Overdue: due in the past and still open (nobody has recorded an outcome).
        hubs = self.make(
            "hubs",
            GARETH,
            {
                "provider_id": mh,
                "commissioner_id": icb,
                "what": "Open two community mental health hubs aligned to primary care networks",
                "measure": "Both hubs taking referrals from their primary care networks",
                "due_date": c.day(14),
                "contract_lever": "CQUIN",
                "programme_id": self.ids["cmh"],
                "occurred_at": c.at(170),
            },
        )
        self.accept("hubs", hubs)
        self.post(
            f"/commitments/{hubs}/progress",
            {"percent": 60, "note": "Armley hub open; the Seacroft hub is waiting on estates"},
            by=GARETH,
            step="commitment-hubs-progress",
        )
        self.say(
            f"✓ LYPFT commits to two community hubs by {c.day(14)} (CQUIN); 60% done, now overdue"
        )

    def make(self, slug: str, by: str, body: dict[str, Any]) -> str:
        made = self.post("/commitments", body, by=by, step=f"commitment-{slug}")
        commitment_id = self.ids[f"commitment_{slug}"] = str(made["id"])
        return commitment_id

    def accept(self, slug: str, commitment_id: str) -> None:
        self.post(
            f"/commitments/{commitment_id}/accept",
            None,
            by=TOM,
            step=f"commitment-{slug}-accept",
        )

    # The second programme: a purpose not yet shared, and a thin review

    def community_programme(self) -> None:
        c = self.clock
        cmh = self.ids["cmh"]
        path = f"/programmes/{cmh}/shared-purpose"
        statement = self.post(
            path,
            {
                "text": (
                    "People with severe mental illness get care close to home from one"
                    " community team, without being passed between services."
                ),
                "occurred_at": c.at(100),
            },
            by=GARETH,
            step="cmh-purpose-draft",
        )
        self.ids["cmh_shared_purpose"] = statement["id"]
        self.post(
            f"{path}/endorsements",
            {"organisation_id": self.ids["mh"], "version": 1, "occurred_at": c.at(98)},
            by=GARETH,
            step="cmh-purpose-v1-mh",
        )
        self.say("✓ Community mental health: LYPFT drafts and endorses a purpose; the ICB has not")
        review = self.post(
            f"/programmes/{cmh}/reviews",
            {
                "held_on": c.day(60),
                "reviewer_ids": [self.person[GARETH], self.person[HELEN]],
                "ratings": [
                    {
                        "component": "shared_purpose",
                        "rating": 2,
                        "evidence": ["Drafted by the trust; the ICB has not taken a position"],
                    },
                    {
                        "component": "engagement",
                        "rating": 4,
                        "evidence": [
                            "Co-production sessions with service users and carers in Armley"
                            " and Seacroft"
                        ],
                    },
                    {
                        "component": "measurement",
                        "rating": 2,
                        "evidence": ["No baseline for waits from referral to first contact"],
                        "actions": [
                            {
                                "description": "Baseline waits from referral to first contact",
                                "owner_id": self.person[AISHA],
                                "due_on": c.day(30),
                            }
                        ],
                    },
                    {"component": "system_drivers", "rating": 1},
                ],
            },
            by=GARETH,
            step="cmh-review-1",
        )
        self.ids["review_cmh_1"] = review["id"]
        self.say(
            f"✓ Community mental health review on {c.spoken(60)}: 4 components, system"
            " drivers unevidenced, Aisha's baseline action still open"
        )


def seed_in_process(
    container: Container, say: Callable[[str], None]
) -> tuple[dict[str, str], ApiStoryClient]:
    """What ``changeledger demo`` does: tell the story to the API in-process, as its people.

    Registers the built-in frameworks and the story's people if missing, then runs the story
    through Litestar's test client with :func:`demo_authenticator` instead of API tokens,
    so that nothing is issued. Returns the story's ids and the client (with its counts).
    """
    from litestar.testing import TestClient

    from services.api.app import create_app

    container.app.ensure_builtin_frameworks()
    people = ensure_people(container.app)
    app = create_app(container, authenticate=demo_authenticator(people))
    with TestClient(app=app) as http:
        client = ApiStoryClient(http, demo_bearer(people))
        return run_story(client, say), client


def demo_authenticator(people: Mapping[str, UUID]) -> Callable[[str], UUID]:
    """What the in-process demo accepts instead of API tokens: "demo:<person id>", for the
    story's people only. Nothing is issued, so telling the story again records nothing."""
    allowed = {str(person_id): person_id for person_id in people.values()}

    def authenticate(secret: str) -> UUID:
        scheme, _, person_id = secret.partition(":")
        if scheme != "demo" or person_id not in allowed:
            raise NotAuthenticated("only the demo's own people may use the demo's client")
        return allowed[person_id]

    return authenticate


def demo_bearer(people: Mapping[str, UUID]) -> Callable[[str], str]:
    """The bearer value each story person presents to the in-process demo."""
    return lambda email: f"demo:{people[email]}"
