"""Server-side browser sessions: Redis in production, memory in the embedded mode.

The cookie carries only a random session id. The store keys each session by a hash of that
id, so a copy of Redis holds no cookie that could be replayed. A session ends when its
lifetime is over, when it has been idle too long, at logout, or when its person's password
changes.
"""

from __future__ import annotations

import hashlib
import json
import math
import secrets
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any
from uuid import UUID

from infra.settings import SessionSettings

Clock = Callable[[], float]


@dataclass(frozen=True)
class Session:
    #: The cookie value; never stored.
    id: str
    person_id: UUID
    #: Every state-changing request made with this session's cookie must carry it.
    csrf_token: str
    created_at: float
    last_seen: float


def _key(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


class SessionStore(ABC):
    def __init__(self, settings: SessionSettings, clock: Clock = time.time) -> None:
        self.settings = settings
        self.clock = clock

    def start(self, person_id: UUID) -> Session:
        """A new session with a new id: ids are never reused, so a login rotates them."""
        now = self.clock()
        session = Session(
            id=secrets.token_urlsafe(32),
            person_id=person_id,
            csrf_token=secrets.token_urlsafe(32),
            created_at=now,
            last_seen=now,
        )
        self._put(_key(session.id), session, self._ttl(session, now))
        return session

    def find(self, session_id: str) -> Session | None:
        """The live session with this id, its idle clock reset; None if unknown or over."""
        if not session_id:
            return None
        key = _key(session_id)
        found = self._get(key)
        if found is None:
            return None
        now = self.clock()
        session = replace(found, id=session_id)
        if self._over(session, now):
            self._delete(key, session.person_id)
            return None
        touched = replace(session, last_seen=now)
        self._put(key, touched, self._ttl(touched, now))
        return touched

    def end(self, session_id: str) -> None:
        key = _key(session_id)
        found = self._get(key)
        if found is not None:
            self._delete(key, found.person_id)

    @abstractmethod
    def end_all_for(self, person_id: UUID, *, keep: str | None = None) -> int:
        """End every session of a person (e.g. their password changed), except ``keep``."""

    def _over(self, session: Session, now: float) -> bool:
        return (
            now - session.created_at >= self.settings.lifetime
            or now - session.last_seen >= self.settings.idle
        )

    def _ttl(self, session: Session, now: float) -> int:
        left = min(self.settings.idle, session.created_at + self.settings.lifetime - now)
        return max(1, math.ceil(left))

    @abstractmethod
    def _put(self, key: str, session: Session, ttl: int) -> None: ...

    @abstractmethod
    def _get(self, key: str) -> Session | None: ...

    @abstractmethod
    def _delete(self, key: str, person_id: UUID) -> None: ...


class MemorySessionStore(SessionStore):
    """One process's sessions (the embedded mode). Lost on restart: people sign in again."""

    def __init__(self, settings: SessionSettings, clock: Clock = time.time) -> None:
        super().__init__(settings, clock)
        self._sessions: dict[str, Session] = {}
        self._lock = threading.Lock()

    def end_all_for(self, person_id: UUID, *, keep: str | None = None) -> int:
        kept = _key(keep) if keep else None
        with self._lock:
            ended = [
                key
                for key, session in self._sessions.items()
                if session.person_id == person_id and key != kept
            ]
            for key in ended:
                del self._sessions[key]
        return len(ended)

    def _put(self, key: str, session: Session, ttl: int) -> None:
        now = self.clock()
        with self._lock:
            # Sweep sessions that ran out, so memory does not grow with abandoned browsers.
            for stale in [k for k, s in self._sessions.items() if self._over(s, now)]:
                del self._sessions[stale]
            self._sessions[key] = replace(session, id="")

    def _get(self, key: str) -> Session | None:
        with self._lock:
            return self._sessions.get(key)

    def _delete(self, key: str, person_id: UUID) -> None:
        with self._lock:
            self._sessions.pop(key, None)


class RedisSessionStore(SessionStore):
    """Sessions shared by every API process. Redis expires each one after its TTL too."""

    PREFIX = "changeledger:session:"
    OF_PERSON = "changeledger:sessions-of:"

    def __init__(self, redis: Any, settings: SessionSettings, clock: Clock = time.time) -> None:
        super().__init__(settings, clock)
        self.redis = redis

    def end_all_for(self, person_id: UUID, *, keep: str | None = None) -> int:
        kept = _key(keep) if keep else None
        index = f"{self.OF_PERSON}{person_id}"
        keys = [k for k in self.redis.smembers(index) if k != kept]
        if keys:
            pipe = self.redis.pipeline()
            pipe.delete(*[f"{self.PREFIX}{k}" for k in keys])
            pipe.srem(index, *keys)
            pipe.execute()
        return len(keys)

    def _put(self, key: str, session: Session, ttl: int) -> None:
        body = json.dumps(
            {
                "person_id": str(session.person_id),
                "csrf_token": session.csrf_token,
                "created_at": session.created_at,
                "last_seen": session.last_seen,
            }
        )
        index = f"{self.OF_PERSON}{session.person_id}"
        pipe = self.redis.pipeline()
        pipe.set(f"{self.PREFIX}{key}", body, ex=ttl)
        pipe.sadd(index, key)
        pipe.expire(index, self.settings.lifetime)
        pipe.execute()

    def _get(self, key: str) -> Session | None:
        raw = self.redis.get(f"{self.PREFIX}{key}")
        if raw is None:
            return None
        data = json.loads(raw)
        return Session(
            id="",
            person_id=UUID(data["person_id"]),
            csrf_token=data["csrf_token"],
            created_at=float(data["created_at"]),
            last_seen=float(data["last_seen"]),
        )

    def _delete(self, key: str, person_id: UUID) -> None:
        pipe = self.redis.pipeline()
        pipe.delete(f"{self.PREFIX}{key}")
        pipe.srem(f"{self.OF_PERSON}{person_id}", key)
        pipe.execute()
