"""Every page under /web, for every kind of caller, on two programmes that must not see each
other: the pages decide access exactly as the API does (ADR 13, ADR 14).

The expectations are stated here, apart from the app's policy table: a programme's pages are
read by its readers and answer 404 to everyone else, as if nothing were there; an
organisation's tracker is for its members (403 for others); a signed-out browser is sent to
sign in. A refused request records nothing, and no page shows a record of a programme its
reader cannot see.
"""

from __future__ import annotations

import re

from litestar import Litestar
from litestar.routes import HTTPRoute
from litestar.testing import TestClient

from infra.bootstrap import Container
from services.api.access import RULES
from services.api.app import create_app
from tests.e2e import access_world as w
from tests.e2e.test_access_matrix import PROGRAMME_SCOPED, READERS, _events, _leak, _url

#: Pages any signed-in person opens (their lists narrowed to what they may read).
SIGNED_IN = {
    "portfolioPage",
    "portfolioResiliencePage",
    "organisationHistoryPage",
    "personHistoryPage",
}
#: "My commitments" sends a member of an organisation on to its tracker; the world's
#: administrator belongs to none and is told so.
MY_COMMITMENTS = "myCommitmentsPage"
#: A form with no fields to fill: the commitment's commissioner accepts it (and it records),
#: anyone else who reads the programme is refused by the use case.
ACCEPT = "acceptCommitmentPage"
COMMISSIONERS = {"p": w.LEAD_MEMBER, "q": w.OUTSIDER}
#: An organisation's own tracker (the path names P's lead commissioner).
OWN_ORGANISATION = {"commitmentTrackerPage": {w.ADMINISTRATOR, w.LEAD_MEMBER}}
AUDITORS = {"p": {w.AUDITOR}, "q": set()}
#: What a form a caller may send can answer: the page again with the refusal (an empty form
#: is never valid), or the use case's own refusal.
FORM_ANSWERS = {403, 409, 422}


def expected(operation: str, method: str, path: str, caller: str, target: str) -> str:
    if caller == w.ANONYMOUS:
        return "sign in"
    if operation in SIGNED_IN:
        return "200"
    if operation == MY_COMMITMENTS:
        return "200" if caller == w.ADMINISTRATOR else "on to the tracker"
    if operation in OWN_ORGANISATION:
        return "200" if caller in OWN_ORGANISATION[operation] else "403"
    assert PROGRAMME_SCOPED.search(path), f"{operation}: a page with no expectation"
    if caller not in READERS[target]:
        return "404"
    if method == "post":
        if caller in AUDITORS[target]:
            return "403"
        return "done" if operation == ACCEPT and caller == COMMISSIONERS[target] else "form"
    return "200"


def _pages(app: Litestar) -> list[tuple[str, str, str]]:
    return sorted(
        (method.lower(), route.path_format, handler.operation_id or "")
        for route in app.routes
        if isinstance(route, HTTPRoute) and route.path.startswith("/web/")
        for handler in route.route_handlers
        for method in handler.http_methods - {"OPTIONS", "HEAD"}
    )


def test_every_page_answers_every_caller_as_the_api_would(container: Container) -> None:
    world = w.build(container)
    spare_token_id = world.spare_token_id(container)
    failures: list[str] = []
    cells = 0
    with TestClient(app=create_app(container)) as client:
        pages = _pages(client.app)
        for method, path, operation in pages:
            scoped = PROGRAMME_SCOPED.search(path) is not None
            for target in ("p", "q") if scoped else ("p",):
                url = _url(path, world, target, spare_token_id)
                for caller in w.CALLERS:
                    cells += 1
                    want = expected(operation, method, path, caller, target)
                    problem = _judge(client, world, caller, method, url, want, target)
                    if problem:
                        failures.append(
                            f"{operation} {method.upper()} {url} as {caller}: {problem}"
                        )
    # Every page the policy names is in the matrix (the sign-in pages are outside /web).
    assert {operation for _, _, operation in pages} == {
        operation for operation in RULES if operation.endswith("Page")
    } - {"homePage", "loginPage"}
    assert cells > 300
    assert not failures, "\n".join(failures)


def _judge(
    client: TestClient[Litestar],
    world: w.World,
    caller: str,
    method: str,
    url: str,
    want: str,
    target: str,
) -> str | None:
    headers = {} if caller == w.ANONYMOUS else {"Authorization": f"Bearer {world.tokens[caller]}"}
    before = _events(client)
    if method == "get":
        response = client.get(url, headers=headers, follow_redirects=False)
    else:
        response = client.post(url, headers=headers, data={}, follow_redirects=False)
    recorded = _events(client) - before
    status = response.status_code
    location = response.headers.get("location", "")
    if want == "done":
        return None if status == 303 and "done=" in location else f"expected done, got {status}"
    if recorded:
        return f"{recorded} events were recorded (answered {status})"
    if want == "on to the tracker":
        tracker = re.fullmatch(r"/web/organisations/[0-9a-f-]{36}/commitments", location)
        return None if status == 303 and tracker else f"expected the tracker, got {status}"
    if want == "sign in":
        if status != 303 or not location.startswith("/login?next="):
            return f"expected a redirect to sign in, got {status} {location}"
        return None
    if want == "form":
        return None if status in FORM_ANSWERS else f"expected a refused form, got {status}"
    if str(status) != want:
        return f"expected {want}, got {status}: {_text(response.text)}"
    if status == 200:
        return _leak(response.text, caller, world)
    return None


def _text(html: str) -> str:
    detail = re.search(r'class="error-detail"[^>]*>([^<]*)<', html)
    return detail.group(1) if detail else html[:120]
