"""The programme dashboard, as a board member and a programme's members use it in a browser.

The site is shared by the session's tests: the forms act on the community mental health
programme (whose purpose the ICB has not yet taken a position on), and every figure is
compared with the API read at the time of the test.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pypdf
from playwright.sync_api import Page, expect

from services.walkthrough import HELEN, PRIYA
from tests.browser.conftest import SCREENSHOTS, screenshot, sign_in
from tests.browser.site import Site

POSITIONS = {"endorsed": "Endorsed", "disputed": "Disputed", "none": "No position"}


def figure(page: Page, name: str) -> str:
    return page.locator(f'[data-figure="{name}"]').inner_text().strip()


def column(page: Page, table: str, key: str) -> list[str]:
    cells = page.locator(f'table[data-table="{table}"] td[data-column="{key}"]')
    return [text.strip() for text in cells.all_inner_texts()]


def test_the_dashboard_shows_the_apis_figures_and_a_wheel_segment_per_component(
    page: Page, site: Site
) -> None:
    uec = site.ids["uec"]
    sign_in(page, HELEN, f"/web/programmes/{uec}")

    alignment = site.get_json(HELEN, f"/programmes/{uec}/alignment")
    purpose = site.get_json(HELEN, f"/programmes/{uec}/shared-purpose")
    roles = site.get_json(HELEN, f"/programmes/{uec}/roles")
    decisions = site.get_json(HELEN, f"/programmes/{uec}/decisions")
    components = alignment["components"]
    expect(page.get_by_role("heading", level=1)).to_have_text(alignment["title"])
    reviewed = len(components) - len(alignment["never_reviewed"])
    assert figure(page, "components_reviewed") == f"{reviewed} of {len(components)}"
    assert figure(page, "stale_components") == str(len(alignment["stale"]))
    assert figure(page, "weak_components") == str(len(alignment["weak"]))
    shared = alignment["shared_purpose"]
    assert figure(page, "endorsing") == f"{shared['endorsing']} of {shared['participants']}"
    assert figure(page, "purpose_version") == str(purpose["current_version"]["number"])
    assert figure(page, "decisions") == str(decisions["total"])
    expect(page.locator("[data-summary]")).to_have_text(alignment["summary"])
    # The wheel: one segment per component, in the programme's words, coloured and hatched
    # as the API rates it.
    segments = page.locator("svg#change-model-wheel g.segment")
    expect(segments).to_have_count(len(components))
    for component in components:
        drawn = page.locator(f'svg#change-model-wheel g[data-component="{component["key"]}"]')
        rating = component["latest_rating"]
        tone = f"r{rating}" if rating is not None else "unrated"
        expect(drawn.locator("path.seg")).to_have_class(f"seg {tone}")
        hatched = rating is not None and (component["stale"] or not component["evidenced"])
        expect(drawn.locator("path.hatch")).to_have_count(1 if hatched else 0)
        expect(drawn.locator("text.seg-label").first).to_contain_text(component["label"].split()[0])
    assert column(page, "components", "label") == [c["label"] for c in components]
    assert column(page, "components", "rating") == [
        str(c["latest_rating"]) if c["latest_rating"] is not None else "not reviewed"
        for c in components
    ]
    expect(page.locator("[data-purpose-text]")).to_have_text(purpose["current_version"]["text"])
    assert column(page, "positions", "position") == [
        POSITIONS[p["position"]] for p in purpose["positions"]
    ]
    assert column(page, "roles", "title") == [role["title"] for role in roles["items"]]
    assert column(page, "decisions", "title") == [
        d["title"] for d in reversed(decisions["items"][-10:])
    ]
    screenshot(page, site, "dashboard")


def test_a_dispute_without_a_reason_is_refused_beside_the_field_then_an_endorsement_is_kept(
    page: Page, site: Site
) -> None:
    cmh = site.ids["cmh"]
    sign_in(page, HELEN, f"/web/programmes/{cmh}")
    form = page.locator("form.page-form")

    form.get_by_label("Your organisation's position").select_option("dispute")
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        form.get_by_role("button", name="Record the position").click()
    page.wait_for_load_state()

    assert posted.value.status == 422
    expect(page.locator('[data-form-error="position"]')).to_be_visible()
    expect(page.locator("#position-reason-error")).to_be_visible()
    expect(form.get_by_label("Your organisation's position")).to_have_value("dispute")
    screenshot(page, site, "dashboard-position-refused")

    form.get_by_label("Your organisation's position").select_option("endorse")
    form.get_by_role("button", name="Record the position").click()
    page.wait_for_load_state()

    expect(page.locator('[data-done="endorsed"]')).to_be_visible()
    purpose = site.get_json(HELEN, f"/programmes/{cmh}/shared-purpose")
    icb = next(p for p in purpose["positions"] if p["organisation_id"] == site.ids["icb"])
    assert icb["position"] == "endorsed"
    assert column(page, "positions", "position") == [
        POSITIONS[p["position"]] for p in purpose["positions"]
    ]
    alignment = site.get_json(HELEN, f"/programmes/{cmh}/alignment")
    shared = alignment["shared_purpose"]
    assert figure(page, "endorsing") == f"{shared['endorsing']} of {shared['participants']}"


def test_a_review_refused_on_one_row_shows_the_error_there_then_records_onto_the_wheel(
    page: Page, site: Site
) -> None:
    cmh = site.ids["cmh"]
    sign_in(page, HELEN, f"/web/programmes/{cmh}/reviews/new")
    today = datetime.now(UTC).date()
    row = page.locator('fieldset[data-component="improvement"]')

    row.locator('select[name="improvement.rating"]').select_option("4")
    evidence = "PDSA cycles on the hub referral form"
    row.locator('textarea[name="improvement.evidence"]').fill(evidence)
    row.locator('input[name="improvement.action"]').fill("Publish the run charts")
    row.locator('select[name="improvement.owner"]').select_option(label="Gareth Lloyd")
    # Due before the review was held: the use case refuses ratings[0].actions[0].due_on.
    row.locator('input[name="improvement.due_on"]').fill((today - timedelta(days=3)).isoformat())
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.get_by_role("button", name="Record the review").click()
    page.wait_for_load_state()

    assert posted.value.status == 422
    expect(page.locator('[data-form-error="review"]')).to_be_visible()
    error = page.locator('fieldset[data-component="improvement"] .field-error')
    expect(error).to_contain_text("must not be before the review was held")
    expect(row.locator('textarea[name="improvement.evidence"]')).to_have_value(
        "PDSA cycles on the hub referral form"
    )
    screenshot(page, site, "dashboard-review-refused")

    row.locator('input[name="improvement.due_on"]').fill((today + timedelta(days=30)).isoformat())
    page.get_by_role("button", name="Record the review").click()
    page.wait_for_load_state()

    expect(page).to_have_url(f"{site.base_url}/web/programmes/{cmh}?done=review")
    expect(page.locator('[data-done="review"]')).to_be_visible()
    alignment = site.get_json(HELEN, f"/programmes/{cmh}/alignment")
    improvement = next(c for c in alignment["components"] if c["key"] == "improvement")
    assert improvement["latest_rating"] == 4
    assert improvement["last_reviewed_on"] == today.isoformat()
    drawn = page.locator('svg#change-model-wheel g[data-component="improvement"] path.seg')
    expect(drawn).to_have_class("seg r4")
    screenshot(page, site, "dashboard-after-review")


def test_the_components_table_downloads_as_csv_with_the_apis_ratings(
    page: Page, site: Site
) -> None:
    uec = site.ids["uec"]
    sign_in(page, HELEN, f"/web/programmes/{uec}")

    with page.expect_download() as download:
        page.get_by_role("link", name="Download CSV of The Change Model").click()
    text = download.value.path().read_text(encoding="utf-8-sig")

    rows = list(csv.DictReader(io.StringIO(text)))
    components = site.get_json(HELEN, f"/programmes/{uec}/alignment")["components"]
    assert [row["Component"] for row in rows] == [c["label"] for c in components]
    assert [row["Open actions"] for row in rows] == [str(c["open_actions"]) for c in components]
    assert download.value.suggested_filename == f"programme-{uec}-components.csv"


def test_the_dashboard_as_of_a_past_time_shows_the_purpose_and_figures_as_then(
    page: Page, site: Site
) -> None:
    uec = site.ids["uec"]
    sign_in(page, HELEN)
    first = site.get_json(HELEN, f"/programmes/{uec}/shared-purpose/versions/1")
    # Just after version 1 was recorded: nobody had taken a position on it yet.
    at = first["statement_version"]["recorded_at"]

    page.goto(f"/web/programmes/{uec}?as_of={at.replace('+', '%2B')}")

    alignment = site.get_json(HELEN, f"/programmes/{uec}/alignment", as_of=at)
    shared = alignment["shared_purpose"]
    expect(page.locator(".as-of-banner")).to_be_visible()
    assert figure(page, "purpose_version") == "1"
    assert figure(page, "endorsing") == f"{shared['endorsing']} of {shared['participants']}"
    expect(page.locator("[data-purpose-text]")).to_have_text(first["statement_version"]["text"])
    assert column(page, "versions", "number") == ["1"]
    # The past is read-only: no form, no link to record a review.
    expect(page.locator("form.page-form")).to_have_count(0)
    expect(page.get_by_role("link", name="Record a review")).to_have_count(0)
    screenshot(page, site, "dashboard-as-of")


def test_the_printed_dashboard_is_a_board_pack_with_the_as_of_date_on_every_sheet(
    page: Page, site: Site
) -> None:
    uec = site.ids["uec"]
    day = datetime.now(UTC).date().isoformat()
    sign_in(page, HELEN, f"/web/programmes/{uec}?as_of={day}")

    page.emulate_media(media="print")
    path = SCREENSHOTS / site.store / "dashboard.pdf"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.pdf(path=str(path), format="A4")

    sheets = [sheet.extract_text() for sheet in pypdf.PdfReader(path).pages]
    assert len(sheets) > 1
    for sheet in sheets:
        assert f"as of the end of {day}" in sheet
    printed = "\n".join(sheets)
    assert "Role holders and deputies" in printed
    assert "Download CSV" not in printed
    assert "Sign out" not in printed


def test_a_person_outside_the_programme_gets_the_not_found_page(page: Page, site: Site) -> None:
    cmh = site.ids["cmh"]
    sign_in(page, PRIYA)

    for path in (f"/web/programmes/{cmh}", f"/web/programmes/{cmh}/reviews/new"):
        response = page.goto(path)
        assert response is not None
        assert response.status == 404
    with site.api(PRIYA) as client:
        assert client.get(f"/programmes/{cmh}/alignment").status_code == 404
