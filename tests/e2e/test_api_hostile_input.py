"""Hostile input: huge and deeply nested bodies, unicode edge cases, injection strings.

Each refusal is a problem with a 4xx status and records nothing; each accepted value comes
back exactly as the ledger stores it. What is accepted (see domain/values.py ``check_text``):
any script, emoji, joiners and combining marks, stored NFC-normalised and trimmed. What is
refused with 422 naming the field: control characters, bidirectional overrides, values that
show nothing (whitespace, zero-width or combining characters alone), and over-long values.
Lone surrogates cannot be decoded from JSON at all: 400.
"""

from __future__ import annotations

import json
import sqlite3
import unicodedata
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest

from infra.settings import Settings
from tests.e2e.support import Client, assert_problem, event_count

JSON = {"Content-Type": "application/json"}
OVER_LIMIT = 70_000  # the default body limit is 64 KiB


def raw_post(client: Client, path: str, body: bytes) -> Any:
    return client.post(path, content=body, headers=JSON)


def organisation(client: Client, name: str, kind: str = "provider") -> dict[str, Any]:
    response = client.post("/organisations", json={"name": name, "kind": kind})
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def table_names(settings: Settings) -> set[str]:
    if settings.database.is_postgres:
        with psycopg.connect(settings.database.url) as conn:
            rows = conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
            ).fetchall()
    else:
        with sqlite3.connect(settings.database.sqlite_path) as conn:
            rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    return {row[0] for row in rows}


@pytest.fixture
def unchanged(client: Client) -> Iterator[None]:
    """The test's requests record nothing."""
    before = event_count(client)
    yield
    assert event_count(client) == before


@pytest.fixture
def programme_id(client: Client) -> str:
    icb = client.post("/organisations", json={"name": "ICB", "kind": "commissioner"}).json()
    programme = client.post(
        "/programmes", json={"title": "Urgent care", "lead_commissioner_id": icb["id"]}
    )
    assert programme.status_code == 201, programme.text
    programme_id: str = programme.json()["id"]
    return programme_id


# Oversized bodies


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/organisations", {"name": "x" * OVER_LIMIT, "kind": "provider"}),
        ("/people", {"name": "Grace", "email": f"{'g' * OVER_LIMIT}@example.org"}),
        ("/programmes/{programme}/workstreams", {"name": "w" * OVER_LIMIT}),
    ],
)
def test_an_oversized_body_is_a_413_problem_and_records_nothing(
    client: Client, programme_id: str, path: str, body: dict[str, Any]
) -> None:
    before = event_count(client)

    response = raw_post(client, path.format(programme=programme_id), json.dumps(body).encode())

    assert_problem(response, 413, detail="larger than the 65536 bytes accepted")
    assert event_count(client) == before


