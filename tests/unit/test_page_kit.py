"""The pieces every page is made of: as-of dates, CSV cells, links and SVG escaping."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from domain.errors import InvalidValue
from services.web.charts.svg import element
from services.web.page_kit import as_of_from, csv_cell, with_query


def test_a_date_as_of_means_the_end_of_that_day_in_utc() -> None:
    as_of = as_of_from("2026-05-01")

    assert as_of.moment.as_of == datetime(2026, 5, 1, 23, 59, 59, 999999, tzinfo=UTC)
    assert as_of.date_value == "2026-05-01"
    assert as_of.label == "as of the end of 2026-05-01 (UTC)"


def test_a_precise_as_of_time_is_read_as_given() -> None:
    as_of = as_of_from("2026-05-01T10:30:00+01:00")

    assert as_of.moment.as_of == datetime(2026, 5, 1, 9, 30, tzinfo=UTC)
    assert as_of.label == "as of 2026-05-01T09:30:00+00:00"


def test_no_as_of_reads_now() -> None:
    as_of = as_of_from("  ")

    assert as_of.raw is None
    assert as_of.moment.as_of is None
    assert as_of.date_value == ""


@pytest.mark.parametrize("value", ["yesterday", "2026-13-01", "2026-05-01T10:00:00", "0001-01-01"])
def test_an_unreadable_as_of_names_the_field(value: str) -> None:
    with pytest.raises(InvalidValue) as raised:
        as_of_from(value)

    assert raised.value.field == "as_of"


@pytest.mark.parametrize("value", ["=1+1", "+44 113", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_a_csv_cell_that_looks_like_a_formula_is_kept_as_text(value: str) -> None:
    assert csv_cell(value) == "'" + value


def test_ordinary_csv_cells_are_unchanged() -> None:
    assert csv_cell("Leeds Teaching Hospitals") == "Leeds Teaching Hospitals"
    assert csv_cell(3) == "3"
    assert csv_cell(None) == ""


def test_links_leave_out_empty_parameters_and_encode_the_rest() -> None:
    assert with_query("/web/portfolio", {"as_of": None, "sort": ""}) == "/web/portfolio"
    assert (
        with_query("/web/portfolio", {"as_of": "2026-05-01T10:00:00+01:00", "offset": 50})
        == "/web/portfolio?as_of=2026-05-01T10%3A00%3A00%2B01%3A00&offset=50"
    )


def test_svg_text_and_attributes_are_escaped() -> None:
    markup = element("text", {"x": 1.5, "class": '"><script>'}, "<b>Tom & Jerry</b>")

    assert str(markup) == (
        '<text x="1.5" class="&#34;&gt;&lt;script&gt;">&lt;b&gt;Tom &amp; Jerry&lt;/b&gt;</text>'
    )
