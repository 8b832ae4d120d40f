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
_FAILED_TO_LOAD = "Failed to load resource: the server responded with a status of"


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
    errors: list[tuple[str, str]] = []
    documents: set[str] = set()

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            errors.append((message.text, message.location.get("url", "")))

    def on_response(response: Response) -> None:
        if response.request.resource_type == "document":
            documents.add(response.url)

    tab.on("console", on_console)
    tab.on("response", on_response)
    tab.on("pageerror", lambda exc: errors.append((f"page error: {exc}", "")))
    yield tab
    context.close()
    # A page answered with an error status (a refused form's 422, a 404 page) makes Chromium
    # log that the document "failed to load": that is the page's answer, which the test
    # checks, not a script error. A stylesheet or image that fails to load still counts.
    unexpected = [
        f"console error: {text} at {url}"
        for text, url in errors
        if not (text.startswith(_FAILED_TO_LOAD) and url.split("#")[0] in documents)
    ]
    assert not unexpected, unexpected


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
