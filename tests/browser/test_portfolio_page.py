"""The portfolio page, as a board member uses it in a browser."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

from playwright.sync_api import Page, expect

from services.walkthrough import HELEN
from tests.browser.conftest import screenshot, sign_in
from tests.browser.site import Site


def figure(page: Page, name: str) -> str:
    return page.locator(f'[data-figure="{name}"]').inner_text().strip()


def column(page: Page, table: str, key: str) -> list[str]:
    cells = page.locator(f'table[data-table="{table}"] td[data-column="{key}"]')
    return [text.strip() for text in cells.all_inner_texts()]


def test_signing_in_opens_the_portfolio_with_the_apis_figures(page: Page, site: Site) -> None:
    sign_in(page, HELEN)

    expect(page).to_have_url(f"{site.base_url}/web/portfolio")
    expect(page.get_by_role("heading", name="Portfolio")).to_be_visible()
    api = site.get_json(HELEN, "/portfolio")
    assert figure(page, "programmes") == str(api["totals"]["programmes"])
    assert figure(page, "overdue_commitments") == str(api["totals"]["overdue_commitments"])
    assert column(page, "programmes", "title") == [item["title"] for item in api["items"]]
    assert column(page, "programmes", "bus_factor") == [
        str(item["bus_factor"]) for item in api["items"]
    ]
    assert column(page, "programmes", "overdue_commitments") == [
        str(item["overdue_commitments"]) for item in api["items"]
    ]
    expect(page.locator("svg#endorsement-chart")).to_be_visible()
    screenshot(page, site, "portfolio")


def test_a_column_heading_sorts_the_portfolio_as_the_api_does(page: Page, site: Site) -> None:
    sign_in(page, HELEN, "/web/portfolio")

    page.get_by_role("link", name="Bus factor").click()
    page.wait_for_load_state()

    api = site.get_json(HELEN, "/portfolio", sort="bus_factor", order="desc")
    assert "sort=bus_factor" in page.url
    assert column(page, "programmes", "title") == [item["title"] for item in api["items"]]
    assert page.locator('th[aria-sort="descending"]').inner_text().startswith("Bus factor")
    screenshot(page, site, "portfolio-sorted")


def test_the_portfolio_table_downloads_as_csv_with_the_same_rows(page: Page, site: Site) -> None:
    sign_in(page, HELEN, "/web/portfolio")

    with page.expect_download() as download:
        page.get_by_role("link", name="Download CSV of Programmes").click()
    text = download.value.path().read_text(encoding="utf-8-sig")

    rows = list(csv.DictReader(io.StringIO(text)))
    api = site.get_json(HELEN, "/portfolio")
    assert [row["Programme"] for row in rows] == [item["title"] for item in api["items"]]
    assert [row["Bus factor"] for row in rows] == [str(i["bus_factor"]) for i in api["items"]]
    assert download.value.suggested_filename == "portfolio-programmes.csv"


def test_the_as_of_form_shows_the_portfolio_as_it_stood_on_a_past_date(
    page: Page, site: Site
) -> None:
    sign_in(page, HELEN, "/web/portfolio")
    # The story was recorded today (its own dates are in the records), so at the end of
    # yesterday the ledger held none of it.
    day = (datetime.now(UTC).date() - timedelta(days=1)).isoformat()

    page.get_by_label("As of", exact=True).fill(day)
    page.get_by_role("button", name="Show").click()
    page.wait_for_load_state()

    api = site.get_json(HELEN, "/portfolio", as_of=f"{day}T23:59:59.999999Z")
    expect(page.locator(".as-of-banner")).to_contain_text(f"as of the end of {day}")
    assert figure(page, "programmes") == str(api["totals"]["programmes"]) == "0"
    expect(page.locator('table[data-table="programmes"]')).to_contain_text("No programme")
    screenshot(page, site, "portfolio-as-of")


def test_a_precise_as_of_time_in_the_address_matches_the_api(page: Page, site: Site) -> None:
    sign_in(page, HELEN)
    programmes = site.get_json(HELEN, "/programmes")["items"]
    # Just after the first programme was created: the second did not exist yet.
    first = min(programmes, key=lambda programme: programme["created_at"])
    at = first["created_at"]

    page.goto(f"/web/portfolio?as_of={at.replace('+', '%2B')}")

    api = site.get_json(HELEN, "/portfolio", as_of=at)
    assert column(page, "programmes", "title") == [item["title"] for item in api["items"]]
    assert figure(page, "programmes") == str(api["totals"]["programmes"])


def test_a_signed_out_browser_is_sent_to_sign_in_and_brought_back(page: Page, site: Site) -> None:
    page.goto("/web/portfolio?sort=stale")

    expect(page).to_have_url(f"{site.base_url}/login?next=%2Fweb%2Fportfolio%3Fsort%3Dstale")
    page.get_by_label("Email").fill(HELEN)
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Sign in").click()

    expect(page).to_have_url(f"{site.base_url}/web/portfolio?sort=stale")
