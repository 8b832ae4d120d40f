"""Browser sign-in: login and logout pages, the session cookie, CSRF, session expiry."""

from __future__ import annotations

from uuid import UUID

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from infra.bootstrap import Container
from services.web.security import WebSecurity
from tests.e2e.browser_support import EMAIL, PASSWORD, form_token, set_cookie_headers, sign_in
from tests.support.clock import FakeClock

Browser = TestClient[Litestar]
SESSION = "__Host-changeledger_session"


def session_cookie_header(response_headers: list[str]) -> str:
    [header] = [h for h in response_headers if h.startswith(f"{SESSION}=")]
    return header


def test_login_sets_a_secure_httponly_samesite_lax_session_cookie(
    browser: Browser, ada: UUID
) -> None:
    response = sign_in(browser)

    assert response.status_code == 303
    assert response.headers["location"] == "/"
    header = session_cookie_header(set_cookie_headers(response)).lower()
    assert "httponly" in header
    assert "secure" in header
    assert "samesite=lax" in header
    assert "path=/" in header
    assert "domain=" not in header
    assert "max-age=28800" in header


def test_the_home_page_takes_a_signed_in_person_to_the_portfolio_under_their_name(
    browser: Browser, ada: UUID
) -> None:
    sign_in(browser)

    page = browser.get("/")

    assert page.status_code == 200
    assert str(page.url).endswith("/web/portfolio")
    assert '<div class="viewer">\n      <span>Ada Admin</span>' in page.text


@pytest.mark.parametrize("path", ["/login", "/"])
def test_pages_are_never_cached_or_framed(browser: Browser, ada: UUID, path: str) -> None:
    sign_in(browser)

    page = browser.get(path)

    assert page.status_code == 200
    assert page.headers["cache-control"] == "no-store"
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    assert page.headers["x-frame-options"] == "DENY"


def test_a_signed_out_browser_is_sent_to_the_login_page(browser: Browser) -> None:
    response = browser.get("/", follow_redirects=False)

    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/"


def test_a_wrong_password_and_an_unknown_email_get_the_same_answer(
    browser: Browser, ada: UUID
) -> None:
    wrong_password = sign_in(browser, password="not the password at all")
    unknown_email = sign_in(browser, email="nobody@example.org")

    assert wrong_password.status_code == unknown_email.status_code == 401
    assert "The email or password is wrong." in wrong_password.text
    assert form_token(wrong_password) != form_token(unknown_email)
    assert wrong_password.text.replace(form_token(wrong_password), "") == (
        unknown_email.text.replace(form_token(unknown_email), "")
    )
    assert not any(h.startswith(SESSION) for h in set_cookie_headers(wrong_password))


def test_a_login_without_the_forms_csrf_token_is_refused(browser: Browser, ada: UUID) -> None:
    browser.get("/login")

    response = browser.post(
        "/login",
        data={"email": EMAIL, "password": PASSWORD, "csrf_token": "forged"},
        follow_redirects=False,
    )

    assert response.status_code == 403
    assert not any(h.startswith(SESSION) for h in set_cookie_headers(response))


def test_the_session_cookie_authenticates_api_reads(browser: Browser, ada: UUID) -> None:
    sign_in(browser)

    me = browser.get("/people/me")

    assert me.status_code == 200
    assert me.json()["id"] == str(ada)


def test_an_erased_persons_session_ends_with_their_erasure(
    browser: Browser, ada: UUID, container: Container
) -> None:
    sign_in(browser)
    grace = container.app.register_person(by=None, name="Grace", email="grace@example.org")
    container.app.set_password(by=None, person_id=grace.id, password="correct horse battery")
    graces = TestClient(app=browser.app, base_url="https://testserver.local")
    with graces:
        sign_in(graces, email="grace@example.org", password="correct horse battery")
        before = graces.get("/people/me")
        container.app.erase_person(by=ada, person_id=grace.id, reason="ER-1")
        after = graces.get("/people/me")

    assert before.status_code == 200
    assert after.status_code == 401
    assert browser.get("/people/me").status_code == 200


def test_a_cookie_authenticated_post_needs_the_sessions_csrf_token(
    browser: Browser, ada: UUID
) -> None:
    sign_in(browser)
    token = form_token(browser.get("/"))
    body = {"name": "Leeds Teaching Hospitals", "kind": "provider"}

    without = browser.post("/organisations", json=body)
    forged = browser.post("/organisations", json=body, headers={"X-CSRF-Token": "forged"})
    with_token = browser.post("/organisations", json=body, headers={"X-CSRF-Token": token})

    assert without.status_code == 403
    assert without.headers["content-type"].startswith("application/problem+json")
    assert "CSRF" in without.json()["detail"]
    assert forged.status_code == 403
    assert with_token.status_code == 201, with_token.text
    listed = browser.get("/organisations").json()
    assert [o["name"] for o in listed["items"]] == ["Leeds Teaching Hospitals"]


