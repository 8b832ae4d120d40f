"""The access matrix: every operation of the API, called by every kind of caller, on the
records of a programme they belong to and of one they must not see.

The cells are generated from the OpenAPI schema (every operation, so a new endpoint joins the
matrix by itself) and the callers of ``access_world``. What each cell must answer is stated
here, from the operation's shape and a few named groups, independently of the policy table
the app enforces (services/api/access.py), so the two check each other:

- reads of a programme's records: 200 for its readers (members of participating
  organisations, its auditors, platform administrators), 404 for everyone else;
- writes there: refused with 403 for an auditor, 404 for non-readers; setting the programme
  up is for administrators and the lead commissioner's members (403 for other readers);
- the directory and lists are for anyone signed in, and no response ever carries the id of
  a record of a programme the caller cannot read;
- administration is for administrators only (403);
- nothing answers without a token (401), except the health check.

Writes are sent with a body that cannot be parsed into a request and an ``If-Match`` that
cannot match, so an allowed cell shows that access was granted (the request got as far as
validation: 400, 409 or 422) while changing nothing; a refused cell must record nothing. The
rules inside a programme (acting for one's own organisation, the two sides of a commitment)
are the use cases', tested per area.
"""

from __future__ import annotations

import json
import re
from typing import Any
from uuid import UUID

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from infra.bootstrap import Container
from services.api.app import create_app
from tests.e2e import access_world as w
from tests.e2e.test_api_operations import OPERATIONS

#: A write let through the policy: it stopped at validation or a version check (400, 409,
#: 422), or, with no body and no version to check, was done (200).
GRANTED_WRITE = {200, 400, 409, 422}

#: Programme set-up: administrators and members of the lead commissioner.
SETUP = {
    "updateProgramme",
    "addParticipant",
    "removeParticipant",
    "setProgrammeFramework",
}
#: Platform administration, whatever record it names.
ADMINISTRATION = {
    "registerOrganisation",
    "renameOrganisation",
    "mergeOrganisation",
    "dissolveOrganisation",
    "registerPerson",
    "joinOrganisation",
    "leaveOrganisation",
    "grantAdministrator",
    "revokeAdministrator",
    "appointAuditor",
    "removeAuditor",
    "issueToken",
    "registerFramework",
    "erasePerson",
}
#: Only the person themself and administrators (the path names the lead's member).
SELF_OR_ADMINISTRATOR = {"listPersonTokens", "revokeToken", "setPersonAbout"}
#: An organisation's own report (the path names the lead commissioner).
OWN_ORGANISATION = {"getCommitmentTracker"}
#: Organisation-confidential notes (the path names the lead commissioner or its note): its
#: members only; to anyone else, administrators and auditors included, there are none.
OWNING_ORGANISATION = {
    "writeConfidentialNote",
    "listConfidentialNotes",
    "getConfidentialNote",
    "confidentialNoteHistory",
    "reviseConfidentialNote",
    "withdrawConfidentialNote",
}
OWNERS = {"p": w.LEAD_MEMBER, "q": w.OUTSIDER}
#: Commands with no body that only the commitment's commissioner may give: the use case
#: refuses everyone else with 403 (the matrix sees it, as no body stops the request first).
COMMISSIONER_COMMANDS = {"acceptCommitment"}
COMMISSIONERS = {"p": w.LEAD_MEMBER, "q": w.OUTSIDER}
#: Path parameters that put an operation inside a programme.
PROGRAMME_SCOPED = re.compile(
    r"\{(programme_id|decision_id|role_id|review_id|commitment_id|alert_id)\}"
)

READERS = {
    "p": {w.ADMINISTRATOR, w.LEAD_MEMBER, w.PROVIDER_ON_COMMITMENT, w.OTHER_PROVIDER, w.AUDITOR},
    "q": {w.ADMINISTRATOR, w.OUTSIDER},
}
SETTERS_UP = {"p": {w.ADMINISTRATOR, w.LEAD_MEMBER}, "q": {w.ADMINISTRATOR, w.OUTSIDER}}
AUDITORS = {"p": {w.AUDITOR}, "q": set()}


def expected(operation: str, method: str, path: str, caller: str, target: str) -> str:
    """'ok' (200), 'granted' (a write let through to validation), or a refusal status."""
    if operation == "health":
        return "ok"
    if caller == w.ANONYMOUS:
        return "401"
    write = method != "get"
    allowed = "granted" if write else "ok"
    if operation in ADMINISTRATION:
        return allowed if caller == w.ADMINISTRATOR else "403"
    if operation in SELF_OR_ADMINISTRATOR:
        return allowed if caller in (w.ADMINISTRATOR, w.LEAD_MEMBER) else "403"
    if operation in OWNING_ORGANISATION:
        return allowed if caller == OWNERS[target] else "404"
    if operation in OWN_ORGANISATION:
        return allowed if caller in (w.ADMINISTRATOR, w.LEAD_MEMBER) else "403"
    if not PROGRAMME_SCOPED.search(path):
        return allowed
    if caller not in READERS[target]:
        return "404"
    if operation in SETUP:
        return allowed if caller in SETTERS_UP[target] else "403"
    if write and caller in AUDITORS[target]:
        return "403"
    if operation in COMMISSIONER_COMMANDS and caller != COMMISSIONERS[target]:
        return "403"
    return allowed


