"""The commitment tracker and a commitment's page, as a commissioner and a provider use them."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

from playwright.sync_api import Browser, ConsoleMessage, Page, expect

from services.walkthrough import GARETH, HELEN, PRIYA
from tests.browser.conftest import screenshot, sign_in
from tests.browser.site import Site


def figure(page: Page, name: str) -> str:
    return page.locator(f'[data-figure="{name}"]').inner_text().strip()


def column(page: Page, table: str, key: str) -> list[str]:
    cells = page.locator(f'table[data-table="{table}"] td[data-column="{key}"]')
    return [text.strip() for text in cells.all_inner_texts()]


def percent(rate: float | None) -> str:
    return "not known" if rate is None else f"{round(rate * 100)}%"


def tracker_path(site: Site, organisation: str) -> str:
    return f"/web/organisations/{site.ids[organisation]}/commitments"


def assert_figures_match(page: Page, api: dict) -> None:
    for name in ("due", "at_risk", "overdue", "renegotiated", "delivered", "missed"):
        assert figure(page, name) == str(api["totals"][name]), name
    assert figure(page, "due_next_30_days") == str(api["due_next_30_days"]["count"])
    assert figure(page, "on_time_rate") == percent(api["delivery"]["on_time_rate"])
    assert column(page, "commitments", "what") == [item["what"] for item in api["items"]]
    assert column(page, "commitments", "due_date") == [item["due_date"] for item in api["items"]]


@contextmanager
def refusing_tab(chromium: Browser, site: Site, statuses: set[int]) -> Iterator[Page]:
    """A tab that expects the site to refuse something with one of ``statuses``, as the API
    would: Chromium logs any non-2xx page load as a console error, so exactly those loads
    are let through; any other console error still fails the test."""
    context = chromium.new_context(base_url=site.base_url, viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    errors: list[str] = []
    allowed = re.compile(r"Failed to load resource: the server responded with a status of (\d+)")

    def on_console(message: ConsoleMessage) -> None:
        found = allowed.match(message.text)
        if message.type == "error" and not (found and int(found.group(1)) in statuses):
            errors.append(message.text)

    tab.on("console", on_console)
    tab.on("pageerror", lambda exc: errors.append(f"page error: {exc}"))
    try:
        yield tab
    finally:
        context.close()
    assert not errors, errors


def test_a_commissioner_sees_its_tracker_with_the_apis_figures(page: Page, site: Site) -> None:
    sign_in(page, HELEN, "/web/portfolio")
    page.get_by_role("link", name="Commitments", exact=True).click()
    page.wait_for_load_state()

    expect(page).to_have_url(re.compile(re.escape(tracker_path(site, "icb")) + "$"))
    api = site.get_json(HELEN, f"/organisations/{site.ids['icb']}/commitment-tracker")
    assert api["side"] == "commissioner"
    assert_figures_match(page, api)
    providers = column(page, "counterparts", "name")
    assert providers == [counterpart["name"] for counterpart in api["counterparts"]]
    assert column(page, "counterparts", "on_time_rate") == [
        percent(c["delivery"]["on_time_rate"]) for c in api["counterparts"]
    ]
    expect(page.locator("svg#commitment-timeline")).to_be_visible()
    screenshot(page, site, "commitment-tracker-commissioner")


def test_overdue_commitments_are_marked_in_words_on_the_timeline_and_in_the_table(
    page: Page, site: Site
) -> None:
    sign_in(page, HELEN, tracker_path(site, "icb"))

    api = site.get_json(HELEN, f"/organisations/{site.ids['icb']}/commitment-tracker")
    overdue = [item for item in api["items"] if item["tracker_status"] == "overdue"]
    assert overdue, "the story has an overdue commitment"
    rows = page.locator('svg#commitment-timeline g[data-status="overdue"]')
    expect(rows).to_have_count(len(overdue))
    for index, item in enumerate(overdue):
        expect(rows.nth(index)).to_contain_text(f"Overdue by {item['days_overdue']} day")
    marked = [cell for cell in column(page, "commitments", "overdue") if cell.startswith("Yes")]
    assert marked == [f"Yes, {item['days_overdue']} days" for item in overdue]


def test_a_provider_sees_what_it_committed_to_with_the_apis_figures(page: Page, site: Site) -> None:
    sign_in(page, PRIYA, "/web/commitments")

    expect(page).to_have_url(re.compile(re.escape(tracker_path(site, "acute")) + "$"))
    api = site.get_json(PRIYA, f"/organisations/{site.ids['acute']}/commitment-tracker")
    assert api["side"] == "provider"
    assert_figures_match(page, api)
    assert column(page, "counterparts", "name") == [c["name"] for c in api["counterparts"]]
    expect(page.get_by_role("heading", name="By commissioner")).to_be_visible()
    screenshot(page, site, "commitment-tracker-provider")


def test_the_commitments_table_downloads_as_csv_with_the_same_rows(page: Page, site: Site) -> None:
    sign_in(page, HELEN, tracker_path(site, "icb"))

    with page.expect_download() as download:
        page.get_by_role("link", name="Download CSV of Commitments, open ones first").click()
    rows = list(csv.DictReader(io.StringIO(download.value.path().read_text("utf-8-sig"))))

    api = site.get_json(HELEN, f"/organisations/{site.ids['icb']}/commitment-tracker")
    assert [row["Commitment"] for row in rows] == [item["what"] for item in api["items"]]
    assert [row["Original due"] for row in rows] == [i["original_due_date"] for i in api["items"]]
    assert download.value.suggested_filename == "commitments-commitments.csv"


def test_a_tracker_is_paged_and_its_timeline_draws_only_that_page(page: Page, site: Site) -> None:
    sign_in(page, HELEN, tracker_path(site, "icb") + "?limit=2")

    api = site.get_json(HELEN, f"/organisations/{site.ids['icb']}/commitment-tracker", limit=2)
    assert api["total"] > 2
    assert column(page, "commitments", "what") == [item["what"] for item in api["items"]]
    expect(page.locator("svg#commitment-timeline g.tl-row")).to_have_count(2)
    page.get_by_role("link", name="Next").click()
    page.wait_for_load_state()

    rest = site.get_json(
        HELEN, f"/organisations/{site.ids['icb']}/commitment-tracker", limit=2, offset=2
    )
    assert column(page, "commitments", "what") == [item["what"] for item in rest["items"]]
    assert figure(page, "overdue") == str(rest["totals"]["overdue"])


def test_the_tracker_as_of_a_past_date_shows_what_was_recorded_by_then(
    page: Page, site: Site
) -> None:
    day = (datetime.now(UTC).date() - timedelta(days=1)).isoformat()
    sign_in(page, HELEN, tracker_path(site, "icb"))
    page.get_by_label("As of", exact=True).fill(day)
    page.get_by_role("button", name="Show").click()
    page.wait_for_load_state()

    api = site.get_json(
        HELEN,
        f"/organisations/{site.ids['icb']}/commitment-tracker",
        as_of=f"{day}T23:59:59.999999Z",
    )
    expect(page.locator(".as-of-banner")).to_contain_text(f"as of the end of {day}")
    assert api["totals"]["total"] == 0
    assert figure(page, "overdue") == "0"
    expect(page.locator('table[data-table="commitments"]')).to_contain_text("No commitments")


def test_a_provider_records_progress_on_the_form_and_sees_it(page: Page, site: Site) -> None:
    commitment_id = site.ids["commitment_handovers"]
    before = site.get_json(PRIYA, f"/commitments/{commitment_id}")
    wanted = min((before["percent_complete"] or 0) + 5, 100)
    sign_in(page, PRIYA, f"/web/commitments/{commitment_id}")

    form = page.locator("#form-progress")
    form.get_by_label("How complete, in percent").fill(str(wanted))
    form.get_by_label("What has happened").fill("Second cohorting bay open at the LGI")
    form.get_by_role("button", name="Record progress").click()
    page.wait_for_load_state()

    expect(page.locator('[data-done="progress"]')).to_have_text("Progress recorded.")
    after = site.get_json(PRIYA, f"/commitments/{commitment_id}")
    assert after["percent_complete"] == wanted
    assert after["version"] == before["version"] + 1
    assert figure(page, "percent_complete") == f"{wanted}%"
    expect(page.locator('table[data-table="history"]')).to_contain_text(
        "Second cohorting bay open at the LGI"
    )
    screenshot(page, site, "commitment-progress-recorded")


def test_an_empty_or_impossible_progress_form_is_refused_beside_its_field(
    chromium: Browser, site: Site
) -> None:
    commitment_id = site.ids["commitment_handovers"]
    before = site.get_json(PRIYA, f"/commitments/{commitment_id}")
    with refusing_tab(chromium, site, {422}) as page:
        sign_in(page, PRIYA, f"/web/commitments/{commitment_id}")
        form = page.locator("#form-progress")
        form.get_by_label("How complete, in percent").fill("")
        with page.expect_response(lambda r: r.request.method == "POST") as posted:
            form.get_by_role("button", name="Record progress").click()
        page.wait_for_load_state()

        assert posted.value.status == 422
        expect(page.locator("#progress-percent-error")).to_contain_text("enter how complete")
        expect(page.locator('[data-form-error="progress"]')).to_be_visible()

        form = page.locator("#form-progress")
        form.get_by_label("How complete, in percent").fill("150")
        form.get_by_label("What has happened").fill("Kept when refused")
        with page.expect_response(lambda r: r.request.method == "POST") as posted:
            form.get_by_role("button", name="Record progress").click()
        page.wait_for_load_state()

        assert posted.value.status == 422
        expect(page.locator("#progress-percent-error")).to_contain_text("from 0 to 100, not 150")
        expect(page.locator("#progress-note")).to_have_value("Kept when refused")
        screenshot(page, site, "commitment-progress-refused")
    assert site.get_json(PRIYA, f"/commitments/{commitment_id}")["version"] == before["version"]


def test_a_form_based_on_an_older_version_is_refused_as_the_api_refuses_it(
    chromium: Browser, site: Site
) -> None:
    commitment_id = site.ids["commitment_handovers"]
    with refusing_tab(chromium, site, {409}) as page:
        sign_in(page, PRIYA, f"/web/commitments/{commitment_id}")
        shown = site.get_json(PRIYA, f"/commitments/{commitment_id}")
        # Someone else records progress after the page was shown.
        with site.api(PRIYA) as client:
            meanwhile = client.post(
                f"/commitments/{commitment_id}/progress",
                json={"percent": shown["percent_complete"], "note": "Recorded meanwhile"},
            )
        assert meanwhile.status_code == 200, meanwhile.text

        form = page.locator("#form-progress")
        form.get_by_label("What has happened").fill("Based on what I saw")
        with page.expect_response(lambda r: r.request.method == "POST") as posted:
            form.get_by_role("button", name="Record progress").click()
        page.wait_for_load_state()

        assert posted.value.status == 409
        expect(page.locator('[data-form-error="progress"]')).to_contain_text(str(shown["version"]))
    history = site.get_json(PRIYA, f"/commitments/{commitment_id}")["progress"]
    assert "Based on what I saw" not in [entry["note"] for entry in history]


def test_a_confidential_note_is_withheld_from_a_reader_who_is_neither_side(
    page: Page, site: Site
) -> None:
    # The same-day emergency care commitment is between the acute trust and the ICB, in a
    # programme the mental health trust also reads.
    sdec = site.ids["commitment_sdec"]
    shown = site.get_json(PRIYA, f"/commitments/{sdec}")
    with site.api(PRIYA) as client:
        recorded = client.post(
            f"/commitments/{sdec}/progress",
            json={
                "percent": shown["percent_complete"],
                "note": "Locum rates agreed with the ICB in confidence",
                "confidential": True,
            },
        )
    assert recorded.status_code == 200, recorded.text
    sign_in(page, GARETH, f"/web/commitments/{sdec}")

    api = site.get_json(GARETH, f"/commitments/{sdec}")
    assert api["progress"][-1]["note"] is None
    history = page.locator('table[data-table="history"]')
    expect(history).not_to_contain_text("Locum rates")
    expect(history.locator("tr").last).to_contain_text("Withheld")
    expect(page.locator("form.page-form")).to_have_count(0)
    screenshot(page, site, "commitment-withheld")


def statuses(
    chromium: Browser, site: Site, email: str, page_path: str, api_path: str, **params: str
) -> tuple[int, int, str]:
    """What the page and the API answer ``email`` for the same record: both statuses, and
    the page's heading."""
    with site.api(email) as client:
        api = client.get(api_path, params=params)
    with refusing_tab(chromium, site, {api.status_code}) as page:
        sign_in(page, email, "/web/portfolio")
        response = page.goto(page_path)
        assert response is not None
        return response.status, api.status_code, page.locator("h1").inner_text()