def test_a_cookie_authenticated_form_post_may_carry_the_token_as_a_field(
    browser: Browser, ada: UUID
) -> None:
    sign_in(browser)
    token = form_token(browser.get("/"))

    without = browser.post("/organisations", data={"name": "Leeds", "kind": "provider"})
    with_field = browser.post(
        "/organisations", data={"name": "Leeds", "kind": "provider", "csrf_token": token}
    )

    assert without.status_code == 403
    # Past the CSRF check, to the handler, which takes only JSON bodies.
    assert with_field.status_code == 400, with_field.text
    assert with_field.json()["title"] == "Malformed JSON"


def test_a_bearer_token_post_needs_no_csrf_token(
    browser: Browser, container: Container, ada: UUID
) -> None:
    secret, _ = container.app.issue_token(by=None, person_id=ada, label="script")

    response = browser.post(
        "/organisations",
        json={"name": "Leeds Teaching Hospitals", "kind": "provider"},
        headers={"Authorization": f"Bearer {secret}"},
    )

    assert response.status_code == 201, response.text


def test_logout_ends_the_session_on_the_server(browser: Browser, ada: UUID) -> None:
    sign_in(browser)
    stolen = browser.cookies[SESSION]
    token = form_token(browser.get("/"))

    out = browser.post("/logout", data={"csrf_token": token}, follow_redirects=False)
    browser.cookies.set(SESSION, stolen, domain="testserver.local")
    replayed = browser.get("/people/me")

    assert out.status_code == 303
    assert out.headers["location"] == "/login"
    assert any(
        h.startswith(f"{SESSION}=;") or "max-age=0" in h.lower() for h in set_cookie_headers(out)
    )
    assert replayed.status_code == 401


def test_logout_without_the_forms_csrf_token_is_refused(browser: Browser, ada: UUID) -> None:
    sign_in(browser)

    response = browser.post("/logout", data={"csrf_token": "forged"}, follow_redirects=False)

    assert response.status_code == 403
    assert browser.get("/people/me").status_code == 200


def test_signing_in_again_ends_the_previous_session_and_issues_a_new_id(
    browser: Browser, ada: UUID
) -> None:
    sign_in(browser)
    first = browser.cookies[SESSION]

    sign_in(browser)
    second = browser.cookies[SESSION]
    browser.cookies.set(SESSION, first, domain="testserver.local")

    assert second != first
    assert browser.get("/people/me").status_code == 401


def test_an_idle_session_is_refused(browser: Browser, ada: UUID, clock: FakeClock) -> None:
    sign_in(browser)
    clock.advance(29 * 60)
    still_active = browser.get("/people/me")

    clock.advance(30 * 60)
    idle = browser.get("/people/me")

    assert still_active.status_code == 200
    assert idle.status_code == 401
    assert "session has ended" in idle.json()["detail"]


def test_a_session_past_its_lifetime_is_refused_however_active(
    browser: Browser, ada: UUID, clock: FakeClock
) -> None:
    sign_in(browser)
    for _ in range(16):  # active every 29 minutes, for 7 h 44 min
        clock.advance(29 * 60)
        assert browser.get("/people/me").status_code == 200

    clock.advance(20 * 60)

    assert browser.get("/people/me").status_code == 401


def test_a_revoked_session_is_refused(browser: Browser, ada: UUID, web: WebSecurity) -> None:
    sign_in(browser)

    web.sessions.end_all_for(ada)

    assert browser.get("/people/me").status_code == 401


@pytest.mark.parametrize(
    ("next_", "lands_on"),
    [
        ("/programmes?limit=5", "/programmes?limit=5"),
        ("https://evil.example/", "/"),
        ("//evil.example/", "/"),
        ("/\\evil.example/", "/"),
        ("javascript:alert(1)", "/"),
        ("/\r\nSet-Cookie: x=1", "/"),
    ],
)
def test_after_login_only_a_local_path_is_followed(
    browser: Browser, ada: UUID, next_: str, lands_on: str
) -> None:
    response = sign_in(browser, next=next_)

    assert response.status_code == 303
    assert response.headers["location"] == lands_on


def test_the_login_page_escapes_what_it_echoes(browser: Browser) -> None:
    page = browser.get("/login", params={"next": '/"><script>alert(1)</script>'})

    assert "<script>alert(1)</script>" not in page.text
    assert "&lt;script&gt;" in page.text
