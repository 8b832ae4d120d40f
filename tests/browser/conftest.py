"""Page tests: real headless Chromium (Debian's /usr/bin/chromium, driven by Playwright; no
browser is ever downloaded) against a live server on each store, seeded with the
walkthrough's story. Every test fails on any JavaScript console error, and saves
screenshots under var/screenshots/<store>/ to look at."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, Response, sync_playwright

from infra.bootstrap import init_db
from infra.settings import Settings
from tests.browser.site import PASSWORD, Site, running_site
from tests.support.postgres import create_database

CHROMIUM = os.environ.get("CHANGELEDGER_CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


@pytest.fixture(scope="session", params=["sqlite", "postgres"])
def site(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Site]:
    """The walkthrough's story on a live server, once per store for the whole session."""
    env = {
        "CHANGELEDGER_DATA_DIR": str(tmp_path_factory.mktemp("site")),
        "CHANGELEDGER_DB_POOL_SIZE": "8",
    }
    if request.param == "postgres":
        dsn: str = request.getfixturevalue("postgres_dsn")
        env["CHANGELEDGER_DATABASE_URL"] = create_database(dsn, "changeledger_pages")
    settings = Settings.from_env(env)
    init_db(settings)
    with running_site(settings, request.param) as live:
        yield live


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"{CHROMIUM} not found: install Debian's 'chromium' package (bin/test does it as root)"
        )
    with sync_playwright() as playwright:
        # Chromium's sandbox needs user namespaces, which root in a container lacks.
        args = ["--no-sandbox"] if os.geteuid() == 0 else []
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=args)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium: Browser, site: Site) -> Iterator[Page]:
    """A fresh browser tab (its own cookies); the test fails on any console error."""
    context = chromium.new_context(
        base_url=site.base_url,
        viewport={"width": 1280, "height": 900},
        locale="en-GB",
        timezone_id="Europe/London",
    )
    tab = context.new_page()
    errors: list[str] = []
    # Pages answer with the API's status (a refused form 422, an unknown record 404), and
    # Chromium logs each such page as a console error; tests assert those statuses
    # themselves. Any other failed load (a stylesheet, an image) still fails the test.
    pages_with_status: set[str] = set()

    def on_response(response: Response) -> None:
        if response.request.resource_type == "document" and response.status >= 400:
            pages_with_status.add(response.url)

    def on_console(message: ConsoleMessage) -> None:
        url = message.location.get("url")
        if message.type == "error" and not (
            url in pages_with_status and message.text.startswith("Failed to load resource")
        ):
            errors.append(f"console error: {message.text} at {url}")

    tab.on("response", on_response)
    tab.on("console", on_console)
    tab.on("pageerror", lambda exc: errors.append(f"page error: {exc}"))
    yield tab
    context.close()
    assert not errors, errors


def sign_in(page: Page, email: str, next_path: str = "/") -> None:
    page.goto(f"/login?next={next_path}")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def screenshot(page: Page, site: Site, name: str) -> Path:
    path = SCREENSHOTS / site.store / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True)
    return path
