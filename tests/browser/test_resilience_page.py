"""The resilience pages, as a board member uses them in a browser: the figures are the API's,
the heat map has a cell for every cell of its table, and the off-boarding what-if shows what
the API says would be orphaned."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from urllib.parse import parse_qsl, urlsplit

from playwright.sync_api import Page, expect

from services.walkthrough import GARETH, HELEN, JAMES, PRIYA
from tests.browser.conftest import screenshot, sign_in
from tests.browser.site import Site

FIGURES = (
    "critical_roles_without_deputy",
    "people_with_several_critical_roles",
    "knowledge_islands",
    "organisations_without_named_lead",
    "handovers_without_knowledge",
)


def figure(page: Page, name: str) -> str:
    return page.locator(f'[data-figure="{name}"]').inner_text().strip()


def column(page: Page, table: str, key: str) -> list[str]:
    cells = page.locator(f'table[data-table="{table}"] td[data-column="{key}"]')
    return [text.strip() for text in cells.all_inner_texts()]


def test_the_resilience_page_shows_the_apis_figures_and_a_heat_map_cell_per_table_cell(
    page: Page, site: Site
) -> None:
    uec = site.ids["uec"]
    sign_in(page, HELEN, f"/web/programmes/{uec}/resilience")

    api = site.get_json(HELEN, f"/programmes/{uec}/resilience")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Resilience: {api['title']}")
    assert figure(page, "bus_factor") == str(api["bus_factor"]["value"])
    for name in FIGURES:
        assert figure(page, name) == str(len(api[name])), name
    single = [a for a in api["knowledge_areas"] if len(a["coverer_ids"]) == 1]
    assert figure(page, "single_points_of_knowledge") == str(len(single))
    contributors = {c["person_id"] for a in api["knowledge_areas"] for c in a["contributors"]}
    cells = len(contributors) * len(api["knowledge_areas"])
    expect(page.locator("svg#knowledge-heatmap rect.cell")).to_have_count(cells)
    expect(page.locator('table[data-table="knowledge"] td[data-column^="area:"]')).to_have_count(
        cells
    )
    assert column(page, "bus_factor", "name") == [p["name"] for p in api["bus_factor"]["removed"]]
    assert column(page, "critical_roles", "title") == [
        r["title"] for r in api["critical_roles_without_deputy"]
    ]
    expect(page.locator('.tabs a[aria-current="page"]')).to_have_text("Resilience")
    screenshot(page, site, "resilience")


def test_the_what_if_for_the_clinical_lead_shows_what_the_api_says_would_be_orphaned(
    page: Page, site: Site
) -> None:
    uec = site.ids["uec"]
    sign_in(page, HELEN, f"/web/programmes/{uec}/resilience")
    james = str(site.people[JAMES])

    page.get_by_role("checkbox", name="Dr James Mercer").check()
    page.get_by_role("button", name="Show what would be orphaned").click()
    page.wait_for_load_state()

    api = site.get_json(HELEN, f"/programmes/{uec}/offboarding-impact", person_id=james)
    assert f"leaving={james}" in page.url
    expect(page.get_by_role("heading", name="If Dr James Mercer left")).to_be_visible()
    for name in ("orphaned_roles", "deputised_roles", "roles_losing_deputy"):
        assert figure(page, name) == str(len(api[name])), name
    assert figure(page, "orphaned_knowledge_areas") == str(len(api["orphaned_knowledge_areas"]))
    assert figure(page, "orphaned_commitments") == str(len(api["orphaned_commitments"]))
    roles = api["orphaned_roles"] + api["deputised_roles"] + api["roles_losing_deputy"]
    assert column(page, "whatif_roles", "title") == [r["title"] for r in roles]
    # The story's clinical lead has had no deputy since the handover: the role is orphaned.
    assert "Clinical lead" in [r["title"] for r in api["orphaned_roles"]]
    expect(page.get_by_role("checkbox", name="Dr James Mercer")).to_be_checked()
    screenshot(page, site, "resilience-what-if")


def test_a_what_if_for_several_people_lists_the_areas_only_they_cover_and_downloads_them(
    page: Page, site: Site
) -> None:
    cmh = site.ids["cmh"]
    sign_in(page, HELEN, f"/web/programmes/{cmh}/resilience")
    leaving = [str(site.people[GARETH]), str(site.people[HELEN])]

    page.get_by_role("checkbox", name="Gareth Lloyd").check()
    page.get_by_role("checkbox", name="Helen Ashworth").check()
    page.get_by_role("button", name="Show what would be orphaned").click()
    page.wait_for_load_state()

    api = site.get_json(HELEN, f"/programmes/{cmh}/offboarding-impact", person_id=leaving)
    areas = [area["name"] for area in api["orphaned_knowledge_areas"]]
    assert areas, "the story's community programme rests on these two people"
    assert column(page, "whatif_areas", "area") == areas
    assert figure(page, "orphaned_roles") == str(len(api["orphaned_roles"]))
    with page.expect_download() as download:
        page.get_by_role("link", name="Download CSV of Knowledge areas nobody left").click()
    rows = list(csv.DictReader(io.StringIO(download.value.path().read_text("utf-8-sig"))))
    assert [row["Knowledge area"] for row in rows] == areas


def test_a_what_if_with_nobody_picked_or_an_unknown_id_is_refused_beside_the_field(
    page: Page, site: Site
) -> None:
    uec = site.ids["uec"]
    sign_in(page, HELEN, f"/web/programmes/{uec}/resilience")

    with page.expect_response(lambda r: "whatif=1" in r.url) as answer:
        page.get_by_role("button", name="Show what would be orphaned").click()
    page.wait_for_load_state()

    assert answer.value.status == 422
    expect(page.locator("#whatif-leaving-error")).to_have_text(
        "Name at least one person who would leave."
    )
    expect(page.locator('[data-form-error="whatif"]')).to_be_visible()
    screenshot(page, site, "resilience-what-if-refused")

    unknown = "00000000-0000-4000-8000-000000000000"
    response = page.goto(f"/web/programmes/{uec}/resilience?leaving={unknown}")
    assert response is not None
    assert response.status == 422
    expect(page.locator("#whatif-leaving-error")).to_contain_text(f"No person with id {unknown}")
    with site.api(HELEN) as client:
        api = client.get(f"/programmes/{uec}/offboarding-impact", params={"person_id": unknown})
    assert api.status_code == 422


def test_the_knowledge_table_downloads_as_csv_with_the_pages_rows(page: Page, site: Site) -> None:
    uec = site.ids["uec"]
    sign_in(page, HELEN, f"/web/programmes/{uec}/resilience")

    with page.expect_download() as download:
        page.get_by_role(
            "link", name="Download CSV of Contributions per person and knowledge area"
        ).click()
    rows = list(csv.DictReader(io.StringIO(download.value.path().read_text("utf-8-sig"))))

    assert [row["Person"] for row in rows] == column(page, "knowledge", "name")
    api = site.get_json(HELEN, f"/programmes/{uec}/resilience")
    for area in api["knowledge_areas"]:
        counts = {c["name"]: str(c["contributions"]) for c in area["contributors"]}
        assert [row[area["name"]].split(" ")[0] for row in rows] == [
            counts.get(row["Person"], "") for row in rows
        ], area["name"]
    assert download.value.suggested_filename == f"resilience-{uec}-knowledge.csv"


def test_someone_outside_the_programme_gets_the_not_found_page_as_from_the_api(
    page: Page, site: Site
) -> None:
    cmh = site.ids["cmh"]
    sign_in(page, PRIYA)

    response = page.goto(f"/web/programmes/{cmh}/resilience")

    assert response is not None
    assert response.status == 404
    with site.api(PRIYA) as client:
        assert client.get(f"/programmes/{cmh}/resilience").status_code == 404


def test_the_portfolio_resilience_page_is_in_the_navigation_and_matches_the_api(
    page: Page, site: Site
) -> None:
    sign_in(page, HELEN)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Resilience").click()
    page.wait_for_load_state()

    api = site.get_json(HELEN, "/resilience")
    expect(page.get_by_role("heading", level=1)).to_have_text("Resilience across the portfolio")
    assert figure(page, "programmes") == str(api["total"])
    assert figure(page, "people_with_several_critical_roles") == str(
        len(api["people_with_several_critical_roles"])
    )
    assert column(page, "programmes", "title") == [item["title"] for item in api["items"]]
    assert column(page, "programmes", "bus_factor") == [
        str(item["bus_factor"]) for item in api["items"]
    ]
    expect(page.locator("svg#bus-factor-chart")).to_be_visible()
    screenshot(page, site, "resilience-portfolio")

    page.get_by_role("link", name=api["items"][0]["title"]).click()
    page.wait_for_load_state()
    expect(page).to_have_url(
        f"{site.base_url}/web/programmes/{api['items'][0]['programme_id']}/resilience"
    )


def test_an_as_of_date_rereads_the_what_if_and_its_links_keep_everyone_picked(
    page: Page, site: Site
) -> None:
    uec = site.ids["uec"]
    sign_in(page, HELEN)
    leaving = [str(site.people[JAMES]), str(site.people[PRIYA])]
    today = datetime.now(UTC).date().isoformat()
    query = "&".join(f"leaving={person}" for person in leaving)

    page.goto(f"/web/programmes/{uec}/resilience?{query}&as_of={today}")

    api = site.get_json(
        HELEN,
        f"/programmes/{uec}/offboarding-impact",
        person_id=leaving,
        as_of=f"{today}T23:59:59.999999Z",
    )
    expect(page.locator(".as-of-banner")).to_contain_text(f"as of the end of {today}")
    assert figure(page, "orphaned_roles") == str(len(api["orphaned_roles"]))
    back = page.locator(".as-of-banner a").get_attribute("href") or ""
    assert [value for key, value in parse_qsl(urlsplit(back).query) if key == "leaving"] == leaving
    hidden = page.locator('.as-of-picker input[type="hidden"][name="leaving"]')
    assert [hidden.nth(i).get_attribute("value") for i in range(hidden.count())] == leaving
