"""The acting person, set with domain.actor.acting_as, is stamped on every event."""

from __future__ import annotations

from uuid import uuid4

from domain.actor import acting_as, current_actor
from domain.api_token import ApiToken
from domain.organisation import Organisation
from domain.person import Person
from domain.programme import Programme
from domain.uniqueness import UniqueValue
from projections.directory import DirectoryProjection
from tests.unit.support import ago, collected, pending


def test_nobody_is_acting_unless_someone_is_named() -> None:
    assert current_actor() is None


def test_an_event_recorded_outside_acting_as_has_no_actor() -> None:
    org = Organisation.register(name="A Trust", kind="provider")

    assert pending(org)[0].actor_id is None


def test_acting_as_stamps_the_actor_on_a_creation_event() -> None:
    actor = uuid4()

    with acting_as(actor):
        org = Organisation.register(name="A Trust", kind="provider")

    assert pending(org)[0].actor_id == actor


def test_acting_as_stamps_the_actor_on_every_event_of_every_aggregate() -> None:
    actor = uuid4()

    with acting_as(actor):
        lead = Organisation.register(name="An ICB", kind="commissioner")
        provider = Organisation.register(name="A Trust", kind="provider")
        successor = Organisation.register(name="A New Trust", kind="provider")
        provider.rename("A Renamed Trust")
        ada = Person.register(name="Ada Lovelace", email="ada@example.org")
        ada.join(provider, ago(days=2))
        ada.leave(provider.id, ago(days=1))
        prog = Programme.create("Urgent Care", "", lead)
        prog.update_details(title="Urgent and Emergency Care")
        prog.add_participant(provider, "provider")
        prog.add_workstream("Mental Health")
        prog.transfer_participation(provider.id, successor)
        prog.remove_participant(successor.id)
        prog.appoint_auditor(ada.id)
        prog.remove_auditor(ada.id)
        provider.merge_into(successor)
        successor.dissolve()
        token = ApiToken.issue("clg_secret", ada.id, "laptop", None)
        token.revoke()
        claim = UniqueValue(namespace="email", value="ada@example.org", owner_id=ada.id)
        ada.change_about("Counts things")
        ada.erase(1, "ER-1")
        claim.release()
        claim.reclaim("ada@example.org", uuid4())

    events = [
        e
        for aggregate in (lead, provider, successor, ada, prog, token, claim)
        for e in collected(aggregate)
    ]
    assert len(events) == 24
    # Every kind of event the domain has (the directory handles all but the claim's).
    assert {type(e).__qualname__ for e in events} == {
        *DirectoryProjection.handlers.by_name,
        "UniqueValue.Claimed",
        "UniqueValue.Released",
        "UniqueValue.Reclaimed",
    }
    assert {e.actor_id for e in events} == {actor}


def test_each_event_carries_whoever_was_acting_when_it_was_recorded() -> None:
    first, second = uuid4(), uuid4()

    with acting_as(first):
        org = Organisation.register(name="A Trust", kind="provider")
    with acting_as(second):
        org.rename("The Trust")
    org.dissolve()

    assert [e.actor_id for e in collected(org)] == [first, second, None]


def test_the_previous_actor_is_restored_when_acting_as_ends() -> None:
    outer, inner = uuid4(), uuid4()

    with acting_as(outer):
        with acting_as(inner):
            assert current_actor() == inner
        assert current_actor() == outer
    assert current_actor() is None


def test_the_previous_actor_is_restored_when_acting_as_ends_with_an_error() -> None:
    actor = uuid4()

    try:
        with acting_as(actor):
            raise RuntimeError("boom")
    except RuntimeError:
        pass

    assert current_actor() is None


def test_acting_as_none_means_the_platform_even_inside_a_named_actor() -> None:
    with acting_as(uuid4()), acting_as(None):
        org = Organisation.register(name="A Trust", kind="provider")

    assert pending(org)[0].actor_id is None
