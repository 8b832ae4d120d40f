"""Within one request a record's events and a person's key are read once, and never stale."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from domain.person import Person
from infra.bootstrap import Container, bootstrap
from infra.request_memo import remembering
from infra.settings import Settings
from services.use_cases.base import ConcurrentWrite


def count_event_reads(container: Container, monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    reads: list[Any] = []
    recorder = container.app.recorder
    select_events = recorder.select_events

    def counted(originator_id: Any, **kwargs: Any) -> Any:
        reads.append(originator_id)
        return select_events(originator_id, **kwargs)

    monkeypatch.setattr(recorder, "select_events", counted)
    return reads


def test_loading_a_record_twice_in_a_request_reads_its_events_once(
    container: Container, monkeypatch: pytest.MonkeyPatch
) -> None:
    organisation = container.app.register_organisation(by=None, name="Leeds CC", kind="partner")
    reads = count_event_reads(container, monkeypatch)

    with remembering():
        first = container.app.repository.get(organisation.id)
        second = container.app.repository.get(organisation.id)

    assert reads == [organisation.id]
    assert first is not second
    assert first.name == second.name == "Leeds CC"


def test_outside_a_request_every_load_reads_the_store(
    container: Container, monkeypatch: pytest.MonkeyPatch
) -> None:
    organisation = container.app.register_organisation(by=None, name="Leeds CC", kind="partner")
    reads = count_event_reads(container, monkeypatch)

    container.app.repository.get(organisation.id)
    container.app.repository.get(organisation.id)

    assert reads == [organisation.id, organisation.id]


def test_a_record_saved_in_the_request_is_loaded_as_saved(container: Container) -> None:
    organisation = container.app.register_organisation(by=None, name="Leeds CC", kind="partner")

    with remembering():
        container.app.repository.get(organisation.id)
        container.app.rename_organisation(
            by=None, organisation_id=organisation.id, name="Leeds City Council", expected_version=1
        )
        reloaded = container.app.repository.get(organisation.id)

    assert reloaded.name == "Leeds City Council"
    assert reloaded.version == 2


def test_after_a_conflict_a_reload_in_the_same_request_sees_the_other_write(
    container: Container, settings: Settings
) -> None:
    organisation = container.app.register_organisation(by=None, name="Leeds CC", kind="partner")
    other = bootstrap(settings)

    def rename_elsewhere() -> None:
        # A thread of its own starts outside this request (as another process would be).
        other.app.rename_organisation(
            by=None, organisation_id=organisation.id, name="York", expected_version=None
        )

    try:
        with remembering():
            stale = container.app.repository.get(organisation.id)
            elsewhere = threading.Thread(target=rename_elsewhere)
            elsewhere.start()
            elsewhere.join()
            stale.rename("Hull")
            with pytest.raises(ConcurrentWrite):
                container.app._save(stale)
            reloaded = container.app.repository.get(organisation.id)
    finally:
        other.close()

    assert reloaded.name == "York"


def test_a_person_erased_in_the_request_is_shown_erased_when_loaded_again(
    container: Container,
) -> None:
    person = container.app.register_person(by=None, name="Zelda Quinn", email="z@example.org")

    with remembering():
        assert container.app.repository.get(person.id).name == "Zelda Quinn"
        container.app.erase_person(by=None, person_id=person.id, reason="ER-1")
        reloaded = container.app.repository.get(person.id)

    assert isinstance(reloaded, Person)
    assert reloaded.erased
    assert "Zelda" not in str(reloaded.name)
