"""The pages' frame, on both stores: error pages, escaping, CSV, and who sees what."""

from __future__ import annotations

import csv
import io

from tests.e2e.support import Client, commissioner, create_programme, register_person

HOSTILE = '<script>alert("x")</script> =HYPERLINK("http://evil")'


def test_a_signed_out_browser_is_sent_to_sign_in_with_the_page_to_come_back_to(
    anonymous: Client,
) -> None:
    response = anonymous.get("/web/portfolio?sort=stale", follow_redirects=False)

    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=%2Fweb%2Fportfolio%3Fsort%3Dstale"


def test_the_stylesheet_is_served_to_anyone(anonymous: Client) -> None:
    response = anonymous.get("/static/changeledger.css")

    assert response.status_code == 200
    assert "@media print" in response.text


def test_an_unreadable_as_of_date_is_a_422_page_naming_the_field(client: Client) -> None:
    response = client.get("/web/portfolio?as_of=last-tuesday")

    assert response.status_code == 422
    assert response.headers["content-type"].startswith("text/html")
    assert "<strong>as_of</strong>: must be a date like 2026-05-01" in response.text


def test_an_invalid_sort_is_a_422_page_naming_the_field(client: Client) -> None:
    response = client.get("/web/portfolio?sort=colour")

    assert response.status_code == 422
    assert "<strong>sort</strong>: must be one of" in response.text


def test_asking_for_a_table_the_page_does_not_have_is_a_404_page(client: Client) -> None:
    response = client.get("/web/portfolio?csv=salaries")

    assert response.status_code == 404
    assert "No table with id salaries." in response.text


def test_names_are_shown_as_text_on_pages_and_as_text_in_csv(client: Client) -> None:
    icb = commissioner(client)
    create_programme(client, icb["id"], title=HOSTILE)

    page = client.get("/web/portfolio")
    download = client.get("/web/portfolio?csv=programmes")

    assert page.status_code == 200
    assert "<script>alert" not in page.text
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page.text
    assert download.headers["content-type"] == "text/csv; charset=utf-8"
    assert download.headers["content-disposition"] == (
        'attachment; filename="portfolio-programmes.csv"'
    )
    [row] = list(csv.DictReader(io.StringIO(download.content.decode("utf-8-sig"))))
    assert row["Programme"] == HOSTILE  # starts with "<", so no formula guard is needed
    assert row["Lead commissioner"] == "West Yorkshire ICB"


def test_pages_are_never_cached_framed_or_allowed_inline_script(client: Client) -> None:
    response = client.get("/web/portfolio")

    assert response.headers["cache-control"] == "no-store"
    assert response.headers["content-security-policy"].startswith("default-src 'self'")
    assert "<script" not in response.text
    assert " style=" not in response.text


def test_the_portfolio_page_lists_only_programmes_the_person_can_see(
    client: Client, anonymous: Client, container: object
) -> None:
    icb = commissioner(client)
    create_programme(client, icb["id"], title="Visible to the ICB only")
    outsider = register_person(client, "Olu Outsider", "olu@example.org")
    token = client.post(f"/people/{outsider['id']}/tokens", json={"label": "t"}).json()["secret"]

    response = anonymous.get("/web/portfolio", headers={"Authorization": f"Bearer {token}"})

    assert response.status_code == 200
    assert "Visible to the ICB only" not in response.text
    assert 'data-figure="programmes">0<' in response.text


def test_a_page_redrawn_after_a_refused_form_keeps_its_own_address_for_links_and_as_of(
    client: Client,
) -> None:
    icb = commissioner(client)
    programme = create_programme(client, icb["id"], title="Urgent care")
    path = f"/web/programmes/{programme['id']}"

    response = client.post(f"{path}/shared-purpose/positions", data={"position": "sideways"})

    assert response.status_code == 422
    assert f'class="as-of-picker" method="get" action="{path}"' in response.text
    assert "shared-purpose/positions?" not in response.text
