"""The chain's hash format: pinned, because every stored chain depends on it (ADR 9)."""

from __future__ import annotations

import hashlib

from infra.event_chain import GENESIS, link_hash

ORIGINATOR = "00000000-0000-0000-0000-000000000001"
TOPIC = "domain.person:Person.Registered"
STATE = b'{"name":"Ada"}'


def test_the_genesis_hash_is_the_published_constant() -> None:
    assert hashlib.sha256(b"changeledger event chain v1").hexdigest() == GENESIS


def test_a_link_hashes_each_field_length_prefixed_in_a_fixed_order() -> None:
    fields = [GENESIS.encode(), b"1", ORIGINATOR.encode(), b"1", TOPIC.encode(), STATE]
    spelled_out = b"".join(len(f).to_bytes(8, "big") + f for f in fields)

    assert link_hash(GENESIS, 1, ORIGINATOR, 1, TOPIC, STATE) == (
        hashlib.sha256(spelled_out).hexdigest()
    )
    # A known answer, so that another implementation can check itself against ours.
    assert link_hash(GENESIS, 1, ORIGINATOR, 1, TOPIC, STATE) == (
        "df0934943dda73415af5c40fcc97f8c0f666216003cf68ae540a80cd68836a89"
    )


def test_moving_bytes_between_neighbouring_fields_changes_the_hash() -> None:
    assert link_hash(GENESIS, 1, ORIGINATOR, 1, "ab", b"c") != link_hash(
        GENESIS, 1, ORIGINATOR, 1, "a", b"bc"
    )


def test_every_field_is_covered() -> None:
    base = (GENESIS, 1, ORIGINATOR, 1, TOPIC, STATE)
    changed = [
        ("0" * 64, 1, ORIGINATOR, 1, TOPIC, STATE),
        (GENESIS, 2, ORIGINATOR, 1, TOPIC, STATE),
        (GENESIS, 1, ORIGINATOR.replace("1", "2"), 1, TOPIC, STATE),
        (GENESIS, 1, ORIGINATOR, 2, TOPIC, STATE),
        (GENESIS, 1, ORIGINATOR, 1, TOPIC + "X", STATE),
        (GENESIS, 1, ORIGINATOR, 1, TOPIC, STATE + b" "),
    ]

    hashes = {link_hash(*fields) for fields in [base, *changed]}

    assert len(hashes) == 1 + len(changed)
