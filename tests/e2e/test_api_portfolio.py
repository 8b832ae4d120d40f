"""GET /portfolio: every programme with its key figures, sorted and paginated."""

from __future__ import annotations

from tests.e2e.support import UNKNOWN_ID, Client, create_programme, register_organisation


def _two_programmes(client: Client) -> str:
    icb = register_organisation(client, "West Yorkshire ICB", kind="commissioner")
    create_programme(client, icb["id"], title="Urgent Care")
    create_programme(client, icb["id"], title="Elective Recovery")
    return str(icb["id"])


def test_the_portfolio_lists_every_programme_with_its_figures(client: Client) -> None:
    icb_id = _two_programmes(client)

    response = client.get("/portfolio")

    assert response.status_code == 200
    body = response.json()
    assert [item["title"] for item in body["items"]] == ["Elective Recovery", "Urgent Care"]
    first = body["items"][0]
    assert first["lead_commissioner_id"] == icb_id
    assert first["lead_commissioner_name"] == "West Yorkshire ICB"
    assert (first["components"], first["reviewed"], first["never_reviewed"]) == (8, 0, 8)
    assert (first["stale"], first["overdue_commitments"], first["bus_factor"]) == (0, 0, 0)
    assert first["endorsement_share"] is None
    assert body["totals"]["programmes"] == 2
    assert body["totals"]["stale_components"] is None  # only counted when sorting by a figure
    assert (body["total"], body["limit"], body["offset"]) == (2, 50, 0)
    assert body["as_of"] is None


def test_the_portfolio_pages_and_sorts_either_way(client: Client) -> None:
    _two_programmes(client)

    response = client.get("/portfolio", params={"order": "desc", "limit": 1, "offset": 1})

    assert response.status_code == 200
    assert [item["title"] for item in response.json()["items"]] == ["Elective Recovery"]
    assert response.json()["total"] == 2


def test_a_commissioner_filter_keeps_its_own_programmes(client: Client) -> None:
    icb_id = _two_programmes(client)
    other = register_organisation(client, "Other ICB", kind="commissioner")
    create_programme(client, other["id"], title="Community Beds")

    response = client.get("/portfolio", params={"commissioner_id": icb_id.upper()})

    assert response.status_code == 200
    assert response.json()["commissioner_id"] == icb_id
    assert response.json()["total"] == 2


def test_a_bad_sort_order_or_organisation_is_invalid_input_naming_the_field(
    client: Client,
) -> None:
    for params, field in [
        ({"sort": "size"}, "sort"),
        ({"order": "sideways"}, "order"),
        ({"commissioner_id": "not-an-id"}, "commissioner_id"),
        ({"commissioner_id": UNKNOWN_ID}, "commissioner_id"),
        ({"as_of": "yesterday"}, "as_of"),
    ]:
        response = client.get("/portfolio", params=params)
        assert response.status_code == 422, (params, response.text)
        assert response.json()["errors"][0]["field"] == field
