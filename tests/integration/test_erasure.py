"""Erasing a person, on both stores: the log keeps its events, every view shows the placeholder,
the structure and the counts stay, and no plaintext is left anywhere in the database."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID, uuid4

import pytest

from domain.errors import NotAuthenticated, NotFound, RuleViolation
from domain.person import Person
from domain.review import ActionEntry, RatingEntry
from infra.bootstrap import Container
from projections.lineage_report import DecisionLineageReport
from projections.resilience_report import ResilienceReport
from projections.temporal import Moment
from tests.integration.chain_support import verify
from tests.integration.decisions_support import Board, board
from tests.integration.support import head

NAME = "Zelda Quistorff-Nakamura"
EMAIL = "zelda.quistorff@erasure.example"
ABOUT = "Zelda grew up in Harrogate and is allergic to wasps"
PLAINTEXTS = (NAME, EMAIL, ABOUT)


@dataclass
class Scene:
    board: Board
    zelda: UUID
    decision: UUID
    token_secret: str


def set_scene(container: Container) -> Scene:
    """Zelda of the ICB holds two critical roles, took a decision and reviewed the programme."""
    b = board(container)
    app = container.app
    zelda = app.register_person(by=None, name=NAME, email=EMAIL, about="Draft").id
    app.join_organisation(by=None, person_id=zelda, organisation_id=b.icb)
    app.change_about(by=zelda, person_id=zelda, about=ABOUT, expected_version=None)
    other = app.create_programme(
        by=None, title="Mental Health", description="", lead_commissioner_id=b.icb
    )
    for programme in (b.programme, other.id):
        role = app.define_role(by=zelda, programme_id=programme, kind="sro", critical=True)
        app.assign_role(by=zelda, role_id=role.id, holder_id=zelda)
    decision = app.take_decision(by=zelda, decision_id=b.propose().id, authority="Programme board")
    app.record_review(
        by=zelda,
        programme_id=b.programme,
        reviewer_ids=[zelda, b.ada],
        ratings=[
            RatingEntry(
                "delivery", 3, ("Zelda's notes",), [ActionEntry("Chase", zelda, date(2026, 3, 1))]
            )
        ],
        held_on=date(2026, 1, 10),
    )
    secret, _ = app.issue_token(by=None, person_id=zelda, label="laptop")
    return Scene(b, zelda, decision.id, secret)


def shown(container: Container, scene: Scene) -> dict[str, Any]:
    """Everything that names or counts people, as lists and reports show it."""
    container.catch_up()
    programme = str(scene.board.programme)
    people = container.directory.list_people(organisation_id=None, limit=50, offset=0)
    resilience = ResilienceReport(container.views, Moment())
    found = resilience.for_programme(programme)
    assert found is not None
    lineage = DecisionLineageReport(container.views, Moment())
    one = lineage.decision(str(scene.decision))
    assert one is not None
    return {
        "people": [(row["id"], row["name"], row["organisation_id"]) for row in people.items],
        "people_total": people.total,
        "roles": sorted(
            (r["id"], r["holder_id"], r["critical"])
            for r in container.views.fetch_all("SELECT * FROM rol_roles")
        ),
        "decisions": sorted(
            (r["id"], r["status"]) for r in container.views.fetch_all("SELECT * FROM dec_decisions")
        ),
        "critical_roles": [
            (p.person_id, p.name, p.critical_role_count)
            for p in resilience.people_with_several_critical_roles()
        ],
        "without_deputy": [
            (r.role_id, r.holder_id, r.holder_name) for r in found.critical_roles_without_deputy
        ],
        "bus_factor": resilience.bus_factor(programme),
        "timeline": [(e.kind, e.person_id, e.person_name) for e in one.timeline],
        "coordination": [
            (c.workstream_id, c.participants) for c in lineage.programme(programme).workstreams
        ],
    }


def placeholder(container: Container, person_id: UUID) -> str:
    key = container.app.person_keys.get(person_id)
    assert key is not None
    return f"erased person #{key.number}"


def every_stored_text(container: Container) -> str:
    """Every value of every table in the database (events, views, keys), as one text."""
    if container.settings.database.is_postgres:
        listing = "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'"
    else:
        listing = "SELECT name FROM sqlite_master WHERE type = 'table'"
    values: list[str] = []
    for table in container.views.fetch_all(listing):
        for row in container.views.fetch_all(f'SELECT * FROM "{table["name"]}"'):
            for value in row.values():
                if isinstance(value, bytes | memoryview):
                    values.append(bytes(value).decode("utf-8", errors="replace"))
                else:
                    values.append(str(value))
    return "\n".join(values).casefold()


def event_store_text(container: Container) -> str:
    notifications = container.app.recorder.select_notifications(start=1, limit=100_000)
    return "\n".join(n.state.decode("utf-8", errors="replace") for n in notifications).casefold()


def test_personal_data_is_never_stored_in_the_log_in_plain(container: Container) -> None:
    set_scene(container)
    container.catch_up()

    stored = event_store_text(container)

    assert all(text.casefold() not in stored for text in PLAINTEXTS)
    # The views hold it until erasure, so the search below can find what it looks for.
    assert all(text.casefold() in every_stored_text(container) for text in PLAINTEXTS)


def test_an_erased_person_is_shown_as_erased_everywhere_with_the_same_structure(
    container: Container,
) -> None:
    scene = set_scene(container)
    container.app.grant_administrator(by=None, person_id=scene.board.ada)
    before = shown(container, scene)
    events_before = head(container)

    container.app.erase_person(by=scene.board.ada, person_id=scene.zelda, reason="ER-2026-014")

    shown_as = placeholder(container, scene.zelda)
    after = shown(container, scene)
    # Zelda is named in every part that names people, so each part is compared for real.
    assert all(
        NAME in repr(before[part])
        for part in ("people", "critical_roles", "without_deputy", "timeline")
    )
    assert repr(after) == repr(before).replace(NAME, shown_as)
    row = container.directory.person(str(scene.zelda))
    assert row is not None
    assert (row["name"], row["email"], row["about"], row["erased"]) == (
        shown_as,
        None,
        None,
        True,
    )
    assert len(row["memberships"]) == 1
    # Nothing was rewritten: the log only grew (the erasure, the email's release, the token).
    assert head(container) == events_before + 3


def test_a_person_history_keeps_every_event_and_shows_no_personal_data_after_erasure(
    container: Container,
) -> None:
    scene = set_scene(container)
    types_before = [e.type for e in container.app.history(Person, scene.zelda)]

    container.app.erase_person(by=None, person_id=scene.zelda, reason="ER-2026-014")

    history = container.app.history(Person, scene.zelda)
    assert [e.type for e in history] == [*types_before, "Erased"]
    registered, erased = history[0].data, history[-1].data
    assert registered["name"] == placeholder(container, scene.zelda)
    assert (registered["email"], registered["about"]) == (None, None)
    assert all(e.data.get("about") is None for e in history if e.type == "AboutChanged")
    assert erased == {
        "number": container.app.person_keys.get(scene.zelda).number,  # type: ignore[union-attr]
        "reason": "ER-2026-014",
    }
    assert all(text not in repr(history) for text in PLAINTEXTS)


def test_rebuilding_every_view_after_an_erasure_gives_the_same_rows(container: Container) -> None:
    scene = set_scene(container)
    container.app.erase_person(by=None, person_id=scene.zelda, reason="ER-2026-014")
    container.catch_up()
    tables = [t for p in container.processors.values() for t in p.projection.tables]
    rows = {t: sorted(map(repr, container.views.fetch_all(f"SELECT * FROM {t}"))) for t in tables}
    reported = shown(container, scene)

    for processor in container.processors.values():
        processor.rebuild()

    assert {
        t: sorted(map(repr, container.views.fetch_all(f"SELECT * FROM {t}"))) for t in tables
    } == rows
    assert shown(container, scene) == reported


def test_no_plaintext_of_an_erased_person_is_left_in_any_table(container: Container) -> None:
    scene = set_scene(container)

    container.app.erase_person(by=None, person_id=scene.zelda, reason="ER-2026-014")
    container.catch_up()

    stored = every_stored_text(container)
    assert [text for text in PLAINTEXTS if text.casefold() in stored] == []


def test_erasing_twice_records_nothing_more(container: Container) -> None:
    scene = set_scene(container)
    first = container.app.erase_person(by=None, person_id=scene.zelda, reason="ER-1")
    events = head(container)

    again = container.app.erase_person(by=None, person_id=scene.zelda, reason="ER-1 again")

    assert head(container) == events
    assert again.name == first.name == placeholder(container, scene.zelda)


def test_erasing_an_unknown_person_is_not_found(container: Container) -> None:
    with pytest.raises(NotFound):
        container.app.erase_person(by=None, person_id=uuid4(), reason="ER-1")


def test_an_erasure_interrupted_before_the_key_went_is_finished_by_the_view_or_a_retry(
    container: Container, monkeypatch: pytest.MonkeyPatch
) -> None:
    scene = set_scene(container)
    keys = container.app.person_keys

    def crash(person_id: UUID) -> None:
        raise RuntimeError("process died")

    with monkeypatch.context() as patched:
        patched.setattr(keys, "destroy", crash)
        with pytest.raises(RuntimeError):
            container.app.erase_person(by=None, person_id=scene.zelda, reason="ER-1")
    assert keys.get(scene.zelda).erased is False  # type: ignore[union-attr]

    container.catch_up()  # the directory view applies Person.Erased

    assert keys.get(scene.zelda).erased is True  # type: ignore[union-attr]
    container.app.erase_person(by=None, person_id=scene.zelda, reason="ER-1")
    assert NAME.casefold() not in every_stored_text(container)


def test_an_erased_persons_email_is_free_and_finds_no_one(container: Container) -> None:
    scene = set_scene(container)
    container.app.erase_person(by=None, person_id=scene.zelda, reason="ER-1")

    with pytest.raises(NotFound):
        container.app.person_id_by_email(EMAIL)
    again = container.app.register_person(by=None, name="Zelda Q", email=EMAIL)

    assert container.app.person_id_by_email(EMAIL) == again.id != scene.zelda


def test_an_erased_person_can_no_longer_act(container: Container) -> None:
    scene = set_scene(container)
    container.app.erase_person(by=None, person_id=scene.zelda, reason="ER-1")

    with pytest.raises(NotAuthenticated):
        container.app.authenticate(scene.token_secret)
    with pytest.raises(RuleViolation):
        container.app.issue_token(by=None, person_id=scene.zelda, label="again")
    with pytest.raises(RuleViolation):
        container.app.change_about(
            by=None, person_id=scene.zelda, about="Back again", expected_version=None
        )


def test_two_erasures_at_the_same_moment_both_succeed_and_record_one_erasure(
    container: Container, monkeypatch: pytest.MonkeyPatch
) -> None:
    scene = set_scene(container)
    app = container.app
    both_loaded = threading.Barrier(2, timeout=10)
    revoke = app._revoke_tokens

    def revoke_once_both_have_read(person_id: UUID) -> Any:
        both_loaded.wait()  # each request has read the person as not yet erased
        return revoke(person_id)

    monkeypatch.setattr(app, "_revoke_tokens", revoke_once_both_have_read)
    with ThreadPoolExecutor(max_workers=2) as pool:
        erasures = [
            pool.submit(app.erase_person, by=None, person_id=scene.zelda, reason=f"ER-{n}")
            for n in (1, 2)
        ]
        names = {erasure.result().name for erasure in erasures}

    assert names == {placeholder(container, scene.zelda)}
    history = app.history(Person, scene.zelda)
    assert [e.type for e in history].count("Erased") == 1


def test_reports_as_of_a_time_before_the_erasure_show_the_placeholder_too(
    container: Container,
) -> None:
    scene = set_scene(container)
    container.catch_up()
    before_erasure = datetime.now(UTC)

    container.app.erase_person(by=None, person_id=scene.zelda, reason="ER-1")
    container.catch_up()

    then = ResilienceReport(container.views, Moment(before_erasure))
    listed = then.people_with_several_critical_roles()
    assert [(p.person_id, p.name) for p in listed] == [
        (str(scene.zelda), placeholder(container, scene.zelda))
    ]


def test_the_event_chain_still_verifies_after_an_erasure(container: Container) -> None:
    scene = set_scene(container)
    before = verify(container)

    container.app.erase_person(by=None, person_id=scene.zelda, reason="ER-2026-014")
    after = verify(container)

    assert before.intact
    assert after.intact
    # Erasure added its events to the chain; nothing before them changed.
    assert after.events > before.events
    assert before.head is not None
    assert verify(container, minuted_head=before.head.hash).intact