@pytest.fixture
def world(container: Container) -> w.World:
    return w.build(container)


def _url(path: str, world: w.World, target: str, spare_token_id: str) -> str:
    programme = world.p if target == "p" else world.q
    people = world.people
    values = {
        **programme.ids,
        "organisation_id": programme["lead_id"],
        "person_id": str(people[w.LEAD_MEMBER]),
        "key": "nhs-change-model-2018",
        "number": "1",
        "index": "0",
        "token_id": spare_token_id,
    }
    if path.endswith("/participants/{organisation_id}"):
        values["organisation_id"] = str(world.other_provider_id(target))
    if path.endswith("/auditors/{person_id}"):
        values["person_id"] = str(people[w.AUDITOR])
    url = re.sub(r"\{(\w+)\}", lambda m: values[m.group(1)], path)
    if path.endswith("/offboarding-impact"):
        url += f"?person_id={people[w.LEAD_MEMBER]}"
    return url


def _events(client: TestClient[Litestar]) -> int:
    count: int = client.get("/health").json()["events"]
    return count


def _order(operation: str, method: str, path: str, target: str) -> list[str]:
    """Refused callers first, so an allowed write (e.g. revoking the spare token) cannot
    change what a refused cell sees."""
    outcomes = {c: expected(operation, method, path, c, target) for c in w.CALLERS}
    return sorted(w.CALLERS, key=lambda c: outcomes[c] in ("ok", "granted"))


def test_every_operation_answers_every_caller_as_the_policy_says(
    container: Container, world: w.World
) -> None:
    spare_token_id = world.spare_token_id(container)
    failures: list[str] = []
    cells = 0
    with TestClient(app=create_app(container)) as client:
        for (method, path), operation in sorted(OPERATIONS.items()):
            scoped = PROGRAMME_SCOPED.search(path) or operation in OWNING_ORGANISATION
            targets = ("p", "q") if scoped else ("p",)
            for target in targets:
                url = _url(path, world, target, spare_token_id)
                for caller in _order(operation, method, path, target):
                    cells += 1
                    want = expected(operation, method, path, caller, target)
                    got = _call(client, world, caller, method, url)
                    problem = _judge(want, got, caller, world, target)
                    if problem:
                        failures.append(
                            f"{operation} {method.upper()} {url} as {caller}: {problem}"
                        )
    assert cells > 500
    assert not failures, "\n".join(failures)


def _call(
    client: TestClient[Litestar], world: w.World, caller: str, method: str, url: str
) -> tuple[int, str, int]:
    """(status, body, events recorded by the call)."""
    headers = {}
    if caller != w.ANONYMOUS:
        headers["Authorization"] = f"Bearer {world.tokens[caller]}"
    before = _events(client)
    if method == "get":
        response = client.get(url, headers=headers)
    else:
        headers.update({"If-Match": '"999999"', "Content-Type": "application/json"})
        # Valid JSON that no request body accepts: a granted write stops at validation.
        response = client.request(method.upper(), url, content=b'"not a request"', headers=headers)
    return response.status_code, response.text, _events(client) - before


def _judge(
    want: str, got: tuple[int, str, int], caller: str, world: w.World, target: str
) -> str | None:
    status, body, recorded = got
    if want == "ok":
        if status != 200:
            return f"expected 200, got {status}: {body[:200]}"
    elif want == "granted":
        if status not in GRANTED_WRITE:
            return f"expected access granted (400/409/422), got {status}: {body[:200]}"
    elif str(status) != want:
        return f"expected {want}, got {status}: {body[:200]}"
    if want not in ("ok", "granted") and recorded:
        return f"refused, yet {recorded} events were recorded"
    if status == 200:
        return _leak(body, caller, world)
    return None


def _leak(body: str, caller: str, world: w.World) -> str | None:
    """A response must not name a record of a programme the caller cannot read."""
    hidden = set()
    if caller not in READERS["p"]:
        hidden |= world.secrets_of_p
    if caller not in READERS["q"]:
        hidden |= world.secrets_of_q
    hidden |= {note for owner, note in world.notes.items() if owner != caller}
    found = sorted(secret for secret in hidden if secret in body)
    return f"the response names records it must not: {found}" if found else None


def test_the_matrix_names_every_caller_and_both_programmes(world: w.World) -> None:
    assert set(world.tokens) == set(w.CALLERS) - {w.ANONYMOUS}
    assert not world.secrets_of_p & world.secrets_of_q
    assert all(UUID(value) for value in world.secrets_of_p | world.secrets_of_q)
    assert json.dumps(sorted(READERS["p"] & READERS["q"])) == json.dumps([w.ADMINISTRATOR])


def test_every_route_the_app_serves_has_an_access_rule(client: Any) -> None:
    from litestar.routes import HTTPRoute

    from services.api.access import RULES

    handlers = [
        (route.path, handler)
        for route in client.app.routes
        if isinstance(route, HTTPRoute)
        # Public files: the API documentation and the pages' stylesheet.
        and not route.path.startswith(("/schema", "/docs-assets", "/static"))
        for handler in route.route_handlers
        # Litestar's own OPTIONS answers carry no operation.
        if not set(handler.http_methods) <= {"OPTIONS", "HEAD"}
    ]

    unruled = [path for path, handler in handlers if handler.operation_id not in RULES]
    assert handlers
    assert not unruled
    assert set(OPERATIONS.values()) <= set(RULES)
