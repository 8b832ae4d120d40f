"""Failed logins are limited per email and per client address; the password can be changed."""

from __future__ import annotations

from dataclasses import replace
from uuid import UUID

from litestar import Litestar
from litestar.testing import TestClient

from infra.bootstrap import Container
from services.api.app import create_app
from services.web.security import WebSecurity, build_web_security
from tests.e2e.browser_support import EMAIL, PASSWORD, form_token, sign_in
from tests.support.clock import FakeClock
from tests.support.redis import running_redis

Browser = TestClient[Litestar]
NEW_PASSWORD = "a much longer new passphrase"


def fail_logins(browser: Browser, times: int, email: str = EMAIL) -> None:
    for _ in range(times):
        assert sign_in(browser, email=email, password="wrong guess here").status_code == 401


def test_five_failed_logins_lock_the_email_out_even_with_the_right_password(
    browser: Browser, ada: UUID
) -> None:
    fail_logins(browser, 5)

    locked = sign_in(browser)

    assert locked.status_code == 429
    assert locked.headers["content-type"].startswith("application/problem+json")
    assert 0 < int(locked.headers["retry-after"]) <= 15 * 60
    assert locked.json()["status"] == 429
    assert "too many failed logins" in locked.json()["detail"]


def test_a_lockout_ends_when_the_window_has_passed(
    browser: Browser, ada: UUID, clock: FakeClock
) -> None:
    fail_logins(browser, 5)
    clock.advance(14 * 60)
    still_locked = sign_in(browser)

    clock.advance(60)
    recovered = sign_in(browser)

    assert still_locked.status_code == 429
    assert recovered.status_code == 303


def test_four_failures_then_a_success_start_the_count_again(
    browser: Browser, ada: UUID, container: Container
) -> None:
    fail_logins(browser, 4)
    assert sign_in(browser).status_code == 303

    fail_logins(browser, 1)

    assert sign_in(browser).status_code == 303


def test_failures_from_one_address_lock_it_out_for_every_email(
    browser: Browser, ada: UUID, web: WebSecurity
) -> None:
    web.settings = replace(web.settings, max_address_failures=3)
    for n in range(3):
        fail_logins(browser, 1, email=f"guess{n}@example.org")

    assert sign_in(browser).status_code == 429


def test_a_few_failures_from_a_shared_address_lock_nobody_else_out(
    browser: Browser, ada: UUID
) -> None:
    for n in range(10):  # ten colleagues behind one NAT address, each mistyping once
        fail_logins(browser, 1, email=f"colleague{n}@example.org")

    assert sign_in(browser).status_code == 303


def test_changing_ones_password_needs_the_current_one_and_ends_other_sessions(
    browser: Browser, ada: UUID, container: Container
) -> None:
    sign_in(browser)
    token = form_token(browser.get("/"))
    other = TestClient(app=browser.app, base_url="https://testserver.local")
    with other:
        sign_in(other)
        assert other.get("/people/me").status_code == 200
        headers = {"X-CSRF-Token": token}

        wrong = browser.post(
            "/people/me/password",
            json={"current_password": "not it at all", "new_password": NEW_PASSWORD},
            headers=headers,
        )
        short = browser.post(
            "/people/me/password",
            json={"current_password": PASSWORD, "new_password": "too short"},
            headers=headers,
        )
        changed = browser.post(
            "/people/me/password",
            json={"current_password": PASSWORD, "new_password": NEW_PASSWORD},
            headers=headers,
        )

        assert wrong.status_code == 422
        assert wrong.json()["errors"][0]["field"] == "current_password"
        assert short.status_code == 422
        assert short.json()["errors"][0] == {
            "field": "new_password",
            "message": "must be at least 12 characters long",
        }
        assert changed.status_code == 204, changed.text
        assert other.get("/people/me").status_code == 401
        assert browser.get("/people/me").status_code == 200
    assert sign_in(browser).status_code == 401
    assert sign_in(browser, password=NEW_PASSWORD).status_code == 303


def test_changing_ones_password_with_a_session_needs_the_csrf_token(
    browser: Browser, ada: UUID
) -> None:
    sign_in(browser)

    response = browser.post(
        "/people/me/password",
        json={"current_password": PASSWORD, "new_password": NEW_PASSWORD},
    )

    assert response.status_code == 403
    assert sign_in(browser).status_code == 303


def test_repeated_wrong_current_passwords_are_locked_out(client: Browser, ada_id: UUID) -> None:
    # ``client`` is bearer-authenticated as Ada (tests/e2e/conftest.py), who has no password.
    for _ in range(5):
        attempt = client.post(
            "/people/me/password",
            json={"current_password": "some guess!!", "new_password": NEW_PASSWORD},
        )
        assert attempt.status_code == 422

    locked = client.post(
        "/people/me/password",
        json={"current_password": "some guess!!", "new_password": NEW_PASSWORD},
    )

    assert locked.status_code == 429
    assert "retry-after" in locked.headers


def test_sign_in_answers_503_while_redis_is_down_and_api_tokens_still_work(
    container: Container, ada: UUID
) -> None:
    secret, _ = container.app.issue_token(by=None, person_id=ada, label="script")
    with running_redis() as server:
        settings = replace(
            container.settings,
            background=replace(container.settings.background, redis_url=server.url),
        )
        web = build_web_security(settings)
        with TestClient(app=create_app(container, web=web)) as browser:
            server.stop()
            down = sign_in(browser)
            bearer = browser.get("/people/me", headers={"Authorization": f"Bearer {secret}"})

    assert down.status_code == 503
    assert down.headers["retry-after"] == "5"
    assert "session store is not reachable" in down.json()["detail"]
    assert bearer.status_code == 200