def test_an_oversized_body_sent_in_chunks_without_a_length_is_a_413_problem(
    client: Client, unchanged: None
) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"kind": "provider", "name": "'
        for _ in range(OVER_LIMIT // 1000):
            yield b"x" * 1000
        yield b'"}'

    response = client.post("/organisations", content=chunks(), headers=JSON)

    assert_problem(response, 413, detail="larger than the 65536 bytes accepted")


# Deeply nested JSON


@pytest.mark.parametrize(
    "body",
    [
        b"[" * 20_000 + b"]" * 20_000,
        b'{"a":' * 10_000 + b"1" + b"}" * 10_000,
        b'{"kind": "provider", "name": ' + b"[" * 20_000 + b"]" * 20_000 + b"}",
    ],
    ids=["arrays", "objects", "inside-a-field"],
)
def test_json_nested_too_deeply_to_decode_is_a_400_problem_and_records_nothing(
    client: Client, unchanged: None, body: bytes
) -> None:
    response = raw_post(client, "/organisations", body)

    assert_problem(response, 400, detail="nested too deeply")


def test_nesting_the_decoder_can_read_where_a_name_belongs_is_a_422_naming_the_field(
    client: Client, unchanged: None
) -> None:
    body = b'{"kind": "provider", "name": ' + b"[" * 500 + b"]" * 500 + b"}"

    response = raw_post(client, "/organisations", body)

    assert_problem(response, 422, field="name")


# Unicode in names: accepted values come back exactly

ACCEPTED_NAMES = {
    "arabic": "مستشفيات ليدز التعليمية",
    "hebrew": "בית חולים לידס",
    "emoji": "🏥 Leeds Urgent Care 🚑",
    "zwj-emoji": "Nurses 👩‍⚕️ and doctors 👨🏽‍⚕️",
    "zwnj-persian": "می‌خواهم",
    "combining-nfc": "Zoë Ångström-Nuñez",
    "combining-stacked": "Ḝ̃ ṩ̂",
    "astral": "\U0001d50f\U0001d522\U0001d522\U0001d521\U0001d530 \U00010437 \U0002070e",
    "cjk": "利兹教学医院",
    "max-emoji": "🏥" * 200,
    "max-ascii": "x" * 200,
}


@pytest.mark.parametrize("name", ACCEPTED_NAMES.values(), ids=ACCEPTED_NAMES.keys())
def test_an_accepted_unicode_name_round_trips_exactly(client: Client, name: str) -> None:
    assert unicodedata.is_normalized("NFC", name)
    created = organisation(client, name)

    read = client.get(f"/organisations/{created['id']}").json()
    listed = client.get("/organisations", params={"limit": 200}).json()["items"]

    assert created["name"] == read["name"] == name
    assert [item["name"] for item in listed if item["id"] == created["id"]] == [name]


def test_a_person_s_unicode_name_round_trips_exactly(client: Client) -> None:
    name = "Siobhán Ní Bhriain 👩🏾‍🔬"
    created = client.post("/people", json={"name": name, "email": "siobhan@example.org"})

    read = client.get(f"/people/{created.json()['id']}")

    assert created.status_code == 201, created.text
    assert read.json()["name"] == name


def test_a_decomposed_name_is_stored_composed(client: Client) -> None:
    decomposed = "Zoe\u0308 Ange\u0301lique"

    created = organisation(client, decomposed)

    assert created["name"] == "Zoë Angélique" == unicodedata.normalize("NFC", decomposed)


def test_a_decomposed_name_is_measured_once_composed(client: Client) -> None:
    # 400 code points as sent, 200 characters composed: within the limit.
    created = organisation(client, "e\u0301" * 200)

    assert created["name"] == "é" * 200


def test_an_email_spelled_decomposed_is_the_same_email_as_composed(client: Client) -> None:
    first = client.post("/people", json={"name": "Zoë", "email": "zoë@example.org"})

    second = client.post("/people", json={"name": "Zoë", "email": "zoe\u0308@example.org"})

    assert first.status_code == 201, first.text
    assert_problem(second, 409, field="email")


def test_free_text_keeps_its_lines_tabs_and_scripts_exactly(client: Client) -> None:
    icb = organisation(client, "ICB", kind="commissioner")
    text = "Aims:\n\t1. One front door 🚪\n\t2. مستشفى — בית חולים\n\nZoë's «notes» ✓"

    created = client.post(
        "/programmes",
        json={"title": "Urgent care", "lead_commissioner_id": icb["id"], "description": text},
    )
    read = client.get(f"/programmes/{created.json()['id']}")

    assert created.status_code == 201, created.text
    assert read.json()["description"] == text


def test_a_bidirectional_override_in_free_text_is_a_422_naming_the_field(
    client: Client, programme_id: str, unchanged: None
) -> None:
    response = client.patch(
        f"/programmes/{programme_id}", json={"description": "Approved \u202edevorppa ton"}
    )

    assert_problem(response, 422, field="description", detail="bidirectional")


REFUSED_NAMES = {
    "nul": ("Leeds\x00Hospitals", "control characters"),
    "escape": ("Leeds\x1b[31mHospitals", "control characters"),
    "rtl-override": ("Leeds\u202eslatipsoH", "bidirectional"),
    "rtl-isolate": ("Leeds \u2067Hospitals\u2069", "bidirectional"),
    "whitespace": ("   \t  ", "empty"),
    "unicode-spaces": ("\u00a0\u2003\u3000", "empty"),
    "zero-width": ("\u200b\u200d\ufeff", "invisible"),
    "combining-only": ("\u0301\u0308", "invisible"),
    "over-long": ("x" * 201, "at most 200"),
    "over-long-emoji": ("🏥" * 201, "at most 200"),
}


@pytest.mark.parametrize(("name", "reason"), REFUSED_NAMES.values(), ids=REFUSED_NAMES.keys())
def test_a_refused_name_is_a_422_naming_the_field_and_records_nothing(
    client: Client, unchanged: None, name: str, reason: str
) -> None:
    response = client.post("/organisations", json={"name": name, "kind": "provider"})

    assert_problem(response, 422, field="name", detail=reason)


@pytest.mark.parametrize(
    "body",
    [
        b'{"kind": "provider", "name": "Leeds \\ud800 Hospitals"}',
        b'{"kind": "provider", "name": "Leeds \\udc00\\ud800 Hospitals"}',
        b'{"kind": "provider", "name": "Leeds \xed\xa0\x80 Hospitals"}',
    ],
    ids=["escaped-high", "escaped-reversed-pair", "raw-bytes"],
)
def test_a_lone_surrogate_is_a_400_problem_and_records_nothing(
    client: Client, unchanged: None, body: bytes
) -> None:
    response = raw_post(client, "/organisations", body)

    assert_problem(response, 400)


# Injection strings: stored verbatim, returned verbatim, the database intact

SQL_INJECTIONS = [
    "Robert'); DROP TABLE stored_events;--",
    "' OR '1'='1",
    '"; DELETE FROM organisations; --',
    "1; SELECT pg_sleep(30); --",
    "\\'; TRUNCATE projection_tracking; --",
    "name' UNION SELECT secret_hash FROM api_tokens --",
]


def test_sql_injection_strings_are_stored_and_returned_verbatim_and_the_tables_are_intact(
    client: Client, settings: Settings
) -> None:
    first = organisation(client, "Leeds Teaching Hospitals")
    tables = table_names(settings)
    before = event_count(client)

    created = [organisation(client, text) for text in SQL_INJECTIONS]
    listed = client.get("/organisations", params={"limit": 200}).json()

    assert [c["name"] for c in created] == SQL_INJECTIONS
    for record, text in zip(created, SQL_INJECTIONS, strict=True):
        assert client.get(f"/organisations/{record['id']}").json()["name"] == text
    assert listed["total"] == 1 + len(SQL_INJECTIONS)
    assert client.get(f"/organisations/{first['id']}").status_code == 200
    assert event_count(client) == before + len(SQL_INJECTIONS)
    assert table_names(settings) == tables


@pytest.mark.parametrize(
    ("path", "params", "status"),
    [
        ("/organisations", {"kind": "' OR 1=1 --"}, 422),
        ("/organisations", {"limit": "1; DROP TABLE stored_events"}, 422),
        ("/commitments", {"programme_id": "' OR '1'='1"}, 422),
        ("/portfolio", {"sort": "title; DROP TABLE stored_events"}, 422),
        ("/portfolio", {"order": "asc, (SELECT 1)"}, 422),
        ("/organisations/' OR '1'='1", {}, 404),
        ("/organisations/1%3B%20DROP%20TABLE%20stored_events", {}, 404),
    ],
)
def test_sql_injection_in_paths_and_query_parameters_is_refused_and_the_tables_are_intact(
    client: Client,
    settings: Settings,
    unchanged: None,
    path: str,
    params: dict[str, str],
    status: int,
) -> None:
    tables = table_names(settings)

    response = client.get(path, params=params)

    assert_problem(response, status)
    assert table_names(settings) == tables


HTML_INJECTIONS = [
    "<script>alert('owned')</script>",
    '<img src=x onerror="alert(1)">',
    "</script><svg/onload=alert(1)>",
    "Leeds &amp; York <b>Partnership</b>",
    "{{7*7}} ${7*7} <%= 7*7 %>",
]


@pytest.mark.parametrize("text", HTML_INJECTIONS)
def test_html_and_script_strings_are_stored_verbatim_and_served_as_json(
    client: Client, text: str
) -> None:
    created = organisation(client, text)

    read = client.get(f"/organisations/{created['id']}")

    assert read.headers["content-type"].startswith("application/json")
    assert read.json()["name"] == text
    history = client.get(f"/organisations/{created['id']}/history")
    assert history.headers["content-type"].startswith("application/json")
    assert history.json()["items"][0]["data"]["name"] == text


@pytest.mark.parametrize(
    "path",
    [
        "/organisations/<script>alert(1)</script>",
        "/no-such-page/<script>alert(1)</script>",
        "/schema/<script>alert(1)</script>",
        "/schema/<script>alert(1)</script>.json",
        "/schema?<script>alert(1)</script>",
        "/schema/swagger?q=<script>alert(1)</script>",
    ],
)
def test_a_page_that_echoes_the_request_escapes_it_or_is_not_html(
    client: Client, path: str
) -> None:
    response = client.get(path)

    assert response.status_code < 500
    content_type = response.headers.get("content-type", "")
    if content_type.startswith("text/html"):
        assert "<script>alert(1)" not in response.text
    else:
        assert content_type.startswith(("application/json", "application/problem+json"))


# Times at the ends of the calendar

OUT_OF_RANGE_TIMES = [
    "0001-01-01T00:00:00+14:00",  # before year 1 once in UTC
    "9999-12-31T23:59:59-14:00",  # after year 9999 once in UTC
    "9999-12-31T23:59:59Z",  # reports count days on from it
    "1899-12-31T23:59:59Z",
]


@pytest.mark.parametrize("as_of", OUT_OF_RANGE_TIMES)
@pytest.mark.parametrize(
    "path",
    ["/portfolio", "/alerts", "/resilience", "/organisations/{icb}/commitment-tracker"],
)
def test_a_report_read_as_of_the_ends_of_the_calendar_is_a_422_naming_as_of(
    client: Client, path: str, as_of: str
) -> None:
    icb = organisation(client, "ICB", kind="commissioner")

    response = client.get(
        path.format(icb=icb["id"]), params={"as_of": as_of, "due_next_30_days": "true"}
    )

    assert_problem(response, 422, field="as_of")


def test_a_record_read_as_of_a_time_before_year_1_in_utc_is_a_422_naming_as_of(
    client: Client, programme_id: str
) -> None:
    response = client.get(
        f"/programmes/{programme_id}/framework", params={"as_of": "0001-01-01T00:00:00+14:00"}
    )

    assert_problem(response, 422, field="as_of", detail="years 1 and 9999")


def test_a_body_time_before_year_1_in_utc_is_a_422_naming_the_field_and_records_nothing(
    client: Client, ada_id: Any
) -> None:
    icb = organisation(client, "ICB", kind="commissioner")
    before = event_count(client)

    response = client.post(
        f"/people/{ada_id}/join",
        json={"organisation_id": icb["id"], "occurred_at": "0001-01-01T00:00:00+14:00"},
    )

    assert_problem(response, 422, field="occurred_at")
    assert event_count(client) == before
