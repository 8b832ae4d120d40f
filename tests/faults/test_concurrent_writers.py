"""Concurrent writers: N clients hammer one record and many new ones for T seconds.

Every client reads the shared programme's ETag and updates it with If-Match (most lose the
race: 409), and registers new organisations, some with an Idempotency-Key that it then sends
again as if the first answer had been lost. Afterwards the events table must hold exactly
what was acknowledged, once each, and the hash chain must verify.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field

import httpx
import pytest

from domain.programme import Programme
from services.use_cases.idempotency import idempotent_request_id
from tests.faults.budget import load_seconds
from tests.faults.support import Served, is_problem

pytestmark = [pytest.mark.postgres, pytest.mark.faults]

THREADS = 8
SHORT_SECONDS = 3.0
#: A bound on each client's commands, whatever the time budget.
MAX_COMMANDS = 5000


@dataclass
class Update:
    title: str
    response: httpx.Response


@dataclass
class Create:
    name: str
    key: str | None
    responses: list[httpx.Response] = field(default_factory=list)


@dataclass
class Outcomes:
    updates: list[Update] = field(default_factory=list)
    creates: list[Create] = field(default_factory=list)
    errors: list[BaseException] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _hammer(
    served: Served, programme_id: uuid.UUID, index: int, until: float, out: Outcomes
) -> None:
    try:
        with served.client() as client:
            for n in range(MAX_COMMANDS):
                if time.monotonic() > until:
                    return
                if n % 2 == 0:
                    etag = client.get(f"/programmes/{programme_id}").headers["etag"]
                    title = f"Title {index}-{n}"
                    response = client.patch(
                        f"/programmes/{programme_id}",
                        json={"title": title},
                        headers={"If-Match": etag},
                    )
                    with out.lock:
                        out.updates.append(Update(title, response))
                    continue
                key = str(uuid.uuid4()) if n % 4 == 1 else None
                create = Create(f"Trust {index}-{n} {uuid.uuid4().hex[:6]}", key)
                # With a key, the same request again, as a client does when the answer was lost.
                for _ in range(2 if key else 1):
                    create.responses.append(
                        client.post(
                            "/organisations",
                            json={"name": create.name, "kind": "provider"},
                            headers={"Idempotency-Key": key} if key else {},
                        )
                    )
                with out.lock:
                    out.creates.append(create)
    except BaseException as exc:
        with out.lock:
            out.errors.append(exc)


def test_concurrent_writers_leave_every_acknowledged_command_once_and_every_refusal_no_trace(
    served: Served,
) -> None:
    app = served.container.app
    lead = app.register_organisation(by=served.person_id, name="Lead ICB", kind="commissioner")
    programme_id = app.create_programme(
        by=served.person_id, title="Shared", description="", lead_commissioner_id=lead.id
    ).id
    start = served.head()
    seconds = load_seconds(SHORT_SECONDS)
    out = Outcomes()
    until = time.monotonic() + seconds
    threads = [
        threading.Thread(target=_hammer, args=(served, programme_id, i, until, out), daemon=True)
        for i in range(THREADS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 60)
    assert not any(t.is_alive() for t in threads), "clients still running"
    assert not out.errors, out.errors[0]

    # Every answer is an acknowledgement or a 409 problem (updates that lost the race).
    updated = [u for u in out.updates if u.response.status_code == 200]
    refused = [u for u in out.updates if u.response.status_code != 200]
    assert all(is_problem(u.response, 409) for u in refused), [
        (u.response.status_code, u.response.text) for u in refused if u.response.status_code != 409
    ]
    assert updated, "no update was acknowledged"
    assert refused, "no update lost a race: the clients never contended"
    assert len(out.creates) >= THREADS, "too few creates to prove anything"
    for create in out.creates:
        assert [r.status_code for r in create.responses] == [201] * len(create.responses), [
            r.text for r in create.responses
        ]
        ids = {r.json()["id"] for r in create.responses}
        assert len(ids) == 1, f"a retry with the same key created another record: {ids}"
        if create.key:
            assert create.responses[1].headers.get("idempotent-replayed") == "true"

    events = served.events_after(start)
    by_record = Counter((originator, version) for _, originator, version, _ in events)
    assert all(count == 1 for count in by_record.values())

    # The shared programme: one event per acknowledged update, nothing for a refused one.
    history = {e.version: e for e in app.history(Programme, programme_id)}
    programme_versions = sorted(v for _, o, v, _ in events if o == str(programme_id))
    assert programme_versions == list(range(2, len(updated) + 2)), "a version was skipped"
    recorded_at = Counter(history[v].data["title"] for v in programme_versions)
    assert recorded_at == Counter(u.title for u in updated), "log and acknowledgements differ"
    assert not {u.title for u in refused} & set(recorded_at)
    # Each answer's ETag is the version its own update created, or a later one: the answer
    # is read back from the view, which may already show the next writer's update (a known
    # gap, docs/faults.md: such an ETag lets a client overwrite a change it never saw).
    version_of = {history[v].data["title"]: v for v in programme_versions}
    for update in updated:
        assert int(update.response.headers["etag"].strip('"')) >= version_of[update.title]

    # Every created record once, at version 1, and each idempotency key recorded once.
    created = {c.responses[0].json()["id"] for c in out.creates}
    assert len(created) == len(out.creates)
    assert all(by_record[(record_id, 1)] == 1 for record_id in created)
    keys = {str(idempotent_request_id(served.person_id, c.key)) for c in out.creates if c.key}
    assert all(by_record[(key_id, 1)] == 1 for key_id in keys)

    # Nothing else: the log grew by exactly the acknowledgements.
    assert len(events) == len(updated) + len(created) + len(keys), Counter(t for *_, t in events)
    assert {o for _, o, _, _ in events} == {str(programme_id)} | created | keys

    served.verify_chain()
    served.wait_for_views(served.head(), seconds=30.0)
    served.views_equal_a_clean_rebuild()