def test_another_organisations_tracker_answers_the_apis_status(
    chromium: Browser, site: Site
) -> None:
    icb = site.ids["icb"]
    seen = statuses(
        chromium,
        site,
        GARETH,
        tracker_path(site, "icb"),
        f"/organisations/{icb}/commitment-tracker",
    )

    assert seen == (403, 403, "Not allowed")


def test_a_commitment_outside_the_readers_programmes_is_not_found_as_in_the_api(
    chromium: Browser, site: Site
) -> None:
    # The community hubs commitment is the mental health trust's, in a programme the acute
    # trust is not part of.
    hubs = site.ids["commitment_hubs"]
    seen = statuses(chromium, site, PRIYA, f"/web/commitments/{hubs}", f"/commitments/{hubs}")

    assert seen == (404, 404, "Not found")


def test_a_commitment_as_of_a_day_before_it_was_recorded_is_not_found(
    chromium: Browser, site: Site
) -> None:
    sdec = site.ids["commitment_sdec"]
    day = (datetime.now(UTC).date() - timedelta(days=1)).isoformat()
    seen = statuses(
        chromium,
        site,
        HELEN,
        f"/web/commitments/{sdec}?as_of={day}",
        f"/commitments/{sdec}",
        as_of=f"{day}T23:59:59Z",
    )

    assert seen == (404, 404, "Not found")
