"""The audit view: any record's history, version by version, in a browser."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlparse

from playwright.sync_api import Page, expect

from services.walkthrough import GARETH, HELEN, PRIYA
from tests.browser.conftest import screenshot, sign_in
from tests.browser.site import Site


def figure(page: Page, name: str) -> str:
    return page.locator(f'[data-figure="{name}"]').inner_text().strip()


def column(page: Page, table: str, key: str) -> list[str]:
    cells = page.locator(f'table[data-table="{table}"] td[data-column="{key}"]')
    return [text.strip() for text in cells.all_inner_texts()]


def test_a_decisions_history_lists_every_version_the_api_has(page: Page, site: Site) -> None:
    decision = site.ids["decision_front_door"]
    sign_in(page, HELEN, f"/web/decisions/{decision}")

    page.get_by_role("link", name="History of this decision").click()
    page.wait_for_load_state()

    api = site.get_json(HELEN, f"/decisions/{decision}/history")
    expect(page).to_have_url(f"{site.base_url}/web/history/decision/{decision}")
    assert figure(page, "versions") == str(api["total"])
    assert column(page, "versions", "version") == [str(item["version"]) for item in api["items"]]
    assert column(page, "versions", "event")[:2] == ["Proposed", "Consulted"]
    assert column(page, "versions", "by")[0] == "Tom Okafor"
    screenshot(page, site, "history-decision")


def test_a_version_link_shows_the_record_as_it_was_and_links_the_programme_then(
    page: Page, site: Site
) -> None:
    decision = site.ids["decision_front_door"]
    sign_in(page, HELEN, f"/web/history/decision/{decision}")
    api = site.get_json(HELEN, f"/decisions/{decision}/history")["items"]
    objection = next(item for item in api if item["data"].get("stance") == "object")

    page.locator('td[data-column="version"] a', has_text=str(objection["version"])).click()
    page.wait_for_load_state()

    shown = page.locator("#as-it-was")
    expect(shown).to_contain_text(f"As it was at version {objection['version']}")
    state = dict(
        zip(column(page, "as_it_was", "field"), column(page, "as_it_was", "value"), strict=True)
    )
    assert state["stance"] == "object"
    assert state["reason"] == objection["data"]["reason"]
    assert state["title"] == api[0]["data"]["title"]
    # Each version links to the programme's dashboard as of the moment it was recorded.
    then = page.locator('td[data-column="then"] a').nth(objection["version"] - 1)
    link = urlparse(then.get_attribute("href") or "")
    assert link.path == f"/web/programmes/{site.ids['uec']}"
    assert parse_qs(link.query)["as_of"] == [objection["recorded_at"]]
    screenshot(page, site, "history-version")


def test_the_programme_tab_shows_its_history_which_downloads_as_csv(page: Page, site: Site) -> None:
    programme = site.ids["uec"]
    sign_in(page, HELEN, f"/web/programmes/{programme}/decisions")

    page.get_by_role("navigation", name="This programme").get_by_role(
        "link", name="History"
    ).click()
    page.wait_for_load_state()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download CSV of Every recorded change").click()
    rows = list(csv.DictReader(io.StringIO(download.value.path().read_text("utf-8-sig"))))

    api = site.get_json(HELEN, f"/programmes/{programme}/history")
    expect(page).to_have_url(f"{site.base_url}/web/history/programme/{programme}")
    assert [row["Version"] for row in rows] == [str(item["version"]) for item in api["items"]]
    assert figure(page, "versions") == str(api["total"])


def test_a_commitments_history_shows_what_the_api_shows_to_that_reader(
    page: Page, site: Site
) -> None:
    commitments = site.get_json(GARETH, "/commitments")["items"]
    commitment = commitments[0]["id"]
    sign_in(page, GARETH, f"/web/history/commitment/{commitment}")

    api = site.get_json(GARETH, f"/commitments/{commitment}/history")
    assert figure(page, "versions") == str(api["total"])
    assert len(column(page, "versions", "event")) == len(api["items"])


def test_history_as_of_a_date_before_the_record_is_not_found(page: Page, site: Site) -> None:
    sign_in(page, HELEN)
    yesterday = (datetime.now(UTC).date() - timedelta(days=1)).isoformat()

    answer = page.goto(f"/web/history/decision/{site.ids['decision_front_door']}?as_of={yesterday}")

    assert answer is not None
    assert answer.status == 404


def test_someone_outside_a_programme_gets_not_found_for_its_records_history(
    page: Page, site: Site
) -> None:
    sign_in(page, PRIYA)

    # Leeds Teaching Hospitals takes no part in the community mental health programme.
    for path in (
        f"/web/history/programme/{site.ids['cmh']}",
        f"/web/history/role/{site.ids['role_cmh_sro']}",
        f"/web/history/shared-purpose/{site.ids['cmh']}",
    ):
        answer = page.goto(path)
        assert answer is not None
        assert answer.status == 404, path
    expect(page.get_by_role("heading", name="Not found")).to_be_visible()


def test_the_as_of_picker_redraws_a_history_as_recorded_by_the_end_of_that_day(
    page: Page, site: Site
) -> None:
    decision = site.ids["decision_front_door"]
    sign_in(page, HELEN, f"/web/history/decision/{decision}")
    today = datetime.now(UTC).date().isoformat()

    page.get_by_label("As of", exact=True).fill(today)
    page.get_by_role("button", name="Show").click()
    page.wait_for_load_state()

    api = site.get_json(HELEN, f"/decisions/{decision}/history")
    expect(page).to_have_url(f"{site.base_url}/web/history/decision/{decision}?as_of={today}")
    expect(page.locator(".as-of-banner")).to_contain_text(f"as of the end of {today}")
    assert column(page, "versions", "version") == [str(item["version"]) for item in api["items"]]
    screenshot(page, site, "history-decision-as-of")
