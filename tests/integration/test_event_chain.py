"""The tamper-evident event chain: written with every save, and re-computed by verify.

Each tampering test changes the database directly with SQL, the way someone with database
access could, and checks that verify names the first event that was changed and how.
"""

from __future__ import annotations

import itertools

import pytest

from infra.bootstrap import Container
from infra.event_chain import GENESIS
from infra.settings import Settings
from tests.integration.chain_support import RawLog, recorder_of, register, verify


def test_a_fresh_log_verifies_with_every_event_chained(
    container: Container, settings: Settings
) -> None:
    register(container, 4)
    raw = RawLog(settings)

    verdict = verify(container)

    assert verdict.intact
    assert verdict.finding is None
    assert verdict.events == len(raw.positions()) == 8
    assert verdict.head is not None
    assert verdict.head.hash == raw.head_hash()
    assert verdict.head.notification_id == raw.positions()[-1]


def test_an_empty_log_verifies_with_the_genesis_head(container: Container) -> None:
    verdict = verify(container, minuted_head=GENESIS)

    assert verdict.intact
    assert verdict.events == 0
    assert verdict.head is None


def test_each_link_follows_the_previous_one_from_the_genesis_hash(
    container: Container, settings: Settings
) -> None:
    register(container, 2)
    raw = RawLog(settings)

    links = [raw.link(position) for position in raw.positions()]

    assert links[0][0] == GENESIS
    for (_, previous), (prev_hash, _) in itertools.pairwise(links):
        assert prev_hash == previous


def test_the_head_moves_with_each_write(container: Container, settings: Settings) -> None:
    raw = RawLog(settings)
    heads = []
    for i in range(3):
        container.app.register_person(by=None, name=f"P{i}", email=f"p{i}@example.org")
        heads.append(raw.head_hash())

    assert len(set(heads)) == 3
    assert verify(container).head.hash == heads[-1]  # type: ignore[union-attr]


def test_verify_names_the_first_edited_event(container: Container, settings: Settings) -> None:
    register(container, 5)
    raw = RawLog(settings)
    positions = raw.positions()
    first, later = positions[4], positions[8]
    raw.edit_state(later)
    raw.edit_state(first)

    verdict = verify(container)

    assert verdict.finding is not None
    assert verdict.finding.kind == "edited"
    assert verdict.finding.notification_id == first
    oid, version, topic, _ = raw.event(first)
    assert (verdict.finding.originator_id, verdict.finding.originator_version) == (oid, version)
    assert verdict.finding.topic == topic
    assert verdict.events == 4
    assert verdict.head is not None
    assert verdict.head.notification_id == positions[3]


def test_verify_names_an_event_deleted_from_the_log_by_its_chain_row(
    container: Container, settings: Settings
) -> None:
    register(container, 4)
    raw = RawLog(settings)
    victim = raw.positions()[5]
    oid, version, topic, _ = raw.event(victim)
    raw.delete_event(victim)

    finding = verify(container).finding

    assert finding is not None
    assert finding.kind == "deleted"
    assert (finding.notification_id, finding.originator_id) == (victim, oid)
    assert (finding.originator_version, finding.topic) == (version, topic)


def test_verify_catches_the_last_event_deleted_from_the_log(
    container: Container, settings: Settings
) -> None:
    register(container, 2)
    raw = RawLog(settings)
    last = raw.positions()[-1]
    raw.delete_event(last)

    finding = verify(container).finding

    assert finding is not None
    assert (finding.kind, finding.notification_id) == ("deleted", last)


def test_verify_names_the_event_after_one_deleted_with_its_chain_row(
    container: Container, settings: Settings
) -> None:
    register(container, 4)
    raw = RawLog(settings)
    positions = raw.positions()
    raw.delete_event(positions[3])
    raw.delete_link(positions[3])

    finding = verify(container).finding

    assert finding is not None
    assert finding.kind == "deleted"
    assert finding.notification_id == positions[4]
    assert f"#{positions[2]}" in finding.detail


def test_verify_reports_two_swapped_events_as_reordered(
    container: Container, settings: Settings
) -> None:
    register(container, 4)
    raw = RawLog(settings)
    positions = raw.positions()
    first, second = positions[2], positions[6]
    moved = raw.event(second)
    raw.swap(first, second)

    finding = verify(container).finding

    assert finding is not None
    assert finding.kind == "reordered"
    assert finding.notification_id == first
    assert (finding.originator_id, finding.originator_version) == moved[:2]
    assert f"chained at #{second}" in finding.detail


