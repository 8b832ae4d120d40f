"""Person: what they write about themselves, and erasure, in memory."""

from __future__ import annotations

from uuid import uuid4

import pytest

from domain.errors import InvalidValue, RuleViolation
from domain.person import Person
from domain.uniqueness import UniqueValue
from domain.values import TEXT_MAX
from tests.unit.support import organisation, pending


def person(about: str | None = None) -> Person:
    ada = Person.register(name="Ada Lovelace", email="ada@example.org", about=about)
    ada.collect_events()
    return ada


def test_a_person_may_register_with_what_they_write_about_themselves() -> None:
    ada = Person.register(name="Ada Lovelace", email="ada@example.org", about="  Counts things ")

    assert ada.about == "Counts things"
    assert pending(ada)[0].about == "Counts things"


def test_changing_about_records_it_and_an_empty_text_clears_it() -> None:
    ada = person(about="Counts things")

    ada.change_about("Writes notes")
    ada.change_about("   ")

    assert [e.about for e in pending(ada)] == ["Writes notes", None]
    assert ada.about is None


def test_about_longer_than_the_text_limit_is_refused() -> None:
    with pytest.raises(InvalidValue) as refused:
        person().change_about("x" * (TEXT_MAX + 1))

    assert refused.value.field == "about"


def test_erasing_replaces_personal_data_with_the_placeholder_and_records_no_personal_data() -> None:
    ada = person(about="Counts things")

    ada.erase(7, "ER-2026-014")

    (erased,) = pending(ada)
    assert (ada.name, ada.email, ada.about, ada.erased) == ("erased person #7", None, None, True)
    assert {k: v for k, v in vars(erased).items() if k in ("number", "reason")} == {
        "number": 7,
        "reason": "ER-2026-014",
    }
    assert "Ada" not in repr(vars(erased))


def test_erasing_an_erased_person_records_nothing() -> None:
    ada = person()
    ada.erase(7, "ER-1")
    ada.collect_events()

    ada.erase(7, "ER-1 again")

    assert pending(ada) == []


def test_an_erasure_needs_a_reason() -> None:
    with pytest.raises(InvalidValue) as refused:
        person().erase(7, "  ")

    assert refused.value.field == "reason"


def test_an_erased_person_can_neither_write_about_themselves_nor_join() -> None:
    ada = person()
    ada.erase(7, "ER-1")

    with pytest.raises(RuleViolation):
        ada.change_about("Back")
    with pytest.raises(RuleViolation):
        ada.join(organisation())


def test_a_released_claim_can_be_claimed_again_by_someone_else() -> None:
    claim = UniqueValue(namespace="email", value="ada@example.org", owner_id=uuid4())
    newcomer = uuid4()

    claim.release()
    assert (claim.released, claim.value) == (True, None)
    claim.reclaim("ada@example.org", newcomer)

    assert (claim.owner_id, claim.value, claim.released) == (newcomer, "ada@example.org", False)


def test_a_claim_still_held_cannot_be_claimed_again() -> None:
    claim = UniqueValue(namespace="email", value="ada@example.org", owner_id=uuid4())

    with pytest.raises(RuleViolation):
        claim.reclaim("ada@example.org", uuid4())
