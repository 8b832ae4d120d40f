"""A decision's page and a programme's decisions, as a board member uses them in a browser."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

from playwright.sync_api import Page, expect

from services.walkthrough import HELEN, PRIYA
from services.web.page_kit import days
from tests.browser.conftest import screenshot, sign_in
from tests.browser.site import Site


def figure(page: Page, name: str) -> str:
    return page.locator(f'[data-figure="{name}"]').inner_text().strip()


def column(page: Page, table: str, key: str) -> list[str]:
    cells = page.locator(f'table[data-table="{table}"] td[data-column="{key}"]')
    return [text.strip() for text in cells.all_inner_texts()]


def test_a_decision_page_shows_the_apis_figures_its_lineage_and_its_objection(
    page: Page, site: Site
) -> None:
    first, later = site.ids["decision_front_door"], site.ids["decision_crisis_door"]
    sign_in(page, HELEN, f"/web/decisions/{first}")

    api = site.get_json(HELEN, f"/decisions/{first}")
    chain = site.get_json(HELEN, f"/decisions/{first}/lineage")
    expect(page.get_by_role("heading", level=1)).to_have_text(api["title"])
    assert figure(page, "status") == api["status"].capitalize()
    assert figure(page, "consulted") == str(len(api["consultations"]))
    objecting = [c for c in api["consultations"] if c["stance"] == "object"]
    assert figure(page, "objections") == str(len(objecting)) == "1"
    assert figure(page, "latency_days") == days(api["latency_days"])
    # The graph links the decision that superseded it, and says which one is this.
    graph = page.locator("svg#decision-lineage")
    expect(graph.locator(f'a[href="/web/decisions/{later}"]')).to_have_count(1)
    expect(graph).to_contain_text("superseded by")
    expect(graph.locator(f'[data-node="{first}"]')).to_contain_text("this decision")
    # The timeline has every event of the report, the objection with its reason.
    assert len(column(page, "timeline", "event")) == len(chain["timeline"])
    expect(page.locator('table[data-table="timeline"]')).to_contain_text(objecting[0]["reason"])
    expect(page.locator("svg#decision-timeline .marker.object")).to_have_count(1)
    screenshot(page, site, "decision")

    graph.locator(f'a[href="/web/decisions/{later}"]').click()
    page.wait_for_load_state()
    expect(page).to_have_url(f"{site.base_url}/web/decisions/{later}")
    expect(page.locator(f'svg#decision-lineage [data-node="{later}"]')).to_contain_text(
        "this decision"
    )


def test_a_consulted_organisation_records_its_response_with_the_form(
    page: Page, site: Site
) -> None:
    decision = site.ids["decision_crisis_door"]
    before = site.get_json(PRIYA, f"/decisions/{decision}/lineage")["timeline"]
    sign_in(page, PRIYA, f"/web/decisions/{decision}")

    # Support again (Leeds Teaching Hospitals already supports), so other pages' figures hold.
    page.get_by_label("Stance").select_option("support")
    page.get_by_label("Reason").fill("Still supported after the winter pressures review.")
    page.get_by_role("button", name="Record the response").click()
    page.wait_for_load_state()

    expect(page).to_have_url(f"{site.base_url}/web/decisions/{decision}?done=responded")
    expect(page.locator('[data-done="responded"]')).to_be_visible()
    after = site.get_json(PRIYA, f"/decisions/{decision}/lineage")["timeline"]
    assert len(after) == len(before) + 1
    assert after[-1]["reason"] == "Still supported after the winter pressures review."
    assert after[-1]["person_name"] == "Dr Priya Raman"
    expect(page.locator('table[data-table="timeline"]')).to_contain_text("winter pressures")
    assert figure(page, "objections") == "0"


def test_an_objection_without_a_reason_is_refused_beside_the_field(page: Page, site: Site) -> None:
    decision = site.ids["decision_crisis_door"]
    before = site.get_json(PRIYA, f"/decisions/{decision}/history")["total"]
    sign_in(page, PRIYA, f"/web/decisions/{decision}")

    page.get_by_label("Stance").select_option("object")
    with page.expect_response(lambda r: r.url.endswith("/responses")) as answer:
        page.get_by_role("button", name="Record the response").click()
    page.wait_for_load_state()

    assert answer.value.status == 422
    expect(page.locator('[data-form-error="response"]')).to_be_visible()
    expect(page.locator("#response-reason-error")).to_contain_text("must not be empty")
    expect(page.get_by_label("Stance")).to_have_value("object")
    assert site.get_json(PRIYA, f"/decisions/{decision}/history")["total"] == before
    # The refused page's links are the decision page's, not the form's address.
    expect(page.locator("form.as-of-picker")).to_have_attribute(
        "action", f"/web/decisions/{decision}"
    )
    screenshot(page, site, "decision-refused")


def test_the_timeline_downloads_as_csv_with_the_apis_events(page: Page, site: Site) -> None:
    decision = site.ids["decision_front_door"]
    sign_in(page, HELEN, f"/web/decisions/{decision}")

    with page.expect_download() as download:
        page.get_by_role("link", name="Download CSV of Timeline").click()
    rows = list(csv.DictReader(io.StringIO(download.value.path().read_text("utf-8-sig"))))

    timeline = site.get_json(HELEN, f"/decisions/{decision}/lineage")["timeline"]
    assert [row["By"] for row in rows] == [entry["person_name"] for entry in timeline]
    assert [row["Reason"] for row in rows] == [entry["reason"] or "" for entry in timeline]


def test_as_of_a_past_moment_the_decision_shows_as_it_then_stood(page: Page, site: Site) -> None:
    decision = site.ids["decision_front_door"]
    events = site.get_json(HELEN, f"/decisions/{decision}/history")["items"]
    taken = next(event for event in events if event["type"] == "Taken")["recorded_at"]
    sign_in(page, HELEN)

    page.goto(f"/web/decisions/{decision}?as_of={taken.replace('+', '%2B')}")

    then = site.get_json(HELEN, f"/decisions/{decision}", as_of=taken)
    assert then["status"] == "decided"
    assert figure(page, "status") == "Decided"
    expect(page.locator(".as-of-banner")).to_be_visible()
    # Nothing superseded it yet, and no form is offered for a past moment.
    expect(page.locator("svg#decision-lineage a")).to_have_count(1)
    expect(page.locator("form.page-form")).to_have_count(0)

    yesterday = (datetime.now(UTC).date() - timedelta(days=1)).isoformat()
    answer = page.goto(f"/web/decisions/{decision}?as_of={yesterday}")
    assert answer is not None
    assert answer.status == 404


def test_a_programmes_decisions_page_lists_the_reports_chains_and_filters_by_status(
    page: Page, site: Site
) -> None:
    programme = site.ids["uec"]
    sign_in(page, HELEN, f"/web/programmes/{programme}/decisions")

    report = site.get_json(HELEN, f"/programmes/{programme}/decision-lineage")
    decisions = [d for chain in report["chains"]["items"] for d in chain["decisions"]]
    assert column(page, "decisions", "title") == [d["title"] for d in decisions]
    assert figure(page, "decisions") == str(len(decisions))
    assert figure(page, "chains") == str(report["chains"]["total"])
    assert figure(page, "median_days") == days(report["latency"]["median_days"])
    assert figure(page, "crowded") == str(sum(w["crowded"] for w in report["workstreams"]))
    assert column(page, "workstreams", "name") == [w["name"] for w in report["workstreams"]]
    expect(page.locator("svg#latency-chart")).to_be_visible()
    screenshot(page, site, "decisions")

    page.goto(f"/web/programmes/{programme}/decisions?limit=1&offset=1")
    assert column(page, "decisions", "title") == [decisions[1]["title"]]
    expect(page.get_by_role("navigation", name="Pages of Decisions")).to_contain_text(
        f"2\u20132 of {len(decisions)}"
    )

    page.get_by_label("Status").select_option("superseded")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_load_state()

    listed = site.get_json(HELEN, f"/programmes/{programme}/decisions", status="superseded")
    assert column(page, "decisions", "title") == [d["title"] for d in listed["items"]]
    page.get_by_role("link", name=listed["items"][0]["title"]).click()
    expect(page).to_have_url(f"{site.base_url}/web/decisions/{listed['items'][0]['id']}")


def test_someone_outside_a_programme_gets_not_found_for_its_decisions(
    page: Page, site: Site
) -> None:
    sign_in(page, PRIYA)

    # Leeds Teaching Hospitals takes no part in the community mental health programme.
    answer = page.goto(f"/web/programmes/{site.ids['cmh']}/decisions")

    assert answer is not None
    assert answer.status == 404
    expect(page.get_by_role("heading", name="Not found")).to_be_visible()
