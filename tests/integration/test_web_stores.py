"""Sessions and failed-login counters: in memory (embedded) and in a real Redis (production)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from uuid import uuid4

import pytest
import redis

from infra.settings import SessionSettings
from services.web.sessions import MemorySessionStore, RedisSessionStore, SessionStore
from services.web.throttle import (
    LoginThrottle,
    MemoryLoginThrottle,
    RedisLoginThrottle,
    client_key,
    email_key,
)
from tests.support.clock import FakeClock
from tests.support.redis import running_redis

SETTINGS = SessionSettings(lifetime=3600, idle=600, max_failures=3, failure_window=2)


@pytest.fixture(scope="module")
def redis_url() -> Iterator[str]:
    with running_redis() as server:
        yield server.url


@pytest.fixture
def redis_client(redis_url: str) -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(redis_url, decode_responses=True)
    client.flushdb()
    yield client
    client.close()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture(params=["memory", "redis"])
def sessions(request: pytest.FixtureRequest, clock: FakeClock) -> SessionStore:
    if request.param == "memory":
        return MemorySessionStore(SETTINGS, clock)
    return RedisSessionStore(request.getfixturevalue("redis_client"), SETTINGS, clock)


def test_a_started_session_is_found_by_its_id(sessions: SessionStore) -> None:
    person_id = uuid4()

    session = sessions.start(person_id)
    found = sessions.find(session.id)

    assert found is not None
    assert (found.person_id, found.csrf_token) == (person_id, session.csrf_token)
    assert sessions.find("not-a-session") is None


def test_each_session_gets_a_new_id_and_csrf_token(sessions: SessionStore) -> None:
    person_id = uuid4()

    first, second = sessions.start(person_id), sessions.start(person_id)

    assert first.id != second.id
    assert first.csrf_token != second.csrf_token


def test_a_session_is_refused_after_its_idle_time(sessions: SessionStore, clock: FakeClock) -> None:
    session = sessions.start(uuid4())
    clock.advance(599)
    kept_alive = sessions.find(session.id)

    clock.advance(600)

    assert kept_alive is not None
    assert sessions.find(session.id) is None


def test_a_session_is_refused_after_its_lifetime_however_active(
    sessions: SessionStore, clock: FakeClock
) -> None:
    session = sessions.start(uuid4())
    for _ in range(6):
        clock.advance(590)
        assert sessions.find(session.id) is not None

    clock.advance(60)

    assert sessions.find(session.id) is None


def test_an_ended_session_is_refused(sessions: SessionStore) -> None:
    session = sessions.start(uuid4())

    sessions.end(session.id)

    assert sessions.find(session.id) is None


def test_ending_a_persons_sessions_keeps_the_one_asked_for_and_no_one_elses(
    sessions: SessionStore,
) -> None:
    ada, grace = uuid4(), uuid4()
    phone, laptop, other = sessions.start(ada), sessions.start(ada), sessions.start(grace)

    ended = sessions.end_all_for(ada, keep=laptop.id)

    assert ended == 1
    assert sessions.find(phone.id) is None
    assert sessions.find(laptop.id) is not None
    assert sessions.find(other.id) is not None


def test_redis_holds_no_cookie_value_and_expires_idle_sessions_itself(
    redis_client: redis.Redis,
) -> None:
    store = RedisSessionStore(redis_client, SessionSettings(lifetime=3600, idle=1))

    session = store.start(uuid4())
    keys = redis_client.keys("changeledger:session:*")
    [key] = keys
    stored = redis_client.get(key)
    time.sleep(1.2)

    assert session.id not in key
    assert stored is not None
    assert session.id not in stored
    assert redis_client.keys("changeledger:session:*") == []


def test_sessions_in_redis_are_shared_by_every_api_process(redis_url: str) -> None:
    one = RedisSessionStore(redis.Redis.from_url(redis_url, decode_responses=True), SETTINGS)
    two = RedisSessionStore(redis.Redis.from_url(redis_url, decode_responses=True), SETTINGS)

    session = one.start(uuid4())
    found_by_two = two.find(session.id)
    two.end(session.id)

    assert found_by_two is not None
    assert one.find(session.id) is None


# Failed-login counters


LIMITS = {email_key("ada@example.org"): 3, client_key("10.0.0.1"): 10}


@pytest.fixture(params=["memory", "redis"])
def throttle(request: pytest.FixtureRequest) -> LoginThrottle:
    if request.param == "memory":
        return MemoryLoginThrottle(SETTINGS, time.time)
    return RedisLoginThrottle(request.getfixturevalue("redis_client"), SETTINGS)


def test_failures_under_the_limit_lock_nothing(throttle: LoginThrottle) -> None:
    for _ in range(2):
        throttle.record_failure(list(LIMITS))

    assert throttle.retry_after(LIMITS) is None


def test_reaching_the_limit_locks_until_the_window_ends(throttle: LoginThrottle) -> None:
    for _ in range(3):
        throttle.record_failure(list(LIMITS))

    locked = throttle.retry_after(LIMITS)
    time.sleep(2.1)  # the window, 2 s here, opened at the first failure

    assert locked is not None
    assert 1 <= locked <= 2
    assert throttle.retry_after(LIMITS) is None


def test_clearing_an_emails_count_leaves_the_addresses(throttle: LoginThrottle) -> None:
    limits = {email_key("ada@example.org"): 3, client_key("10.0.0.1"): 3}
    for _ in range(3):
        throttle.record_failure(list(limits))

    throttle.clear(email_key("ada@example.org"))

    assert throttle.retry_after({email_key("ada@example.org"): 3}) is None
    assert throttle.retry_after({client_key("10.0.0.1"): 3}) is not None


def test_redis_counts_failures_from_every_api_process_together(redis_url: str) -> None:
    processes = [
        RedisLoginThrottle(redis.Redis.from_url(redis_url, decode_responses=True), SETTINGS)
        for _ in range(3)
    ]
    key = email_key("ada@example.org")

    for process in processes:
        process.record_failure([key])

    assert all(p.retry_after({key: 3}) is not None for p in processes)
    assert processes[0].redis.ttl(RedisLoginThrottle.PREFIX + key) <= 2


def test_counters_hold_no_email_address(redis_client: redis.Redis) -> None:
    RedisLoginThrottle(redis_client, SETTINGS).record_failure([email_key("ada@example.org")])

    assert not any("ada" in key for key in redis_client.keys("*"))


def test_the_memory_lockout_ends_with_its_window_on_the_clock(clock: FakeClock) -> None:
    throttle = MemoryLoginThrottle(SessionSettings(failure_window=900), clock)
    key = email_key("ada@example.org")
    for _ in range(5):
        throttle.record_failure([key])
    clock.advance(899)
    still = throttle.retry_after({key: 5})

    clock.advance(1)

    assert still == 1
    assert throttle.retry_after({key: 5}) is None
