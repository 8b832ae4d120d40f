"""Text values: what every name and free-text field accepts and refuses."""

from __future__ import annotations

import pytest

from domain.errors import InvalidValue
from domain.values import check_text


@pytest.mark.parametrize(
    "text",
    [
        "مستشفيات ليدز",  # right-to-left without any override
        "می\u200cخواهم",  # noqa: RUF001 - zero-width non-joiner, needed in Persian
        "Nurses 👩\u200d⚕️",  # zero-width joiner inside an emoji sequence
        "Zoë",
        "\ufeffLeading byte-order mark",
    ],
)
def test_visible_text_with_joiners_and_right_to_left_script_is_kept_as_given(text: str) -> None:
    assert check_text("name", text) == text


def test_decomposed_text_is_composed() -> None:
    assert check_text("name", "Zoe\u0308") == "Zoë"


@pytest.mark.parametrize(
    "text", ["\u200b", "\u200d\u200c", "\u00a0\u3000", "\u0301", "\u2028", "\x00"]
)
def test_text_that_shows_nothing_is_refused(text: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        check_text("name", text)

    assert refused.value.field == "name"
    assert "invisible" in refused.value.reason


def test_optional_text_may_be_empty() -> None:
    assert check_text("description", "  ", required=False) == ""


@pytest.mark.parametrize(
    "override",
    ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"],
)
def test_a_bidirectional_override_or_isolate_is_refused(override: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        check_text("name", f"Leeds{override}Hospitals")

    assert "bidirectional" in refused.value.reason


def test_an_unpaired_surrogate_is_refused() -> None:
    # Not reachable through JSON (the decoder refuses it), but through Python callers such
    # as the command line, whose arguments may carry undecodable bytes as surrogates.
    with pytest.raises(InvalidValue) as refused:
        check_text("name", "Leeds\udcffHospitals")

    assert "surrogate" in refused.value.reason
