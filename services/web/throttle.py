"""Failed-login limits: N failures per email and M per client address within a window.

The address limit is higher: a hospital's staff may all reach us from one NAT address, and
a few mistyped passwords there must not lock the whole hospital out.

While a key is over the limit, logins with it are refused before any password is checked,
so a locked-out guesser learns nothing, not even from timing. Windows are fixed: they start
at the first failure and end ``failure_window`` seconds later. Counters live in Redis in
production (shared by every API process) and in memory in the embedded mode.
"""

from __future__ import annotations

import hashlib
import math
import threading
import time
from abc import ABC, abstractmethod
from typing import Any

from infra.settings import SessionSettings
from services.web.sessions import Clock


def email_key(email: str) -> str:
    # Hashed: the counters' store holds no email addresses (personal data).
    return "email:" + hashlib.sha256(email.strip().lower().encode()).hexdigest()


def client_key(address: str) -> str:
    return f"client:{address}"


class LoginThrottle(ABC):
    def __init__(self, settings: SessionSettings) -> None:
        self.settings = settings

    def retry_after(self, limits: dict[str, int]) -> int | None:
        """Seconds until every key at or over its limit unlocks; None if none is."""
        waits = [
            wait
            for key, limit in limits.items()
            for count, wait in [self._state(key)]
            if count >= limit
        ]
        return max(waits) if waits else None

    @abstractmethod
    def record_failure(self, keys: list[str]) -> None: ...

    @abstractmethod
    def clear(self, key: str) -> None: ...

    @abstractmethod
    def _state(self, key: str) -> tuple[int, int]:
        """(failures in the current window, whole seconds until it ends)."""


class MemoryLoginThrottle(LoginThrottle):
    def __init__(self, settings: SessionSettings, clock: Clock = time.time) -> None:
        super().__init__(settings)
        self.clock = clock
        self._counts: dict[str, tuple[int, float]] = {}
        self._lock = threading.Lock()

    def record_failure(self, keys: list[str]) -> None:
        now = self.clock()
        with self._lock:
            for stale in [k for k, (_, ends) in self._counts.items() if ends <= now]:
                del self._counts[stale]
            for key in keys:
                count, ends = self._counts.get(key, (0, now + self.settings.failure_window))
                self._counts[key] = (count + 1, ends)

    def clear(self, key: str) -> None:
        with self._lock:
            self._counts.pop(key, None)

    def _state(self, key: str) -> tuple[int, int]:
        now = self.clock()
        with self._lock:
            count, ends = self._counts.get(key, (0, now))
        if ends <= now:
            return 0, 0
        return count, math.ceil(ends - now)


class RedisLoginThrottle(LoginThrottle):
    PREFIX = "changeledger:login-failures:"

    def __init__(self, redis: Any, settings: SessionSettings) -> None:
        super().__init__(settings)
        self.redis = redis

    def record_failure(self, keys: list[str]) -> None:
        # SET NX EX opens the window at the first failure; INCR keeps the key's TTL. In one
        # MULTI, so concurrent failures from several API processes are all counted.
        pipe = self.redis.pipeline(transaction=True)
        for key in keys:
            pipe.set(self.PREFIX + key, 0, ex=self.settings.failure_window, nx=True)
            pipe.incr(self.PREFIX + key)
        pipe.execute()

    def clear(self, key: str) -> None:
        self.redis.delete(self.PREFIX + key)

    def _state(self, key: str) -> tuple[int, int]:
        pipe = self.redis.pipeline(transaction=False)
        pipe.get(self.PREFIX + key)
        pipe.ttl(self.PREFIX + key)
        count, ttl = pipe.execute()
        if count is None:
            return 0, 0
        return int(count), max(int(ttl), 1)
