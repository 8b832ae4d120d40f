"""Confidential text on real stores (SQLite and PostgreSQL): the commitments view keeps each
note's flag, events stored before the flag existed read as not confidential, and the notes
view rebuilds from the log to the same rows."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.sqlite import SQLiteApplicationRecorder

from infra.bootstrap import Container
from projections.commitments import STATUSES
from projections.commitments_queries import CommitmentQueries
from projections.confidential_notes import NOTES
from tests.integration.commitment_support import accepted, days, make, row, sides
from tests.unit.support import ago


def _stored_without(container: Container, record_id: UUID, version: int, field: str) -> None:
    """Rewrite one stored event as a release before ``field`` existed would have stored it."""
    app = container.app
    mapper: Any = app.mapper
    (stored,) = [
        s for s in app.recorder.select_events(record_id) if s.originator_version == version
    ]
    state = stored.state
    if mapper.cipher:
        state = mapper.cipher.decrypt(state)
    if mapper.compressor:
        state = mapper.compressor.decompress(state)
    data = mapper.transcoder.decode(state)
    del data[field]
    state = mapper.transcoder.encode(data)
    if mapper.compressor:
        state = mapper.compressor.compress(state)
    if mapper.cipher:
        state = mapper.cipher.encrypt(state)
    table = app.recorder.events_table_name  # type: ignore[attr-defined]
    # The SQLite recorder keeps ids as hex text; PostgreSQL as its uuid type.
    sqlite = isinstance(app.recorder, SQLiteApplicationRecorder)
    with container.views.write("__old_release__") as tx:
        tx.execute(
            f"UPDATE {table} SET state = %(state)s"
            " WHERE originator_id = %(id)s AND originator_version = %(v)s",
            {"state": state, "id": record_id.hex if sqlite else record_id, "v": version},
        )


def test_a_confidential_reason_for_a_miss_is_flagged_in_the_view(container: Container) -> None:
    on = sides(container)
    made = accepted(container, on, occurred_at=ago(days=40), due_date=days(-10))

    container.app.record_commitment_missed(
        by=on.buyer, commitment_id=made.id, reason="Contract dispute", confidential=True
    )

    current = row(container, made.id)
    statuses = container.views.fetch_all(
        f"SELECT status, note, confidential FROM {STATUSES} WHERE commitment_id = %(id)s"
        " ORDER BY version",
        {"id": str(made.id)},
    )
    assert (current["status_note"], bool(current["status_note_confidential"])) == (
        "Contract dispute",
        True,
    )
    assert [(s["status"], bool(s["confidential"])) for s in statuses] == [
        ("proposed", False),
        ("accepted", False),
        ("missed", True),
    ]


def test_events_stored_before_the_flag_existed_read_as_not_confidential(
    container: Container,
) -> None:
    on = sides(container)
    made = make(container, on)
    container.app.record_commitment_progress(
        by=on.supplier, commitment_id=made.id, percent=10, note="Started", confidential=True
    )
    _stored_without(container, made.id, 2, "confidential")
    (rewritten,) = [s for s in container.app.recorder.select_events(made.id, gt=1)]
    assert b"confidential" not in rewritten.state

    container.processors["commitments"].rebuild()
    replayed, _ = container.app.commitment_as_of(made.id)
    history = container.app.history(type(made), made.id)
    progress = CommitmentQueries(container.views).history(str(made.id))["progress"]

    assert (replayed.progress[0].note, replayed.progress[0].confidential) == ("Started", False)
    assert history[1].data == {"percent": 10, "note": "Started"}
    assert [(p["note"], p["confidential"]) for p in progress] == [("Started", False)]


def test_rebuilding_the_notes_view_gives_the_same_rows(container: Container) -> None:
    on = sides(container)
    app = container.app
    notes = [
        app.write_confidential_note(
            by=on.buyer,
            organisation_id=on.commissioner_id,
            subject_kind="organisation",
            subject_id=on.provider_id,
            title=f"Assessment {i}",
            text="Delivery risk",
        )
        for i in range(3)
    ]
    app.revise_confidential_note(by=on.buyer, note_id=notes[0].id, text="Lower risk")
    app.withdraw_confidential_note(by=on.buyer, note_id=notes[1].id, reason="Old")
    container.catch_up()
    rows = sorted(container.views.fetch_all(f"SELECT * FROM {NOTES}"), key=repr)

    container.processors["confidential_notes"].rebuild()

    assert len(rows) == 3
    assert sorted(container.views.fetch_all(f"SELECT * FROM {NOTES}"), key=repr) == rows