def test_verify_reports_a_forged_event_without_a_chain_row_as_inserted(
    container: Container, settings: Settings
) -> None:
    register(container, 3)
    raw = RawLog(settings)
    # Past the next id PostgreSQL's sequence hands out, so later writes still succeed.
    forged_at = raw.positions()[-1] + 5
    forged = raw.forge_event(forged_at, like=raw.positions()[2])
    register(container, 1)

    finding = verify(container).finding

    assert finding is not None
    assert finding.kind == "inserted"
    assert finding.notification_id == forged_at
    assert finding.originator_id == forged[0]


def test_verify_catches_a_forged_event_whose_chain_row_has_a_wrong_hash(
    container: Container, settings: Settings
) -> None:
    register(container, 3)
    raw = RawLog(settings)
    forged_at = raw.positions()[-1] + 5
    forged = raw.forge_event(forged_at, like=raw.positions()[2])
    raw.forge_link(forged_at, forged, prev_hash=raw.head_hash(), hash_="0" * 64)
    register(container, 1)

    finding = verify(container).finding

    assert finding is not None
    assert finding.notification_id == forged_at
    assert finding.originator_id == forged[0]
    assert "forged chain row" in finding.detail


@pytest.mark.parametrize("settings", ["postgres"], indirect=True)
def test_verify_names_a_forged_event_slipped_into_a_gap_with_a_well_forged_chain_row(
    container: Container, settings: Settings
) -> None:
    # PostgreSQL leaves gaps in notification ids (a failed write uses up its ids); a forger
    # who knows the hashing can fill one with an event and a correctly hashed chain row.
    register(container, 2)
    raw = RawLog(settings)
    before_gap = raw.positions()[-1]
    raw.run(
        "SELECT setval(pg_get_serial_sequence('changeledger_events', 'notification_id'), ?)",
        [before_gap + 1],
    )
    register(container, 1)
    gap = before_gap + 1
    forged = raw.forge_event(gap, like=raw.positions()[1])
    raw.forge_link(gap, forged, prev_hash=raw.link(before_gap)[1])

    finding = verify(container).finding

    assert finding is not None
    assert finding.kind == "inserted"
    assert (finding.notification_id, finding.originator_id) == (gap, forged[0])


def test_a_chain_rewritten_after_an_edit_is_caught_only_against_the_minuted_head(
    container: Container, settings: Settings
) -> None:
    register(container, 3)
    raw = RawLog(settings)
    minuted = raw.head_hash()
    register(container, 1)
    victim = raw.positions()[2]
    raw.edit_state(victim)
    raw.rechain_from(victim)

    alone = verify(container)
    against_minutes = verify(container, minuted_head=minuted)

    assert alone.intact
    assert not against_minutes.intact
    assert against_minutes.minuted_found is False


def test_a_minuted_head_is_found_while_the_log_is_untouched(container: Container) -> None:
    register(container, 2)
    minuted = verify(container).head.hash  # type: ignore[union-attr]
    register(container, 1)

    verdict = verify(container, minuted_head=minuted)

    assert verdict.intact
    assert verdict.minuted_found is True


def test_backfill_chains_a_log_written_before_the_chain_existed(
    container: Container, settings: Settings
) -> None:
    register(container, 3)
    raw = RawLog(settings)
    head_before = raw.head_hash()
    raw.run("DELETE FROM changeledger_event_chain")

    chained = recorder_of(container).backfill_chain()
    again = recorder_of(container).backfill_chain()

    assert chained == len(raw.positions())
    assert again == 0
    assert raw.head_hash() == head_before
    assert verify(container).intact


def test_a_log_with_no_chain_is_reported_with_how_to_start_one(
    container: Container, settings: Settings
) -> None:
    register(container, 1)
    RawLog(settings).run("DELETE FROM changeledger_event_chain")

    finding = verify(container).finding

    assert finding is not None
    assert finding.kind == "inserted"
    assert "init-db" in finding.detail


def test_verify_names_an_event_whose_state_was_blanked_out(
    container: Container, settings: Settings
) -> None:
    register(container, 2)
    raw = RawLog(settings)
    victim = raw.positions()[1]
    raw.run(f"UPDATE {raw.events} SET state = NULL WHERE {raw.id} = ?", [victim])

    finding = verify(container).finding

    assert finding is not None
    assert (finding.kind, finding.notification_id) == ("edited", victim)


def test_verify_catches_an_edited_chain_row(container: Container, settings: Settings) -> None:
    register(container, 3)
    raw = RawLog(settings)
    victim = raw.positions()[2]
    raw.run(
        "UPDATE changeledger_event_chain SET hash = ? WHERE notification_id = ?", ["f" * 64, victim]
    )

    finding = verify(container).finding

    assert finding is not None
    assert finding.notification_id == victim
